"""The terminal report: grouped by file, then by project, one line a finding.

Rendered with rich on a fixed-width, in-memory console, because rich measures
CJK characters as two cells: columns of Chinese text stay aligned, and the
same result always renders to the same string (tests compare golden text).
"""

from __future__ import annotations

import re
from io import StringIO
from typing import Any

import pandas as pd
from rich.cells import cell_len
from rich.console import Console, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

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


#: Chinese punctuation that may not start a line / may not end one (line-breaking rules, GB/T 15834).
_NO_START = set("，。、；：？！）》」』”’】%…·")
_NO_END = set("（《「『“‘【")
_TOKEN = re.compile(r"[\x21-\x7e]+|\s+|.", re.S)


def _tokens(text: str) -> list[str]:
    """Unbreakable pieces: an ASCII word, a run of spaces, or one CJK character with its punctuation."""
    out: list[str] = []
    for tok in _TOKEN.findall(text):
        if out and (tok[0] in _NO_START or out[-1][-1] in _NO_END) and not tok.isspace():
            out[-1] += tok
        else:
            out.append(tok)
    return out


def wrap(text: str, width: int) -> list[str]:
    """Wrap ``text`` to ``width`` terminal cells, breaking between CJK characters.

    rich breaks lines only at spaces, which leaves a Chinese sentence either
    unbroken or split at its one space; this breaks where Chinese typesetting
    allows, and at spaces between Latin words.
    """
    lines: list[str] = []
    for para in text.split("\n"):
        line = ""
        for tok in _tokens(para):
            if line.strip() and cell_len(line) + cell_len(tok.rstrip()) > width:
                lines.append(line.rstrip())
                line = tok.lstrip()
            else:
                line += tok
        lines.append(line.rstrip())
    return lines


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


def _groups(findings: pd.DataFrame) -> list[list[dict]]:
    """Consecutive findings of one project (findings are sorted by reading order)."""
    groups: list[list[dict]] = []
    last = object()
    for row in findings.to_dict("records"):
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


def _file_block(fr: FileResult, lang: str, width: int) -> list[RenderableType]:
    L = _labels(lang)
    if fr.error is not None:
        return [_hanging(L["unreadable"] + "  ", fr.error.message(lang), width, STYLES["error"])]
    out: list[RenderableType] = [_file_header(fr, lang, width)]
    if fr.findings.empty:
        out.append(Padding(Text(L["no_findings"], style="green"), (0, 0, 0, 2)))
    widths = _widths(fr.findings.to_dict("records"), lang)
    for group in _groups(fr.findings):
        out.append(Padding(_group_title(group[0], lang), (0, 0, 0, 2)))
        out.append(Padding(_findings_table(group, lang, 4, width, widths), (0, 0, 0, 4)))
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
    for i, fr in enumerate(result.files):
        if i:
            console.print()
        for part in _file_block(fr, lang, width):
            console.print(part)
    console.print()
    L, summary = _labels(lang), result.summary()
    footer = L["summary"].format(**summary) + (L["baselined"].format(**summary) if summary.get("baselined") else "")
    console.print(Text(footer, style="bold"))
    return _output(console)
