"""The layouts' fast paths give what the plain definitions give.

Detection and parsing read a grid through :class:`~targetlint.layouts._sheet.Sheet`,
which works a row out once and takes shortcuts (labels looked up from the raw
texts, the merged-range test only on label cells, a footer known from the
first cell).  Each test here compares a shortcut with the slow, obvious
definition it replaces, on hand-made merged ranges and on the examples.
"""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from targetlint import layouts
from targetlint.formats import text as text_format
from targetlint.formats import xlsx
from targetlint.formats.grid import Grid, Table
from targetlint.layouts import hebei_form, labels as L, national_form
from targetlint.layouts import _sheet
from targetlint.layouts._sheet import Sheet, sheets

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _cells_by_definition(table: Table, r: int, own: bool = True) -> list[tuple[int, str]]:
    """Sheet.cells as first written: one anchor lookup per cell."""
    out = []
    for c in range(len(table.rows[r])):
        anchor = table.anchor(r, c)
        if c and table.anchor(r, c - 1) == anchor:
            continue
        if own and anchor[0] != r:
            continue
        text = table.text(r, c).strip()
        if text:
            out.append((c, text))
    return out


def _fields_by_definition(table: Table, r: int) -> dict[int, str]:
    return {c: f for c, t in _cells_by_definition(table, r) if (f := L.cell_field(t))}


def _merged_table() -> Table:
    """Labels merged across and down, a range starting at a blank cell, an odd anchor to the right."""
    rows = [
        ["项目名称", "项目名称", "党建经费", "", "单位：万元"],
        ["预算数（万元）", "100", "其中：财政资金", "其中：财政资金", "80"],
        ["预算数（万元）", "", "其他资金：20", "", ""],
        ["", "填报人：张三", "填报人：张三", "", ""],
        ["填报人：李四", "x", "", "", ""],
        ["绩效目标", "a", "b", "c", "d"],
    ]
    anchors = {
        (0, 1): (0, 0),  # 项目名称 across two columns
        (1, 3): (1, 2),  # 其中：财政资金 across two columns
        (2, 0): (1, 0),  # 预算数 merged down: no label of row 2
        (3, 1): (3, 0), (3, 2): (3, 0),  # a range anchored on a blank cell
        (5, 0): (5, 1),  # an anchor right of its cell (a broken file)
    }
    return Table(name="表", rows=rows, anchors=anchors)


@pytest.mark.parametrize("text", [
    "", "  ", "项目名称", " 项 目 名 称： ", "其中:财政资金", "预算数（万元）", "10月底（9月底）",
    "项目名称：党组织活动经费", "其中：财政资金：38.34", "党组织活动经费", "≥90%",
    "资金用途：" + "，".join(["加强基层党组织建设：开展活动"] * 8),
    "x" * 41 + "：项目名称", "说明：" + "y" * 100, "\u3000项目编码\u3000",
])
def test_row_fields_is_cell_field_of_each_stripped_text(text):
    row = [text, "", text + " ", "项目编码"]
    expected = [(c, f) for c, t in enumerate(row) if (f := L.cell_field(t.strip()))]
    assert L.row_fields(row) == expected
    assert L.row_fields(row) == expected  # the second time from the memo


def test_inline_value_only_splits_where_a_label_can_end():
    assert L.inline_value("项目名称：党建：活动：经费") == ("project_name", "党建：活动：经费")
    assert L.inline_value("x" * 41 + "：项目名称") is None
    long_value = "资金用途：" + "内容" * 200
    assert L.inline_value(long_value) == ("purpose", "内容" * 200)


def test_raw_field_memo_stays_bounded(monkeypatch):
    monkeypatch.setattr(L, "_MEMO_ENTRIES", 8)
    monkeypatch.setattr(L, "_RAW_FIELDS", {})
    for i in range(50):
        assert L.row_fields([f"值{i}", "项目名称"]) == [(1, "project_name")]
    assert len(L._RAW_FIELDS) <= 8


def test_cells_and_fields_match_their_definition_on_merged_ranges():
    table = _merged_table()
    sheet = Sheet(table)
    for r in range(len(table.rows)):
        assert list(sheet.fields(r).items()) == list(_fields_by_definition(table, r).items()), r
        assert list(sheet.cells(r)) == _cells_by_definition(table, r), r
        assert list(sheet.cells(r, own=False)) == _cells_by_definition(table, r, own=False), r
    assert sheet.fields(2) == {2: "budget_other"}  # 预算数 merged down from row 1 is not row 2's label
    assert sheet.fields(0) == {0: "project_name"}  # one label per range


