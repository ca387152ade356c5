"""TL205 empty-template-row — 保留了模板中的空二级指标行.

The blank form lists every 二级指标 (数量、质量、时效、成本、经济效益 …) with
empty rows under them; a unit fills the ones that fit and should delete the
rest.  A row that names a 二级 but has neither a 三级指标 nor a 指标值 is such
a leftover: it cannot be scored, and it hides whether the dimension was
considered at all.  Only rows whose 三级 cell exists and is blank are judged
(a layout without a 三级 column is skipped); a blank 指标值 cell or a layout
without one both count as "no value".
"""

from __future__ import annotations

import pandas as pd

from targetlint.rule import Rule, Severity
from targetlint.rules._taxonomy import Taxonomy, blank

RULE = Rule(
    code="TL205",
    name="empty-template-row",
    severity=Severity.WARNING,
    frame="indicators",
    field="level2",
    summary={"zh": "二级指标行没有三级指标和指标值（模板空行）", "en": "Level-2 row with no level-3 indicator and no value (template leftover)"},
    message={
        "zh": "二级指标“{value}”下没有三级指标和指标值",
        "en": "Level-2 “{value}” has no level-3 indicator and no value",
    },
    suggestion={
        "zh": "补充该二级指标下具体的三级指标和指标值（如{suggest}），不适用则删除此行",
        "en": "Add a level-3 indicator and value under it (e.g. {suggest_en}), or delete the row if it does not apply",
    },
    needs=("level2", "level3"),
    source="财预〔2015〕88号附件：绩效指标应细化、量化，每个二级指标下设置具体的三级指标",
    bad={"indicators": [
        {"level3": "义诊服务人次", "value": "≥1200人次"},
        {"level2": "时效指标", "level3": "", "description": "", "value": "", "basis": ""},
    ]},
    good={"indicators": [
        {"level3": "义诊服务人次", "value": "≥1200人次"},
        {"level2": "时效指标", "level3": "义诊活动完成时间", "value": "2021年10月31日前"},
    ]},
)

_EXAMPLES = {"数量": ("“……人数”“……个数”", "“number of …”"), "质量": ("“……合格率”", "“… pass rate”"),
             "时效": ("“……完成时间”", "“completion date of …”"), "成本": ("“……单位成本”", "“unit cost of …”")}
_DEFAULT = ("“……率”“……数量”", "“… rate”, “number of …”")


def check(sub, params) -> pd.DataFrame:
    ind = sub.indicators
    empty = ~blank(ind["level2"]) & ind["level3"].notna() & blank(ind["level3"]) & blank(ind["value"])
    family = Taxonomy.of(params).resolve(ind)["family"][empty]
    ex = [_EXAMPLES.get(f, _DEFAULT) for f in family]
    return pd.DataFrame({"suggest": [z for z, _ in ex], "suggest_en": [e for _, e in ex]}, index=family.index)
