"""TL405 department-goal-unmeasurable — 部门整体绩效目标无可衡量内容.

The department-wide targets (部门整体绩效目标: 总体目标, 分项目标, 保障措施)
must be checkable at the end of the year, so somewhere they need a figure:
a number with a unit (``新建道路12公里``, ``培训360人次``), a percentage
(``覆盖率95%``, ``百分之九十``) or a comparison (``不低于90``).  A part that is
prose only — slogans, policy wording, years (``2020年``) and list numbers
(``1、``) do not count — is reported once, at its first paragraph, with the
number of paragraphs.  A file without a department part is not checked.
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

from targetlint.rule import Rule, Severity

RULE = Rule(
    code="TL405",
    name="department-goal-unmeasurable",
    severity=Severity.WARNING,
    frame="department",
    field="text",
    summary={"zh": "部门整体绩效目标只有文字描述，无可衡量的指标", "en": "Department-wide targets are prose only, nothing measurable"},
    message={
        "zh": "部门整体绩效目标共 {count} 段，均为文字描述，没有带单位的数量、比率或指标值",
        "en": "The department-wide targets ({count} paragraphs) are prose only: no quantity with a unit, rate or target value",
    },
    suggestion={
        "zh": "将总体目标分解为可考核的指标，如“完成村级阵地改造12个”“群众满意度≥90%”",
        "en": "Break the targets down into measurable indicators, e.g. “renovate 12 village service centres”, “satisfaction ≥90%”",
    },
    params={
        "units": ["%", "‰", "个", "人次", "人", "户", "次", "项", "件", "台", "套", "辆", "座", "所", "家", "场", "期", "篇", "份",
                  "本", "册", "村", "名", "处", "条", "批", "间", "张", "株", "棵", "盏", "元", "天", "小时", "工作日", "亩", "公顷",
                  "平方米", "㎡", "公里", "千米", "米", "吨", "立方米", "分"],
    },
    source="《部门整体支出绩效目标申报表》：总体目标应细化为可衡量的绩效指标（财预〔2015〕88号）",
    bad={"department": ["坚持以人民为中心，全面加强基层组织建设，推动经济社会高质量发展。", "强化责任落实，确保各项工作任务圆满完成。"]},
    good={"department": ["全年完成12个村的村级阵地改造，组织干部培训4期360人次。", "群众满意度不低于90%。"]},
)


def _measurable(units: list[str]) -> re.Pattern:
    unit = "|".join(re.escape(u) for u in sorted(units, key=len, reverse=True))
    return re.compile(rf"\d+(?:\.\d+)?\s*(?:[万亿千百])?(?:{unit})|(?:[≥≤≧≦<>]|不低于|不少于|不超过|不高于|达到)\s*\d|百分之[零一二三四五六七八九十百]+")


def check(sub, params) -> pd.DataFrame:
    d = sub.department
    text = d[d["kind"].eq("text") & d["text"].notna() & d["text"].fillna("").str.strip().ne("")]
    if text.empty:
        return pd.DataFrame()
    norm = text["text"].map(lambda t: unicodedata.normalize("NFKC", t))
    has = norm.str.contains(_measurable(list(params.units)))
    per_file = has.groupby(text["file"]).agg(["any", "size"])
    prose = per_file[~per_file["any"]]
    first = text.index.to_series().groupby(text["file"]).first()
    return pd.DataFrame({"count": prose["size"].astype(int).to_numpy()}, index=first[prose.index].to_numpy())
