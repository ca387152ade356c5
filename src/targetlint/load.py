"""Load one file into a Submission: check it, sniff its real type, read, parse.

The type comes from the bytes, not the name: a workbook saved as ``.txt``
is still read as a workbook, random bytes named ``.xlsx`` are refused as
not a workbook.  Zip containers are told apart by their parts (an .xlsx or
.xlsm holds ``xl/workbook.xml``, a .docx ``word/document.xml``), OLE2
containers by the streams in their directory: a legacy .xls holds
``Workbook`` (``Book`` before Excel 97), a .doc ``WordDocument``, and an
encrypted OOXML file ``EncryptedPackage`` (reported as password-protected).
Every failure is a :class:`~targetlint.errors.LoadError` naming the file and
the reason; the input is only ever opened for reading.

Reading is bounded by :class:`~targetlint.limits.Limits` at every step:
the file's size before it is opened, a zip package's directory before
anything is inflated, a workbook's cells before they are materialised, and
the cells' count and length once read.  What the grid knows beyond the
cell texts travels on in the Submission: ``hidden_locs`` (the locations of
fields read from hidden sheets, rows or columns) and ``formula_cells``
(location → formula of fields whose formula was saved without a value).
"""

from __future__ import annotations

import struct
from pathlib import Path

from targetlint import layouts
from targetlint.errors import LoadError
from targetlint.formats import docx, ooxml, text, xlsx
from targetlint.formats.grid import Grid
from targetlint.limits import Limits, current
from targetlint.submission import Submission

_ZIP = b"PK\x03\x04"
_EMPTY_ZIP = b"PK\x05\x06"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_TEXT_SUFFIXES = {".txt", ".text", ""}
_SUPPORTED = ".xlsx/.xlsm/.xls/.docx/.txt"
_WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".et"}
_DOCUMENT_SUFFIXES = {".docx", ".docm", ".dotx"}
#: Magic bytes of documents that are no workbook → (zh, en) name.
_FOREIGN = {
    b"%PDF": ("PDF 文档", "PDF document"),
    b"{\\rtf": ("RTF 文档", "RTF document"),
}


def load_path(path: str, layout: str | None = None, limits: Limits | None = None) -> Submission:
    """Read ``path`` into a Submission.

    Args:
        path: the file to check.
        layout: a layout name to force (``hebei-form``); detected if None.
        limits: the limits to read under (default: :func:`targetlint.limits.current`).

    Raises:
        LoadError: for every reason the file cannot be checked.
    """
    path = str(path)
    limits = limits or current()
    head = _check_file(path, limits)
    kind = _sniff(path, head, limits)
    grid = _READERS[kind](path, limits)
    check_grid(grid, limits)
    module = layouts.get(layout, path) if layout else layouts.detect(grid)
    sub = module.parse(grid)
    sub.hidden_locs, sub.formula_cells = cell_notes(sub, grid)
    return sub


#: Sniffed kind → reader (calamine reads .xlsx/.xlsm and legacy .xls alike).
_READERS = {"xlsx": xlsx.read, "xls": xlsx.read, "docx": docx.read, "text": text.read}


def check_grid(grid: Grid, limits: Limits) -> None:
    """Refuse a grid with more cells, or a longer cell, than ``limits`` allow."""
    cells = 0
    for table in grid.tables:
        for r, row in enumerate(table.rows):
            cells += len(row)
            longest = max(map(len, row), default=0)
            if longest > limits.max_cell_chars:
                c = next(c for c, t in enumerate(row) if len(t) == longest)
                where = table.loc(r, c)
                raise LoadError(
                    "too-large", grid.path, f"{where} 有 {longest:,} 个字符，上限 {limits.max_cell_chars:,}",
                    f"{where} holds {longest:,} characters, limit {limits.max_cell_chars:,}",
                )
        if cells > limits.max_cells:
            raise LoadError(
                "too-large", grid.path, f"超过 {limits.max_cells:,} 个单元格", f"more than {limits.max_cells:,} cells"
            )