def test_fields_before_cells_and_cells_before_fields_agree():
    table = _merged_table()
    first_fields, first_cells = Sheet(table), Sheet(table)
    for r in range(len(table.rows)):
        first_cells.cells(r, own=False)
    for r in range(len(table.rows)):
        assert first_fields.fields(r) == first_cells.fields(r)
        assert first_fields.cells(r) == first_cells.cells(r)


def test_footer_from_the_first_cell_matches_the_full_row():
    sheet = Sheet(_merged_table())
    # Row 3: the first text continues a range whose anchor is blank, so the row has no cells.
    assert not sheet.is_footer_row(3)
    assert sheet.is_footer_row(4)
    assert not sheet.is_footer_row(0)
    for r in range(len(sheet)):
        cells = _cells_by_definition(sheet.table, r, own=False)
        expected = bool(cells) and bool(_sheet._FOOTER.match(cells[0][1]))
        assert Sheet(sheet.table).is_footer_row(r) == expected, r


def test_label_rows_and_header_rows():
    rows = [["说明"], ["项目名称", "甲"], [""], ["一级指标", "二级指标", "三级指标", "指标值"], ["产出指标"]]
    sheet = Sheet(Table(name="s", rows=rows))
    assert sheet.label_rows() == [1, 3]
    assert sheet.label_rows(3) == [1]
    assert sheet.label_rows(100) == [1, 3]
    assert sheet.header_rows() == [3]


def test_sheets_are_shared_per_grid_and_rebuilt_when_the_tables_change():
    grid = Grid(path="g.xlsx", format="xlsx", tables=[_merged_table()])
    first = sheets(grid)
    assert sheets(grid) is first
    grid.tables = [_merged_table()]
    again = sheets(grid)
    assert again is not first and again[0].table is grid.tables[0]
    key = id(grid)
    del grid, first, again
    gc.collect()
    assert key not in _sheet._SHEETS


def _example_grids() -> list[Grid]:
    grids = [xlsx.read(p) for p in sorted(EXAMPLES.glob("*.xlsx"))]
    return grids + [text_format.read(EXAMPLES / "kaiyuan-2020.txt")]


def test_examples_read_the_same_through_the_shortcuts():
    for grid in _example_grids():
        for table in grid.tables:
            sheet = Sheet(table)
            labelled = []
            for r in range(len(table.rows)):
                fields = _fields_by_definition(table, r)
                assert sheet.fields(r) == fields, (grid.path, table.name, r)
                assert list(sheet.cells(r, own=False)) == _cells_by_definition(table, r, own=False)
                if fields:
                    labelled.append(r)
            assert sheet.label_rows() == labelled


def _national_found_by_definition(grid: Grid) -> set[str]:
    """national_form's found labels as first written: every row, every label cell."""
    found: set[str] = set()
    by_field = set(national_form.SIGNATURE) - set(national_form._BY_LABEL) - {"title"}
    for table in grid.tables:
        sheet = Sheet(table)
        for r in range(min(len(sheet), 2000)):
            fields = sheet.fields(r)
            found |= set(fields.values()) & by_field
            for c in fields:
                label = national_form._label_part(sheet.text(r, c))
                found |= {k for k, shown in national_form._BY_LABEL.items() if label in shown}
            if any("申报表" in t and len(t) <= 60 for t in sheet.rows[r]):
                found.add("title")
    return found


def test_national_labels_found_as_defined():
    split_title = Table(name="s", rows=[["项目支出绩效目标申报", "表"], ["项目名称", "甲"], ["实施单位", "乙"]])
    long_title = Table(name="t", rows=[["项目支出绩效目标申报表" + "说明" * 30], ["年度目标", "丙"]])
    grids = _example_grids() + [
        Grid(path="x", format="xlsx", tables=[split_title]),
        Grid(path="y", format="xlsx", tables=[long_title, split_title]),
    ]
    for grid in grids:
        assert national_form.found_labels(grid) == _national_found_by_definition(grid), grid.path
    assert "title" not in national_form.found_labels(grids[-1])


def test_detect_then_parse_share_the_work():
    grid = xlsx.read(EXAMPLES / "kaiyuan-2020.xlsx")
    assert layouts.detect(grid) is hebei_form
    found = hebei_form.find_blocks(sheets(grid)[0])
    assert hebei_form.find_blocks(sheets(grid)[0]) is found  # worked out once, parse reuses it
    assert len(hebei_form.parse(grid).projects) == len([b for s in sheets(grid) for b in hebei_form.find_blocks(s)])
