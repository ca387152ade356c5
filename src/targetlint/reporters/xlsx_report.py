"""The workbook reports: an annotated copy of an xlsx input, or a workbook of the findings.

The annotated copy is what a reviewer sends back to the unit: the unit's own
workbook, every cell with a finding filled in its severity colour and
carrying a comment (message and suggestion), and a first sheet ``审核意见``
listing every finding with a hyperlink to its cell.  It is the one report
that reads a file: the input workbook's bytes (``FileResult.path``), loaded
into memory with openpyxl and never written back.  A finding inside a merged
range is put on the range's top-left (anchor) cell, where Excel shows it.

What the copy loses: openpyxl does not carry images, charts or macros over
(macro workbooks come back as plain xlsx); cell text, styles, merged
ranges, widths, comments and the unit's own formulas are kept.

Text this module writes never becomes a formula: every string cell is
stored as a string (``data_type = "s"``), so ``=HYPERLINK(…)`` typed by a
unit stays text when the reviewer opens the report.
"""

from __future__ import annotations

import io
import logging
import os
import re
from pathlib import Path
from typing import Any, Iterable, Mapping

import openpyxl
import pandas as pd
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from targetlint import grading
from targetlint import findings as F
from targetlint.result import FileResult, RunResult
from targetlint.rule import Severity
from targetlint.submission import field_label

log = logging.getLogger(__name__)

SHEET = "审核意见"
SUMMARY_SHEET = "文件汇总"
XLSX_SUFFIXES = (".xlsx", ".xlsm")

#: Cell fills by severity: light, printable tints (Excel's own "bad / neutral / note" family).
FILLS = {
    "error": PatternFill("solid", fgColor="FFC7CE"),
    "warning": PatternFill("solid", fgColor="FFEB9C"),
    "info": PatternFill("solid", fgColor="DDEBF7"),
}
AUTHOR = "targetlint"

#: Columns of the findings sheet: (key, zh, en, width); the order a reviewer reads in.
COLUMNS: tuple[tuple[str, str, str, int], ...] = (
    ("n", "序号", "No.", 6),
    ("file", "文件", "File", 24),
    ("severity", "级别", "Severity", 7),
    ("rule", "规则", "Rule", 8),
    ("location", "位置", "Location", 18),
    ("project_name", "项目名称", "Project name", 20),
    ("field", "字段", "Field", 12),
    ("value", "原文", "Text", 36),
    ("message", "问题", "Problem", 40),
    ("suggestion", "建议", "Suggestion", 40),
    ("project_code", "项目编码", "Project code", 19),
    ("unit", "单位", "Unit", 22),
)
SUMMARY_COLUMNS: tuple[tuple[str, str, str, int], ...] = (
    ("file", "文件", "File", 36),
    ("unit", "单位", "Unit", 26),
    ("projects", "项目", "Projects", 7),
    ("indicators", "指标", "Indicators", 7),
    ("error", "错误", "Errors", 7),
    ("warning", "警告", "Warnings", 7),
    ("info", "提示", "Infos", 7),
    ("grade", "等级", "Grade", 7),
    ("status", "说明", "Note", 48),
)

_CELL = re.compile(r"^(?P<sheet>.+)!\$?(?P<col>[A-Za-z]{1,3})\$?(?P<row>[0-9]{1,7})$")


def _s(value: Any) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)


def split_location(location: str) -> tuple[str, str] | None:
    """``项目表!E12`` / ``'Sheet 1'!E12`` → (sheet, ``E12``); None for ``line 57`` and the like."""
    m = _CELL.match(_s(location).strip())
    if not m:
        return None
    sheet = m["sheet"]
    if len(sheet) >= 2 and sheet[0] == sheet[-1] == "'":
        sheet = sheet[1:-1].replace("''", "'")
    return sheet, f"{m['col'].upper()}{m['row']}"


def quote_ref(sheet: str, cell: str) -> str:
    """An internal hyperlink target: the sheet name always quoted (spaces, Chinese, quotes)."""
    return "'" + sheet.replace("'", "''") + "'!" + cell


def _text(cell: Any, value: Any) -> None:
    """Write ``value``; strings always as text, never as a formula; '' leaves the cell empty."""
    cell.value = None if value == "" else value
    if isinstance(value, str) and value:
        cell.data_type = "s"


