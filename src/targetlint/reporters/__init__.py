"""Reporters: pure ``render(result, lang, …) -> str | bytes``; the CLI writes the output.

Reporters read only the findings and the submissions of a
:class:`~targetlint.result.RunResult`, never a file, a format or a layout.
"""

from __future__ import annotations

from typing import Callable

from targetlint.reporters import json_report, text
from targetlint.result import RunResult

#: Output formats by name, each ``render(result, lang, **options)``.
FORMATS: dict[str, Callable[..., str | bytes]] = {
    "text": text.render,
    "json": json_report.render,
}

#: Options only some formats take (the terminal ones).
_TERMINAL_OPTIONS = {"text": ("color", "width")}


def render(fmt: str, result: RunResult, lang: str = "zh", **options) -> str | bytes:
    """Render ``result`` in format ``fmt``; options a format does not take are dropped.

    Args:
        fmt: a key of :data:`FORMATS`.
        result: the run.
        lang: ``zh`` or ``en``.
        options: ``color``, ``width`` (text only).
    """
    allowed = _TERMINAL_OPTIONS.get(fmt, ())
    kept = {k: v for k, v in options.items() if k in allowed}
    return FORMATS[fmt](result, lang=lang, **kept)
