"""Cell styling and saving shared by the workbook writers (L1, L2, L3 and the template).

What every writer needs to draw a form the way units print it: 宋体 10 pt,
thin borders, wrapped text, merged ranges, row heights that show every
wrapped line (Excel does not autofit merged cells), A4 landscape page setup,
and an atomic, optionally byte-reproducible save.  A text is always written
as a string cell, never a formula, whatever character it starts with (the
spec: text written into xlsx outputs cannot become a formula).
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
from typing import Any, Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

FONT = "宋体"
THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="center")
CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")
_NUMBER = re.compile(r"^-?\d+(?:\.(\d+))?$")
LINE_HEIGHT = 13.5  # points per text line at 10 pt


def setup(ws: Worksheet, widths: Sequence[float]) -> None:
    """Column widths and an A4 landscape page, fitted to the page width."""
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True


def put(ws: Worksheet, r: int, c: int, value: Any, *, bold: bool = False, size: int = 10,
        align: Alignment = WRAP, border: bool = False) -> None:
    """Set one cell: numbers as numbers, any text as a string cell (never a formula)."""
    cell = ws.cell(row=r, column=c)
    if isinstance(value, float) and value != value:  # a NaN from a pandas frame is a blank, not "nan"
        value = None
    if isinstance(value, tuple):  # (number, number_format) from num()
        cell.value, cell.number_format = value
    elif value is not None and value != "":
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", str(value))
        cell.data_type = "s"  # openpyxl would store "=…" as a formula
    cell.font = Font(name=FONT, size=size, bold=bold)
    cell.alignment = align
    if border:
        cell.border = BORDER


def num(text: Any) -> Any:
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


def merge(ws: Worksheet, r1: int, c1: int, r2: int, c2: int) -> None:
    ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)


def merge_runs(ws: Worksheet, first: int, last: int, col: int, *, blank_only: bool = False) -> None:
    """Merge a column down over runs of equal non-empty values (一级/二级 as units draw them).

    Args:
        blank_only: blank the repeats instead of merging (a clerk who writes a
            group name once and leaves the cells below it empty).
    """
    start = first
    for r in range(first + 1, last + 2):
        value = ws.cell(start, col).value
        same = r <= last and ws.cell(r, col).value not in (None, "") and ws.cell(r, col).value == value
        if not same:
            if r - 1 > start:
                for rr in range(start + 1, r):
                    ws.cell(rr, col).value = None
                if not blank_only:
                    merge(ws, start, col, r - 1, col)
            start = r


def row_texts(ws: Worksheet, r: int, widths: Sequence[float]) -> list[tuple[Any, float]]:
    """Each anchor cell's text in row ``r`` with the width it has (its merged span)."""
    spans = {(m.min_row, m.min_col): m for m in ws.merged_cells.ranges}
    out = []
    for c in range(1, len(widths) + 1):
        cell = ws.cell(r, c)
        if not isinstance(cell.value, str):
            continue
        m = spans.get((r, c))
        if m is not None and m.max_row > m.min_row:
            continue  # merged down: the label has room
        hi = m.max_col if m is not None else c
        out.append((cell.value, sum(widths[c - 1:hi])))
    return out


def fit_height(ws: Worksheet, r: int, texts: list[tuple[Any, float]], minimum: float = 18) -> None:
    """Set a row height that shows all wrapped lines (Excel does not autofit merged cells)."""
    lines = 1
    for text, width in texts:
        if not text:
            continue
        n = sum(max(1, math.ceil(display_width(line) / max(width - 1, 1))) for line in str(text).split("\n"))
        lines = max(lines, n)
    ws.row_dimensions[r].height = max(minimum, lines * LINE_HEIGHT + 4)


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def save(wb: Workbook, path: Path, timestamp: dt.datetime | None) -> Path:
    """Save atomically; with ``timestamp``, byte-for-byte reproducibly."""
    if timestamp is not None:
        wb.properties.created = timestamp
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


def new_workbook() -> Workbook:
    """An empty workbook (no default sheet) created by targetlint."""
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.creator = "targetlint"
    return wb
