"""Bound a worksheet from its raw XML bytes, without parsing it: the quick pass of the sheet scan.

Parsing every element with expat costs several times what calamine spends
reading the cells, yet most sheets hold nothing that needs it: no hidden
rows or columns, no formula, every cell written ``<c r="B3" …>`` with its
address first.  For those, :func:`bounds` learns what
:mod:`~targetlint.formats.sheet_scan` must know (how far the cells reach and
how many cells the merged ranges cover) with a few C-speed searches per
1 MB piece:

* the sheet's own claim, ``<dimension ref="A1:G418"/>``, gives the bounds
  (rows rounded up to two significant digits, so that a few patterns serve
  many sheets);
* one search proves that every ``r`` attribute in the part is an address
  within those bounds or a row number, in its plain spelling: anything
  else, such as a cell past the claim, a second ``r`` on a cell (calamine
  takes the last one), single quotes or spaces, gives up;
* merged ranges are counted exactly, as the full pass counts them.

It gives up (None) on anything it cannot vouch for: ``hidden``, a formula
element, ``<!`` (a DTD, a comment, CDATA), a cell without its address
first (its position would be implicit), a cell, formula or merged range
under a namespace prefix, another encoding than UTF-8, no claim, or bounds
past the limits.  The full pass then decides, with its exact used range
and its own messages; so a sheet is refused, or its hidden cells and
formulas found, exactly as before, and only the bounds of a sheet passed
here may be larger than its exact used range (empty cells count too),
never smaller.
"""

from __future__ import annotations

import functools
import re
from operator import mul, sub
from typing import Iterable

from targetlint.formats.grid import col_letter

#: What the quick pass cannot vouch for: a hidden row or column (as a regular expression: faster than ``in``) …
_HIDDEN = re.compile(rb"hidden")
#: … ``<!``, a formula, a cell whose first attribute is not its address …
_UNUSUAL_TAG = re.compile(rb'<(?:!|f[\s/>]|c(?! r=")[\s/>])')
#: … and a cell, formula or merged range under a namespace prefix.  (Each search has one leading
#: character, which keeps it fast: one alternation of them all is several times slower.)
_PREFIXED = re.compile(rb":(?:c|f|mergeCell)[\s/>]")
#: The used range a sheet claims for itself.
_DIMENSION = re.compile(rb'<dimension ref="([A-Z]{1,3})0*([0-9]{1,9})(?::([A-Z]{1,3})0*([0-9]{1,9}))?"')
_DECLARATION = re.compile(rb"""<\?xml[^>]*?\sencoding\s*=\s*["']([^"']*)["']""")
_PLAIN_ENCODINGS = {b"utf-8", b"us-ascii"}
#: Every merged range: ``<mergeCell ref="A1:C2"/>`` with its corners as groups, any other spelling without.
_MERGE_CELL = re.compile(rb'<mergeCell(?: ref="([A-Z]{1,3})0*([0-9]{1,9}):([A-Z]{1,3})0*([0-9]{1,9})"\s*/?>|[\s/>])')
#: Column letters → 1-based index, for the one- and two-letter columns of merged ranges.
_COLUMNS = {bytes((a,)): a - 64 for a in range(65, 91)}
_COLUMNS.update({bytes((a, b)): 26 * (a - 64) + b - 64 for a in range(65, 91) for b in range(65, 91)})


def bounds(pieces: Iterable[bytes], max_cells: int) -> tuple[int, int, int] | None:
    """(rows, columns, merged cells) of a worksheet part, or None when the full pass must decide.

    Args:
        pieces: the part's bytes, each piece after the first starting at a
            ``<`` (a piece cut elsewhere gives up).
        max_cells: the limit on the used range and on the merged cells.
    """
    rows = cols = merged = 0
    stray = None
    for piece in pieces:
        if not piece:
            continue
        if stray is None:  # the first piece
            claim = _claim(piece)
            if claim is None or claim[0] * claim[1] > max_cells:
                return None
            rows, cols = claim
            stray = _stray_address(*claim)
        elif piece[:1] != b"<":
            return None
        if _HIDDEN.search(piece) or _UNUSUAL_TAG.search(piece) or _PREFIXED.search(piece) or stray.search(piece):
            return None
        at = piece.find(b"<mergeCell")
        if at >= 0:
            counted = _count_merges(_MERGE_CELL.findall(piece, at))
            if counted is None:
                return None
            rows, cols, merged = max(rows, counted[0]), max(cols, counted[1]), merged + counted[2]
        if rows * cols > max_cells or merged > max_cells:
            return None
    return rows, cols, merged


