"""Run the profile's rules over Submissions and collect findings frames.

:func:`run` checks one submission.  :func:`run_many` checks several files as
one: files whose layouts give the same rules to run are concatenated
(:meth:`Submission.concat`), every rule runs once over the concatenation, and
the findings are split back to their files.  A rule costs a fixed overhead per
call (pandas, regex compilation) that one call over a thousand projects pays
once instead of per file.  Rules see each row's own file through the ``file``
column, :meth:`Submission.year_of` and :meth:`Submission.first_unit`, so every
file gets exactly the findings and rule status it gets when checked alone.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import pandas as pd

from targetlint import findings as F
from targetlint.profile import Profile
from targetlint.rule import Rule
from targetlint.rules._memo import session
from targetlint.submission import FIELD_ORDER, Submission, field_label

log = logging.getLogger(__name__)


@dataclass
class RuleStatus:
    """Which rules ran on a file, which were skipped, which failed."""

    ran: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)


def _rules(profile: Profile, scope: str) -> list[ModuleType]:
    return [m for m in profile.modules() if m.RULE.scope == scope]


def batch_rules(profile: Profile) -> list[ModuleType]:
    """The enabled rules checked once over every file of a run."""
    return _rules(profile, "batch")


def _skipped(sub: Submission, modules: list[ModuleType]) -> tuple[str, ...]:
    """Codes of the rules needing a field the layout lacks (absent is not empty: skip, never "missing")."""
    has = _fields_present(sub, {f for m in modules for f in m.RULE.needs})
    return tuple(m.RULE.code for m in modules if not all(has[f] for f in m.RULE.needs))


def _fields_present(sub: Submission, names: set[str]) -> dict[str, bool]:
    """:meth:`Submission.has_field` of each name, one look at each frame (fields hold text or None)."""
    has: dict[str, bool] = {}
    for df in (sub.projects, sub.indicators, sub.department):
        cols = [f for f in names if f in df.columns and f not in has]
        if cols:
            has.update(zip(cols, pd.notna(df[cols].to_numpy(dtype=object)).any(axis=0).tolist()))
    return {f: has.get(f, False) for f in names}


_EMPTY: list[pd.DataFrame] = []


def empty() -> pd.DataFrame:
    """An empty findings frame (:func:`targetlint.findings.empty`, built once and copied: building is slow)."""
    if not _EMPTY:
        _EMPTY.append(F.empty())
    return _EMPTY[0].copy()


@session()  # the rules of a run share each column's distinct values
def run(sub: Submission, profile: Profile, scope: str = "file") -> tuple[pd.DataFrame, RuleStatus]:
    """Check ``sub`` with every rule of ``scope`` the profile enables.

    A rule needing a field the layout lacks is skipped; a rule that raises
    is recorded as failed and never stops the others.  ``scope="batch"``
    runs the rules that look across files, on :meth:`Submission.concat` of a run.
    """
    modules = _rules(profile, scope)
    skipped = set(_skipped(sub, modules))
    status = RuleStatus()
    info = _Info(sub)
    parts = []
    for module in modules:
        rule: Rule = module.RULE
        if rule.code in skipped:
            status.skipped.append(rule.code)
            continue
        try:
            parts.append(_check(module, sub, profile, info))
        except Exception as exc:  # noqa: BLE001 - one rule's bug must not stop the run
            log.debug("rule %s failed on %s", rule.code, sub.path, exc_info=True)
            status.failed[rule.code] = f"{type(exc).__name__}: {exc}"
            continue
        status.ran.append(rule.code)
    return _merge(parts), status


def run_many(subs: list[Submission], profile: Profile) -> list[tuple[pd.DataFrame, RuleStatus]]:
    """:func:`run` of each submission (file scope), computed over concatenations of them.

    Files are grouped by the rules their layout skips, so a rule runs on a
    group only if it runs on each of its files.  A rule raising on a group is
    run again file by file, so only the files it really fails on record it as
    failed.  Files carrying per-location notes (``hidden_locs``,
    ``formula_cells``, keyed by cell address, which repeats across files) are
    checked alone.

    Returns:
        (findings, status) per submission, in the order given.
    """
    modules = _rules(profile, "file")
    out: list[Any] = [None] * len(subs)
    groups: dict[tuple[str, ...], list[int]] = {}
    for i, sub in enumerate(subs):
        if checked_alone(sub):
            out[i] = run(sub, profile)
        else:
            groups.setdefault(_skipped(sub, modules), []).append(i)
    for skipped, members in groups.items():
        if len(members) == 1:
            out[members[0]] = run(subs[members[0]], profile)
            continue
        part = [subs[i] for i in members]
        for i, result in zip(members, _run_group(part, profile, modules, set(skipped))):
            out[i] = result
    return out


def checked_alone(sub: Submission) -> bool:
    """Whether ``sub`` must be checked on its own, not within a concatenation.

    Notes keyed by cell address (``hidden_locs``, ``formula_cells``) would
    match other files' cells once concatenated, and a submission whose rows
    name another file than its path could not be given its findings back.
    """
    if getattr(sub, "hidden_locs", None) or getattr(sub, "formula_cells", None) or sub.key_offsets:
        return True
    return any(len(df) and not (df["file"].to_numpy(dtype=object) == sub.path).all()
               for df in (sub.projects, sub.indicators, sub.department))


def split(found: pd.DataFrame, batch: Submission) -> dict[str, pd.DataFrame]:
    """Findings of a concatenation by file, with each file's own project keys."""
    if found.empty:
        return {}
    out = {}
    for path, part in found.groupby("file", sort=False):
        offset = batch.key_offsets.get(path, 0)
        keys = [None if k is None else k - offset for k in part["project_key"]]
        out[path] = part.assign(project_key=pd.Series(keys, index=part.index, dtype=object))
    return out


