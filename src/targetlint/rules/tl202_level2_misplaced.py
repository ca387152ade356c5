"""TL202 level2-misplaced — 二级指标放错了一级指标或层级.

Each 二级指标 belongs to one 一级 in the profile's taxonomy (财预〔2015〕88号;
财预〔2021〕101号): 服务对象满意度指标 under 满意度指标, 社会效益指标 under
效益指标.  The rule reports a known name in the wrong place: a 二级 under
another 一级; a 一级 name written in the 二级 column (``满意度指标`` as its own
二级, or — under the newer tree — 成本指标 as a 二级 of 产出); a 二级 name in
the 一级 column; a bare level name (``数量指标``, ``社会效益``) in the 三级
column, where a measurable name belongs.  Names are compared through the
taxonomy (±"指标", 环境效益 = 生态效益); a 三级 about satisfaction
(``服务对象满意度``) is a measurable name and is left alone.  Names the
taxonomy does not know are TL203's; a blank 一级 cell is not judged.
"""

from __future__ import annotations

import pandas as pd

from targetlint.rule import Rule, Severity
from targetlint.rules._grammar import normalize, words
from targetlint.rules._memo import map_distinct, per_row
from targetlint.rules._taxonomy import Taxonomy

RULE = Rule(
    code="TL202",
    name="level2-misplaced",
    severity=Severity.ERROR,
    frame="indicators",
    field="level2",
    summary={"zh": "二级指标放在了不相符的一级指标下或错误的层级", "en": "Level-2 indicator under the wrong level-1, or at the wrong level"},
    message={"zh": "指标层级错位：“{name}”{what_zh}", "en": "Misplaced level: “{name}” {what_en}"},
    suggestion={"zh": "{suggest}", "en": "{suggest_en}"},
    needs=("level2",),
    source="财预〔2015〕88号附件《项目支出绩效目标申报表》指标体系；财预〔2021〕101号",
    bad={"indicators": [{"level1": "产出指标", "level2": "服务对象满意度指标", "level3": "受益群众满意度", "value": "≥90%"}]},
    good={"indicators": [{"level1": "满意度指标", "level2": "服务对象满意度指标", "level3": "受益群众满意度", "value": "≥90%"}]},
)


def _choices(names) -> tuple[str, str]:
    """``“A”`` or ``“A”、“B”之一`` (and English) for a suggestion."""
    zh, en = "、".join(f"“{n}”" for n in names), ", ".join(f"“{n}”" for n in names)
    return (zh, en) if len(names) < 2 else (f"{zh}之一", f"one of {en}")


def _judge(tax: Taxonomy, l1: str | None, raw1, raw2, raw3, sat: tuple[str, ...]):
    """(field, what_zh, what_en, suggest_zh, suggest_en) for one row, or None."""
    kids = lambda one: _choices(tax.tree.get(one, ()))  # noqa: E731
    as1, as2, up = tax.level1(raw2), tax.level2(raw2), tax.parents(raw2)
    if as1 and as1 == l1:  # 满意度指标 | 满意度指标
        return ("level2", "是一级指标名称，不能作二级指标", "is a level-1 name, not a level-2 one",
                f"二级指标改为{kids(as1)[0]}", f"Use {kids(as1)[1]} as the level-2")
    if as1 and as2 is None:  # 产出指标 | 成本指标 under the newer tree
        return ("level2", "在本指标体系中是一级指标", "is a level-1 indicator in this taxonomy",
                f"一级指标改为“{as1}”，二级指标改为{kids(as1)[0]}", f"Make “{as1}” the level-1, with {kids(as1)[1]} as the level-2")
    if l1 and up and l1 not in up:
        return ("level2", f"不属于一级指标“{l1}”", f"does not belong under “{l1}”", f"移至“{up[0]}”", f"Move it under “{up[0]}”")
    if normalize(raw1) and tax.level1(raw1) is None and tax.parent(raw1):
        return ("level1", "是二级指标名称，填在了一级指标栏", "is a level-2 name in the level-1 column",
                f"一级指标改为“{tax.parent(raw1)}”", f"Use “{tax.parent(raw1)}” as the level-1")
    core, named = normalize(raw3), tax.level2(raw3) or tax.level1(raw3)
    if named and not any(w in core for w in sat) and (core.endswith("指标") or tax.level2(raw3)):
        return ("level3", "是指标层级名称，填在了三级指标栏", "is a level name in the level-3 column",
                f"三级指标改为“{named}”下具体、可计量的名称", f"Name a concrete, measurable indicator under “{named}”")
    return None


def check(sub, params) -> pd.DataFrame:
    tax, ind = Taxonomy.of(params), sub.indicators
    sat = tuple(words(params.get("vocab"))["satisfaction_words"])
    l1 = map_distinct(ind["level1"], tax.level1, na_action="ignore").astype(object)
    found = per_row(lambda a, *row: _judge(tax, a if isinstance(a, str) else None, *row, sat),
                    l1.tolist(), ind["level1"].tolist(), ind["level2"].tolist(), ind["level3"].tolist())
    judged = pd.Series(found, index=ind.index, dtype=object).dropna()
    hits = pd.DataFrame(list(judged), columns=["field", "what_zh", "what_en", "suggest", "suggest_en"], index=judged.index)
    hits["name"] = [ind.at[i, f] for i, f in zip(hits.index, hits["field"])]
    return hits