def _finding_row(row: Mapping[str, Any], lang: str, n: int) -> dict[str, Any]:
    field = _s(row["field"])
    return {
        "n": n,
        "file": _s(row["file"]),
        "severity": Severity(row["severity"]).label(lang),
        "sev": row["severity"],
        "rule": _s(row["rule"]),
        "unit": _s(row["unit"]),
        "project_code": _s(row["project_code"]),
        "project_name": _s(row["project_name"]),
        "field": field_label(field, lang) if field else "",
        "location": _s(row["location"]),
        "value": _s(row["value"]),
        "message": _s(row[f"message_{lang}"]),
        "suggestion": _s(row[f"suggestion_{lang}"]),
    }


def _table(ws: Worksheet, columns: Iterable[tuple[str, str, str, int]], rows: Iterable[dict], lang: str) -> list[tuple]:
    """Header, rows, widths, frozen header and filter; returns the written (row dict, row number) pairs."""
    columns = list(columns)
    bold = Font(bold=True)
    for j, (_, zh, en, width) in enumerate(columns, 1):
        cell = ws.cell(row=1, column=j)
        _text(cell, zh if lang == "zh" else en)
        cell.font = bold
        ws.column_dimensions[get_column_letter(j)].width = width
    wrap = Alignment(wrap_text=True, vertical="top")
    written = []
    for i, row in enumerate(rows, 2):
        for j, (key, *_rest) in enumerate(columns, 1):
            cell = ws.cell(row=i, column=j)
            _text(cell, row.get(key))
            cell.alignment = wrap
        ws.row_dimensions[i].height = _height(row, columns)
        if row.get("sev") in FILLS:
            ws.cell(row=i, column=[c[0] for c in columns].index("severity") + 1).fill = FILLS[row["sev"]]
        written.append((row, i))
    ws.freeze_panes = "A2"
    last = max(1, len(written) + 1)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{last}"
    _print_setup(ws)
    return written


