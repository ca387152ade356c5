"""Write a Submission as national project forms (layout L2, 项目支出绩效目标申报表).

One form per project, stacked down the sheet ``项目支出绩效目标申报表`` (or
one sheet per project), each on its own A4 page.  Form shape (columns A–G,
extra indicator columns after them)::

    项目支出绩效目标申报表                     (merged across, bold)
    （2021年度）
    项目名称 | name (B:G)
    主管部门及代码 | unit (B:D) | 实施单位 | unit (F:G)
    项目资金（万元） | 年度资金总额 | n | 其中：财政拨款 | n | 其他资金 | n
    总体目标 | 中长期目标 (B:D) | 年度目标 (E:G)
      (merged down) | (blank) (B:D) | goal (E:G)
    绩效指标 | 一级指标 | 二级指标 | 三级指标 | 指标值 (E:G) [| 指标性质 | 度量单位 | 指标方向 | 权重]
      (merged down over the rows) | indicator rows; 一级 and 二级 merged down over equal runs

What the form has no place for (项目编码, spending plan, 资金用途, 绩效指标描述,
指标值确定依据) is not written; the mid-term target is left blank, as the
canonical frames carry none.  Options draw the variants clerks make: other
label spellings, no merged cells, blank spacer rows, one sheet per project.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any, Mapping

from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from targetlint.layouts import _xlsx_style as xs
from targetlint.layouts._xlsx_style import CENTER, put
from targetlint.submission import Submission

SHEET = "项目支出绩效目标申报表"
WIDTHS = (12, 14, 18, 30, 18, 12, 12)
EXTRA_WIDTH = 10

#: Label texts by key; ``labels=`` overrides any of them.
LABELS: dict[str, str] = {
    "title": "项目支出绩效目标申报表",
    "name": "项目名称",
    "supervisor": "主管部门及代码",
    "implementer": "实施单位",
    "funds": "项目资金（{money}）",
    "total": "年度资金总额",
    "fiscal": "其中：财政拨款",
    "other": "其他资金",
    "goal_group": "总体目标",
    "goal_long": "中长期目标",
    "goal": "年度目标",
    "indicators": "绩效指标",
    "level1": "一级指标",
    "level2": "二级指标",
    "level3": "三级指标",
    "value": "指标值",
}
EXTRA_HEADER = {"value_type": "指标性质", "measure_unit": "度量单位", "direction": "指标方向", "weight": "权重"}
INDICATOR_FIELDS = ("level1", "level2", "level3", "value")


def write(
    sub: Submission,
    path: str | os.PathLike,
    *,
    labels: Mapping[str, str] | None = None,
    merged: bool = True,
    spacer: bool = False,
    per_sheet: bool = False,
    timestamp: dt.datetime | None = None,
) -> Path:
    """Write ``sub`` as L2 forms at ``path`` (atomically).

    Args:
        labels: label texts overriding :data:`LABELS` (``{"total": "预算数"}``).
        merged: merge labels, spans and equal 一级/二级 runs; else write each
            once and leave the cells it would cover blank.
        spacer: a blank row inside each form, between the head and the goals.
        per_sheet: one sheet per project (named 项目1, 项目2 …).
        timestamp: fixed dates, so the same submission gives the same bytes.
    """
    wb = xs.new_workbook()
    if per_sheet:
        for i in range(len(sub.projects)):
            one = _only(sub, i)
            draw(wb.create_sheet(f"项目{i + 1}"), one, labels=labels, merged=merged, spacer=spacer)
    else:
        draw(wb.create_sheet(SHEET), sub, labels=labels, merged=merged, spacer=spacer)
    return xs.save(wb, Path(path), timestamp)


def _only(sub: Submission, i: int) -> Submission:
    key = sub.projects["project_key"].iloc[i]
    return Submission(sub.path, sub.layout, sub.projects.iloc[[i]], sub.indicators[sub.indicators["project_key"] == key],
                      sub.department, sub.units, sub.year)


def draw(ws: Worksheet, sub: Submission, *, labels: Mapping[str, str] | None = None, merged: bool = True,
         spacer: bool = False) -> list[tuple[int, int, dict[str, int]]]:
    """Draw every project's form on ``ws``.

    Returns:
        Per form, its indicator rows (first, last; 1-based) and the column of
        each indicator field — where a template puts its drop-downs.
    """
    words = {**LABELS, **(labels or {})}
    extras = [f for f in EXTRA_HEADER if f in sub.indicators and sub.indicators[f].notna().any()]
    widths = (*WIDTHS, *([EXTRA_WIDTH] * max(0, len(extras) - 2)))
    xs.setup(ws, widths)
    columns = {f: c for c, f in enumerate((*INDICATOR_FIELDS, *extras), start=2)}
    areas, row = [], 1
    for i, (_, p) in enumerate(sub.projects.iterrows()):
        if i:
            ws.row_breaks.append(Break(id=row - 1))
        inds = sub.indicators[sub.indicators["project_key"] == p["project_key"]]
        form = _Form(ws, words, widths, merged)
        header = form.head(row, p, sub, spacer)
        last = form.indicators(header, inds, extras)
        areas.append((header + 1, last, columns))
        row = last + 2
    return areas


class _Form:
    """Draws one form; ``merged`` decides whether spans become merged ranges."""

    def __init__(self, ws: Worksheet, words: Mapping[str, str], widths: tuple[float, ...], merged: bool):
        self.ws, self.words, self.widths, self.merged = ws, words, widths, merged
        self.ncols = len(widths)

    def merge(self, r1: int, c1: int, r2: int, c2: int) -> None:
        if self.merged and (r2 > r1 or c2 > c1):
            xs.merge(self.ws, r1, c1, r2, c2)

    def row(self, r: int, values: list, spans: Mapping[int, int] | None = None, *, bold: bool = False) -> None:
        for c in range(1, self.ncols + 1):
            put(self.ws, r, c, values[c - 1] if c <= len(values) else None, bold=bold,
                align=CENTER if bold else xs.WRAP, border=True)
        for start, stop in (spans or {}).items():
            self.merge(r, start, r, stop)
        xs.fit_height(self.ws, r, xs.row_texts(self.ws, r, self.widths))

    def head(self, r: int, p: Any, sub: Submission, spacer: bool) -> int:
        """Title down to the goals; returns the indicator header's row."""
        w, n = self.words, self.ncols
        put(self.ws, r, 1, w["title"], bold=True, size=14, align=CENTER)
        xs.merge(self.ws, r, 1, r, n)
        self.ws.row_dimensions[r].height = 28
        if sub.year:
            put(self.ws, r + 1, 1, f"（{sub.year}年度）", align=CENTER)
            xs.merge(self.ws, r + 1, 1, r + 1, n)
        r += 2
        unit = p["unit"] if p["unit"] else (sub.units[0] if sub.units else "")
        money = p["money_unit"] if p["money_unit"] else "万元"
        self.row(r, [w["name"], p["project_name"]], {2: n})
        self.row(r + 1, [w["supervisor"], unit, None, None, w["implementer"], unit], {2: 4, 6: n})
        self.row(r + 2, [w["funds"].format(money=money), w["total"], xs.num(p["budget_total"]), w["fiscal"],
                         xs.num(p["budget_fiscal"]), w["other"], xs.num(p["budget_other"])])
        r += 3 + spacer
        self.row(r, [w["goal_group"], w["goal_long"], None, None, w["goal"]], {2: 4, 5: n}, bold=True)
        self.row(r + 1, [None, None, None, None, p["goal"]], {2: 4, 5: n})
        self.merge(r, 1, r + 1, 1)
        return r + 2

    def indicators(self, header: int, inds: Any, extras: list[str]) -> int:
        """The header and one row per indicator; returns the last row."""
        w = self.words
        names = [w["indicators"], *(w[f] for f in INDICATOR_FIELDS), *(EXTRA_HEADER[f] for f in extras)]
        span = {5: self.ncols} if not extras else {}
        self.row(header, names, span, bold=True)
        first = header + 1
        for k, (_, ind) in enumerate(inds.iterrows()):
            self.row(first + k, [None, *(ind[f] for f in (*INDICATOR_FIELDS, *extras))], span)
        last = first + len(inds) - 1
        self.merge(header, 1, max(last, header), 1)
        for col in (2, 3):
            xs.merge_runs(self.ws, first, last, col, blank_only=not self.merged)
        return max(last, header)
