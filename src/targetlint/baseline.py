"""Baselines: hide the findings a reviewer has already accepted.

``targetlint check … --write-baseline accepted.json`` records every finding
of a run; ``--baseline accepted.json`` on a later run hides those findings,
reports only the others, and counts the hidden ones as ``baselined`` in the
summary.

A finding is recognised by a fingerprint that survives unrelated edits:

* who submitted it: the budget unit, or the file name without its folders
  when the layout names no unit — reviewers move folders, and units resubmit
  under new file names;
* the project: its code, or its name when it has none;
* the rule and the field;
* the offending value, normalised (NFKC, whitespace removed), so that
  full-width/half-width and spacing edits do not bring a finding back.

The cell location is not part of it: inserting a row moves every cell below.
Identical findings (one sentence pasted into two rows of a project) are
counted: a baseline that accepted two of them hides two, and a third copy
is reported.  A finding whose value changes is new and is reported.
"""

from __future__ import annotations

import json
import os
import unicodedata
from collections import Counter
from pathlib import PurePath
from typing import Any

import pandas as pd

from targetlint import __version__
from targetlint.result import RunResult

#: Format version, the value of the ``targetlint_baseline`` key.
VERSION = 1
#: Keys of one baseline entry, in output order (``count`` last).
ENTRY_KEYS = ("file", "unit", "project", "rule", "field", "value")

Key = tuple[Any, ...]


class BaselineError(Exception):
    """A baseline file that cannot be used; the message names the file."""


def _text(value: Any) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)) or value == "":
        return None
    return str(value)


def _norm(value: Any) -> str | None:
    text = _text(value)
    if text is None:
        return None
    # the shortening mark first: NFKC turns "…" into "..."
    text = unicodedata.normalize("NFKC", text.rstrip("…"))
    return "".join(text.split())


def _file_label(path: str) -> str:
    """The file as given, relative to the working folder where possible, with forward slashes."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        rel = path
    return PurePath(rel).as_posix()


def _entry(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "file": _file_label(str(row["file"])),
        "unit": _text(row["unit"]),
        "project": _text(row["project_code"]) or _text(row["project_name"]),
        "rule": str(row["rule"]),
        "field": _text(row["field"]),
        "value": _text(row["value"]),
    }


def key(entry: dict[str, Any]) -> Key:
    """The fingerprint of a baseline entry (or of :func:`_entry` of a finding)."""
    owner = _norm(entry.get("unit")) or PurePath(str(entry.get("file") or "")).name
    return (owner, _norm(entry.get("project")), entry.get("rule"), entry.get("field"), _norm(entry.get("value")))


def entries(result: RunResult) -> list[dict[str, Any]]:
    """One entry per distinct finding of ``result`` with its ``count``, in report order."""
    counts: Counter = Counter()
    for fr in result.files:
        for row in fr.findings.to_dict("records"):
            counts[tuple(_entry(row).items())] += 1
    return [{**dict(items), "count": n} for items, n in counts.items()]


def dumps(result: RunResult) -> str:
    """The baseline file of ``result`` (deterministic: no date, findings in report order)."""
    # one entry a line: compact, and a re-recorded baseline diffs line by line
    rows = ",\n".join("  " + json.dumps(e, ensure_ascii=False) for e in entries(result))
    head = json.dumps({"targetlint_baseline": VERSION, "targetlint": __version__}, ensure_ascii=False)[:-1]
    return f'{head}, "findings": [\n{rows}\n]}}\n' if rows else f'{head}, "findings": []}}\n'


def _fail(path: str, zh: str, en: str) -> BaselineError:
    return BaselineError(f"基线文件 {path}: {zh} / baseline {path}: {en}")


def load(path: str) -> Counter:
    """Read a baseline file: how many findings of each fingerprint are accepted.

    Raises:
        BaselineError: the file is missing, not JSON, or not a baseline.
    """
    try:
        with open(path, encoding="utf-8-sig") as fh:
            doc = json.load(fh)
    except FileNotFoundError as exc:
        raise _fail(path, "文件不存在", "file not found") from exc
    except OSError as exc:
        raise _fail(path, f"无法读取（{exc.strerror or exc}）", "cannot be read") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _fail(path, f"不是有效的 JSON（{exc}）", f"not valid JSON ({exc})") from exc
    if not isinstance(doc, dict) or doc.get("targetlint_baseline") != VERSION or not isinstance(doc.get("findings"), list):
        raise _fail(path, f"不是 targetlint 基线文件（版本 {VERSION}）", f"not a targetlint baseline (version {VERSION})")
    accepted: Counter = Counter()
    for i, item in enumerate(doc["findings"]):
        count = item.get("count", 1) if isinstance(item, dict) else None
        if not isinstance(item, dict) or not isinstance(item.get("rule"), str) or not _count_ok(count):
            raise _fail(path, f"第 {i + 1} 条记录无效", f"entry {i + 1} is invalid")
        accepted[key(item)] += count
    return accepted


def _count_ok(count: Any) -> bool:
    return isinstance(count, int) and not isinstance(count, bool) and count > 0


def apply(result: RunResult, accepted: Counter) -> int:
    """Hide from ``result`` the findings ``accepted`` holds; return how many were hidden.

    Each file's ``findings`` loses the hidden rows and its ``baselined``
    counts them.  Of identical findings, the first in report order are hidden.
    """
    left = Counter(accepted)
    hidden = 0
    for fr in result.files:
        if not len(fr.findings):
            continue
        keep = []
        for row in fr.findings.to_dict("records"):
            k = key(_entry(row))
            keep.append(left[k] <= 0)
            left[k] -= 0 if keep[-1] else 1
        fr.baselined = keep.count(False)
        fr.findings = fr.findings[keep].reset_index(drop=True)
        hidden += fr.baselined
    return hidden
