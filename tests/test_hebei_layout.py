"""Layout L1 (Hebei project form): the seed text and workbooks built like real ones."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from _hebei_builders import INDICATORS, BlockSpec, seed_like_text, write_block
from targetlint import layouts
from targetlint.formats import text as text_format
from targetlint.formats.grid import Grid, cell_text
from targetlint.layouts import hebei_form, labels
from targetlint.load import load_path

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_852a9d826d30868b.txt"
PROJECT_TEXT = ["title", "unit", "project_code", "project_name", "budget_total", "budget_fiscal", "budget_other",
                "purpose", "plan_mar", "plan_jun", "plan_oct", "plan_dec", "goal"]
INDICATOR_TEXT = ["level1", "level2", "level3", "description", "value", "basis"]


@pytest.fixture(scope="module")
def seed():
    if not SEED.exists():
        pytest.skip("seed file not available")
    return load_path(str(SEED))


# --- the seed ------------------------------------------------------------------


def test_seed_projects(seed):
    p = seed.projects
    assert seed.layout == "hebei-form"
    assert len(p) == 14 and len(seed.indicators) == 28
    assert p["project_code"].iloc[0] == "914-0102-YQN-FGM4"
    assert p["project_code"].iloc[-1] == "914-0102-YQN-LW6S"
    assert p["project_code"].is_unique
    assert p["project_name"].iloc[0] == "党组织活动经费"
    assert p["project_name"].iloc[12] == "退役军人服务站工作经费"
    assert p["budget_total"].tolist() == ["38.34", "6.12", "8.00", "81.44", "15.97", "240.00", "108.60", "10.00",
                                          "3.00", "15.40", "3.60", "53.00", "2.00", "3.00"]
    assert p["project_code"].str.fullmatch(r"914-0102-YQN-[0-9A-Z]{4}").all()
    assert (p["budget_total"] == p["budget_fiscal"]).all()
    assert (p["budget_other"] == "").all()
    for f in ("plan_mar", "plan_jun", "plan_oct", "plan_dec"):
        assert (p[f] == "").all(), f  # present but blank, not absent
    assert (p["money_unit"] == "万元").all()
    assert seed.units == ["914003开元镇政府办公室"] and seed.year == 2020
    assert p["goal"].iloc[0].endswith("用于开展基层党组织活动。\n2、群众满意")
    assert p["purpose"].iloc[1].startswith("我部门根据上级安排")


def test_seed_indicators(seed):
    i = seed.indicators
    assert i.groupby("project_key").size().tolist() == [2] * 14
    assert set(i["level1"]) == {"产出指标", "满意度指标"}
    assert i["level2"].iloc[22] == "质量指标"  # project 12 has 质量, not 数量
    assert i["value"].str.startswith("≥0.9").all()
    assert i["value_type"].isna().all() and i["weight"].isna().all()  # columns the form lacks


def test_seed_field_code_residue_texts(seed):
    t = seed.texts
    residue = t[t["text"].str.contains("\\f", regex=False)]
    assert len(residue) == 17
    assert residue.groupby("source").size().to_dict() == {"department": 3, "projects": 14}


def test_seed_department_part(seed):
    d = seed.department
    headings = d[d["kind"] == "heading"]["text"].tolist()
    assert headings[:3] == ["第一部分", "部门整体绩效目标", "一、总体绩效目标 TC 总体绩效目标 \\f A \\l 1"]
    assert "预算项目绩效目标" in headings and "第二部分" in headings
    texts = d[d["kind"] == "text"]
    assert len(texts) == 6
    assert texts["section"].tolist() == ["总体绩效目标"] + ["分项绩效目标"] * 2 + ["工作保障措施"] * 3


def test_seed_locations_point_at_the_lines(seed):
    lines = SEED.read_text(encoding="utf-8").split("\n")
    checked = 0
    for frame, fields in ((seed.projects, PROJECT_TEXT), (seed.indicators, INDICATOR_TEXT)):
        for _, row in frame.iterrows():
            for f in fields:
                number = int(row[f"{f}_loc"].removeprefix("line "))
                line = lines[number - 1].lstrip("\t").strip()
                assert line == row[f].split("\n")[0].strip(), (f, number)
                checked += 1
    assert checked == 14 * 13 + 28 * 6
    p = seed.projects.iloc[0]
    assert (p["budget_total_loc"], p["budget_other_loc"], p["plan_mar_loc"], p["plan_dec_loc"]) == (
        "line 31", "line 35", "line 47", "line 50")
    assert seed.department["text_loc"].iloc[2] == "line 3"


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig", "utf-16"])
def test_seed_in_other_encodings_parses_the_same(seed, tmp_path, encoding):
    path = tmp_path / "seed.txt"
    path.write_text(SEED.read_text(encoding="utf-8"), encoding=encoding)
    other = load_path(str(path))
    cols = [c for c in seed.projects.columns if c != "file"]
    assert other.projects[cols].equals(seed.projects[cols])
    assert other.indicators.drop(columns="file").equals(seed.indicators.drop(columns="file"))


# --- small texts --------------------------------------------------------------


def test_text_fill_down_of_blank_levels(tmp_path):
    path = tmp_path / "s.txt"
    path.write_text(seed_like_text(2), encoding="gb18030")
    sub = load_path(str(path))
    assert len(sub.projects) == 2 and sub.year == 2021
    ind = sub.indicators[sub.indicators["project_key"] == 1]
    assert ind[["level1", "level2"]].values.tolist() == [
        ["产出指标", "数量指标"], ["产出指标", "质量指标"], ["产出指标", "质量指标"], ["满意度指标", "服务对象满意度指标"]]
    assert ind["level2_loc"].iloc[2] == ind["level2_loc"].iloc[1]  # points at the merged cell's text
    assert sub.projects["plan_dec"].tolist() == ["100", "100"]
    assert sub.projects["budget_total"].tolist() == ["10.50", "20.50"]


# --- workbooks -------------------------------------------------------------


def _save(tmp_path, *sheets, name="form.xlsx"):
    """Workbook with one sheet per (title, [BlockSpec…] or callable(ws))."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, content in sheets:
        ws = wb.create_sheet(title)
        if callable(content):
            content(ws)
            continue
        row = 1
        for spec in content:
            row = write_block(ws, row, spec) + 2  # blank spacer rows between blocks
    path = tmp_path / name
    wb.save(path)
    return path


