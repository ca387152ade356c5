"""The value grammar shared by the TL3xx rules: what an indicator value (指标值) may be.

A value is 定量 (an optional comparison sign, a number, a unit: ``≥95%``,
``=21个``, ``≤350元/人次``), a range (``90~95%``), a date or period
(``2021年11月30日前``, ``年内``, ``2023.07-2024.01``) or 定性 (a grade word of
the profile: ``好``, ``达到预期``) — 财预〔2015〕88号 and the spec's "Value
grammar".  :func:`parse` finds the longest such value from the start of the
cell (or, failing that, the first one inside it) and returns a :class:`Value`
with what came before (``prefix``) and after (``residue``); CJK text around the
value means the cell carries prose.  Words (units, signs, grades) come from the
profile's ``words`` vocabulary, falling back key by key to the shipped list.
Parsing never raises, whatever the input.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from importlib import resources
from typing import Any, Mapping

import pandas as pd
import yaml

from targetlint.rules._memo import map_distinct, on_frame
from targetlint.rules._text import has_cjk
from targetlint.rules._memo import CACHED as _CACHED

#: Kinds of value: ``absent`` is a field the layout lacks (None), ``empty`` a blank cell.
KINDS = ("quantitative", "range", "date", "grade", "empty", "none", "absent")
#: Kinds that are a value (the rest are blank, absent or prose only).
VALUE_KINDS = frozenset(KINDS[:4])

_CHARS = str.maketrans({"≧": "≥", "⩾": "≥", "≦": "≤", "⩽": "≤", "〜": "~", "∼": "~", "—": "-", "–": "-",
                        "―": "-", "・": "·", "•": "·", "∙": "·", "【": "[", "】": "]"})
_PAIRS = ((">=", "≥"), ("=>", "≥"), ("<=", "≤"), ("=<", "≤"), ("--", "-"))
_SPACE = re.compile(r"\s+")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_WORDY = re.compile(r"[0-9A-Za-z%‰\u4e00-\u9fff]")
_OPENING = re.compile(r"[\s,.;:!?、。，；：)）\]】》\"'“”‘’*·]+")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_SIGNS = {"≥": "≥", "≤": "≤", "=": "=", ">": ">", "<": "<"}
_RANGE_SEP = re.compile(r"~|-|至|到")
_MAX_SCAN = 2000  # a value cell longer than this is prose; don't look for values past it


def _missing(x: Any) -> bool:
    try:
        return x is None or bool(pd.isna(x))
    except (TypeError, ValueError):  # list-likes: not a missing scalar
        return False


def normalize(text: Any) -> str:
    """NFKC, canonical signs (``＞＝ ≧ ⩾`` → ``≥``…), no spaces, no thousands separators."""
    if type(text) is str:  # the common case first: _missing's pd.isna is slow per cell
        return _normalize(text)
    if _missing(text):
        return ""
    return _normalize(str(text))


@lru_cache(maxsize=_CACHED)
def _normalize(text: str) -> str:
    # Memoised: a run normalises the same few thousand texts (一级/二级 names, values) many times over.
    s = unicodedata.normalize("NFKC", text).translate(_CHARS)
    for a, b in _PAIRS:
        s = s.replace(a, b)
    return _THOUSANDS.sub("", _SPACE.sub("", s))


@dataclass(frozen=True)
class Value:
    """One parsed value cell (all texts in :func:`normalize` form).

    Attributes:
        text: the whole normalised cell.
        kind: one of :data:`KINDS`.
        sign: canonical comparison sign ``≥ ≤ = > <`` (from a symbol, a word or a suffix), or None.
        numbers: the number(s), two for a range.
        unit: the unit as written (``%``, ``万元``, ``元/人·月``), or None.
        unit_kind: its category in the vocabulary (``percent``, ``count``, ``money``, ``time``…).
        lead: a change or total word before the number (``增长``, ``新增``, ``累计``).
        years: four-digit years in a date.
        matched: the value part of the cell; prefix / residue: the text before / after it.
    """

    text: str
    kind: str
    sign: str | None = None
    numbers: tuple[Decimal, ...] = ()
    unit: str | None = None
    unit_kind: str | None = None
    lead: str = ""
    years: tuple[int, ...] = ()
    matched: str = ""
    prefix: str = ""
    residue: str = ""

    @property
    def number(self) -> Decimal | None:
        return self.numbers[0] if self.numbers else None

    @property
    def residue_has_cjk(self) -> bool:
        return has_cjk(self.residue)

    @property
    def has_prose(self) -> bool:
        """A value found, with CJK text before or after it."""
        return self.kind in VALUE_KINDS and (has_cjk(self.prefix) or has_cjk(self.residue))

    def canonical(self) -> str:
        """The value alone, written canonically: ``不低于90%`` → ``≥90%``; dates and grades as matched."""
        if self.kind == "quantitative":
            return f"{self.lead}{self.sign or ''}{fmt(self.numbers[0])}{self.unit or ''}"
        if self.kind == "range":
            return f"{fmt(self.numbers[0])}~{fmt(self.numbers[1])}{self.unit or ''}"
        return self.matched


_ABSENT = Value("", "absent")  # what a missing cell parses to (a Value is immutable: one serves every cell)


def fmt(d: Decimal) -> str:
    """A Decimal as people write it: ``90.0`` → ``90``, ``0.950`` → ``0.95``."""
    try:
        q = d.normalize()
        return format(q.quantize(Decimal(1)) if q == q.to_integral_value() else q, "f")
    except (InvalidOperation, ValueError):
        return str(d)


def as_percent(v: Value) -> str | None:
    """The percent a fraction without ``%`` stands for: ``≥0.9`` → ``≥90%``.

    None when the value is not clearly a fraction: above 1, zero (0 is 0 in any unit), or ``≤1``
    (more likely 1% with the sign forgotten than "at most 100%").
    """
    if v.kind not in ("quantitative", "range") or v.unit is not None or not v.numbers:
        return None
    if not all(Decimal(0) < n <= Decimal(1) for n in v.numbers) or (v.numbers[-1] == 1 and v.sign in ("≤", "<")):
        return None
    pct = [fmt(n * 100) for n in v.numbers]
    return f"{v.sign or ''}{pct[0]}%" if v.kind == "quantitative" else f"{pct[0]}~{pct[1]}%"


def _by_first(words) -> dict[str, list[str]]:
    """Words indexed by their first character, longest first (the longest match wins)."""
    out: dict[str, list[str]] = {}
    for w in sorted({str(w) for w in words if w}, key=len, reverse=True):
        out.setdefault(w[0], []).append(w)
    return out


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True) if w)


class Grammar:
    """The value grammar compiled from one vocabulary; :meth:`parse` is memoised."""

    def __init__(self, words: Mapping[str, Any]):
        units = words["units"] if isinstance(words["units"], Mapping) else {"other": words["units"]}
        self.unit_kind = {u: k for k, us in units.items() for u in map(str, us)}
        self.units = _by_first(self.unit_kind)
        self.lookalikes = _by_first(words["unit_lookalikes"])
        self.denominators = sorted(map(str, words.get("unit_denominators") or ()), key=len, reverse=True)
        # a grade word fills the cell or is followed by punctuation: 好评如潮 is not 好
        self._grade = re.compile(f"(?:{_alt(map(str, words['grade_words']))})(?![0-9A-Za-z%‰\u4e00-\u9fff])")
        sign_of = {w: s for s, ws in words["sign_words"].items() for w in ws}
        self.sign_of = {**sign_of, **_SIGNS}
        self.suffix_of = {w: s for s, ws in words["suffix_signs"].items() for w in ws}
        self._sign = re.compile(f"(?:{_alt(self.sign_of)})")
        self._suffix = re.compile(f"(?:\\(含\\))?(?:{_alt(self.suffix_of)})(?:\\(含\\))?")
        self._lead = re.compile(f"(?:{_alt(map(str, words.get('lead_words') or ['增长']))})(?=(?:{_alt(self.sign_of)})?-?\\d)")
        self._per = re.compile(f"每({_alt(map(str, units.get('time') or ['月']))})(?=-?\\d)")
        self._start = re.compile(f"(?:{_alt(self.sign_of)})?-?\\d")
        self._date = re.compile(_date_pattern(words["period_words"], words["date_suffixes"]))
        self._cache: dict[str, Value] = {}

    def parse(self, text: Any) -> Value:
        """The value in a cell; never raises."""
        if type(text) is str:  # the common case first: a text parsed before
            hit = self._cache.get(text)
            if hit is not None:
                return hit
        elif _missing(text):
            return _ABSENT
        key = text if isinstance(text, str) else repr(text)
        hit = self._cache.get(key)
        if hit is None:
            try:
                s = normalize(text)
            except Exception:  # noqa: BLE001 - a value we cannot even read is prose
                s = ""
            try:
                hit = self._parse(s)
            except Exception:  # noqa: BLE001 - the grammar must never stop a run
                hit = Value(s, "none", residue=s)
            if len(self._cache) < 200_000:
                self._cache[key] = hit
        return hit

    def _parse(self, s: str) -> Value:
        if not _WORDY.search(s):
            return Value(s, "empty", residue=s)
        lead = _OPENING.match(s)
        p0 = lead.end() if lead else 0
        best = self._at(s, p0, grades=True)
        if best is None:
            for m in self._start.finditer(s, p0, min(len(s), _MAX_SCAN)):
                best = self._at(s, m.start(), grades=False)
                if best is not None:
                    break
        return best or Value(s, "none", residue=s)

    def _at(self, s: str, pos: int, grades: bool) -> Value | None:
        """The longest value starting at ``pos``: date, range, quantity or (at the start only) grade."""
        found = [v for v in (self._date_at(s, pos), self._quantity_at(s, pos)) if v is not None]
        if grades:
            found += [v for v in (self._grade_at(s, pos),) if v is not None]
        if not found:
            return None
        return max(found, key=lambda v: len(v.matched))  # ties: date first, as listed

    def _value(self, s: str, pos: int, end: int, kind: str, **kw) -> Value:
        return Value(s, kind, matched=s[pos:end], prefix=s[:pos], residue=s[end:], **kw)

    def _date_at(self, s: str, pos: int) -> Value | None:
        m = self._date.match(s, pos)
        if not m:
            return None
        years = tuple(int(y) for y in re.findall(r"(?<!\d)(?:19|20)\d{2}(?!\d)", m.group()))
        return self._value(s, pos, m.end(), "date", years=years)

    def _quantity_at(self, s: str, pos: int) -> Value | None:
        sign, lead, per, i = self._opening(s, pos)
        n1 = _NUMBER.match(s, i)
        if not n1:
            return None
        numbers, i = [n1.group()], n1.end()
        if s[i : i + 1] in ("余", "多") and self._unit_at(s, i + 1)[0]:  # 3000余人: more than 3000
            sign, i = sign or ">", i + 1
        unit, i = self._unit_at(s, i)
        if sign is None:
            numbers, unit, i = self._range_tail(s, i, numbers, unit)
        suffix = self._suffix.match(s, i)
        if suffix:
            sign, i = self.suffix_of[suffix.group().replace("(含)", "")], suffix.end()
        if per:
            unit = f"{unit or ''}/{per}"
        kind = "range" if len(numbers) == 2 else "quantitative"
        return self._value(s, pos, i, kind, sign=sign if kind == "quantitative" else None, lead=lead,
                           numbers=tuple(map(Decimal, numbers)), unit=unit, unit_kind=self._kind_of(unit))

    def _opening(self, s: str, i: int) -> tuple[str | None, str, str | None, int]:
        """What may stand before the number: a lead word, a sign, 每月 (全年不少于…, 增长≥…, 每月1次)."""
        sign, lead, per = None, "", None
        for rx in (self._lead, self._sign, self._lead, self._per):
            m = rx.match(s, i)
            if m and rx is self._sign and sign is None:
                sign, i = self.sign_of[m.group()], m.end()
            elif m and rx is self._lead and not lead:
                lead, i = m.group(), m.end()
            elif m and rx is self._per:
                per, i = m.group(1), m.end()
        return sign, lead, per, i

    def _range_tail(self, s: str, i: int, numbers: list[str], unit: str | None) -> tuple[list[str], str | None, int]:
        """``~95%`` after ``90``: the second number of a range, when the units agree."""
        sep = _RANGE_SEP.match(s, i)
        n2 = _NUMBER.match(s, sep.end()) if sep else None
        if not n2 or n2.group().startswith("-"):
            return numbers, unit, i
        unit2, j = self._unit_at(s, n2.end())
        if unit is not None and unit2 is not None and unit2 != unit:
            return numbers, unit, i
        return [*numbers, n2.group()], unit2 or unit, j

    def _unit_at(self, s: str, pos: int) -> tuple[str | None, int]:
        """The unit at ``pos`` (with magnitude 万/亿/千 and ``/人·月`` denominators), honouring look-alikes."""
        start, i = pos, pos
        if i < len(s) and s[i] in "万亿千":
            i += 1
        base = self._base_unit(s, i)
        if base is None:
            if i == pos:
                return None, pos
            base = ""  # a bare magnitude: 5万
        i += len(base)
        while i < len(s) and s[i] in "/每·":
            nxt = self._base_unit(s, i + 1) or next((d for d in self.denominators if s.startswith(d, i + 1)), None)
            if nxt is None:
                break
            i += 1 + len(nxt)
        return s[start:i], i

    def _base_unit(self, s: str, pos: int) -> str | None:
        for u in self.units.get(s[pos : pos + 1], ()):
            if s.startswith(u, pos) and not self._swallows(s, pos, pos + len(u)):
                return u
        return None

    def _swallows(self, s: str, start: int, end: int) -> bool:
        """Whether the unit s[start:end] is really the start of an ordinary word (年初, 村委会…)."""
        return any(
            s.startswith(w, p) and p + len(w) > end for p in range(start, end) for w in self.lookalikes.get(s[p], ())
        )

    def _kind_of(self, unit: str | None) -> str | None:
        if not unit:
            return None
        head = re.split(r"[/每·]", unit, maxsplit=1)[0]
        return self.unit_kind.get(head) or self.unit_kind.get(head[1:]) or ("magnitude" if head in ("万", "亿", "千") else None)

    def _grade_at(self, s: str, pos: int) -> Value | None:
        """A grade word filling the cell, or followed by punctuation (then the rest is residue)."""
        m = self._grade.match(s, pos)
        return self._value(s, pos, m.end(), "grade") if m else None


def _date_pattern(periods, suffixes) -> str:
    """Dates and periods: 2020年12月31日, 2020年底, 12月底, 2023.07, ranges of those, 年内; then 前/完成…"""
    y = r"(?:19|20)\d{2}"
    q = r"第?[一二三四1-4]季度(?:末|底)?"
    part = r"(?:\d{1,2}[日号]|底|末|初|上旬|中旬|下旬|份|中)"
    month = rf"(?:\d{{1,2}}月?[-~至到]\d{{1,2}}月{part}?|\d{{1,2}}月{part}?)"
    ymd = rf"{y}年(?:{month}|{q}|年底|年末|底|末|内|度|中|上半年|下半年)?"
    num = rf"{y}[./-](?:1[0-2]|0?[1-9])(?!\d)(?:[./-]\d{{1,2}}(?!\d))?"
    years = rf"{y}年?[-~至到]{y}年度?"
    one = rf"(?:{years}|{ymd}|{num}|{month}|{q}|{_alt(periods)})"
    return rf"{one}(?:(?:-|~|至|到){one})?(?:{_alt(suffixes)}){{0,4}}"


#: libyaml's safe loader when PyYAML has it (as the profiles are read): the same data, far faster.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@lru_cache(maxsize=1)
def shipped_words() -> dict[str, Any]:
    """The shipped ``vocab/words.yaml`` (the fallback for every key a profile leaves out)."""
    path = resources.files("targetlint.profiles") / "vocab" / "words.yaml"
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER) or {}  # noqa: S506 - a safe loader


def words(vocab: Mapping[str, Any] | None) -> dict[str, Any]:
    """The effective word lists: the profile's ``vocab["words"]`` over the shipped defaults."""
    mine = (vocab or {}).get("words") if isinstance(vocab, Mapping) else None
    return {**shipped_words(), **(mine if isinstance(mine, Mapping) else {})}


