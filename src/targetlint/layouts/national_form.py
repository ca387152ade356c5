"""Layout L2, the national project form (项目支出绩效目标申报表): Grid → Submission.

One form per project, stacked down a sheet or one per sheet (财预〔2015〕88号
附件 and the provincial forms drawn after it)::

    项目支出绩效目标申报表 （2021年度）
    项目名称 | …
    主管部门及代码 | … | 实施单位 | …
    项目资金（万元） | 年度资金总额： | 100 | 其中：财政拨款 | 80 | 其他资金 | 20
    总体目标 | 中长期目标 | 年度目标
             | …          | …
    绩效指标 | 一级指标 | 二级指标 | 三级指标 | 指标值 [| 指标性质 | 度量单位 | 指标方向 | 权重]

Every field is found by its label.  The form has no 项目编码 (the project is
known by its name), no spending plan and no description or basis columns:
those fields are absent (``None``), so the rules that need them skip the
project instead of reporting it empty.  A province's extra columns are read
when present.

Decisions: ``goal`` is the annual target (年度目标), the one the year's review
scores; the mid-term target (中长期目标/中期目标) has no canonical field and is
not carried.  ``unit`` is the implementing unit (实施单位), else the
supervising department (主管部门及代码).  Where the 88号 form sets a mid-term
column beside the annual one (中期资金总额 | 年度资金总额, and a second
二级/三级/指标值 half), the annual one is read.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

from targetlint.formats.grid import Grid
from targetlint.layouts import labels as L
from targetlint.layouts._blocks import Block, blocks_at, checked_sheets, header_between
from targetlint.layouts._sheet import Sheet, Value, sheets as sheets_of
from targetlint.layouts.hebei_form import _budget_year, _Draft, _fill_down, _settle
from targetlint.submission import Submission

NAME = "national-form"

#: What detection looks for: signature id → the label shown in messages.
SIGNATURE: dict[str, str] = {
    "title": "项目支出绩效目标申报表",
    "project_name": "项目名称",
    "supervisor": "主管部门及代码",
    "implementer": "实施单位",
    "funds": "项目资金",
    "annual_total": "年度资金总额",
    "fiscal": "财政拨款",
    "goal_group": "总体目标",
    "goal_long": "中长期目标",
    "goal_annual": "年度目标",
    "indicators": "绩效指标",
    "level1": "一级指标",
    "level2": "二级指标",
    "level3": "三级指标",
    "value": "指标值",
}
#: Signature ids recognised by their exact (normalised) label rather than by field.
_BY_LABEL: dict[str, frozenset[str]] = {
    "supervisor": frozenset({"主管部门及代码", "主管部门"}),
    "implementer": frozenset({"实施单位", "项目实施单位"}),
    "funds": frozenset({"项目资金"}),
    "annual_total": frozenset({"年度资金总额"}),
    "fiscal": frozenset({"财政拨款"}),
    "goal_group": frozenset({"总体目标"}),
    "goal_annual": frozenset({"年度目标", "年度绩效目标"}),
}
#: Fields of the Hebei form (L1) that the national form has no label for.
_FOREIGN = frozenset({"project_code", "plan", "plan_mar", "plan_jun", "plan_oct", "plan_dec", "description", "basis"})
_TITLE = re.compile(r"申报表|绩效目标表")
#: ``（2021年度）``, and the blank ``（    年度）`` of a form not filled in yet.
_YEAR_LINE = re.compile(r"^[(（]?\s*(?:20\d{2})?\s*年度?\s*[)）]?$")
#: Budget labels by preference: the annual total before a bare 项目资金 heading.
_TOTAL_RANK = {"年度资金总额": 0, "项目资金": 2}
_BUDGET_PARTS = ("budget_fiscal", "budget_other")
_COLON = re.compile(r"[:：]")
_INDICATOR_COLUMNS = frozenset(L.INDICATOR_COLUMNS)


def parse(grid: Grid) -> Submission:
    """Read every form of ``grid``, hidden sheets too (only a template's hidden helper sheets are skipped)."""
    drafts: list[_Draft] = []
    preamble: list[str] = []
    for sheet in checked_sheets(grid):
        for block in _find_blocks(sheet):
            preamble += [t for r in range(block.start, block.key) for _, t in sheet.cells(r)]
            drafts.append(_read_block(sheet, block))
    _settle(drafts)
    records = [d.record() for d in drafts]
    units = list(dict.fromkeys(r["unit"] for r in records if r.get("unit")))
    year = _budget_year(drafts, [], preamble)
    return Submission.from_records(grid.path, NAME, records, [], units=units, year=year)


# --- blocks ------------------------------------------------------------------


def _find_blocks(sheet: Sheet) -> list[Block]:
    """One block per 项目名称 row that follows the previous block's indicator header (worked out once per sheet)."""
    return sheet.memo("national-blocks", _blocks_of)


def _blocks_of(sheet: Sheet) -> list[Block]:
    headers = sheet.header_rows()
    keys: list[int] = []
    for r in sheet.label_rows():
        if "project_name" in sheet.field_set(r) and (not keys or header_between(headers, keys[-1], r) is not None):
            keys.append(r)
    return blocks_at(sheet, keys, _head_start)


def _head_start(sheet: Sheet, key: int, lower: int) -> tuple[int, int | None]:
    """Walk up from the 项目名称 row over blank rows and the title, year, unit and money-note lines."""
    start, title = key, None
    for r in range(key - 1, lower - 1, -1):
        cells = sheet.cells(r, own=False)
        if not cells:
            continue
        if sheet.is_footer_row(r) or not all(_is_head_line(t) for _, t in cells):
            break
        start = r
        if any(_TITLE.search(t) for _, t in cells):
            title = r
    return start, title


def _is_head_line(text: str) -> bool:
    """A text above the form proper: its title, a year line, a money note, a unit line."""
    if len(text) > 80:
        return False
    inline = L.inline_value(text)
    return bool(
        _TITLE.search(text) or _YEAR_LINE.match(text.strip()) or L.money_unit(text) or L.is_unit_line(text)
        or (inline and inline[0] == "unit")
    )


# --- one form ------------------------------------------------------------------


def _read_block(sheet: Sheet, block: Block) -> _Draft:
    draft = _Draft(where=sheet.loc(block.start, (sheet.cells(block.start) or [(0, "")])[0][0]))
    if block.title is not None:
        c, text = next((c, t) for c, t in sheet.cells(block.title, own=False) if _TITLE.search(t))
        draft.put("title", Value(text, sheet.loc(block.title, c)))
    units: list[tuple[int, Value]] = []
    budget: dict[str, list[tuple[int, int, Value | None]]] = {"budget_total": [], **{f: [] for f in _BUDGET_PARTS}}
    annual_at: tuple[int, int] | None = None
    for r in range(block.start, block.head_end):
        for c, text in sheet.cells(r):
            if unit := L.money_unit(text):
                draft.put("money_unit", Value(unit, sheet.loc(r, c)))
        for c, name in sheet.fields(r).items():
            text = sheet.text(r, c)
            value = _value_of(sheet, r, c)
            if name == "unit":
                units.append((L.unit_rank(_label_part(text)), value or Value("", sheet.loc(r, c))))
            elif name in ("project_name", "project_code", "purpose"):
                draft.put(name, value or Value("", sheet.loc(r, c)))
            elif name in budget:
                if bracket := L.bracket_money_unit(text):
                    draft.money_hint = draft.money_hint or Value(bracket, sheet.loc(r, c))
                if name == "budget_total" and _label_part(text) == "年度资金总额":
                    annual_at = (r, c)
                budget[name].append((r, c, value))
    if units:
        draft.put("unit", min(units, key=lambda u: (not u[1].text, u[0]))[1])  # a filled-in unit first
    _read_budget(draft, budget, annual_at, sheet)
    _read_goal(sheet, block, draft)
    draft.indicators = _read_indicators(sheet, block)
    return draft


@L.memo_short
def _label_part(text: str) -> str:
    """A cell's normalised label, also when its value follows a colon (``年度资金总额：100``).

    Memoised: it is asked of label cells only, and labels repeat.
    """
    for m in _COLON.finditer(text):
        head = L.normalize(text[: m.start()])
        if head and text[m.end():].strip() and L.label_field(head):
            return head
    return L.normalize(text)


def _value_of(sheet: Sheet, r: int, c: int) -> Value | None:
    inline = L.inline_value(sheet.text(r, c))
    return Value(inline[1], sheet.loc(r, c)) if inline else sheet.value_right(r, c)


def _read_budget(draft: _Draft, budget: dict[str, list], annual_at: tuple[int, int] | None, sheet: Sheet) -> None:
    """预算数: the annual total; 财政拨款/其他资金 paired with it (beside a mid-term column or not)."""
    totals = [(r, c, v) for r, c, v in budget["budget_total"] if v is not None]
    if totals:
        r, c, v = min(totals, key=lambda t: _TOTAL_RANK.get(_label_part(sheet.text(t[0], t[1])), 1))
        draft.put("budget_total", v)
    for name in _BUDGET_PARTS:
        found = [(r, c, v) for r, c, v in budget[name] if v is not None]
        if not found:
            continue
        if annual_at is not None and len(found) > 1:
            ar, ac = annual_at
            found.sort(key=lambda t: (0 if t[1] == ac and t[0] > ar else 1 if t[0] == ar and t[1] > ac else 2,
                                      abs(t[0] - ar) + abs(t[1] - ac)))
        draft.put(name, found[0][2])


def _read_goal(sheet: Sheet, block: Block, draft: _Draft) -> None:
    """年度目标 right of its label, or under it when 中长期目标 and 年度目标 head two columns."""
    annual, group = [], []
    for r in range(block.key, block.head_end):
        for c, name in sheet.fields(r).items():
            if name == "goal":
                (group if _label_part(sheet.text(r, c)) == "总体目标" else annual).append((r, c))
    for r, c in annual or group:
        goals_in_row = sum(n in ("goal", "goal_long") for n in sheet.fields(r).values())
        value = _value_of(sheet, r, c)
        if goals_in_row >= 2 or value is None or not value.text:
            below = _below(sheet, r, c, block.head_end)
            if below is not None and (below.text or value is None or goals_in_row >= 2):
                value = below
        draft.put("goal", value or Value("", sheet.loc(r, c)))


def _below(sheet: Sheet, r: int, c: int, limit: int) -> Value | None:
    """The cell under a label (its own cell, not the label merged down); None if it is a label."""
    below = r + 1
    if below >= limit or sheet.table.anchor(below, c)[0] != below:
        return None
    text = sheet.text(below, c)
    return None if L.is_label(text) else Value(text, sheet.loc(below, c))


def _read_indicators(sheet: Sheet, block: Block) -> list[dict[str, Any]]:
    """Rows under the indicator header; a repeated column (the 88号 annual half) wins over the first."""
    if block.header is None:
        return []
    columns = {name: c for c, name in sorted(sheet.fields(block.header).items()) if name in L.INDICATOR_COLUMNS}
    rows: list[dict[str, Value]] = []
    for r in range(block.header + 1, block.end):
        if sheet.is_footer_row(r) or (sheet.text_like and r in sheet.table.paragraph):
            break  # a signature line, or Word's paragraph after the table
        own = [c for c in columns.values() if sheet.text(r, c) and sheet.table.anchor(r, c)[0] == r]
        if not own or sheet.is_header_row(r) or _one_cell_across(sheet, r, own):
            continue
        row = {name: Value(sheet.text(r, c), sheet.loc(r, c)) for name, c in columns.items()}
        _fill_down(row, rows[-1] if rows else None)
        rows.append(row)
    return [{k: v for name, val in row.items() for k, v in ((name, val.text), (f"{name}_loc", val.loc))}
            for row in rows]


def _one_cell_across(sheet: Sheet, r: int, cols: list[int]) -> bool:
    """The row's texts are one cell merged across the columns (a note or a title), not an indicator."""
    return len(cols) > 1 and len({sheet.table.anchor(r, c) for c in cols}) == 1


# --- detection -------------------------------------------------------------------


def found_labels(grid: Grid) -> set[str]:
    """Signature ids whose label occurs in the grid."""
    return _found(sheets_of(grid))


_BY_FIELD = frozenset(SIGNATURE) - frozenset(_BY_LABEL) - {"title"}
#: Normalised label → the signature ids it stands for (inverse of :data:`_BY_LABEL`).
_IDS_OF_LABEL: dict[str, frozenset[str]] = {
    label: frozenset(k for k, shown in _BY_LABEL.items() if label in shown)
    for label in frozenset().union(*_BY_LABEL.values())
}


def _found(sheets: list[Sheet]) -> set[str]:
    found: set[str] = set()
    for sheet in sheets:
        found |= sheet.memo("national-found", _found_in)
    return found


def _found_in(sheet: Sheet) -> frozenset[str]:
    found: set[str] = set()
    for r in sheet.label_rows(2000):
        found |= sheet.field_set(r) & _BY_FIELD
        for c in sheet.fields(r):
            found |= _IDS_OF_LABEL.get(_label_part(sheet.text(r, c)), frozenset())
    head = sheet.rows[:2000]
    if "申报表" in "".join(itertools.chain.from_iterable(head)):  # one cheap test before the cell by cell one
        if any("申报表" in t and len(t) <= 60 for row in head for t in row):
            found.add("title")
    return frozenset(found)


def score(grid: Grid) -> float:
    """How well ``grid`` fits this layout, 0…1.

    The share of signature labels present, discounted when no 项目名称 row
    is followed by an indicator header, when a project label shares a row
    with indicator column labels (a flat export's header, layout L3), and
    when labels only the Hebei form has (项目编码, 资金支出计划,
    绩效指标描述, 指标值确定依据 …) are there.
    """
    sheets = sheets_of(grid)
    result = len(_found(sheets)) / len(SIGNATURE)
    if not any(b.header is not None for s in sheets for b in _find_blocks(s)):
        result *= 0.3
    rows = [s.field_set(r) for s in sheets for r in s.label_rows(2000)]
    if any("project_name" in f and len(f & _INDICATOR_COLUMNS) >= 2 for f in rows):
        result *= 0.5
    if len(frozenset().union(*rows) & _FOREIGN) >= 2:
        result *= 0.5
    return result