def _assert_locations(sub, path):
    """Every text sits in the cell its location names; an empty one at an empty cell.

    (A field missing from a block is located at the block's first cell.)
    """
    wb = openpyxl.load_workbook(path)
    for frame, fields in ((sub.projects, PROJECT_TEXT), (sub.indicators, INDICATOR_TEXT)):
        for _, row in frame.iterrows():
            for f in fields:
                if row[f] is None:
                    continue
                sheet, cell = row[f"{f}_loc"].split("!")
                actual = cell_text(wb[sheet][cell].value).strip()
                if f == "unit":
                    assert row[f] in actual
                elif row[f] or frame is sub.indicators or row[f"{f}_loc"] != row["unit_loc"]:
                    assert actual == row[f], (f, row[f"{f}_loc"])


def test_stacked_blocks_with_merges_and_spacers(tmp_path):
    specs = [BlockSpec(), BlockSpec(title="2、村级卫生室改造绩效目标表", code="913-0301-QWE-8J3L", name="村级卫生室改造",
                                    budget=(30, 30, None), spacer=True)]
    path = _save(tmp_path, ("项目绩效目标表", specs))
    sub = load_path(str(path))
    p = sub.projects
    assert p["project_name"].tolist() == ["村内道路硬化工程", "村级卫生室改造"]
    assert p["budget_total"].tolist() == ["120.5", "30"] and p["budget_other"].tolist() == ["20", ""]
    assert p["plan_mar"].tolist() == ["10", "10"] and p["plan_dec"].tolist() == ["100", "100"]
    assert p["goal"].iloc[0] == BlockSpec().goal
    assert p["title"].tolist() == ["1、村内道路硬化工程绩效目标表", "2、村级卫生室改造绩效目标表"]
    assert sub.units == ["913021西关镇人民政府"]
    ind = sub.indicators
    assert len(ind) == 8
    assert ind[INDICATOR_TEXT].values.tolist()[:4] == [list(r) for r in INDICATORS]
    assert ind["level1_loc"].iloc[0] == ind["level1_loc"].iloc[1] == "项目绩效目标表!A10"  # merged down
    assert p["budget_other_loc"].iloc[1] == "项目绩效目标表!G20"  # the empty cell to fill in
    _assert_locations(sub, path)


