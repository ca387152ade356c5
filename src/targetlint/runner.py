"""One ``targetlint check`` run: expand the inputs, check the files, collect a RunResult.

Each file goes load → schema findings + rule findings → :class:`FileResult`.
A file that cannot be read becomes a FileResult carrying its
:class:`~targetlint.errors.LoadError`, and the batch goes on: a reviewer
checking forty towns' workbooks must get thirty-nine reports when one
workbook is corrupt.

Files are checked in chunks: a chunk's files are read one by one, then the
rules run once over all of them (:func:`targetlint.engine.run_many`), which
costs a fraction of running every rule file by file.  With ``jobs > 1``
chunks go to worker processes; results come back in input order, so the
report is the same whatever the number of workers.  Which files a run
checks is decided in :mod:`targetlint.inputs` (:func:`expand`, also
reachable as ``runner.expand``).
"""

from __future__ import annotations

import dataclasses
import logging
import math
import os
from contextlib import contextmanager
from typing import Callable, Iterable, Iterator

import numpy as np
import pandas as pd

from targetlint import engine, load, schema
from targetlint import limits as limits_
from targetlint import findings as F
from targetlint import profile as profiles
from targetlint.errors import LoadError
from targetlint.inputs import expand
from targetlint.result import FileResult, RunResult
from targetlint.submission import Submission

log = logging.getLogger(__name__)

#: Most files one chunk holds: enough that a rule's fixed cost per call is
#: small beside its work, few enough that a chunk's frames stay small.
CHUNK_FILES = 48
#: A parallel run gives each worker at least this many chunks, so one that drew
#: slow files is balanced by the others taking more of the rest.
ROUNDS = 4
#: Below this many files a run stays in one process: starting workers costs more.
PARALLEL_MIN_FILES = 8
#: Environment variable choosing the xlsx value reader: ``calamine`` (default) or ``openpyxl``.
READER_ENV = "TARGETLINT_READER"


def jobs_for(jobs: int | None, n_files: int) -> int:
    """Worker processes for ``n_files``: ``jobs`` as asked (0 or None: one per CPU core), never more than useful."""
    if not jobs:
        jobs = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
        if n_files < PARALLEL_MIN_FILES:
            return 1
    return max(1, min(jobs, math.ceil(n_files / 2)))


def check_file(path: str, profile: profiles.Profile, layout: str | None = None, debug: bool = False) -> FileResult:
    """Check one file; a file that cannot be read gives a FileResult with ``error`` set.

    Args:
        path: the file.
        profile: the effective profile.
        layout: force a layout instead of detecting it.
        debug: re-raise unexpected exceptions instead of reporting them.
    """
    return check_chunk([path], profile, layout, debug)[0]


def check_chunk(paths: list[str], profile: profiles.Profile, layout: str | None = None, debug: bool = False,
                progress: Callable[[str], None] | None = None, slim: bool = False) -> list[FileResult]:
    """Check ``paths`` together: read each, then run the rules once over all readable ones.

    Every file gets the findings and rule status it gets when checked alone.
    ``progress`` is called with each path before it is read.  ``slim``: keep
    of each submission only what the batch rules and the reporters read
    (:func:`batch_view`).
    """
    results = []
    with reader(os.environ.get(READER_ENV)):
        for path in paths:
            if progress:
                progress(path)
            results.append(_load(path, layout, debug))
    readable = [r for r in results if r.submission is not None]
    subs = [r.submission for r in readable]
    checked = engine.run_many(subs, profile)
    structural = _validate(subs, debug)
    for r, (found, status), (struct, failure) in zip(readable, checked, structural):
        if failure:
            status.failed["TL000"] = failure
        parts = [p for p in (struct, found) if len(p)]
        # one part is sorted already (run_many sorts each file's findings)
        r.findings = F.sort(pd.concat(parts, ignore_index=True)) if len(parts) > 1 else parts[0] if parts else found
        r.rule_status = status
        if slim:
            r.submission = batch_view(r.submission, engine.batch_rules(profile))
    return results


def batch_view(sub: Submission, modules: list) -> Submission:
    """``sub`` with only what the batch rules and the reporters read, when every batch rule says what it reads.

    A batch rule module may declare ``READS = {"indicators": (fields…)}``; the
    projects frame is kept whole (it is small, and batch findings are stamped
    on it), the indicators are cut to their keys and the fields read, the
    department part is dropped unless read.  Reporters read only the units,
    the layout, project codes and names and the numbers of rows, which stay.
    A thousand files then hold a fifth of the memory they would.
    """
    reads = [getattr(m, "READS", None) for m in modules]
    if any(r is None for r in reads):
        return sub
    fields = {f for r in reads for f in r.get("indicators", ())}
    keep = [c for c in sub.indicators.columns if c in ("file", "project_key", "seq") or c in fields]
    department = sub.department if any("department" in r for r in reads) else sub.department.iloc[0:0].copy()
    # copies: a selection would be a view keeping the whole cell block alive
    return dataclasses.replace(sub, indicators=sub.indicators[keep].copy(), department=department)


