"""TL313 level2-content-mismatch — 二级指标与三级指标内容不相符.

The 二级 says which dimension an indicator measures (财预〔2015〕88号): 数量
counts what is delivered, 质量 how well (rates, standards met), 时效 by when.
This advice notes rows whose content points to another dimension: a count
(unit 个 人 户 …) under 质量, unless it counts defects (``defect_words``:
事故 投诉 故障 …, a quality measure); a rate (value in %, or a name ending 率/占比 …)
under 数量, except rates that are conventionally quantities
(``quantity_rates``: 完成率, 覆盖率); a deadline, a date value or wording
such as 及时 按时 完成时间 (``timely_words``) under 质量 or 数量.  Each note
suggests the fitting 二级.  Satisfaction rates are other rules' concern.
"""

from __future__ import annotations

import pandas as pd

from targetlint.rule import Rule, Severity
from targetlint.rules._grammar import grammar, name_core, rate_mask, satisfaction_mask, short_name
from targetlint.rules._memo import map_distinct, per_row
from targetlint.rules._taxonomy import Taxonomy

RULE = Rule(
    code="TL313",
    name="level2-content-mismatch",
    severity=Severity.INFO,
    frame="indicators",
    field="level2",
    summary={"zh": "二级指标与指标内容不相符（如计数放在质量、时间放在质量）", "en": "Level-2 does not fit the indicator's content"},
    message={"zh": "三级指标{why_zh}，与二级指标“{value}”不相符", "en": "The level-3 indicator {why_en}, which does not fit level-2 “{value}”"},
    suggestion={"zh": "改列“{suggest}”", "en": "File it under “{suggest}”"},
    params={"timely_words": ["及时", "按时", "按期", "如期", "准时", "完成时间", "完工时间", "办结时间", "时限", "工期"],
            "quantity_rates": ["完成率", "覆盖率"],
            "defect_words": ["事故", "投诉", "故障", "差错", "违规", "返工", "问题", "隐患", "不合格"]},
    needs=("level2",),
    source="财预〔2015〕88号附件：数量指标反映产出数量，质量指标反映产出标准和水平，时效指标反映完成时间",
    bad={"indicators": [{"level2": "质量指标", "level3": "道路维修完成时间", "value": "2021年9月30日前"}]},
    good={"indicators": [{"level2": "时效指标", "level3": "道路维修完成时间", "value": "2021年9月30日前"}]},
)

_WHY = {"time": ("涉及完成时间或及时性", "is about timing"), "count": ("是计数", "is a count"),
        "rate": ("是比率", "is a rate")}


def _why(family, name: str, short: str, v, rate: bool, params) -> tuple[str, str] | None:
    """(reason, suggested family) for one row, or None.  Under 数量 a sentence merely mentioning 及时 is not enough."""
    worded = any(w in (name if family == "质量" else short) for w in params.timely_words)
    if family in ("质量", "数量") and (v.kind == "date" or worded):
        return "time", "时效"
    defects = any(w in name for w in params.defect_words)  # 事故次数 =0次 counts defects: a quality measure
    if family == "质量" and v.kind == "quantitative" and v.unit_kind == "count" and not rate and not defects:
        return "count", "数量"
    if family == "数量" and rate and not name.endswith(tuple(params.quantity_rates)):
        return "rate", "质量"
    return None


def check(sub, params) -> pd.DataFrame:
    tax, ind, vocab = Taxonomy.of(params), sub.indicators, params.get("vocab")
    family = tax.resolve(ind)["family"]
    g = grammar(vocab)
    percent = map_distinct(ind["value"], lambda t: g.parse(t).unit == "%")
    rate = (rate_mask(ind, vocab) | percent) & ~satisfaction_mask(ind, vocab)

    def why(fam, level3, value, r):
        return _why(fam, name_core(level3), short_name(level3), g.parse(value), r, params)  # a blank name: ""

    found = per_row(why, family.tolist(), ind["level3"].tolist(), ind["value"].tolist(), rate.tolist())
    judged = pd.Series(found, index=ind.index, dtype=object).dropna()
    if not len(judged):  # no hits: no frame to build
        return pd.DataFrame()
    named = {tax.family(n): n for n in reversed(tax.names(2)) if tax.family(n)}  # 时效 → 时效指标 (first wins)
    return pd.DataFrame(
        {
            "why_zh": [_WHY[w][0] for w, _ in judged],
            "why_en": [_WHY[w][1] for w, _ in judged],
            "suggest": [named.get(f, f"{f}指标") for _, f in judged],
        },
        index=judged.index,
    )
