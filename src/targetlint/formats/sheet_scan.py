"""Scan a worksheet's XML before calamine reads the workbook.

The scan learns what calamine would allocate and what it cannot tell us:

* the used range of cells holding a value: calamine materialises that
  rectangle densely, so two cells at A1 and XFD1048576 would ask it for
  512 GB and abort the whole process; the range and the merged ranges are
  held against :attr:`~targetlint.limits.Limits.max_cells` as the scan goes;
* hidden rows and columns;
* formulas saved without a cached value, which calamine reads as empty.

Most sheets have none of the three, and for them the quick pass of
:mod:`~targetlint.formats.sheet_quick` bounds the used range from the raw
bytes with a few C-speed searches.  Every other sheet goes through the full
pass: expat reads the part in 1 MB pieces, never building a tree
(:class:`_SheetParser`).  A part expat finds malformed (raw control
characters are common in exports, and calamine reads such parts) is bounded
instead by the furthest cell address anywhere in it (:func:`_crude_scan`).
A DTD is refused in every part (:class:`~targetlint.formats.ooxml.NotOoxml`).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from typing import Iterator
from xml.parsers import expat

from targetlint.errors import LoadError
from targetlint.formats import sheet_quick
from targetlint.formats.ooxml import BROKEN_ZIP, NotOoxml, check_directory, sheet_parts
from targetlint.limits import Limits

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
        bounded: height and width are an upper bound (every cell address,
            empty cells too), not the exact used range: the quick pass's.
    """

    height: int = 0
    width: int = 0
    merged: int = 0
    hidden_rows: set[int] = field(default_factory=set)
    hidden_cols: set[int] = field(default_factory=set)
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    bounded: bool = False

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
            _add_merge(self.scan, attrs.get("ref", ""))

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
    """Check the package at ``path`` and scan every worksheet; sheet name → :class:`SheetScan`.

    The package's directory is checked first, as
    :func:`~targetlint.formats.ooxml.check_package` checks it.

    Raises:
        LoadError: ``too-large`` (the package, a sheet's used or merged
            range, or all sheets together, beyond the limits), ``encrypted``
            (zip-level encryption), ``truncated`` (damaged zip or XML).
    """
    out: dict[str, SheetScan] = {}
    where: dict[str, str] = {}
    try:
        with zipfile.ZipFile(path) as zf:
            check_directory(zf.infolist(), path, limits)
            for sheet, part in sheet_parts(zf, set(zf.namelist())):
                scan = _quick_scan(zf, part, limits)
                out[sheet] = scan if scan is not None else _full_scan(zf, part, limits, path, sheet)
                where[sheet] = part
            if sum(s.area for s in out.values()) > limits.max_cells:
                # The quick pass's bounds count empty cells too: only exact ranges may refuse the workbook.
                for sheet, scan in out.items():
                    if scan.bounded:
                        out[sheet] = _full_scan(zf, where[sheet], limits, path, sheet)
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


def _full_scan(zf: zipfile.ZipFile, part: str, limits: Limits, path: str, sheet: str) -> SheetScan:
    try:
        return _SheetParser(_MAX_COLS).feed(zf, part, limits, path, sheet)
    except expat.ExpatError:
        # Not well-formed (raw control characters are common in exports); calamine
        # is more lenient, so bound the sheet by every address in it instead.
        return _crude_scan(zf, part, limits, path, sheet)


def _add_merge(scan: SheetScan, ref: str) -> None:
    """Count a merged range (``A1:C2``) into ``scan``: its cells, and its corners into the used range."""
    m = _RANGE.match(ref)
    if not m:
        return
    c0, r0 = _col(m.group(1)), int(m.group(2))
    c1, r1 = (_col(m.group(3)), int(m.group(4))) if m.group(3) else (c0, r0)
    scan.height, scan.width = max(scan.height, r0, r1), max(scan.width, c0, c1)
    scan.merged += (abs(r1 - r0) + 1) * (abs(c1 - c0) + 1)


def _pieces(zf: zipfile.ZipFile, part: str) -> Iterator[bytes]:
    """``part`` in pieces of about 1 MB, each cut before a ``<`` so that no tag or text is split.

    Only a run of 16 MB without any ``<`` is cut where it ends.
    """
    tail = b""
    with zf.open(part) as fh:
        data = fh.read(_CHUNK)
        while data:
            following = fh.read(_CHUNK)
            buf = tail + data
            if not following:  # the last piece, whole (most parts are one piece: no copy)
                tail = buf
                break
            cut = buf.rfind(b"<")  # the last tag may go on in the next piece
            if cut <= 0 and len(buf) < 16 * _CHUNK:
                tail, data = buf, following
                continue
            cut = cut if cut > 0 else len(buf)
            yield buf[:cut]
            tail, data = buf[cut:], following
    yield tail


def _quick_scan(zf: zipfile.ZipFile, part: str, limits: Limits) -> SheetScan | None:
    """:func:`~targetlint.formats.sheet_quick.bounds` of the part, or None when the full pass must decide."""
    found = sheet_quick.bounds(_pieces(zf, part), limits.max_cells)
    if found is None:
        return None
    return SheetScan(height=found[0], width=found[1], merged=found[2], bounded=True)


_ANY_REF = re.compile(rb"""\br\s*=\s*["']\s*([A-Za-z]{1,3})0*([0-9]{1,9})""")
_ANY_MERGE = re.compile(rb"""\bref\s*=\s*["']\s*[A-Za-z]{1,3}0*[0-9]{1,9}\s*:\s*([A-Za-z]{1,3})0*([0-9]{1,9})""")


def _crude_scan(zf: zipfile.ZipFile, part: str, limits: Limits, path: str, sheet: str) -> SheetScan:
    """An upper bound of a malformed sheet's used range: the furthest cell address anywhere in it."""
    scan = SheetScan()
    for piece in _pieces(zf, part):
        _bound(scan, piece)
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