def _freeze(obj: Any) -> Any:
    if isinstance(obj, Mapping):
        return tuple(sorted((str(k), _freeze(v)) for k, v in obj.items()))
    if isinstance(obj, (list, tuple)):
        return tuple(_freeze(v) for v in obj)
    return obj


_GRAMMARS: dict[Any, Grammar] = {}
_BY_WORDS: dict[int, tuple[Any, Grammar]] = {}


def grammar(vocab: Mapping[str, Any] | None = None) -> Grammar:
    """The (cached) grammar for a profile vocabulary (``params.vocab``).

    Looked up first by the identity of the vocabulary's ``words`` (every rule
    of a run asks with the same profile), then by its frozen content.
    """
    mine = (vocab or {}).get("words") if isinstance(vocab, Mapping) else None
    hit = _BY_WORDS.get(id(mine))
    if hit is not None and hit[0] is mine:
        return hit[1]
    w = words(vocab)
    key = _freeze({k: w.get(k) for k in _GRAMMAR_KEYS})
    if key not in _GRAMMARS:
        _GRAMMARS[key] = Grammar(w)
    _BY_WORDS[id(mine)] = (mine, _GRAMMARS[key])  # holds ``mine``: its id is not reused
    return _GRAMMARS[key]


_GRAMMAR_KEYS = ("units", "unit_denominators", "unit_lookalikes", "lead_words", "grade_words", "sign_words", "suffix_signs", "period_words", "date_suffixes")


