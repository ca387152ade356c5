"""Build hostile and broken inputs for the loader tests (issue 7).

Each builder writes one file the way it arrives from a unit by e-mail or USB
stick: a zip bomb shaped like an .xlsx (written streaming, so building it
never holds the gigabyte it unpacks to), a package that lies about its
size, a sheet whose two cells sit at A1 and XFD1048576, an entity bomb, a
200,000-row junk sheet, an encrypted workbook, a cut-short file, text and
an .xls under an .xlsx name, and workbooks with hidden parts, formulas
without a cached value and text that would run as script or formula.
"""

from __future__ import annotations

import os
import random
import re
import struct
import zipfile
from pathlib import Path
from typing import Iterable, Iterator

import openpyxl

from _hebei_builders import BlockSpec, write_block

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    "{sheets}</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_SHEET_HEAD = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{MAIN_NS}"><sheetData>'.encode()
_SHEET_TAIL = b"</sheetData></worksheet>"


def raw_xlsx(path: Path, sheets: list[tuple[str, Iterable[bytes]]], level: int = 6, zip64: bool = True) -> Path:
    """A minimal .xlsx whose sheets' XML comes from the given byte chunks, streamed into the zip."""
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    entries = "".join(f'<sheet name="{name}" sheetId="{i}" r:id="rId{i}"/>' for i, (name, _) in enumerate(sheets, 1))
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        f'Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES.format(sheets=overrides))
        zf.writestr("_rels/.rels", _ROOT_RELS)
        zf.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="{MAIN_NS}" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f"<sheets>{entries}</sheets></workbook>",
        )
        zf.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>',
        )
        for i, (_, chunks) in enumerate(sheets, 1):
            with zf.open(f"xl/worksheets/sheet{i}.xml", "w", force_zip64=zip64) as fh:
                for chunk in chunks:
                    fh.write(chunk)
    return path


def _cell(ref: str, text: str) -> bytes:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'.encode()


