"""TL308 rate-out-of-range — 比率类指标值超出0–100%，或写成不带%的小数.

A rate (合格率, 覆盖率, 占比 …) or a satisfaction target (an indicator named
…满意度/…率, or filed under 满意度指标) is a percentage.  Written as a
fraction with no ``%`` (``≥0.9``) it reads as 0.9%, and is scored wrongly; a
satisfaction written ``≥0.9%`` is the same slip.  A rate above 100% is
impossible, except for growth indicators (``growth_words``: 增长 增幅 …).
Only the indicator's own name or level decides what it measures: 满意 inside
a sentence-like 三级 of an output indicator does not make it a rate.
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from targetlint.rule import Rule, Severity
from targetlint.rules._grammar import as_percent, fmt, grammar, normalize, rate_mask, satisfaction_mask
from targetlint.rules._memo import map_distinct, per_row

RULE = Rule(
    code="TL308",
    name="rate-out-of-range",
    severity=Severity.WARNING,
    frame="indicators",
    field="value",
    summary={"zh": "比率类指标值超过100%或缺少%", "en": "Rate value above 100% or a fraction without %"},
    message={"zh": "比率类指标值{what_zh}", "en": "Rate value {what_en}"},
    suggestion={"zh": "指标值改为“{suggest}”", "en": "Write the value as \"{suggest}\""},
    params={"growth_words": ["增长", "增幅", "增速", "同比", "环比", "提高", "提升", "增加"]},
    needs=("value",),
    source="财预〔2015〕88号附件：比率类指标以百分比表示；服务对象满意度一般不低于80%、不高于100%",
    bad={"indicators": [{"level1": "满意度指标", "level2": "服务对象满意度指标", "level3": "患者满意度", "value": "≥0.9"}]},
    good={"indicators": [{"level1": "满意度指标", "level2": "服务对象满意度指标", "level3": "患者满意度", "value": "≥90%"}]},
)

_FRACTION = ("写成了不带%的小数，会被读作不足1%", "written as a fraction without %: it reads as under 1%")
_TINY = ("（满意度）不足1%，是把小数当成了百分数", "(satisfaction) under 1%: a fraction mistaken for a percent")
_OVER = ("超过100%", "above 100%")


def _judge(v, rate: bool, sat: bool, growth: bool) -> tuple[tuple[str, str], str | None] | None:
    if v.kind not in ("quantitative", "range") or not (rate or sat):
        return None
    if v.unit is None and as_percent(v):
        return _FRACTION, as_percent(v)
    if v.unit == "%" and sat and all(0 < n < 1 for n in v.numbers):
        return _TINY, f"{v.sign or ''}{'~'.join(fmt(n * 100) for n in v.numbers)}%"
    if v.unit == "%" and max(v.numbers) > Decimal(100) and not growth:
        return _OVER, None
    return None


def check(sub, params) -> pd.DataFrame:
    ind = sub.indicators
    vocab = params.get("vocab")
    rate, sat = rate_mask(ind, vocab), satisfaction_mask(ind, vocab)
    words = params.growth_words
    growth = map_distinct(ind["level3"], lambda t: any(w in normalize(t) for w in words))
    g = grammar(vocab)
    found = per_row(lambda t, *a: _judge(g.parse(t), *a), ind["value"].tolist(), rate.tolist(), sat.tolist(), growth.tolist())
    judged = pd.Series(found, index=ind.index, dtype=object)
    judged = judged[judged.notna()]
    if not len(judged):  # no hits: no frame to build
        return pd.DataFrame()
    return pd.DataFrame(
        {
            "what_zh": [w[0] for w, _ in judged],
            "what_en": [w[1] for w, _ in judged],
            "suggest": [s for _, s in judged],
        },
        index=judged.index,
    )
