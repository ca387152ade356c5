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

import numpy as np
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


def _cells(plan: pd.DataFrame, mask: np.ndarray, zh, en, sug_zh=None, sug_en=None) -> pd.DataFrame:
    """One hit per True cell of ``mask`` (row by row); each text is a constant or an array shaped like the plan."""
    rows, cols = np.nonzero(mask)
    pick = lambda v: v[rows, cols].tolist() if isinstance(v, np.ndarray) else v  # noqa: E731
    texts = {"problem_zh": zh, "problem_en": en, "suggest_zh": sug_zh, "suggest_en": sug_en}
    fields = [PLAN_FIELDS[c] for c in cols.tolist()]
    hits = pd.DataFrame({"field": fields, **{k: pick(v) for k, v in texts.items()}}, index=plan.index[rows])
    return hits.assign(suggest=hits["suggest_zh"])


def _join(*parts) -> np.ndarray:
    """Texts joined cell by cell (each part a constant or an array of texts)."""
    out = np.asarray(parts[0], dtype=object)
    for p in parts[1:]:
        out = out + np.asarray(p, dtype=object)
    return out


def _read(plan: pd.DataFrame, marks: list) -> tuple[np.ndarray, ...]:
    """Cell texts, blank and filled masks, and values as percentages (fraction series × 100).

    Plain arrays, not frames: a run's thousand projects × four quarters are
    few cells, and frame operations would cost more than the arithmetic.
    """
    raw = plan.to_numpy(dtype=object)
    present = pd.notna(raw)
    clean = lambda v: unicodedata.normalize("NFKC", v).strip()  # noqa: E731
    text = np.array([clean(v) if ok else "" for v, ok in zip(raw.ravel().tolist(), present.ravel().tolist())],
                    dtype=object).reshape(raw.shape)
    blank = present & ((text == "") | np.isin(text, np.asarray(marks, dtype=object)))
    flat = pd.Series(text.ravel(), dtype=object).astype(str)
    num = pd.to_numeric(flat.str.extract(_NUMBER, expand=False), errors="coerce").to_numpy(dtype=float).reshape(raw.shape)
    percent = flat.str.endswith("%").to_numpy(dtype=bool).reshape(raw.shape)
    fraction = (np.fmax.reduce(num, axis=1) <= 1) & ~percent.any(axis=1)
    return text, blank, present & ~blank, num * np.where(fraction, 100, 1)[:, None]


def _g_all(values: np.ndarray) -> np.ndarray:
    return np.array([_g(x) for x in values.ravel().tolist()], dtype=object).reshape(values.shape)


def check(sub, params) -> pd.DataFrame:
    plan = sub.projects[list(PLAN_FIELDS)]
    text, blank, filled, pct = _read(plan, list(params.blank_marks))
    active = filled.any(axis=1)[:, None]  # an all-blank plan is TL103's
    with np.errstate(invalid="ignore"):
        bad_range = filled & ((pct < 0) | (pct > 100))
        valid = np.where(filled & ~np.isnan(pct) & ~bad_range, pct, np.nan)
        prev = np.full(valid.shape, np.nan)  # the highest earlier quarter
        for j in range(1, valid.shape[1]):
            prev[:, j] = np.fmax(prev[:, j - 1], valid[:, j - 1])
        floor = _g_all(prev)
        falls = valid < prev
        falls[:, -1] = False  # a falling 12月底 is reported as "not 100"
        dec = valid[:, -1]
        not100 = np.zeros(valid.shape, bool)
        not100[:, -1] = ~np.isnan(dec) & (np.abs(dec - 100) > 0.01)
        # quarters adding up to 100 (25/25/25/25) are per-quarter shares: suggest the cumulative series
        shares = ~np.isnan(valid).any(axis=1) & (np.abs(valid.sum(axis=1) - 100) <= 0.01)
    cum = ["、".join(map(_g, r)) if s else None for r, s in zip(np.cumsum(valid, axis=1).tolist(), shares.tolist())]
    at_dec = lambda values: np.column_stack([np.full((len(plan), valid.shape[1] - 1), None), np.asarray(values, dtype=object)])  # noqa: E731
    to100 = (at_dec(["12月底应为100"] * len(plan)), at_dec(["should be 100 by December"] * len(plan)))
    cum_zh = at_dec([f"累计进度应为 {c}（所填似为各季度占比）" if c is not None else "12月底应为100" for c in cum])
    cum_en = at_dec([f"the cumulative series should be {c} (these look like per-quarter shares)" if c is not None
                     else "should be 100 by December" for c in cum])
    parts = [
        _cells(plan, blank & active, "未填写，而其他季度已填写", "blank while other quarters are filled", *to100),
        _cells(plan, filled & np.isnan(pct) & active, _join("不是数字：“", text, "”"), _join("not a number: “", text, "”")),
        _cells(plan, bad_range & active, _join("超出0～100：", text), _join("outside 0–100: ", text)),
        _cells(plan, falls & active, _join("低于此前季度的累计进度 ", floor), _join("lower than an earlier quarter's ", floor),
               _join("应不低于 ", floor), _join("should be at least ", floor)),
        _cells(plan, not100 & active, _join("为 ", text, "，应为100"), _join("is ", text, ", not 100"), cum_zh, cum_en),
    ]
    parts = [p for p in parts if len(p)]
    return pd.concat(parts) if parts else pd.DataFrame()
