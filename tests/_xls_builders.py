"""Build legacy Excel (.xls) and other OLE2 files for the loader tests (needs xlwt).

:func:`xls_copy` writes an .xlsx workbook's sheets, values, merged ranges
and hidden sheets as an Excel 97-2003 workbook, so the same content can be
checked in both formats.  :func:`ole_file` writes an OLE2 container with one
named stream (an "encrypted OOXML" or "Word 97" look-alike), and
:func:`encrypted_xls` a legacy workbook carrying a FILEPASS record, the way
Excel marks a password-protected .xls.
"""

from __future__ import annotations

import datetime as dt
import struct
from pathlib import Path

import openpyxl
import xlwt
from xlwt.CompoundDoc import XlsDoc

#: BIFF record types.
_BOF, _FILEPASS = 0x0809, 0x002F


def xls_copy(xlsx: str | Path, out: str | Path) -> Path:
    """Write the content of workbook ``xlsx`` as a legacy .xls at ``out``."""
    source = openpyxl.load_workbook(xlsx)
    book = xlwt.Workbook(encoding="utf-8")
    for ws in source.worksheets:
        sheet = book.add_sheet(ws.title, cell_overwrite_ok=True)
        if ws.sheet_state != "visible":
            sheet.visibility = 1
        for rng in ws.merged_cells.ranges:
            sheet.merge(rng.min_row - 1, rng.max_row - 1, rng.min_col - 1, rng.max_col - 1)
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    sheet.write(cell.row - 1, cell.column - 1, cell.value)
    out = Path(out)
    book.save(str(out))
    return out


def rows_xls(out: str | Path, rows: list[list[object]], sheet: str = "Sheet1") -> Path:
    """A one-sheet .xls holding ``rows`` from A1 (dates formatted as dates, as Excel does)."""
    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet(sheet)
    date = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, (dt.date, dt.datetime)):
                ws.write(r, c, value, date)
            elif value is not None:
                ws.write(r, c, value)
    out = Path(out)
    book.save(str(out))
    return out


def ole_file(out: str | Path, stream: str, data: bytes = b"\0" * 5000) -> Path:
    """An OLE2 container whose one stream is called ``stream``.

    xlwt's container writer names its stream ``Workbook``; the name in the
    directory entry (UTF-16, at most 31 characters) is rewritten.
    """
    doc = XlsDoc()
    out = Path(out)
    doc.save(str(out), data.ljust(4096, b"\0"))
    raw = bytearray(out.read_bytes())
    old = "Workbook\0".encode("utf-16-le")
    at = raw.rindex(old)  # the directory comes after the stream's data
    name = (stream + "\0").encode("utf-16-le")
    raw[at:at + 64] = name.ljust(64, b"\0")
    struct.pack_into("<H", raw, at + 64, len(name))
    out.write_bytes(bytes(raw))
    return out


def encrypted_xls(out: str | Path) -> Path:
    """A legacy workbook with a FILEPASS (RC4) record after its first BOF."""
    book = xlwt.Workbook(encoding="utf-8")
    book.add_sheet("Sheet1").write(0, 0, "项目名称")
    stream = book.get_biff_data()
    kind, size = struct.unpack_from("<HH", stream, 0)
    assert kind == _BOF
    cut = 4 + size
    filepass = struct.pack("<HHH", _FILEPASS, 54, 1) + b"\x01\x00\x01\x00" + b"\x5a" * 48
    out = Path(out)
    XlsDoc().save(str(out), stream[:cut] + filepass + stream[cut:])
    return out
