"""Layout L3, a flat export (one row per indicator): Grid → Submission.

What budget systems export: a header row somewhere in the first rows (below
a title or a ``单位：万元`` note), then one row per indicator::

    单位编码 | 单位名称 | 项目编码 | 项目名称 | 预算数（万元） | 财政资金 | 其他资金 | 3月底（%） | … |
    绩效目标 | 一级指标 | 二级指标 | 三级指标 | 绩效指标描述 | 指标值 | 指标值确定依据

Columns are found by their labels, in any order; a column that is missing
leaves its field absent (the rules that need it skip).  A header may be two
rows deep (预算数 over 合计 | 财政资金 | 其他资金; 资金支出计划 over the month-ends).
The project's fields may be repeated on every row, given on its first row
only, or merged down; a project ends where its code, name or unit changes.
Several units in one file give several projects, each with its own unit.
A unit code column is joined to the unit name (``914003`` + ``开元镇政府办公室``).
"""

from __future__ import annotations

import re
from typing import Any

from targetlint.formats.grid import Grid
from targetlint.layouts import labels as L
from targetlint.layouts._blocks import checked_sheets, found_fields
from targetlint.layouts._sheet import Sheet, Value, sheets as sheets_of
from targetlint.layouts.hebei_form import _budget_year, _Draft, _fill_down, _settle
from targetlint.submission import INDICATOR_FIELDS, PROJECT_FIELDS, Submission

NAME = "flat-export"

#: What detection looks for: canonical field → the label shown in messages.
SIGNATURE: dict[str, str] = {
    "unit": "单位名称",
    "project_code": "项目编码",
    "project_name": "项目名称",
    "budget_total": "预算数",
    "budget_fiscal": "财政资金",
    "budget_other": "其他资金",
    "plan_mar": "3月底",
    "goal": "绩效目标",
    "level1": "一级指标",
    "level2": "二级指标",
    "level3": "三级指标",
    "description": "绩效指标描述",
    "value": "指标值",
    "basis": "指标值确定依据",
}
#: How far down a sheet the header row is looked for.
HEADER_SCAN = 30
_KEY = ("project_code", "project_name")
_COLUMN_FIELDS = frozenset(PROJECT_FIELDS) | frozenset(INDICATOR_FIELDS) | {"unit_code", "budget_year"}
_BUDGET = ("budget_total", "budget_fiscal", "budget_other")
_INDICATOR_FIELDS = frozenset(INDICATOR_FIELDS)


def parse(grid: Grid) -> Submission:
    """Read the indicator rows of every sheet with a header row, hidden ones too (not a template's helpers)."""
    drafts: list[_Draft] = []
    preamble: list[str] = []
    years: list[int] = []
    for sheet in checked_sheets(grid):
        header = find_header(sheet)
        if header is None:
            continue
        last, columns = header
        preamble += [t for r in range(last) for _, t in sheet.cells(r)]
        money = _money_unit(sheet, last, columns)
        for draft in _read_rows(sheet, last, columns):
            own = draft.values.pop("money_unit", None)  # a 金额单位 column, where there is one
            if own is not None and L.money_unit(f"单位：{own.text}"):
                draft.values["money_unit"] = own
            elif money:
                draft.values["money_unit"] = money
            years += [int(y) for y in re.findall(r"20\d{2}", draft.values.pop("budget_year", Value("", "")).text)]
            drafts.append(draft)
    _settle(drafts)
    records = [d.record() for d in drafts]
    units = list(dict.fromkeys(r["unit"] for r in records if r.get("unit")))
    year = years[0] if years else _budget_year(drafts, [], preamble)
    return Submission.from_records(grid.path, NAME, records, [], units=units, year=year)


# --- the header ----------------------------------------------------------------


def _is_header(sheet: Sheet, r: int) -> bool:
    found = sheet.field_set(r)
    return len(found & _INDICATOR_FIELDS) >= 2 and not found.isdisjoint(("level3", "value"))


def find_header(sheet: Sheet) -> tuple[int, dict[int, str]] | None:
    """The header's last row and its columns (column → field), or None.

    The header is the row of the first :data:`HEADER_SCAN` with the most
    labels that names an indicator column (三级指标 or 指标值); a second row
    of labels under it (the month-ends under 资金支出计划) refines the columns.
    Worked out once per sheet (detection, then parsing); do not change the result.
    """
    return sheet.memo("flat-header", _find_header)


def _find_header(sheet: Sheet) -> tuple[int, dict[int, str]] | None:
    rows = [r for r in range(min(len(sheet), HEADER_SCAN)) if _is_header(sheet, r)]
    if not rows:
        return None
    top = max(rows, key=lambda r: (len(sheet.fields(r)), -r))
    width = len(sheet.rows[top])
    upper = {c: L.label_field(sheet.text(top, c)) for c in range(width)}
    sub = top + 1 < len(sheet) and any(
        f in _COLUMN_FIELDS for f in sheet.fields(top + 1).values()
    )
    columns: dict[int, str] = {}
    for c in range(width):
        lower = L.label_field(sheet.text(top + 1, c)) if sub and sheet.table.anchor(top + 1, c)[0] == top + 1 else None
        name = lower or upper[c]
        if name in _COLUMN_FIELDS:
            columns[c] = name
    return (top + 1 if sub else top), _dedupe(sheet, top, columns)


