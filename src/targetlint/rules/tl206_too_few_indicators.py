"""TL206 too-few-indicators — 绩效指标过少.

A project's targets must be broken down into enough indicators to cover its
outputs, effects and satisfaction and to be scored after the year; one or two
indicators cannot do that.  Counted are indicator rows with a 三级指标 or an
指标值 (template rows left empty are TL205's).  A project with fewer than
``min_indicators`` (default 3) is reported; one with none at all is TL003's.
"""

from __future__ import annotations

import pandas as pd

from targetlint.rule import Rule, Severity
from targetlint.rules._taxonomy import blank

RULE = Rule(
    code="TL206",
    name="too-few-indicators",
    severity=Severity.WARNING,
    frame="projects",
    field="project_name",
    summary={"zh": "项目绩效指标数量过少", "en": "Too few indicators in a project"},
    message={"zh": "仅有 {count} 个绩效指标，少于 {minimum} 个", "en": "Only {count} indicator(s), fewer than {minimum}"},
    suggestion={
        "zh": "按产出（数量、质量、时效、成本）、效益、满意度细化，至少设置 {minimum} 个指标",
        "en": "Break the targets down by output (quantity, quality, time, cost), effect and satisfaction: at least {minimum} indicators",
    },
    params={"min_indicators": 3},
    source="财预〔2015〕88号：绩效指标应细化、量化，覆盖产出、效益和满意度",
    bad={"indicators": [{"level3": "培训人次", "value": "≥360人次"}, {"level1": "满意度指标", "level2": "服务对象满意度指标", "level3": "参训干部满意度", "value": "≥90%"}]},
    good={},
)


def check(sub, params) -> pd.DataFrame:
    ind = sub.indicators
    counted = ind[~blank(ind["level3"]) | ~blank(ind["value"])]
    count = counted.groupby("project_key").size()
    few = count[count < params.min_indicators]
    if not len(few):  # no hits: no frame to build
        return pd.DataFrame()
    p = sub.projects
    rows = p[p["project_key"].isin(few.index)]
    return pd.DataFrame(
        {"count": rows["project_key"].map(few).astype(int), "minimum": params.min_indicators},
        index=rows.index,
    )
