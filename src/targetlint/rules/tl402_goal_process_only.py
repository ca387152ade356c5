"""TL402 goal-process-only — 绩效目标只描述资金拨付过程或“群众满意”.

A performance goal states what the money buys and achieves: outputs
(``维修校舍2400平方米``), their quality and timing, and effects.  A goal that
only says the funds will be passed on (``经费下达后及时拨付给各村``, ``按上级
要求足额发放``) or only ``群众满意`` describes the process, not a result; the
disbursement belongs in the spending plan.  The goal is cut into clauses: a
clause is *process* when it holds a transfer word (拨付 下拨 支付…) or a handling
word (发放 下达 到位 及时 足额 管理 使用…) next to a money word (资金 经费 补贴
款…).  The project is reported when some clause is process (or every clause
is about satisfaction) and nothing is measurable: no number with a unit or
date and no indicator noun (``…率`` 覆盖 合格 竣工…) outside process and
satisfaction clauses.  In a process clause only a count of people (``为760名
老人发放津贴``: the beneficiaries of a transfer) is an output; a count of
bodies the money passes through (``拨付给21个村委会``) or an amount is not.
"""

from __future__ import annotations

import re

import pandas as pd

from targetlint.rule import Rule, Severity
from targetlint.rules._grammar import grammar, normalize, words
from targetlint.rules._memo import map_distinct

RULE = Rule(
    code="TL402",
    name="goal-process-only",
    severity=Severity.WARNING,
    frame="projects",
    field="goal",
    summary={"zh": "绩效目标只描述资金拨付过程或“群众满意”", "en": "Goal describes only the disbursement or 'people satisfied'"},
    message={"zh": "绩效目标{what_zh}，没有可衡量的产出或效果", "en": "The goal {what_en}, with no measurable output or effect"},
    suggestion={
        "zh": "写明资金用于做什么、完成多少、达到什么效果，如“完成12个村道路养护35公里，优良路率≥85%”；拨付进度填入资金支出计划",
        "en": "State what the money buys and achieves (e.g. maintain 35 km of roads in 12 villages, ≥85% in good condition); put the disbursement schedule in the spending plan",
    },
    params={
        "transfer_words": ["拨付", "下拨", "划拨", "拨款", "拨给", "拨到", "转拨", "支付", "到账", "兑付", "专款专用"],
        "handling_words": ["下达", "发放", "到位", "及时", "足额", "按时", "兑现", "下发", "管理", "使用", "利用"],
        "money_words": ["资金", "经费", "补助", "补贴", "津贴", "补偿", "款", "金额", "工资", "薪酬", "奖金", "费用", "预算"],
        "beneficiary_units": ["人", "名", "户", "人次", "户次", "位"],
        "output_nouns": ["覆盖", "合格", "达标", "验收", "竣工", "完工", "建成", "里程", "面积"],
    },
    needs=("goal",),
    source="财预〔2015〕88号：绩效目标应反映预期产出和效果；审核要点“完整性”“可衡量性”",
    bad={"project": {"goal": "1、上级资金下达后，及时足额拨付给各村；2、群众满意。"}},
    good={"project": {"goal": "1、为全镇760名80周岁以上老人按季度发放高龄津贴；2、对象认定准确率100%，老人满意度≥90%。"}},
)

_CLAUSES = re.compile(r"[,;。、!?]+")
_DIGIT = re.compile(r"(?<![\d.])\d")


def _measurable(clause: str, process: bool, params, g) -> bool:
    """A number with a unit or a date (only a count of people in a process clause), or an indicator noun."""
    for m in _DIGIT.finditer(clause):
        v = g.parse(clause[m.start():])
        if v.kind in ("quantitative", "range", "date") and (v.unit or v.kind == "date"):
            if not process or (v.unit in params.beneficiary_units):
                return True
    return not process and (bool(re.search(r"[\u4e00-\u9fff]率", clause)) or any(w in clause for w in params.output_nouns))


def _judge(goal: str, params, g, satisfied: tuple) -> str | None:
    """``process`` / ``satisfaction`` when the goal is only that, else None."""
    # split lines before normalising: normalize() drops the newline between numbered items
    clauses = [c for line in str(goal).splitlines() for c in _CLAUSES.split(normalize(line)) if re.search(r"[\u4e00-\u9fff]", c)]
    kinds = []
    for c in clauses:
        money = any(w in c for w in params.money_words)
        process = any(w in c for w in params.transfer_words) or (money and any(w in c for w in params.handling_words))
        sat = not process and any(w in c for w in satisfied)
        if _measurable(c, process, params, g) and not sat:
            return None
        kinds.append("process" if process else "satisfaction" if sat else "other")
    if "process" in kinds:
        return "process"
    return "satisfaction" if kinds and set(kinds) == {"satisfaction"} else None


def check(sub, params) -> pd.DataFrame:
    vocab = params.get("vocab")
    g, satisfied = grammar(vocab), tuple(words(vocab)["satisfaction_words"])
    goals = sub.projects["goal"].dropna()
    kinds = map_distinct(goals, lambda t: _judge(t, params, g, satisfied)).dropna()
    if not len(kinds):  # no hits: no frame to build
        return pd.DataFrame()
    what = {"process": ("只描述了资金下达、拨付、发放或管理过程", "only describes how the funds are passed on or handled"),
            "satisfaction": ("只有“群众满意”一类表述", "only says people will be satisfied")}
    return pd.DataFrame({"what_zh": [what[k][0] for k in kinds], "what_en": [what[k][1] for k in kinds]}, index=kinds.index)
