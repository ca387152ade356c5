"""Read text extracted from Word (layout L4) into a one-table Grid.

Word's "save as text" writes every table cell on its own line prefixed with a
TAB, a blank line between table rows, and paragraphs as plain lines.  A cell
holding several lines continues on plain (untabbed) lines directly after its
first line.  So, line by line:

* a TAB line starts a new cell; it opens a new table row unless the line
  before it belonged to the same row (no blank line in between);
* a plain line directly after a cell line continues that cell (joined with
  ``"\\n"``);
* any other plain line is a free paragraph (a one-cell row listed in
  :attr:`Table.paragraph`);
* a blank line ends the current table row.

Every cell's location is ``line N``: the 1-based line of its first line.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from targetlint.errors import LoadError
from targetlint.formats.grid import Grid, Table
from targetlint.limits import Limits, current

#: Byte-order marks, longest first so UTF-32 is not mistaken for UTF-16.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode(data: bytes) -> tuple[str, str]:
    """Bytes → (text, encoding name); never raises.

    A BOM wins (Word's "Unicode text" is UTF-16 with a BOM); otherwise UTF-8,
    else GB18030 (a superset of GBK/GB2312, what Chinese Windows writes).
    UTF-8 with a few damaged bytes stays UTF-8: GBK text read as UTF-8 fails
    on nearly every character, damaged UTF-8 only here and there.
    Undecodable bytes become U+FFFD rather than failing the file.
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(name, errors="replace"), name
    if utf16 := _bomless_utf16(data[:4096]):
        return data.decode(utf16, errors="replace"), utf16
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode("utf-8"))
    if bad == 0:
        return text, "utf-8"
    good = sum(1 for ch in text if ord(ch) > 127 and ch != "\ufffd")
    if bad * 10 <= good:
        return text, "utf-8"
    return data.decode("gb18030", errors="replace"), "gb18030"


def _bomless_utf16(head: bytes) -> str | None:
    """UTF-16 without a BOM, told by its NUL bytes.

    UTF-8 and GB18030 text never holds NUL; UTF-16 has one in every ASCII
    character (TABs, newlines, digits), at odd offsets in little-endian and
    even offsets in big-endian.  Binary junk has NULs at both.
    """
    odd, even = head[1::2].count(0), head[0::2].count(0)
    if odd + even < 2:
        return None
    if even <= odd // 10:
        return "utf-16-le"
    if odd <= even // 10:
        return "utf-16-be"
    return None


def split_lines(text: str) -> list[str]:
    """Lines without their terminators (``\\r\\n``, ``\\r`` or ``\\n``)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def to_table(lines: list[str], name: str = "text") -> Table:
    """Group text lines into table rows and paragraph rows (see module doc)."""
    rows: list[list[str]] = []
    locs: list[list[str]] = []
    paragraph: set[int] = set()
    in_row = False  # the previous line was part of a table row
    for number, line in enumerate(lines, start=1):
        if line.startswith("\t"):
            if not in_row:
                rows.append([])
                locs.append([])
            rows[-1].append(line[1:])
            locs[-1].append(f"line {number}")
            in_row = True
        elif not line.strip():
            in_row = False
        elif in_row:
            rows[-1][-1] += "\n" + line
        else:
            paragraph.add(len(rows))
            rows.append([line])
            locs.append([f"line {number}"])
    return Table(name=name, rows=rows, locs=locs, paragraph=paragraph)


def read(path: str | Path, limits: Limits | None = None) -> Grid:
    """Read a text file into a Grid holding one Table.

    Args:
        path: the text file; it is only opened for reading.
        limits: the limits to read under (default: :func:`targetlint.limits.current`);
            every line may become a cell, so the lines are counted before
            the text is split.

    Returns:
        A Grid of format ``text`` whose table is named after the file.

    Raises:
        LoadError: ``too-large`` with more lines than ``limits.max_cells``.
    """
    limits = limits or current()
    data = Path(path).read_bytes()
    lines = data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n")
    if lines > limits.max_cells:
        raise LoadError(
            "too-large", str(path), f"{lines:,} 行，上限 {limits.max_cells:,}", f"{lines:,} lines, limit {limits.max_cells:,}"
        )
    text, _encoding = decode(data)
    table = to_table(split_lines(text), name=Path(path).name)
    return Grid(path=str(path), format="text", tables=[table])
