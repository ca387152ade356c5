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

import pandas as pd

from targetlint.rules._memo import on_frame
from targetlint.rules._text import similarity

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


@lru_cache(maxsize=1 << 16)
def _stem(name: str) -> str:
    # Memoised: level names repeat on every indicator row of every file.
    s = _SPACES.sub("", unicodedata.normalize("NFKC", name))
    s = _NOTE.sub("", _LEADING_NUMBER.sub("", s)).rstrip(":")
    return s[:-2] if s.endswith("指标") and len(s) > 2 else s


def blank(series: pd.Series) -> pd.Series:
    """True where a text column is absent (None) or holds only spaces."""
    return series.isna() | series.fillna("").astype(str).str.strip().eq("")


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
        """The taxonomy of a rule's effective parameters (its profile's vocabulary); built once per vocabulary."""
        vocab = (params.get("vocab") or {}).get("taxonomy")
        key = _freeze(vocab)
        found = _TAXONOMIES.get(key)
        if found is None:
            found = _TAXONOMIES[key] = cls(vocab)
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
        raw1, raw2 = ind["level1"], ind["level2"]
        l2 = raw2.map(self.level2, na_action="ignore").astype(object)
        l1 = raw1.map(self.level1, na_action="ignore").astype(object)
        l1 = l1.fillna(raw1.map(self.parent, na_action="ignore")).fillna(raw2.map(self.parent, na_action="ignore"))
        by_project = ind["project_key"]
        l1 = l1.where(l1.notna() | ~blank(raw1), l1.groupby(by_project).ffill())
        # a 二级 merged down stays within its 一级
        l2 = l2.where(l2.notna() | ~blank(raw2), l2.groupby([by_project, l1.fillna("")]).ffill())
        fam = l2.map(self.family, na_action="ignore").astype(object).fillna(l1.map(self.family, na_action="ignore"))
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
    if rows is not None:
        t = t[(t["source"] != "indicators") | t["row"].isin(rows)]
    t = t.assign(rank=t["field"].map({f: i for i, f in enumerate(order)})).dropna(subset=["rank"])
    first = t.sort_values(["project_key", "rank", "seq"], kind="stable").drop_duplicates("project_key")
    return pd.Series(first.index, index=first["project_key"])
