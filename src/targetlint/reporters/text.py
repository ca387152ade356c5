"""The terminal report: grouped by file, then by project, one line a finding.

Rendered with rich on a fixed-width, in-memory console, because rich measures
CJK characters as two cells: columns of Chinese text stay aligned, and the
same result always renders to the same string (tests compare golden text).

A project's findings are laid out as a rich grid table (:func:`_findings_table`),
but rendering one costs about half a millisecond a finding, which a file of
two hundred findings feels.  So the rows are written as pre-formatted lines
(:func:`_fast_rows`) whenever that gives exactly what the grid gives: no cell
needs rich's own wrapping beyond the location and label columns (wrapped
with rich's ``Text.wrap``, as the grid does), nothing overflows, no control
character or tab needs rich's handling.  Anything else goes through the grid.
"""

from __future__ import annotations

import re
from io import StringIO
from typing import Any

import pandas as pd
from rich.cells import cell_len
from rich.console import Console, RenderableType
from rich.color import ColorSystem
from rich.padding import Padding
from rich.style import Style
from rich.table import Table
from rich.text import Text

from targetlint.reporters._wrap import wrap
from targetlint.result import FileResult, RunResult
from targetlint.rule import Severity
from targetlint.submission import field_label

DEFAULT_WIDTH = 100

STYLES = {"error": "bold red", "warning": "yellow", "info": "cyan"}

#: Report wording, key → (zh, en).
LABELS: dict[str, tuple[str, str]] = {
    "project": ("项目", "Project"),
    "general": ("部门整体及文件", "Department and file"),
    "no_findings": ("未发现问题", "no findings"),
    "unreadable": ("无法读取", "unreadable"),
    "projects": ("{n} 个项目", "projects: {n}"),
    "indicators": ("{n} 条指标", "indicators: {n}"),
    "summary": (
        "共检查 {files} 个文件：错误 {errors}，警告 {warnings}，提示 {infos}，无法读取 {unreadable}",
        "{files} files checked — errors: {errors}, warnings: {warnings}, info: {infos}, unreadable: {unreadable}",
    ),
    "baselined": ("，基线已隐藏 {baselined}", ", hidden by baseline: {baselined}"),
}


def _labels(lang: str) -> dict[str, str]:
    return {k: v[0] if lang == "zh" else v[1] for k, v in LABELS.items()}