def test_one_block_per_sheet_with_department_sheet(tmp_path):
    def department(ws):
        for r, line in enumerate(["第一部分 部门整体绩效目标", "一、总体绩效目标", "2022年完成投资500万元。",
                                  "二、工作保障措施", "加强资金监管。"], start=2):
            ws.cell(row=r, column=1, value=line)
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=6)

    path = _save(
        tmp_path,
        ("部门整体", department),
        ("项目1", [BlockSpec(title=None, col0=2)]),
        ("项目2", [BlockSpec(title="2022年度村级卫生室改造绩效目标表", unit_line=None, money_note="单位：元",
                           name="村级卫生室改造", merged=False)]),
    )
    sub = load_path(str(path))
    p = sub.projects
    assert p["title"].tolist() == ["", "2022年度村级卫生室改造绩效目标表"] and p["title_loc"].iloc[0] == "项目1!B1"
    assert p["money_unit"].tolist() == ["万元", "元"]
    assert p["unit"].tolist() == ["913021西关镇人民政府"] * 2  # inherited by the block without a unit line
    assert sub.year == 2022
    ind = sub.indicators[sub.indicators["project_key"] == 1]
    assert ind["level1"].tolist() == ["产出指标", "产出指标", "效益指标", "满意度指标"]  # blank below, filled down
    d = sub.department
    assert d["kind"].tolist() == ["heading", "heading", "text", "heading", "text"]
    assert d["section"].tolist() == ["第一部分 部门整体绩效目标", "总体绩效目标", "总体绩效目标", "工作保障措施", "工作保障措施"]
    assert d["text_loc"].tolist()[2] == "部门整体!A4"
    _assert_locations(sub, path)


def test_department_above_the_first_block(tmp_path):
    def sheet(ws):
        ws["A1"] = "部门整体绩效目标"
        ws["A2"] = "一、总体绩效目标"
        ws["A3"] = "全年完成农村道路硬化12公里。"
        write_block(ws, 5, BlockSpec())

    sub = load_path(str(_save(tmp_path, ("Sheet1", sheet))))
    assert sub.department["text"].tolist() == ["部门整体绩效目标", "一、总体绩效目标", "全年完成农村道路硬化12公里。"]
    assert sub.projects["title_loc"].tolist() == ["Sheet1!A5"]


def test_label_variants_and_extra_columns(tmp_path):
    variants = {
        "code": "项目代码", "name": "项 目 名 称：", "purpose": "资金用途", "total": "预算金额（万元）",
        "fiscal": "财政拨款", "other": "其他来源资金", "plan": "支出计划(%)",
        "months": ("3月底(%)", "6月底", "9月底", "12月底"), "goal": "年度绩效目标",
        "header": ("一级指标", "二级指标", "三级指标", "指标解释", "目标值", "指标值设定依据"),
    }
    extras = {"指标性质": ["定量", "定量", "定性", "定量"], "计量单位": ["公里", "%", "", "%"],
              "指标方向": ["正向", "正向", "正向", "正向"], "分值": [30, 30, 20, 20]}
    spec = BlockSpec(labels=variants, extras=extras, unit_line="单位名称：西关镇人民政府", money_note=None)
    path = _save(tmp_path, ("表", [spec]))
    sub = load_path(str(path))
    p = sub.projects.iloc[0]
    assert (p["project_code"], p["project_name"], p["budget_total"], p["budget_fiscal"], p["budget_other"]) == (
        "913-0301-QWE-7H2K", "村内道路硬化工程", "120.5", "100.5", "20")
    assert p["purpose"] == spec.purpose and p["plan_oct"] == "80" and p["goal"] == spec.goal
    assert p["unit"] == "西关镇人民政府"
    i = sub.indicators
    assert i["description"].iloc[0] == "年内完成村内道路硬化" and i["basis"].iloc[3] == "历史标准"
    assert i["value_type"].tolist() == extras["指标性质"]
    assert i["measure_unit"].tolist() == extras["计量单位"]
    assert i["weight"].tolist() == ["30", "30", "20", "20"]
    assert i["direction"].iloc[0] == "正向"
    _assert_locations(sub, path)


