"""Guard an Office Open XML package (.xlsx, .docx) before any reader inflates it.

:func:`check_package` reads only the zip directory: the number of parts,
the total size they declare when unpacked, and the compression ratio.
Python's ``zipfile`` and calamine's Rust ``zip`` both stop a part that
inflates past its declared size, so a zip bomb is refused here without
inflating a byte of it, and one that lies about its size fails as corrupt.
:func:`part_attrs` reads the attributes of small XML parts (relationships,
the workbook's sheet list) with expat, refusing a DTD: no OOXML part has
one, and it is how entity bombs start; :func:`sheet_parts` finds a
workbook's worksheet parts through them.  The worksheets themselves are
scanned by :mod:`~targetlint.formats.sheet_scan`.
"""

from __future__ import annotations

import posixpath
import zipfile
import zlib
from xml.parsers import expat

from targetlint.errors import LoadError
from targetlint.limits import RATIO_FLOOR, Limits

#: What zipfile raises on a damaged archive (NotImplementedError/ValueError come from damaged headers too).
BROKEN_ZIP = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, NotImplementedError, ValueError, EOFError, OSError, RuntimeError)


class NotOoxml(ValueError):
    """XML that no Office application writes (a DTD: how entity bombs start)."""


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
    check_directory(infos, path, limits)
    return {i.filename for i in infos}


def check_directory(infos: list[zipfile.ZipInfo], path: str, limits: Limits) -> None:
    """:func:`check_package` on a directory already read (a reader that opens the zip anyway saves a reading).

    Raises:
        LoadError: ``encrypted``, ``too-large``, as :func:`check_package`.
    """
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


def sheet_parts(zf: zipfile.ZipFile, parts: set[str]) -> list[tuple[str, str]]:
    """(sheet name, part name) of every worksheet, through ``xl/workbook.xml`` and its relationships.

    Worksheet parts the workbook does not name are listed under their part
    name, so the limits hold for them too.
    """
    names = part_attrs(zf, "xl/workbook.xml", "sheet") if "xl/workbook.xml" in parts else []
    rels = part_attrs(zf, "xl/_rels/workbook.xml.rels", "Relationship") if "xl/_rels/workbook.xml.rels" in parts else []
    targets = {r.get("Id"): r.get("Target", "").replace("\\", "/") for r in rels}
    by_lower = {p.lower(): p for p in parts}  # readers differ in how strictly they match part names
    found: list[tuple[str, str]] = []
    for sheet in names:
        # r:id, in the transitional or the strict relationships namespace ("<uri> id" from expat)
        rid = next((v for k, v in sheet.items() if " " in k and k.rsplit(" ", 1)[1] == "id"), None)
        target = targets.get(rid, "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        part = by_lower.get(part.lower(), part)
        if part in parts and sheet.get("name") is not None:
            found.append((sheet["name"], part))
    named = {p for _, p in found}
    found += [
        (p, p) for p in sorted(parts)
        if p.lower().startswith("xl/worksheets/") and p.lower().endswith(".xml") and p not in named
    ]
    return found


def part_attrs(zf: zipfile.ZipFile, part: str, tag: str) -> list[dict[str, str]]:
    """The attributes of every ``tag`` element of a small XML part (namespaces as ``uri local``)."""
    out: list[dict[str, str]] = []
    parser = expat.ParserCreate(namespace_separator=" ")

    def start(name: str, attrs: dict[str, str]) -> None:
        if name.rsplit(" ", 1)[-1] == tag:
            out.append(attrs)

    def doctype(*args) -> None:
        raise NotOoxml(f"a DTD in {part}")

    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = doctype
    with zf.open(part) as fh:
        parser.ParseFile(fh)
    return out
