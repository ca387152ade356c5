"""The JSON report: a stable structure that other programs and tests read.

The shape is fixed by ``spec/output.md``: every key is always present, with
``null`` when unknown, so a consumer never has to test for a key.  Beyond the
spec each file carries ``rules`` (which rules ran, were skipped or failed),
so a reader can tell "no finding" from "not checked".
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from targetlint import __version__
from targetlint.result import FileResult, RunResult

#: Keys of one finding, in output order.
FINDING_KEYS: tuple[str, ...] = (
    "rule",
    "severity",
    "unit",
    "project_code",
    "project_name",
    "field",
    "location",
    "value",
    "message",
    "suggestion",
)

#: Keys of one file, in output order.
FILE_KEYS: tuple[str, ...] = (
    "path",
    "layout",
    "status",
    "error",
    "units",
    "projects",
    "indicators",
    "findings",
    "rules",
)


def _plain(value: Any) -> Any:
    """A findings cell as a JSON value: NaN/NA → null, numpy scalars → Python."""
    if value is None or type(value) is str:  # nearly every cell: no pandas call
        return value
    if not isinstance(value, (str, list, dict)) and pd.isna(value):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def _text(value: Any) -> str | None:
    value = _plain(value)
    return None if value is None or value == "" else str(value)


def finding(row: dict[str, Any], lang: str) -> dict[str, Any]:
    """One finding in the JSON shape."""
    out = {k: _text(row.get(k)) for k in FINDING_KEYS if k not in ("message", "suggestion")}
    out["message"] = _text(row.get(f"message_{lang}"))
    out["suggestion"] = _text(row.get(f"suggestion_{lang}"))
    return {k: out[k] for k in FINDING_KEYS}


def _records(findings: pd.DataFrame, lang: str) -> list[dict[str, Any]]:
    """The rows of ``findings`` as dicts of the columns a finding reads.

    ``DataFrame.to_dict("records")`` builds every column of every row through
    pandas' indexing, which costs more than the rest of the report; a list
    per column, zipped, gives the same Python values.
    """
    names = [k for k in FINDING_KEYS if k not in ("message", "suggestion")]
    names += [f"message_{lang}", f"suggestion_{lang}"]
    columns = [findings[k].tolist() if k in findings else [None] * len(findings) for k in names]
    return [dict(zip(names, values)) for values in zip(*columns)]


def file_entry(fr: FileResult, lang: str) -> dict[str, Any]:
    """One file in the JSON shape (an unreadable file has ``error`` and no findings)."""
    sub, status = fr.submission, fr.rule_status
    entry = {
        "path": fr.path,
        "layout": fr.layout,
        "status": fr.status,
        "error": fr.error.as_dict(lang) if fr.error else None,
        "units": list(sub.units) if sub is not None else None,
        "projects": len(sub.projects) if sub is not None else None,
        "indicators": len(sub.indicators) if sub is not None else None,
        "findings": [] if fr.error else [finding(r, lang) for r in _records(fr.findings, lang)],
        "rules": (
            {"ran": list(status.ran), "skipped": list(status.skipped), "failed": dict(status.failed)}
            if status is not None and fr.error is None
            else None
        ),
    }
    return {k: entry[k] for k in FILE_KEYS}


def report(result: RunResult, lang: str = "zh") -> dict[str, Any]:
    """The whole report as a plain dict."""
    return {
        "targetlint": __version__,
        "profile": result.profile,
        "files": [file_entry(fr, lang) for fr in result.files],
        "summary": result.summary(),
    }


def render(result: RunResult, lang: str = "zh") -> str:
    """The JSON report as text (UTF-8 friendly: Chinese is not escaped)."""
    return json.dumps(report(result, lang), ensure_ascii=False, indent=2) + "\n"