def parse(text: Any, vocab: Mapping[str, Any] | None = None) -> Value:
    """Parse one value cell with the profile's vocabulary."""
    return grammar(vocab).parse(text)


def parse_series(series: pd.Series, vocab: Mapping[str, Any] | None = None) -> pd.Series:
    """Parse a column of value cells (each distinct text once); same index, object dtype."""
    g = grammar(vocab)
    return map_distinct(series.astype(object), g.parse).astype(object).rename(None)


def map_parsed(series: pd.Series, fn, vocab: Mapping[str, Any] | None = None) -> pd.Series:
    """``parse_series(series, vocab).map(fn)``, parsing and judging each distinct cell text once."""
    g = grammar(vocab)
    return map_distinct(series.astype(object), lambda text: fn(g.parse(text))).rename(None)


# --- what an indicator measures (shared by the rules that judge a value against its indicator) ---

_SENTENCE_PUNCT = re.compile(r"[,，。;；]")
_COUNTED = re.compile(r"(数|次|件|量|起|率)$")  # names of counts and other rates: 投诉件数, 投诉率


_NAME_TAIL = re.compile(r"(\([^()]*\)|\[[^\[\]]*\]|指标|[。.;；,，:：])+$")


def name_core(level3: Any) -> str:
    """An indicator name without a trailing unit in brackets, "指标" or punctuation: ``合格率（%）`` → ``合格率``."""
    return _name_core(normalize(level3))