@session()  # the rules of a run share each column's distinct values
def _run_group(subs: list[Submission], profile: Profile, modules: list[ModuleType],
               skipped: set[str]) -> list[tuple[pd.DataFrame, RuleStatus]]:
    batch = Submission.concat(subs)
    info = _Info(batch)
    statuses = [RuleStatus() for _ in subs]
    found: list[pd.DataFrame | None] = []
    alone: list[list[pd.DataFrame | None]] = [[] for _ in subs]
    for module in modules:
        code = module.RULE.code
        if code in skipped:
            for s in statuses:
                s.skipped.append(code)
            continue
        try:
            found.append(_check(module, batch, profile, info))
            for s in statuses:
                s.ran.append(code)
            continue
        except Exception:  # noqa: BLE001 - find out file by file which files it fails on
            log.debug("rule %s failed on a group of %d files; rerun per file", code, len(subs), exc_info=True)
        for k, sub in enumerate(subs):
            try:
                alone[k].append(_check(module, sub, profile, _Info(sub)))
                statuses[k].ran.append(code)
            except Exception as exc:  # noqa: BLE001 - one rule's bug must not stop the run
                log.debug("rule %s failed on %s", code, sub.path, exc_info=True)
                statuses[k].failed[code] = f"{type(exc).__name__}: {exc}"
    found = [p for p in found if p is not None and not p.empty]
    # one sort of the group's findings, split by file: a sort per file would cost more than the rules
    by_file = F.split_sorted(pd.concat(found, ignore_index=True) if found else empty(), [s.path for s in subs], batch.key_offsets)
    return [(_merge([by_file.get(sub.path)], *alone[k]) if alone[k] else by_file.get(sub.path, empty()), statuses[k])
            for k, sub in enumerate(subs)]


def _merge(parts: list[pd.DataFrame | None], *more: pd.DataFrame | None) -> pd.DataFrame:
    parts = [p for p in (*parts, *more) if p is not None and not p.empty]
    if not parts:
        return empty()
    return F.sort(pd.concat(parts, ignore_index=True))


def _check(module: ModuleType, sub: Submission, profile: Profile, info: "_Info") -> pd.DataFrame | None:
    """The findings of one rule; None when it has none (most rules on most files: no frame built)."""
    rule: Rule = module.RULE
    hits = module.check(sub, profile.params(rule.code))
    if hits is None or len(hits) == 0:
        return None
    return _stamp(rule, hits, sub, profile.severity(rule.code), info)


class _Info:
    """Per project key: unit, code, name and position within its file — what every finding carries."""

    def __init__(self, sub: Submission):
        p = sub.projects
        keys = p["project_key"].tolist()
        units = p["unit"].where(p["unit"].notna() & (p["unit"] != ""), None).tolist()
        first = [sub.first_unit(f) for f in p["file"]] if sub.file_units else [sub.first_unit()] * len(p)
        self.unit = dict(zip(keys, [u if u is not None else f for u, f in zip(units, first)]))
        self.code = dict(zip(keys, p["project_code"].where(p["project_code"] != "", None).tolist()))
        self.name = dict(zip(keys, p["project_name"].tolist()))
        # position within its own file, so batch findings sort like per-file ones
        self.seq = dict(zip(keys, p.groupby("file", sort=False).cumcount().tolist()))


#: Appended to the message of a finding located in a hidden sheet, row or column.
HIDDEN_NOTE = ("（位于隐藏的工作表/行/列）", " (in a hidden sheet/row/column)")


def stamp(rule: Rule, hits: pd.DataFrame, sub: Submission, severity: str) -> pd.DataFrame:
    """Turn a rule's hits into findings rows: code, severity, location, project, messages."""
    return _stamp(rule, hits, sub, severity, _Info(sub))


