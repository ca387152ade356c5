"""TL314 vague-wording — 指标依赖“进一步”“有效”“逐步提升”等模糊表述.

A target is scored at the year's end; ``进一步改善``, ``有效促进``, ``逐步提高``
cannot be.  An indicator row is reported when its 指标值 or its 三级指标
relies on a vague word (vocabulary ``vague_words``, plus ``words`` here) and
the row holds no number and no grade: the value is not a quantity, range,
date or grade word (``明显改善``, ``持续改善``, ``良好`` are grades, so fine) and
the 三级 has no digit.  A 三级 that names a measure (``…率``, ``…满意度``) is
not vague for containing ``提升``; ``exceptions`` (``有效期``…) are ignored.
One finding per row, at the cell that carries the words — the value first.
A vague value is also TL303's (no value at all); TL314 adds which words are
vague and a graded rewrite (``逐步提高`` → ``明显提高``); a profile that wants
one finding per cell sets ``check_values: false`` and keeps the 三级 part only.
"""

from __future__ import annotations

import pandas as pd

from targetlint.rule import Rule, Severity
from targetlint.rules._grammar import VALUE_KINDS, map_parsed, name_core, normalize, words
from targetlint.rules._memo import map_distinct

RULE = Rule(
    code="TL314",
    name="vague-wording",
    severity=Severity.WARNING,
    frame="indicators",
    field="value",
    summary={"zh": "指标依赖模糊表述（进一步、有效、逐步提升…），无数值、无等级", "en": "Indicator relies on vague wording, with no number and no grade"},
    message={"zh": "{field_label}依赖模糊词“{vague}”，既无数值也无等级，年终无法考核", "en": "The {field_label} relies on vague words (“{vague}”) with no number and no grade"},
    suggestion={"zh": "{advice_zh}", "en": "{advice_en}"},
    params={"words": [], "exceptions": ["有效期", "有效性", "有效证件", "有效投诉", "合理化建议", "合理性"], "check_values": True},
    source="财预〔2015〕88号附件：指标值应量化，难以量化的采用分级分档的定性表述；财预〔2020〕10号：指标应可衡量",
    bad={"indicators": [{"level1": "效益指标", "level2": "社会效益指标", "level3": "群众就医条件", "value": "逐步提高"}]},
    good={"indicators": [{"level1": "效益指标", "level2": "社会效益指标", "level3": "群众就医条件", "value": "明显提高"}]},
)

_QUANTIFY = ("量化为“符号+数值+单位”（如 ≥90%、增长5%），或改为等级（好/较好/一般/差、达到预期）",
             "quantify it (sign + number + unit: ≥90%, +5%) or use a grade (好/较好/一般/差, 达到预期)")
_NAME = ("三级指标改为可计量的名称（如“……率”“……数量”“……完成时间”），指标值填数值或等级",
         "name a measurable quantity (“… rate”, “number of …”) and give a number or a grade as its value")


def _vague(text, vague: list[str], exceptions: list[str]) -> list[str]:
    """The vague words in a text, in order of appearance (exception words removed first)."""
    t = normalize(text)
    for e in exceptions:
        t = t.replace(e, "")
    return sorted((w for w in vague if w in t), key=t.index)


def _graded(found: list[str], grades: list[str]) -> tuple[str, str]:
    """A graded rewrite from the vocabulary (提高 → 明显提高), else the generic advice."""
    picks = [g for g in grades if any(w in g and len(g) > len(w) for w in found)][:2]
    if not picks:
        return _QUANTIFY
    shown = "”或“".join(picks)
    return f"改为等级表述“{shown}”，或量化为“符号+数值+单位”", f"use a grade (“{shown}”) or a number with a unit"


def check(sub, params) -> pd.DataFrame:
    ind = sub.indicators
    w = words(params.get("vocab"))
    vague, exc = [*w["vague_words"], *params.words], list(params.exceptions)
    measures, lookalikes = tuple(w["measure_nouns"]), tuple(w["measure_lookalikes"])
    kinds = map_parsed(ind["value"], lambda v: v.kind, params.get("vocab"))
    level3 = map_distinct(ind["level3"].fillna(""), normalize)
    open_rows = ~kinds.isin(list(VALUE_KINDS)) & ~level3.str.contains(r"\d")
    rows = []
    for i in ind.index[open_rows]:
        core = name_core(level3[i])
        in_value = _vague(ind.at[i, "value"], vague, exc) if params.check_values and kinds[i] == "none" else []
        in_name = [] if core.endswith(measures) and not core.endswith(lookalikes) else _vague(level3[i], vague, exc)
        if in_value:
            rows.append((i, "value", "、".join(in_value), *_graded(in_value, list(w["grade_words"]))))
        elif in_name:
            rows.append((i, "level3", "、".join(in_name), *_NAME))
    if not rows:  # no hits: no frame to build
        return pd.DataFrame()
    return pd.DataFrame(rows, columns=["row", "field", "vague", "advice_zh", "advice_en"]).set_index("row").rename_axis(None)
