#!/usr/bin/env python
"""Generate a deterministic corpus of realistic submissions for the benchmarks.

    python bench/make_corpus.py N OUT_DIR [--seed S] [--jobs J]

Writes ``N`` workbooks ``OUT_DIR/NNNN-<unit>.xlsx``.  Each is one budget
unit's submission for one year (2020–2023): 5–30 projects, 3–12 indicators
each, drawn from a bank of real-style project kinds (road upkeep, elderly
subsidies, training, refuse collection …) with varied wording and numbers.
Layouts are mixed as a county bureau receives them: about half Hebei project
forms (L1, most with the department sheet), a quarter national forms (L2:
merged or not, stacked or one sheet per project) and a quarter flat exports
(L3: project fields repeated, given once, or merged).  About half of the files
carry defects (1–6 kinds, a few places each): values written as sentences,
the same sentence pasted into several columns, blank spending plans, totals
that do not add up, a missing indicator family, 二级 under the wrong 一级,
Word field-code residue, vague wording, rates above 100 %, placeholders,
stale years, units missing from values, duplicated indicators, deadlines
outside the year.

File ``i`` depends only on ``(seed, i)``, so the first 100 files of a
1,000-file corpus are the 100-file corpus, and the same arguments give the
same bytes (fixed workbook dates).  ``OUT_DIR/MANIFEST`` records the
arguments; :func:`ensure` regenerates only when it differs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from targetlint.layouts import flat_writer, hebei_writer, national_writer
from targetlint.submission import PLAN_FIELDS, Submission

STAMP = dt.datetime(2021, 1, 1)
VERSION = 1  # bump when the generator changes, so cached corpora are rebuilt

# --- what units and projects look like -------------------------------------------------------

COUNTY = ["平山县", "滦南县", "阜城县", "涞源县", "威县", "蔚县", "青龙满族自治县", "临城县", "献县", "柏乡县", "隆化县", "赞皇县"]
AREA = ["东片区", "西部山区", "镇区", "北关村", "南部平原区", "河西片", "中心村", "库区移民村", "城郊片区", "东部丘陵区"]
TOWN = ["开元", "东城", "南留", "柳林", "北关", "石门", "双井", "马庄", "龙泉", "桃园", "高家庄", "西柏坡"]
BUREAU = ["教育局", "卫生健康局", "农业农村局", "民政局", "交通运输局", "文化广电和旅游局", "水务局", "自然资源和规划局"]

# (name, purpose, goal) with {n}-style slots filled per project.
PROJECTS = {
    "road": ("农村公路养护经费", "用于{km}公里镇村公路日常养护、坑槽修补、边沟清理和安全标志维护。",
             "全年完成{km}公里农村公路日常养护，优良路率达到{good}%以上，保障群众安全便捷出行。"),
    "elder": ("高龄老人津贴", "按季度为辖区{people}名80周岁以上老人发放高龄津贴。",
              "为{people}名高龄老人按时足额发放津贴，对象认定准确率100%，老人及家属满意度不低于{sat}%。"),
    "train": ("村“两委”干部培训经费", "用于村干部集中培训的场地租赁、教材印制和师资课酬。",
              "举办集中培训{terms}期、{people}人次，结业考核合格率{good}%以上，提升村干部履职能力。"),
    "waste": ("农村生活垃圾清运经费", "用于{villages}个行政村生活垃圾收集、转运和保洁员劳务报酬。",
              "全年清运生活垃圾{tons}吨，无害化处理率不低于{good}%，村容村貌明显改善。"),
    "school": ("中小学校园安全设施更新", "为{schools}所中小学更新监控、消防和门卫安防设施。",
               "完成{schools}所学校安防设施更新，全年校园安全责任事故0次。"),
    "water": ("农田水利设施维修", "修复灌溉机井{wells}眼、疏浚沟渠{km}公里。",
              "修复机井{wells}眼，新增及改善灌溉面积{mu}亩，保障粮食生产用水。"),
    "culture": ("送戏下乡文化惠民活动", "组织专业剧团到各村巡回演出，支付演出补助和舞台租赁费用。",
                "全年送戏下乡{shows}场，观看群众{people}人次以上，丰富农村群众文化生活。"),
    "health": ("家庭医生签约服务补助", "对乡村医生开展家庭医生签约服务给予补助。",
               "重点人群家庭医生签约率达到{good}%，签约居民年度随访{visits}次以上。"),
    "it": ("政务信息化运行维护", "用于政务外网、视频会议系统和机房设备的运行维护。",
           "全年信息系统可用率不低于{good}%，故障响应时间不超过{hours}小时。"),
    "forest": ("森林防火专项经费", "用于防火物资储备、护林员巡护补助和防火宣传。",
               "聘用护林员{people}名，全年森林火灾受害率控制在{per}‰以内。"),
    "agri": ("农业技术推广服务", "开展新品种、新技术示范推广和农民技术培训。",
             "建设示范基地{bases}个，培训农民{people}人次，主推技术到位率{good}%以上。"),
    "grid": ("社区网格化管理经费", "用于{grids}个网格员的工作补贴和网格化信息平台维护。",
             "划分网格{grids}个，矛盾纠纷就地化解率达到{good}%以上。"),
}

# Indicator bank per project kind: (一级, 二级, 三级, 描述, 指标值, 依据).
COMMON = [
    ("产出指标", "时效指标", "资金拨付及时率", "资金在规定时限内拨付到位的比例", "=100%", "计划标准"),
    ("满意度指标", "服务对象满意度指标", "服务对象满意度", "抽样问卷调查中表示满意的受益群众比例", "≥{sat}%", "行业标准"),
    ("产出指标", "成本指标", "项目预算控制数", "项目全年支出不超过批复预算", "≤{budget}万元", "计划标准"),
    ("产出指标", "质量指标", "资金使用合规率", "审计和检查中未发现违规使用的资金占比", "=100%", "冀财预〔2020〕12号"),
    ("产出指标", "时效指标", "项目完成时间", "年度任务全部完成的截止日期", "{year}年12月31日前", "计划标准"),
    ("效益指标", "可持续影响指标", "长效管理机制运行期限", "项目形成的管理制度在以后年度的延续情况", "长期", "其他标准"),
    ("产出指标", "质量指标", "档案资料完整率", "项目实施档案按要求归档的比例", "≥{good}%", "行业标准"),
    ("效益指标", "社会效益指标", "政策知晓率", "受益群众知晓政策内容的比例", "≥{good}%", "历史标准"),
    ("产出指标", "数量指标", "公示公告次数", "在村务公开栏公示项目信息的次数", "≥{visits}次", "计划标准"),
    ("满意度指标", "服务对象满意度指标", "投诉办结率", "群众投诉在规定时限内办结的比例", "=100%", "行业标准"),
]
BANK = {
    "road": [("产出指标", "数量指标", "养护里程", "纳入日常养护的镇村公路里程", "≥{km}公里", "计划标准"),
             ("产出指标", "质量指标", "优良路率", "评定为优、良等级的路段占养护里程比例", "≥{good}%", "行业标准"),
             ("产出指标", "数量指标", "修补坑槽面积", "全年修补路面坑槽的面积合计", "≥{area}平方米", "历史标准"),
             ("效益指标", "社会效益指标", "群众出行满意路段占比", "群众评价通行条件改善的路段比例", "≥{good}%", "其他标准")],
    "elder": [("产出指标", "数量指标", "发放津贴人数", "享受高龄津贴的80周岁以上老人人数", "={people}人", "计划标准"),
              ("产出指标", "质量指标", "对象认定准确率", "津贴发放对象符合条件的比例", "=100%", "行业标准"),
              ("效益指标", "社会效益指标", "高龄老人生活保障水平评价", "民政部门年底对津贴保障作用的评价等次", "良好", "其他标准")],
    "train": [("产出指标", "数量指标", "培训期数", "全年举办集中培训的期数", "={terms}期", "计划标准"),
              ("产出指标", "数量指标", "培训人次", "各期参训人数合计", "≥{people}人次", "历史标准"),
              ("产出指标", "质量指标", "结业考核合格率", "考核合格人数占参训人数的比例", "≥{good}%", "历史标准"),
              ("产出指标", "成本指标", "人均培训成本", "培训总支出除以培训人次", "≤{unit_cost}元/人次", "计划标准")],
    "waste": [("产出指标", "数量指标", "垃圾清运量", "全年转运至处理厂的生活垃圾量", "≥{tons}吨", "历史标准"),
              ("产出指标", "质量指标", "无害化处理率", "无害化处理量占清运量的比例", "≥{good}%", "行业标准"),
              ("产出指标", "数量指标", "覆盖行政村数", "建立收运体系的行政村个数", "={villages}个", "计划标准"),
              ("效益指标", "生态效益指标", "村庄环境卫生达标率", "环境卫生检查达标村占行政村比例", "≥{good}%", "其他标准")],
    "school": [("产出指标", "数量指标", "更新安防设施学校数", "完成监控、消防设施更新的学校数量", "={schools}所", "计划标准"),
               ("产出指标", "质量指标", "设施验收合格率", "通过验收的设施占更新设施的比例", "=100%", "行业标准"),
               ("效益指标", "社会效益指标", "校园安全责任事故", "全年发生的校园安全责任事故次数", "=0次", "历史标准")],
    "water": [("产出指标", "数量指标", "修复机井数量", "完成修复并通水的机井数", "={wells}眼", "计划标准"),
              ("产出指标", "数量指标", "疏浚沟渠长度", "完成清淤疏浚的沟渠长度", "≥{km}公里", "计划标准"),
              ("效益指标", "经济效益指标", "改善灌溉面积", "新增及恢复灌溉的耕地面积", "≥{mu}亩", "其他标准")],
    "culture": [("产出指标", "数量指标", "演出场次", "全年送戏下乡演出场次", "={shows}场", "计划标准"),
                ("产出指标", "数量指标", "观看群众人次", "各场演出观看群众合计", "≥{people}人次", "历史标准"),
                ("效益指标", "社会效益指标", "群众参与文化活动比例", "常住人口中观看演出群众的比例", "≥{sat}%", "其他标准")],
    "health": [("产出指标", "数量指标", "年度随访次数", "每名签约居民的年度随访次数", "≥{visits}次", "行业标准"),
               ("产出指标", "质量指标", "重点人群签约率", "重点人群中签约家庭医生的比例", "≥{good}%", "行业标准"),
               ("效益指标", "社会效益指标", "慢病患者规范管理率", "签约慢病患者中按规范管理的比例", "≥{good}%", "其他标准")],
    "it": [("产出指标", "质量指标", "系统可用率", "系统全年正常运行时间占比", "≥{good}%", "行业标准"),
           ("产出指标", "时效指标", "故障响应时间", "接报故障至到场处置的时间", "≤{hours}小时", "行业标准"),
           ("产出指标", "数量指标", "运维设备台数", "纳入运行维护的设备数量", "={devices}台", "计划标准")],
    "forest": [("产出指标", "数量指标", "聘用护林员人数", "全年聘用的专职护林员人数", "={people}人", "计划标准"),
               ("产出指标", "数量指标", "防火宣传次数", "入村开展防火宣传的次数", "≥{shows}次", "计划标准"),
               ("效益指标", "生态效益指标", "森林火灾受害率", "受害森林面积占森林总面积的千分比", "≤{per}‰", "行业标准")],
    "agri": [("产出指标", "数量指标", "示范基地数量", "建成的新技术示范基地个数", "={bases}个", "计划标准"),
             ("产出指标", "数量指标", "培训农民人次", "开展农民技术培训的人次", "≥{people}人次", "历史标准"),
             ("产出指标", "质量指标", "主推技术到位率", "示范户采用主推技术的比例", "≥{good}%", "行业标准"),
             ("效益指标", "经济效益指标", "示范户亩均增收", "示范户较非示范户亩均增加收入", "≥{yuan}元", "其他标准")],
    "grid": [("产出指标", "数量指标", "网格员人数", "全年在岗网格员人数", "={grids}人", "计划标准"),
             ("产出指标", "质量指标", "事件办结满意率", "网格上报事件按时办结的比例", "≥{good}%", "行业标准"),
             ("效益指标", "社会效益指标", "矛盾纠纷就地化解率", "网格内化解的矛盾纠纷占受理数的比例", "≥{good}%", "历史标准")],
}
DEPARTMENT = [
    ("heading", "总体绩效目标", "一、总体绩效目标"),
    ("text", "总体绩效目标", "{year}年，{unit}安排项目支出{total}万元，重点保障基层运转、民生保障和基础设施管护，各项目服务对象满意度不低于85%。"),
    ("heading", "工作保障措施", "二、工作保障措施"),
    ("text", "工作保障措施", "1、资金实行专账核算，支出进度按月通报；2、年度终了后1个月内完成项目绩效自评并公示。"),
]


def _slots(rng: random.Random, year: int, budget: float) -> dict[str, object]:
    return {
        "km": rng.choice([12.5, 18, 26.4, 42.6, 55]), "good": rng.choice([85, 90, 95, 98]),
        "people": rng.choice([120, 360, 760, 1500, 6000]), "sat": rng.choice([85, 90, 95]),
        "terms": rng.randint(2, 6), "villages": rng.randint(8, 30), "tons": rng.choice([1200, 3600, 5400]),
        "schools": rng.randint(3, 15), "wells": rng.randint(10, 40), "mu": rng.choice([1500, 3200, 8000]),
        "shows": rng.randint(10, 40), "visits": rng.randint(2, 6), "hours": rng.choice([2, 4, 24]),
        "per": rng.choice([0.8, 1]), "bases": rng.randint(2, 8), "grids": rng.randint(20, 120),
        "area": rng.choice([800, 1800, 3000]), "unit_cost": rng.choice([200, 350, 500]),
        "devices": rng.randint(30, 200), "yuan": rng.choice([80, 150, 300]), "year": year,
        "budget": f"{budget:.2f}",
    }


def _money(rng: random.Random) -> tuple[str, str, str]:
    total = round(rng.uniform(3, 300), 2)
    other = round(total * rng.choice([0, 0, 0, 0.2, 0.35]), 2)
    return f"{total:.2f}", f"{total - other:.2f}", (f"{other:.2f}" if other else "")


#: The order a careful unit covers the families in: a short list still has its 一级 families.
PRIORITY = (("产出指标", "数量指标"), ("满意度指标", None), ("效益指标", None), ("产出指标", "质量指标"),
            ("产出指标", "时效指标"), ("产出指标", "成本指标"))


def _project(rng: random.Random, i: int, unit: str, code: str, year: int, kind: str, area: str | None) -> dict:
    name, purpose, goal = PROJECTS[kind]
    if area:  # a second project of the same kind covers another area, in other words
        name, goal = f"{name}（{area}）", f"在{area}{goal}"
    total, fiscal, other = _money(rng)
    slots = _slots(rng, year, float(total))
    plan = rng.choice([("15", "45", "80", "100"), ("10", "40", "75", "100"), ("25", "50", "75", "100")])
    # most projects list 6–12 indicators; a few list only the bare 3–5
    n = rng.randint(6, 12) if rng.random() < 0.85 else rng.randint(3, 5)
    pool = BANK[kind] + COMMON
    picks: list[tuple] = []
    for l1, l2 in PRIORITY:
        first = next((x for x in pool if x[0] == l1 and l2 in (None, x[1]) and x not in picks), None)
        if first:
            picks.append(first)
    rest = [x for x in pool if x not in picks]
    rng.shuffle(rest)
    picks = (picks + rest)[:n]
    order = {"产出指标": 0, "效益指标": 1, "满意度指标": 2}
    picks.sort(key=lambda x: order.get(x[0], 3))
    indicators = [dict(zip(("level1", "level2", "level3", "description", "value", "basis"),
                           [s.format(**slots) for s in ind])) for ind in picks]
    return {
        "title": f"{i + 1}、{name}绩效目标表", "unit": unit, "project_code": f"{code}-{year}-{i + 1:03d}",
        "project_name": name, "money_unit": "万元", "budget_total": total, "budget_fiscal": fiscal,
        "budget_other": other, "purpose": purpose.format(**slots), **dict(zip(PLAN_FIELDS, plan)),
        "goal": goal.format(**slots), "indicators": indicators,
    }


def _kinds(rng: random.Random, n: int) -> list[tuple[str, str | None]]:
    """``n`` project kinds, each kind's repeats given a distinct area."""
    kinds = []
    while len(kinds) < n:  # every kind once before any repeats
        kinds += rng.sample(sorted(PROJECTS), len(PROJECTS))
    kinds = kinds[:n]
    areas = rng.sample(AREA, len(AREA))
    seen: dict[str, int] = {}
    out = []
    for k in kinds:
        seen[k] = seen.get(k, 0) + 1
        out.append((k, areas[(seen[k] - 2) % len(areas)] if seen[k] > 1 else None))
    return out


