"""TL203 level-name-unknown — 一级或二级指标名称不在指标体系中.

一级 and 二级指标 are fixed by the indicator tree (财预〔2015〕88号, or
财预〔2021〕101号 under ``mof-2021``): reviewers, budget systems and the
later self-evaluation all key on those names.  A name the profile's taxonomy
does not know after normalisation (spaces, full/half width, numbering, a
bracketed note, ±"指标", the taxonomy's synonyms) is reported with the
nearest valid name: for a 二级, among the children of its row's 一级 when
that is known.  A known name at the wrong level is TL202's concern, not this
rule's; blank cells (merged down) are not judged.
"""

from __future__ import annotations

import pandas as pd

from targetlint.rule import Rule, Severity
from targetlint.rules._grammar import normalize
from targetlint.rules._memo import map_distinct
from targetlint.rules._taxonomy import Taxonomy

RULE = Rule(
    code="TL203",
    name="level-name-unknown",
    severity=Severity.ERROR,
    frame="indicators",
    field="level2",
    summary={"zh": "一级或二级指标名称不在指标体系中", "en": "Level-1 or level-2 name not in the indicator taxonomy"},
    message={"zh": "{level_zh}“{value}”不在指标体系中", "en": "{level_en} “{value}” is not in the indicator taxonomy"},
    suggestion={"zh": "改为{suggest}", "en": "Use {suggest_en}"},
    params={"min_similarity": 0.3},
    needs=("level2",),
    source="财预〔2015〕88号附件《项目支出绩效目标申报表》指标体系；财预〔2021〕101号",
    bad={"indicators": [{"level1": "效益指标", "level2": "社会效果指标", "level3": "群众办事便利度", "value": "明显提升"}]},
    good={"indicators": [{"level1": "效益指标", "level2": "社会效益指标", "level3": "群众办事便利度", "value": "明显提升"}]},
)

_LEVELS = {"level1": ("一级指标", "Level-1 name"), "level2": ("二级指标", "Level-2 name")}


def _unknown(tax: Taxonomy, series: pd.Series) -> pd.Series:
    text = map_distinct(series, normalize, na_action="ignore").fillna("")
    known = map_distinct(series, lambda n: bool(tax.level1(n) or tax.level2(n)), na_action="ignore").fillna(False).astype(bool)
    return text.ne("") & ~known


def check(sub, params) -> pd.DataFrame:
    tax, ind = Taxonomy.of(params), sub.indicators
    l1 = tax.resolve(ind)["l1"]
    rows = []
    for col in ("level1", "level2"):
        if col not in ind:
            continue
        for i in ind.index[_unknown(tax, ind[col])]:
            pool = tax.names(1) if col == "level1" else tax.tree.get(l1[i] or "", ()) or tax.names(2)
            best, score = tax.nearest(ind.at[i, col], pool)
            close = score >= params.min_similarity
            zh = f"“{best}”" if close else "、".join(f"“{n}”" for n in pool) + "之一"
            en = f"“{best}”" if close else "one of " + ", ".join(pool)
            rows.append((i, col, *_LEVELS[col], zh, en))
    if not rows:  # no hits: no frame to build
        return pd.DataFrame()
    hits = pd.DataFrame(rows, columns=["row", "field", "level_zh", "level_en", "suggest", "suggest_en"])
    return hits.set_index("row").rename_axis(None)
