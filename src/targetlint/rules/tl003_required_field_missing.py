"""TL003 required-field-missing — 项目缺少必填内容.

A project table is incomplete (审核要点“完整性”) when its 项目名称, 预算数
or 绩效目标 cell is left blank, or when it has no indicator at all (no row
with a 三级指标 or a 指标值).  Only fields the layout has are checked: a
form without a 绩效目标 box is not "missing" one (absent is not empty).
The required fields are a profile parameter.
"""

from __future__ import annotations

import pandas as pd

from targetlint.rule import Rule, Severity
from targetlint.rules._taxonomy import blank
from targetlint.submission import field_label

RULE = Rule(
    code="TL003",
    name="required-field-missing",
    severity=Severity.ERROR,
    frame="projects",
    field="project_name",
    summary={"zh": "项目缺少项目名称、预算数、绩效目标或绩效指标", "en": "Project lacks name, budget, goal or indicators"},
    message={"zh": "缺少必填内容：{missing_zh}", "en": "Required content missing: {missing_en}"},
    suggestion={"zh": "补填{missing_zh}", "en": "Fill in the {missing_en}"},
    params={"fields": ["project_name", "budget_total", "goal"], "require_indicators": True},
    source="《项目支出绩效目标申报表》填报说明；绩效目标审核“完整性”（财预〔2015〕88号）",
    bad={"project": {"goal": " "}},
    good={"project": {}},
)


def check(sub, params) -> pd.DataFrame:
    p = sub.projects
    parts = []
    for f in params.fields:
        if f not in p:
            continue
        empty = p.index[p[f].notna() & blank(p[f])]
        parts.append(pd.DataFrame({"field": f, "missing_zh": field_label(f, "zh"), "missing_en": field_label(f, "en")}, index=empty))
    if params.require_indicators:
        ind = sub.indicators
        filled = ind[~blank(ind["level3"]) | ~blank(ind["value"])]
        bare = p.index[~p["project_key"].isin(filled["project_key"])]
        parts.append(pd.DataFrame({"field": "project_name", "missing_zh": "绩效指标", "missing_en": "performance indicators"}, index=bare))
    parts = [x for x in parts if len(x)]
    return pd.concat(parts) if parts else pd.DataFrame()
