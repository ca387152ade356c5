"""Layout L2 (项目支出绩效目标申报表): forms drawn by hand the way provinces print them."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from targetlint import layouts
from targetlint.formats import xlsx
from targetlint.layouts import flat_export, hebei_form, national_form
from targetlint.load import load_path

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _put(ws, ref: str, value, to: str | None = None) -> None:
    ws[ref] = value
    if to:
        ws.merge_cells(f"{ref}:{to}")


def _form_88(ws) -> None:
    """The 财政部 2015 form: mid-term and annual columns side by side, a footer, a unit line above."""
    _put(ws, "A1", "项目支出绩效目标申报表", "H1")
    _put(ws, "A2", "（2022年度）", "H2")
    ws["A3"] = "填报单位（盖章）：南湖区农业农村局"
    _put(ws, "A4", "项目名称")
    _put(ws, "B4", "高标准农田建设补助", "H4")
    ws["A5"], ws["B5"], ws["E5"], ws["F5"] = "主管部门及代码", "312001南湖区农业农村局", "实施单位", "南湖区农田建设服务中心"
    ws["A6"], ws["B6"], ws["E6"], ws["F6"] = "项目属性", "延续项目", "项目期", "3年"
    _put(ws, "A7", "项目资金\n（万元）", "A9")
    for r, (label, mid, annual) in enumerate([("资金总额：", 1500, 600), ("其中：财政拨款", 1200, 480),
                                             ("其他资金", 300, 120)], start=7):
        ws[f"B{r}"], ws[f"C{r}"], ws[f"E{r}"], ws[f"F{r}"] = f"中期{label}" if r == 7 else label, mid, \
            f"年度{label}" if r == 7 else label, annual
    _put(ws, "A10", "总体目标", "A11")
    _put(ws, "B10", "中期目标（2021年—2023年）", "D10")
    _put(ws, "E10", "年度目标", "H10")
    _put(ws, "B11", "三年建成高标准农田3万亩，亩均粮食产能提高100斤。", "D11")
    _put(ws, "E11", "年内建成高标准农田1.2万亩，工程验收合格率不低于98%。", "H11")
    _put(ws, "A12", "绩\n效\n指\n标", "A16")
    for c, text in zip("BCDEFGH", ["一级指标", "二级指标", "三级指标", "指标值", "二级指标", "三级指标", "指标值"]):
        ws[f"{c}12"] = text
    rows = [
        ("产出指标", "数量指标", "建设面积", "≥3万亩", "数量指标", "年度建设面积", "≥1.2万亩"),
        (None, "质量指标", "验收合格率", "100%", "质量指标", "工程验收合格率", "≥98%"),
        ("效益指标", "经济效益指标", "亩均增产", "≥100斤", "经济效益指标", "亩均粮食增产", "≥40斤"),
        ("满意度指标", "服务对象满意度指标", "农户满意度", "≥90%", "服务对象满意度指标", "受益农户满意度", "≥90%"),
    ]
    for r, row in enumerate(rows, start=13):
        for c, text in zip("BCDEFGH", row):
            ws[f"{c}{r}"] = text
    ws["A18"] = "填报人：李明    联系电话：0311-1234567"


def _save(tmp_path, *fills, name="l2.xlsx", hidden=()):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for i, fill in enumerate(fills):
        ws = wb.create_sheet(f"表{i + 1}")
        fill(ws)
        if i in hidden:
            ws.sheet_state = "hidden"
    wb.save(tmp_path / name)
    return tmp_path / name


def test_form_of_2015_reads_the_annual_columns(tmp_path):
    sub = load_path(str(_save(tmp_path, _form_88)))
    assert sub.layout == "national-form" and sub.year == 2022
    p = sub.projects.iloc[0]
    assert (p["project_name"], p["unit"], p["unit_loc"]) == ("高标准农田建设补助", "南湖区农田建设服务中心", "表1!F5")
    assert (p["budget_total"], p["budget_fiscal"], p["budget_other"]) == ("600", "480", "120")
    assert (p["budget_total_loc"], p["budget_fiscal_loc"]) == ("表1!F7", "表1!F8")
    assert p["goal"].startswith("年内建成") and p["goal_loc"] == "表1!E11"  # the annual target, not the mid-term
    assert (p["money_unit"], p["title"], p["title_loc"]) == ("万元", "项目支出绩效目标申报表", "表1!A1")
    for absent in ("project_code", "purpose", "plan_mar", "plan_dec"):
        assert p[absent] is None, absent
    ind = sub.indicators
    assert ind["level3"].tolist() == ["年度建设面积", "工程验收合格率", "亩均粮食增产", "受益农户满意度"]
    assert ind["value"].tolist() == ["≥1.2万亩", "≥98%", "≥40斤", "≥90%"]
    assert ind["level1"].tolist() == ["产出指标", "产出指标", "效益指标", "满意度指标"]  # blank below, filled down
    assert ind["level1_loc"].iloc[1] == "表1!B13"
    assert ind["description"].isna().all() and ind["basis"].isna().all()
    assert len(ind) == 4  # the signature line is no indicator


def _stacked(ws) -> None:
    """Two spec-shaped forms down one sheet: money in 元, a goal right of its label, extra columns."""
    ws["A1"], ws["G1"] = "项目支出绩效目标申报表（2023年度）", "单位：元"
    ws["A2"], ws["B2"] = "项目名称", "社区养老服务站运营补贴"
    ws["A3"], ws["B3"] = "主管部门及代码", "405002城关区民政局"
    ws["A4"], ws["B4"], ws["C4"], ws["D4"], ws["E4"], ws["F4"] = "项目资金", "年度资金总额：", 360000, "其中：财政拨款", 360000, "其他资金"
    ws["A5"], ws["B5"] = "年度目标", "全年为1200名居家老人提供助餐、助洁服务。"
    header = ["绩效指标", "一级指标", "二级指标", "三级指标", "指标值", "权重", "指标性质", "计量单位", "指标方向"]
    for c, text in enumerate(header, start=1):
        ws.cell(6, c, text)
    ws.append([None, "产出指标", "数量指标", "服务老人人数", "≥1200", 40, "定量", "人", "正向"])
    ws.append([None, "满意度指标", "服务对象满意度指标", "老人满意度", "≥90", 60, "定量", "%", "正向"])
    ws.append([])
    ws.append([])
    ws.append(["项目支出绩效目标申报表（2023年度）"])
    ws.append(["项目名称：社区食堂建设"])
    ws.append(["主管部门及代码", "405002城关区民政局", None, "实施单位", None])
    ws.append(["项目资金（元）", "年度资金总额", 80000, "财政拨款", 50000, "其他资金", 30000])
    ws.append(["总体目标", "中长期目标", None, "年度目标", None])
    ws.append([None, "建成社区食堂3处。", None, None, None])
    ws.append(["绩效指标", "一级指标", "二级指标", "三级指标", "指标值"])
    ws.append([None, "产出指标", "数量指标", "新建食堂数量", "1处"])


def test_stacked_forms_units_money_and_extra_columns(tmp_path):
    sub = load_path(str(_save(tmp_path, _stacked)))
    assert sub.layout == "national-form" and sub.year == 2023
    p = sub.projects
    assert p["project_name"].tolist() == ["社区养老服务站运营补贴", "社区食堂建设"]
    assert p["unit"].tolist() == ["405002城关区民政局", "405002城关区民政局"]  # 实施单位 left blank: the department
    assert p["money_unit"].tolist() == ["元", "元"]
    assert p["budget_total"].tolist() == ["360000", "80000"] and p["budget_other"].tolist() == ["", "30000"]
    assert p["budget_other_loc"].iloc[0] == "表1!G4"  # the empty cell to fill in
    assert p["goal"].iloc[0] == "全年为1200名居家老人提供助餐、助洁服务。"
    assert (p["goal"].iloc[1], p["goal_loc"].iloc[1]) == ("", "表1!D16")  # annual target left blank
    i = sub.indicators
    assert i.groupby("project_key").size().tolist() == [2, 1]
    assert i["weight"].tolist() == ["40", "60", None]  # the second form has no 权重 column: absent, not empty
    assert i["value_type"].iloc[0] == "定量" and i["measure_unit"].tolist()[:2] == ["人", "%"]
    assert i["direction"].iloc[1] == "正向"


def test_hidden_sheets_are_read_and_marked(tmp_path):
    """A unit cannot hide a project from review by hiding its sheet; its cells are marked hidden."""
    visible = load_path(str(_save(tmp_path, _form_88, _stacked)))
    sub = load_path(str(_save(tmp_path, _form_88, _stacked, hidden=(1,))))
    assert sub.projects["project_name"].tolist() == visible.projects["project_name"].tolist()
    assert len(sub.projects) > 1 and sub.hidden_locs
    assert not visible.hidden_locs


def test_detection_and_forcing(tmp_path):
    path = _save(tmp_path, _form_88)
    grid = xlsx.read(path)
    assert national_form.score(grid) > 0.8 > hebei_form.score(grid)
    assert flat_export.score(grid) < layouts.MIN_SCORE
    assert layouts.detect(grid) is national_form
    assert load_path(str(path), layout="national").layout == "national-form"
    l1 = xlsx.read(EXAMPLES / "clean-2021.xlsx")
    assert national_form.score(l1) < layouts.MIN_SCORE and layouts.detect(l1) is hebei_form


def test_labels_of_the_national_form():
    from targetlint.layouts import labels

    assert labels.label_field("中期目标（2021年—2023年）") == "goal_long"
    assert labels.label_field("中期资金总额：") == "budget_long"
    assert labels.label_field("年度资金总额：") == "budget_total"
    assert labels.label_field("项目期") == "project_period"
    assert labels.unit_rank("实施单位") < labels.unit_rank("填报单位") < labels.unit_rank("主管部门及代码")


@pytest.mark.parametrize("text", ["（2022年度）", "2022年度", "(2022年)"])
def test_year_line_belongs_to_the_head(text):
    assert national_form._is_head_line(text)
    assert not national_form._is_head_line("产出指标")


def test_national_form_in_a_word_document(tmp_path):
    """L5: the same forms as Word tables, after a paragraph, read as from the workbook."""
    pytest.importorskip("docx")
    from _docx_builders import sheets_docx

    book = _save(tmp_path, _stacked)
    doc = sheets_docx(book, tmp_path / "l2.docx", paragraphs=["关于报送2023年度项目绩效目标的说明"])
    word, excel = load_path(str(doc)), load_path(str(book))
    assert word.layout == "national-form" and word.year == 2023
    for frame, cols in (("projects", ["project_name", "unit", "money_unit", "budget_total", "budget_other", "goal"]),
                        ("indicators", ["level1", "level2", "level3", "value", "weight", "value_type"])):
        assert getattr(word, frame)[cols].values.tolist() == getattr(excel, frame)[cols].values.tolist(), frame
    assert word.projects["goal_loc"].iloc[0].startswith("表1 ")


def test_blank_year_line_and_merged_titles_between_forms(tmp_path):
    """A form printed before the year is filled in: ``（    年度）`` under each title, no spacer rows."""
    def fill(ws):
        r = 1
        for name, rows in (("乡村道路养护", IND_A), ("农村厕所改造", IND_B)):
            _put(ws, f"A{r}", "项目支出绩效目标申报表", f"E{r}")
            _put(ws, f"A{r + 1}", "（    年度）", f"E{r + 1}")
            ws[f"A{r + 2}"], ws[f"B{r + 2}"] = "项目名称", name
            ws[f"A{r + 3}"], ws[f"B{r + 3}"] = "年度目标", f"完成{name}任务。"
            for c, text in zip("ABCDE", ["绩效指标", "一级指标", "二级指标", "三级指标", "指标值"]):
                ws[f"{c}{r + 4}"] = text
            for k, row in enumerate(rows, start=r + 5):
                for c, text in zip("BCDE", row):
                    ws[f"{c}{k}"] = text
            r += 5 + len(rows)

    sub = load_path(str(_save(tmp_path, fill)))
    assert sub.layout == "national-form" and sub.year is None
    assert sub.projects["title_loc"].tolist() == ["表1!A1", "表1!A8"]
    assert sub.indicators.groupby("project_key").size().tolist() == [2, 1]  # the titles are no indicator rows


IND_A = [("产出指标", "数量指标", "养护里程", "≥20公里"), ("满意度指标", "服务对象满意度指标", "群众满意度", "≥90%")]
IND_B = [("产出指标", "数量指标", "改造户数", "≥150户")]
