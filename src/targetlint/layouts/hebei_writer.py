"""Write a Submission as a Hebei project-form workbook (layout L1).

The workbook looks like the form units fill in: an optional sheet
``部门整体绩效目标`` with the department-wide part (one heading or paragraph a
row), then a sheet ``项目绩效目标表`` with one block per project stacked down,
each block printed on its own A4 page.  Block shape (columns A–G)::

    title (merged A:G, bold)
    unit (A:D)                                      单位：万元 (G)
    项目编码 | code (B:C) | 项目名称 | name (E:G)
    预算规模及资金用途 | 预算数 | n | 其中：财政资金 | n | 其他资金 | n
      (label merged down) | purpose (B:G)
    资金支出计划（%） | 3月底 | 6月底 | 10月底 | 12月底
      (label merged down) | n | n | n | n
    绩效目标 | goal (B:G)
    一级指标 | 二级指标 | 三级指标 | 绩效指标描述 | 指标值 | 指标值确定依据 (F:G)
    indicator rows; 一级 and 二级 merged down over equal consecutive values
    (blank spacer row)

Amounts and percentages that are plain numbers become number cells; every
other text is a string cell, never a formula, whatever character it starts
with (the spec: text written into xlsx outputs cannot become a formula).
Texts are kept exactly (Word field-code residue included), so a linter run on
the workbook sees what a run on the source saw.  Used by ``examples/`` and by
``targetlint template``.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from openpyxl.styles import Alignment
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from targetlint.layouts import _xlsx_style as xs
from targetlint.layouts._xlsx_style import CENTER, WRAP, put
from targetlint.submission import PLAN_FIELDS, Submission

DEPARTMENT_SHEET = "部门整体绩效目标"
PROJECT_SHEET = "项目绩效目标表"

#: Column widths (Excel character units; a CJK character takes about two).
WIDTHS = (14, 14, 22, 30, 18, 16, 12)
NCOLS = len(WIDTHS)

INDICATOR_HEADER = ("一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据")
#: Extra indicator columns some provinces add, written after 指标值确定依据 when present.
EXTRA_HEADER = {"value_type": "指标性质", "measure_unit": "度量单位", "direction": "指标方向", "weight": "权重"}
INDICATOR_FIELDS = ("level1", "level2", "level3", "description", "value", "basis")
PLAN_HEADER = ("3月底", "6月底", "10月底", "12月底")

def write(
    sub: Submission,
    path: str | os.PathLike,
    *,
    department_sheet: bool = True,
    timestamp: dt.datetime | None = None,
) -> Path:
    """Write ``sub`` as an L1 workbook at ``path`` (atomically).

    Args:
        sub: the submission to write.
        path: the .xlsx to create (replaced if it exists).
        department_sheet: write the department part, when there is one, on
            its own first sheet.
        timestamp: fix the workbook's created/modified dates and the zip
            entries' times, so the same submission gives the same bytes.

    Returns:
        The path written.
    """
    wb = xs.new_workbook()
    if department_sheet and len(sub.department):
        _department(wb.create_sheet(DEPARTMENT_SHEET), sub)
    draw(wb.create_sheet(PROJECT_SHEET), sub)
    return xs.save(wb, Path(path), timestamp)


def draw(ws: Worksheet, sub: Submission) -> list[tuple[int, int, dict[str, int]]]:
    """Draw every project's block on ``ws``, stacked down, one A4 page each.

    Returns:
        Per block, its indicator rows (first, last; 1-based) and the column
        (1-based) of each indicator field — where a template puts its drop-downs.
    """
    xs.setup(ws, WIDTHS)
    extras = [f for f in EXTRA_HEADER if f in sub.indicators and sub.indicators[f].notna().any()]
    columns = {f: i for i, f in enumerate((*INDICATOR_FIELDS, *extras), start=1)}
    areas = []
    row = 1
    for i, (_, project) in enumerate(sub.projects.iterrows()):
        if i:
            ws.row_breaks.append(Break(id=row - 1))
        inds = sub.indicators[sub.indicators["project_key"] == project["project_key"]]
        spacer = _block(ws, row, project, inds, sub, extras)
        areas.append((spacer - len(inds), spacer - 1, columns))
        row = spacer + 1
    return areas


def _department(ws: Worksheet, sub: Submission) -> None:
    """One heading or paragraph a row, merged across the page."""
    xs.setup(ws, WIDTHS)
    for r, (_, d) in enumerate(sub.department.iterrows(), start=1):
        heading = d.get("kind") == "heading"
        put(ws, r, 1, d["text"], bold=heading, align=WRAP)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=NCOLS)
        xs.fit_height(ws, r, [(d["text"], sum(WIDTHS))])


def _block(ws: Worksheet, r: int, p: Any, inds: Any, sub: Submission, extras: list[str]) -> int:
    """Write one project's block from row ``r``; return the spacer row after it."""
    put(ws, r, 1, p["title"], bold=True, size=14, align=CENTER)
    xs.merge(ws, r, 1, r, NCOLS)
    xs.fit_height(ws, r, [(p["title"], sum(WIDTHS) * 0.7)], minimum=24)
    unit = p["unit"] if p["unit"] else (sub.units[0] if sub.units else "")
    put(ws, r + 1, 1, unit, align=Alignment(vertical="center"))
    xs.merge(ws, r + 1, 1, r + 1, 4)
    money = p["money_unit"] if p["money_unit"] else "万元"
    put(ws, r + 1, NCOLS, f"单位：{money}", align=Alignment(horizontal="right", vertical="center"))
    top = r + 2
    _row(ws, top, ["项目编码", p["project_code"], None, "项目名称", p["project_name"]], spans={2: 3, 5: NCOLS})
    _row(ws, top + 1, ["预算规模及资金用途", "预算数", xs.num(p["budget_total"]), "其中：财政资金",
                       xs.num(p["budget_fiscal"]), "其他资金", xs.num(p["budget_other"])])
    _row(ws, top + 2, [None, p["purpose"]], spans={2: NCOLS})
    xs.merge(ws, top + 1, 1, top + 2, 1)
    _row(ws, top + 3, ["资金支出计划（%）", *PLAN_HEADER])
    _row(ws, top + 4, [None, *(xs.num(p[f]) for f in PLAN_FIELDS)])
    xs.merge(ws, top + 3, 1, top + 4, 1)
    _row(ws, top + 5, ["绩效目标", p["goal"]], spans={2: NCOLS})
    header = [*INDICATOR_HEADER, *(EXTRA_HEADER[f] for f in extras)]
    last = {len(header): NCOLS} if len(header) < NCOLS else {}
    _row(ws, top + 6, header, spans=last, bold=True, align=CENTER)
    first = top + 7
    for k, (_, ind) in enumerate(inds.iterrows()):
        _row(ws, first + k, [ind[f] if f in ind else None for f in (*INDICATOR_FIELDS, *extras)], spans=last)
    end = first + len(inds) - 1
    for col in (1, 2):
        xs.merge_runs(ws, first, end, col)
    for rr in range(top, end + 1):
        xs.fit_height(ws, rr, xs.row_texts(ws, rr, WIDTHS))
    return end + 1


def _row(ws: Worksheet, r: int, values: list, *, spans: dict[int, int] | None = None,
         bold: bool = False, align: Alignment = WRAP) -> None:
    """A bordered table row A..G; ``spans`` maps a start column to the column it merges to."""
    for c in range(1, NCOLS + 1):
        v = values[c - 1] if c <= len(values) else None
        put(ws, r, c, v, bold=bold, align=align, border=True)
    for start, stop in (spans or {}).items():
        if stop > start:
            xs.merge(ws, r, start, r, stop)
