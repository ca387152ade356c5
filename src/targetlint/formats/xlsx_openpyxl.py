"""Read an .xlsx/.xlsm workbook into a Grid with openpyxl: the second value reader.

:mod:`targetlint.formats.xlsx` (python-calamine) is the reader every run
uses; this one exists so that the findings can be shown not to depend on the
reader (``TARGETLINT_READER=openpyxl``, see :func:`targetlint.runner.reader`),
and as a fallback should calamine misread a workbook.  It is several times
slower.  It builds the same :class:`~targetlint.formats.grid.Grid`: one
:class:`~targetlint.formats.grid.Table` per worksheet, cells as text through
:func:`~targetlint.formats.grid.cell_text`, merged ranges filled from their
anchor, rows cut to the used range (the cells holding a value, and the merged
ranges), as calamine does.  The package limits, hidden rows and columns and
formulas without a value come from the same pre-scan
(:mod:`targetlint.formats.sheet_scan`) the calamine reader uses.  A legacy
.xls (which openpyxl cannot open) is read by calamine.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from targetlint.errors import LoadError
from targetlint.formats import sheet_scan, xlsx
from targetlint.formats.grid import Grid, Table, cell_text
from targetlint.limits import Limits, current


def read(path: str | Path, limits: Limits | None = None) -> Grid:
    """Read every worksheet of ``path`` with openpyxl (a legacy .xls with calamine).

    Raises:
        LoadError: as :func:`targetlint.formats.xlsx.read`: ``encrypted``,
            ``truncated``, ``not-a-workbook``, ``too-large``.
    """
    path = str(path)
    limits = limits or current()
    if not _is_zip(path):
        return xlsx.read(path, limits)
    scans = sheet_scan.scan_workbook(path, limits)  # the package's directory first
    import openpyxl  # imported here: only this reader needs it to read

    try:
        # values as last computed (a formula without a cached value reads as empty, as with calamine)
        book = openpyxl.load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise LoadError("truncated", path, f"无法读取工作簿：{exc}", f"cannot read the workbook: {exc}") from exc
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on damaged parts
        raise LoadError("not-a-workbook", path, str(exc)) from exc
    try:
        tables = [_table(ws, scans.get(ws.title)) for ws in book.worksheets]
    finally:
        book.close()
    return Grid(path=path, format="xlsx", tables=tables)


def _is_zip(path: str) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(2) == b"PK"
    except OSError:
        return False


def _table(ws, scan: sheet_scan.SheetScan | None) -> Table:
    merged = [((r.min_row - 1, r.min_col - 1), (r.max_row - 1, r.max_col - 1)) for r in ws.merged_cells.ranges]
    cells = [[cell_text(v) for v in row] for row in ws.iter_rows(min_row=1, min_col=1, values_only=True)]
    # openpyxl's dimensions include styled empty cells; cut to the cells holding a value, as calamine does
    height = max((r + 1 for r, row in enumerate(cells) if any(row)), default=0)
    width = max((max(c for c, v in enumerate(row) if v) + 1 for row in cells if any(row)), default=0)
    rows = [row[:width] for row in cells[:height]]
    anchors = xlsx._fill_merged(rows, merged)
    scan = scan or sheet_scan.SheetScan()
    return Table(
        name=ws.title,
        rows=rows,
        anchors=anchors,
        hidden=ws.sheet_state != "visible",
        hidden_rows=scan.hidden_rows,
        hidden_cols=scan.hidden_cols,
        formulas=scan.formulas,
    )
