"""The CSV report: one row a finding, for Excel and for scripts.

Encoded UTF-8 *with* a byte-order mark and CRLF line ends, because Excel on
a Chinese Windows opens a BOM-less CSV as GBK and shows mojibake.

A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return is prefixed with a single quote ``'``, following OWASP's advice on CSV
injection: Excel would otherwise run ``=HYPERLINK(…)`` typed by a unit as a
formula on the reviewer's machine.  The price is a visible ``'`` before
such texts (``'-5%``); a script reading the CSV strips a leading ``'`` when
the next character is one of those.

A file that could not be read gives one row with its load-error message,
severity ``error`` and no rule, so a batch in Excel shows it too.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import pandas as pd

from targetlint.result import RunResult
from targetlint.rule import Severity
from targetlint.submission import field_label

#: (key, zh header, en header)
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("file", "文件", "file"),
    ("unit", "单位", "unit"),
    ("project_code", "项目编码", "project_code"),
    ("project_name", "项目名称", "project_name"),
    ("rule", "规则", "rule"),
    ("severity", "级别", "severity"),
    ("field", "字段", "field"),
    ("location", "位置", "location"),
    ("value", "原文", "value"),
    ("message", "问题", "message"),
    ("suggestion", "建议", "suggestion"),
)

#: Leading characters a spreadsheet reads as the start of a formula (OWASP CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _s(value: Any) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)


def defuse(text: str) -> str:
    """``=1+1`` → ``'=1+1``: never let a cell start like a formula."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _rows(result: RunResult, lang: str):
    for fr in result.files:
        if fr.error is not None:
            yield {"file": fr.path, "severity": Severity.ERROR.label(lang), "message": fr.error.message(lang)}
            continue
        for row in fr.findings.to_dict("records"):
            field = _s(row["field"])
            yield {
                "file": _s(row["file"]) or fr.path,
                "unit": _s(row["unit"]),
                "project_code": _s(row["project_code"]),
                "project_name": _s(row["project_name"]),
                "rule": _s(row["rule"]),
                "severity": Severity(row["severity"]).label(lang),
                "field": field_label(field, lang) if field and lang == "zh" else field,
                "location": _s(row["location"]),
                "value": _s(row["value"]),
                "message": _s(row[f"message_{lang}"]),
                "suggestion": _s(row[f"suggestion_{lang}"]),
            }


def render(result: RunResult, lang: str = "zh") -> bytes:
    """The CSV report as bytes: UTF-8 with BOM, CRLF, headers in ``lang``."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([zh if lang == "zh" else en for _, zh, en in COLUMNS])
    for row in _rows(result, lang):
        writer.writerow([defuse(_s(row.get(key))) for key, _, _ in COLUMNS])
    return buf.getvalue().encode("utf-8-sig")
