"""Layout L3 (flat export): sheets drawn by hand the way budget systems export them."""

from __future__ import annotations

import openpyxl
import pytest

from targetlint import layouts
from targetlint.errors import LoadError
from targetlint.formats import xlsx
from targetlint.layouts import flat_export, hebei_form, national_form
from targetlint.load import load_path

IND = [("产出指标", "数量指标", "培训人次", "≥300人次"), ("产出指标", "质量指标", "考核合格率", "≥95%"),
       ("满意度指标", "服务对象满意度指标", "学员满意度", "≥90%")]


def _save(tmp_path, fill, name="flat.xlsx"):
    wb = openpyxl.Workbook()
    fill(wb.active)
    wb.active.title = "导出"
    wb.save(tmp_path / name)
    return tmp_path / name


def _two_row_header(ws) -> None:
    """Title and money note above; 预算数 and 资金支出计划 over sub-columns; first-row-only project fields."""
    ws["A1"] = "2024年度部门项目绩效目标汇总表"
    ws["P2"] = "单位：元"
    top = ["序号", "单位编码", "单位名称", "项目编码", "项目名称", "预算数", None, None, "资金支出计划（%）", None, None,
           None, "一级指标", "二级指标", "三级指标", "指标值", "指标值确定依据"]
    low = [None, None, None, None, None, "合计", "财政资金", "其他资金", "3月底", "6月底", "9月底", "12月底"]
    for c, text in enumerate(top, start=1):
        ws.cell(3, c, text)
    for c, text in enumerate(low, start=1):
        ws.cell(4, c, text)
    for c in (1, 2, 3, 4, 5, 13, 14, 15, 16, 17):
        ws.merge_cells(start_row=3, start_column=c, end_row=4, end_column=c)
    ws.merge_cells("F3:H3")
    ws.merge_cells("I3:L3")
    head = [1, "203001", "北关街道办事处", "203-0101-BGJ-0001", "社区干部培训", 52000, 52000, 0, 10, 40, 80, 100]
    rows = [head + list(IND[0]) + ["计划标准"], [None] * 12 + list(IND[1]) + ["行业标准"],
            [None] * 12 + list(IND[2]) + ["历史标准"]]
    rows += [[], [2, "203002", "南关街道办事处", "203-0101-NGJ-0002", "社区干部培训", 18000, 18000, 0, 0, 50, 100, 100,
                  *IND[0], "计划标准"]]
    rows += [top, [3, "203002", "南关街道办事处", "203-0101-NGJ-0003", "便民服务大厅运转", 9000, 9000, 0, 25, 50, 75, 100,
                   None, None, None, None, None]]
    rows += [[], ["制表人：王芳"], [4, "203009", "不该读到", "203-9", "签名行之后的内容", 1]]
    for r, row in enumerate(rows, start=5):
        for c, v in enumerate(row, start=1):
            ws.cell(r, c, v)


def test_two_row_header_several_units_first_row_only(tmp_path):
    sub = load_path(str(_save(tmp_path, _two_row_header)))
    assert sub.layout == "flat-export" and sub.year == 2024
    p = sub.projects
    assert p["unit"].tolist() == ["203001北关街道办事处", "203002南关街道办事处", "203002南关街道办事处"]
    assert sub.units == ["203001北关街道办事处", "203002南关街道办事处"]
    assert p["project_name"].tolist() == ["社区干部培训", "社区干部培训", "便民服务大厅运转"]  # one name, two units
    assert p["budget_total"].tolist() == ["52000", "18000", "9000"] and p["budget_other"].iloc[0] == "0"
    assert p["plan_oct"].tolist() == ["80", "100", "75"] and p["plan_oct_loc"].iloc[0] == "导出!K5"
    assert (p["money_unit"].iloc[0], p["money_unit_loc"].iloc[0]) == ("元", "导出!P2")
    assert p["goal"].isna().all() and p["purpose"].isna().all() and p["title"].isna().all()  # no such column
    i = sub.indicators
    assert i.groupby("project_key").size().tolist() == [3, 1]  # the third project has no indicator row
    assert i["level3"].tolist()[:3] == [r[2] for r in IND] and i["basis"].iloc[1] == "行业标准"
    assert i["description"].isna().all()
    assert i["value_loc"].iloc[2] == "导出!P7"


