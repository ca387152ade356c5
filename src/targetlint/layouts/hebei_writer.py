"""Write a Submission as a Hebei project-form workbook (layout L1).

The workbook looks like the form units fill in: an optional sheet
``部门整体绩效目标`` with the department-wide part (one heading or paragraph a
row), then a sheet ``项目绩效目标表`` with one block per project stacked down,
each block printed on its own A4 page.  Block shape (columns A–G)::

    title (merged A:G, bold)
    unit (A:D)                                      单位：万元 (G)
    项目编码 | code (B:C) | 项目名称 | name (E:G)
    预算规模及资金用途 | 预算数 | n | 其中：财政资金 | n | 其他资金 | n
      (label merged down) | purpose (B:G)
    资金支出计划（%） | 3月底 | 6月底 | 10月底 | 12月底
      (label merged down) | n | n | n | n
    绩效目标 | goal (B:G)
    一级指标 | 二级指标 | 三级指标 | 绩效指标描述 | 指标值 | 指标值确定依据 (F:G)
    indicator rows; 一级 and 二级 merged down over equal consecutive values
    (blank spacer row)

Amounts and percentages that are plain numbers become number cells; every
other text is a string cell, never a formula, whatever character it starts
with (the spec: text written into xlsx outputs cannot become a formula).
Texts are kept exactly (Word field-code residue included), so a linter run on
the workbook sees what a run on the source saw.  Used by ``examples/`` and by
``targetlint template``.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import os
import re
import tempfile
import unicodedata
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from targetlint.submission import PLAN_FIELDS, Submission

DEPARTMENT_SHEET = "部门整体绩效目标"
PROJECT_SHEET = "项目绩效目标表"

#: Column widths (Excel character units; a CJK character takes about two).
WIDTHS = (14, 14, 22, 30, 18, 16, 12)
NCOLS = len(WIDTHS)

INDICATOR_HEADER = ("一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据")
#: Extra indicator columns some provinces add, written after 指标值确定依据 when present.
EXTRA_HEADER = {"value_type": "指标性质", "measure_unit": "度量单位", "direction": "指标方向", "weight": "权重"}
INDICATOR_FIELDS = ("level1", "level2", "level3", "description", "value", "basis")
PLAN_HEADER = ("3月底", "6月底", "10月底", "12月底")

_FONT = "宋体"
_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="center")
_CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")
_NUMBER = re.compile(r"^-?\d+(?:\.(\d+))?$")
_LINE_HEIGHT = 13.5  # points per text line at 10 pt


def write(
    sub: Submission,
    path: str | os.PathLike,
    *,
    department_sheet: bool = True,
    timestamp: dt.datetime | None = None,
) -> Path:
    """Write ``sub`` as an L1 workbook at ``path`` (atomically).

    Args:
        sub: the submission to write.
        path: the .xlsx to create (replaced if it exists).
        department_sheet: write the department part, when there is one, on
            its own first sheet.
        timestamp: fix the workbook's created/modified dates and the zip
            entries' times, so the same submission gives the same bytes.

    Returns:
        The path written.
    """
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.creator = "targetlint"
    if department_sheet and len(sub.department):
        _department(wb.create_sheet(DEPARTMENT_SHEET), sub)
    ws = wb.create_sheet(PROJECT_SHEET)
    _setup(ws)
    extras = [f for f in EXTRA_HEADER if f in sub.indicators and sub.indicators[f].notna().any()]
    row = 1
    for i, (_, project) in enumerate(sub.projects.iterrows()):
        if i:
            ws.row_breaks.append(Break(id=row - 1))
        inds = sub.indicators[sub.indicators["project_key"] == project["project_key"]]
        row = _block(ws, row, project, inds, sub, extras) + 1
    if timestamp is not None:
        wb.properties.created = timestamp
    return _save(wb, Path(path), timestamp)


def _setup(ws: Worksheet, widths: tuple[int, ...] = WIDTHS) -> None:
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True


def _department(ws: Worksheet, sub: Submission) -> None:
    """One heading or paragraph a row, merged across the page."""
    _setup(ws)
    for r, (_, d) in enumerate(sub.department.iterrows(), start=1):
        heading = d.get("kind") == "heading"
        put(ws, r, 1, d["text"], bold=heading, align=_WRAP)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=NCOLS)
        _fit_height(ws, r, [(d["text"], sum(WIDTHS))])


def _block(ws: Worksheet, r: int, p: Any, inds: Any, sub: Submission, extras: list[str]) -> int:
    """Write one project's block from row ``r``; return the spacer row after it."""
    put(ws, r, 1, p["title"], bold=True, size=14, align=_CENTER)
    _merge(ws, r, 1, r, NCOLS)
    _fit_height(ws, r, [(p["title"], sum(WIDTHS) * 0.7)], minimum=24)
    unit = p["unit"] if p["unit"] else (sub.units[0] if sub.units else "")
    put(ws, r + 1, 1, unit, align=Alignment(vertical="center"))
    _merge(ws, r + 1, 1, r + 1, 4)
    money = p["money_unit"] if p["money_unit"] else "万元"
    put(ws, r + 1, NCOLS, f"单位：{money}", align=Alignment(horizontal="right", vertical="center"))
    top = r + 2
    _row(ws, top, ["项目编码", p["project_code"], None, "项目名称", p["project_name"]], spans={2: 3, 5: NCOLS})
    _row(ws, top + 1, ["预算规模及资金用途", "预算数", _num(p["budget_total"]), "其中：财政资金",
                       _num(p["budget_fiscal"]), "其他资金", _num(p["budget_other"])])
    _row(ws, top + 2, [None, p["purpose"]], spans={2: NCOLS})
    _merge(ws, top + 1, 1, top + 2, 1)
    _row(ws, top + 3, ["资金支出计划（%）", *PLAN_HEADER])
    _row(ws, top + 4, [None, *(_num(p[f]) for f in PLAN_FIELDS)])
    _merge(ws, top + 3, 1, top + 4, 1)
    _row(ws, top + 5, ["绩效目标", p["goal"]], spans={2: NCOLS})
    header = [*INDICATOR_HEADER, *(EXTRA_HEADER[f] for f in extras)]
    last = {len(header): NCOLS} if len(header) < NCOLS else {}
    _row(ws, top + 6, header, spans=last, bold=True, align=_CENTER)
    first = top + 7
    for k, (_, ind) in enumerate(inds.iterrows()):
        _row(ws, first + k, [ind[f] if f in ind else None for f in (*INDICATOR_FIELDS, *extras)], spans=last)
    end = first + len(inds) - 1
    for col in (1, 2):
        _merge_runs(ws, first, end, col)
    for rr in range(top, end + 1):
        _fit_height(ws, rr, _row_texts(ws, rr))
    return end + 1


