"""The CSV report: UTF-8 with BOM for Excel, one row a finding, no cell that starts like a formula."""

from __future__ import annotations

import csv
import io

import pytest

import _report_fixtures as R
from targetlint import reporters
from targetlint.reporters import csv_report


def _rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_bom_crlf_chinese_header_and_one_row_a_finding():
    data = reporters.render("csv", R.seed(), "zh")
    assert isinstance(data, bytes)
    assert b"\r\n" in data and data.count(b"\r\n") == data.count(b"\n")
    rows = _rows(data)
    assert rows[0] == [zh for _, zh, _ in csv_report.COLUMNS]
    found = R.seed().findings
    assert len(rows) - 1 == len(found)
    messages = [r[rows[0].index("问题")] for r in rows[1:]]
    assert messages == list(found["message_zh"])
    assert all(r[rows[0].index("文件")].endswith("kaiyuan-2020.xlsx") for r in rows[1:])
    # GBK-only Excel would show this as mojibake without the BOM; the text itself is intact
    assert "开元镇" in data.decode("utf-8-sig")


def test_english_header_and_labels():
    rows = _rows(csv_report.render(R.seed(), "en"))
    assert rows[0][:5] == ["file", "unit", "project_code", "project_name", "rule"]
    assert {r[5] for r in rows[1:]} <= {"error", "warning", "info"}


@pytest.mark.parametrize("text", ["=1+1", "+1", "-5%", "@SUM(A1)", "\tx", "\rx", R.FORMULA])
def test_formula_starts_are_defused(text):
    assert csv_report.defuse(text) == "'" + text


@pytest.mark.parametrize("text", ["≥90%", "1=1", "a-b", "", "'quoted"])
def test_other_text_is_kept(text):
    assert csv_report.defuse(text) == text


def test_hostile_values_never_start_a_cell_as_formula():
    rows = _rows(csv_report.render(R.hostile(), "zh"))
    cells = [c for r in rows for c in r]
    assert "'" + R.FORMULA in cells and R.FORMULA not in cells
    assert R.SCRIPT in cells  # markup is harmless in CSV and kept as typed
    assert not any(c.startswith(csv_report.FORMULA_START) for c in cells)


def test_unreadable_file_is_a_row():
    rows = _rows(csv_report.render(R.folder(), "zh"))
    header = rows[0]
    bad = [r for r in rows[1:] if r[header.index("规则")] == ""]
    assert len(bad) == 1 and "损坏" in bad[0][0] and bad[0][header.index("问题")]
    assert len(rows) - 1 == len(R.folder().findings) + 1