def _merged_reordered(ws) -> None:
    """Header in row 1, columns in the system's own order, project cells merged down, a spacer row."""
    header = ["指标值", "三级指标", "项目名称", "二级指标", "一级指标", "预算数（万元）", "绩效目标", "指标性质", "分值"]
    ws.append(header)
    ws.append(["≥300人次", "培训人次", "村干部培训", "数量指标", "产出指标", 12.5, "培训村干部300人次。", "定量", 60])
    ws.append(["≥90%", "学员满意度", None, "服务对象满意度指标", "满意度指标", None, None, "定量", 40])
    ws.append([])
    ws.append(["2处", "新建场所数量", "村级活动场所建设", "数量指标", "产出指标", 80, "新建村级活动场所2处。", "定量", 100])
    for col in "CFG":
        ws.merge_cells(f"{col}2:{col}3")


def test_merged_project_cells_reordered_columns(tmp_path):
    sub = load_path(str(_save(tmp_path, _merged_reordered)))
    assert sub.layout == "flat-export"
    p = sub.projects
    assert p["project_name"].tolist() == ["村干部培训", "村级活动场所建设"]
    assert p["budget_total"].tolist() == ["12.5", "80"] and p["money_unit"].tolist() == ["万元", "万元"]
    assert p["project_code"].isna().all() and p["unit"].isna().all() and p["plan_mar"].isna().all()
    assert p["goal_loc"].iloc[0] == "导出!G2"  # the merged range's anchor
    i = sub.indicators
    assert i.groupby("project_key").size().tolist() == [2, 1]
    assert i["weight"].tolist() == ["60", "40", "100"] and i["value_type"].iloc[0] == "定量"
    assert i["basis"].isna().all()


def test_repeated_header_and_hidden_or_headerless_sheets(tmp_path):
    def fill(ws):
        ws.append(["项目名称", "一级指标", "二级指标", "三级指标", "指标值"])
        ws.append(["道路养护", *IND[0]])
        ws.append(["项目名称", "一级指标", "二级指标", "三级指标", "指标值"])  # page header repeated
        ws.append(["道路养护", *IND[1]])
        ws.append(["以下空白"])
        ws.merge_cells(start_row=5, start_column=1, end_row=5, end_column=5)  # a note across the table
        notes = ws.parent.create_sheet("说明")
        notes["A1"] = "本表由预算管理一体化系统导出。"
        hidden = ws.parent.create_sheet("旧数据")
        hidden.append(["项目名称", "一级指标", "二级指标", "三级指标", "指标值"])
        hidden.append(["旧项目", *IND[2]])
        hidden.sheet_state = "hidden"

    sub = load_path(str(_save(tmp_path, fill)))
    # a hidden sheet is checked like the rest: a unit cannot hide a project from review
    assert sub.projects["project_name"].tolist() == ["道路养护", "旧项目"]
    assert sub.indicators["level3"].tolist() == ["培训人次", "考核合格率", IND[2][2]]
    assert any(loc.startswith("旧数据!") for loc in sub.hidden_locs)


def test_year_column_and_unit_column_preference(tmp_path):
    def fill(ws):
        ws.append(["预算年度", "主管部门", "预算单位", "项目名称", "一级指标", "二级指标", "三级指标", "指标值"])
        ws.append(["2025", "县教育局", "县第一中学", "校舍维修", *IND[0]])

    sub = load_path(str(_save(tmp_path, fill)))
    assert sub.year == 2025 and sub.projects["unit"].tolist() == ["县第一中学"]


def test_detection(tmp_path):
    grid = xlsx.read(_save(tmp_path, _two_row_header))
    assert flat_export.score(grid) > 0.7
    assert max(hebei_form.score(grid), national_form.score(grid)) < layouts.MIN_SCORE
    assert layouts.detect(grid) is flat_export


def test_nothing_fits_names_the_labels_looked_for_and_found(tmp_path):
    def fill(ws):
        ws.append(["序号", "姓名", "金额"])
        ws.append(["项目名称", "办公楼维修"])
        ws.append([1, "张三", 300])

    with pytest.raises(LoadError) as err:
        load_path(str(_save(tmp_path, fill)))
    assert err.value.code == "layout-unknown"
    zh, en = err.value.message("zh"), err.value.message("en")
    for label in ("项目编码", "项目支出绩效目标申报表", "年度资金总额", "单位名称", "指标值确定依据"):
        assert label in zh.split("找到")[0], label
    assert zh.split("找到")[1].count("项目名称") == 1 and "found: 项目名称" in en


def test_forced_layout_reads_what_it_can(tmp_path):
    path = _save(tmp_path, _merged_reordered)
    assert load_path(str(path), layout="flat").layout == "flat-export"
    forced = load_path(str(path), layout="hebei-form")
    assert forced.layout == "hebei-form"  # forcing never crashes, even on the wrong layout
