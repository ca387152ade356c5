"""Build small Submissions from rule cases (test case files and rules' bad/good examples).

A case is a mapping with any of:

* ``project`` — fields overriding :data:`BASE_PROJECT` for a single project;
* ``projects`` — a list of such overrides, for cases about several projects;
* ``indicators`` — the project's indicator rows (each overriding
  :data:`BASE_INDICATOR`); default: :data:`BASE_INDICATORS`, a clean set;
* ``department`` — department-part paragraphs (strings or mappings);
* ``year`` — the budget year;
* ``formula_cells`` — location → formula of fields saved as a formula
  without a computed value (what the loader records, see TL004);
* ``hidden_locs`` — locations of fields in a hidden sheet, row or column.

A field given as ``null`` is absent from the layout (not merely empty).
"""

from __future__ import annotations

from typing import Any, Mapping

from targetlint.submission import Submission

BASE_PROJECT: dict[str, Any] = {
    "title": "村级干部培训经费绩效目标表",
    "unit": "913005东城镇人民政府",
    "project_code": "913-0201-ABC-1K2M",
    "project_name": "村级干部培训经费",
    "money_unit": "万元",
    "budget_total": "12.5",
    "budget_fiscal": "12.5",
    "budget_other": "",
    "purpose": "用于全镇18个村“两委”干部的业务培训，含场地、教材和师资费用。",
    "plan_mar": "20",
    "plan_jun": "50",
    "plan_oct": "80",
    "plan_dec": "100",
    "goal": "1、全年组织村干部集中培训4期，培训360人次，考核合格率不低于95%；2、提升村级组织服务能力，参训对象满意度达到90%以上。",
}

BASE_INDICATOR: dict[str, Any] = {
    "level1": "产出指标",
    "level2": "数量指标",
    "level3": "培训人次",
    "description": "全年组织村“两委”干部参加集中培训的人次",
    "value": "≥360人次",
    "basis": "计划标准",
}

BASE_INDICATORS: list[dict[str, Any]] = [
    {"level3": "培训人次", "description": "全年组织村“两委”干部参加集中培训的人次", "value": "≥360人次"},
    {"level2": "质量指标", "level3": "培训考核合格率", "description": "参训干部结业考核合格人数占参训人数的比例", "value": "≥95%", "basis": "历史标准"},
    {"level2": "时效指标", "level3": "培训完成时间", "description": "四期培训全部完成的时间", "value": "2021年11月30日前"},
    {"level2": "成本指标", "level3": "人均培训成本", "description": "培训总支出除以培训人次", "value": "≤350元/人次", "basis": "行业标准"},
    {"level1": "效益指标", "level2": "社会效益指标", "level3": "村级组织服务能力", "description": "参训村干部为民服务能力的提升程度", "value": "明显提升", "basis": "其他标准"},
    {"level1": "满意度指标", "level2": "服务对象满意度指标", "level3": "参训干部满意度", "description": "问卷调查中参训干部对培训的满意程度", "value": "≥90%", "basis": "行业标准"},
]


def _locate(record: dict[str, Any], prefix: str) -> dict[str, Any]:
    for key in [k for k in record if not k.endswith("_loc") and k != "indicators"]:
        record.setdefault(f"{key}_loc", f"{prefix}.{key}")
    return record


def _project(overrides: Mapping[str, Any], pi: int, indicators: Any) -> dict[str, Any]:
    rows = overrides.get("indicators", indicators)
    if rows is None:
        rows = BASE_INDICATORS
    record = {**BASE_PROJECT, **{k: v for k, v in overrides.items() if k != "indicators"}}
    record["indicators"] = [
        _locate({**BASE_INDICATOR, **row}, f"p{pi}.i{i}") for i, row in enumerate(rows)
    ]
    return _locate(record, f"p{pi}")


def build(case: Mapping[str, Any], path: str = "case.xlsx") -> Submission:
    """The Submission a case describes."""
    if "projects" in case:
        projects = [_project(p, i, case.get("indicators")) for i, p in enumerate(case["projects"])]
    else:
        projects = [_project(case.get("project") or {}, 0, case.get("indicators"))]
    department = []
    for i, d in enumerate(case.get("department") or ()):
        d = {"text": d} if isinstance(d, str) else dict(d)
        d.setdefault("kind", "text")
        d.setdefault("section", "")
        d.setdefault("text_loc", f"d{i}")
        department.append(d)
    sub = Submission.from_records(path, "case", projects, department, year=case.get("year"))
    sub.formula_cells = dict(case.get("formula_cells") or {})
    sub.hidden_locs = set(case.get("hidden_locs") or ())
    return sub
