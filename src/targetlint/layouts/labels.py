"""Form labels (anchor texts) and how to recognise them, whatever the spelling.

Clerks and provinces spell labels a little differently: ``项目名称：``,
``项 目 名 称``, ``预算数（万元）``, ``其中:财政资金``.  :func:`normalize`
removes those differences (spec ``layouts.md``, "Label variants") and
:data:`LABELS` maps each canonical field to the label texts seen for it.  The
module also recognises the other anchor lines of a form: the money-unit note
(``单位：万元``), the unit line (``914003开元镇政府办公室``) and the headings of
the department-wide part (``一、总体绩效目标``).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from typing import TypeVar

#: Canonical field ← label texts seen for it (matched after :func:`normalize`).
#: Pseudo-fields ``plan`` and ``indicators`` are group labels: they hold no
#: value themselves but must never be mistaken for one.
LABELS: dict[str, tuple[str, ...]] = {
    "project_code": ("项目编码", "项目代码", "项目编号"),
    "project_name": ("项目名称",),
    "unit": (
        "单位名称", "实施单位", "主管部门及代码", "预算单位", "填报单位", "编制单位",
        "预算单位名称", "项目单位", "项目实施单位", "主管部门", "主管部门名称",
    ),
    "unit_code": ("单位编码", "单位代码", "预算单位编码", "预算单位代码", "单位编号"),
    "budget_total": ("预算数", "年度资金总额", "资金总额", "预算金额", "项目资金"),
    "budget_fiscal": ("其中：财政资金", "财政资金", "财政拨款", "其中：财政拨款", "一般公共预算"),
    "budget_other": ("其他资金", "其他来源资金", "其中：其他资金"),
    # A flat export's money-unit column (a form states it in a note: 单位：万元).
    "money_unit": ("金额单位", "资金单位"),
    # The national form's mid-term column (中期资金总额 beside 年度资金总额): a label, never a value.
    "budget_long": ("中期资金总额", "实施期资金总额", "中期资金"),
    "purpose": ("预算规模及资金用途", "资金用途", "项目概况"),
    "plan": ("资金支出计划", "支出计划"),
    "plan_mar": ("3月底",),
    "plan_jun": ("6月底",),
    "plan_oct": ("10月底", "9月底"),
    "plan_dec": ("12月底",),
    "goal": ("绩效目标", "年度目标", "年度绩效目标", "总体目标"),
    "goal_long": ("中长期目标", "实施期目标", "中期目标", "中长期绩效目标", "实施期绩效目标"),
    "indicators": ("绩效指标",),
    "level1": ("一级指标", "一级指标名称"),
    "level2": ("二级指标", "二级指标名称"),
    "level3": ("三级指标", "三级指标名称", "指标名称"),
    "description": ("绩效指标描述", "指标描述", "指标解释"),
    "value": ("指标值", "目标值", "年度指标值"),
    "value_long": ("中期指标值", "实施期指标值", "中长期指标值"),
    "basis": ("指标值确定依据", "指标值设定依据", "确定依据"),
    "value_type": ("指标性质", "指标值类型"),
    "measure_unit": ("度量单位", "计量单位"),
    "direction": ("指标方向",),
    "weight": ("权重", "分值"),
    # Head labels of the national form that carry nothing the rules read; known so
    # that they are never taken for the value of the label before them.
    "project_kind": ("项目属性", "项目类型", "项目类别"),
    "project_period": ("项目期", "项目周期", "实施期限", "项目实施期"),
    "budget_year": ("预算年度", "年度"),
}

#: Which label names the budget unit best when a form has several (a lower rank
#: wins): the implementing unit before the unit that files the form, before the
#: supervising department (主管部门), whose code and name serve when nothing else does.
UNIT_RANK: dict[str, int] = {
    "实施单位": 0, "项目实施单位": 0, "单位名称": 0, "预算单位": 0, "预算单位名称": 0, "项目单位": 0,
    "填报单位": 1, "编制单位": 1,
    "主管部门及代码": 2, "主管部门": 2, "主管部门名称": 2,
}

#: Fields that head the columns of the indicator table.
INDICATOR_COLUMNS: tuple[str, ...] = (
    "level1", "level2", "level3", "description", "value", "basis",
    "value_type", "measure_unit", "direction", "weight",
)
#: Month-end labels of the spending plan, in order.
PLAN_COLUMNS: tuple[str, ...] = ("plan_mar", "plan_jun", "plan_oct", "plan_dec")

_TRAILING_BRACKETS = re.compile(r"(?:[(\[【〔][^()\[\]【】〔〕]*[)\]】〕])+$")
_LEADING_MARKS = re.compile(r"^[*★☆※]+")
_SPACES = re.compile(r"\s+")
_OF_WHICH = re.compile(r"^其中:?")
_COLON = re.compile(r"[:：]")
#: Longest label text :func:`label_field` considers.
_LABEL_CHARS = 40
#: Texts up to this length are memoised (see :func:`memo_short`), this many of them.
_MEMO_CHARS = 80
_MEMO_ENTRIES = 1 << 13

_T = TypeVar("_T")


def memo_short(fn: Callable[[str], _T]) -> Callable[[str], _T]:
    """Memoise a pure function of one cell text, for short texts only.

    The same labels and short values recur in every block of every file,
    so detection and parsing ask about the same few thousand texts again and
    again.  Long texts (sentences) rarely repeat; they are computed each time
    so that the cache, bounded in entries, also stays small in memory.
    """
    cached = functools.lru_cache(maxsize=_MEMO_ENTRIES)(fn)

    @functools.wraps(fn)
    def memo(text: str) -> _T:
        return cached(text) if len(text) <= _MEMO_CHARS else fn(text)

    memo.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
    return memo


@memo_short
def normalize(text: str) -> str:
    """A label's comparable form.

    NFKC (full-width ``：（％`` → ``:(%``), every space removed (full-width
    too, and the alignment spaces in ``项 目 名 称``), a leading required-mark
    ``*`` dropped, trailing colons and trailing bracketed units
    (``（万元）``, ``(%)``, ``(9月底)``) dropped, and a leading ``其中:``.
    """
    s = unicodedata.normalize("NFKC", text)
    s = _SPACES.sub("", s)
    s = _LEADING_MARKS.sub("", s).rstrip(":")
    s = _TRAILING_BRACKETS.sub("", s).rstrip(":")
    return _OF_WHICH.sub("", s)


_LOOKUP: dict[str, str] = {normalize(v): f for f, vs in LABELS.items() for v in vs}


@memo_short
def label_field(text: str) -> str | None:
    """The canonical field a cell text labels, or None if it is no label."""
    if not text or len(text) > _LABEL_CHARS:
        return None
    return _LOOKUP.get(normalize(text))


def unit_rank(text: str) -> int:
    """How well a unit label names the budget unit (:data:`UNIT_RANK`; lower is better)."""
    return UNIT_RANK.get(normalize(text), 1)


def is_label(text: str) -> bool:
    return label_field(text) is not None


@memo_short
def inline_value(text: str) -> tuple[str, str] | None:
    """``项目名称：党组织活动经费`` in one cell → (``project_name``, value).

    Tries each colon, so ``其中：财政资金：38.34`` splits after 财政资金.
    None when no prefix before a colon is a label or nothing follows it.
    Only colons within a label's length of the start can end a label, so a
    long sentence is not split at each of its colons.
    """
    for m in _COLON.finditer(text, 0, _LABEL_CHARS + 1):
        field = label_field(text[: m.start()])
        if field:
            rest = text[m.end():].strip()
            if rest and not is_label(rest):
                return field, rest
    return None


@memo_short
def cell_field(text: str) -> str | None:
    """The field a cell names: as a whole label (``项目名称``) or before its inline value (``项目名称：…``)."""
    hit = label_field(text)
    if hit:
        return hit
    inline = inline_value(text)
    return inline[0] if inline else None


def _may_be_label(text: str) -> bool:
    """Cheap test before :func:`cell_field`: a label is short or has a colon where a label can end."""
    return 0 < len(text) <= _LABEL_CHARS or ":" in text[: _LABEL_CHARS + 1] or "：" in text[: _LABEL_CHARS + 1]


#: Raw (unstripped) short cell text → its :func:`cell_field`, ``""`` for none.
_RAW_FIELDS: dict[str, str] = {}


def row_fields(row: list[str]) -> list[tuple[int, str]]:
    """(column, field) of each cell of ``row`` whose stripped text :func:`cell_field` names.

    Detection asks this of every row of every sheet, and most cells are
    blank or values seen before, so the raw texts are looked up in one dict
    (bounded: cleared when full) before anything is stripped or parsed.
    """
    memo = _RAW_FIELDS
    found = [memo.get(raw) for raw in row]
    if None in found:
        for c, raw in enumerate(row):
            if found[c] is None:
                text = raw.strip()
                found[c] = field = (cell_field(text) or "") if _may_be_label(text) else ""
                if len(raw) <= _MEMO_CHARS:
                    if len(memo) >= _MEMO_ENTRIES:
                        memo.clear()
                    memo[raw] = field
    return [(c, f) for c, f in enumerate(found) if f]


_MONEY_UNIT = re.compile(r"单位:?(亿元|万元|千元|元)")
_BRACKET_MONEY = re.compile(r"[(\[【](亿元|万元|千元|元)[)\]】]")


@memo_short
def money_unit(text: str) -> str | None:
    """``单位：万元`` (anywhere in the text) → ``万元``; None otherwise."""
    m = _MONEY_UNIT.search(_SPACES.sub("", unicodedata.normalize("NFKC", text)))
    return m.group(1) if m else None


@memo_short
def bracket_money_unit(text: str) -> str | None:
    """The money unit a label carries in brackets: ``预算数（元）`` → ``元``."""
    m = _BRACKET_MONEY.search(unicodedata.normalize("NFKC", text))
    return m.group(1) if m else None


_MONEY_NOTE = re.compile(r"[(（]?\s*(?:金额)?单位\s*[:：]\s*(?:亿元|万元|千元|元)\s*[)）]?")


def strip_money_unit(text: str) -> str:
    """A unit line with its ``单位：万元`` note removed."""
    return _MONEY_NOTE.sub("", text).strip()


#: A unit line: an organisation code of three or more digits glued to the
#: name (``914003开元镇政府办公室``); not a date such as ``2021年…``.
_UNIT_LINE = re.compile(r"^\d{3,}\s*(?![年月日号届期])[\u4e00-\u9fff]")


@memo_short
def is_unit_line(text: str) -> bool:
    text = text.strip()
    return bool(_UNIT_LINE.match(text)) and len(text) <= 60 and "。" not in text


_TITLE_HINT = re.compile(r"绩效目标|目标表|申报表|项目|表$")


def looks_like_title(text: str) -> bool:
    """Wording of a form title (``…绩效目标表``, ``…申报表``) rather than a unit name."""
    return bool(_TITLE_HINT.search(clean_residue(text)))


# --- Word residue and headings of the department-wide part -----------------

_RESIDUE = (
    re.compile(r"(?:^|\s+)TC\s+.*?\\f\s*\w(?:\s*\\l\s*\d+)?"),  # TOC-entry field
    re.compile(r"\s*PAGEREF\s+_?Toc\d+(?:\s*\\h)?"),
    re.compile(r"\s*\\\*\s*MERGEFORMAT"),
    re.compile(r"错误[!！]\s*未(?:定义|找到)(?:书签|引用源)[。.]?"),
)
_CN = "一二三四五六七八九十百零〇"
_PART = re.compile(rf"^第[{_CN}\d]+部分")
_NUMBERING = re.compile(rf"^(?:[{_CN}]+\s*[、.．]|[（(][{_CN}\d]+[）)]|\d+\s*[、.．](?!\d))\s*")

#: Headings that structure the document rather than name a section's content.
STRUCTURAL = ("部门整体绩效目标", "部门整体支出绩效目标", "预算项目绩效目标", "项目绩效目标", "项目支出绩效目标")
#: Section headings of the department-wide part.
DEPARTMENT_SECTIONS = (
    "总体绩效目标", "分项绩效目标", "工作保障措施", "保障措施", "年度绩效目标", "年度总体目标",
    "中长期绩效目标", "整体绩效目标", "部门职责", "部门职能", "部门主要职能", "部门概况", "部门基本情况",
    "年度主要工作任务", "年度工作任务", "主要工作任务", "年度绩效指标", "部门整体绩效指标",
)


_SENTENCE = re.compile(r"[，,。；;：:！!？?]")


def clean_residue(text: str) -> str:
    """The text without Word field-code residue (``TC … \\f A \\l 1``)."""
    for pattern in _RESIDUE:
        text = pattern.sub("", text)
    return text.strip()


def strip_numbering(text: str) -> str:
    """``一、总体绩效目标`` → ``总体绩效目标``; ``（二）…`` and ``1、…`` too."""
    return _NUMBERING.sub("", text.strip()).strip()


@memo_short
def heading_name(text: str) -> str | None:
    """The section name if the paragraph is a heading of the department part.

    A heading is ``第一部分``-like, a known section or structural name (with
    or without numbering), a Word TOC entry (field-code residue), or a short
    numbered line without sentence punctuation.
    """
    raw = text.strip()
    clean = clean_residue(raw)
    name = strip_numbering(clean)
    if not clean or _PART.match(clean):
        return clean or None
    # A TC field marks a table-of-contents entry: Word puts them on headings.
    if normalize(name) in STRUCTURAL + DEPARTMENT_SECTIONS or (_RESIDUE[0].search(raw) and len(clean) <= 40):
        return name
    sentence = _SENTENCE.search(clean)
    if len(clean) <= 20 and not sentence and _NUMBERING.match(clean) and not clean[0].isdigit():
        return name
    return None


@memo_short
def is_department_heading(text: str) -> bool:
    """A heading that belongs to the department part, never a project title."""
    clean = clean_residue(text)
    return bool(_PART.match(clean)) or normalize(strip_numbering(clean)) in STRUCTURAL + DEPARTMENT_SECTIONS


_YEAR = re.compile(r"(20\d{2})\s*年")


def years(text: str) -> list[int]:
    """Every ``20xx年`` in the text, as ints (``2021年度`` → 2021)."""
    return [int(y) for y in _YEAR.findall(text)]
