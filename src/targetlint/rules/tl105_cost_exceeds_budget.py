"""TL105 cost-exceeds-budget — 成本指标金额超过项目预算数.

A cost indicator (成本指标: a 二级 under 产出 in the older tree, or the 一级
成本指标 with 经济/社会/生态环境成本 in 财预〔2021〕101号) whose value is a total
amount (``≤65万元``, ``=120000元``) cannot exceed what the project is given:
a cost above 预算数 means a wrong number or a wrong unit.  Amounts are
converted through the project's money unit (``单位：万元`` by default) and the
value's own unit (元/千元/万元/亿元, or the 度量单位 column when the value has
none).  Per-unit rates (``≤350元/人次``, ``2.1万元/公里``) are not totals and
are skipped, as are percentages and values with no money unit.
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from targetlint.rule import Rule, Severity
from targetlint.rules._grammar import fmt, parse_series
from targetlint.rules._money import amount
from targetlint.rules._taxonomy import Taxonomy

RULE = Rule(
    code="TL105",
    name="cost-exceeds-budget",
    severity=Severity.WARNING,
    frame="indicators",
    field="value",
    summary={"zh": "成本指标金额超过项目预算数", "en": "Cost indicator amount exceeds the project budget"},
    message={
        "zh": "成本指标值“{value}”超过项目预算数 {budget}{unit}",
        "en": "Cost value “{value}” exceeds the project budget of {budget} {unit}",
    },
    suggestion={"zh": "核对金额和单位：成本合计不应超过{suggest}", "en": "Check the amount and unit: total cost cannot exceed {suggest}"},
    params={"factors": {"元": 1, "千元": 1000, "万元": 10000, "亿元": 100000000}},
    needs=("value", "budget_total"),
    source="财预〔2015〕88号附件：成本指标反映预期提供产出所需成本；成本以项目预算为限（财预〔2021〕101号 成本指标）",
    bad={"indicators": [{"level2": "成本指标", "level3": "道路硬化工程总成本", "value": "≤125万元"}]},
    good={"indicators": [{"level2": "成本指标", "level3": "道路硬化工程总成本", "value": "≤12.5万元"}]},
)


def _unit(text) -> str:
    return str(text or "").replace("单位", "").strip(" :：()（）")


def _yuan(number: Decimal | None, unit, factors) -> Decimal | None:
    """An amount in 元, when ``unit`` is a plain money unit (not a rate like 元/人)."""
    factor = factors.get(_unit(unit))
    return None if number is None or factor is None else number * Decimal(str(factor))


def check(sub, params) -> pd.DataFrame:
    ind, proj, f = sub.indicators, sub.projects.set_index("project_key"), params.factors
    cost = Taxonomy.of(params).resolve(ind)["family"].eq("成本")
    values = parse_series(ind["value"][cost], params.get("vocab"))
    values = values[values.map(lambda v: v.kind in ("quantitative", "range"))]
    keys = ind.loc[values.index, "project_key"]
    table_unit = keys.map(proj["money_unit"]).map(lambda u: _unit(u) if _unit(u) in f else "万元")
    budget = keys.map(proj["budget_total"]).map(amount)
    rows = []
    for i, v, unit, b in zip(values.index, values, table_unit, budget):
        spent = _yuan(max(v.numbers), v.unit or ind.at[i, "measure_unit"], f)
        limit = _yuan(b, unit, f)
        if spent is not None and limit is not None and spent > limit:
            rows.append((i, fmt(b), unit, f"{fmt(b)}{unit}"))
    if not rows:  # no hits: no frame to build
        return pd.DataFrame()
    hits = pd.DataFrame(rows, columns=["row", "budget", "unit", "suggest"])
    return hits.set_index("row").rename_axis(None)
