"""TL309 sign-direction — 比较符号与指标方向相反.

The comparison sign says which way the target points, and it must point the
way the indicator is good.  A cost (an indicator under 成本指标, or named
…成本/费用/单价/支出) is a ceiling: ``≥350元/人次`` invites spending more.
A rate of bad events (故障率, 事故发生率, 投诉率, 差错率) is a ceiling too.
Where a 指标方向 column says 正向/越大越好 or 反向/越小越好, the sign must agree
with it.  Names that measure savings, incomes or handling of bad events
(成本节约率, 投诉办结率) point upwards and are left alone, as are rates
(资金支出率).  The suggestion is the value with its sign reversed, or with
``=`` for a cost that is a fixed standard (补助标准, 定额).
"""

from __future__ import annotations

import pandas as pd

from targetlint.rule import Rule, Severity
from targetlint.rules._grammar import map_parsed, parse_series, rate_mask, satisfaction_mask
from targetlint.rules._values import contains_any, families, flipped, names

RULE = Rule(
    code="TL309",
    name="sign-direction",
    severity=Severity.WARNING,
    frame="indicators",
    field="value",
    summary={"zh": "比较符号与指标方向相反", "en": "Comparison sign points the wrong way"},
    message={"zh": "{why_zh}，指标值却用“{sign}”", "en": "{why_en}, yet the value uses \"{sign}\""},
    suggestion={"zh": "指标值改为“{suggest}”", "en": "Write the value as \"{suggest}\""},
    params={
        "cost_words": ["成本", "费用", "单价", "支出", "造价", "价格"],
        "upward_words": ["节约", "节省", "降低", "下降", "压减", "减少", "收入", "效益", "配套", "自筹", "执行", "进度", "拨付"],
        "bad_event_words": ["故障", "事故", "投诉", "差错", "发生", "违规", "违纪", "违法", "失误", "误差", "返工",
                            "不合格", "流失", "辍学", "死亡", "伤亡", "复发", "感染", "纠纷", "上访", "逾期", "超支",
                            "损失", "空置", "闲置", "发病", "错误", "失败", "破损", "漏报"],
        "handling_words": ["处理", "处置", "办结", "回复", "答复", "解决", "修复", "排除", "整改", "纠正", "查处",
                           "结案", "化解", "调处", "响应", "受理", "下降", "降低", "减少", "控制"],
        "fixed_words": ["标准", "定额"],
        "upward_direction": ["正向", "越大越好", "越高越好", "越多越好", "高优"],
        "downward_direction": ["反向", "逆向", "负向", "越小越好", "越低越好", "越少越好", "低优"],
    },
    needs=("value",),
    source="财预〔2015〕88号附件：成本指标反映控制的成本，以“≤”表示上限；预算管理一体化系统指标方向栏",
    bad={"indicators": [{"level2": "成本指标", "level3": "人均体检费用", "value": "≥180元/人"}]},
    good={"indicators": [{"level2": "成本指标", "level3": "人均体检费用", "value": "≤180元/人"}]},
)

_UP, _DOWN = ("≥", ">"), ("≤", "<")
_REASONS = {
    "column_up": ("指标方向为正向（越大越好）", "The direction column says higher is better"),
    "column_down": ("指标方向为反向（越小越好）", "The direction column says lower is better"),
    "cost": ("成本类指标应设上限", "A cost is a ceiling"),
    "bad_rate": ("不良事件发生率应设上限", "A rate of bad events is a ceiling"),
}


def check(sub, params) -> pd.DataFrame:
    ind, vocab = sub.indicators, params.get("vocab")
    values = parse_series(ind["value"], vocab)
    sign = map_parsed(ind["value"], lambda v: v.sign if v.kind == "quantitative" else None, vocab)
    level3, name, rate = ind["level3"], names(ind), rate_mask(ind, vocab)
    up_col = contains_any(ind["direction"], params.upward_direction)  # absent column: None → False
    down_col = contains_any(ind["direction"], params.downward_direction)
    costly = map_parsed(ind["value"], lambda v: v.unit_kind in (None, "money", "magnitude"), vocab).astype(bool)
    cost = ((families(ind, params) == "成本") | contains_any(name, params.cost_words)) & costly & ~rate
    cost &= ~contains_any(level3, params.upward_words)
    bad_rate = rate & ~satisfaction_mask(ind, vocab) & contains_any(name, params.bad_event_words)
    bad_rate &= ~contains_any(level3, params.handling_words)
    fixed = contains_any(level3, params.fixed_words)  # 补助标准: a fixed rate, written with "="
    reason = pd.Series(None, index=ind.index, dtype=object)
    pointing_up = sign.isin(_UP)
    for key, mask in (("bad_rate", bad_rate & pointing_up), ("cost", cost & pointing_up),
                      ("column_up", up_col & ~down_col & sign.isin(_DOWN)), ("column_down", down_col & pointing_up)):
        reason = reason.mask(mask, key)  # later, more explicit reasons win
    hits = reason[reason.notna()]
    if not len(hits):  # no hits: no frame to build
        return pd.DataFrame()
    return pd.DataFrame(
        {
            "why_zh": [_REASONS[k][0] for k in hits],
            "why_en": [_REASONS[k][1] for k in hits],
            "sign": sign[hits.index],
            "suggest": [flipped(values[i], "=" if fixed[i] and k == "cost" else None) for i, k in hits.items()],
        },
        index=hits.index,
    )
