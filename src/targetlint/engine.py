"""Run the profile's rules over a Submission and collect one findings frame."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from types import ModuleType

import pandas as pd

from targetlint import findings as F
from targetlint.profile import Profile
from targetlint.rule import Rule
from targetlint.submission import FIELD_ORDER, Submission, field_label

log = logging.getLogger(__name__)


@dataclass
class RuleStatus:
    """Which rules ran on a file, which were skipped, which failed."""

    ran: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)


def run(sub: Submission, profile: Profile, scope: str = "file") -> tuple[pd.DataFrame, RuleStatus]:
    """Check ``sub`` with every rule of ``scope`` the profile enables.

    A rule needing a field the layout lacks is skipped; a rule that raises
    is recorded as failed and never stops the others.  ``scope="batch"``
    runs the rules that look across files, on :meth:`Submission.concat` of a run.
    """
    status = RuleStatus()
    parts = []
    for module in profile.modules():
        rule: Rule = module.RULE
        if rule.scope != scope:
            continue
        if any(not sub.has_field(f) for f in rule.needs):
            status.skipped.append(rule.code)
            continue
        try:
            hits = module.check(sub, profile.params(rule.code))
            parts.append(stamp(rule, hits, sub, profile.severity(rule.code)))
        except Exception as exc:  # noqa: BLE001 - one rule's bug must not stop the run
            log.debug("rule %s failed on %s", rule.code, sub.path, exc_info=True)
            status.failed[rule.code] = f"{type(exc).__name__}: {exc}"
            continue
        status.ran.append(rule.code)
    parts = [p for p in parts if not p.empty]
    if not parts:
        return F.empty(), status
    return F.sort(pd.concat(parts, ignore_index=True)), status


def _project_info(sub: Submission) -> pd.DataFrame:
    p = sub.projects
    info = pd.DataFrame(
        {
            "unit": p["unit"].where(p["unit"].notna() & (p["unit"] != ""), sub.units[0] if sub.units else None),
            "project_code": p["project_code"].where(p["project_code"] != "", None),
            "project_name": p["project_name"],
            # position within its own file, so batch findings sort like per-file ones
            "project_seq": p.groupby("file", sort=False).cumcount().to_numpy(),
        },
        index=p["project_key"].to_numpy(),
    )
    return info


def stamp(rule: Rule, hits: pd.DataFrame, sub: Submission, severity: str) -> pd.DataFrame:
    """Turn a rule's hits into findings rows: code, severity, location, project, messages."""
    if hits is None or len(hits) == 0:
        return F.empty()
    frame = sub.frame(rule.frame)
    rows = frame.loc[hits.index]
    hits = hits.reset_index(drop=True)
    rows = rows.reset_index(drop=False)
    n = len(hits)
    fields = hits["field"] if "field" in hits else pd.Series([rule.field] * n)
    if rule.frame == "texts":
        fields = rows["field"]
        values, locs = rows["text"], rows["loc"]
    else:
        values = [_get(rows, i, f) for i, f in enumerate(fields)]
        locs = [_get(rows, i, f"{f}_loc") if f else None for i, f in enumerate(fields)]
    keys = rows["project_key"] if "project_key" in rows else pd.Series([-1] * n)
    info = _project_info(sub)
    known = keys.isin(info.index)
    out = pd.DataFrame(
        {
            "file": rows["file"] if "file" in rows else sub.path,
            "unit": [info.at[k, "unit"] if ok else (sub.units[0] if sub.units else None) for k, ok in zip(keys, known)],
            "project_key": keys.where(known, None).astype(object),
            "project_code": [info.at[k, "project_code"] if ok else None for k, ok in zip(keys, known)],
            "project_name": [info.at[k, "project_name"] if ok else None for k, ok in zip(keys, known)],
            "rule": rule.code,
            "rule_name": rule.name,
            # a per-hit severity left blank means the profile's severity for the rule
            "severity": hits["severity"].astype(object).where(hits["severity"].notna(), severity)
            if "severity" in hits
            else severity,
            "field": list(fields),
            "location": list(locs),
            "value": [F.shorten(v) for v in values],
            "project_seq": [info.at[k, "project_seq"] if ok else -1 for k, ok in zip(keys, known)],
            "row_seq": rows["seq"] if (rule.frame in ("indicators", "department", "texts") and "seq" in rows) else -1,
            "field_seq": [FIELD_ORDER.get(f, -1) for f in fields],
        }
    )
    for lang in ("zh", "en"):
        out[f"message_{lang}"] = [
            _render(rule.message[lang], hits.iloc[i], out.iloc[i], lang) for i in range(n)
        ]
        out[f"suggestion_{lang}"] = [
            _render(rule.suggestion[lang], hits.iloc[i], out.iloc[i], lang)
            if rule.suggestion and _has_suggest(hits.iloc[i])
            else None
            for i in range(n)
        ]
    out = out[list(F.COLUMNS)].astype(object)
    return out.where(out.notna(), None)


def _get(rows: pd.DataFrame, i: int, col: str | None):
    if not col or col not in rows.columns:
        return None
    v = rows.at[i, col]
    return None if v is None or (isinstance(v, float) and pd.isna(v)) else v


def _has_suggest(hit: pd.Series) -> bool:
    if "suggest" not in hit.index:
        return True
    v = hit["suggest"]
    return v is not None and not (isinstance(v, float) and pd.isna(v)) and v != ""


class _Args(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _render(template: str, hit: pd.Series, finding: pd.Series, lang: str) -> str:
    args = _Args({k: v for k, v in hit.items() if not isinstance(v, dict)})
    extra = hit.get(f"args_{lang}")
    if isinstance(extra, dict):
        args.update(extra)
    args.setdefault("value", finding["value"])
    args.setdefault("field_label", field_label(finding["field"], lang) if finding["field"] else "")
    return template.format_map(args)


def modules_by_code(modules: list[ModuleType]) -> dict[str, ModuleType]:
    return {m.RULE.code: m for m in modules}