def cell_notes(sub: Submission, grid: Grid) -> tuple[set[str], dict[str, str]]:
    """Locations of the submission's fields that are hidden, and of those that are formulas without a value.

    Only the locations the layout read matter, so the grid's hidden cells and
    formula cells are matched against the frames' ``*_loc`` columns.
    """
    noted = [t for t in grid.tables if t.hidden or t.hidden_rows or t.hidden_cols or t.formulas]
    if not noted:
        return set(), {}
    hidden: set[str] = set()
    formulas: dict[str, str] = {}
    for table in noted:
        for (r, c), formula in table.formulas.items():
            formulas[table.loc(r, c)] = formula
    used = {
        loc
        for frame in (sub.projects, sub.indicators, sub.department)
        for col in frame.columns
        if col.endswith("_loc")
        for loc in frame[col].dropna().unique()
    }
    by_name = {t.name: t for t in noted if t.locs is None}
    for loc in used:
        name, _, ref = str(loc).rpartition("!")
        table = by_name.get(name)
        cell = _a1(ref) if table is not None else None
        if cell is not None and table.is_hidden(*cell):
            hidden.add(loc)
    return hidden, {loc: f for loc, f in formulas.items() if loc in used}


def _a1(ref: str) -> tuple[int, int] | None:
    """``E12`` → (11, 4), 0-based; None if ``ref`` is no A1 address."""
    letters = ref.rstrip("0123456789")
    digits = ref[len(letters):]
    if not (letters.isascii() and letters.isalpha() and digits.isdigit()):
        return None
    col = 0
    for ch in letters.upper():
        col = col * 26 + ord(ch) - 64
    return int(digits) - 1, col - 1


def _check_file(path: str, limits: Limits) -> bytes:
    """Existence, permission, size; returns the first bytes of the file."""
    p = Path(path)
    if not p.exists():
        raise LoadError("not-found", path)
    if p.is_dir():
        raise LoadError("unsupported-format", path, "这是一个文件夹", "this is a folder")
    if not p.is_file():  # a pipe or device would block or never end
        raise LoadError("unsupported-format", path, "不是普通文件", "not a regular file")
    try:
        size = p.stat().st_size
        with open(p, "rb") as fh:
            head = fh.read(4096)
    except PermissionError:
        raise LoadError("permission-denied", path) from None
    except OSError as exc:
        raise LoadError("not-found", path, str(exc)) from None
    if size == 0:
        raise LoadError("empty-file", path)
    if size > limits.max_file_bytes:
        mb, limit = f"{size / 2**20:,.0f}", f"{limits.max_file_bytes / 2**20:,.0f}"
        raise LoadError("too-large", path, f"{mb} MB，上限 {limit} MB", f"{mb} MB, limit {limit} MB")
    return head


def _sniff(path: str, head: bytes, limits: Limits) -> str:
    """``xlsx``, ``xls``, ``docx`` or ``text``; anything else raises the fitting LoadError."""
    suffix = Path(path).suffix.lower()
    if head.startswith((_ZIP, _EMPTY_ZIP)):
        return _sniff_zip(path, limits)
    if head.startswith(_OLE):
        return _sniff_ole(path, suffix, limits)
    for magic, (zh, en) in _FOREIGN.items():
        if head.startswith(magic):
            raise LoadError("unsupported-format", path, zh, en)
    if suffix in _WORKBOOK_SUFFIXES:
        if head.lstrip()[:1] == b"<":
            raise LoadError("unsupported-format", path, "网页格式的表格（HTML），请另存为 .xlsx", "an HTML table; save it as .xlsx")
        if _looks_like_text(head):
            raise LoadError("not-a-workbook", path, "文件内容是纯文本，不是 xlsx/xls", "the content is plain text, not xlsx/xls")
        raise LoadError("not-a-workbook", path, "文件内容不是 xlsx/xls 格式", "the content is neither xlsx nor xls")
    if suffix in _DOCUMENT_SUFFIXES:
        raise LoadError("not-a-workbook", path, "文件内容不是 docx 格式", "the content is not a .docx document")
    if suffix in _TEXT_SUFFIXES - {""} or (suffix == "" and _looks_like_text(head)):
        return "text"  # the text reader decodes any bytes; no form found → layout-unknown
    zh, en = suffix or "无扩展名", suffix or "no suffix"
    raise LoadError("unsupported-format", path, f"{zh}；支持 {_SUPPORTED}", f"{en}; supported: {_SUPPORTED}")


