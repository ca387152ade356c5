"""TL316 timeliness-not-time — 时效指标的指标值不是时间.

A 时效指标 measures *when*: its value is a deadline or period
(``2021年11月30日前``, ``第三季度``, ``年内``), a duration or frequency
(``≤30天``, ``3个工作日内``, ``每月1次``), or an on-time rate on an
indicator named for it (``资金拨付及时率 ≥95%``, ``按时完成率 =100%``,
``支出进度 ≥90%``).
A count, a money amount, an unnamed percentage (``完工率 100%``), a grade
(``按时完成``, ``较好``) or prose under 时效 says nothing about time and
cannot be scored as one.  The suggestion is a deadline in the budget year,
or, for a percentage, the on-time rate it should be.
"""

from __future__ import annotations

import pandas as pd

from targetlint.rule import Rule, Severity
from targetlint.rules._grammar import as_percent, grammar, parse_series, words
from targetlint.rules._memo import per_row
from targetlint.rules._values import allowed_years, contains_any, families, percent_of

RULE = Rule(
    code="TL316",
    name="timeliness-not-time",
    severity=Severity.WARNING,
    frame="indicators",
    field="value",
    summary={"zh": "时效指标的指标值不是时间", "en": "Timeliness value is not a time"},
    message={
        "zh": "时效指标的指标值不是完成时限、期限或及时率，无法考核进度",
        "en": "The timeliness value is not a deadline, a duration or an on-time rate",
    },
    suggestion={"zh": "{how_zh}“{suggest}”", "en": "{how_en} \"{suggest}\""},
    params={
        "timely_words": ["及时", "按时", "按期", "准时", "如期", "时效", "时限", "限时", "当日", "当天", "首日", "次日", "到期", "提前", "进度"],
    },
    needs=("value",),
    source="财预〔2015〕88号附件：时效指标反映完成的及时程度和效率，以完成时限或时间进度表示",
    bad={"indicators": [{"level2": "时效指标", "level3": "道路硬化完成情况", "value": "=12公里"}]},
    good={"indicators": [{"level2": "时效指标", "level3": "道路硬化完成时间", "value": "2021年10月31日前"}]},
)

_DEADLINE = ("改为完成时限，如", "Write a deadline such as")
_RATE = ("三级指标改为按时完成率类，指标值如", "Name the indicator an on-time rate, with a value such as")


def _timely(v, timely_name: bool, time_units) -> bool:
    """A value that says when: a date, a duration or frequency in time units, or an on-time rate."""
    if v.kind in ("date", "empty", "absent"):
        return True
    if v.kind in ("quantitative", "range") and v.unit:
        per = v.unit.split("/", 1)[1] if "/" in v.unit else ""  # 每月1次 → 次/月: a frequency
        if v.unit_kind == "time" or per in time_units:
            return True
    return timely_name and percent_of(v) is not None


def _suggest(v, years, year) -> str:
    pct = percent_of(v)
    if pct is not None:
        return f"{as_percent(v) or v.canonical()}（按时完成率）"
    year = year or (years[1] if years else None)
    return f"{year}年12月31日前" if year else "年底前"


def check(sub, params) -> pd.DataFrame:
    ind = sub.indicators
    timeliness = families(ind, params) == "时效"
    values = parse_series(ind["value"], params.get("vocab"))
    timely_name = contains_any(ind["level3"], params.timely_words)
    units = words(params.get("vocab"))["units"]
    time_units = set(map(str, (units.get("time") if isinstance(units, dict) else None) or ()))
    g = grammar(params.get("vocab"))
    ok = per_row(lambda text, t: _timely(g.parse(text), t, time_units), ind["value"].tolist(), timely_name.tolist())
    hits, years = values[timeliness & ~pd.Series(ok, index=ind.index)], allowed_years(sub, ind)
    percent = hits.map(lambda v: percent_of(v) is not None).astype(bool)
    budget_year = pd.Series(sub.year_of(ind), index=ind.index, dtype=object)
    return pd.DataFrame(
        {
            "how_zh": [_RATE[0] if p else _DEADLINE[0] for p in percent],
            "how_en": [_RATE[1] if p else _DEADLINE[1] for p in percent],
            "suggest": [_suggest(v, years[i], budget_year[i]) for i, v in hits.items()],
        },
        index=hits.index,
    )