def _s(value: Any) -> str:
    """A cell of the findings frame as display text ('' for None/NaN)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)


def _console(width: int, color: bool) -> Console:
    return Console(
        file=StringIO(),
        width=width,
        color_system="standard" if color else None,
        force_terminal=color,
        no_color=not color,
        highlight=False,
        emoji=False,
        markup=False,
        legacy_windows=False,
    )


def _output(console: Console) -> str:
    # Table cells are padded to the column width; trailing blanks only make diffs noisy.
    return "\n".join(line.rstrip() for line in console.file.getvalue().splitlines()) + "\n"


#: Widest a location / field-label column may grow before it wraps.
_CAPS = (None, None, 22, 18)


def _cells(row: dict, lang: str) -> list[str]:
    """Severity, rule, location and field label of a finding, as display text."""
    field = _s(row["field"])
    return [
        Severity(row["severity"]).label(lang),
        _s(row["rule"]),
        _s(row["location"]) or "-",
        field_label(field, lang) if field else "-",
    ]


def _widths(rows: list[dict], lang: str) -> list[int]:
    """Column widths shared by every project of a file, so the columns line up."""
    widths = [max((cell_len(_cells(r, lang)[i]) for r in rows), default=1) for i in range(4)]
    return [min(w, cap) if cap else w for w, cap in zip(widths, _CAPS)]


def _message(row: dict, lang: str, width: int) -> Text:
    """Message, then ``→ suggestion`` with a hanging indent, wrapped to the column width."""
    message = Text("\n".join(wrap(_s(row[f"message_{lang}"]), width)))
    suggestion = _s(row[f"suggestion_{lang}"])
    if suggestion:
        message.append("\n→ " + "\n  ".join(wrap(suggestion, width - 2)), style="green")
    return message


def _findings_table(rows: list[dict], lang: str, indent: int, width: int, widths: list[int] | None = None) -> Table:
    """One row a finding; ``indent`` + the table fit in ``width`` cells."""
    widths = widths or _widths(rows, lang)
    # grid: one cell of padding between the five columns, none at the edges
    room = max(20, width - indent - sum(widths) - len(widths))
    table = Table.grid(padding=(0, 1))
    for w in widths:
        table.add_column(overflow="fold", width=w)
    table.add_column(overflow="fold", max_width=room)
    for row in rows:
        sev, code, loc, field = _cells(row, lang)
        table.add_row(
            Text(sev, style=STYLES.get(row["severity"], "")),
            Text(code, style="bold"),
            Text(loc),
            Text(field),
            _message(row, lang, room),
        )
    return table


def _group_title(row: dict, lang: str) -> Text:
    L = _labels(lang)
    if _s(row["project_name"]) == "" and _s(row["project_code"]) == "":
        return Text(L["general"], style="bold")
    parts = [L["project"], _s(row["project_code"]), _s(row["project_name"])]
    return Text(" ".join(p for p in parts if p), style="bold")


def _groups(records: list[dict]) -> list[list[dict]]:
    """Consecutive findings of one project (findings are sorted by reading order)."""
    groups: list[list[dict]] = []
    last = object()
    for row in records:
        # project_key may be 0 in one row and 0.0 in another (frames concatenated with NA)
        key = (_int(row["project_seq"]), _s(row["project_code"]), _s(row["project_name"]))
        if key != last:
            groups.append([])
            last = key
        groups[-1].append(row)
    return groups


def _file_header(fr: FileResult, lang: str, width: int) -> Text:
    """The file's path, then its layout, units and counts (on the next line if they do not fit)."""
    L = _labels(lang)
    header = Text(fr.path, style="bold underline")
    sub = fr.submission
    if sub is not None:
        facts = [sub.layout, *sub.units, L["projects"].format(n=len(sub.projects))]
        facts.append(L["indicators"].format(n=len(sub.indicators)))
        line = "(" + " · ".join(str(f) for f in facts if f) + ")"
        fits = cell_len(fr.path) + 2 + cell_len(line) <= width
        header.append(("  " if fits else "\n  ") + line, style="dim")
    return header


def _hanging(prefix: str, body: str, width: int, style: str = "") -> Text:
    """``prefix`` then ``body`` wrapped, continuation lines aligned under the body."""
    pad = cell_len(prefix)
    text = Text(prefix, style=style)
    text.append(("\n" + " " * pad).join(wrap(body, max(20, width - pad))))
    return text


def _int(value: Any) -> int:
    return -1 if _s(value) == "" else int(value)


class _Painter:
    """ANSI codes for a styled piece of text, exactly as the console writes them (none without colour)."""

    def __init__(self, console: Console, color: bool) -> None:
        self.console, self.color = console, color
        self.styles: dict[str, Style] = {}

    def __call__(self, text: str, style: str = "") -> str:
        if not (self.color and style and text):
            return text
        if style not in self.styles:
            self.styles[style] = self.console.get_style(style)
        return self.styles[style].render(text, color_system=ColorSystem.STANDARD)


#: Characters rich treats specially (control codes it strips, tabs it expands, line breaks).
_SPECIAL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _cell_lines(text: str, width: int, console: Console) -> list[str] | None:
    """A grid cell's lines, padded to ``width``, as the grid wraps them (None: leave it to the grid)."""
    if _SPECIAL.search(text):
        return None
    if cell_len(text) <= width:
        return [text + " " * (width - cell_len(text))]
    lines = [line.plain for line in Text(text).wrap(console, width, justify="left", overflow="fold")]
    return lines if all(cell_len(line) == width for line in lines) else None


def _message_lines(row: dict, lang: str, width: int) -> list[tuple[str, str]] | None:
    """(line, style) of :func:`_message`'s text: the message, then the suggestion in green."""
    lines = [(line, "") for line in wrap(_s(row[f"message_{lang}"]), width)]
    suggestion = _s(row[f"suggestion_{lang}"])
    if suggestion:
        lines += [(line, "green") for line in ("→ " + "\n  ".join(wrap(suggestion, width - 2))).split("\n")]
    if any(_SPECIAL.search(line) or cell_len(line) > width for line, _ in lines):
        return None
    return lines


