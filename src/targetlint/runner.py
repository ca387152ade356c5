"""One ``targetlint check`` run: expand the inputs, check each file, collect a RunResult.

Each file goes load → schema findings + rule findings → :class:`FileResult`.
A file that cannot be read becomes a FileResult carrying its
:class:`~targetlint.errors.LoadError`, and the batch goes on: a reviewer
checking forty towns' workbooks must get thirty-nine reports when one
workbook is corrupt.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Callable, Iterable

import pandas as pd

from targetlint import engine, load, schema
from targetlint import findings as F
from targetlint import profile as profiles
from targetlint.errors import LoadError
from targetlint.result import FileResult, RunResult
from targetlint.submission import Submission

log = logging.getLogger(__name__)

#: File types a folder is searched for (an explicitly named file is always tried).
SUFFIXES: tuple[str, ...] = (".xlsx", ".xlsm", ".xls", ".docx", ".txt")

_PROGRESS = {"zh": "检查 {i}/{n}: {path}", "en": "checking {i}/{n}: {path}"}


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
    """The files a run checks: files as given, folders searched recursively.

    Inputs keep the order they were given in; a file named twice is checked
    once; a path that does not exist is kept (it is reported as ``not-found``).
    """
    out: list[str] = []
    for raw in paths:
        path = Path(raw)
        out.extend(_scan(path) if path.is_dir() else [str(raw)])
    return list(dict.fromkeys(out))


def check_file(path: str, profile: profiles.Profile, layout: str | None = None, debug: bool = False) -> FileResult:
    """Check one file; a file that cannot be read gives a FileResult with ``error`` set.

    Args:
        path: the file.
        profile: the effective profile.
        layout: force a layout instead of detecting it.
        debug: re-raise unexpected exceptions instead of reporting them.
    """
    if not os.path.exists(path):
        return FileResult(path, error=LoadError("not-found", path))
    try:
        sub = load.load_path(path, layout)
    except LoadError as exc:
        return FileResult(path, error=exc)
    except Exception as exc:  # noqa: BLE001 - an unreadable file must not stop the batch
        if debug:
            raise
        log.debug("reading %s failed", path, exc_info=True)
        return FileResult(path, error=LoadError("truncated", path, f"{type(exc).__name__}: {exc}"))
    found, status = engine.run(sub, profile)
    try:
        structural = schema.validate(sub)
    except Exception as exc:  # noqa: BLE001 - report honestly, keep the rule findings
        if debug:
            raise
        log.debug("schema validation of %s failed", path, exc_info=True)
        status.failed["TL000"] = f"{type(exc).__name__}: {exc}"
        structural = F.empty()
    parts = [p for p in (structural, found) if len(p)]
    merged = F.sort(pd.concat(parts, ignore_index=True)) if parts else F.empty()
    return FileResult(path, submission=sub, findings=merged, rule_status=status)


def check_paths(
    paths: Iterable[str],
    profile: profiles.Profile | str,
    layout: str | None = None,
    lang: str = "zh",
    *,
    debug: bool = False,
    progress: Callable[[str], None] | None = None,
) -> RunResult:
    """Check every file under ``paths`` with ``profile``.

    Args:
        paths: files and folders, as given on the command line.
        profile: a loaded profile, or a profile name or path to load
            (raises :class:`~targetlint.profile.ProfileError`).
        layout: force a layout for every file.
        lang: language of the progress messages.
        debug: re-raise unexpected exceptions instead of reporting them.
        progress: called with one message before each file is checked.
    """
    prof = profiles.load(profile) if isinstance(profile, str) else profile
    files = expand(paths)
    results = []
    for i, path in enumerate(files, 1):
        if progress:
            progress(_PROGRESS.get(lang, _PROGRESS["en"]).format(i=i, n=len(files), path=path))
        results.append(check_file(path, prof, layout, debug))
    _check_batch(results, prof)
    return RunResult(files=results, profile=prof.name)


def _check_batch(results: list[FileResult], profile: profiles.Profile) -> None:
    """Rules across files (e.g. targets copied between units): findings go back to their own file."""
    readable = [r for r in results if r.submission is not None]
    if len(readable) < 2:
        return
    batch = Submission.concat([r.submission for r in readable])
    found, status = engine.run(batch, profile, scope="batch")
    for r in readable:
        mine = found[found["file"] == r.path]
        if len(mine):
            r.findings = F.sort(pd.concat([r.findings, mine], ignore_index=True))
        r.rule_status.ran.extend(status.ran)
        r.rule_status.failed.update(status.failed)


def example_findings(module, profile: profiles.Profile) -> dict[str, pd.DataFrame]:
    """Findings of a rule's ``bad`` and ``good`` examples under ``profile`` (for ``explain``).

    An example the rule cannot run on gives no entry rather than an error:
    ``explain`` must work even for a rule under construction.
    """
    from targetlint import casebook

    out: dict[str, pd.DataFrame] = {}
    rule = module.RULE
    for kind in ("bad", "good"):
        case = getattr(rule, kind)
        if not case:
            continue
        try:
            sub = casebook.build(case, path=f"{rule.code}-{kind}")
            hits = module.check(sub, profile.params(rule.code))
            out[kind] = engine.stamp(rule, hits, sub, profile.severity(rule.code))
        except Exception:  # noqa: BLE001 - documentation must not crash on a broken example
            log.debug("example %s of %s failed", kind, rule.code, exc_info=True)
    return out
