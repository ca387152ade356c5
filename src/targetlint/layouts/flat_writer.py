"""Write a Submission as a flat export (layout L3): one row per indicator.

The sheet ``项目绩效目标`` has a title line and a ``单位：万元`` note, then one
header row and one row per indicator (a project without indicators gets one
row of its own).  The columns are :data:`DEFAULT_COLUMNS` unless ``columns=``
gives others, in any order; the unit is split into 单位编码 and 单位名称 when
both columns are asked for.  Project fields are repeated on every row of the
project (``repeat="all"``), given on its first row only (``"first"``), or
merged down over its rows (``"merge"``), the three ways budget systems export
them; 一级/二级 follow the same choice.  Amounts are number cells, every text a
string cell (never a formula).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Any, Mapping, Sequence

from openpyxl.worksheet.worksheet import Worksheet

from targetlint.layouts import _xlsx_style as xs
from targetlint.layouts._xlsx_style import CENTER, put
from targetlint.submission import INDICATOR_FIELDS, PROJECT_FIELDS, Submission

SHEET = "项目绩效目标"
DEFAULT_COLUMNS: tuple[str, ...] = (
    "unit_code", "unit", "project_code", "project_name", "budget_total", "budget_fiscal", "budget_other",
    "purpose", "plan_mar", "plan_jun", "plan_oct", "plan_dec", "goal",
    "level1", "level2", "level3", "description", "value", "basis",
)
#: Header texts by field; ``{money}`` becomes the money unit.  ``labels=`` overrides any of them.
HEADERS: dict[str, str] = {
    "unit_code": "单位编码", "unit": "单位名称", "money_unit": "金额单位", "project_code": "项目编码", "project_name": "项目名称",
    "budget_total": "预算数（{money}）", "budget_fiscal": "财政资金（{money}）", "budget_other": "其他资金（{money}）",
    "purpose": "资金用途", "plan_mar": "3月底（%）", "plan_jun": "6月底（%）", "plan_oct": "10月底（%）",
    "plan_dec": "12月底（%）", "goal": "绩效目标", "level1": "一级指标", "level2": "二级指标", "level3": "三级指标",
    "description": "绩效指标描述", "value": "指标值", "basis": "指标值确定依据", "value_type": "指标性质",
    "measure_unit": "度量单位", "direction": "指标方向", "weight": "权重",
}
WIDTHS: dict[str, float] = {"purpose": 30, "goal": 36, "level3": 20, "description": 30, "value": 16, "basis": 16,
                            "project_name": 20, "unit": 20}
_NUMERIC = frozenset({"budget_total", "budget_fiscal", "budget_other", "plan_mar", "plan_jun", "plan_oct", "plan_dec",
                      "weight"})
_UNIT_CODE = re.compile(r"^(\d{3,})\s*(.*)$", re.S)


def write(
    sub: Submission,
    path: str | os.PathLike,
    *,
    columns: Sequence[str] | None = None,
    labels: Mapping[str, str] | None = None,
    repeat: str = "all",
    spacer: bool = False,
    timestamp: dt.datetime | None = None,
) -> Path:
    """Write ``sub`` as a flat export at ``path`` (atomically).

    Args:
        columns: fields in column order (default :data:`DEFAULT_COLUMNS`, plus
            the extra indicator columns the submission has).
        labels: header texts overriding :data:`HEADERS`.
        repeat: ``all``, ``first`` or ``merge`` (see the module docstring).
        spacer: a blank row after each project.
        timestamp: fixed dates, so the same submission gives the same bytes.
    """
    wb = xs.new_workbook()
    draw(wb.create_sheet(SHEET), sub, columns=columns, labels=labels, repeat=repeat, spacer=spacer)
    return xs.save(wb, Path(path), timestamp)


def default_columns(sub: Submission) -> list[str]:
    """:data:`DEFAULT_COLUMNS`, a 金额单位 column when projects differ in money unit, and the extra columns."""
    extras = [f for f in INDICATOR_FIELDS[6:] if f in sub.indicators and sub.indicators[f].notna().any()]
    mixed = len({m or "万元" for m in sub.projects["money_unit"]}) > 1
    return [*DEFAULT_COLUMNS[:4], *(["money_unit"] if mixed else []), *DEFAULT_COLUMNS[4:], *extras]


def draw(ws: Worksheet, sub: Submission, *, columns: Sequence[str] | None = None,
         labels: Mapping[str, str] | None = None, repeat: str = "all", spacer: bool = False,
         blank_rows: int = 0) -> list[tuple[int, int, dict[str, int]]]:
    """Draw the title, header and rows on ``ws``.

    Args:
        blank_rows: empty bordered rows after the data (a template's rows to fill in).

    Returns:
        One area: the data rows (first, last; 1-based) and each field's column.
    """
    if repeat not in ("all", "first", "merge"):
        raise ValueError(f"repeat must be all, first or merge, not {repeat!r}")
    cols = list(columns or default_columns(sub))
    widths = [WIDTHS.get(f, 12) for f in cols]
    xs.setup(ws, widths)
    money = next((m for m in sub.projects["money_unit"] if m), "万元") if len(sub.projects) else "万元"
    if "money_unit" in cols:  # each row states its unit: no unit in the header
        words = {**HEADERS, **{f: HEADERS[f].replace("（{money}）", "") for f in ("budget_total", "budget_fiscal",
                                                                                  "budget_other")}}
    else:
        words = dict(HEADERS)
    words.update(labels or {})
    year = f"{sub.year}年度" if sub.year else ""
    put(ws, 1, 1, f"{year}项目支出绩效目标表", bold=True, size=14, align=CENTER)
    xs.merge(ws, 1, 1, 1, len(cols))
    put(ws, 2, len(cols), f"单位：{money}")
    for c, f in enumerate(cols, start=1):
        put(ws, 3, c, words[f].format(money=money), bold=True, align=CENTER, border=True)
    where = {f: c for c, f in enumerate(cols, start=1)}
    r = 4
    for _, p in sub.projects.iterrows():
        inds = sub.indicators[sub.indicators["project_key"] == p["project_key"]]
        rows = [ind for _, ind in inds.iterrows()] or [None]
        for k, ind in enumerate(rows):
            for c, f in enumerate(cols, start=1):
                show = k == 0 or repeat == "all" or f in INDICATOR_FIELDS
                put(ws, r + k, c, _cell(p, ind, f, "unit_code" in cols) if show else None, border=True)
            xs.fit_height(ws, r + k, xs.row_texts(ws, r + k, widths))
        _group(ws, r, r + len(rows) - 1, where, repeat)
        r += len(rows) + spacer
    for k in range(blank_rows):
        for c in range(1, len(cols) + 1):
            put(ws, r + k, c, None, border=True)
    return [(4, r + blank_rows - 1, where)]


def _cell(p: Any, ind: Any, field: str, split_unit: bool) -> Any:
    """The value of ``field`` for one row: project fields from ``p``, indicator fields from ``ind``.

    With a 单位编码 column, the unit's leading organisation code goes there.
    """
    if field in ("unit", "unit_code") and split_unit:
        unit = p["unit"] or ""
        m = _UNIT_CODE.match(unit)
        return (m.group(1) if field == "unit_code" else m.group(2)) if m else ("" if field == "unit_code" else unit)
    if field in PROJECT_FIELDS:
        value = p[field]
    else:
        value = None if ind is None or field not in ind else ind[field]
    return xs.num(value) if field in _NUMERIC else value


def _group(ws: Worksheet, first: int, last: int, where: dict[str, int], repeat: str) -> None:
    """Merge the project's cells down (``merge``) and treat 一级/二级 runs the same way."""
    if repeat == "merge" and last > first:
        for f, c in where.items():
            if f not in INDICATOR_FIELDS:
                xs.merge(ws, first, c, last, c)
    if repeat != "all":
        for f in ("level1", "level2"):
            if f in where:
                xs.merge_runs(ws, first, last, where[f], blank_only=repeat == "first")
