"""TL317 deadline-out-of-year — 时效指标的完成时限不在预算年度内.

A project's annual targets are scored at the end of its budget year, so a
时效 deadline should fall within it: ``2020年12月31日前`` in a 2021 budget is
usually last year's table copied forward, and ``2023年6月底前`` in a 2021
budget cannot be assessed this year.  A multi-year project whose own texts
give its period (``建设期2021.03-2022.06``, ``2021-2023年``) may set deadlines
anywhere within it.  The last year of a period value decides; a year inside
prose (``按2019年标准…``) is not read as the deadline.  Silent when
the budget year is unknown and no period is given, and for deadlines with no
year (``12月底前``).  Years in other fields are TL403's business.
"""

from __future__ import annotations

import pandas as pd

from targetlint.rule import Rule, Severity
from targetlint.rules._grammar import parse_series
from targetlint.rules._text import has_cjk
from targetlint.rules._values import allowed_years, families

RULE = Rule(
    code="TL317",
    name="deadline-out-of-year",
    severity=Severity.WARNING,
    frame="indicators",
    field="value",
    summary={"zh": "完成时限不在预算年度内", "en": "Deadline outside the budget year"},
    message={
        "zh": "完成时限为{deadline}年，{what_zh}（{allowed}年）",
        "en": "The deadline falls in {deadline}, {what_en} ({allowed})",
    },
    suggestion={"zh": "指标值改为“{suggest}”", "en": "Write the value as \"{suggest}\""},
    needs=("value",),
    source="财预〔2015〕88号：绩效目标为预算年度内预期达到的产出和效果；年度绩效目标随年度预算编制",
    bad={"year": 2021, "indicators": [{"level2": "时效指标", "level3": "文化广场建成时间", "value": "2020年10月底前"}]},
    good={"year": 2021, "indicators": [{"level2": "时效指标", "level3": "文化广场建成时间", "value": "2021年10月底前"}]},
)

_BEFORE = ("早于预算年度", "before the budget year")
_AFTER = ("晚于预算年度", "after the budget year")


def _suggest(v, deadline: int, span: tuple[int, int], year: int | None) -> str:
    """Late: the end of the last allowed year; early (copied forward): the same date in the budget year."""
    if deadline > span[1]:
        return f"{span[1]}年12月31日前"
    return v.matched.replace(str(deadline), str(year or span[0]))


def check(sub, params) -> pd.DataFrame:
    ind = sub.indicators
    timeliness = families(ind, params) == "时效"
    values = parse_series(ind["value"][timeliness], params.get("vocab"))
    spans = allowed_years(sub, ind)[values.index].tolist()
    budget_year = pd.Series(sub.year_of(ind), index=ind.index, dtype=object)
    rows = [
        (i, v, max(v.years), span)
        for i, v, span in zip(values.index, values.tolist(), spans)
        if v.kind == "date" and v.years and not has_cjk(v.prefix) and span is not None and not span[0] <= max(v.years) <= span[1]
    ]
    if not len(rows):  # no hits: no frame to build
        return pd.DataFrame()
    return pd.DataFrame(
        {
            "deadline": [d for _, _, d, _ in rows],
            "allowed": [f"{s[0]}" if s[0] == s[1] else f"{s[0]}–{s[1]}" for *_, s in rows],
            "what_zh": [(_AFTER if d > s[1] else _BEFORE)[0] for _, _, d, s in rows],
            "what_en": [(_AFTER if d > s[1] else _BEFORE)[1] for _, _, d, s in rows],
            "suggest": [_suggest(v, d, s, budget_year[i]) for i, v, d, s in rows],
        },
        index=[i for i, *_ in rows],
    )