# --- defects: each edits a few projects of a file in place ---------------------------------

def _pick(rng, projects, k=2):
    return rng.sample(projects, min(k, len(projects)))


def _sentence_value(rng, projects, year):
    for p in _pick(rng, projects):
        ind = rng.choice(p["indicators"])
        ind["value"] = rng.choice(["≥0.9年初该项经费下达后按时完成各项任务", f"{year}年底前全部完成并通过验收",
                                   "按照上级要求做好相关工作，确保取得实效"])


def _copy_paste(rng, projects, year):
    for p in _pick(rng, projects):
        ind = rng.choice(p["indicators"])
        text = f"全面完成{p['project_name']}各项工作任务"
        ind.update(level3=text, description=text, value=text, basis=text)


def _blank_plan(rng, projects, year):
    for p in _pick(rng, projects, 3):
        for f in rng.sample(PLAN_FIELDS, rng.randint(2, 4)):
            p[f] = ""


def _bad_sum(rng, projects, year):
    for p in _pick(rng, projects):
        p["budget_total"] = f"{float(p['budget_total']) + rng.choice([1.5, 10, 0.3]):.2f}"


def _no_benefit(rng, projects, year):
    for p in _pick(rng, projects, 1):
        p["indicators"] = [i for i in p["indicators"] if i["level1"] != "效益指标"] or p["indicators"]


