"""TL315 basis-nonstandard — 指标值确定依据为空或不规范.

指标值确定依据 says where a target comes from: one of the four standards
(计划标准, 行业标准, 历史标准, 其他标准 — wording such as ``计划标准：…`` or
``行业标准（…）`` is fine), or a short citation — a document number
(``冀财预〔2020〕12号``), a 《plan》, a 规划/方案/办法/通知 …, or last year's
figure (``2019年实际完成值``, ``上年度…``, 历史数据, 统计数据).  A citation is
short (at most ``max_length`` characters) and not a sentence; an empty basis
or a copied sentence gives the reviewer nothing to check the target against.
"""

from __future__ import annotations

import re

import pandas as pd

from targetlint.rule import Rule, Severity
from targetlint.rules._grammar import normalize, words
from targetlint.rules._memo import map_distinct

RULE = Rule(
    code="TL315",
    name="basis-nonstandard",
    severity=Severity.WARNING,
    frame="indicators",
    field="basis",
    summary={"zh": "指标值确定依据为空或不规范", "en": "Basis of the value is empty or not a standard"},
    message={"zh": "指标值确定依据{what_zh}", "en": "The basis of the value {what_en}"},
    suggestion={
        "zh": "填写计划标准、行业标准、历史标准或其他标准，或简要注明依据的文件、规划或上年实际值",
        "en": "Give one of 计划标准/行业标准/历史标准/其他标准, or cite the document, plan or last year's figure briefly",
    },
    params={
        "max_length": 30,
        "citation_words": ["规划", "方案", "办法", "通知", "文件", "意见", "规定", "纲要", "条例", "细则", "合同", "协议",
                           "批复", "标准", "规范", "指南", "预算", "测算", "统计", "数据", "实际完成", "实际值", "完成值", "上年", "去年",
                           "往年", "历年", "近三年", "历史", "平均", "定额", "计划", "纪要", "决定", "决议", "任务书", "责任书",
                           "清单", "名册", "核定"],
    },
    needs=("basis",),
    source="财预〔2015〕88号附件：指标值确定依据分为计划标准、行业标准、历史标准和其他标准",
    bad={"indicators": [{"basis": "按照上级部署，确保按时完成全年培训任务，提高干部素质"}]},
    good={"indicators": [{"basis": "《全镇2021年干部教育培训计划》"}]},
)

_DOC_NO = re.compile(r"[〔\[(]\d{4}[〕\])]第?\d+号|\d{4}年第?\d+号")
_TITLE = re.compile(r"《[^《》]+》")
# last year's (or a past year's) figure: 2020年实际受助人数, 上年度签约人数, 近三年平均值
_FIGURE = re.compile(r"(?:(?:19|20)\d{2}年度?|上年度?|去年|往年|历年|近[一二三五\d]+年)\w{0,10}?(?:实际|完成|统计|平均|数据|水平|数|值|量)")
_SENTENCE = re.compile(r"[,;。]")
_EMPTY = ("为空", "is empty")
_LOOSE = ("不是四类标准之一，也不是简短的文件或数据出处", "is neither one of the four standards nor a short citation")


def _standard(text: str, standards: list[str], citations: list[str], max_length: int) -> bool:
    if text.startswith(tuple(standards)):
        return True
    if len(text) > max_length or _SENTENCE.search(_TITLE.sub("", text)):
        return False
    cited = _DOC_NO.search(text) or _TITLE.search(text) or _FIGURE.search(text)
    return bool(cited or any(w in text for w in (*standards, *citations)))


def check(sub, params) -> pd.DataFrame:
    basis = sub.indicators["basis"]
    basis = map_distinct(basis[basis.notna()], normalize)
    standards, citations, longest = list(words(params.get("vocab"))["basis_standards"]), params.citation_words, params.max_length
    ok = map_distinct(basis, lambda t: _standard(t, standards, citations, longest)).astype(bool)
    bad = basis[~ok]
    if not len(bad):  # no hits: no frame to build
        return pd.DataFrame()
    what = [_EMPTY if re.sub(r"[\W_]", "", t) == "" else _LOOSE for t in bad]
    return pd.DataFrame({"what_zh": [w[0] for w in what], "what_en": [w[1] for w in what]}, index=bad.index)
