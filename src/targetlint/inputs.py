"""The files a run checks: files as given, folders searched, patterns matched.

A reviewer names a folder of towns' workbooks (``各镇/``), a few files, or a
pattern (``各镇/*.xlsx``); what they hold besides submissions — Office lock
files, hidden folders, the annotated copies targetlint wrote last time,
other documents — is left out, and the order is fixed, so two runs over the
same folder give the same report.
"""

from __future__ import annotations

import glob
import os
from pathlib import Path
from typing import Iterable

#: File types a folder is searched for (an explicitly named file is always tried).
SUFFIXES: tuple[str, ...] = (".xlsx", ".xlsm", ".xls", ".docx", ".txt")

#: Suffixes of the annotated copies ``--annotate`` writes beside each input.
ANNOTATED_SUFFIXES: tuple[str, ...] = (".审核意见.xlsx", ".review.xlsx")


def _skipped(name: str) -> bool:
    """Hidden files, Office lock files (``~$开元镇.xlsx``) and our own annotated copies are never submissions."""
    return name.startswith(".") or name.startswith("~$") or name.endswith(ANNOTATED_SUFFIXES)


def _scan(folder: Path) -> list[str]:
    """Candidate files under ``folder``, recursively, in a deterministic order."""
    found = []
    for root, dirs, files in os.walk(folder):
        # Prune hidden folders (.git, .venv …) in place so os.walk does not descend.
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            if not _skipped(name) and name.lower().endswith(SUFFIXES):
                found.append(Path(root, name))
    # Sort by path components, so "a/b.xlsx" and "a b.xlsx" order the same everywhere.
    return [str(p) for p in sorted(found, key=lambda p: p.parts)]


def expand(paths: Iterable[str]) -> list[str]:
    """The files a run checks: files as given, folders searched recursively, patterns matched.

    Inputs keep the order they were given in; a file named twice is checked
    once; a path that does not exist is kept (it is reported as ``not-found``).
    A path that does not exist but holds ``*``, ``?`` or ``[`` is a pattern
    (``各镇/*.xlsx``, ``**/*.xlsx``): Windows' cmd passes it on unexpanded.  Its
    matches are taken as a folder's files are — submissions only, lock files
    and our annotated copies left out — and a pattern matching nothing is kept
    as it is, to be reported as not found.
    """
    out: list[str] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out.extend(_scan(path))
        elif not path.exists() and any(c in raw for c in "*?["):
            out.extend(_matches(raw) or [str(raw)])
        else:
            out.append(str(raw))
    return list(dict.fromkeys(out))


def _matches(pattern: str) -> list[str]:
    """Submissions matching a glob ``pattern`` (folders matched are searched), in a deterministic order."""
    found: list[str] = []
    for match in sorted((Path(m) for m in glob.glob(pattern, recursive=True)), key=lambda p: p.parts):
        if match.is_dir():
            found.extend(_scan(match))
        elif not _skipped(match.name) and match.name.lower().endswith(SUFFIXES):
            found.append(str(match))
    return found
