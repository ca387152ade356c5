"""Reading a form's grid by its labels: cells, values next to labels, blocks.

Shared by the form layouts.  A *block* is one project's form: an optional
title row, the unit line, the labelled head (项目编码 … 绩效目标), the
indicator header row and the indicator rows.  Blocks are found from their
key rows (项目编码/项目名称), never from fixed coordinates, so stacked blocks,
one block per sheet, spacer rows and shifted columns all read the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from collections.abc import Iterable
from typing import Any

from targetlint.formats.grid import Grid, Table
from targetlint.layouts import labels as L

KEY_FIELDS = frozenset({"project_code", "project_name"})
_HEADER_CORE = frozenset({"level1", "level2", "level3", "description", "value", "basis"})
#: Lines after a form's last indicator row: signatures, dates, notes.
_FOOTER = re.compile(r"^\s*(?:填报人|填表人|审核人|负责人|单位负责人|财务负责人|经办人|联系人|联系电话|填报日期|制表|注[:：]|备注|说明[:：])")


@dataclass(frozen=True)
class Value:
    """A field's text and where it is (or where it should be written)."""

    text: str
    loc: str


@dataclass
class Block:
    """Row span of one project's form in a sheet (``end`` exclusive)."""

    start: int
    key: int
    end: int
    header: int | None = None
    title: int | None = None

    @property
    def head_end(self) -> int:
        return self.header if self.header is not None else self.end


class Sheet:
    """A Table seen as a form: stripped texts, merged ranges, labels."""

    def __init__(self, table: Table):
        self.table = table
        self.rows = table.rows
        self.text_like = table.locs is not None
        self._fields: dict[int, dict[int, str]] = {}

    def __len__(self) -> int:
        return len(self.rows)

    def text(self, r: int, c: int) -> str:
        return self.table.text(r, c).strip()

    def loc(self, r: int, c: int) -> str:
        """Location of the cell a human edits: the merged range's anchor."""
        return self.table.loc(*self.table.anchor(r, c))

    def cells(self, r: int, own: bool = True) -> list[tuple[int, str]]:
        """Non-empty cells of row ``r``, one per merged range.

        Args:
            own: only ranges anchored in this row (a label merged down from
                the row above does not count as this row's content).
        """
        out = []
        for c in range(len(self.rows[r])):
            anchor = self.table.anchor(r, c)
            if c and self.table.anchor(r, c - 1) == anchor:
                continue
            if own and anchor[0] != r:
                continue
            text = self.text(r, c)
            if text:
                out.append((c, text))
        return out

    def blank(self, r: int) -> bool:
        return not self.cells(r)

    def range_end(self, r: int, c: int) -> int:
        """The last column of the merged range holding (r, c) in row r."""
        anchor = self.table.anchor(r, c)
        while c + 1 < len(self.rows[r]) and self.table.anchor(r, c + 1) == anchor:
            c += 1
        return c

    def fields(self, r: int) -> dict[int, str]:
        """Column → canonical field for every label cell of row ``r``."""
        if r not in self._fields:
            self._fields[r] = {c: f for c, t in self.cells(r) if (f := L.label_field(t) or _inline_field(t))}
        return self._fields[r]

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
        return bool(KEY_FIELDS & set(self.fields(r).values()))

    def is_header_row(self, r: int) -> bool:
        found = set(self.fields(r).values())
        return len(found & _HEADER_CORE) >= 3 and bool(found & {"level3", "value"})

    def is_unit_row(self, r: int) -> bool:
        """A row with the money-unit note, a unit line or a 单位名称 label."""
        if "unit" in self.fields(r).values():
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
        cells = self.cells(r, own=False)
        return bool(cells) and bool(_FOOTER.match(cells[0][1]))


def _inline_field(text: str) -> str | None:
    hit = L.inline_value(text)
    return hit[0] if hit else None


def find_blocks(sheet: Sheet) -> list[Block]:
    """Every project block of a sheet, in order."""
    headers = [r for r in range(len(sheet)) if sheet.is_header_row(r)]
    starts: list[int] = []
    seen: set[str] = set()
    for r in range(len(sheet)):
        if not sheet.is_key_row(r):
            continue
        keys = KEY_FIELDS & set(sheet.fields(r).values())
        # A key row opens a new block once the previous block reached its
        # indicator header, or when it repeats a key field (no header at all).
        if not starts or any(starts[-1] < h < r for h in headers) or keys & seen:
            starts.append(r)
            seen = set()
        seen |= keys
    blocks: list[Block] = []
    for i, key in enumerate(starts):
        prev = blocks[-1] if blocks else None
        lower = 0 if prev is None else (prev.key if prev.header is None else prev.header) + 1
        start, title = _head_start(sheet, key, lower)
        if blocks:
            blocks[-1].end = start
        nxt = starts[i + 1] if i + 1 < len(starts) else len(sheet)
        header = next((h for h in headers if key < h < nxt), None)
        blocks.append(Block(start=start, key=key, end=len(sheet), header=header, title=title))
    return blocks


def _head_start(sheet: Sheet, key: int, lower: int) -> tuple[int, int | None]:
    """Walk up from a key row over blank, unit and (one) title rows."""
    start, title = key, None
    for r in range(key - 1, lower - 1, -1):
        if sheet.blank(r):
            continue
        unit = sheet.is_unit_row(r)
        cell = sheet.title_cell(r) if title is None else None
        # "北城街道办事处  单位：元" reads as a unit row, "…绩效目标表  单位：元" as a title.
        if cell and (not unit or L.looks_like_title(cell[1])):
            start = title = r
        elif unit:
            start = r
        else:
            break
    return start, title


def department_rows(sheet: Sheet, stop: int, section: list[str]) -> list[dict[str, Any]]:
    """Headings and paragraphs of the department part in rows ``[0, stop)``.

    Only a region holding at least one department heading (第一部分,
    总体绩效目标 …) counts, so a sheet title or a notes sheet is not mistaken
    for the department part.
    """
    cells = [(r, c, t) for r in range(stop) for c, t in sheet.cells(r)]
    if not any(L.is_department_heading(t) for _, _, t in cells):
        return []
    out = []
    for r, c, text in cells:
        name = L.heading_name(text)
        if name is not None:
            section[0] = name
        kind = "heading" if name is not None else "text"
        out.append({"kind": kind, "section": section[0], "text": text, "text_loc": sheet.loc(r, c)})
    return out


#: Names of a template's helper sheets: a filled-in example, instructions, drop-down lists.
_HELPER_SHEET = re.compile(r"示例|样例|范例|样表|模板|填报说明|填表说明|选项|下拉|数据源|字典")


def checked_tables(grid: Grid) -> list[Table]:
    """The tables a form layout reads: every sheet, hidden ones too, except hidden helper sheets.

    Hidden sheets, rows and columns are checked like the rest (findings in
    them say so): a unit must not hide a project from review by hiding its
    sheet.  A template's hidden example and lists (``填写示例``, ``选项`` …)
    are no part of the submission, so a *hidden* sheet named like a helper
    is skipped; a helper sheet left visible is read like any other.
    """
    return [t for t in grid.tables if not (t.hidden and _HELPER_SHEET.search(t.name))]


def found_fields(grid: Grid, fields: Iterable[str], max_rows: int = 2000) -> set[str]:
    """Which of ``fields`` have a label in the first ``max_rows`` rows of some table."""
    wanted = set(fields)
    found: set[str] = set()
    for table in grid.tables:
        sheet = Sheet(table)
        for r in range(min(len(sheet), max_rows)):
            found |= set(sheet.fields(r).values()) & wanted
    return found