def zip_bomb(path: Path, unpacked: int = 1100 * 2**20, zip64: bool = True) -> Path:
    """An .xlsx-shaped zip of a few MB whose one sheet inflates to ``unpacked`` bytes of repeated rows."""
    row = b"<row>" + _cell("A1", "0" * 40).replace(b' r="A1"', b"") + b"</row>"
    block = row * (2**20 // len(row))

    def chunks() -> Iterator[bytes]:
        yield _SHEET_HEAD
        for _ in range(unpacked // len(block) + 1):
            yield block
        yield _SHEET_TAIL

    return raw_xlsx(path, [("Sheet1", chunks())], zip64=zip64)


def lying_bomb(path: Path, unpacked: int = 64 * 2**20, declared: int = 4096) -> Path:
    """A package whose sheet part declares ``declared`` bytes but inflates to ``unpacked``."""
    zip_bomb(path, unpacked, zip64=False)
    name = b"xl/worksheets/sheet1.xml"
    data = bytearray(path.read_bytes())
    # Local file header: name length at +26, name at +30, uncompressed size at +22;
    # central directory entry: name length at +28, name at +46, uncompressed size at +24.
    for sig, name_len_at, name_at, size_at in ((b"PK\x03\x04", 26, 30, 22), (b"PK\x01\x02", 28, 46, 24)):
        at = data.find(sig)
        while at != -1:
            n = struct.unpack_from("<H", data, at + name_len_at)[0]
            if data[at + name_at:at + name_at + n] == name:
                struct.pack_into("<I", data, at + size_at, declared)
                break
            at = data.find(sig, at + 4)
    path.write_bytes(bytes(data))
    return path


def far_cells(path: Path) -> Path:
    """Two cells, at A1 and XFD1048576: a dense reader would allocate 17 billion cells."""
    rows = b'<row r="1">' + _cell("A1", "项目名称") + b'</row><row r="1048576">' + _cell("XFD1048576", "x") + b"</row>"
    return raw_xlsx(path, [("Sheet1", [_SHEET_HEAD, rows, _SHEET_TAIL])])


def merge_bomb(path: Path, merges: int = 20_000) -> Path:
    """A small sheet with thousands of overlapping merged ranges over A1:Z1000."""
    merged = b"".join(b'<mergeCell ref="A1:Z1000"/>' for _ in range(merges))
    body = [_SHEET_HEAD, b'<row r="1">' + _cell("A1", "x") + b"</row>", b"</sheetData>",
            b'<mergeCells count="%d">' % merges, merged, b"</mergeCells></worksheet>"]
    return raw_xlsx(path, [("Sheet1", body)])


def entity_bomb(path: Path) -> Path:
    """A "billion laughs" DTD in the sheet XML."""
    levels = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{("&lol%d;" % (i - 1)) * 10}">' for i in range(1, 10)]
    dtd = f'<?xml version="1.0"?><!DOCTYPE worksheet [{"".join(levels)}]>'.encode()
    body = f'<worksheet xmlns="{MAIN_NS}"><sheetData><row r="1">'.encode() + _cell("A1", "&lol9;") + b"</row>"
    return raw_xlsx(path, [("Sheet1", [dtd, body, _SHEET_TAIL])])


def junk_sheet(path: Path, rows: int = 200_000, cols: int = 6, seed: int = 7) -> Path:
    """A sheet of ``rows`` × ``cols`` random short texts and numbers: big, harmless, no form."""
    rnd = random.Random(seed)
    words = ["甲", "乙", "合计", "备注", "库存", "abc", "xyz", "编号", "数量", "单价"]
    letters = [chr(65 + c) for c in range(cols)]

    def chunks() -> Iterator[bytes]:
        yield _SHEET_HEAD
        batch: list[bytes] = []
        for r in range(1, rows + 1):
            cells = b"".join(
                _cell(f"{col}{r}", f"{rnd.choice(words)}{rnd.randrange(1000)}") if c % 2 == 0
                else f'<c r="{col}{r}"><v>{rnd.randrange(10**6) / 100}</v></c>'.encode()
                for c, col in enumerate(letters)
            )
            batch.append(b'<row r="%d">' % r + cells + b"</row>")
            if len(batch) == 5000:
                yield b"".join(batch)
                batch = []
        yield b"".join(batch) + _SHEET_TAIL

    return raw_xlsx(path, [("数据", chunks())], level=1)


def encrypted_xlsx(source: Path, out: Path, password: str = "123456") -> Path:
    """``source`` encrypted with a password as Excel does (needs msoffcrypto-tool)."""
    import msoffcrypto

    with open(source, "rb") as fh, open(out, "wb") as dst:
        msoffcrypto.OfficeFile(fh).encrypt(password, dst)
    return out


def truncated(source: Path, out: Path, keep: float = 0.5) -> Path:
    data = source.read_bytes()
    out.write_bytes(data[: int(len(data) * keep)])
    return out


def random_bytes(out: Path, size: int = 50_000, seed: int = 3) -> Path:
    out.write_bytes(random.Random(seed).randbytes(size))
    return out


def form_workbook(path: Path, *specs: BlockSpec, edit=None) -> Path:
    """A Hebei-form workbook, blocks stacked on one sheet ``项目表``; ``edit(ws)`` changes it before saving."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "项目表"
    row = 1
    for spec in specs or (BlockSpec(),):
        row = write_block(ws, row, spec) + 1
    if edit is not None:
        edit(ws)
    wb.save(path)
    return path


def set_cached_value(path: Path, ref: str, value: str) -> Path:
    """Give formula cell ``ref`` of the first sheet the cached value ``value``, as Excel would have saved it."""
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                pattern = rf'(<c r="{ref}"[^>]*>\s*<f>[^<]*</f>)\s*(?:<v\s*/>|<v>\s*</v>)?'.encode()
                data, n = re.subn(pattern, rb"\1<v>" + value.encode() + b"</v>", data)
                assert n == 1, f"no formula cell {ref}"
            zout.writestr(info, data)
    os.replace(tmp, path)
    return path


def as_text_cells(path: Path) -> Path:
    """Store every formula of the workbook as the text it was typed as (``'=…`` in Excel): no formula left."""
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    wb.save(path)
    return path
