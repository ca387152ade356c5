"""TL104 spending-plan-invalid — 资金支出计划填写有误.

The spending plan is the cumulative percentage of the budget spent by the end
of March, June, October (or September) and December: numbers from 0 to 100,
never decreasing, reaching 100 at 12月底.  Reported, one finding per problem
at the offending quarter: a quarter left blank while others are filled; a
value that is not a number; a value below 0 or above 100; a quarter lower
than an earlier one; 12月底 not 100 (with the cumulative series suggested when
the quarters look like per-quarter shares that add up to 100).  ``25%``,
``25`` and ``0.25`` are read alike: a series written wholly as fractions
(every value ≤ 1, no ``%``) is scaled by 100.  An all-blank plan is TL103.
"""

from __future__ import annotations

import unicodedata

import pandas as pd

from targetlint.rule import Rule, Severity
from targetlint.submission import PLAN_FIELDS

_NUMBER = r"^([+-]?\d+(?:\.\d+)?)\s*%?$"

RULE = Rule(
    code="TL104",
    name="spending-plan-invalid",
    severity=Severity.ERROR,
    frame="projects",
    field="plan_dec",
    summary={"zh": "资金支出计划不完整、非数字、越界、递减或12月底不为100", "en": "Spending plan incomplete, non-numeric, out of range, decreasing or not 100 by December"},
    message={"zh": "资金支出计划有误：{field_label}{problem_zh}", "en": "Spending plan invalid: {field_label}: {problem_en}"},
    suggestion={"zh": "{suggest_zh}", "en": "{suggest_en}"},
    params={"blank_marks": ["-", "—", "－", "/", "／", "无", "空"]},
    source="《项目支出绩效目标申报表》资金支出计划栏（累计支出进度，%）；财预〔2015〕88号",
    bad={"project": {"plan_mar": "30", "plan_jun": "20", "plan_oct": "60", "plan_dec": "90"}},
    good={"project": {"plan_mar": "0.1", "plan_jun": "0.4", "plan_oct": "0.7", "plan_dec": "1"}},
)


def _g(x: float) -> str:
    return "" if pd.isna(x) else f"{x:g}"


def _cells(mask: pd.DataFrame, zh, en, sug_zh=None, sug_en=None) -> pd.DataFrame:
    """One hit per True cell of ``mask``; each text is a constant or a frame shaped like it."""
    cells = mask.stack()
    cells = cells[cells].index
    pick = lambda v: [v.at[r, f] for r, f in cells] if isinstance(v, pd.DataFrame) else v  # noqa: E731
    cols = {"problem_zh": zh, "problem_en": en, "suggest_zh": sug_zh, "suggest_en": sug_en}
    hits = pd.DataFrame({"field": cells.get_level_values(1), **{k: pick(v) for k, v in cols.items()}}, index=cells.get_level_values(0))
    return hits.assign(suggest=hits["suggest_zh"])


def _read(plan: pd.DataFrame, marks: list) -> tuple[pd.DataFrame, ...]:
    """Cell texts, blank and filled masks, and values as percentages (fraction series × 100)."""
    text = plan.apply(lambda c: c.map(lambda v: unicodedata.normalize("NFKC", v).strip(), na_action="ignore")).fillna("")
    blank = plan.notna() & (text.eq("") | text.isin(marks))
    num = text.apply(lambda c: pd.to_numeric(c.astype(str).str.extract(_NUMBER, expand=False), errors="coerce"))
    fraction = (num.max(axis=1) <= 1) & ~text.apply(lambda c: c.astype(str).str.endswith("%")).any(axis=1)
    return text, blank, plan.notna() & ~blank, num.mul(fraction.map({True: 100, False: 1}), axis=0)


def _at_dec(plan: pd.DataFrame, values) -> pd.DataFrame:
    """A frame shaped like the plan holding ``values`` at 12月底 and nothing elsewhere."""
    return pd.DataFrame(None, index=plan.index, columns=plan.columns, dtype=object).assign(plan_dec=values)


def check(sub, params) -> pd.DataFrame:
    plan = sub.projects[list(PLAN_FIELDS)]
    text, blank, filled, pct = _read(plan, list(params.blank_marks))
    active = filled.any(axis=1)  # an all-blank plan is TL103's
    on = lambda m: m.apply(lambda c: c & active)  # noqa: E731
    bad_range = filled & ((pct < 0) | (pct > 100))
    valid = pct.where(filled & pct.notna() & ~bad_range)
    prev = valid.ffill(axis=1).cummax(axis=1).shift(1, axis=1)
    floor = prev.map(_g).astype(object)
    falls = (valid < prev).assign(plan_dec=False)  # a falling 12月底 is reported as "not 100"
    dec = valid["plan_dec"]
    not100 = _at_dec(plan, dec.notna() & (dec - 100).abs().gt(0.01)).fillna(False).astype(bool)
    # quarters adding up to 100 (25/25/25/25) are per-quarter shares: suggest the cumulative series
    shares = valid.notna().all(axis=1) & (valid.sum(axis=1) - 100).abs().le(0.01)
    cum = valid.cumsum(axis=1).apply(lambda r: "、".join(map(_g, r)), axis=1).where(shares)
    to100 = (_at_dec(plan, "12月底应为100"), _at_dec(plan, "should be 100 by December"))
    cum_zh = ("累计进度应为 " + cum + "（所填似为各季度占比）").fillna("12月底应为100")
    cum_en = ("the cumulative series should be " + cum + " (these look like per-quarter shares)").fillna(to100[1]["plan_dec"])
    parts = [
        _cells(on(blank), "未填写，而其他季度已填写", "blank while other quarters are filled", *to100),
        _cells(on(filled & pct.isna()), "不是数字：“" + text + "”", "not a number: “" + text + "”"),
        _cells(on(bad_range), "超出0～100：" + text, "outside 0–100: " + text),
        _cells(on(falls), "低于此前季度的累计进度 " + floor, "lower than an earlier quarter's " + floor,
               "应不低于 " + floor, "should be at least " + floor),
        _cells(on(not100), "为 " + text + "，应为100", "is " + text + ", not 100", _at_dec(plan, cum_zh), _at_dec(plan, cum_en)),
    ]
    parts = [p for p in parts if len(p)]
    return pd.concat(parts) if parts else pd.DataFrame()