def _load(path: str, layout: str | None, debug: bool) -> FileResult:
    if not os.path.exists(path):
        return FileResult(path, error=LoadError("not-found", path))
    try:
        return FileResult(path, submission=load.load_path(path, layout))
    except LoadError as exc:
        return FileResult(path, error=exc)
    except Exception as exc:  # noqa: BLE001 - an unreadable file must not stop the batch
        if debug:
            raise
        log.debug("reading %s failed", path, exc_info=True)
        return FileResult(path, error=LoadError("truncated", path, f"{type(exc).__name__}: {exc}"))


def _validate(subs: list[Submission], debug: bool) -> list[tuple[pd.DataFrame, str | None]]:
    """Structural findings per submission, and why validation itself failed (None if it ran).

    :func:`schema.sound` clears nearly every file in well under a millisecond;
    only the others are validated by the pandera models, one by one, so every
    file gets exactly its own findings.
    """
    return [(engine.empty(), None) if schema.sound(s) else _validate_one(s, debug) for s in subs]


def _validate_one(sub: Submission, debug: bool) -> tuple[pd.DataFrame, str | None]:
    try:
        return schema.validate(sub), None
    except Exception as exc:  # noqa: BLE001 - report honestly, keep the rule findings
        if debug:
            raise
        log.debug("schema validation of %s failed", sub.path, exc_info=True)
        return engine.empty(), f"{type(exc).__name__}: {exc}"


@contextmanager
def reader(name: str | None) -> Iterator[None]:
    """Read .xlsx values with ``name`` (``calamine``, the default, or ``openpyxl``) inside the block.

    The openpyxl reader exists to check that findings do not depend on the
    reader; calamine is several times faster.  Legacy .xls is always read by calamine.
    """
    if not name or name == "calamine":
        yield
        return
    if name != "openpyxl":
        raise ValueError(f"unknown reader {name!r} (calamine or openpyxl)")
    from targetlint.formats import xlsx_openpyxl

    saved = load._READERS["xlsx"]
    load._READERS["xlsx"] = xlsx_openpyxl.read
    try:
        yield
    finally:
        load._READERS["xlsx"] = saved


def check_paths(
    paths: Iterable[str],
    profile: profiles.Profile | str,
    layout: str | None = None,
    *,
    debug: bool = False,
    progress: Callable[[int, int, str], None] | None = None,
    jobs: int | None = 1,
    chunk_files: int = CHUNK_FILES,
    slim: bool = False,
    limits: limits_.Limits | None = None,
) -> RunResult:
    """Check every file under ``paths`` with ``profile``.

    Args:
        paths: files and folders, as given on the command line.
        profile: a loaded profile, or a profile name or path to load
            (raises :class:`~targetlint.profile.ProfileError`).
        layout: force a layout for every file.
        debug: re-raise unexpected exceptions instead of reporting them.
        progress: called as ``progress(done, total, path)``: in one process
            before each file is read (``done`` files checked before it), with
            workers as each chunk comes back (``path`` its last file).
        jobs: worker processes (1: this process only; 0 or None: one per core).
        chunk_files: most files checked together (1: each file alone).
        slim: keep of each file's submission only what the batch rules and
            the reporters read (:func:`batch_view`), as the command line does;
            the default keeps it whole.
        limits: the limits every file is read under, in this process and in
            the workers (default: :func:`targetlint.limits.current`).
    """
    prof = profiles.load(profile) if isinstance(profile, str) else profile
    files = expand(paths)
    n, workers = len(files), jobs_for(jobs, len(files))
    chunks = _chunks(files, workers, chunk_files)
    lim = limits or limits_.current()
    results: list[FileResult] = []
    if workers == 1:
        done = iter(range(n))
        say = (lambda path: progress(next(done), n, path)) if progress else None
        with limits_.use(lim):
            for chunk in chunks:
                results += check_chunk(chunk, prof, layout, debug, say, slim)
    else:
        results = _parallel(chunks, prof, layout, debug, workers, progress, slim, lim)
    _check_batch(results, prof)
    return RunResult(files=results, profile=prof.name)


