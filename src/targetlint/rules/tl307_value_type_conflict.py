"""TL307 value-type-conflict — 指标值与指标性质（定量/定性）不符.

Forms with a 指标性质 (指标值类型) column declare each indicator 定量 or
定性, and the value is scored accordingly: a 定量 indicator against a
number, a 定性 one against a grade.  A 定量 row whose value holds no number
at all (``较好``, ``群众满意``), or a 定性 row whose value is a number with a
unit or a comparison sign (``≥95%``), contradicts its own declaration.
Dates and periods fit either.  Silent where the column is absent, blank or
says neither word; an empty value is TL303's.
"""

from __future__ import annotations

import pandas as pd

from targetlint.rule import Rule, Severity
from targetlint.rules._grammar import parse_series
from targetlint.rules._text import has_cjk
from targetlint.rules._values import contains_any

RULE = Rule(
    code="TL307",
    name="value-type-conflict",
    severity=Severity.WARNING,
    frame="indicators",
    field="value",
    summary={"zh": "指标值与指标性质（定量/定性）不符", "en": "Value does not match its declared type"},
    message={
        "zh": "指标性质为“{declared}”，但指标值{what_zh}",
        "en": "The value type is \"{declared}\" but the value {what_en}",
    },
    suggestion={"zh": "{suggest}", "en": "{suggest_en}"},
    params={"quantitative_words": ["定量"], "qualitative_words": ["定性"]},
    needs=("value", "value_type"),
    source="财预〔2015〕88号附件：定量指标填写数值，定性指标以分级分档表述；预算管理一体化系统指标性质栏",
    bad={"indicators": [{"level2": "质量指标", "level3": "工程验收合格率", "value": "较好", "value_type": "定量"}]},
    good={"indicators": [{"level2": "质量指标", "level3": "工程验收合格率", "value": "=100%", "value_type": "定量"}]},
)

_NO_NUMBER = ("没有数值", "holds no number",
              "按定量填写“符号+数值+单位”（如 ≥95%），或将指标性质改为“定性”",
              "Write sign + number + unit (e.g. ≥95%), or declare the indicator 定性")
_NUMBER = ("是数值“{}”", "is the number \"{}\"", "将指标性质改为“定量”", "Declare the indicator 定量")


def _judge(v, quant: bool, qual: bool):
    if quant and not qual and v.kind in ("grade", "none") and not any(c.isdigit() for c in v.text) and v.text:
        return _NO_NUMBER
    numeric = v.kind in ("quantitative", "range") and (v.unit or v.sign) and not has_cjk(v.residue)
    if qual and not quant and numeric:
        return tuple(t.format(v.matched) for t in _NUMBER)
    return None


def check(sub, params) -> pd.DataFrame:
    ind = sub.indicators
    values = parse_series(ind["value"], params.get("vocab"))
    quant = contains_any(ind["value_type"], params.quantitative_words)
    qual = contains_any(ind["value_type"], params.qualitative_words)
    judged = pd.Series([_judge(*a) for a in zip(values, quant, qual)], index=ind.index, dtype=object)
    judged = judged[judged.notna()]
    if not len(judged):  # no hits: no frame to build
        return pd.DataFrame()
    return pd.DataFrame(
        {
            "declared": ind.loc[judged.index, "value_type"].str.strip(),
            "what_zh": [j[0] for j in judged],
            "what_en": [j[1] for j in judged],
            "suggest": [j[2] for j in judged],
            "suggest_en": [j[3] for j in judged],
        },
        index=judged.index,
    )
