"""Patterns on the command line: Windows' cmd passes ``各镇\\*.xlsx`` on unexpanded, so targetlint matches it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from targetlint import cli, runner

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture()
def towns(tmp_path) -> Path:
    root = tmp_path / "各镇"
    (root / "东城镇").mkdir(parents=True)
    shutil.copy(EXAMPLES / "kaiyuan-2020.xlsx", root / "开元镇.xlsx")
    shutil.copy(EXAMPLES / "clean-2021.xlsx", root / "东城镇" / "东城镇.xlsx")
    shutil.copy(EXAMPLES / "kaiyuan-2020.txt", root / "开元镇.txt")
    (root / "~$开元镇.xlsx").write_bytes(b"lock")  # Excel's lock file while the workbook is open
    (root / "开元镇.审核意见.xlsx").write_bytes(b"ours")  # an annotated copy we wrote
    (root / "说明.pdf").write_bytes(b"%PDF-1.4")
    return root


def _names(paths: list[str], root: Path) -> list[str]:
    return [Path(p).relative_to(root).as_posix() for p in paths]


def test_star_matches_submissions_only(towns):
    assert _names(runner.expand([str(towns / "*.xlsx")]), towns) == ["开元镇.xlsx"]
    assert _names(runner.expand([str(towns / "*")]), towns) == ["东城镇/东城镇.xlsx", "开元镇.txt", "开元镇.xlsx"]


def test_recursive_pattern_and_question_mark(towns):
    assert _names(runner.expand([str(towns / "**" / "*.xlsx")]), towns) == ["东城镇/东城镇.xlsx", "开元镇.xlsx"]
    assert _names(runner.expand([str(towns / "开元?.txt")]), towns) == ["开元镇.txt"]


def test_existing_names_with_brackets_are_files_not_patterns(towns):
    odd = towns / "开元镇[修改稿].xlsx"
    shutil.copy(EXAMPLES / "kaiyuan-2020.xlsx", odd)
    assert runner.expand([str(odd)]) == [str(odd)]


def test_pattern_matching_nothing_is_reported_not_found(towns):
    missing = str(towns / "*.xls")
    assert runner.expand([missing]) == [missing]
    out = towns.parent / "report.json"
    result = CliRunner().invoke(cli.cli, ["check", missing, "-o", f"json:{out}"])
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert result.exit_code == 2
    assert doc["files"][0]["status"] == "error" and doc["files"][0]["error"]["code"] == "not-found"


def test_cli_checks_what_the_pattern_matches(towns):
    out = towns.parent / "report.json"
    result = CliRunner().invoke(cli.cli, ["check", str(towns / "**" / "*.xlsx"), "-o", f"json:{out}"])
    assert result.exit_code == 1, result.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert [Path(f["path"]).name for f in doc["files"]] == ["东城镇.xlsx", "开元镇.xlsx"]
    assert doc["summary"]["errors"] > 0  # 开元镇 is the seed, with its defects
