"""TL303 value-unparseable — 指标值既不是数值，也不是等级词或日期.

A target must be scored against the actual result at the year's end, so
指标值 is 定量 (sign + number + unit: ``≥95%``, ``=21个``, ``≤350元/人次``),
a date or period (``2021年11月30日前``, ``年内``), or 定性 — a grade word of
the profile's ``grade_words`` (好/较好/一般/差, 达到预期…).  A value in which
no part matches this grammar (``提升``, ``影响长远``, a sentence with no
number) cannot be scored; neither can an empty value.  A value with a number
inside prose is TL304's, not this rule's.
"""

from __future__ import annotations

import pandas as pd

from targetlint.rule import Rule, Severity
from targetlint.rules._grammar import map_parsed

RULE = Rule(
    code="TL303",
    name="value-unparseable",
    severity=Severity.ERROR,
    frame="indicators",
    field="value",
    summary={"zh": "指标值无法计量（无数值、非等级词）", "en": "Target value is neither a number, a date nor a grade"},
    message={"zh": "{what_zh}，年终无法对照打分", "en": "{what_en} and cannot be scored at the year's end"},
    suggestion={
        "zh": "填写“符号+数值+单位”（如 ≥95%、=21个、≤350元/人次）、完成时限（如 2021年11月30日前）或等级（好/较好/一般/差、达到预期）",
        "en": "Write sign + number + unit (≥95%, =21个), a deadline (2021年11月30日前) or a grade (好/较好/一般/差, 达到预期)",
    },
    needs=("value",),
    source="财预〔2015〕88号附件：指标值应量化，难以量化的采用分级分档的定性表述；中发〔2018〕34号",
    bad={"indicators": [{"level3": "乡村环境整治效果", "value": "群众居住环境进一步改善"}]},
    good={"indicators": [{"level3": "乡村环境整治效果", "value": "明显改善"}]},
)

_WHAT = {
    "empty": ("指标值为空", "The target value is empty"),
    "none": ("指标值不是数值、日期或等级词", "The target value is not a number, a date or a grade word"),
}


def check(sub, params) -> pd.DataFrame:
    values = sub.indicators["value"]
    kinds = map_parsed(values[values.notna()], lambda v: v.kind, params.get("vocab"))
    bad = kinds[kinds.isin(list(_WHAT))]
    if not len(bad):  # no hits: no frame to build
        return pd.DataFrame()
    return pd.DataFrame(
        {"what_zh": [_WHAT[k][0] for k in bad], "what_en": [_WHAT[k][1] for k in bad]},
        index=bad.index,
    )