def _misplaced(rng, projects, year):
    for p in _pick(rng, projects):
        ind = rng.choice(p["indicators"])
        ind["level2"] = "社会效益指标" if ind["level1"] == "产出指标" else "数量指标"


def _field_code(rng, projects, year):
    for p in _pick(rng, projects, 1):
        p["title"] = f'TC "{p["project_name"]}" \\f A \\l 1 {p["title"]}'


def _vague(rng, projects, year):
    for p in _pick(rng, projects, 3):
        rng.choice(p["indicators"])["value"] = rng.choice(["有所提升", "进一步改善", "明显提高", "较好"])


def _over_rate(rng, projects, year):
    for p in _pick(rng, projects):
        rng.choice(p["indicators"])["value"] = rng.choice(["≥120%", "=150%"])


def _placeholder(rng, projects, year):
    for p in _pick(rng, projects, 1):
        p["goal"] = "请填写项目年度绩效目标"


def _stale(rng, projects, year):
    for p in _pick(rng, projects):
        p["goal"] = f"{year - 2}年{p['goal']}"


def _no_unit(rng, projects, year):
    for p in _pick(rng, projects, 3):
        ind = p["indicators"][0]
        ind["value"] = "".join(ch for ch in ind["value"] if ch in "≥≤=<>0123456789.")