def _claim(piece: bytes) -> tuple[int, int] | None:
    """(rows, columns) of the ``<dimension>`` near the start of a UTF-8 part, rows rounded up to two digits."""
    if piece.startswith(b"\xef\xbb\xbf"):
        piece = piece[3:]
    if not piece.startswith(b"<") or piece[1:2] == b"\x00":  # UTF-16 without a byte-order mark
        return None
    declared = _DECLARATION.match(piece) if piece.startswith(b"<?xml") else None
    if declared is not None and declared.group(1).lower() not in _PLAIN_ENCODINGS:
        return None
    m = _DIMENSION.search(piece, 0, 16384)
    if m is None:
        return None
    c0, r0, c1, r1 = m.groups()
    rows, cols = max(int(r0), int(r1 or r0)), max(_column(c0), _column(c1 or c0))
    if rows >= 100:
        step = 10 ** (len(str(rows)) - 2)
        rows = -(-rows // step) * step
    return rows, cols


def _column(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


@functools.lru_cache(maxsize=256)
def _stray_address(rows: int, cols: int) -> re.Pattern[bytes]:
    """Any ``r`` attribute that is neither ``r="B3"`` within ``rows`` × ``cols`` nor ``r="12"`` (a row).

    The attribute may follow a space, a tab, a newline or a quote, and be
    spelt with spaces or single quotes: each such spelling is found too.
    """
    cell = _letters_upto(col_letter(cols - 1).encode()) + b"0*" + _digits_upto(str(rows).encode())
    return re.compile(rb"""r(?<=[\s"']r)\s*=\s*(?!"(?:""" + cell + rb'|[0-9]{1,9})")')


def _digits_upto(n: bytes) -> bytes:
    """A pattern for the numbers 0 … ``n`` written without leading zeros."""
    alts = [b"0", b"[1-9][0-9]{0,%d}" % (len(n) - 2)] if len(n) > 1 else [b"0"]
    for i, d in enumerate(n):
        low = 0x31 if i == 0 else 0x30
        if d > low:  # the same prefix, a smaller digit here, then any digits
            alts.append(n[:i] + b"[%c-%c]" % (low, d - 1) + b"[0-9]" * (len(n) - i - 1))
    alts.append(n)
    return b"(?:" + b"|".join(alts) + b")"


def _letters_upto(top: bytes) -> bytes:
    """A pattern for the column letters A … ``top`` (upper-case), in either case."""
    alts = [b"[A-Za-z]{1,%d}" % (len(top) - 1)] if len(top) > 1 else []
    for i, ch in enumerate(top):
        if ch > 0x41:  # the same prefix, a smaller letter here, then any letters
            alts.append(_either_case(top[:i]) + b"[A-%ca-%c]" % (ch - 1, ch + 31) + b"[A-Za-z]" * (len(top) - i - 1))
    alts.append(_either_case(top))
    return b"(?:" + b"|".join(alts) + b")"


def _either_case(letters: bytes) -> bytes:
    return b"".join(b"[%c%c]" % (ch, ch + 32) for ch in letters)


def _count_merges(merges: list[tuple[bytes, bytes, bytes, bytes]]) -> tuple[int, int, int] | None:
    """(furthest row, furthest column, cells covered) of :data:`_MERGE_CELL` matches, as the full pass counts them.

    None when a range is written otherwise than ``ref="A1:C2"`` or reaches
    past column ZZ.  A workbook may hold tens of thousands of ranges, so the
    arithmetic runs through ``map`` over whole columns of numbers rather than
    range by range: (|Δr| + 1)(|Δc| + 1) summed is Σ|Δr||Δc| + Σ|Δr| + Σ|Δc| + n.
    """
    if not merges:
        return 0, 0, 0
    c0, r0, c1, r1 = zip(*merges)
    c0, c1 = list(map(_COLUMNS.get, c0)), list(map(_COLUMNS.get, c1))
    if None in c0 or None in c1:
        return None
    r0, r1 = list(map(int, r0)), list(map(int, r1))
    dr, dc = list(map(abs, map(sub, r1, r0))), list(map(abs, map(sub, c1, c0)))
    covered = sum(map(mul, dr, dc)) + sum(dr) + sum(dc) + len(merges)
    return max(max(r0), max(r1)), max(max(c0), max(c1)), covered
