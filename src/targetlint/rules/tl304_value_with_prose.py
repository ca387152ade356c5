"""TL304 value-with-prose — 指标值在数值之外还夹带文字说明.

指标值 holds the target only: a sign, a number and a unit, a deadline, or a
grade word.  A value that starts as one and then carries prose (``≥0.9年初该项
经费下达后，我镇及时将……``), or buries a number in a sentence, cannot be
scored, and the prose belongs in 绩效指标描述.  The suggestion is the value
alone, written canonically; for a rate or satisfaction indicator a fraction
without ``%`` becomes a percent (``≥0.9`` → ``≥90%``).
"""

from __future__ import annotations

import pandas as pd

from targetlint.rule import Rule, Severity
from targetlint.rules._grammar import as_percent, map_parsed, parse_series, rate_mask

RULE = Rule(
    code="TL304",
    name="value-with-prose",
    severity=Severity.ERROR,
    frame="indicators",
    field="value",
    summary={"zh": "指标值夹带文字说明", "en": "Target value carries prose"},
    message={
        "zh": "指标值除“{matched}”外还夹带文字说明，年终无法对照打分",
        "en": "The target value carries prose besides \"{matched}\" and cannot be scored",
    },
    suggestion={
        "zh": "指标值改为“{suggest}”，文字说明移至“绩效指标描述”",
        "en": "Set the value to \"{suggest}\" and move the prose to the indicator description",
    },
    needs=("value",),
    source="财预〔2015〕88号附件：指标值填写量化的目标值或定性的等级；说明性文字填入绩效指标描述",
    bad={"indicators": [{"level2": "数量指标", "level3": "危房改造户数", "value": "≥35户，由镇村两级逐户核实后实施"}]},
    good={"indicators": [{"level2": "数量指标", "level3": "危房改造户数", "value": "≥35户"}]},
)


def check(sub, params) -> pd.DataFrame:
    ind = sub.indicators
    vocab = params.get("vocab")
    prose = map_parsed(ind["value"], lambda v: v.has_prose, vocab).astype(bool)
    hits = parse_series(ind["value"][prose], vocab)
    if not len(hits):  # no hits: no frame to build
        return pd.DataFrame()
    rate = rate_mask(ind, vocab)[prose]
    return pd.DataFrame(
        {
            "matched": [v.matched for v in hits],
            "suggest": [(as_percent(v) if r else None) or v.canonical() for v, r in zip(hits, rate)],
        },
        index=hits.index,
    )
