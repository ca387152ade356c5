"""Scan a worksheet's XML in one streaming pass before calamine reads the workbook.

expat reads each worksheet part in 1 MB pieces, never building a tree, and
learns what calamine would allocate and what it cannot tell us:

* the used range of cells holding a value: calamine materialises that
  rectangle densely, so two cells at A1 and XFD1048576 would ask it for
  512 GB and abort the whole process; the range and the merged ranges are
  held against :attr:`~targetlint.limits.Limits.max_cells` as the scan goes;
* hidden rows and columns;
* formulas saved without a cached value, which calamine reads as empty.

A part expat finds malformed (raw control characters are common in
exports, and calamine reads such parts) is bounded instead by the furthest
cell address anywhere in it.  :func:`part_attrs` reads the small parts
(the workbook's sheet list, relationships) the same way; a DTD is refused
in every part (:class:`NotOoxml`).  :mod:`~targetlint.formats.ooxml`
re-exports what the readers use.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from xml.parsers import expat

from targetlint.errors import LoadError
from targetlint.limits import Limits

#: What zipfile raises on a damaged archive (NotImplementedError/ValueError come from damaged headers too).
BROKEN_ZIP = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, NotImplementedError, ValueError, EOFError, OSError, RuntimeError)


class NotOoxml(ValueError):
    """XML that no Office application writes (a DTD: how entity bombs start)."""


_CHUNK = 1 << 20
_REF = re.compile(r"\s*([A-Za-z]{1,3})0*([0-9]{1,9})\s*$")
_RANGE = re.compile(r"\s*([A-Za-z]{1,3})0*([0-9]{1,9})(?::([A-Za-z]{1,3})0*([0-9]{1,9}))?\s*$")
#: Excel's sheet size: hidden rows and columns beyond it are not recorded.
_MAX_ROWS, _MAX_COLS = 1_048_576, 16_384
#: Formulas without a value recorded per sheet, and their length kept (enough to report them).
_MAX_FORMULAS, _FORMULA_CHARS = 10_000, 200


@dataclass
class SheetScan:
    """What one worksheet's XML holds, learnt without materialising it.

    Attributes:
        height, width: the used range of cells with content, counted from A1.
        merged: cells covered by merged ranges, summed over the ranges.
        hidden_rows, hidden_cols: 0-based indices (rows only where they hold cells).
        formulas: ``(row, col)`` (0-based) → formula text, for formula cells saved without a cached value.
    """

    height: int = 0
    width: int = 0
    merged: int = 0
    hidden_rows: set[int] = field(default_factory=set)
    hidden_cols: set[int] = field(default_factory=set)
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)

    @property
    def area(self) -> int:
        return self.height * self.width


_COLS: dict[str, int] = {}


def _col(letters: str) -> int:
    """Column letters → 1-based index (A → 1)."""
    n = _COLS.get(letters)
    if n is None:
        n = 0
        for ch in letters.upper():
            n = n * 26 + ord(ch) - 64
        if len(_COLS) < 20_000:
            _COLS[letters] = n
    return n


def _local(name: str) -> str:
    return name[name.rfind(":") + 1:]


class _SheetParser:
    """expat callbacks over one worksheet part (see :class:`SheetScan`)."""

    def __init__(self, max_cols: int):
        self.scan = SheetScan()
        self.max_cols = max_cols
        self.row = self.col = 0
        self.cell: tuple[int, int] | None = None  # 1-based position of the current cell, until its content is seen
        self.formula: list | None = None  # [(row, col) 0-based, text parts, has a cached value] of the open formula
        self.capture: str | None = None  # "f" or "v" while their text is wanted
        self.parser = expat.ParserCreate()
        self.parser.StartElementHandler = self.start  # end tags matter only inside a formula cell
        self.parser.StartDoctypeDeclHandler = self.doctype
        self.parser.buffer_text = True

    def doctype(self, *args) -> None:
        raise NotOoxml("a DTD in a worksheet part")

    def start(self, name: str, attrs: dict[str, str]) -> None:
        # The hot path (one call per element of a sheet of a million cells): kept flat on purpose.
        local = name[name.rfind(":") + 1:] if ":" in name else name
        if local == "c":
            if self.formula is not None:
                self._close_formula()
            ref = attrs.get("r")
            letters = ref.rstrip("0123456789") if ref else ""
            if letters and letters.isalpha() and letters.isascii() and len(letters) <= 3 and len(ref) - len(letters) <= 9:
                self.col, self.row = _col(letters), int(ref[len(letters):])
            elif ref and (m := _REF.match(ref)):  # padded or lower-case addresses
                self.col, self.row = _col(m.group(1)), int(m.group(2))
            else:
                self.col += 1
            self.cell = (self.row, self.col)
        elif local == "v" or local == "is" or local == "f":
            if self.cell is not None:
                self._content(local)
        elif local == "row":
            r = attrs.get("r", "").strip()
            self.row = int(r) if r.isdigit() and len(r) <= 9 else self.row + 1
            self.col = 0
            if self.row <= _MAX_ROWS and attrs.get("hidden", "").strip() in ("1", "true"):
                self.scan.hidden_rows.add(self.row - 1)
        elif local == "col":
            self._col_range(attrs)
        elif local == "mergeCell":
            self._merge(attrs.get("ref", ""))

    def _content(self, local: str) -> None:
        """The current cell has content: it counts for the used range; follow a formula to its cached value."""
        r, c = self.cell
        scan = self.scan
        scan.height, scan.width = max(scan.height, r), max(scan.width, c)
        if local == "f":
            self.formula = [(r - 1, c - 1), [], False]
            self.parser.EndElementHandler = self.end
            self._capture("f")
        elif local == "v" and self.formula is not None:
            self._capture("v")
        else:
            self.cell = None  # a plain value: nothing more to learn from this cell

    def _capture(self, what: str | None) -> None:
        self.capture = what
        self.parser.CharacterDataHandler = self.text if what else None

    def text(self, data: str) -> None:
        if self.formula is None:
            return
        if self.capture == "f":
            if sum(map(len, self.formula[1])) < _FORMULA_CHARS:
                self.formula[1].append(data)
        elif self.capture == "v" and data.strip():
            self.formula[2] = True

    def end(self, name: str) -> None:
        if self.formula is None:
            return
        local = _local(name)
        if local in ("f", "v"):
            self._capture(None)
        elif local == "c":
            self._close_formula()

    def _close_formula(self) -> None:
        """A formula cell ends: record it when no cached value came with it."""
        if self.formula is not None:
            pos, parts, has_value = self.formula
            if not has_value and len(self.scan.formulas) < _MAX_FORMULAS:
                self.scan.formulas[pos] = "".join(parts).strip()[:_FORMULA_CHARS]
            self.formula = None
            self.cell = None
            self.parser.EndElementHandler = None
        if self.capture:
            self._capture(None)

    def _col_range(self, attrs: dict[str, str]) -> None:
        if attrs.get("hidden", "").strip() not in ("1", "true"):
            return
        try:
            lo, hi = int(attrs.get("min", "0")), int(attrs.get("max", "0"))
        except ValueError:
            return
        self.scan.hidden_cols.update(range(max(lo, 1) - 1, min(hi, self.max_cols)))

    def _merge(self, ref: str) -> None:
        m = _RANGE.match(ref)
        if not m:
            return
        c0, r0 = _col(m.group(1)), int(m.group(2))
        c1, r1 = (_col(m.group(3)), int(m.group(4))) if m.group(3) else (c0, r0)
        scan = self.scan
        scan.height, scan.width = max(scan.height, r0, r1), max(scan.width, c0, c1)
        scan.merged += (abs(r1 - r0) + 1) * (abs(c1 - c0) + 1)

    def feed(self, zf: zipfile.ZipFile, name: str, limits: Limits, path: str, sheet: str) -> SheetScan:
        with zf.open(name) as fh:
            while data := fh.read(_CHUNK):
                self.parser.Parse(data, False)
                _check_sheet(self.scan, limits, path, sheet)  # stop a huge sheet early
            self.parser.Parse(b"", True)
        self._close_formula()
        return self.scan


def _check_sheet(scan: SheetScan, limits: Limits, path: str, sheet: str) -> None:
    for what_zh, what_en, n in (("范围", "spans", scan.area), ("合并单元格覆盖", "merged ranges cover", scan.merged)):
        if n > limits.max_cells:
            raise LoadError(
                "too-large", path, f"工作表“{sheet}”{what_zh} {n:,} 个单元格，上限 {limits.max_cells:,}",
                f"sheet {sheet!r} {what_en} {n:,} cells, limit {limits.max_cells:,}",
            )


def scan_workbook(path: str, limits: Limits) -> dict[str, SheetScan]:
    """Scan every worksheet of the .xlsx at ``path``; sheet name → :class:`SheetScan`.

    Raises:
        LoadError: ``too-large`` (a sheet's used or merged range, or all
            sheets together, beyond ``limits.max_cells``), ``truncated``
            (damaged zip or XML).
    """
    out: dict[str, SheetScan] = {}
    try:
        with zipfile.ZipFile(path) as zf:
            parts = set(zf.namelist())
            for sheet, part in _sheet_parts(zf, parts):
                try:
                    out[sheet] = _SheetParser(_MAX_COLS).feed(zf, part, limits, path, sheet)
                except expat.ExpatError:
                    # Not well-formed (raw control characters are common in exports); calamine
                    # is more lenient, so bound the sheet by every address in it instead.
                    out[sheet] = _crude_scan(zf, part, limits, path, sheet)
    except LoadError:
        raise
    except (expat.ExpatError, NotOoxml) as exc:
        raise LoadError("truncated", path, f"XML 内容损坏：{exc}", f"broken XML: {exc}") from None
    except BROKEN_ZIP as exc:
        raise LoadError("truncated", path, f"zip 结构损坏：{exc}", f"broken zip: {exc}") from None
    total = sum(s.area for s in out.values())
    if total > limits.max_cells:
        raise LoadError(
            "too-large", path, f"各工作表共 {total:,} 个单元格，上限 {limits.max_cells:,}",
            f"the sheets span {total:,} cells, limit {limits.max_cells:,}",
        )
    return out


_ANY_REF = re.compile(rb"""\br\s*=\s*["']\s*([A-Za-z]{1,3})0*([0-9]{1,9})""")
_ANY_MERGE = re.compile(rb"""\bref\s*=\s*["']\s*[A-Za-z]{1,3}0*[0-9]{1,9}\s*:\s*([A-Za-z]{1,3})0*([0-9]{1,9})""")


