"""TL101 budget-sum-mismatch — 预算数不等于财政资金与其他资金之和.

The total budget (预算数) of a project must equal its fiscal funds (财政资金)
plus its other funds (其他资金).  A blank 其他资金 counts as 0.  Arithmetic is
exact (decimal), with a tolerance of half a cent of a 万元 (0.005).  A project
whose amounts are not numbers is left to TL102.
"""

from __future__ import annotations

import pandas as pd

from targetlint.rule import Rule, Severity
from targetlint.rules._memo import map_distinct
from targetlint.rules._money import amount

RULE = Rule(
    code="TL101",
    name="budget-sum-mismatch",
    severity=Severity.ERROR,
    frame="projects",
    field="budget_total",
    summary={"zh": "预算数不等于财政资金与其他资金之和", "en": "Total budget is not fiscal plus other funds"},
    message={
        "zh": "预算数 {total} ≠ 财政资金 {fiscal} + 其他资金 {other}（相差 {diff}）",
        "en": "Total budget {total} ≠ fiscal funds {fiscal} + other funds {other} (difference {diff})",
    },
    suggestion={
        "zh": "核对金额：预算数应为 {suggest}",
        "en": "Check the amounts: the total should be {suggest}",
    },
    params={"tolerance": 0.005},
    needs=("budget_total", "budget_fiscal"),
    source="《项目支出绩效目标申报表》预算规模栏：预算数 = 财政资金 + 其他资金（财预〔2015〕88号）",
    bad={"project": {"budget_total": "38.34", "budget_fiscal": "30.00", "budget_other": "5"}},
    good={"project": {"budget_total": "38.34", "budget_fiscal": "38.34", "budget_other": ""}},
)


def check(sub, params) -> pd.DataFrame:
    p = sub.projects
    total = map_distinct(p["budget_total"], amount)
    fiscal = map_distinct(p["budget_fiscal"], amount)
    other = map_distinct(p["budget_other"], lambda v: amount(v) if v not in (None, "") else 0)
    ok = total.notna() & fiscal.notna() & other.notna()
    diff = (total[ok] - fiscal[ok] - other[ok]).abs()
    bad = diff[diff > params.tolerance].index
    if not len(bad):  # no hits: no frame to build
        return pd.DataFrame()
    return pd.DataFrame(
        {
            "total": total[bad],
            "fiscal": fiscal[bad],
            "other": other[bad],
            "diff": diff[bad],
            "suggest": [str(f + o) for f, o in zip(fiscal[bad], other[bad])],
        },
        index=bad,
    )
