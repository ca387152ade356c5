"""TL208 weights-not-100 — 指标权重（分值）合计不等于100.

Some provinces' forms add a 权重/分值 column: each indicator's share of the
100 points the project is later scored on.  Where that column exists, a
project's weights must total ``total`` (100) within ``tolerance``; weights
written as fractions (summing to 1) are called out as such.  A weight that is
not a number (``%``, ``分`` allowed) is reported on its own row, and the total
of that project is then not judged.  A layout without a weight column is
silent (absent is not empty); a project whose weight cells are all blank has
a total of 0 and is reported.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

import pandas as pd

from targetlint.rule import Rule, Severity
from targetlint.rules._grammar import fmt, normalize

RULE = Rule(
    code="TL208",
    name="weights-not-100",
    severity=Severity.ERROR,
    frame="indicators",
    field="weight",
    summary={"zh": "指标权重（分值）合计不等于100，或不是数字", "en": "Indicator weights do not total 100, or are not numbers"},
    message={"zh": "指标权重{what_zh}", "en": "Weight {what_en}"},
    suggestion={"zh": "{suggest}", "en": "{suggest_en}"},
    params={"total": 100.0, "tolerance": 0.01},
    needs=("weight",),
    source="《项目支出绩效评价管理办法》（财预〔2020〕10号）：指标权重合计100分；各省目标申报表“权重（分值）”栏",
    bad={"indicators": [{"level3": "改造危房户数", "value": "=35户", "weight": "40"},
                        {"level2": "质量指标", "level3": "竣工验收合格率", "value": "=100%", "weight": "30"}]},
    good={"indicators": [{"level3": "改造危房户数", "value": "=35户", "weight": "60"},
                         {"level2": "质量指标", "level3": "竣工验收合格率", "value": "=100%", "weight": "40"}]},
)

_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")


def _weight(text) -> Decimal | None:
    """A weight cell as a number (``10``, ``10%``, ``10分``); 0 when blank; None when not a number."""
    s = re.sub(r"(%|分|points?)$", "", normalize(text))
    if not s:
        return Decimal(0)
    try:
        return Decimal(s) if _NUMBER.match(s) else None
    except InvalidOperation:  # pragma: no cover - the regex rules this out
        return None


def check(sub, params) -> pd.DataFrame:
    ind = sub.indicators[sub.indicators["weight"].notna()]
    w = ind["weight"].map(_weight)
    bad = w[w.isna()].index
    rows = [(i, f"“{ind.at[i, 'weight']}”不是数字", f"“{ind.at[i, 'weight']}” is not a number",
             "填写数字分值（如“10”）", "Write a number of points (e.g. “10”)") for i in bad]
    target, tol = Decimal(str(params.total)), Decimal(str(params.tolerance))
    for key, part in w.groupby(ind["project_key"], sort=False):
        if part.isna().any() or abs(part.sum() - target) <= tol:
            continue
        total = fmt(part.sum())
        fraction = abs(part.sum() - 1) <= tol and target != 1
        hint = "，看似按小数填写" if fraction else ""
        rows.append((part.index[0], f"合计{total}{hint}，应为{fmt(target)}",
                     f"total of the project is {total}{' (fractions?)' if fraction else ''}, not {fmt(target)}",
                     "按百分制填写，各项权重×100" if fraction else f"调整各项权重使合计为{fmt(target)}",
                     "Write weights in points (×100)" if fraction else f"Adjust the weights to total {fmt(target)}"))
    if not rows:  # no hits: no frame to build
        return pd.DataFrame()
    hits = pd.DataFrame(rows, columns=["row", "what_zh", "what_en", "suggest", "suggest_en"])
    return hits.set_index("row").rename_axis(None)
