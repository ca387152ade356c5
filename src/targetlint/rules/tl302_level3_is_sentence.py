"""TL302 level3-is-sentence — 三级指标是一句话，不是可计量的指标名称.

A 三级指标 names what is measured (培训人次, 道路硬化里程, 服务对象满意度),
so that a value can be set and later checked against it.  A 三级 that is a
sentence — longer than ``max_length`` characters, holding ``，。；``, or a
task verb such as 确保 做到 严格 按照 及时 — and that does not end in a
measure noun (率 数 量 人次 天数 万元 面积 时间 成本 满意度 …) describes work
to do, not a measure.  Verbs and measure nouns are the vocabulary lists
``sentence_verbs`` and ``measure_nouns``; ``verbs`` and ``measure_nouns``
here add to them.
"""

from __future__ import annotations

import re

import pandas as pd

from targetlint.rule import Rule, Severity
from targetlint.rules._grammar import name_core, normalize, words
from targetlint.rules._memo import map_distinct

RULE = Rule(
    code="TL302",
    name="level3-is-sentence",
    severity=Severity.WARNING,
    frame="indicators",
    field="level3",
    summary={"zh": "三级指标写成了句子", "en": "Level-3 indicator is a sentence, not a measurable name"},
    message={"zh": "三级指标是一句话（{why_zh}），不是可计量的指标名称", "en": "The level-3 indicator is a sentence ({why_en}), not a measurable name"},
    suggestion={
        "zh": "改为可计量的名称（如“……数量”“……率”“……完成时间”），把这句话移至“绩效指标描述”",
        "en": "Use a measurable name (\"number of …\", \"… rate\", \"completion date of …\") and move the sentence to the description",
    },
    params={"max_length": 20, "verbs": [], "measure_nouns": []},
    needs=("level3",),
    source="财预〔2015〕88号附件：三级指标应细化、量化，可衡量；《项目支出绩效评价管理办法》（财预〔2020〕10号）指标应可计量",
    bad={"indicators": [{"level3": "确保农村公路安全畅通，及时完成养护任务"}]},
    good={"indicators": [{"level3": "农村公路养护里程", "value": "≥85公里"}]},
)

_PUNCT = re.compile(r"[,;。]")


def _why(text: str, params, verbs: list[str], measures: list[str], lookalikes: list[str]) -> tuple[str, str] | None:
    core = name_core(text)
    if core.endswith(tuple(measures)) and not core.endswith(tuple(lookalikes)):
        return None
    if len(core) > params.max_length:
        return f"超过{params.max_length}字", f"longer than {params.max_length} characters"
    if _PUNCT.search(core):
        return "含句内标点", "contains sentence punctuation"
    verb = next((v for v in verbs if v in core), None)
    return (f"含“{verb}”", f"contains \"{verb}\"") if verb else None


def check(sub, params) -> pd.DataFrame:
    w = words(params.get("vocab"))
    verbs = [*w["sentence_verbs"], *params.verbs]
    measures = [*w["measure_nouns"], *params.measure_nouns]
    level3 = sub.indicators["level3"]
    level3 = level3[level3.notna() & (map_distinct(level3, normalize) != "")]
    lookalikes = w["measure_lookalikes"]
    why = map_distinct(level3, lambda t: _why(t, params, verbs, measures, lookalikes))
    why = why[why.notna()]
    if not len(why):  # no hits: no frame to build
        return pd.DataFrame()
    return pd.DataFrame({"why_zh": [z for z, _ in why], "why_en": [e for _, e in why]}, index=why.index)