def test_blank_value_before_next_label_is_empty_not_skipped(tmp_path):
    def sheet(ws):
        for c, v in enumerate(["项目名称", "蔬菜大棚补贴"], start=1):
            ws.cell(row=1, column=c, value=v)
        for c, v in enumerate(["预算数", None, "其中：财政资金", 38, "其他资金"], start=1):
            ws.cell(row=2, column=c, value=v)
        ws["A3"] = "绩效目标"
        ws["C3"] = "新建大棚40座"  # one blank spacer column between label and value
        for c, v in enumerate(["一级指标", "二级指标", "三级指标", "指标值"], start=1):
            ws.cell(row=4, column=c, value=v)
        for c, v in enumerate(["产出指标", "数量指标", "新建大棚数量", "≥40座"], start=1):
            ws.cell(row=5, column=c, value=v)
        ws["A7"] = "填报人：张三"

    sub = load_path(str(_save(tmp_path, ("Sheet", sheet))))
    p = sub.projects.iloc[0]
    assert (p["budget_total"], p["budget_total_loc"]) == ("", "Sheet!B2")
    assert (p["budget_fiscal"], p["budget_other"], p["budget_other_loc"]) == ("38", "", "Sheet!F2")
    assert (p["goal"], p["goal_loc"]) == ("新建大棚40座", "Sheet!C3")
    assert p["money_unit"] == "万元"  # default
    assert p["project_code"] is None and p["plan_mar"] is None  # this form has no such labels
    assert len(sub.indicators) == 1  # the signature line is not an indicator
    assert sub.indicators["description"].isna().all()


def test_labels_normalisation():
    assert labels.label_field("  项目名称： ") == "project_name"
    assert labels.label_field("其中:财政资金") == "budget_fiscal"
    assert labels.label_field("资金支出计划（%）") == "plan"
    assert labels.label_field("10月底（9月底）") == "plan_oct"
    assert labels.label_field("9月底") == "plan_oct"
    assert labels.label_field("预算数(万元)") == "budget_total"
    assert labels.label_field("党组织活动经费") is None
    assert labels.inline_value("其中：财政资金：38.34") == ("budget_fiscal", "38.34")
    assert labels.money_unit("914003开元镇  单位：元") == "元"
    assert labels.is_unit_line("914003开元镇政府办公室") and not labels.is_unit_line("2021年度绩效目标表")
    assert labels.heading_name("三、工作保障措施 TC 工作保障措施 \\f A \\l 1 ") == "工作保障措施"
    assert labels.heading_name("1、加大培训力度，提高干部素质。") is None


def test_detection_scores(seed):
    grid = text_format.read(SEED)
    assert hebei_form.score(grid) > 0.8
    assert layouts.detect(grid) is hebei_form
    flat = Grid("flat.xlsx", "xlsx", [text_format.to_table(["\t" + h for h in (
        "项目编码", "项目名称", "预算数", "财政资金", "3月底", "绩效目标", "一级指标", "二级指标", "三级指标",
        "绩效指标描述", "指标值", "指标值确定依据")])])
    assert hebei_form.score(flat) < layouts.MIN_SCORE  # a flat export's header row is not this form


def test_title_row_with_money_note_and_unit_without_code(tmp_path):
    def sheet(ws):
        ws["A1"] = "2023年项目支出绩效目标汇总"  # a sheet title, not the department part
        ws["A3"] = "便民服务中心运转经费绩效目标表"
        ws["G3"] = "金额单位：元"
        ws["A4"] = "北城街道办事处"
        ws["E4"] = "单位：元"
        write_block(ws, 5, BlockSpec(title=None, unit_line=None, money_note=None, budget=(52000, 52000, 0)))
        hidden = ws.parent.create_sheet("示例")
        write_block(hidden, 1, BlockSpec(name="示例项目"))
        hidden.sheet_state = "hidden"

    sub = load_path(str(_save(tmp_path, ("Sheet", sheet))))
    p = sub.projects
    assert p["project_name"].tolist() == ["村内道路硬化工程"]  # the hidden example sheet is not read
    assert (p["title"].iloc[0], p["title_loc"].iloc[0]) == ("便民服务中心运转经费绩效目标表", "Sheet!A3")
    assert (p["unit"].iloc[0], p["unit_loc"].iloc[0]) == ("北城街道办事处", "Sheet!A4")
    assert p["money_unit"].iloc[0] == "元" and p["budget_total"].iloc[0] == "52000"
    assert sub.year == 2023 and sub.department.empty


def test_unit_label_in_its_own_cell(tmp_path):
    def sheet(ws):
        ws["A1"], ws["B1"], ws["F1"] = "预算单位", "东湖区教育局", "单位：万元"
        write_block(ws, 2, BlockSpec(title=None, unit_line=None, money_note=None))

    sub = load_path(str(_save(tmp_path, ("Sheet", sheet))))
    assert (sub.projects["unit"].iloc[0], sub.projects["unit_loc"].iloc[0]) == ("东湖区教育局", "Sheet!B1")
    assert sub.units == ["东湖区教育局"] and sub.year is None
