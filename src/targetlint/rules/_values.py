"""Helpers of the value rules (TL305–TL310, TL316, TL317): units, percents, signs and years of a value.

They sit on top of :mod:`targetlint.rules._grammar` (which parses a value
cell) and :mod:`targetlint.rules._taxonomy` (which places an indicator in the
tree), and judge a parsed :class:`~targetlint.rules._grammar.Value` against
what the row says elsewhere: its 三级 name, its 度量单位 column, its 二级
family, its project's period and the budget year.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache
from fractions import Fraction
from typing import Any, Mapping

import pandas as pd

from targetlint.rules._grammar import Value, as_percent, fmt, grammar, name_core, normalize, words
from targetlint.rules._memo import map_objects, on_frame
from targetlint.rules._taxonomy import Taxonomy

_FLIP = {"≥": "≤", ">": "<", "≤": "≥", "<": ">"}
MAGNITUDE = {"千": Fraction(1000), "万": Fraction(10_000), "亿": Fraction(100_000_000)}
_BRACKETED = re.compile(r"\(([^()]{1,8})\)\s*$")
_PERIOD = re.compile(r"((?:19|20)\d{2})(?:年|[./-](?:1[0-2]|0?[1-9])(?!\d)|年(?:1[0-2]|0?[1-9])月)?(?:份|度)?(?:-|~|至|到)((?:19|20)\d{2})")


def per_text(series: pd.Series, fn) -> pd.Series:
    """``fn`` applied to each distinct text of a column once (texts repeat a lot), on the column's index; object dtype."""
    return map_objects(series, fn)


def contains_any(series: pd.Series, marks) -> pd.Series:
    """Whether each text (normalised) contains one of ``marks``; absent texts are False."""
    marks = tuple(normalize(m) for m in marks or () if m)
    if not marks:
        return pd.Series(False, index=series.index)
    rx = re.compile("|".join(map(re.escape, marks)))
    return per_text(series, lambda t: bool(rx.search(normalize(t)))).astype(bool)


def families(ind: pd.DataFrame, params: Mapping[str, Any]) -> pd.Series:
    """The dimension each indicator measures (``数量`` ``质量`` ``时效`` ``成本`` …, or None)."""
    return Taxonomy.of(params).resolve(ind)["family"]


def names(ind: pd.DataFrame) -> pd.Series:
    """The 三级 name cores (``合格率（%）`` → ``合格率``); ``""`` where absent."""
    return per_text(ind["level3"], lambda t: name_core(t) if isinstance(t, str) else "")


def percent_of(v: Value) -> tuple[Decimal, ...] | None:
    """The percent numbers of a value written ``90%`` or as a fraction ``0.9`` (then ×100); else None."""
    if v.kind not in ("quantitative", "range") or not v.numbers:
        return None
    if v.unit == "%":
        return v.numbers
    return tuple(n * 100 for n in v.numbers) if as_percent(v) else None


def convert(n: Decimal, ratio: Fraction) -> str:
    """``n × ratio`` written as people write it, to at most four decimals."""
    exact = Fraction(n) * ratio
    return fmt(round(Decimal(exact.numerator) / Decimal(exact.denominator), 4))


def flipped(v: Value, sign: str | None = None) -> str | None:
    """The value with its comparison sign reversed (``≥350元/人次`` → ``≤350元/人次``), or replaced by ``sign``."""
    if v.kind != "quantitative" or v.sign not in _FLIP:
        return None
    return f"{v.lead}{sign or _FLIP[v.sign]}{fmt(v.numbers[0])}{v.unit or ''}"


def unknown_unit(v: Value, max_length: int) -> bool:
    """Whether the text right after the number reads as a unit the vocabulary lacks (``微克/立方米``, ``分贝``).

    Short (``max_length`` characters at most, or a ``/``/``·`` compound of up to twice that), not a
    sentence, and glued to the number; ``≥0.9年初该项经费下达后…`` is prose, not a unit.
    """
    r = re.sub(r"[。.;；,，]+$", "", v.residue)
    if not r or re.search(r"[，,。;；:：\s]", r) or not re.match(r"[A-Za-zμ\u4e00-\u9fff]", r):
        return False
    return len(r) <= max_length or (bool(re.search(r"[/·]", r)) and len(r) <= 2 * max_length)


def with_unit(v: Value, unit: str) -> str:
    """The value written with ``unit`` (a fraction becomes a percent when the unit is ``%``)."""
    if unit == "%" and as_percent(v):
        return as_percent(v)
    if v.kind == "range":
        return f"{fmt(v.numbers[0])}~{fmt(v.numbers[1])}{v.unit or ''}{unit}"
    return f"{v.lead}{v.sign or ''}{fmt(v.numbers[0])}{v.unit or ''}{unit}"


