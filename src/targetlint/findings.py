"""The findings frame: one tidy DataFrame with fixed columns, in a fixed order."""

from __future__ import annotations

import pandas as pd

from targetlint.rule import Severity

#: Columns of every findings frame, in order.
COLUMNS: tuple[str, ...] = (
    "file",
    "unit",
    "project_key",
    "project_code",
    "project_name",
    "rule",
    "rule_name",
    "severity",
    "field",
    "location",
    "value",
    "message_zh",
    "message_en",
    "suggestion_zh",
    "suggestion_en",
    # sort keys: department/file level first (-1), then projects and rows in reading order
    "project_seq",
    "row_seq",
    "field_seq",
)

SORT_KEYS = ["project_seq", "row_seq", "field_seq", "rule", "location"]

#: Maximum characters of an offending value carried in a finding.
VALUE_WIDTH = 60


def empty() -> pd.DataFrame:
    """A findings frame with no rows."""
    return pd.DataFrame({c: pd.Series(dtype="object") for c in COLUMNS})


def shorten(text: str | None, width: int = VALUE_WIDTH) -> str | None:
    """Shorten a cell text for display, marking the cut with ``…``."""
    if text is None:
        return None
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def sort(findings: pd.DataFrame) -> pd.DataFrame:
    """Deterministic order: reading order of the document, then rule code."""
    if findings.empty:
        return findings.reset_index(drop=True)
    return findings.sort_values(SORT_KEYS, kind="stable", na_position="first").reset_index(drop=True)


def counts(findings: pd.DataFrame) -> dict[str, int]:
    """Number of findings per severity, every severity present."""
    vc = findings["severity"].value_counts() if len(findings) else {}
    return {s.value: int(vc.get(s.value, 0)) for s in Severity}


def message(row: pd.Series | dict, lang: str) -> str:
    return row[f"message_{lang}"]


def suggestion(row: pd.Series | dict, lang: str) -> str | None:
    value = row[f"suggestion_{lang}"]
    return value if isinstance(value, str) and value else None
