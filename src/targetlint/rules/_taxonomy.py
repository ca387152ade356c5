"""The indicator taxonomy (指标体系): normalise 一级/二级 names and place them in the tree.

Clerks write the same level name many ways: ``产出`` or ``产出指标``,
``环境效益`` for ``生态效益指标``, ``（一）数量指标``, a full-width space in
the middle.  Rules compare names through :func:`stem` and the profile's
taxonomy vocabulary (``params.vocab["taxonomy"]``, see
``rules/vocab/taxonomy.yaml``): ``level1`` (一级 → its 二级), ``synonyms``,
``families`` (the dimension a 二级 measures: 数量/质量/时效/成本) and
``required`` (the 一级 every project must have).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any, Mapping

import numpy as np
import pandas as pd

from targetlint.rules._memo import map_distinct, on_frame, per_row
from targetlint.rules._text import similarity
from targetlint.rules._memo import CACHED as _CACHED

# A leading list number (一、 1. （一） 2）) is layout, not part of the name.
_LEADING_NUMBER = re.compile(r"^(?:\([一二三四五六七八九十\d]+\)|[一二三四五六七八九十\d]+[、.)])")
# A trailing bracketed note: 数量指标（个）, 满意度指标(10分).
_NOTE = re.compile(r"\([^()]*\)$")
_SPACES = re.compile(r"\s+")


def stem(name: str | None) -> str:
    """The comparison key of a level name: NFKC, no spaces, numbering or note, no trailing 指标.

    >>> stem(" （二）质量 指标 ")
    '质量'
    """
    if not name:
        return ""
    return _stem(name if type(name) is str else str(name))


@lru_cache(maxsize=_CACHED)
def _stem(name: str) -> str:
    # Memoised: level names repeat on every indicator row of every file.
    s = _SPACES.sub("", unicodedata.normalize("NFKC", name))
    s = _NOTE.sub("", _LEADING_NUMBER.sub("", s)).rstrip(":")
    return s[:-2] if s.endswith("指标") and len(s) > 2 else s


def blank(series: pd.Series) -> pd.Series:
    """True where a text column is absent (None) or holds only spaces (each distinct cell judged once)."""
    if not len(series):
        return pd.Series(dtype=bool, index=series.index, name=series.name)
    return map_distinct(series, _blank)


def _is_na(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # not a scalar
        return False


def _blank(value: Any) -> bool:
    if isinstance(value, str):
        return not value.strip()
    try:
        if pd.isna(value):
            return True
    except (TypeError, ValueError):  # not a scalar
        pass
    return not str(value).strip()


class Taxonomy:
    """A profile's indicator tree with lookups by any spelling of a name.

    Attributes:
        tree: canonical 一级 → tuple of its canonical 二级, in vocabulary order.
        required: the 一级 names every project must have.
    """

    def __init__(self, vocab: Mapping[str, Any] | None):
        vocab = vocab or {}
        self.tree: dict[str, tuple[str, ...]] = {k: tuple(v or ()) for k, v in (vocab.get("level1") or {}).items()}
        self._alias = {stem(k): stem(v) for k, v in (vocab.get("synonyms") or {}).items()}
        self._l1 = {stem(n): n for n in self.tree}
        self._l2: dict[str, str] = {}
        self._parents: dict[str, list[str]] = {}
        for l1, kids in self.tree.items():
            for kid in kids:
                self._l2[stem(kid)] = kid
                self._parents.setdefault(kid, []).append(l1)
        self._family = {self._key(n): fam for fam, names in (vocab.get("families") or {}).items() for n in names or ()}
        self.required: tuple[str, ...] = tuple(vocab.get("required") or ())
        self._memo: dict[str, dict[Any, str | None]] = {}

    @classmethod
    def of(cls, params: Mapping[str, Any]) -> "Taxonomy":
        """The taxonomy of a rule's effective parameters (its profile's vocabulary); built once per vocabulary.

        Looked up first by the vocabulary's identity (every rule of a run asks
        with the same profile), then by its frozen content.
        """
        vocab = (params.get("vocab") or {}).get("taxonomy")
        hit = _BY_ID.get(id(vocab))
        if hit is not None and hit[0] is vocab:
            return hit[1]
        key = _freeze(vocab)
        found = _TAXONOMIES.get(key)
        if found is None:
            found = _TAXONOMIES[key] = cls(vocab)
        _BY_ID[id(vocab)] = (vocab, found)  # holds ``vocab``: its id is not reused
        return found

    def _key(self, name: str | None) -> str:
        s = stem(name)
        return self._alias.get(s, s)

    def _lookup(self, table: str, name: str | None) -> str | None:
        # Memoised per name: every indicator row asks about the same few level names.
        memo = self._memo.setdefault(table, {})
        try:
            return memo[name]
        except (KeyError, TypeError):  # TypeError: an unhashable cell value, not cached
            pass
        if table == "parent":
            parents = self._parents.get(self.level2(name) or "", [])
            found = parents[0] if len(parents) == 1 else None
        else:
            found = getattr(self, f"_{table}").get(self._key(name))
        try:
            memo[name] = found
        except TypeError:
            pass
        return found

    def level1(self, name: str | None) -> str | None:
        """The canonical 一级 a name denotes (``产出`` → ``产出指标``), or None."""
        return self._lookup("l1", name)

    def level2(self, name: str | None) -> str | None:
        """The canonical 二级 a name denotes (``环境效益`` → ``生态效益指标``), or None."""
        return self._lookup("l2", name)

    def parent(self, level2: str | None) -> str | None:
        """The 一级 a 二级 name belongs to, when the tree gives exactly one."""
        return self._lookup("parent", level2)

    def family(self, name: str | None) -> str | None:
        """The dimension (数量/质量/时效/成本 …) a 一级 or 二级 name measures, or None."""
        return self._lookup("family", name)

    def parents(self, level2: str | None) -> tuple[str, ...]:
        """Every 一级 a 二级 name is listed under (the default tree lists 成本指标 under 产出 only)."""
        return tuple(self._parents.get(self.level2(level2) or "", ()))

    def names(self, level: int) -> tuple[str, ...]:
        """The canonical names of level 1 or level 2, in vocabulary order."""
        if level == 1:
            return tuple(self.tree)
        return tuple(dict.fromkeys(kid for kids in self.tree.values() for kid in kids))

    def nearest(self, name: str | None, candidates: tuple[str, ...] | list[str]) -> tuple[str | None, float]:
        """The candidate most like ``name`` (character bigrams of the stems) and its similarity."""
        key = self._key(name)
        scored = [(similarity(key, stem(c)), -i, c) for i, c in enumerate(candidates)]
        if not key or not scored:
            return None, 0.0
        score, _, best = max(scored)
        return best, score

    def children_families(self, level1: str) -> list[str]:
        """The families of a 一级's 二级, in tree order (产出指标 → 数量, 质量, 时效, 成本)."""
        fams = (self.family(kid) for kid in self.tree.get(level1, ()))
        return list(dict.fromkeys(f for f in fams if f))

    def resolve(self, ind: pd.DataFrame) -> pd.DataFrame:
        """Place every indicator row in the tree.

        Returns a frame on ``ind``'s index with ``l1`` and ``l2`` (canonical
        names or None) and ``family``.  A blank or misplaced 一级 is taken
        from its 二级's parent, and a blank cell (an unfilled merged cell) from
        the row above within the project.  Computed once per frame and taxonomy.
        """
        return on_frame(ind, ("resolve", id(self)), lambda: self._resolve(ind))

    def _resolve(self, ind: pd.DataFrame) -> pd.DataFrame:
        # Each row placed from its own two cells, once per distinct pair of cells; only a blank
        # cell taking the row above's name needs the frame-wide fill below (most tables have none).
        placed = per_row(self._place, ind["level1"].tolist(), ind["level2"].tolist())
        if all(known for *_, known in placed):
            columns = {"l1": [p[0] for p in placed], "l2": [p[1] for p in placed], "family": [p[2] for p in placed]}
            return pd.DataFrame(columns, index=ind.index, dtype=object)
        return self._resolve_filling(ind)

    def _place(self, raw1: Any, raw2: Any) -> tuple[str | None, str | None, str | None, bool]:
        """(一级, 二级, family, known) of a row by its own cells, as :meth:`_resolve_filling` places it."""
        na1, na2 = _is_na(raw1), _is_na(raw2)
        l2 = None if na2 else self.level2(raw2)
        l1 = None if na1 else self.level1(raw1)
        if l1 is None and not na1:
            l1 = self.parent(raw1)
        if l1 is None and not na2:
            l1 = self.parent(raw2)
        known = (l1 is not None or not _blank(raw1)) and (l2 is not None or not _blank(raw2))
        family = self.family(l2) if l2 is not None else None
        if family is None and l1 is not None:
            family = self.family(l1)
        return l1, l2, family, known

    def _resolve_filling(self, ind: pd.DataFrame) -> pd.DataFrame:
        raw1, raw2 = ind["level1"], ind["level2"]
        l2 = map_distinct(raw2, self.level2, na_action="ignore").astype(object)
        l1 = map_distinct(raw1, self.level1, na_action="ignore").astype(object)
        parent = lambda raw: map_distinct(raw, self.parent, na_action="ignore")  # noqa: E731
        l1 = l1.fillna(parent(raw1)).fillna(parent(raw2))
        by_project = ind["project_key"]
        known = l1.notna() | ~blank(raw1)
        if not known.all():  # blank cells to take from the row above (most tables have none)
            l1 = l1.where(known, l1.groupby(by_project).ffill())
        # a 二级 merged down stays within its 一级
        known = l2.notna() | ~blank(raw2)
        if not known.all():
            l2 = l2.where(known, l2.groupby([by_project, l1.fillna("")]).ffill())
        family = lambda names: map_distinct(names, self.family, na_action="ignore")  # noqa: E731
        fam = family(l2).astype(object).fillna(family(l1))
        out = pd.DataFrame({"l1": l1, "l2": l2, "family": fam}, index=ind.index).astype(object)
        return out.where(out.notna(), None)


