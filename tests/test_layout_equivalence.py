"""One submission, three layouts: L2 and L3 read back to the frames L1 reads back to.

Each source submission is written as an L1 workbook (the Hebei writer) and
as L2 (national form) or L3 (flat export) in the variants clerks and budget
systems produce — merged or plain cells, blank spacer rows, other label
spellings, reordered and missing columns, one sheet per project — and both
files go through ``load_path`` with the layout detected.  The canonical
frames must be equal in values and fields (locations differ by design); a
field the layout lacks must be absent (``None``), never empty.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
import pytest

from targetlint import casebook
from targetlint.layouts import flat_writer, hebei_writer, national_writer
from targetlint.load import load_path
from targetlint.submission import INDICATOR_FIELDS, PROJECT_FIELDS, Submission

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

#: What L2 carries; the rest of the canonical fields must come back absent.
L2_PROJECT = ["unit", "project_name", "money_unit", "budget_total", "budget_fiscal", "budget_other", "goal"]
L2_INDICATOR = ["level1", "level2", "level3", "value"]
L2_ABSENT = ["project_code", "purpose", "plan_mar", "plan_jun", "plan_oct", "plan_dec", "description", "basis"]
#: What L3 carries with all columns: everything but the per-project title.
L3_PROJECT = [f for f in PROJECT_FIELDS if f != "title"]
L3_INDICATOR = list(INDICATOR_FIELDS[:6])


def _clean() -> Submission:
    spec = importlib.util.spec_from_file_location("build_examples", EXAMPLES / "build_examples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.submission_from_yaml(EXAMPLES / "clean-2021.yaml")


def _kaiyuan() -> Submission:
    """The seed (its committed L1 twin): prose in values, empty plans, residue in titles."""
    return load_path(str(EXAMPLES / "kaiyuan-2020.xlsx"))


def _two_units() -> Submission:
    """Projects of two budget units, one unit without an organisation code."""
    return casebook.build({"projects": [
        {},
        {"project_code": "913-0201-ABC-2X9Q", "project_name": "村级活动场所维修", "budget_total": "48",
         "budget_fiscal": "40", "budget_other": "8"},
        {"unit": "东湖区教育局", "project_code": "913-0305-EDU-7Y2W", "project_name": "校舍安全维修",
         "money_unit": "元", "budget_total": "260000", "budget_fiscal": "260000", "plan_mar": ""},
    ]})


SOURCES = {"clean-2021": _clean, "kaiyuan-2020": _kaiyuan, "two-units": _two_units}


@pytest.fixture(scope="module", params=list(SOURCES))
def source(request, tmp_path_factory):
    """(the submission, what L1 reads back from it)."""
    sub = SOURCES[request.param]()
    path = hebei_writer.write(sub, tmp_path_factory.mktemp("l1") / "l1.xlsx")
    back = load_path(str(path))
    assert back.layout == "hebei-form"
    return sub, back


def _same(a: Submission, b: Submission, projects: list[str], indicators: list[str]) -> None:
    """Equal values and fields in the given columns; keys and order included."""
    for frame, cols in (("projects", ["project_key", *projects]), ("indicators", ["project_key", "seq", *indicators])):
        left = getattr(a, frame)[cols].reset_index(drop=True)
        right = getattr(b, frame)[cols].reset_index(drop=True)
        pd.testing.assert_frame_equal(left, right, check_dtype=False, obj=frame)
    assert a.units == b.units


# --- L3, flat export --------------------------------------------------------------------------

_SHUFFLED = ["level2", "value", "project_name", "budget_fiscal", "level1", "unit", "goal", "plan_dec", "basis", "money_unit",
             "project_code", "plan_mar", "budget_total", "level3", "purpose", "plan_oct", "unit_code",
             "budget_other", "description", "plan_jun"]
_L3_LABELS = {
    "project_code": "项目代码", "unit": "预算单位", "unit_code": "单位代码", "budget_total": "预算金额（{money}）",
    "budget_fiscal": "其中：财政拨款", "budget_other": "其他来源资金", "money_unit": "资金单位", "plan_oct": "9月底", "goal": "年度绩效目标",
    "purpose": "项目概况", "description": "指标解释", "value": "目标值", "basis": "指标值设定依据",
}
L3_VARIANTS = {
    "repeated": {},
    "first-row-only+spacers": {"repeat": "first", "spacer": True},
    "merged-down": {"repeat": "merge"},
    "reordered+label-variants": {"columns": _SHUFFLED, "labels": _L3_LABELS, "repeat": "merge", "spacer": True},
}


@pytest.mark.parametrize("variant", list(L3_VARIANTS))
def test_flat_export_reads_like_l1(source, variant, tmp_path):
    sub, l1 = source
    back = load_path(str(flat_writer.write(sub, tmp_path / "l3.xlsx", **L3_VARIANTS[variant])))
    assert back.layout == "flat-export"
    _same(l1, back, L3_PROJECT, L3_INDICATOR)
    assert back.projects["title"].isna().all()  # a flat export has no per-project title
    assert back.year == l1.year or l1.year is None


def test_flat_export_missing_columns_are_absent(source, tmp_path):
    sub, l1 = source
    kept = ["unit", "project_name", "budget_total", "level1", "level2", "level3", "value"]
    back = load_path(str(flat_writer.write(sub, tmp_path / "l3.xlsx", columns=kept[::-1], repeat="first")))
    assert back.layout == "flat-export"
    _same(l1, back, ["unit", "project_name", "budget_total"], ["level1", "level2", "level3", "value"])
    for frame, fields in ((back.projects, ["project_code", "budget_fiscal", "plan_mar", "goal", "purpose"]),
                          (back.indicators, ["description", "basis"])):
        for f in fields:
            assert frame[f].isna().all(), f


# --- L2, national form ------------------------------------------------------------------------

_L2_LABELS = {
    "name": "项 目 名 称", "supervisor": "主管部门", "funds": "项目资金(单位：{money})", "total": "预算数",
    "fiscal": "财政资金", "goal_long": "中期目标（2021-2023年）", "goal": "年度绩效目标", "value": "年度指标值",
}
L2_VARIANTS = {
    "merged": {},
    "plain+spacers": {"merged": False, "spacer": True},
    "label-variants+sheet-per-project": {"labels": _L2_LABELS, "per_sheet": True, "spacer": True},
}


@pytest.mark.parametrize("variant", list(L2_VARIANTS))
def test_national_form_reads_like_l1(source, variant, tmp_path):
    sub, l1 = source
    back = load_path(str(national_writer.write(sub, tmp_path / "l2.xlsx", **L2_VARIANTS[variant])))
    assert back.layout == "national-form"
    _same(l1, back, L2_PROJECT, L2_INDICATOR)
    for frame in (back.projects, back.indicators):
        for f in L2_ABSENT:
            if f in frame:
                assert frame[f].isna().all(), f"{f} must be absent in L2, not empty"
    assert back.year == sub.year


# --- extra columns, which the L1 writer does not carry -----------------------------------------

EXTRAS = {"value_type": ["定量", "定量", "定性", "定量", "定性", "定量"], "measure_unit": ["人次", "%", "", "元/人次", "", "%"],
          "direction": ["正向", "正向", "正向", "反向", "正向", "正向"], "weight": ["20", "20", "10", "10", "20", "20"]}


def _with_extras() -> Submission:
    rows = [dict(row) for row in casebook.BASE_INDICATORS]
    for i, row in enumerate(rows):
        row.update({f: values[i] for f, values in EXTRAS.items()})
    return casebook.build({"indicators": rows})


@pytest.mark.parametrize("writer", [national_writer, flat_writer])
def test_extra_columns_are_kept(writer, tmp_path):
    back = load_path(str(writer.write(_with_extras(), tmp_path / "x.xlsx")))
    assert back.layout == {national_writer: "national-form", flat_writer: "flat-export"}[writer]
    for f, values in EXTRAS.items():
        assert back.indicators[f].tolist() == values, f
