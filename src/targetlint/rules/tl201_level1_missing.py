"""TL201 level1-missing — 缺少一级指标.

Since 2018 every project's targets must cover outputs, effects and
beneficiary satisfaction (中发〔2018〕34号): a project needs at least one
indicator under each 一级指标 its profile's taxonomy requires — 产出指标,
效益指标 and 满意度指标; under the newer tree (财预〔2021〕101号) also
成本指标.  Level names are matched through the taxonomy (``产出`` =
``产出指标``; a blank 一级 is taken from its 二级).  One finding per missing
一级, at the project's first 一级 cell.  A missing 满意度指标 (and 成本指标)
is a warning (parameter ``severities``); a project with no indicators at all
is left to TL003.
"""

from __future__ import annotations

import pandas as pd

from targetlint.rule import Rule, Severity
from targetlint.rules._taxonomy import Taxonomy, anchor

RULE = Rule(
    code="TL201",
    name="level1-missing",
    severity=Severity.ERROR,
    frame="texts",
    field="level1",
    summary={"zh": "缺少产出、效益或满意度等一级指标", "en": "A required level-1 indicator family is missing"},
    message={"zh": "缺少一级指标“{missing}”", "en": "No level-1 indicator “{missing}”"},
    suggestion={"zh": "补充“{missing}”，如{suggest}", "en": "Add “{missing}” indicators, e.g. {suggest}"},
    params={"severities": {"满意度指标": "warning", "成本指标": "warning"}},
    needs=("level1",),
    source="《关于全面实施预算绩效管理的意见》（中发〔2018〕34号）；财预〔2015〕88号、财预〔2021〕101号指标体系",
    bad={"indicators": [{"level3": "培训人次", "value": "≥360人次"}, {"level2": "质量指标", "level3": "考核合格率", "value": "≥95%"}]},
    good={},
)


def check(sub, params) -> pd.DataFrame:
    tax = Taxonomy.of(params)
    ind = sub.indicators
    have: dict = {}  # project → the 一级 it has
    for key, l1 in set(zip(ind["project_key"].tolist(), tax.resolve(ind)["l1"].tolist())):  # each pair once
        if l1 is not None:
            have.setdefault(key, set()).add(l1)
    at = anchor(sub).to_dict()
    rows = [
        (at[key], need, params.severities.get(need), "、".join(tax.tree.get(need, ())[:3]) or need)
        for key in ind["project_key"].unique() if key in at
        for need in tax.required if need not in have.get(key, set())
    ]
    if not rows:  # no hits: no frame to build
        return pd.DataFrame()
    hits = pd.DataFrame(rows, columns=["row", "missing", "severity", "suggest"])
    return hits.set_index("row").rename_axis(None)