def _looks_like_text(head: bytes) -> bool:
    """No NUL bytes, unless the text is UTF-16/32 with a BOM."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    return b"\x00" not in head


def _sniff_zip(path: str, limits: Limits) -> str:
    """A zip is an xlsx if it holds a workbook part, a docx if a document part; zip bombs are refused first."""
    names = ooxml.check_package(path, limits)
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "xl/workbook.bin" in names:
        raise LoadError(
            "unsupported-format", path, ".xlsb 二进制工作簿，请另存为 .xlsx", "binary .xlsb workbook; save it as .xlsx"
        )
    if "word/document.xml" in names:
        return "docx"
    raise LoadError("not-a-workbook", path, "压缩包中没有工作簿", "a zip archive without a workbook")


def _sniff_ole(path: str, suffix: str, limits: Limits) -> str:
    """An OLE2 container: a legacy .xls is read; encrypted OOXML and .doc are refused."""
    with open(path, "rb") as fh:
        data = fh.read(limits.max_file_bytes)
    names = ole_streams(data)
    if not names:
        # A directory that cannot be walked (damaged): fall back on the names' bytes.
        names = {n for n in _OLE_NAMES if n.encode("utf-16-le") in data}
    if names & {"EncryptedPackage", "EncryptionInfo"}:
        raise LoadError("encrypted", path)
    if names & {"Workbook", "Book"} or (not names and suffix in {".xls", ".et"}):
        return "xls"  # calamine reports a damaged or password-protected one
    if "WordDocument" in names or suffix in {".doc", ".wps"}:
        raise LoadError(
            "unsupported-format", path, "Word 97-2003 文档（.doc），请另存为 .docx", "a Word 97-2003 document (.doc); save it as .docx"
        )
    raise LoadError(
        "unsupported-format", path, "OLE 复合文档，但不是 Excel 或 Word 文件", "an OLE compound file that is no Excel or Word file"
    )


#: Stream names that tell OLE2 containers apart.
_OLE_NAMES = ("EncryptedPackage", "EncryptionInfo", "Workbook", "Book", "WordDocument")
_END = 0xFFFFFFFA  # sector ids from here up are markers (end of chain, free, FAT …)


def ole_streams(data: bytes) -> set[str]:
    """Names of the storages and streams in an OLE2 (CFB) container's directory.

    Follows the directory's sector chain through the FAT (spec [MS-CFB]);
    returns an empty set when the header or the chain is damaged.
    """
    if len(data) < 512 or not data.startswith(_OLE):
        return set()
    shift, n_fat, first_dir = struct.unpack_from("<H12xII", data, 30)
    if shift not in (9, 12):
        return set()
    size = 1 << shift
    per = size // 4

    def sector(sid: int) -> tuple[int, ...]:
        off = (sid + 1) * size
        return struct.unpack_from(f"<{per}I", data, off) if off + size <= len(data) else ()

    difat = list(struct.unpack_from("<109I", data, 76))
    nxt, n_difat = struct.unpack_from("<II", data, 68)
    for _ in range(min(n_difat, len(data) // size)):
        ids = sector(nxt) if nxt < _END else ()
        if not ids:
            break
        difat += ids[:-1]
        nxt = ids[-1]
    fat = [i for sid in difat[:n_fat] if sid < _END for i in sector(sid)]
    names: set[str] = set()
    sid, seen = first_dir, set()
    while sid < _END and sid not in seen and sector(sid):
        seen.add(sid)
        off = (sid + 1) * size
        for e in range(off, off + size, 128):
            length, kind = struct.unpack_from("<HB", data, e + 64)
            if kind in (1, 2, 5) and 2 <= length <= 64:
                names.add(data[e:e + length - 2].decode("utf-16-le", errors="replace"))
        sid = fat[sid] if sid < len(fat) else _END
    return names
