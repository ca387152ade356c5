"""Grades 优/良/中/差 from findings, and their profile settings."""

from __future__ import annotations

import pandas as pd
import pytest

import _report_fixtures as R
from targetlint import findings as F
from targetlint import grading
from targetlint.profile import ProfileError


def _findings(errors: int = 0, warnings: int = 0, infos: int = 0) -> pd.DataFrame:
    sev = ["error"] * errors + ["warning"] * warnings + ["info"] * infos
    return pd.DataFrame({c: [None] * len(sev) for c in F.COLUMNS} | {"severity": sev})


@pytest.mark.parametrize(
    ("errors", "warnings", "infos", "projects", "label"),
    [
        (0, 0, 0, 1, "优"),
        (0, 2, 5, 4, "优"),   # 0.5 a project, infos cost nothing
        (0, 3, 0, 4, "良"),
        (0, 8, 0, 4, "良"),   # 2 a project
        (0, 9, 0, 4, "中"),
        (1, 0, 0, 40, "中"),  # an error caps a large clean file at 中
        (2, 14, 0, 4, "中"),  # 20/4 = 5
        (2, 15, 0, 4, "差"),
        (84, 122, 1, 14, "差"),
    ],
)
def test_default_bands(errors, warnings, infos, projects, label):
    assert grading.grade(_findings(errors, warnings, infos), projects).label == label


def test_no_projects_counts_as_one():
    assert grading.grade(_findings(0, 1), 0).penalty == 1.0


def test_settings_change_the_mapping():
    rules = grading.load_settings({"grade": {"weights": {"warning": 0}, "per_project": False,
                                             "bands": {"优": 0, "良": 3, "中": 10}, "best_with_errors": "差"}})
    assert grading.grade(_findings(0, 50), 1, rules).label == "优"
    assert grading.grade(_findings(1, 0), 100, rules).label == "差"
    assert grading.grade(_findings(0, 0, 0), 1, grading.load_settings({"grade": {"best_with_errors": "良"}})).label == "优"


@pytest.mark.parametrize(
    ("grade", "key"),
    [
        ({"colour": 1}, "colour"),
        ({"weights": {"fatal": 1}}, "weights.fatal"),
        ({"weights": {"error": -1}}, "weights.error"),
        ({"weights": {"error": "3"}}, "weights.error"),
        ({"bands": {"差": 9}}, "bands.差"),
        ({"bands": {"优": 5, "良": 1}}, "bands"),
        ({"per_project": "yes"}, "per_project"),
        ({"best_with_errors": "A"}, "best_with_errors"),
    ],
)
def test_bad_settings_name_the_key(grade, key):
    with pytest.raises(ProfileError, match=f"settings.grade.{key}"):
        grading.load_settings({"grade": grade})


def test_file_grades():
    seed = R.seed().files[0]
    assert grading.grade_file(seed).label == "差"
    bad = next(f for f in R.folder().files if f.error)
    assert grading.grade_file(bad) is None
    grade = grading.grade_file(seed)
    assert grade.name("en") == "poor" and grade.rank == 3