def _duplicate(rng, projects, year):
    for p in _pick(rng, projects):
        p["indicators"].insert(1, dict(p["indicators"][0]))


def _late_deadline(rng, projects, year):
    for p in _pick(rng, projects):
        for ind in p["indicators"]:
            if ind["level3"] == "项目完成时间":
                ind["value"] = f"{year + 1}年6月30日前"


DEFECTS = (_sentence_value, _copy_paste, _blank_plan, _bad_sum, _no_benefit, _misplaced, _field_code, _vague,
           _over_rate, _placeholder, _stale, _no_unit, _duplicate, _late_deadline)


# --- one file ----------------------------------------------------------------------------------

def submission(seed: int, i: int) -> tuple[Submission, str, dict]:
    """File ``i``'s submission, its file name and the writer call (layout and options)."""
    rng = random.Random(f"{seed}:{i}")
    year = rng.randint(2020, 2023)
    county = rng.choice(COUNTY)
    if rng.random() < 0.6:
        unit, code = f"{county}{rng.choice(TOWN)}镇人民政府", f"{rng.randint(100, 999)}{rng.randint(1, 99):03d}"
    else:
        unit, code = f"{county}{rng.choice(BUREAU)}", f"{rng.randint(100, 999)}{rng.randint(1, 99):03d}"
    projects = [_project(rng, k, f"{code}{unit}", code, year, kind, area)
                for k, (kind, area) in enumerate(_kinds(rng, rng.randint(5, 30)))]
    if rng.random() < 0.5:
        for defect in rng.sample(DEFECTS, rng.randint(1, 6)):
            defect(rng, projects, year)
    total = sum(float(p["budget_total"]) for p in projects)
    department = [{"kind": k, "section": s, "text": t.format(year=year, unit=unit, total=f"{total:.2f}")}
                  for k, s, t in DEPARTMENT]
    sub = Submission.from_records(f"{i:04d}", "generated", projects, department, year=year)
    roll = rng.random()
    if roll < 0.5:
        how = {"layout": "hebei", "department_sheet": rng.random() < 0.7}
    elif roll < 0.75:
        how = {"layout": "national", "merged": rng.random() < 0.7, "per_sheet": rng.random() < 0.2,
               "spacer": rng.random() < 0.2}
    else:
        how = {"layout": "flat", "repeat": rng.choice(["all", "first", "merge"])}
    return sub, f"{i + 1:04d}-{unit}.xlsx", how


