"""Reading a form's grid by its labels: cells, values next to labels, blocks.

Shared by the form layouts.  A *block* is one project's form: an optional
title row, the unit line, the labelled head (项目编码 … 绩效目标), the
indicator header row and the indicator rows.  Blocks are found from their
key rows (项目编码/项目名称), never from fixed coordinates, so stacked blocks,
one block per sheet, spacer rows and shifted columns all read the same.
Rows are read through :class:`~targetlint.layouts._sheet.Sheet`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from targetlint.formats.grid import Grid, Table
from targetlint.layouts import labels as L
from targetlint.layouts._sheet import KEY_FIELDS, Sheet, sheets


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


def header_between(headers: list[int], low: int, high: int) -> int | None:
    """The first of the sorted ``headers`` strictly between ``low`` and ``high``."""
    i = bisect.bisect_right(headers, low)
    return headers[i] if i < len(headers) and headers[i] < high else None


def find_blocks(sheet: Sheet) -> list[Block]:
    """Every project block of a sheet, in order (worked out once per sheet; do not change them)."""
    return sheet.memo("blocks", _find_blocks)


def _find_blocks(sheet: Sheet) -> list[Block]:
    headers = sheet.header_rows()
    starts: list[int] = []
    seen: set[str] = set()
    for r in sheet.label_rows():
        if not sheet.is_key_row(r):
            continue
        keys = KEY_FIELDS & sheet.field_set(r)
        # A key row opens a new block once the previous block reached its
        # indicator header, or when it repeats a key field (no header at all).
        if not starts or header_between(headers, starts[-1], r) is not None or keys & seen:
            starts.append(r)
            seen = set()
        seen |= keys
    return blocks_at(sheet, starts, _head_start)


def blocks_at(sheet: Sheet, keys: list[int], head_start: Callable[[Sheet, int, int], tuple[int, int | None]]) -> list[Block]:
    """The blocks opened by the sorted key rows ``keys``, for any layout.

    A block runs from where ``head_start(sheet, key, lower)`` says its head
    begins (walking up no further than ``lower``, just past the previous
    block's header or key row) to the next block's start, and its header is
    the first indicator header row before the next key.
    """
    headers = sheet.header_rows()
    blocks: list[Block] = []
    for i, key in enumerate(keys):
        prev = blocks[-1] if blocks else None
        lower = 0 if prev is None else (prev.key if prev.header is None else prev.header) + 1
        start, title = head_start(sheet, key, lower)
        if blocks:
            blocks[-1].end = start
        nxt = keys[i + 1] if i + 1 < len(keys) else len(sheet)
        header = header_between(headers, key, nxt)
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


def checked_sheets(grid: Grid) -> list[Sheet]:
    """The sheets of :func:`checked_tables`."""
    return [s for s in sheets(grid) if not _helper(s.table)]


def _helper(table: Table) -> bool:
    return table.hidden and bool(_HELPER_SHEET.search(table.name))


def checked_tables(grid: Grid) -> list[Table]:
    """The tables a form layout reads: every sheet, hidden ones too, except hidden helper sheets.

    Hidden sheets, rows and columns are checked like the rest (findings in
    them say so): a unit must not hide a project from review by hiding its
    sheet.  A template's hidden example and lists (``填写示例``, ``选项`` …)
    are no part of the submission, so a *hidden* sheet named like a helper
    is skipped; a helper sheet left visible is read like any other.
    """
    return [t for t in grid.tables if not _helper(t)]


def found_fields(grid: Grid, fields: Iterable[str], max_rows: int = 2000) -> set[str]:
    """Which of ``fields`` have a label in the first ``max_rows`` rows of some table."""
    wanted = set(fields)
    found: set[str] = set()
    for sheet in sheets(grid):
        for r in sheet.label_rows(max_rows):
            found |= sheet.field_set(r) & wanted
    return found
