"""TL310 satisfaction-target — 满意度目标值为100%或低于下限.

Beneficiary satisfaction is conventionally targeted at ≥80%…≥95%.  A target
of 100% is queried as unrealistic: a survey with one unhappy answer fails it
(warning; the suggestion is ``≥95%``).  A target below ``satisfaction_floor``
(80%) sets the bar too low to show the project serves its beneficiaries
(info).  A fraction without ``%`` (``≥0.9``) is read as the percent it
stands for; that it lacks the ``%`` is TL308's finding, as is a satisfaction
written ``≥0.9%``.  Satisfaction rows are recognised by the value grammar's
satisfaction mask (a name with 满意, or filed under 满意度指标).
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from targetlint.rule import Rule, Severity
from targetlint.rules._grammar import fmt, parse_series, satisfaction_mask
from targetlint.rules._values import percent_of

RULE = Rule(
    code="TL310",
    name="satisfaction-target",
    severity=Severity.WARNING,
    frame="indicators",
    field="value",
    summary={"zh": "满意度目标值为100%或低于下限", "en": "Satisfaction target of 100% or below the floor"},
    message={"zh": "满意度目标“{matched}”{what_zh}", "en": "The satisfaction target \"{matched}\" {what_en}"},
    suggestion={"zh": "指标值改为“{suggest}”", "en": "Write the value as \"{suggest}\""},
    params={"satisfaction_floor": 80.0, "unrealistic_from": 100.0, "realistic_target": 95.0,
            "below_floor_severity": "info"},
    needs=("value",),
    source="财预〔2015〕88号附件及各地审核口径：服务对象满意度一般设定为不低于80%、不高于95%，100%视为不切实际",
    bad={"indicators": [{"level1": "满意度指标", "level2": "服务对象满意度指标", "level3": "低保对象满意度", "value": "=100%"}]},
    good={"indicators": [{"level1": "满意度指标", "level2": "服务对象满意度指标", "level3": "低保对象满意度", "value": "≥90%"}]},
)


def _decimals(params) -> tuple[Decimal, Decimal, Decimal]:
    return tuple(Decimal(str(params[k])) for k in ("unrealistic_from", "realistic_target", "satisfaction_floor"))


def _judge(v, params):
    """(what_zh, what_en, suggest, severity) for a satisfaction value, or None."""
    pct = percent_of(v)
    if pct is None or v.sign in ("≤", "<") or (v.unit == "%" and all(p < 1 for p in pct)):
        return None  # ≥0.9% is a fraction mistaken for a percent: TL308's
    low, (top, target, floor) = pct[0], _decimals(params)
    if low >= top:
        return (f"为{fmt(low)}%，不切实际：一份不满意的问卷即不达标", f"is {fmt(low)}%: unrealistic, one unhappy answer fails it",
                f"≥{fmt(target)}%", None)
    if low < floor:
        return (f"低于{fmt(floor)}%，目标偏低", f"is below {fmt(floor)}%: the bar is too low",
                f"≥{fmt(floor)}%", params.below_floor_severity)
    return None


def check(sub, params) -> pd.DataFrame:
    ind = sub.indicators
    sat = satisfaction_mask(ind, params.get("vocab"))
    values = parse_series(ind["value"][sat], params.get("vocab"))
    judged = values.map(lambda v: _judge(v, params))
    judged = judged[judged.notna()]
    if not len(judged):  # no hits: no frame to build
        return pd.DataFrame()
    return pd.DataFrame(
        {
            "matched": [values[i].matched for i in judged.index],
            "what_zh": [j[0] for j in judged],
            "what_en": [j[1] for j in judged],
            "suggest": [j[2] for j in judged],
            "severity": [j[3] for j in judged],
        },
        index=judged.index,
    )
