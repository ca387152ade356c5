"""A Table seen as a form: its rows' cells and labels, worked out once per grid.

Detection scores a grid with every layout, then the chosen layout parses
it, and all of them ask the same questions of the same rows (which cells
does a row hold, which of them are labels, is it an indicator header).
:class:`Sheet` answers each once and keeps the answer, and :func:`sheets`
shares one set of sheets per grid between detection and parsing.
"""

from __future__ import annotations

import bisect
import re
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from targetlint.formats.grid import Grid, Table
from targetlint.layouts import labels as L

KEY_FIELDS = frozenset({"project_code", "project_name"})
_HEADER_CORE = frozenset({"level1", "level2", "level3", "description", "value", "basis"})
_HEADER_NAMES = frozenset({"level3", "value"})
#: Lines after a form's last indicator row: signatures, dates, notes.
_FOOTER = re.compile(r"^\s*(?:填报人|填表人|审核人|负责人|单位负责人|财务负责人|经办人|联系人|联系电话|填报日期|制表|注[:：]|备注|说明[:：])")
_T = TypeVar("_T")


@dataclass(frozen=True)
class Value:
    """A field's text and where it is (or where it should be written)."""

    text: str
    loc: str


class Sheet:
    """A Table seen as a form: stripped texts, merged ranges, labels.

    A row's cells and label fields are worked out once and kept: detection
    (every layout's ``score``) and parsing ask about the same rows many
    times.  Get the sheets of a grid from :func:`sheets`, which shares them
    between detection and parsing; the grid must not change meanwhile.
    """

    def __init__(self, table: Table):
        self.table = table
        self.rows = table.rows
        self.text_like = table.locs is not None
        n = len(self.rows)
        self._own: list[tuple[tuple[int, str], ...] | None] = [None] * n
        self._all: list[tuple[tuple[int, str], ...] | None] = [None] * n
        self._fields: list[dict[int, str] | None] = [None] * n
        self._field_sets: list[frozenset[str] | None] = [None] * n
        #: Rows some merged range covers; in the others every cell is its own range.
        self._merged_rows = {r for r, _ in table.anchors}
        self._memo: dict[str, Any] = {}

    def __len__(self) -> int:
        return len(self.rows)

    def memo(self, key: str, compute: Callable[[Sheet], _T]) -> _T:
        """``compute(self)``, worked out once per sheet (a layout's blocks, its header row)."""
        if key not in self._memo:
            self._memo[key] = compute(self)
        return self._memo[key]

    def text(self, r: int, c: int) -> str:
        row = self.rows[r]
        return row[c].strip() if c < len(row) else ""

    def loc(self, r: int, c: int) -> str:
        """Location of the cell a human edits: the merged range's anchor."""
        return self.table.loc(*self.table.anchor(r, c))

    def cells(self, r: int, own: bool = True) -> tuple[tuple[int, str], ...]:
        """Non-empty cells of row ``r``, one per merged range.

        Args:
            own: only ranges anchored in this row (a label merged down from
                the row above does not count as this row's content).
        """
        kept = self._own if own else self._all
        if kept[r] is None:
            self._own[r], self._all[r] = self._scan(r)
        return kept[r]  # type: ignore[return-value]

    def _scan(self, r: int) -> tuple[tuple[tuple[int, str], ...], tuple[tuple[int, str], ...]]:
        """Row ``r``'s cells: those anchored in the row, and all of them."""
        texts = tuple((c, t) for c, raw in enumerate(self.rows[r]) if (t := raw.strip()))
        if r not in self._merged_rows:  # no merged range touches the row: every cell is its own
            return texts, texts
        every = tuple((c, t) for c, t in texts if not self._continues(r, c))
        return tuple((c, t) for c, t in every if self.table.anchor(r, c)[0] == r), every

    def blank(self, r: int) -> bool:
        return not self.cells(r)

    def range_end(self, r: int, c: int) -> int:
        """The last column of the merged range holding (r, c) in row r."""
        if r not in self._merged_rows:
            return c
        anchor = self.table.anchor(r, c)
        while c + 1 < len(self.rows[r]) and self.table.anchor(r, c + 1) == anchor:
            c += 1
        return c

    def fields(self, r: int) -> dict[int, str]:
        """Column → canonical field for every label cell of row ``r``."""
        hit = self._fields[r]
        if hit is None:
            # Same as {c: cell_field(t) for c, t in cells(r)}, but the merged-range test
            # runs only on the few label cells, not on every cell of the row.
            found = L.row_fields(self.rows[r])
            if found and r in self._merged_rows:
                found = [(c, f) for c, f in found if self._own_start(r, c)]
            hit = self._fields[r] = dict(found)
        return hit

    def _continues(self, r: int, c: int) -> bool:
        """(r, c) is in the same merged range as the cell left of it."""
        return bool(c) and self.table.anchor(r, c - 1) == self.table.anchor(r, c)

    def _own_start(self, r: int, c: int) -> bool:
        """(r, c) starts its merged range in row r (what :meth:`cells` keeps of a row)."""
        return self.table.anchor(r, c)[0] == r and not self._continues(r, c)

    def field_set(self, r: int) -> frozenset[str]:
        """The canonical fields labelled in row ``r``."""
        hit = self._field_sets[r]
        if hit is None:
            hit = self._field_sets[r] = frozenset(self.fields(r).values())
        return hit

    def value_right(self, r: int, c: int) -> Value | None:
        """The value of the label at (r, c): the next cell right of its range.

        Blank cells are skipped unless the next non-blank one is another
        label, in which case the value is empty and sits in the first cell
        after the label (also when the row ends there).  None when the very
        next cell is another label: the label has no value cell of its own.
        """
        first = self.range_end(r, c) + 1
        width = len(self.rows[r])
        for k in range(first, width):
            text = self.text(r, k)
            if not text:
                continue
            if L.is_label(text):
                return None if self.table.anchor(r, k) == self.table.anchor(r, first) else Value("", self.loc(r, first))
            return Value(text, self.loc(r, k))
        return Value("", self.loc(r, first))

    def value_below(self, r: int, c: int, limit: int) -> Value | None:
        """The text under a label whose value sits in the next row (资金用途).

        The first non-blank cell of row ``r + 1`` right of the label's
        columns, skipping cells merged down from above; empty (located at the
        first such cell) when there is none; None when that row is past
        ``limit`` or its first text is another label.
        """
        below = r + 1
        if below >= limit:
            return None
        first = self.range_end(r, c) + 1
        width = len(self.rows[below])
        for k in range(first, width):
            text = self.text(below, k)
            if not text or self.table.anchor(below, k)[0] != below:
                continue
            return None if L.is_label(text) else Value(text, self.loc(below, k))
        return Value("", self.table.loc(below, min(first, max(width - 1, 0))))

    # --- row classes ------------------------------------------------------

    def is_key_row(self, r: int) -> bool:
        return not KEY_FIELDS.isdisjoint(self.field_set(r))

    def is_header_row(self, r: int) -> bool:
        found = self.field_set(r)
        return len(found & _HEADER_CORE) >= 3 and not found.isdisjoint(_HEADER_NAMES)

    def header_rows(self) -> list[int]:
        """Every indicator header row of the sheet, in order."""
        return self.memo("header_rows", lambda s: [r for r in s.label_rows() if s.is_header_row(r)])

    def label_rows(self, limit: int | None = None) -> list[int]:
        """The rows holding a label, in order (the first ``limit`` rows' only, if given).

        Most rows of a form are indicator rows without any label; the
        questions detection asks (key rows, header rows, which labels are
        there) are about the others.
        """
        rows = self.memo("label_rows", lambda s: [r for r in range(len(s)) if s.fields(r)])
        return rows if limit is None or limit >= len(self) else rows[: bisect.bisect_left(rows, limit)]

    def is_unit_row(self, r: int) -> bool:
        """A row with the money-unit note, a unit line or a 单位名称 label."""
        if "unit" in self.field_set(r):
            return True
        return any(L.money_unit(t) or L.is_unit_line(t) for _, t in self.cells(r))

    def title_cell(self, r: int) -> tuple[int, str] | None:
        """The one text of row ``r`` (a money-unit note aside), if it reads as a form title."""
        if self.text_like and len(self.rows[r]) != 1:
            return None
        cells = [(c, t) for c, t in self.cells(r, own=False) if not L.money_unit(t)]
        if len(cells) != 1:
            return None
        text = cells[0][1]
        plausible = (
            len(text) <= 100
            and "。" not in text
            and not text.endswith("指标")
            and not L.is_unit_line(text)
            and not L.is_label(text)
            and not L.inline_value(text)
            and not L.is_department_heading(text)
        )
        return cells[0] if plausible else None

    def is_footer_row(self, r: int) -> bool:
        first = self._first_text(r)
        return first is not None and bool(_FOOTER.match(first))

    def _first_text(self, r: int) -> str | None:
        """The text of ``cells(r, own=False)[0]``, without working out the whole row when it is plain."""
        if self._all[r] is None:
            for c, raw in enumerate(self.rows[r]):
                if text := raw.strip():
                    if r not in self._merged_rows or not self._continues(r, c):
                        return text
                    break  # the rest of a range whose start is blank: let cells() decide
            else:
                return None
        cells = self.cells(r, own=False)
        return cells[0][1] if cells else None


#: id(grid) → its sheets, for as long as the grid lives (see :func:`sheets`).
_SHEETS: dict[int, list[Sheet]] = {}


def sheets(grid: Grid) -> list[Sheet]:
    """One :class:`Sheet` per table of ``grid``, built once and shared while the grid lives.

    Detection scores the grid with every layout, then the chosen layout
    parses it: all of them read the same rows' cells and labels, so the
    sheets (which keep what they worked out) are shared between them
    rather than rebuilt per call.  They are dropped when the grid is.
    """
    key = id(grid)
    got = _SHEETS.get(key)
    if got is not None and len(got) == len(grid.tables) and all(s.table is t for s, t in zip(got, grid.tables)):
        return got
    if got is None:
        weakref.finalize(grid, _SHEETS.pop, key, None)
    got = _SHEETS[key] = [Sheet(t) for t in grid.tables]
    return got