class Units:
    """The units of a profile vocabulary: read a 度量单位 cell, size a unit, guess a name's unit."""

    def __init__(self, vocab: Mapping[str, Any] | None):
        self.grammar = grammar(vocab)
        self.scales = words(vocab).get("unit_scales") or {}
        self._measures: dict[str, tuple[str | None, Fraction | None]] = {}

    def of(self, text: Any, aliases: Mapping[str, str] | None = None) -> str | None:
        """The unit a 度量单位 cell names (``万元``, ``%``, ``元/人``), or None when it names no known unit."""
        s = normalize(text).strip("()")
        s = (aliases or {}).get(s, s)
        if not s:
            return None
        v = self.grammar.parse("1" + s)
        return v.unit if v.kind == "quantitative" and v.unit == s else None

    def measure(self, unit: str) -> tuple[str | None, Fraction | None]:
        """A unit's kind and exact size in the kind's base unit: ``万元`` → (money, 10000), ``亩`` → (area, 2000/3).

        The denominator of a rate unit (``/人次``) is ignored: the head decides.  A unit missing from
        the vocabulary's ``unit_scales`` (个 项 件 …) has size 1, so classifiers of one kind are
        interchangeable.  A bare magnitude (``万``) has kind ``magnitude``.
        """
        if unit not in self._measures:
            self._measures[unit] = self._measure(re.split(r"[/每·]", unit, maxsplit=1)[0])
        return self._measures[unit]

    def _measure(self, head: str) -> tuple[str | None, Fraction | None]:
        kinds, mag = self.grammar.unit_kind, Fraction(1)
        if head not in kinds and head[:1] in MAGNITUDE:
            mag, head = MAGNITUDE[head[:1]], head[1:]
            if not head:
                return "magnitude", mag
        if head not in kinds:
            return None, None
        try:  # sizes are numbers or exact fractions written as text ("2000/3")
            size = Fraction(str(self.scales.get(head, 1)))
        except (ValueError, ZeroDivisionError):
            size = Fraction(1)
        return kinds[head], mag * size

    def implied(self, level3: Any, endings: Mapping[str, str]) -> tuple[str | None, bool]:
        """The unit a 三级 name gives: a bracketed unit (``培训人数（人）`` → 人, stated) or its ending.

        Returns:
            (unit, stated): ``stated`` is True when the name itself already writes the unit, so the
            value needs none; otherwise ``unit`` is only a guess for a suggestion (``…率`` → ``%``).
        """
        s = normalize(level3)
        m = _BRACKETED.search(s)
        if m and self.of(m.group(1)) is not None:
            return self.of(m.group(1)), True
        core = name_core(s)
        for ending in sorted(endings, key=len, reverse=True):
            if core.endswith(ending):
                return str(endings[ending]), False
        return None, False


def plain_year(v: Value, time_context: bool, budget_year: int | None) -> bool:
    """A bare four-digit number that is a year (``2021`` as 完成年度), not a unit-less count."""
    if v.kind != "quantitative" or v.unit or v.sign not in (None, "=") or v.number != v.number.to_integral_value():
        return False
    n = int(v.number)
    if not 1949 <= n <= 2100:
        return False
    return time_context or (budget_year is not None and abs(n - budget_year) <= 5)


def periods(sub) -> pd.Series:
    """Each project's period ``(first, last)`` year from its texts (``2021.03-2022.06``, ``2021-2023年``).

    Read from the project-level texts only (title, name, purpose, goal); a span wider than
    ten years is a citation, not a period.  Projects stating none are missing from the result.
    """
    return pd.Series(_periods(sub), dtype=object)


def _periods(sub) -> dict[Any, tuple[int, int]]:
    t = sub.texts
    t = t[(t["source"] == "projects") & t["field"].isin(["title", "project_name", "purpose", "goal"])]
    out: dict[Any, tuple[int, int]] = {}
    for key, text in zip(t["project_key"].tolist(), t["text"].tolist()):
        for a, b in _spans(text):
            lo, hi = int(a), int(b)
            if 0 <= hi - lo <= 10:
                old = out.get(key, (lo, hi))
                out[key] = (min(old[0], lo), max(old[1], hi))
    return out


@lru_cache(maxsize=1 << 14)
def _spans(text: str) -> list[tuple[str, str]]:
    return _PERIOD.findall(normalize(text))


def allowed_years(sub, ind: pd.DataFrame) -> pd.Series:
    """Per indicator row, the years a deadline may fall in: the budget year and the project period.

    None where neither is known.  Computed once per frame (TL316 and TL317 both ask).
    """
    return on_frame(ind, "allowed_years", lambda: _allowed_years(sub, ind))


def _allowed_years(sub, ind: pd.DataFrame) -> pd.Series:
    span = _periods(sub)

    def years(key, year: int | None) -> tuple[int, int] | None:
        p = span.get(key)
        if p is None:
            return None if year is None else (year, year)
        return p if year is None else (min(p[0], year), max(p[1], year))

    # each row's own file's year: many files may be checked as one concatenation
    out = [years(k, y) for k, y in zip(ind["project_key"].tolist(), sub.year_of(ind))]
    return pd.Series(out, index=ind.index, dtype=object)