def _height(row: dict, columns: list[tuple[str, str, str, int]]) -> float:
    """Row height in points for the wrapped texts (not every spreadsheet autofits on open)."""
    lines = 1
    for key, _, _, width in columns:
        text = _s(row.get(key))
        # a CJK character is about two digit-widths wide, the unit of a column width
        cells = sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
        lines = max(lines, -(-cells // max(1, width - 1)))
    return min(409.0, 15.0 * lines + 2)


def _print_setup(ws: Worksheet) -> None:
    """A4 landscape, all columns on the page width, the header row repeated on every page."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = "1:1"


def _comment_text(rows: list[dict], lang: str) -> str:
    label = "建议：" if lang == "zh" else "Suggestion: "
    parts = []
    for r in rows:
        text = f"[{r['severity']} {r['rule']}] {r['message']}"
        if r["suggestion"]:
            text += f"\n{label}{r['suggestion']}"
        parts.append(text)
    return "\n\n".join(parts)


def _anchors(ws: Worksheet) -> dict[str, str]:
    """Every merged cell's coordinate → its range's anchor coordinate."""
    out: dict[str, str] = {}
    for rng in ws.merged_cells.ranges:
        anchor = f"{get_column_letter(rng.min_col)}{rng.min_row}"
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                out[f"{get_column_letter(c)}{r}"] = anchor
    return out


def _targets(wb: openpyxl.Workbook, rows: list[dict]) -> dict[tuple[str, str], list[dict]]:
    """Findings by the (sheet, anchor cell) they point at; findings without a cell are left out."""
    anchors: dict[str, dict[str, str]] = {}
    out: dict[tuple[str, str], list[dict]] = {}
    for r in rows:
        where = split_location(r["location"])
        if where is None or where[0] not in wb.sheetnames:
            continue
        sheet, cell = where
        if sheet not in anchors:
            anchors[sheet] = _anchors(wb[sheet])
        key = (sheet, anchors[sheet].get(cell, cell))
        r["target"] = key
        out.setdefault(key, []).append(r)
    return out


def _annotate_cells(wb: openpyxl.Workbook, targets: dict[tuple[str, str], list[dict]], lang: str) -> None:
    for (sheet, coord), found in targets.items():
        cell = wb[sheet][coord]
        worst = max((r["sev"] for r in found), key=lambda s: Severity(s).rank)
        cell.fill = FILLS[worst]
        text = _comment_text(found, lang)
        if cell.comment is not None and cell.comment.text:
            text = cell.comment.text.rstrip() + "\n\n" + text  # keep what the unit wrote
        lines = sum(1 + len(line) // 24 for line in text.split("\n"))
        cell.comment = Comment(text, AUTHOR, height=min(600, 18 * lines + 10), width=320)


def _free_name(wb: openpyxl.Workbook, name: str) -> str:
    """``name``, or ``name (2)`` … when the input already has a sheet of that name."""
    taken, k, candidate = set(wb.sheetnames), 1, name
    while candidate in taken:
        k += 1
        candidate = f"{name} ({k})"
    return candidate


def annotate(fr: FileResult, lang: str = "zh") -> bytes:
    """The annotated copy of one xlsx input (the input file is only read).

    Raises:
        OSError, ValueError, KeyError, zipfile.BadZipFile: the input cannot be read as a workbook.
    """
    data = Path(fr.path).read_bytes()
    wb = openpyxl.load_workbook(io.BytesIO(data), keep_vba=False, rich_text=False)
    rows = [_finding_row(r, lang, n) for n, r in enumerate(fr.findings.to_dict("records"), 1)]
    targets = _targets(wb, rows)
    _annotate_cells(wb, targets, lang)
    ws = wb.create_sheet(_free_name(wb, SHEET), 0)
    columns = [c for c in COLUMNS if c[0] != "file"]
    for row, i in _table(ws, columns, rows, lang):
        if "target" in row:
            cell = ws.cell(row=i, column=[c[0] for c in columns].index("location") + 1)
            cell.hyperlink = Hyperlink(ref=cell.coordinate, location=quote_ref(*row["target"]),
                                       display=row["location"])
            cell.font = Font(color="0563C1", underline="single")
    wb.active = 0
    for sheet in wb.worksheets:
        sheet.sheet_view.tabSelected = sheet is ws
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def annotatable(fr: FileResult) -> bool:
    """Whether ``fr`` can get an annotated copy: a readable xlsx input, judged by its bytes.

    The name is not enough: units send legacy .xls files renamed .xlsx, which
    targetlint reads but openpyxl cannot copy.
    """
    if fr.error is not None or fr.submission is None or not fr.path.lower().endswith(XLSX_SUFFIXES):
        return False
    try:
        with open(fr.path, "rb") as fh:
            return fh.read(4) == b"PK\x03\x04"
    except OSError:
        return False


def annotated_path(path: str, lang: str = "zh") -> str:
    """Where ``--annotate`` writes the copy of ``path``: beside it, ``开元镇.审核意见.xlsx``."""
    stem = os.path.splitext(path)[0]
    return f"{stem}.{SHEET if lang == 'zh' else 'review'}.xlsx"


def annotate_all(result: RunResult, lang: str = "zh") -> dict[str, bytes]:
    """``--annotate``: an annotated copy for every readable xlsx input, by output path.

    Inputs that are not xlsx (Word, text) get no copy; their findings are in the other reports.
    """
    out = {}
    for fr in result.files:
        if annotatable(fr):
            try:
                out[annotated_path(fr.path, lang)] = annotate(fr, lang)
            except Exception:  # noqa: BLE001 - one odd workbook must not lose the others' copies
                log.warning("cannot annotate %s", fr.path)
                log.debug("annotating %s failed", fr.path, exc_info=True)
    return out


def _summary_rows(result: RunResult, lang: str, rules: Mapping[str, Any]) -> list[dict]:
    rows = []
    for fr in result.files:
        sub, grade = fr.submission, grading.grade_file(fr, rules)
        counts = F.counts(fr.findings)
        rows.append({
            "file": fr.path, "unit": "、".join(sub.units) if sub else "",
            "projects": len(sub.projects) if sub else None, "indicators": len(sub.indicators) if sub else None,
            **({k: v for k, v in counts.items()} if sub else {}),
            "grade": grade.name(lang) if grade else "", "status": fr.error.message(lang) if fr.error else "",
        })
    return rows


def findings_workbook(result: RunResult, lang: str = "zh", settings: Mapping[str, Any] | None = None) -> bytes:
    """A workbook of the findings of every file (``审核意见``) and a sheet of files (``文件汇总``)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET
    found = result.findings
    rows = [_finding_row(r, lang, n) for n, r in enumerate(found.to_dict("records"), 1)]
    _table(ws, COLUMNS, rows, lang)
    _table(wb.create_sheet(SUMMARY_SHEET), SUMMARY_COLUMNS, _summary_rows(result, lang, grading.load_settings(settings)), lang)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def render(result: RunResult, lang: str = "zh", settings: Mapping[str, Any] | None = None) -> bytes:
    """``--format xlsx``: the annotated copy when the run checked one xlsx file, else a findings workbook.

    Args:
        result: the run.
        lang: ``zh`` (default) or ``en``.
        settings: the profile's ``settings`` (grades in the findings workbook).
    """
    if len(result.files) == 1 and annotatable(result.files[0]):
        try:
            return annotate(result.files[0], lang)
        except Exception:  # noqa: BLE001 - fall back to the findings, never lose the report
            log.warning("cannot annotate %s; writing a findings workbook", result.files[0].path, exc_info=True)
    return findings_workbook(result, lang, settings)
