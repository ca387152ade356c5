"""TL004 formula-without-value — 公式没有计算结果，已按空白读取.

Excel stores beside every formula the value it computed, and targetlint
reads that value, never the formula text.  A workbook written by a program
(a budget system's export, a conversion script) may hold formulas without a
stored value: such a cell reads as blank, so other rules see an empty
field (预算数, a month of the spending plan, a 指标值) that the unit did
fill in.  This rule names those cells, so the reviewer knows why a field
is blank and the unit knows the cure: open the file in Excel, which
recalculates on opening, save it and submit it again.  Cells of a
project's head are reported one by one; cells in its indicator rows once
for the project, listed.
"""

from __future__ import annotations

import pandas as pd

from targetlint.rule import Rule, Severity
from targetlint.submission import INDICATOR_FIELDS, PROJECT_FIELDS

RULE = Rule(
    code="TL004",
    name="formula-without-value",
    severity=Severity.INFO,
    frame="projects",
    field="project_name",
    summary={"zh": "公式没有计算结果，已按空白读取", "en": "Formula saved without a computed value, read as blank"},
    message={
        "zh": "{cells} 是没有计算结果的公式（{formula}），已按空白读取",
        "en": "{cells}: a formula saved without a computed value ({formula}), read as blank",
    },
    suggestion={
        "zh": "用 Excel 打开并保存该文件（Excel 会重新计算公式），或把公式改为数值后重新提交",
        "en": "Open and save the file in Excel (it recalculates formulas), or replace the formulas by values, and resubmit",
    },
    params={},
    source="ECMA-376《Office Open XML》第1部分 §18.3.1.40 f（公式）、§18.3.1.96 v（单元格的计算结果）",
    bad={"project": {"budget_total": ""}, "formula_cells": {"p0.budget_total": "C6+C7"}},
    good={"project": {"budget_total": "12.5"}, "formula_cells": {}},
)


def _show(formula: str) -> str:
    text = "=" + " ".join(str(formula).split())
    return text if len(text) <= 40 else text[:39] + "…"


def _blank_formulas(frame: pd.DataFrame, fields, cells: dict) -> pd.DataFrame:
    """(row label, field, location) of every blank field whose location is a formula cell."""
    parts = []
    for f in fields:
        loc = frame[f"{f}_loc"]
        hit = loc.isin(list(cells)) & frame[f].notna() & frame[f].astype(str).str.strip().eq("")
        parts.append(pd.DataFrame({"field": f, "loc": loc[hit]}, index=frame.index[hit]))
    return pd.concat(parts) if parts else pd.DataFrame(columns=["field", "loc"])


def check(sub, params) -> pd.DataFrame:
    cells = getattr(sub, "formula_cells", None) or {}
    if not cells:
        return pd.DataFrame()
    head = _blank_formulas(sub.projects, PROJECT_FIELDS, cells)
    hits = head.assign(cells=head["loc"], formula=head["loc"].map(lambda loc: _show(cells[loc])))
    rows = _blank_formulas(sub.indicators, INDICATOR_FIELDS, cells)
    if len(rows):
        rows = rows.assign(project_key=sub.indicators.loc[rows.index, "project_key"]).sort_index(kind="stable")
        row_of = pd.Series(sub.projects.index, index=sub.projects["project_key"])
        for key, group in rows.groupby("project_key", sort=False):
            locs = list(dict.fromkeys(group["loc"]))
            listed = {"cells": "、".join(locs), "formula": _show(cells[locs[0]]) + ("…" if len(locs) > 1 else "")}
            hits = pd.concat([hits, pd.DataFrame([{"field": "project_name", **listed}], index=[row_of[key]])])
    return hits.drop(columns=["loc"], errors="ignore")