def write_one(seed: int, i: int, out: str) -> str:
    sub, name, how = submission(seed, i)
    layout = how.pop("layout")
    writer = {"hebei": hebei_writer, "national": national_writer, "flat": flat_writer}[layout]
    path = os.path.join(out, name)
    writer.write(sub, path, timestamp=STAMP, **how)
    return path


def generate(n: int, out: str | Path, seed: int = 2021, jobs: int = 1) -> list[str]:
    """Write files ``0 … n-1`` into ``out``; returns their paths in order."""
    out = str(out)
    os.makedirs(out, exist_ok=True)
    if jobs > 1:
        with ProcessPoolExecutor(jobs) as pool:
            paths = list(pool.map(write_one, [seed] * n, range(n), [out] * n, chunksize=16))
    else:
        paths = [write_one(seed, i, out) for i in range(n)]
    Path(out, "MANIFEST").write_text(f"{VERSION} {n} {seed}\n", encoding="utf-8")
    return paths


def ensure(n: int, out: str | Path, seed: int = 2021, jobs: int = 1) -> Path:
    """``out`` holding the corpus (n, seed), generated unless already there."""
    out = Path(out)
    manifest = out / "MANIFEST"
    if manifest.is_file() and manifest.read_text(encoding="utf-8").split() == [str(VERSION), str(n), str(seed)]:
        return out
    if out.exists():
        for old in out.glob("*.xlsx"):
            old.unlink()
    generate(n, out, seed, jobs)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("n", type=int, help="number of submissions")
    parser.add_argument("out", help="output folder")
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    paths = generate(args.n, args.out, args.seed, args.jobs)
    print(f"wrote {len(paths)} files to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