def _fast_rows(rows: list[dict], lang: str, indent: int, width: int, widths: list[int],
               console: Console, paint: _Painter) -> list[str] | None:
    """The lines :func:`_findings_table` renders (after stripping trailing blanks), or None when unsure.

    The grid puts one blank between columns, pads the fixed columns to their
    width (the severity and rule cells in their own style) and sizes the
    message column to its longest line; it only differs from this when the
    table would overflow the line, when a message line is wider than its
    column, or with control characters: those rows are left to the grid.
    """
    room = max(20, width - indent - sum(widths) - len(widths))
    messages = [_message_lines(row, lang, room) for row in rows]
    if any(m is None for m in messages):
        return None
    widest = max((cell_len(line) for m in messages for line, _ in m), default=0)
    if indent + sum(widths) + len(widths) + widest > width:
        return None
    out: list[str] = []
    for row, message in zip(rows, messages):
        cells = [_cell_lines(text, w, console) for text, w in zip(_cells(row, lang), widths)]
        if any(c is None for c in cells):
            return None
        styles = (STYLES.get(row["severity"], ""), "bold", "", "")
        for i in range(max(len(message), *map(len, cells))):
            parts = [" " * indent]
            for lines, w, style in zip(cells, widths, styles):
                parts.append((paint(lines[i], style) if i < len(lines) else " " * w) + " ")
            if i < len(message):
                parts.append(paint(*message[i]))
            out.append("".join(parts))
    return out


def _fast_title(title: Text, width: int, paint: _Painter) -> str | None:
    """A project's title line, indented by two, when it fits on one line (None: leave it to rich)."""
    if _SPECIAL.search(title.plain) or cell_len(title.plain) > width - 2:
        return None
    return "  " + paint(title.plain, str(title.style)) + "\n"


def _print(console: Console, renderable: RenderableType) -> str:
    with console.capture() as captured:
        console.print(renderable)
    return captured.get()


def _file_block(fr: FileResult, lang: str, width: int, console: Console, paint: _Painter) -> list[str]:
    """The report of one file, as text (lines ending in newlines)."""
    L = _labels(lang)
    if fr.error is not None:
        return [_print(console, _hanging(L["unreadable"] + "  ", fr.error.message(lang), width, STYLES["error"]))]
    out = [_print(console, _file_header(fr, lang, width))]
    if fr.findings.empty:
        out.append(_print(console, Padding(Text(L["no_findings"], style="green"), (0, 0, 0, 2))))
    records = fr.findings.to_dict("records")
    widths = _widths(records, lang)
    for group in _groups(records):
        title = _group_title(group[0], lang)
        out.append(_fast_title(title, width, paint) or _print(console, Padding(title, (0, 0, 0, 2))))
        lines = _fast_rows(group, lang, 4, width, widths, console, paint)
        if lines is None:
            out.append(_print(console, Padding(_findings_table(group, lang, 4, width, widths), (0, 0, 0, 4))))
        else:
            out.extend(line + "\n" for line in lines)
    return out


def render(result: RunResult, lang: str = "zh", color: bool = False, width: int = DEFAULT_WIDTH) -> str:
    """The text report of a run.

    Args:
        result: the run.
        lang: ``zh`` or ``en``.
        color: emit ANSI colours (only for a real terminal).
        width: characters per line; long messages wrap within their column.
    """
    console = _console(width, color)
    paint = _Painter(console, color)
    parts: list[str] = []
    for i, fr in enumerate(result.files):
        if i:
            parts.append("\n")
        parts += _file_block(fr, lang, width, console, paint)
    L, summary = _labels(lang), result.summary()
    footer = L["summary"].format(**summary) + (L["baselined"].format(**summary) if summary.get("baselined") else "")
    parts += ["\n", _print(console, Text(footer, style="bold"))]
    return "\n".join(line.rstrip() for line in "".join(parts).splitlines()) + "\n"
