"""Load one file into a Submission: check it, sniff its real type, read, parse.

The type comes from the bytes, not the name: a workbook saved as ``.txt``
is still read as a workbook, random bytes named ``.xlsx`` are refused as
not a workbook, and an encrypted workbook (an OLE container holding an
``EncryptedPackage``) is reported as password-protected.  Every failure is a
:class:`~targetlint.errors.LoadError` naming the file and the reason; the
input is only ever opened for reading.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

from targetlint import layouts
from targetlint.errors import LoadError
from targetlint.formats import text, xlsx
from targetlint.submission import Submission

#: Files larger than this are refused before reading (a real submission is
#: well under 10 MB).
MAX_BYTES = 200 * 1024 * 1024
#: Limits on what a zip container may expand to (zip-bomb guard).
MAX_UNZIPPED = 1024 * 1024 * 1024
MAX_RATIO = 200
MAX_MEMBERS = 20_000

_ZIP = b"PK\x03\x04"
_EMPTY_ZIP = b"PK\x05\x06"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_TEXT_SUFFIXES = {".txt", ".text", ""}
_WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".et"}
#: Magic bytes of documents that are no workbook → (zh, en) name.
_FOREIGN = {
    b"%PDF": ("PDF 文档", "PDF document"),
    b"{\\rtf": ("RTF 文档", "RTF document"),
}


def load_path(path: str, layout: str | None = None) -> Submission:
    """Read ``path`` into a Submission.

    Args:
        path: the file to check.
        layout: a layout name to force (``hebei-form``); detected if None.

    Raises:
        LoadError: for every reason the file cannot be checked.
    """
    path = str(path)
    head = _check_file(path)
    kind = _sniff(path, head)
    grid = xlsx.read(path) if kind == "xlsx" else text.read(path)
    module = layouts.get(layout, path) if layout else layouts.detect(grid)
    return module.parse(grid)


def _check_file(path: str) -> bytes:
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
    if size > MAX_BYTES:
        mb, limit = size // 2**20, MAX_BYTES // 2**20
        raise LoadError("too-large", path, f"{mb} MB，上限 {limit} MB", f"{mb} MB, limit {limit} MB")
    return head


def _sniff(path: str, head: bytes) -> str:
    """``xlsx`` or ``text``; anything else raises the fitting LoadError."""
    suffix = Path(path).suffix.lower()
    if head.startswith((_ZIP, _EMPTY_ZIP)):
        return _sniff_zip(path)
    if head.startswith(_OLE):
        raise _ole_error(path, suffix)
    for magic, (zh, en) in _FOREIGN.items():
        if head.startswith(magic):
            raise LoadError("unsupported-format", path, zh, en)
    if suffix in _WORKBOOK_SUFFIXES:
        if head.lstrip()[:1] == b"<":
            raise LoadError("unsupported-format", path, "网页格式的表格（HTML），请另存为 .xlsx", "an HTML table; save it as .xlsx")
        raise LoadError("not-a-workbook", path, "文件内容不是 xlsx/xls 格式", "the content is neither xlsx nor xls")
    if suffix in _TEXT_SUFFIXES - {""} or (suffix == "" and _looks_like_text(head)):
        return "text"  # the text reader decodes any bytes; no form found → layout-unknown
    zh, en = suffix or "无扩展名", suffix or "no suffix"
    raise LoadError("unsupported-format", path, f"{zh}；支持 .xlsx/.xlsm 与 .txt", f"{en}; supported: .xlsx/.xlsm and .txt")


def _looks_like_text(head: bytes) -> bool:
    """No NUL bytes, unless the text is UTF-16/32 with a BOM."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    return b"\x00" not in head


def _sniff_zip(path: str) -> str:
    """A zip is an xlsx only if it holds a workbook part; guard against zip bombs."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, NotImplementedError, ValueError, EOFError, OSError) as exc:
        # zipfile raises NotImplementedError/ValueError on damaged headers too.
        raise LoadError("truncated", path, f"zip 结构损坏：{exc}", f"broken zip: {exc}") from None
    _check_bomb(path, infos)
    names = {i.filename for i in infos}
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "xl/workbook.bin" in names:
        raise LoadError(
            "unsupported-format", path, ".xlsb 二进制工作簿，请另存为 .xlsx", "binary .xlsb workbook; save it as .xlsx"
        )
    if "word/document.xml" in names:
        raise LoadError(
            "unsupported-format", path, "Word 文档（.docx）暂不支持", "Word documents (.docx) are not supported yet"
        )
    raise LoadError("not-a-workbook", path, "压缩包中没有工作簿", "a zip archive without a workbook")


def _check_bomb(path: str, infos: list[zipfile.ZipInfo]) -> None:
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if len(infos) > MAX_MEMBERS or total > MAX_UNZIPPED or (total > 50 * 2**20 and total / packed > MAX_RATIO):
        raise LoadError(
            "too-large",
            path,
            f"解压后 {total // 2**20} MB、{len(infos)} 个部件",
            f"{total // 2**20} MB and {len(infos)} parts when unpacked",
        )


def _ole_error(path: str, suffix: str) -> LoadError:
    """An OLE2 container: an encrypted OOXML workbook, a legacy .xls or .doc."""
    with open(path, "rb") as fh:
        data = fh.read(min(os.path.getsize(path), 64 * 2**20))
    if "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data:
        return LoadError("encrypted", path)
    if "WordDocument".encode("utf-16-le") in data or suffix in {".doc", ".wps"}:
        return LoadError("unsupported-format", path, "Word 97-2003 文档（.doc）", "a Word 97-2003 document (.doc)")
    return LoadError(
        "unsupported-format",
        path,
        "Excel 97-2003 工作簿（.xls）暂不支持，请另存为 .xlsx",
        "Excel 97-2003 (.xls) is not supported yet; save it as .xlsx",
    )
