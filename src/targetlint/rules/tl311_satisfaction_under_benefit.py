"""TL311 satisfaction-under-benefit — 满意度类指标放在了效益指标下.

Satisfaction (服务对象满意度) is a 一级指标 of its own: 满意度指标 →
服务对象满意度指标 (财预〔2015〕88号, 财预〔2021〕101号).  A 三级 that measures
satisfaction (its name contains ``marks``: 满意度, 满意率) filed under
效益指标 — often 社会效益指标 — double-counts it as an effect and leaves the
satisfaction family thin.  A name where satisfaction only qualifies another
measure (``满意度调查覆盖率``, ``满意度测评次数``) is not one.  Which 一级 is
效益 and where satisfaction belongs come from the profile's taxonomy.
"""

from __future__ import annotations

import re

import pandas as pd

from targetlint.rule import Rule, Severity
from targetlint.rules._grammar import name_core
from targetlint.rules._memo import map_distinct
from targetlint.rules._taxonomy import Taxonomy

RULE = Rule(
    code="TL311",
    name="satisfaction-under-benefit",
    severity=Severity.WARNING,
    frame="indicators",
    field="level3",
    summary={"zh": "满意度类指标放在了效益指标下", "en": "Satisfaction indicator filed under effect (benefit) indicators"},
    message={
        "zh": "满意度类指标“{value}”放在了“{level1}”下",
        "en": "Satisfaction indicator “{value}” is filed under “{level1}”",
    },
    suggestion={"zh": "移至“{suggest}”", "en": "Move it under “{suggest}”"},
    params={"marks": ["满意度", "满意率"], "benefit_level1": "效益指标", "satisfaction_level1": "满意度指标"},
    needs=("level3",),
    source="财预〔2015〕88号附件、财预〔2021〕101号：满意度指标为单独的一级指标，反映服务对象对项目实施效果的满意程度",
    bad={"indicators": [{"level1": "效益指标", "level2": "社会效益指标", "level3": "就诊患者满意度", "value": "≥90%"}]},
    good={"indicators": [{"level1": "满意度指标", "level2": "服务对象满意度指标", "level3": "就诊患者满意度", "value": "≥90%"}]},
)

# after the satisfaction word, another measure noun: 满意度调查覆盖率 counts surveys, not satisfaction
_OTHER_MEASURE = re.compile(r"(率|数|次|件|量|人次|户次)$")


def _about_satisfaction(name: str, marks: list[str]) -> bool:
    at = max((name.rfind(m) + len(m) for m in marks if m in name), default=-1)
    return at >= 0 and not _OTHER_MEASURE.search(name[at:])


def check(sub, params) -> pd.DataFrame:
    tax, ind = Taxonomy.of(params), sub.indicators
    l1 = tax.resolve(ind)["l1"]
    benefit = l1.eq(tax.level1(params.benefit_level1) or params.benefit_level1)
    marks = params.marks
    about = map_distinct(ind["level3"], lambda t: _about_satisfaction(name_core(t), marks), na_action="ignore")
    hit = ind.index[benefit & about.fillna(False).astype(bool)]
    target = tax.level1(params.satisfaction_level1) or params.satisfaction_level1
    kids = tax.tree.get(target, ())
    where = f"{target}—{kids[0]}" if kids else target
    return pd.DataFrame({"level1": l1[hit], "suggest": where}, index=hit)
