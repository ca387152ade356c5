"""TL102 money-unit-suspect — 金额疑似单位填错（元/万元），或不是数字、为负数.

Project tables state their money unit (``单位：万元`` by default).  An amount
keyed in 元 in a 万元 table is 10 000 times too large: it is at least
``yuan_threshold`` (100 000 万元 = 10 亿元), or it is about 10 000 times
another amount of the same project, or dividing it by 10 000 makes 预算数 =
财政资金 + 其他资金 hold.  In a 元 table the slip runs the other way (an
amount in 万元): below ``yuan_floor`` 元, with fractions of a 分, or the sum
holds after ×10 000.  A money cell that is not a number, or is negative, is
an error under this code (blank 其他资金 is fine; a blank 预算数 is TL003's).
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from targetlint.rule import Rule, Severity
from targetlint.rules._grammar import fmt
from targetlint.rules._money import amount

RULE = Rule(
    code="TL102",
    name="money-unit-suspect",
    severity=Severity.WARNING,
    frame="projects",
    field="budget_total",
    summary={"zh": "金额疑似元/万元填错，或不是数字、为负数", "en": "Amount looks entered in the wrong money unit, or is not a valid number"},
    message={"zh": "{field_label}“{value}”{why_zh}，请核对", "en": "The {field_label} “{value}” {why_en}; please check it"},
    suggestion={"zh": "{suggest}", "en": "{suggest_en}"},
    params={"yuan_threshold": 100000.0, "yuan_floor": 100.0, "ratio_tolerance": 0.2, "sum_tolerance": 0.005},
    needs=("budget_total",),
    source="《项目支出绩效目标申报表》预算规模栏金额单位（财预〔2015〕88号）；预算数 = 财政资金 + 其他资金",
    bad={"project": {"budget_total": "125000", "budget_fiscal": "125000", "budget_other": ""}},
    good={"project": {"budget_total": "12.5", "budget_fiscal": "12.5", "budget_other": ""}},
)

FIELDS = ("budget_total", "budget_fiscal", "budget_other")
_TEN_K = Decimal(10000)
_UNIT = {"wan": ("万元", "元"), "yuan": ("元", "万元")}  # mode: (the table's unit, the suspected slip)


def _mode(unit) -> str:
    """``wan`` for a 万元 table (also when unstated), ``yuan`` for 元, ``other`` (亿元, 千元 …)."""
    u = str(unit or "万元").replace("单位", "").strip(" ：:()（）")
    return "wan" if u in ("万元", "万") else "yuan" if u == "元" else "other"


def _sums(a: dict, tol: Decimal) -> bool:
    t, f, o = (a.get(k) for k in FIELDS)
    return t is not None and f is not None and abs(t - f - (o or 0)) <= tol


def _off(mode: str, v: Decimal, params) -> bool:
    if mode == "wan":
        return v >= Decimal(str(params.yuan_threshold))
    return v < Decimal(str(params.yuan_floor)) or -v.normalize().as_tuple().exponent > 2  # below a 分


def _suspect(mode: str, a: dict, params) -> dict:
    """{field: the amount in the table's unit} for the amounts that look keyed in the other unit."""
    if mode not in _UNIT:
        return {}
    scale = Decimal(1) / _TEN_K if mode == "wan" else _TEN_K
    tol = Decimal(str(params.sum_tolerance)) * (1 if mode == "wan" else _TEN_K)
    consistent, out = _sums(a, tol), {}
    for f, v in a.items():
        if not v:
            continue
        ratios = [(v / x if mode == "wan" else x / v) for g, x in a.items() if g != f and x]
        peer = not consistent and any(abs(r / _TEN_K - 1) <= Decimal(str(params.ratio_tolerance)) for r in ratios)
        fits = not consistent and _sums({**a, f: v * scale}, tol)
        if fits or peer or _off(mode, v, params):
            out[f] = v * scale
    return out


def check(sub, params) -> pd.DataFrame:
    p, rows = sub.projects, []
    for i, unit, *cells in zip(p.index, p["money_unit"], *(p[f] for f in FIELDS)):
        read = {f: amount(c) for f, c in zip(FIELDS, cells) if c is not None and str(c).strip()}
        bad = {f: ("不是有效的金额数字", "is not a valid amount") if v is None else ("为负数", "is negative")
               for f, v in read.items() if v is None or v < 0}
        rows += [(i, f, *why, "error", "填写不小于0的数字金额", "Write a non-negative number") for f, why in bad.items()]
        mode = _mode(unit)
        for f, to in ({} if bad else _suspect(mode, read, params)).items():
            mine, slip = _UNIT[mode]
            rows.append((i, f, f"疑似按{slip}填写（本表单位为{mine}）", f"looks entered in {slip} (the table is in {mine})",
                         None, f"核对金额单位：按{mine}应为“{fmt(to)}”", f"Check the unit: in {mine} it would be “{fmt(to)}”"))
    if not rows:  # no hits: no frame to build
        return pd.DataFrame()
    hits = pd.DataFrame(rows, columns=["row", "field", "why_zh", "why_en", "severity", "suggest", "suggest_en"])
    return hits.set_index("row").rename_axis(None)