def _dedupe(sheet: Sheet, top: int, columns: dict[int, str]) -> dict[int, str]:
    """One column per field: the best-ranked unit label, else the first column."""
    chosen: dict[str, int] = {}
    for c, name in columns.items():
        if name not in chosen:
            chosen[name] = c
        elif name == "unit" and L.unit_rank(sheet.text(top, c)) < L.unit_rank(sheet.text(top, chosen[name])):
            chosen[name] = c
    return {c: name for name, c in sorted(chosen.items(), key=lambda kv: kv[1])}


def _money_unit(sheet: Sheet, last: int, columns: dict[int, str]) -> Value | None:
    """``预算数（万元）`` in a budget header, else a ``单位：万元`` note above the header."""
    for c, name in columns.items():
        for r in range(max(0, last - 1), last + 1):
            if name in _BUDGET and (unit := L.bracket_money_unit(sheet.text(r, c))):
                return Value(unit, sheet.loc(r, c))
    for r in range(last):
        for c, text in sheet.cells(r):
            if unit := L.money_unit(text):
                return Value(unit, sheet.loc(r, c))
    return None


# --- the rows ------------------------------------------------------------------


def _read_rows(sheet: Sheet, last: int, columns: dict[int, str]) -> list[_Draft]:
    """Group the rows under the header into projects, each with its indicator rows."""
    project_cols = {c: n for c, n in columns.items() if n not in INDICATOR_FIELDS}
    indicator_cols = {c: n for c, n in columns.items() if n in INDICATOR_FIELDS}
    drafts: list[_Draft] = []
    rows: list[dict[str, Value]] = []
    for r in range(last + 1, len(sheet)):
        if sheet.is_footer_row(r) or (sheet.text_like and r in sheet.table.paragraph):
            break  # a signature line, or Word's paragraph after the table
        if not any(t.strip() for t in sheet.rows[r]) or _repeats_header(sheet, r, indicator_cols) or _note(sheet, r):
            continue  # blank spacer row, the header repeated on a new page, a note across the table
        values = {n: Value(sheet.text(r, c), sheet.loc(r, c)) for c, n in project_cols.items()}
        if not drafts or _starts_project(values, drafts[-1]):
            drafts.append(_Draft(where=sheet.loc(r, min(columns))))
            rows = []
        draft = drafts[-1]
        for name, value in values.items():
            draft.put(name, value)  # a value given only on a later row still counts
        indicator = {n: Value(sheet.text(r, c), sheet.loc(r, c)) for c, n in indicator_cols.items()}
        if any(v.text for v in indicator.values()):
            _fill_down(indicator, rows[-1] if rows else None)
            rows.append(indicator)
            draft.indicators.append(_flatten(indicator))
    for draft in drafts:
        _join_unit(draft)
    return drafts


def _repeats_header(sheet: Sheet, r: int, indicator_cols: dict[int, str]) -> bool:
    """Row ``r`` holds the indicator labels again (the header printed on every page)."""
    return bool(indicator_cols) and all(L.label_field(sheet.text(r, c)) == n for c, n in indicator_cols.items())


def _note(sheet: Sheet, r: int) -> bool:
    """The row's only text is one cell merged across several columns (``以下空白``, a sub-total title)."""
    filled = [c for c, t in enumerate(sheet.rows[r]) if t.strip()]
    if len(filled) < 2:
        return False
    first = sheet.table.anchor(r, filled[0])
    return all(sheet.table.anchor(r, c) == first for c in filled[1:])


def _starts_project(values: dict[str, Value], current: _Draft) -> bool:
    """A row opens a new project when it names one (code or name) that differs from the current one.

    A blank key cell continues the project above (fields given on its first
    row only); a repeated or merged one is the same project.
    """
    if not any(values[n].text for n in _KEY if n in values):
        return False
    keys = [n for n in ("unit", "unit_code", *_KEY) if n in values]
    return any(values[n].text and n in current.values and current.values[n].text
               and values[n].text != current.values[n].text for n in keys)


def _flatten(values: dict[str, Value]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in values.items():
        out[name], out[f"{name}_loc"] = value.text, value.loc
    return out


def _join_unit(draft: _Draft) -> None:
    """``单位编码`` + ``单位名称`` → ``914003开元镇政府办公室`` (as the form's unit line reads)."""
    code = draft.values.pop("unit_code", None)
    if code is None or not code.text:
        return
    name = draft.values.get("unit")
    if name is None or not name.text:
        draft.values["unit"] = code
    elif not name.text.startswith(code.text):
        draft.values["unit"] = Value(code.text + name.text, name.loc)


# --- detection -------------------------------------------------------------------


def found_labels(grid: Grid) -> set[str]:
    """Signature fields whose label occurs in the grid."""
    return found_fields(grid, SIGNATURE.keys())


def score(grid: Grid) -> float:
    """How well ``grid`` fits this layout, 0…1.

    Only a header row naming indicator columns counts.  With a project
    column (项目编码 or 项目名称) in it, the score is at least one half and
    grows with the share of signature labels it holds; without one, the rows
    cannot be told apart by project and the score stays low.
    """
    best = 0.0
    for sheet in sheets_of(grid):
        header = find_header(sheet)
        if header is None:
            continue
        fields = set(header[1].values())
        share = len(fields & SIGNATURE.keys()) / len(SIGNATURE)
        best = max(best, 0.5 + share / 2 if fields & set(_KEY) else share * 0.3)
    return best