def _chunks(files: list[str], workers: int, chunk_files: int) -> list[list[str]]:
    """Consecutive runs of files, each checked as one (:func:`check_chunk`).

    In one process, chunks of ``chunk_files``.  With workers, a multiple of
    the number of workers of equal sizes (within one file), at most
    ``chunk_files`` each: with 1,000 files and two workers, 22 chunks of 45 or
    46, not 20 of 48 and one of 40 that one worker would check alone at the end.
    """
    n = len(files)
    size = max(1, chunk_files)
    if workers == 1 or n == 0:
        return [files[i : i + size] for i in range(0, n, size)]
    count = min(n, workers * max(ROUNDS, math.ceil(n / (workers * size))))
    bounds = [i * n // count for i in range(count + 1)]
    return [files[a:b] for a, b in zip(bounds, bounds[1:])]


def _parallel(chunks: list[list[str]], prof: profiles.Profile, layout: str | None, debug: bool, workers: int,
              progress: Callable[[int, int, str], None] | None, slim: bool,
              lim: limits_.Limits) -> list[FileResult]:
    """Chunks checked in ``workers`` processes; results in input order, whatever order they finish in."""
    from concurrent.futures import ProcessPoolExecutor  # only a parallel run needs it

    n = sum(map(len, chunks))
    results: list[FileResult] = []
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(_work, chunk, prof, layout, debug, slim, lim) for chunk in chunks]
        for chunk, future in zip(chunks, futures):
            results += [_unpack(r) for r in future.result()]
            if progress:
                progress(len(results), n, chunk[-1])
    return results


def _work(paths: list[str], prof: profiles.Profile, layout: str | None, debug: bool, slim: bool,
          lim: limits_.Limits) -> list[FileResult]:
    """A worker's task: one chunk under the run's limits (passed, not inherited), its load errors made picklable."""
    with limits_.use(lim):
        return [_pack(r) for r in check_chunk(paths, prof, layout, debug, slim=slim)]


def _pack(r: FileResult) -> FileResult:
    # LoadError's constructor takes (code, path, …), not its message: pickle its state instead.
    if r.error is not None:
        r.error = _ErrorState(type(r.error), r.error.args, dict(r.error.__dict__))  # type: ignore[assignment]
    return r


def _unpack(r: FileResult) -> FileResult:
    state = r.error
    if isinstance(state, _ErrorState):
        error = state.cls.__new__(state.cls)
        Exception.__init__(error, *state.args)
        error.__dict__.update(state.attrs)
        r.error = error
    return r


class _ErrorState:
    def __init__(self, cls: type, args: tuple, attrs: dict):
        self.cls, self.args, self.attrs = cls, args, attrs


def _check_batch(results: list[FileResult], profile: profiles.Profile) -> None:
    """Rules across files (e.g. targets copied between units): findings go back to their own file."""
    readable = [r for r in results if r.submission is not None]
    if len(readable) < 2:
        return
    batch = Submission.concat([r.submission for r in readable])
    found, status = engine.run(batch, profile, scope="batch")
    by_file = engine.split(found, batch)
    touched = [r for r in readable if r.path in by_file]
    for r, merged in zip(touched, _merge_sorted([(r.findings, by_file[r.path]) for r in touched])):
        r.findings = merged
    for r in readable:
        r.rule_status.ran.extend(status.ran)
        r.rule_status.failed.update(status.failed)


def _merge_sorted(pairs: list[tuple[pd.DataFrame, pd.DataFrame]]) -> list[pd.DataFrame]:
    """``F.sort(pd.concat([a, b], ignore_index=True))`` of each pair, computed for all pairs at once.

    Concatenating and sorting file by file costs over a millisecond a file,
    which a big run pays after its workers have finished.  Here every pair is
    concatenated into one frame (``a`` before ``b``, pair after pair) and
    sorted once, stably, by the pair's number and then the sort keys: each
    pair comes out in exactly the order sorting it alone gives, as one run
    of rows.  A pair whose column types differ from the whole's (where its
    own concatenation could type a column otherwise) is concatenated alone;
    keys that do not compare fall back to sorting file by file.
    """
    if not pairs:
        return []
    sizes = [len(a) + len(b) for a, b in pairs]
    try:
        whole = pd.concat([frame for pair in pairs for frame in pair], ignore_index=True)
        whole.insert(0, "_pair", np.repeat(np.arange(len(pairs)), sizes))
        whole = whole.sort_values(["_pair", *F.SORT_KEYS], kind="stable", na_position="first").drop(columns="_pair")
    except TypeError:
        log.debug("sort keys of different files do not compare; sorting file by file", exc_info=True)
        return [F.sort(pd.concat(pair, ignore_index=True)) for pair in pairs]
    shape = (list(whole.columns), whole.dtypes.tolist())
    starts = np.cumsum([0, *sizes])
    out = []
    for (a, b), start, end in zip(pairs, starts, starts[1:]):
        if all((list(f.columns), f.dtypes.tolist()) == shape for f in (a, b)):
            out.append(whole.iloc[start:end].reset_index(drop=True))
        else:
            out.append(F.sort(pd.concat([a, b], ignore_index=True)))
    return out


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
        except Exception:  # noqa: BLE001 - example findings must not crash on a broken example
            log.debug("example %s of %s failed", kind, rule.code, exc_info=True)
    return out
