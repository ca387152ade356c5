"""TL207 duplicate-indicator — 同一项目中三级指标重复.

Each 三级指标 of a project should measure something different; the same
indicator twice (often a row copied to fill the form, or the same measure
filed under two 二级) double-counts it in scoring and usually means another
dimension is missing.  Names are compared after normalisation (width,
spaces, punctuation, a trailing unit in brackets or "指标"), so
``培训人次（人次）`` and ``培训人次`` are the same.  The second and later
occurrences are reported, each naming where the first one is.
"""

from __future__ import annotations

import pandas as pd

from targetlint.rule import Rule, Severity
from targetlint.rules._grammar import name_core
from targetlint.rules._memo import map_distinct
from targetlint.rules._text import normalize

RULE = Rule(
    code="TL207",
    name="duplicate-indicator",
    severity=Severity.WARNING,
    frame="indicators",
    field="level3",
    summary={"zh": "同一项目中三级指标重复", "en": "The same level-3 indicator twice in one project"},
    message={
        "zh": "三级指标“{value}”与第{first_no}条指标（{first_loc}）重复",
        "en": "Level-3 indicator “{value}” repeats indicator no. {first_no} ({first_loc})",
    },
    suggestion={
        "zh": "删除重复行，或改为衡量不同内容的指标（如补充{suggest}）",
        "en": "Delete the repeated row, or measure something else (e.g. add {suggest_en})",
    },
    needs=("level3",),
    source="财预〔2015〕88号附件：绩效指标应全面、相互独立，从不同维度反映项目产出和效益",
    bad={"indicators": [
        {"level3": "新建村级文化广场数量", "value": "=6个"},
        {"level2": "数量指标", "level3": "新建村级文化广场数量（个）", "value": "≥6个"},
    ]},
    good={"indicators": [
        {"level3": "新建村级文化广场数量", "value": "=6个"},
        {"level2": "质量指标", "level3": "文化广场验收合格率", "value": "=100%"},
    ]},
)


def check(sub, params) -> pd.DataFrame:
    ind = sub.indicators
    key = map_distinct(ind["level3"], lambda t: normalize(name_core(t)), na_action="ignore").fillna("")
    named = ind[key.ne("")]
    by = [named["project_key"], key[named.index]]
    first = named.index.to_series().groupby(by, sort=False).transform("first")
    again = first[first.ne(named.index.to_series())]  # rows that are not the first of their (project, name)
    if not len(again):  # no hits: no frame to build
        return pd.DataFrame()
    return pd.DataFrame(
        {
            "first_no": [int(ind.at[f, "seq"]) + 1 for f in again],
            "first_loc": [ind.at[f, "level3_loc"] or "" for f in again],
            "suggest": "质量、时效或效益方面的指标",
            "suggest_en": "a quality, timeliness or effect indicator",
        },
        index=again.index,
    )
