"""The annotated workbook: a faithful copy, every finding on its cell, no formula anywhere."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import _report_fixtures as R
from targetlint import findings as F
from targetlint import reporters
from targetlint.reporters import xlsx_report as X
from targetlint.result import FileResult, RunResult
from targetlint.submission import Submission


def _sha(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _open(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def _no_formula(data: bytes, wb: openpyxl.Workbook) -> None:
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/sheet"):
                assert b"<f>" not in z.read(name) and b"<f " not in z.read(name), name


def _anchor(ws, coord: str) -> str:
    for rng in ws.merged_cells.ranges:
        if coord in rng:
            return ws.cell(rng.min_row, rng.min_col).coordinate
    return coord


@pytest.fixture(scope="module")
def seed_copy() -> tuple[bytes, str, str]:
    before = _sha(R.SEED_XLSX)
    data = reporters.render("xlsx", R.seed(), "zh")
    return data, before, _sha(R.SEED_XLSX)


def test_input_is_untouched(seed_copy):
    _, before, after = seed_copy
    assert before == after


def test_every_finding_cell_has_comment_and_fill(seed_copy):
    wb = _open(seed_copy[0])
    found = R.seed().findings
    assert len(found) > 100
    for row in found.to_dict("records"):
        sheet, cell = X.split_location(row["location"])
        ws = wb[sheet]
        target = ws[_anchor(ws, cell)]
        assert target.comment is not None and row["message_zh"] in target.comment.text, row["location"]
        if row["suggestion_zh"]:
            assert row["suggestion_zh"] in target.comment.text
        assert target.fill.fill_type == "solid"
        # the fill is the colour of the worst finding on that cell
        assert target.fill.fgColor.rgb[-6:] in {f.fgColor.rgb[-6:] for f in X.FILLS.values()}


def test_review_sheet_is_first_and_links_every_finding_to_its_cell(seed_copy):
    wb = _open(seed_copy[0])
    assert wb.sheetnames[0] == X.SHEET
    ws = wb[X.SHEET]
    header = [c.value for c in ws[1]]
    loc_col = header.index("位置")
    found = R.seed().findings.to_dict("records")
    assert ws.max_row - 1 == len(found)
    for i, row in enumerate(found, 2):
        cell = ws.cell(i, loc_col + 1)
        sheet, coord = X.split_location(row["location"])
        assert cell.value == row["location"]
        assert cell.hyperlink is not None
        assert cell.hyperlink.location == X.quote_ref(sheet, _anchor(wb[sheet], coord))
        target = wb[sheet][_anchor(wb[sheet], coord)]
        assert target.comment is not None


def test_copy_keeps_the_input_content(seed_copy):
    original = openpyxl.load_workbook(R.SEED_XLSX)
    copy = _open(seed_copy[0])
    for ws in original.worksheets:
        other = copy[ws.title]
        assert {str(r) for r in ws.merged_cells.ranges} == {str(r) for r in other.merged_cells.ranges}
        for row in ws.iter_rows():
            for cell in row:
                assert other[cell.coordinate].value == cell.value


def test_no_formula_anywhere(seed_copy):
    _no_formula(seed_copy[0], _open(seed_copy[0]))


def test_formula_text_from_a_unit_stays_text():
    path = R.hostile_path()
    before = _sha(path)
    data = X.render(R.hostile(), "zh")
    assert _sha(path) == before
    wb = _open(data)
    _no_formula(data, wb)
    sheet, coord = X.split_location(
        next(r for r in R.hostile().findings.to_dict("records") if r["value"] == R.FORMULA)["location"])
    cell = wb[sheet][coord]
    assert cell.value == R.FORMULA and cell.data_type == "s"
    assert cell.comment is not None
    review = wb[X.SHEET]
    texts = [c for row in review.iter_rows(min_row=2) for c in row if c.value == R.FORMULA]
    assert texts and all(c.data_type == "s" for c in texts)
    assert any(c.value == R.SCRIPT for row in review.iter_rows(min_row=2) for c in row)


def _handmade(tmp_path: Path, sheet: str, locations: list[tuple[str, str]]) -> FileResult:
    """A workbook with a merged range and a sheet name needing quotes, and findings at ``locations``."""
    path = tmp_path / "单位 表.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws["A1"] = "项目名称"
    ws["B1"] = "村级道路"
    ws.merge_cells("B1:D2")
    ws["A3"] = "指标值"
    ws["B3"] = "≥0.9"
    ws["B3"].comment = openpyxl.comments.Comment("单位自己的批注", "unit")
    wb.create_sheet(X.SHEET)["A1"] = "an older review sheet"
    wb.save(path)
    sub = Submission.from_records(str(path), "test", [{"project_name": "村级道路"}])
    rows = [{c: None for c in F.COLUMNS} | {
        "file": str(path), "rule": "TL999", "rule_name": "test", "severity": sev, "field": "value",
        "location": loc, "value": "x", "message_zh": f"问题{i}", "message_en": f"problem {i}",
        "suggestion_zh": f"建议{i}", "suggestion_en": None, "project_seq": 0, "row_seq": i, "field_seq": 0,
    } for i, (loc, sev) in enumerate(locations)]
    return FileResult(str(path), submission=sub, findings=pd.DataFrame(rows, columns=list(F.COLUMNS)))


def test_merged_cells_quoted_sheet_names_and_existing_comments(tmp_path):
    sheet = "Sheet 1's 表"
    fr = _handmade(tmp_path, sheet, [(f"{sheet}!C2", "warning"), (f"{sheet}!B1", "error"),
                                      (f"{sheet}!B3", "info"), ("line 4", "warning")])
    before = _sha(Path(fr.path))
    data = X.render(RunResult([fr], "test"), "zh")
    assert _sha(Path(fr.path)) == before
    wb = _open(data)
    assert wb.sheetnames[0] == X.SHEET + " (2)" and X.SHEET in wb.sheetnames
    ws = wb[sheet]
    # C2 lies in B1:D2: both findings land on the anchor B1, worst severity wins the fill
    assert "问题0" in ws["B1"].comment.text and "问题1" in ws["B1"].comment.text
    assert ws["B1"].fill.fgColor.rgb.endswith(X.FILLS["error"].fgColor.rgb[-6:])
    assert ws["B3"].comment.text.startswith("单位自己的批注") and "问题2" in ws["B3"].comment.text
    links = [c.hyperlink.location for row in wb.worksheets[0].iter_rows(min_row=2) for c in row if c.hyperlink]
    assert links == ["'Sheet 1''s 表'!B1", "'Sheet 1''s 表'!B1", "'Sheet 1''s 表'!B3"]
    # the finding without a cell is listed, unlinked
    assert wb.worksheets[0].max_row == 5


def test_non_xlsx_input_gives_a_findings_workbook():
    from targetlint import runner

    result = runner.check_paths([str(R.SEED_TXT)], R.profile())
    data = X.render(result, "zh")
    wb = _open(data)
    assert wb.sheetnames == [X.SHEET, X.SUMMARY_SHEET]
    assert wb[X.SHEET].max_row - 1 == len(result.findings)
    assert [c.value for c in wb[X.SUMMARY_SHEET][2]][-2] == "差"
    _no_formula(data, wb)


def test_folder_gives_findings_and_file_summary():
    data = X.render(R.folder(), "zh")
    wb = _open(data)
    summary = wb[X.SUMMARY_SHEET]
    assert summary.max_row - 1 == 20
    notes = [row[-1].value for row in summary.iter_rows(min_row=2)]
    assert sum(1 for n in notes if n) == 1  # the corrupt file, with its load error
    _no_formula(data, wb)


def test_annotate_all_writes_beside_each_xlsx_input():
    copies = X.annotate_all(R.folder(), "zh")
    readable_xlsx = [f for f in R.folder().files if f.error is None and f.path.endswith(".xlsx")]
    assert len(copies) == len(readable_xlsx) == 18
    for fr in readable_xlsx:
        out = X.annotated_path(fr.path)
        assert out.endswith(".审核意见.xlsx") and Path(out).parent == Path(fr.path).parent
        assert _open(copies[out]).sheetnames[0] == X.SHEET


def test_split_location():
    assert X.split_location("项目绩效目标表!E12") == ("项目绩效目标表", "E12")
    assert X.split_location("'Sheet 1'!$e$3") == ("Sheet 1", "E3")
    assert X.split_location("line 57") is None
    assert X.split_location("表3 第2行 第5列") is None
    assert X.split_location(None) is None


def test_unreadable_single_xlsx_falls_back_to_findings(tmp_path):
    fr = dataclasses.replace(R.folder().files[-1])
    assert fr.error is not None
    wb = _open(X.render(RunResult([fr], "test"), "zh"))
    assert wb.sheetnames == [X.SHEET, X.SUMMARY_SHEET]
