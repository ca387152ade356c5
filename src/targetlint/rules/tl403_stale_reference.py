"""TL403 stale-reference — 文本中的年份或规划期早于预算年度.

A target table copied from an earlier year keeps that year's dates: ``2020年底前
完成`` or a title ``2020年度…`` in a 2021 budget, ``“十三五”期间`` in a 2023
one (十三五 = 2016–2020, 十四五 = 2021–2025).  Years before the budget year
(param ``year``, else the year the document states) in targets — the goal,
三级, description, title, department part (``fields``) — are reported.  A past
year that is a reference, not a target, is legitimate: a basis
(``以2020年为基数``, ``较2020年增长``, ``2020年实际完成值``), a document number
(``〔2020〕12号``), a cited title (``《2019年…方案》``), a start (``2019年以来``,
``2019年开工的``) or a period still running (``2019-2021年``).  Values are
left to TL317 (deadlines) and 指标值确定依据 is a citation by nature.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import pandas as pd

from targetlint.rule import Rule, Severity
from targetlint.rules._memo import CACHED as _CACHED

RULE = Rule(
    code="TL403",
    name="stale-reference",
    severity=Severity.INFO,
    frame="texts",
    field=None,
    summary={"zh": "文本中的年份或规划期早于预算年度（可能沿用旧表）", "en": "Years or plan periods older than the budget year (copied from an old table?)"},
    message={"zh": "{field_label}中的“{refs}”早于预算年度{year}年，可能沿用了以前年度的内容", "en": "The {field_label} mentions “{refs}”, before the budget year {year}: copied from an earlier year?"},
    suggestion={"zh": "核对年份：{fix_zh}", "en": "Check the years: {fix_en}"},
    params={
        "year": 0,
        "fields": ["title", "goal", "level3", "description", "text"],
        "before": ["较", "比", "与", "同", "相比", "对比", "基于", "以", "自", "从", "截至", "截止", "根据", "依据", "参照", "对照",
                   "达到", "高于", "低于", "超过", "不低于", "不少于"],
        "after": ["实际", "完成值", "完成数", "基数", "基期", "水平", "同期", "数据", "决算", "统计", "标准", "以来", "起", "开始", "开工",
                  "启动", "立项", "批复", "下达", "印发", "发布", "出台", "结转", "遗留", "普查", "调查", "监测", "版", "为基"],
    },
    source="绩效目标应与当年预算相对应（财预〔2015〕88号）；国民经济和社会发展五年规划期（十三五 2016–2020，十四五 2021–2025）",
    bad={"year": 2021, "project": {"goal": "2020年底前完成全镇12个村的道路养护，养护里程不少于35公里。"}},
    good={"year": 2021, "project": {"goal": "2021年底前完成全镇12个村的道路养护，养护里程较2020年增长10%。"}},
)

_CN = "一二三四五六七八九"
_PERIOD = re.compile(f"十([{_CN}])五")
_RANGE = re.compile(r"((?:19|20)\d{2})年?(?:度)?[-~至到]((?:19|20)\d{2})年?")
_YEAR = re.compile(
    r"(?<![\d.])((?:19|20)\d{2})(?:年度|年底|年末|年初|[./-](?:1[0-2]|0?[1-9])(?!\d)(?:[./-]\d{1,2}(?!\d))?"
    r"|年(?:\d{1,2}月(?:\d{1,2}[日号])?)?)(?:底|末)?(?:之?前)?"
)


def _period_end(m: re.Match) -> int:
    return 2010 + 5 * _CN.index(m.group(1))  # 十一五 = 2006–2010, 十三五 = 2016–2020


def _current_period(year: int) -> str:
    return f"十{_CN[(year - 2006) // 5]}五" if 2006 <= year < 2051 else ""


def _cited(t: str, m: re.Match, words: tuple[tuple[str, ...], tuple[str, ...]]) -> bool:
    """Whether a past year is a reference (basis, document number, cited title, start), not a target."""
    start, end = m.start(), m.end()
    if (start and t[start - 1] in "〔[(【") or t[end : end + 1] in ("〕", "]", ")", "】"):
        return True
    if t.rfind("《", 0, start) > t.rfind("》", 0, start):
        return True
    before, after = words
    return t[:start].endswith(before) or t[end:].lstrip("的").startswith(after)


@lru_cache(maxsize=_CACHED)
def _stale(text: str, year: int, words: tuple[tuple[str, ...], tuple[str, ...]]) -> tuple[str, str, str] | None:
    """(the stale references, the fix in zh and en) in one text, or None (memoised: texts recur in every file).

    ``words``: the words before and after a year that make it a reference (params ``before``, ``after``).
    """
    t = unicodedata.normalize("NFKC", text)
    running = [m.span() for m in _RANGE.finditer(t) if int(m.group(2)) >= year]
    fixes = {}
    for m in _YEAR.finditer(t):
        if int(m.group(1)) < year and not any(a <= m.start() < b for a, b in running) and not _cited(t, m, words):
            fixes[m.group()] = str(year) + m.group()[4:]
    current = _current_period(year)
    if current not in t:
        fixes.update({m.group(): current for m in _PERIOD.finditer(t) if _period_end(m) < year and current})
    if not fixes:
        return None
    return ("、".join(fixes), "；".join(f"“{a}”改为“{b}”" for a, b in fixes.items()),
            "; ".join(f"“{a}” → “{b}”" for a, b in fixes.items()))


def check(sub, params) -> pd.DataFrame:
    texts = sub.texts
    if texts.empty:
        return pd.DataFrame()
    texts = texts[texts["field"].isin(list(params.fields))]
    # the profile's year, else each text's own file's budget year
    fixed, words = params.year, (tuple(params.before), tuple(params.after))
    rows, found = [], []
    for label, text, year in zip(texts.index, texts["text"].tolist(), sub.year_of(texts)):
        year = fixed or year
        if year and (hit := _stale(str(text), int(year), words)) is not None:
            rows.append(label)
            found.append((*hit, int(year)))
    return pd.DataFrame(found, columns=["refs", "fix_zh", "fix_en", "year"], index=rows)
