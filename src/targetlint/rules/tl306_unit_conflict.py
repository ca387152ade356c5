"""TL306 unit-conflict — 指标值的单位与度量单位栏不一致.

Forms with a 度量单位 column store the number and the unit apart: the
system reads the value's number in the column's unit.  A value whose own
unit is of another kind (``28.8万元`` with unit ``%``) is a conflict; so is
one of the same kind at another scale (``28.8万元`` with unit ``元``,
``3个月`` with unit ``天``, ``1.2万人次`` with unit ``人次``), because the
number would be read at the wrong scale.  Classifiers of one kind
(个/项/件, 天/日/工作日, %/个百分点) are interchangeable and not a conflict,
nor is a rate unit whose column gives only its head (``350元/人次`` with
``元``).  Unit sizes come from the vocabulary's ``unit_scales``.  Silent
where the column is absent, blank or not a known unit.
"""

from __future__ import annotations

from fractions import Fraction

import pandas as pd

from targetlint.rule import Rule, Severity
from targetlint.rules._grammar import parse_series
from targetlint.rules._values import MAGNITUDE, Units, convert, per_text

RULE = Rule(
    code="TL306",
    name="unit-conflict",
    severity=Severity.ERROR,
    frame="indicators",
    field="value",
    summary={"zh": "指标值单位与度量单位栏冲突", "en": "Value unit conflicts with the unit column"},
    message={
        "zh": "指标值单位“{unit}”与度量单位“{column}”{what_zh}",
        "en": "The value's unit \"{unit}\" and the unit column \"{column}\" {what_en}",
    },
    suggestion={
        "zh": "核对后统一单位：度量单位改为“{suggest}”{also_zh}",
        "en": "Make the units agree: set the unit column to \"{suggest}\"{also_en}",
    },
    params={
        "aliases": {"百分比": "%", "百分率": "%", "百分数": "%", "百分之": "%", "人民币元": "元", "万元人民币": "万元"},
    },
    needs=("value", "measure_unit"),
    source="预算管理一体化系统绩效目标表：指标值与度量单位分栏填写，指标值按度量单位计量",
    bad={"indicators": [{"level2": "成本指标", "level3": "设备购置成本", "value": "≤28.8万元", "measure_unit": "%"}]},
    good={"indicators": [{"level2": "成本指标", "level3": "设备购置成本", "value": "≤28.8万元", "measure_unit": "万元"}]},
)

_KIND = ("不是同一类单位", "are not the same kind of unit")
_SCALE = ("量级不同，系统会按度量单位读数", "differ in scale: the number is read in the column's unit")


def _judge(v, column, units: Units):
    """(what, the value in the column's unit, the unit to put in the column) when the value's unit and the column's unit conflict; else None."""
    if v.kind not in ("quantitative", "range") or not v.unit or not isinstance(column, str):
        return None
    vk, vs = units.measure(v.unit)
    ck, cs = units.measure(column)
    if vk is None or ck is None:
        return None
    if vk == "magnitude":  # 5万 with 人: only the magnitudes compare (5万 → 50000人)
        cs = MAGNITUDE.get(column[:1], Fraction(1))
    elif vk != ck:
        return _KIND, None, v.unit
    if vs == cs:
        return None
    nums = [convert(n, vs / cs) for n in v.numbers]
    text = f"{v.lead}{v.sign or ''}{nums[0]}" if len(nums) == 1 else f"{nums[0]}~{nums[1]}"
    return _SCALE, f"{text}{column}", v.unit + column if vk == "magnitude" else v.unit


def check(sub, params) -> pd.DataFrame:
    ind, vocab = sub.indicators, params.get("vocab")
    values = parse_series(ind["value"], vocab)
    units = Units(vocab)
    columns = per_text(ind["measure_unit"], lambda t: units.of(t, params.aliases))
    judged = pd.Series([_judge(v, c, units) for v, c in zip(values, columns)], index=ind.index, dtype=object)
    judged = judged[judged.notna()]
    if not len(judged):  # no hits: no frame to build
        return pd.DataFrame()
    return pd.DataFrame(
        {
            "unit": [values[i].unit for i in judged.index],
            "column": columns[judged.index],
            "what_zh": [w[0] for w, _, _ in judged],
            "what_en": [w[1] for w, _, _ in judged],
            "suggest": [u for _, _, u in judged],
            "also_zh": [f"，或指标值按度量单位写作“{s}”" if s else "" for _, s, _ in judged],
            "also_en": [f", or write the value in the column's unit as \"{s}\"" if s else "" for _, s, _ in judged],
        },
        index=judged.index,
    )
