"""Grades 优/良/中/差 of a checked file, from its findings.

A reviewer sorting forty towns' submissions wants one word per file.  The
grade rests on penalty points per project, so a department with 40 projects
is not graded worse than one with 2 for the same care:

    penalty = (3 × errors + 1 × warning + 0 × infos) / max(projects, 1)

and bands: penalty ≤ 0.5 → 优, ≤ 2 → 良, ≤ 5 → 中, above → 差.  An error
means the form goes back to the unit, so a file with any error is at best
中 (``best_with_errors``).  A file that could not be read has no grade.

Every number is a profile setting (``settings: grade:`` in the profile YAML)::

    settings:
      grade:
        weights: {error: 3, warning: 1, info: 0}
        per_project: true          # false: penalty is the plain sum
        bands: {优: 0.5, 良: 2, 中: 5}   # upper bounds, inclusive; above 中 → 差
        best_with_errors: 中       # best grade a file with an error can get
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import pandas as pd

from targetlint import findings as F
from targetlint.profile import ProfileError

#: Grades from best to worst, with their English names.
GRADES: tuple[str, ...] = ("优", "良", "中", "差")
GRADE_EN: dict[str, str] = {"优": "excellent", "良": "good", "中": "fair", "差": "poor"}

#: Defaults of ``settings.grade`` (documented in the module docstring).
DEFAULTS: dict[str, Any] = {
    "weights": {"error": 3.0, "warning": 1.0, "info": 0.0},
    "per_project": True,
    "bands": {"优": 0.5, "良": 2.0, "中": 5.0},
    "best_with_errors": "中",
}


@dataclass(frozen=True)
class Grade:
    """A file's grade and the penalty it rests on."""

    label: str
    penalty: float

    def name(self, lang: str = "zh") -> str:
        return self.label if lang == "zh" else GRADE_EN[self.label]

    @property
    def rank(self) -> int:
        """0 for 优 … 3 for 差 (CSS classes and sorting)."""
        return GRADES.index(self.label)


def _bad(key: str, what_zh: str, what_en: str) -> ProfileError:
    return ProfileError(f"配置 settings.grade.{key}: {what_zh} / profile settings.grade.{key}: {what_en}")


def _number(value: Any, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise _bad(key, "须为非负数", "must be a non-negative number")
    return float(value)


def load_settings(settings: Mapping[str, Any] | None) -> dict[str, Any]:
    """The effective grade settings: defaults ⊕ ``settings['grade']``, validated.

    Args:
        settings: a profile's ``settings`` mapping (``Profile.settings``) or None.

    Raises:
        ProfileError: naming the key that is wrong.
    """
    given = (settings or {}).get("grade") or {}
    if not isinstance(given, Mapping):
        raise ProfileError("配置 settings.grade: 须为映射 / profile settings.grade: must be a mapping")
    unknown = set(given) - set(DEFAULTS)
    if unknown:
        raise _bad(sorted(unknown)[0], "未知键", "unknown key")
    out = {**DEFAULTS, "weights": dict(DEFAULTS["weights"]), "bands": dict(DEFAULTS["bands"])}
    for sev, w in (given.get("weights") or {}).items():
        if sev not in out["weights"]:
            raise _bad(f"weights.{sev}", "应为 error/warning/info", "must be error/warning/info")
        out["weights"][sev] = _number(w, f"weights.{sev}")
    for label, bound in (given.get("bands") or {}).items():
        if label not in GRADES[:-1]:
            raise _bad(f"bands.{label}", "应为 优/良/中", "must be 优/良/中")
        out["bands"][label] = _number(bound, f"bands.{label}")
    bounds = [out["bands"][g] for g in GRADES[:-1]]
    if bounds != sorted(bounds):
        raise _bad("bands", "上限须依次不减（优 ≤ 良 ≤ 中）", "bounds must not decrease (优 ≤ 良 ≤ 中)")
    if "per_project" in given:
        if not isinstance(given["per_project"], bool):
            raise _bad("per_project", "须为 true/false", "must be true or false")
        out["per_project"] = given["per_project"]
    if "best_with_errors" in given:
        if given["best_with_errors"] not in GRADES:
            raise _bad("best_with_errors", "应为 优/良/中/差", "must be 优/良/中/差")
        out["best_with_errors"] = given["best_with_errors"]
    return out


def grade(findings: pd.DataFrame, projects: int, rules: Mapping[str, Any] | None = None) -> Grade:
    """The grade of one file's findings.

    Args:
        findings: the file's findings frame.
        projects: how many projects the file holds.
        rules: effective grade settings from :func:`load_settings` (None: the defaults).
    """
    s = rules or DEFAULTS
    counts = F.counts(findings)
    penalty = sum(s["weights"][sev] * n for sev, n in counts.items())
    if s["per_project"]:
        penalty /= max(projects, 1)
    label = next((g for g in GRADES[:-1] if penalty <= s["bands"][g]), GRADES[-1])
    if counts["error"] and GRADES.index(label) < GRADES.index(s["best_with_errors"]):
        label = s["best_with_errors"]
    return Grade(label, round(penalty, 2))


def grade_file(fr: Any, rules: Mapping[str, Any] | None = None) -> Grade | None:
    """The grade of a :class:`~targetlint.result.FileResult`; None when it could not be read.

    Args:
        fr: the file's result.
        rules: effective grade settings from :func:`load_settings` (None: the defaults).
    """
    if fr.error is not None or fr.submission is None:
        return None
    return grade(fr.findings, len(fr.submission.projects), rules)
