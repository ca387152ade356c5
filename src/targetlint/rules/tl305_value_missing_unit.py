"""TL305 value-missing-unit — 定量指标值缺少计量单位.

A 定量 value is a sign, a number and a unit (``=21个``, ``≥360人次``); ``21``
or ``≥0.9`` alone cannot be scored, because nobody knows 21 of what.  The
unit may stand in the value, in a 度量单位 column, or in brackets after the
三级 name (``培训人数（人）``).  Quiet for zero (0 is 0 in any unit), for a
plain year (``2021`` as a 完成年度), for coefficients and indices
(``unitless_names``), for a number buried inside prose (TL304's), for a
number followed at once by a short word the vocabulary lacks (``35微克/立方米``:
a unit, just not a listed one), and where
TL308 already owns the slip: a fraction with no ``%`` on a rate or
satisfaction indicator (``≥0.9`` → ``≥90%``).  The suggestion takes the unit
from the name's ending (``…人数`` → 人, ``…率`` → %) when it gives one.
"""

from __future__ import annotations

import pandas as pd

from targetlint.rule import Rule, Severity
from targetlint.rules._grammar import as_percent, grammar, map_parsed, parse_series, rate_mask
from targetlint.rules._memo import per_row
from targetlint.rules._taxonomy import blank
from targetlint.rules._text import has_cjk
from targetlint.rules._values import Units, contains_any, families, per_text, plain_year, unknown_unit, with_unit

RULE = Rule(
    code="TL305",
    name="value-missing-unit",
    severity=Severity.WARNING,
    frame="indicators",
    field="value",
    summary={"zh": "定量指标值缺少计量单位", "en": "Quantitative value without a unit"},
    message={
        "zh": "指标值“{matched}”只有数字，没有计量单位（如 %、个、人次、万元）",
        "en": "The value \"{matched}\" is a bare number with no unit (%, 个, 人次, 万元 …)",
    },
    suggestion={"zh": "指标值改为“{suggest}”", "en": "Write the value as \"{suggest}\""},
    params={
        "name_units": {"人数": "人", "人次": "人次", "户数": "户", "户次": "户次", "个数": "个", "次数": "次",
                       "场次": "场次", "期数": "期", "天数": "天", "件数": "件", "项数": "项", "台数": "台",
                       "套数": "套", "所数": "所", "村数": "个", "份数": "份", "册数": "册", "篇数": "篇",
                       "批次": "批次", "得分": "分", "分值": "分", "率": "%", "满意度": "%", "占比": "%", "比例": "%"},
        "unitless_names": ["系数", "指数", "比值", "倍数", "等级", "星级", "级别", "排名", "名次", "pH"],
        "no_unit_words": ["无", "/", "-", "空", "定性", "不适用", "无单位"],
        "time_names": ["年份", "年度", "时间", "日期", "时限", "期限"],
        "max_unknown_unit": 3,
    },
    needs=("value",),
    source="财预〔2015〕88号附件：定量指标值由“符号+数值+计量单位”构成",
    bad={"indicators": [{"level2": "数量指标", "level3": "新建村级卫生室数", "value": "=21"}]},
    good={"indicators": [{"level2": "数量指标", "level3": "新建村级卫生室数", "value": "=21个"}]},
)


def _unit_given(ind, params) -> pd.Series:
    """Rows whose 度量单位 column names a unit (its conflicts are TL306's)."""
    if "measure_unit" not in ind:
        return pd.Series(False, index=ind.index)
    col = ind["measure_unit"]
    return ~blank(col) & ~col.fillna("").str.strip().isin(params.no_unit_words)


def check(sub, params) -> pd.DataFrame:
    ind, vocab = sub.indicators, params.get("vocab")
    values = parse_series(ind["value"], vocab)
    units = Units(vocab)
    implied = per_text(ind["level3"], lambda t: units.implied(t, params.name_units))
    timely = (families(ind, params) == "时效") | contains_any(ind["level3"], params.time_names)
    rate = rate_mask(ind, vocab)
    longest = params.max_unknown_unit
    bare = map_parsed(ind["value"], lambda v: v.kind in ("quantitative", "range") and (v.unit is None or v.unit_kind == "magnitude")
                      and not has_cjk(v.prefix) and any(n != 0 for n in v.numbers)
                      and not unknown_unit(v, longest), vocab).astype(bool)
    g, texts = grammar(vocab), ind["value"].tolist()
    owned = pd.Series(per_row(lambda t, r: r and as_percent(g.parse(t)) is not None, texts, rate.tolist()), index=ind.index)
    year = pd.Series(per_row(lambda t, tm, y: plain_year(g.parse(t), tm, y), texts, timely.tolist(), sub.year_of(ind)),
                     index=ind.index)
    stated = implied.map(lambda u: u[1]).astype(bool)
    bad = bare & ~owned & ~year & ~stated & ~_unit_given(ind, params) & ~contains_any(ind["level3"], params.unitless_names)
    hits = values[bad]
    if not len(hits):  # no hits: no frame to build
        return pd.DataFrame()
    return pd.DataFrame(
        {
            "matched": [v.matched for v in hits],
            "suggest": [with_unit(v, u) if u else None for v, (u, _) in zip(hits, implied[bad])],
        },
        index=hits.index,
    )