@lru_cache(maxsize=_CACHED)
def _name_core(text: str) -> str:
    return _NAME_TAIL.sub("", text)


def short_name(level3: Any, max_length: int = 20) -> str:
    """The name core of a 三级 that reads as a name; ``""`` for a sentence (long, or with ``，。；``)."""
    return _short_name(name_core(level3), max_length)


@lru_cache(maxsize=_CACHED)
def _short_name(core: str, max_length: int) -> str:
    return "" if len(core) > max_length or _SENTENCE_PUNCT.search(core) else core


def _names(ind: pd.DataFrame) -> pd.Series:
    return map_distinct(ind["level3"], short_name) if "level3" in ind else pd.Series("", index=ind.index)


def _filed_under(ind: pd.DataFrame, marks: tuple[str, ...]) -> pd.Series:
    out = pd.Series(False, index=ind.index)
    for col in ("level1", "level2"):
        if col in ind:
            out |= map_distinct(ind[col], lambda t: any(m in normalize(t) for m in marks)).astype(bool)
    return out


def satisfaction_mask(ind: pd.DataFrame, vocab: Mapping[str, Any] | None = None) -> pd.Series:
    """Satisfaction indicators: a name mentioning 满意, or filed under 满意度指标 and not named as a count or another rate.

    A sentence-like 三级 of an output indicator that merely contains 满意 is not one.
    """
    marks = tuple(words(vocab)["satisfaction_words"])
    return on_frame(ind, ("satisfaction_mask", marks), lambda: _satisfaction(ind, marks))


def _satisfaction(ind: pd.DataFrame, marks: tuple[str, ...]) -> pd.Series:
    names = _names(ind)
    named = map_distinct(names, lambda n: any(m in n for m in marks)).astype(bool)
    counted = map_distinct(names, lambda n: bool(_COUNTED.search(n))).astype(bool)
    return named | (_filed_under(ind, marks) & ~counted)


def rate_mask(ind: pd.DataFrame, vocab: Mapping[str, Any] | None = None) -> pd.Series:
    """Indicators whose value is a percentage: named ``…率/满意度/占比…``, or satisfaction indicators."""
    suffixes = tuple(words(vocab)["rate_suffixes"])
    key = ("rate_mask", suffixes, tuple(words(vocab)["satisfaction_words"]))
    return on_frame(ind, key, lambda: _rates(ind, suffixes, vocab))


def _rates(ind: pd.DataFrame, suffixes: tuple[str, ...], vocab: Mapping[str, Any] | None) -> pd.Series:
    named = map_distinct(_names(ind), lambda n: bool(n) and n.endswith(suffixes)).astype(bool)
    return named | satisfaction_mask(ind, vocab)
