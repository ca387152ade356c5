"""Reporters: pure ``render(result, lang, …) -> str | bytes``; the CLI writes the output.

Reporters read only the findings and the submissions of a
:class:`~targetlint.result.RunResult`, never a format or a layout.  One
exception, by design: the annotated workbook (``xlsx``) copies the input
workbook it annotates, reading its bytes from ``FileResult.path``.
"""

from __future__ import annotations

import importlib
import os
from types import ModuleType
from typing import Any, Callable

from targetlint.result import RunResult

#: Module of each output format, loaded only when that format is asked for:
#: the xlsx reporter pulls in openpyxl and the HTML one jinja2, which a
#: terminal report of one file should not pay for at start-up.
MODULES: dict[str, str] = {
    "text": "text",
    "json": "json_report",
    "html": "html",
    "xlsx": "xlsx_report",
    "csv": "csv_report",
}


class _Renderer:
    """``render(result, lang, **options)`` of a format, importing its module on first call."""

    def __init__(self, module: str) -> None:
        self.module = module

    def __call__(self, result: RunResult, lang: str = "zh", **options: Any) -> str | bytes:
        return _module(self.module).render(result, lang=lang, **options)

    def __repr__(self) -> str:
        return f"<render of targetlint.reporters.{self.module}>"


def _module(name: str) -> ModuleType:
    return importlib.import_module(f"{__name__}.{name}")


def __getattr__(name: str) -> ModuleType:
    """``reporters.html``, ``reporters.xlsx_report`` …: a reporter module, imported when first used."""
    if name in MODULES.values() or name in ("catalog", "_charts"):
        return _module(name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


#: Output formats by name, each ``render(result, lang, **options)``.
FORMATS: dict[str, Callable[..., str | bytes]] = {fmt: _Renderer(mod) for fmt, mod in MODULES.items()}

#: Formats that render to bytes (written as they are, never re-encoded).
BINARY: frozenset[str] = frozenset({"xlsx", "csv"})

#: Options only some formats take: colour and width for the terminal, the
#: profile's ``settings`` (grade thresholds) for the reports that show grades.
_OPTIONS: dict[str, tuple[str, ...]] = {
    "text": ("color", "width"),
    "html": ("settings",),
    "xlsx": ("settings",),
}

#: Output file extensions → format, for ``-o report.html`` without a ``fmt:`` prefix.
EXTENSIONS: dict[str, str] = {
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".xlsx": "xlsx",
    ".csv": "csv",
    ".txt": "text",
}


def render(fmt: str, result: RunResult, lang: str = "zh", **options) -> str | bytes:
    """Render ``result`` in format ``fmt``; options a format does not take are dropped.

    Args:
        fmt: a key of :data:`FORMATS`.
        result: the run.
        lang: ``zh`` or ``en``.
        options: ``color``, ``width`` (text); ``settings`` (html, xlsx: the profile's settings).
    """
    allowed = _OPTIONS.get(fmt, ())
    kept = {k: v for k, v in options.items() if k in allowed}
    return FORMATS[fmt](result, lang=lang, **kept)


def parse_output(spec: str) -> tuple[str | None, str]:
    """Split an ``-o`` value into (format, path).

    ``html:report.html`` → ``("html", "report.html")``; a bare path gets its
    format from its extension (``审核意见.xlsx`` → ``xlsx``), or None when the
    extension says nothing (the caller falls back to ``--format``).  A
    prefix that is not a format name is part of the path (``C:\\out\\r.html``).
    """
    head, sep, tail = spec.partition(":")
    if sep and head.lower() in FORMATS and tail:
        return head.lower(), tail
    return EXTENSIONS.get(os.path.splitext(spec)[1].lower()), spec
