"""Guard an Office Open XML package (.xlsx, .docx) before any reader inflates it.

:func:`check_package` reads only the zip directory: the number of parts,
the total size they declare when unpacked, and the compression ratio.
Python's ``zipfile`` and calamine's Rust ``zip`` both stop a part that
inflates past its declared size, so a zip bomb is refused here without
inflating a byte of it, and one that lies about its size fails as corrupt.
:func:`part_attrs` reads the attributes of small XML parts (relationships,
the workbook's sheet list) with expat, refusing a DTD: no OOXML part has
one, and it is how entity bombs start.  The worksheets themselves are
scanned by :mod:`~targetlint.formats.sheet_scan` (its :func:`scan_workbook`
and :class:`SheetScan` are re-exported here).
"""

from __future__ import annotations

import zipfile

from targetlint.errors import LoadError
from targetlint.formats.sheet_scan import BROKEN_ZIP, NotOoxml, SheetScan, part_attrs, scan_workbook
from targetlint.limits import RATIO_FLOOR, Limits

__all__ = ["BROKEN_ZIP", "NotOoxml", "SheetScan", "check_package", "mb", "part_attrs", "scan_workbook"]


def mb(n: float) -> str:
    """A byte count for messages: ``0.2 MB``, ``1,100 MB``."""
    size = n / 2**20
    return f"{size:,.0f} MB" if size >= 10 else f"{size:.1f} MB"


def check_package(path: str, limits: Limits) -> set[str]:
    """The part names of the zip package at ``path``, once its directory passes the limits.

    Raises:
        LoadError: ``truncated`` (no readable zip directory), ``encrypted``
            (zip-level encryption), ``too-large`` (parts, unpacked size, ratio).
    """
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except BROKEN_ZIP as exc:
        # zipfile raises NotImplementedError/ValueError on damaged headers too.
        raise LoadError("truncated", path, f"zip 结构损坏：{exc}", f"broken zip: {exc}") from None
    if len(infos) > limits.max_parts:
        raise LoadError("too-large", path, f"{len(infos)} 个部件，上限 {limits.max_parts}", f"{len(infos)} parts, limit {limits.max_parts}")
    total = sum(i.file_size for i in infos)
    packed = max(1, sum(i.compress_size for i in infos))
    if total > limits.max_unzipped_bytes:
        raise LoadError(
            "too-large", path, f"解压后 {mb(total)}，上限 {mb(limits.max_unzipped_bytes)}",
            f"unpacks to {mb(total)}, limit {mb(limits.max_unzipped_bytes)}",
        )
    if total > RATIO_FLOOR and total / packed > limits.max_ratio:
        ratio = f"{total / packed:,.0f}:1"
        raise LoadError(
            "too-large", path, f"压缩比 {ratio}，上限 {limits.max_ratio:g}:1（疑似压缩炸弹）",
            f"compression ratio {ratio}, limit {limits.max_ratio:g}:1 (a zip bomb?)",
        )
    if any(i.flag_bits & 0x1 for i in infos):
        raise LoadError("encrypted", path)
    return {i.filename for i in infos}
