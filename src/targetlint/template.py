"""``targetlint template``: a blank, correct workbook to fill in (填报模板).

The workbook holds, in this order:

* the blank form, in the chosen layout (``hebei-form``, ``national-form`` or
  ``flat-export``), with its labels, merged cells and empty rows to fill;
* ``填写示例``, the same form filled with a sample project that checks with
  no error and no warning;
* ``选项``, the lists the drop-downs offer: the profile's 一级 and 二级
  indicator names (``vocab["taxonomy"]``) and the four basis standards
  (``vocab["words"]["basis_standards"]``).

The sample and the lists are hidden sheets: the layouts skip hidden sheets,
so a unit that fills the form and leaves them in submits only its own
projects.  A note under the form says where they are.  Drop-downs on 一级
and 二级 warn on a name outside the taxonomy (the bureau's profile may
accept synonyms); the one on 指标值确定依据 only informs, as a short
citation (``冀财预〔2020〕12号``) is a valid basis too.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from targetlint import layouts
from targetlint import profile as profiles
from targetlint.layouts import _xlsx_style as xs
from targetlint.layouts import flat_writer, hebei_writer, national_writer
from targetlint.submission import INDICATOR_FIELDS, PROJECT_FIELDS, Submission

SAMPLE_SHEET = "填写示例"
OPTIONS_SHEET = "选项"
#: Empty indicator rows of a blank form (a flat export gets more: one row per indicator of every project).
BLANK_ROWS = {"hebei-form": 15, "national-form": 15, "flat-export": 60}
FORM_SHEETS = {
    "hebei-form": hebei_writer.PROJECT_SHEET,
    "national-form": national_writer.SHEET,
    "flat-export": flat_writer.SHEET,
}
LAYOUTS = tuple(FORM_SHEETS)
NOTE = "注：填写示例见隐藏工作表“填写示例”，下拉选项见隐藏工作表“选项”（在工作表标签上右击→取消隐藏）。"

#: The sample project: a town's rural drinking-water upkeep, every field filled as the national guidance asks.
SAMPLE_PROJECT: dict[str, Any] = {
    "title": "1、农村饮水工程维修养护经费绩效目标表",
    "unit": "913101青山镇人民政府",
    "project_code": "913-0201-QSZ-2K8M",
    "project_name": "农村饮水工程维修养护经费",
    "money_unit": "万元",
    "budget_total": "36.80",
    "budget_fiscal": "30.00",
    "budget_other": "6.80",
    "purpose": "用于全镇23处农村集中供水工程的管网检修、水泵更换和水质检测，其中6.80万元由受益村集体经济组织自筹。",
    "plan_mar": "20", "plan_jun": "45", "plan_oct": "80", "plan_dec": "100",
    "goal": "1、全年完成23处集中供水工程维修养护，更换老化管网不少于3.5公里，水质检测合格率达到95%以上；\n"
            "2、保障1.2万农村人口稳定饮水，受益群众满意度不低于90%。",
}
SAMPLE_INDICATORS: tuple[tuple[str, ...], ...] = (
    ("产出指标", "数量指标", "维修养护供水工程数量", "纳入年度维修养护计划的集中供水工程处数", "=23处", "计划标准"),
    ("产出指标", "数量指标", "更换老化管网长度", "对漏损严重的供水主管网进行更换的累计长度", "≥3.5公里", "计划标准"),
    ("产出指标", "质量指标", "水质检测合格率", "抽检水样中各项指标符合生活饮用水卫生标准的比例", "≥95%", "行业标准"),
    ("产出指标", "时效指标", "汛前检修完成时间", "汛期来临前完成全部供水工程设施检修的日期", "{year}年6月15日前", "计划标准"),
    ("产出指标", "成本指标", "每处工程年均维修成本", "年度维修养护总支出除以工程处数", "≤1.6万元/处", "历史标准"),
    ("效益指标", "社会效益指标", "受益农村人口数", "由维修后工程稳定供水的农村常住人口", "≥1.2万人", "计划标准"),
    ("效益指标", "可持续影响指标", "村级管水员配备人数", "每处工程落实1名管水员负责日常巡查和简易维修", "=23人", "计划标准"),
    ("满意度指标", "服务对象满意度指标", "受益群众满意度", "抽样入户调查中对供水质量和服务表示满意的比例", "≥90%", "行业标准"),
)


def write_template(
    path: str | os.PathLike,
    layout: str = "hebei-form",
    profile: profiles.Profile | str | None = None,
    *,
    year: int | None = None,
    timestamp: dt.datetime | None = None,
) -> Path:
    """Write the template workbook at ``path`` (atomically).

    Args:
        path: the .xlsx to create.
        layout: ``hebei-form``, ``national-form`` or ``flat-export`` (or ``hebei``, ``national``, ``flat``).
        profile: whose taxonomy and basis standards the drop-downs list
            (a loaded profile, a name or a path; default ``default``).
        year: the budget year of the form and the sample (default: this year).
        timestamp: fixed dates, so the same arguments give the same bytes.

    Raises:
        ValueError: an unknown layout.
    """
    layout = layouts.ALIASES.get(layout, layout)
    if layout not in FORM_SHEETS:
        raise ValueError(f"no template for layout {layout!r}; known: {', '.join(LAYOUTS)}")
    prof = profile if isinstance(profile, profiles.Profile) else profiles.load(profile or profiles.DEFAULT_PROFILE)
    year = year or dt.date.today().year
    wb = xs.new_workbook()
    form, sample = wb.create_sheet(FORM_SHEETS[layout]), wb.create_sheet(SAMPLE_SHEET)
    options = wb.create_sheet(OPTIONS_SHEET)
    lists = _options(options, prof)
    flat_blank = BLANK_ROWS[layout] if layout == "flat-export" else 0
    for ws, sub, blank in ((form, blank_submission(layout, year), flat_blank), (sample, sample_submission(year), 0)):
        _validate(ws, _draw(layout, ws, sub, blank), lists)
    xs.put(form, form.max_row + 2, 1, NOTE, align=xs.WRAP)
    sample.sheet_state = options.sheet_state = "hidden"
    wb.active = 0
    return xs.save(wb, Path(path), timestamp)


def _draw(layout: str, ws: Worksheet, sub: Submission, blank_rows: int) -> list:
    """Draw ``sub`` in ``layout``; the indicator areas the writer reports."""
    if layout == "flat-export":
        return flat_writer.draw(ws, sub, blank_rows=blank_rows)
    writer = hebei_writer if layout == "hebei-form" else national_writer
    return writer.draw(ws, sub)


def blank_submission(layout: str, year: int) -> Submission:
    """The empty form: one project with every field blank and empty indicator rows (none for a flat export)."""
    if layout == "flat-export":
        return Submission.from_records("template", layout, [], year=year)
    project = {f: "" for f in PROJECT_FIELDS} | {"money_unit": "万元"}
    project["indicators"] = [{f: "" for f in INDICATOR_FIELDS[:6]} for _ in range(BLANK_ROWS[layout])]
    return Submission.from_records("template", layout, [project], year=year)


def sample_submission(year: int) -> Submission:
    """The sample project of :data:`SAMPLE_PROJECT`, dated ``year``."""
    fields = INDICATOR_FIELDS[:6]
    indicators = [{f: v.format(year=year) for f, v in zip(fields, row)} for row in SAMPLE_INDICATORS]
    project = {**SAMPLE_PROJECT, "indicators": indicators}
    return Submission.from_records(SAMPLE_SHEET, "sample", [project], year=year)


def _options(ws: Worksheet, prof: profiles.Profile) -> dict[str, str]:
    """Write the drop-down lists; field → the range formula of its list."""
    taxonomy = prof.vocab.get("taxonomy") or {}
    level1 = list(taxonomy.get("level1") or {})
    level2 = list(dict.fromkeys(name for names in (taxonomy.get("level1") or {}).values() for name in names or ()))
    basis = list((prof.vocab.get("words") or {}).get("basis_standards") or ())
    out = {}
    for c, (field, title, values) in enumerate(
        (("level1", "一级指标", level1), ("level2", "二级指标", level2), ("basis", "指标值确定依据", basis)), start=1
    ):
        xs.put(ws, 1, c, title, bold=True)
        for r, value in enumerate(values, start=2):
            xs.put(ws, r, c, value)
        if values:
            col = get_column_letter(c)
            out[field] = f"'{OPTIONS_SHEET}'!${col}$2:${col}${len(values) + 1}"
    return out


_MESSAGES = {
    "level1": ("warning", "一级指标", "请从列表中选择一级指标（产出、效益、满意度等）。"),
    "level2": ("warning", "二级指标", "请从列表中选择与一级指标对应的二级指标。"),
    "basis": ("information", "指标值确定依据", "可选四类标准之一，也可填写文件文号等简短出处。"),
}


def _validate(ws: Worksheet, areas: list, lists: dict[str, str]) -> None:
    """Drop-downs on the 一级, 二级 and basis cells of every indicator area."""
    for field, formula in lists.items():
        style, title, prompt = _MESSAGES[field]
        ranges = [f"{get_column_letter(cols[field])}{first}:{get_column_letter(cols[field])}{last}"
                  for first, last, cols in areas if field in cols and last >= first]
        if not ranges:
            continue
        dv = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=True,
                            showInputMessage=True, errorStyle=style, errorTitle=title, promptTitle=title,
                            prompt=prompt, error=f"“{title}”不在本配置的选项中。")
        for ref in ranges:
            dv.add(ref)
        ws.add_data_validation(dv)