def _freeze(obj: Any) -> Any:
    """A hashable copy of a vocabulary (mappings and lists as sorted tuples)."""
    if isinstance(obj, Mapping):
        return tuple(sorted((str(k), _freeze(v)) for k, v in obj.items()))
    if isinstance(obj, (list, tuple)):
        return tuple(_freeze(v) for v in obj)
    return obj


_TAXONOMIES: dict[Any, Taxonomy] = {}
_BY_ID: dict[int, tuple[Any, Taxonomy]] = {}


def anchor(sub, order: tuple[str, ...] = ("level1", "level2", "project_name", "title"), rows=None) -> pd.Series:
    """Where to report a finding about a project's indicator tree, as ``sub.texts`` labels.

    Args:
        sub: the Submission.
        order: fields in order of preference.
        rows: indicator row labels to consider (all when None).

    Returns:
        A Series from ``project_key`` to the label of the first text, by
        ``order`` then reading order, among the project's texts.
    """
    t = sub.texts
    codes, fields = pd.factorize(t["field"].to_numpy(dtype=object))
    ranks = {f: i for i, f in enumerate(order)}
    rank = np.array([ranks.get(f, -1) for f in fields] + [-1], dtype=np.int64)[codes]
    keep = rank >= 0
    if rows is not None:
        keep &= (t["source"] != "indicators").to_numpy() | t["row"].isin(rows).to_numpy()
    at = np.flatnonzero(keep)
    keys = t["project_key"].to_numpy()[at]
    # the first by (project, rank, reading order): a stable lexsort, then each project's first row
    at, keys = at[np.lexsort((t["seq"].to_numpy()[at], rank[at], keys))], np.sort(keys, kind="stable")
    first = np.r_[True, keys[1:] != keys[:-1]] if len(keys) else np.zeros(0, bool)
    return pd.Series(t.index[at[first]], index=pd.Index(keys[first], name="project_key"))