def _stamp(rule: Rule, hits: pd.DataFrame, sub: Submission, severity: str, info: _Info) -> pd.DataFrame:
    if hits is None or len(hits) == 0:
        return empty()
    n = len(hits)
    cells = _Cells(sub.frame(rule.frame), hits.index)
    files = cells.column("file") if cells.has("file") else [sub.path] * n
    if rule.frame == "texts":
        fields, values, locs = cells.column("field"), cells.column("text"), cells.column("loc")
    else:
        fields = hits["field"].tolist() if "field" in hits else [rule.field] * n
        values = cells.pick(fields)
        locs = cells.pick([f"{f}_loc" if f else None for f in fields])
    keys = cells.column("project_key") if cells.has("project_key") else [-1] * n
    known = [_known(k, info) for k in keys]
    shown = [F.shorten(v) for v in values]
    if "severity" in hits:  # a per-hit severity left blank means the profile's severity for the rule
        severities = [severity if pd.isna(s) else s for s in hits["severity"].tolist()]
    else:
        severities = [severity] * n
    seq = cells.column("seq") if rule.frame in ("indicators", "department", "texts") and cells.has("seq") else [-1] * n
    out = {
        "file": files,
        "unit": [info.unit[k] if ok else sub.first_unit(f) for k, ok, f in zip(keys, known, files)],
        "project_key": [k if ok else None for k, ok in zip(keys, known)],
        "project_code": [info.code[k] if ok else None for k, ok in zip(keys, known)],
        "project_name": [info.name[k] if ok else None for k, ok in zip(keys, known)],
        "rule": [rule.code] * n,
        "rule_name": [rule.name] * n,
        "severity": severities,
        "field": fields,
        "location": locs,
        "value": shown,
        "project_seq": [info.seq[k] if ok else -1 for k, ok in zip(keys, known)],
        "row_seq": seq,
        "field_seq": [FIELD_ORDER.get(f, -1) for f in fields],
    }
    records = _records(hits)
    suggested = [bool(rule.suggestion) and _has_suggest(h) for h in records]
    for lang in ("zh", "en"):
        labels = [field_label(f, lang) if f else "" for f in fields]
        out[f"message_{lang}"] = [_render(rule.message[lang], h, v, lb, lang) for h, v, lb in zip(records, shown, labels)]
        out[f"suggestion_{lang}"] = [
            _render(rule.suggestion[lang], h, v, lb, lang) if ok else None
            for h, v, lb, ok in zip(records, shown, labels, suggested)
        ]
    if sub.hidden_locs:
        # A finding in a hidden sheet/row/column says so: the reviewer would not see the cell otherwise.
        hidden = [sub.is_hidden(f, loc) for f, loc in zip(files, locs)]
        for lang, note in (("zh", HIDDEN_NOTE[0]), ("en", HIDDEN_NOTE[1])):
            out[f"message_{lang}"] = [m + note if h else m for m, h in zip(out[f"message_{lang}"], hidden)]
    return F.from_columns(out)


class _Cells:
    """The cells of ``frame`` on the rows a rule's hits name, column by column (a row may be named twice).

    Read as positions into the frame's columns rather than as a frame of
    those rows: a rule's few hits would otherwise cost a frame selection each.
    """

    def __init__(self, frame: pd.DataFrame, labels: pd.Index):
        self.frame = frame
        self.pos = frame.index.get_indexer(labels) if frame.index.is_unique else None
        self.rows = None
        if self.pos is None or (self.pos < 0).any():  # a repeated row label, or a label the frame lacks (KeyError)
            self.rows = frame.loc[labels].reset_index(drop=True)
        self._columns: dict[str, list] = {}

    def has(self, name: str) -> bool:
        return name in self.frame.columns

    def column(self, name: str) -> list:
        if name not in self._columns:
            if self.rows is None:
                self._columns[name] = self.frame[name].to_numpy(dtype=object)[self.pos].tolist()
            else:
                self._columns[name] = self.rows[name].tolist()
        return self._columns[name]

    def pick(self, names: list[str | None]) -> list:
        """Per hit, the cell of its own column (None for no column, a column the frame lacks, or a missing value)."""
        out = []
        for i, name in enumerate(names):
            v = self.column(name)[i] if name and self.has(name) else None
            out.append(None if _missing(v) else v)
        return out


def _missing(v: Any) -> bool:
    return v is None or (isinstance(v, float) and v != v)


def _known(key: Any, info: _Info) -> bool:
    try:
        return key in info.seq
    except TypeError:  # an unhashable key is no project's
        return False


def _records(hits: pd.DataFrame) -> list[dict[str, Any]]:
    """The hits as one dict per row, values typed as ``hits.iloc[i]`` gives them (one interleaved dtype)."""
    columns = list(hits.columns)
    return [dict(zip(columns, row)) for row in hits.to_numpy()]


def _has_suggest(hit: dict[str, Any]) -> bool:
    if "suggest" not in hit:
        return True
    v = hit["suggest"]
    return v is not None and not (isinstance(v, float) and pd.isna(v)) and v != ""


class _Args(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _render(template: str, hit: dict[str, Any], value: str | None, label: str, lang: str) -> str:
    args = _Args({k: v for k, v in hit.items() if not isinstance(v, dict)})
    extra = hit.get(f"args_{lang}")
    if isinstance(extra, dict):
        args.update(extra)
    args.setdefault("value", value)
    args.setdefault("field_label", label)
    return template.format_map(args)


def modules_by_code(modules: list[ModuleType]) -> dict[str, ModuleType]:
    return {m.RULE.code: m for m in modules}