def _crude_scan(zf: zipfile.ZipFile, part: str, limits: Limits, path: str, sheet: str) -> SheetScan:
    """An upper bound of a malformed sheet's used range: the furthest cell address anywhere in it."""
    scan = SheetScan()
    tail = b""
    with zf.open(part) as fh:
        while data := fh.read(_CHUNK):
            buf = tail + data
            cut = buf.rfind(b"<")  # the last tag may go on in the next piece
            if cut <= 0 and len(buf) < 16 * _CHUNK:
                tail = buf
                continue
            cut = cut if cut > 0 else len(buf)
            _bound(scan, buf[:cut])
            tail = buf[cut:]
            _check_sheet(scan, limits, path, sheet)
    _bound(scan, tail)
    _check_sheet(scan, limits, path, sheet)
    return scan


def _bound(scan: SheetScan, data: bytes) -> None:
    """Stretch ``scan``'s used range over every cell address and merged-range end in ``data``."""
    for regex in (_ANY_REF, _ANY_MERGE):
        refs = regex.findall(data)
        if refs:
            letters = max((m[0].upper() for m in refs), key=lambda x: (len(x), x))
            scan.width = max(scan.width, _col(letters.decode("ascii")))
            scan.height = max(scan.height, max(int(m[1]) for m in refs))


def _sheet_parts(zf: zipfile.ZipFile, parts: set[str]) -> list[tuple[str, str]]:
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
