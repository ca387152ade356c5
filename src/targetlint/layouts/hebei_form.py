"""Layout L1, the Hebei project form (the seed's layout): Grid → Submission.

One block per project (see ``layouts.md``), stacked down a sheet or one per
sheet, in a workbook, a Word document or Word's text export.  Every field is
found from its label (:mod:`targetlint.layouts.labels`); the block structure
comes from :mod:`targetlint.layouts._blocks`.  The department-wide part
(第一部分: 总体绩效目标, 分项绩效目标, 工作保障措施) is read from above the first
block, from a sheet of its own, or from the text's paragraphs.

A field the form has but the unit left blank is ``""`` located at the cell
where it should be written; a field no block of the file carries is absent
(``None``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from targetlint.formats.grid import Grid
from targetlint.layouts import labels as L
from targetlint.layouts._blocks import Block, checked_sheets, department_rows, find_blocks, found_fields
from targetlint.layouts._sheet import Sheet, Value, sheets as sheets_of
from targetlint.submission import PROJECT_FIELDS, Submission

NAME = "hebei-form"

#: What detection looks for: canonical field → the label shown in messages.
SIGNATURE: dict[str, str] = {
    "project_code": "项目编码",
    "project_name": "项目名称",
    "purpose": "预算规模及资金用途",
    "budget_total": "预算数",
    "budget_fiscal": "财政资金",
    "plan": "资金支出计划",
    "plan_mar": "3月底",
    "goal": "绩效目标",
    "level1": "一级指标",
    "level2": "二级指标",
    "level3": "三级指标",
    "description": "绩效指标描述",
    "value": "指标值",
    "basis": "指标值确定依据",
}

_SIGNED = frozenset(SIGNATURE)  # the signature fields, as a set to intersect with a row's fields
#: Head fields read from the cell right of their label.
_HEAD_FIELDS = frozenset(
    {"project_code", "project_name", "unit", "budget_total", "budget_fiscal", "budget_other", "purpose", "goal"}
)
_BUDGET_FIELDS = ("budget_total", "budget_fiscal", "budget_other")
DEFAULT_MONEY_UNIT = "万元"


@dataclass
class _Draft:
    """One project while it is read: field → Value, plus where the block starts."""

    where: str
    values: dict[str, Value] = field(default_factory=dict)
    money_hint: Value | None = None
    indicators: list[dict[str, Any]] = field(default_factory=list)

    def put(self, name: str, value: Value) -> None:
        """Keep the first occurrence of a label, unless it was empty and this one is not."""
        old = self.values.get(name)
        if old is None or (not old.text and value.text):
            self.values[name] = value

    def record(self) -> dict[str, Any]:
        return {**_flatten(self.values), "indicators": self.indicators}


def _flatten(values: dict[str, Value]) -> dict[str, str]:
    """``{name: Value}`` → the record shape ``{name: text, name_loc: loc}``."""
    out: dict[str, str] = {}
    for name, value in values.items():
        out[name], out[f"{name}_loc"] = value.text, value.loc
    return out


def parse(grid: Grid) -> Submission:
    """Read every block and the department part of ``grid``."""
    drafts: list[_Draft] = []
    department: list[dict[str, Any]] = []
    preamble: list[str] = []  # sheet titles above the blocks that are no department part
    section = [""]  # the current department heading, carried across sheets
    for sheet in checked_sheets(grid):  # hidden sheets too, a template's helper sheets aside
        blocks = find_blocks(sheet)
        top = blocks[0].start if blocks else len(sheet)
        rows = department_rows(sheet, top, section)
        department += rows
        if not rows and blocks:
            preamble += [t for r in range(top) for _, t in sheet.cells(r)]
        drafts += [_read_block(sheet, b) for b in blocks]
    _settle(drafts)
    records = [d.record() for d in drafts]
    units = list(dict.fromkeys(r["unit"] for r in records if r.get("unit")))
    year = _budget_year(drafts, department, preamble)
    return Submission.from_records(grid.path, NAME, records, department, units=units, year=year)


def _read_block(sheet: Sheet, block: Block) -> _Draft:
    first = sheet.cells(block.start)
    draft = _Draft(where=sheet.loc(block.start, first[0][0] if first else 0))
    if block.title is not None:
        c, text = sheet.title_cell(block.title)
        draft.put("title", Value(text, sheet.loc(block.title, c)))
    _read_labelled(sheet, block, draft)
    _read_unit_line(sheet, block, draft)
    _read_plan(sheet, block, draft)
    draft.indicators = _read_indicators(sheet, block)
    return draft


def _read_labelled(sheet: Sheet, block: Block, draft: _Draft) -> None:
    """Head fields whose value is right of (or, for 资金用途, below) the label."""
    for r in range(block.start, block.head_end):
        for c, name in sheet.fields(r).items():
            if name not in _HEAD_FIELDS:
                continue
            text = sheet.text(r, c)
            if name in _BUDGET_FIELDS and (unit := L.bracket_money_unit(text)):
                draft.money_hint = draft.money_hint or Value(unit, sheet.loc(r, c))
            draft.put(name, _label_value(sheet, r, c, name, block))


def _label_value(sheet: Sheet, r: int, c: int, name: str, block: Block) -> Value:
    inline = L.inline_value(sheet.text(r, c))
    if inline:
        return Value(inline[1], sheet.loc(r, c))
    right = sheet.value_right(r, c)
    if name == "purpose" and not (right and right.text):
        # 预算规模及资金用途: the budget labels sit to the right, the text below.
        below = sheet.value_below(r, c, block.head_end)
        if below and (below.text or right is None):
            return below
    return right or Value("", sheet.loc(r, c))


def _read_unit_line(sheet: Sheet, block: Block, draft: _Draft) -> None:
    """The unit line and money-unit note above the key row (``914003开元镇…  单位：万元``).

    The unit is a cell with an organisation code before the name, or any
    other plain text sharing its row with the money-unit note.
    """
    for r in range(block.start, block.key):
        if r == block.title:
            continue
        cells = sheet.cells(r)
        noted = any(L.money_unit(t) for _, t in cells)
        for c, text in cells:
            if unit := L.money_unit(text):
                draft.put("money_unit", Value(unit, sheet.loc(r, c)))
            name = L.strip_money_unit(text)
            plain = name and not L.is_label(text) and not L.inline_value(text)
            if plain and (L.is_unit_line(name) or noted) and "unit" not in draft.values:
                draft.put("unit", Value(name, sheet.loc(r, c)))
    if block.title is not None:
        for c, text in sheet.cells(block.title):
            if unit := L.money_unit(text):
                draft.put("money_unit", Value(unit, sheet.loc(block.title, c)))


def _read_plan(sheet: Sheet, block: Block, draft: _Draft) -> None:
    """资金支出计划: month-end labels with the values under them (or right of them)."""
    marks = [
        (r, c, name)
        for r in range(block.start, block.head_end)
        for c, name in sheet.fields(r).items()
        if name in L.PLAN_COLUMNS
    ]
    per_row = Counter(r for r, _, _ in marks)
    for r, c, name in marks:
        if per_row[r] >= 2:
            draft.put(name, _plan_below(sheet, r, c, block.head_end))
        else:
            draft.put(name, sheet.value_right(r, c) or Value("", sheet.loc(r, c)))


def _plan_below(sheet: Sheet, r: int, c: int, limit: int) -> Value:
    below = r + 1
    if below >= limit or sheet.field_set(below) - {"plan"}:
        return Value("", sheet.loc(r, c))  # no values row: point at the label
    text = sheet.text(below, c)
    return Value("" if L.is_label(text) else text, sheet.loc(below, c))


def _read_indicators(sheet: Sheet, block: Block) -> list[dict[str, Any]]:
    """The rows under the indicator header, until the block (or a footer) ends."""
    if block.header is None:
        return []
    columns: dict[str, int] = {}
    for c, name in sorted(sheet.fields(block.header).items()):
        if name in L.INDICATOR_COLUMNS:
            columns.setdefault(name, c)
    rows: list[dict[str, Value]] = []
    for r in range(block.header + 1, block.end):
        if sheet.is_footer_row(r) or (sheet.text_like and r in sheet.table.paragraph):
            break
        own = [c for c in columns.values() if sheet.text(r, c) and sheet.table.anchor(r, c)[0] == r]
        if not own or sheet.is_header_row(r):
            continue
        row = {name: Value(sheet.text(r, c), sheet.loc(r, c)) for name, c in columns.items()}
        _fill_down(row, rows[-1] if rows else None)
        rows.append(row)
    return [_flatten(row) for row in rows]


def _fill_down(row: dict[str, Value], prev: dict[str, Value] | None) -> None:
    """一级/二级 left blank under a vertically merged cell repeat the one above.

    二级 is only carried while the 一级 group continues (blank, the same
    merged cell, or the same text), so a new 一级 with a blank 二级 stays blank.
    """
    if prev is None:
        return
    l1, p1 = row.get("level1"), prev.get("level1")
    same_group = l1 is None or p1 is None or not l1.text or l1.loc == p1.loc or l1.text == p1.text
    if l1 is not None and p1 is not None and not l1.text:
        row["level1"] = p1
    l2, p2 = row.get("level2"), prev.get("level2")
    if l2 is not None and p2 is not None and not l2.text and same_group:
        row["level2"] = p2


def _settle(drafts: list[_Draft]) -> None:
    """Inherit unit and money unit from earlier blocks; absent vs empty fields.

    A field some block of the file carries is part of this form variant, so
    a block without it gets ``""`` located at the block's first cell; a
    field no block carries stays absent.
    """
    present = {name for d in drafts for name in d.values}
    last: dict[str, Value] = {}
    for d in drafts:
        if "money_unit" not in d.values and d.money_hint:
            d.values["money_unit"] = d.money_hint
        for name in ("unit", "money_unit"):
            if name not in d.values and name in last:
                d.values[name] = last[name]
            if d.values.get(name) and d.values[name].text:
                last[name] = d.values[name]
        d.values.setdefault("money_unit", Value(DEFAULT_MONEY_UNIT, d.where))
        for name in PROJECT_FIELDS:
            if name not in d.values and name in present:
                d.values[name] = Value("", d.where)


def _budget_year(drafts: list[_Draft], department: list[dict[str, Any]], preamble: list[str]) -> int | None:
    """``20xx年(度)`` in titles and headings, else the commonest year in the department texts."""
    heads = list(preamble) + [d.values["title"].text for d in drafts if "title" in d.values]
    heads += [d["text"] for d in department if d["kind"] == "heading"]
    found = [y for t in heads for y in L.years(t)]
    if not found:
        found = [y for d in department if d["kind"] == "text" for y in L.years(d["text"])]
    if not found:
        return None
    counts = Counter(found)
    return max(counts, key=lambda y: (counts[y], -found.index(y)))


# --- detection ---------------------------------------------------------------


def found_labels(grid: Grid) -> set[str]:
    """Signature fields whose label occurs in the grid."""
    return found_fields(grid, SIGNATURE.keys())


def score(grid: Grid) -> float:
    """How well ``grid`` fits this layout, 0…1.

    The share of signature labels present, discounted when there is no
    project block with an indicator header, and when most labels share one
    row (a flat export's header, layout L3).
    """
    sheets = sheets_of(grid)
    per_row = [s.field_set(r) & _SIGNED for s in sheets for r in s.label_rows(2000)]
    result = len(frozenset().union(*per_row)) / len(SIGNATURE)
    if result < 0.2:  # too few labels to be this form: skip looking for blocks down a big sheet
        return result
    if not any(b.header is not None for s in sheets for b in find_blocks(s)):
        result *= 0.3
    if max(map(len, per_row), default=0) >= 8:
        result *= 0.5
    return result
