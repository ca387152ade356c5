"""The cell grid every format reader produces and every layout parser reads."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from decimal import Decimal


@functools.lru_cache(maxsize=16384)
def col_letter(col: int) -> str:
    """0-based column index → Excel letters (0 → A, 27 → AB); cached, as every location spells one."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_text(value: object) -> str:
    """A cell value as text: floats without noise (274.65999999999997 → 274.66)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        # Amounts repeat across a workbook; zero is left out of the cache, as -0.0 == 0.0 reads "-0".
        return _float_text(value) if value else _float_text.__wrapped__(value)
    if isinstance(value, int):
        return str(value)
    if hasattr(value, "isoformat"):
        text = value.isoformat()
        return text[:10] if text.endswith("T00:00:00") else text
    return str(value)


@functools.lru_cache(maxsize=8192)
def _float_text(value: float) -> str:
    if value != value or value in (float("inf"), float("-inf")):
        return ""
    text = repr(round(value, 8))
    if "e" in text:  # 1e-05, 1.5e+16: spelt out; Decimal only here, as it is slow
        text = format(Decimal(text), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


@dataclass
class Table:
    """One rectangular block of cells: a sheet, a Word table, or a text file.

    Attributes:
        name: sheet name (used in A1 locations), or a label such as ``表3``.
        rows: cell texts; merged ranges are filled, so every covered cell
            repeats the anchor's text.
        anchors: for cells inside a merged range, ``(row, col)`` → the range's
            top-left cell; cells not merged are absent.
        locs: explicit per-cell locations (text and Word); ``None`` means
            ``Sheet!A1`` addresses computed from ``name``.
        paragraph: for text-like sources, the row indices that are free
            paragraphs rather than table rows.
        hidden: the sheet is hidden (or "very hidden").
        hidden_rows, hidden_cols: 0-based rows and columns hidden in the sheet.
        formulas: ``(row, col)`` → formula text of cells saved without a
            computed value (their text is empty, never the formula).
    """

    name: str
    rows: list[list[str]]
    anchors: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    locs: list[list[str]] | None = None
    paragraph: set[int] = field(default_factory=set)
    hidden: bool = False
    hidden_rows: set[int] = field(default_factory=set)
    hidden_cols: set[int] = field(default_factory=set)
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)

    def is_hidden(self, row: int, col: int) -> bool:
        """Whether cell (row, col) is out of sight: in a hidden sheet, row or column."""
        return self.hidden or row in self.hidden_rows or col in self.hidden_cols

    def loc(self, row: int, col: int) -> str:
        """Where cell (row, col) is, for a human: ``项目表!E12`` or ``line 57``."""
        if self.locs is not None:
            r = self.locs[row]
            return r[col] if col < len(r) else (r[-1] if r else "")
        return f"{self.name}!{col_letter(col)}{row + 1}"

    def anchor(self, row: int, col: int) -> tuple[int, int]:
        """The top-left cell of the merged range holding (row, col), or itself.

        Layout parsers call this millions of times: one tuple and one lookup.
        """
        key = (row, col)
        return self.anchors.get(key, key)

    def text(self, row: int, col: int) -> str:
        r = self.rows[row]
        return r[col] if col < len(r) else ""


@dataclass
class Grid:
    """A whole file as tables of text cells with their locations."""

    path: str
    format: str
    tables: list[Table]
