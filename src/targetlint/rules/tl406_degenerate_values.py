"""TL406 degenerate-values — 指标值千篇一律，或有值无指标名称.

Each indicator measures something different, so its target differs: a count
of villages, a pass rate, a deadline, a satisfaction percentage.  A project
whose every value is the same (``≥90%`` in ``min_rows`` or more rows that span
different 一级 indicators — a count, a deadline and a satisfaction rate all
``≥90%``) was filled mechanically and cannot be scored.  Values are compared
as parsed (``≥0.9…`` and ``≥0.9，…`` are one value); the same percent on rows
that are all rates (合格率 100%, 完成率 100%) is plausible and left alone.  A
value with no 三级指标 name beside it measures nothing and is reported too.
"""

from __future__ import annotations

import pandas as pd

from targetlint.rule import Rule, Severity
from targetlint.rules._grammar import VALUE_KINDS, map_parsed, normalize, rate_mask
from targetlint.rules._memo import map_distinct
from targetlint.rules._taxonomy import Taxonomy, blank

RULE = Rule(
    code="TL406",
    name="degenerate-values",
    severity=Severity.ERROR,
    frame="indicators",
    field="value",
    summary={"zh": "指标值千篇一律或有值无指标名称", "en": "Same value in every row, or a value with no indicator name"},
    message={"zh": "指标值{what_zh}", "en": "The value {what_en}"},
    suggestion={"zh": "{advice_zh}", "en": "{advice_en}"},
    params={"min_rows": 3},
    needs=("value",),
    source="财预〔2015〕88号附件：绩效指标应细化、量化，指标值与三级指标一一对应",
    bad={"indicators": [{"level3": "培训期数", "value": "≥90%"}, {"level2": "时效指标", "level3": "培训完成时间", "value": "≥90%"},
                        {"level1": "满意度指标", "level2": "服务对象满意度指标", "level3": "学员满意度", "value": "≥90%"}]},
    good={"indicators": [{"level3": "培训期数", "value": "=4期"}, {"level2": "时效指标", "level3": "培训完成时间", "value": "2021年11月底前"},
                         {"level1": "满意度指标", "level2": "服务对象满意度指标", "level3": "学员满意度", "value": "≥90%"}]},
)


def _key(v) -> str:
    """What a value is, for comparing rows: the value as parsed, the text for prose, "" for blank."""
    if v.kind in VALUE_KINDS:
        return v.canonical()
    return "" if v.kind in ("empty", "absent") else normalize(v.text)


def _same_value_rows(ind: pd.DataFrame, key: pd.Series, params) -> pd.DataFrame:
    """One hit (on the project's first row) per project whose values are all the same."""
    filled = ind[key != ""]
    columns = ["row", "field", "what_zh", "what_en", "advice_zh", "advice_en"]
    by_key = key[filled.index].groupby(filled["project_key"], sort=False)
    if not ((by_key.size() >= params.min_rows) & (by_key.nunique() == 1)).any():  # the cheap test first
        return pd.DataFrame([], columns=columns).set_index("row")
    # the kind of thing measured: its 一级, else whatever its level cells say
    tree = Taxonomy.of(params).resolve(filled)
    kind = tree["l1"].fillna(map_distinct(filled["level1"], normalize)).fillna(map_distinct(filled["level2"], normalize))
    # rate_mask is row by row: the whole frame's (computed once per run) cut to the filled rows
    percent = map_parsed(filled["value"], lambda v: v.unit == "%", params.get("vocab")).astype(bool)
    rate = rate_mask(ind, params.get("vocab"))[filled.index] & percent
    stats = pd.DataFrame({"key": key[filled.index], "l1": kind.fillna("").astype(str), "rate": rate})
    g = stats.groupby(filled["project_key"], sort=False)
    per = pd.DataFrame({"n": g.size(), "keys": g["key"].nunique(), "l1s": g["l1"].nunique(), "rates": g["rate"].all()})
    bad = per[(per["n"] >= params.min_rows) & (per["keys"] == 1) & (per["l1s"] >= 2) & ~per["rates"]]
    first = filled.reset_index().groupby("project_key", sort=False)["index"].first()
    rows = [(first[k], "value", f"千篇一律：本项目全部 {int(n)} 条指标都是“{stats.at[first[k], 'key']}”，未按指标分别设定目标",
             f"“{stats.at[first[k], 'key']}” is repeated in all {int(n)} indicators of the project",
             "按每条指标的含义分别设定目标值：数量填个数、时效填完成时间、满意度填百分比", "Set each indicator's own target: a count, a deadline, a percentage")
            for k, n in bad["n"].items()]
    return pd.DataFrame(rows, columns=columns).set_index("row")


def check(sub, params) -> pd.DataFrame:
    ind = sub.indicators
    key = map_parsed(ind["value"], _key, params.get("vocab"))  # the key of a value text: each distinct text once
    same = _same_value_rows(ind, key, params)
    nameless = ind[ind["level3"].notna() & blank(ind["level3"]) & (key != "")]
    if same.empty and nameless.empty:  # no hits: no frame to build
        return pd.DataFrame()
    named = pd.DataFrame(
        {"field": "level3", "what_zh": "“" + nameless["value"].astype(str) + "”没有对应的三级指标名称，无法考核",
         "what_en": "“" + nameless["value"].astype(str) + "” has no level-3 indicator name",
         "advice_zh": "补填三级指标名称，或删除此行", "advice_en": "Name the indicator, or delete the row"},
        index=nameless.index,
    )
    return pd.concat([same, named]).rename_axis(None)