def _row(ws: Worksheet, r: int, values: list, *, spans: dict[int, int] | None = None,
         bold: bool = False, align: Alignment = _WRAP) -> None:
    """A bordered table row A..G; ``spans`` maps a start column to the column it merges to."""
    for c in range(1, NCOLS + 1):
        v = values[c - 1] if c <= len(values) else None
        put(ws, r, c, v, bold=bold, align=align, border=True)
    for start, stop in (spans or {}).items():
        if stop > start:
            _merge(ws, r, start, r, stop)


def put(ws: Worksheet, r: int, c: int, value: Any, *, bold: bool = False, size: int = 10,
        align: Alignment = _WRAP, border: bool = False) -> None:
    """Set one cell: numbers as numbers, any text as a string cell (never a formula)."""
    cell = ws.cell(row=r, column=c)
    if isinstance(value, float) and value != value:  # a NaN from a pandas frame is a blank, not "nan"
        value = None
    if isinstance(value, tuple):  # (number, number_format) from _num
        cell.value, cell.number_format = value
    elif value is not None and value != "":
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", str(value))
        cell.data_type = "s"  # openpyxl would store "=…" as a formula
    cell.font = Font(name=_FONT, size=size, bold=bold)
    cell.alignment = align
    if border:
        cell.border = _BORDER


def _num(text: Any) -> Any:
    """A plain number as ``(number, format)`` keeping its decimals; anything else unchanged."""
    if text is None:
        return None
    m = _NUMBER.match(str(text).strip())
    if not m:
        return text
    decimals = len(m.group(1) or "")
    if not decimals:
        return int(str(text).strip()), "General"
    return float(Decimal(str(text).strip())), "0." + "0" * min(decimals, 6)


def _merge(ws: Worksheet, r1: int, c1: int, r2: int, c2: int) -> None:
    ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)


def _merge_runs(ws: Worksheet, first: int, last: int, col: int) -> None:
    """Merge a column down over runs of equal non-empty values (一级/二级 as units draw them)."""
    start = first
    for r in range(first + 1, last + 2):
        same = r <= last and ws.cell(r, col).value not in (None, "") and ws.cell(r, col).value == ws.cell(start, col).value
        if not same:
            if r - 1 > start:
                for rr in range(start + 1, r):
                    ws.cell(rr, col).value = None
                _merge(ws, start, col, r - 1, col)
            start = r


def _row_texts(ws: Worksheet, r: int) -> list[tuple[Any, float]]:
    """Each anchor cell's text in row ``r`` with the width it has (its merged span)."""
    spans = {(m.min_row, m.min_col): m for m in ws.merged_cells.ranges}
    out = []
    for c in range(1, NCOLS + 1):
        cell = ws.cell(r, c)
        if not isinstance(cell.value, str):
            continue
        m = spans.get((r, c))
        if m is not None and m.max_row > m.min_row:
            continue  # merged down: the label has room
        hi = m.max_col if m is not None else c
        out.append((cell.value, sum(WIDTHS[c - 1:hi])))
    return out


def _fit_height(ws: Worksheet, r: int, texts: list[tuple[Any, float]], minimum: float = 18) -> None:
    """Set a row height that shows all wrapped lines (Excel does not autofit merged cells)."""
    lines = 1
    for text, width in texts:
        if not text:
            continue
        n = sum(max(1, math.ceil(_display_width(line) / max(width - 1, 1))) for line in str(text).split("\n"))
        lines = max(lines, n)
    ws.row_dimensions[r].height = max(minimum, lines * _LINE_HEIGHT + 4)


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _save(wb: Workbook, path: Path, timestamp: dt.datetime | None) -> Path:
    """Save atomically; with ``timestamp``, byte-for-byte reproducibly."""
    buf = io.BytesIO()
    wb.save(buf)
    data = buf.getvalue()
    if timestamp is not None:
        data = _freeze(data, timestamp)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; a workbook is meant to be shared
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _freeze(data: bytes, timestamp: dt.datetime) -> bytes:
    """Rewrite the zip with fixed entry times and a fixed modified date."""
    stamp = timestamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(), body)
            entry = zipfile.ZipInfo(info.filename, date_time=timestamp.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            dst.writestr(entry, body)
    return out.getvalue()
