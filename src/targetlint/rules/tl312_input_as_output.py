"""TL312 input-as-output — 数量指标衡量的是资金投入而非产出.

A 数量指标 states what the money buys: households helped, kilometres paved,
sessions held.  An indicator that counts the money itself — an amount in
元/万元, or a name about funds and their disbursement (``money_words``: 资金
经费 拨付 支出 金额 到位 …) — measures the input, which is given by the
budget, not an output (财预〔2021〕101号: 产出指标反映提供的公共产品和服务).
A name about money whose value counts objects (``补贴发放户数 ≥300户``,
``资金支持项目个数 =12个``) is an output and stays quiet; so do cost
indicators (their own family) and per-unit rates such as 元/人.
"""

from __future__ import annotations

import pandas as pd

from targetlint.rule import Rule, Severity
from targetlint.rules._grammar import map_parsed, normalize, parse_series
from targetlint.rules._memo import map_distinct
from targetlint.rules._taxonomy import Taxonomy

RULE = Rule(
    code="TL312",
    name="input-as-output",
    severity=Severity.WARNING,
    frame="indicators",
    field="level3",
    summary={"zh": "数量指标衡量的是资金投入或拨付，不是产出", "en": "Quantity indicator measures money or disbursement, not output"},
    message={"zh": "数量指标{why_zh}，反映的是资金投入而非产出", "en": "The quantity indicator {why_en}: an input, not an output"},
    suggestion={
        "zh": "改为资金形成的产出数量（如“补助发放户数”“完成改造户数”），资金拨付进度可作时效指标",
        "en": "Count what the money delivers (households paid, units built); put disbursement timing under timeliness",
    },
    params={"money_words": ["资金", "经费", "拨付", "拨款", "支出", "支付", "兑付", "安排金额", "金额", "到位", "预算", "款项"],
            "output_units": ["count", "area", "length", "weight", "volume", "energy", "age"],
            "money_units": ["元", "千元", "万元", "亿元"]},
    needs=("level3",),
    source="财预〔2021〕101号：产出指标反映根据既定目标，相关预算资金预期提供的公共产品和服务情况",
    bad={"indicators": [{"level3": "专项资金拨付金额", "value": "≥120万元"}]},
    good={"indicators": [{"level3": "补贴资金发放户数", "value": "≥300户"}]},
)


def check(sub, params) -> pd.DataFrame:
    ind = sub.indicators
    quantity = Taxonomy.of(params).resolve(ind)["family"].eq("数量")
    vocab, money_units, output_units, money_words = params.get("vocab"), params.money_units, params.output_units, params.money_words
    values = parse_series(ind["value"], vocab)
    money_value = map_parsed(ind["value"], lambda v: v.unit in money_units, vocab)
    counted = map_parsed(ind["value"], lambda v: v.unit_kind in output_units, vocab)
    names = map_distinct(ind["level3"], normalize, na_action="ignore")
    word = map_distinct(names, lambda t: next((w for w in money_words if w in t), None), na_action="ignore")
    hit = quantity & (money_value | (word.notna() & ~counted))
    idx = ind.index[hit]
    by_unit = money_value[idx]
    return pd.DataFrame(
        {
            "why_zh": [f"以金额（{values[i].unit}）计量" if m else f"涉及“{word[i]}”" for i, m in zip(idx, by_unit)],
            "why_en": [f"is an amount ({values[i].unit})" if m else f"is about “{word[i]}”" for i, m in zip(idx, by_unit)],
        },
        index=idx,
    )
