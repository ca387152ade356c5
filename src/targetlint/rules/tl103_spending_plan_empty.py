"""TL103 spending-plan-empty — 资金支出计划全部未填.

The spending plan (资金支出计划) gives the cumulative share of the budget to
be spent by the end of March, June, October (some forms: September) and
December.  The finance bureau uses it to schedule disbursement and to monitor
execution (执行监控), so a table with every quarter blank is incomplete.  A
cell holding only a dash, slash or 无 counts as blank.  A form without a
spending plan (the national 申报表) is not checked.  Hebei 2020 requires the
plan (error there).
"""

from __future__ import annotations

import pandas as pd

from targetlint.rule import Rule, Severity
from targetlint.submission import PLAN_FIELDS

RULE = Rule(
    code="TL103",
    name="spending-plan-empty",
    severity=Severity.WARNING,
    frame="projects",
    field="plan_mar",
    summary={"zh": "资金支出计划各季度均未填写", "en": "Spending plan left blank in every quarter"},
    message={
        "zh": "资金支出计划（3月底、6月底、10月底、12月底）全部未填写",
        "en": "The spending plan (end of March, June, October, December) is blank in every quarter",
    },
    suggestion={
        "zh": "按预计支出进度填写累计百分比，逐季不减少，12月底为100（如 20、50、80、100）",
        "en": "Fill in the cumulative share spent by each quarter, never decreasing and 100 by December (e.g. 20, 50, 80, 100)",
    },
    params={"blank_marks": ["-", "—", "－", "/", "／", "无", "空"]},
    source="《项目支出绩效目标申报表》资金支出计划栏；预算执行进度监控（财预〔2015〕88号）",
    bad={"project": {"plan_mar": "", "plan_jun": "", "plan_oct": "", "plan_dec": ""}},
    good={"project": {"plan_mar": "25%", "plan_jun": "50%", "plan_oct": "75%", "plan_dec": "100%"}},
)


def check(sub, params) -> pd.DataFrame:
    plan = sub.projects[list(PLAN_FIELDS)]
    present = plan.notna()
    text = plan.fillna("").astype(str).apply(lambda col: col.str.strip())
    empty = present & (text.eq("") | text.isin(list(params.blank_marks)))
    hit = present.any(axis=1) & (empty == present).all(axis=1)
    # locate at the first quarter the layout has (some forms lack 3月底)
    first = present[hit].idxmax(axis=1)
    return pd.DataFrame({"field": first}, index=first.index)
