"""Baselines: accepted findings stay hidden across unrelated edits; changed ones come back.

The round trip runs on the seed (its committed copy ``examples/kaiyuan-2020.txt``)
through the command line; the fingerprint's properties (rows inserted, files
moved, identical findings counted) are tested on small hand-built runs.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from targetlint import baseline, casebook, cli, engine
from targetlint import profile as profiles
from targetlint.result import FileResult, RunResult

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "examples" / "kaiyuan-2020.txt"
ONLY_TL304 = profiles.load("default").override({"TL304"})

CLEAN = {"level2": "数量指标", "level3": "改造户数", "value": "≥35户"}


def prose(value: str = "≥35户，由镇村两级逐户核实后实施", **extra) -> dict:
    return {"level2": "数量指标", "level3": "危房改造户数", "value": value, **extra}


def run_of(*files: tuple[str, dict]) -> RunResult:
    """A run over hand-built submissions, checked by TL304 (value-with-prose) only."""
    out = []
    for path, case in files:
        sub = casebook.build(case, path=path)
        found, status = engine.run(sub, ONLY_TL304)
        out.append(FileResult(path, submission=sub, findings=found, rule_status=status))
    return RunResult(files=out, profile="test")


def accepted(result: RunResult, tmp_path: Path):
    path = tmp_path / "baseline.json"
    path.write_text(baseline.dumps(result), encoding="utf-8")
    return baseline.load(str(path))


def values(result: RunResult) -> list[str]:
    return [v for fr in result.files for v in fr.findings["value"]]


def test_inserted_rows_do_not_bring_findings_back(tmp_path):
    before = run_of(("开元镇.xlsx", {"indicators": [prose(), CLEAN]}))
    later = run_of(("开元镇.xlsx", {"indicators": [CLEAN, prose("≥2次，每季度召开一次"), CLEAN, prose()]}))
    hidden = baseline.apply(later, accepted(before, tmp_path))
    assert hidden == 1 and later.summary()["baselined"] == 1
    assert values(later) == ["≥2次，每季度召开一次"]  # only the new one, although every row moved


def test_identical_findings_are_counted(tmp_path):
    before = run_of(("a.xlsx", {"indicators": [prose(), prose()]}))
    later = run_of(("a.xlsx", {"indicators": [prose(), prose(), prose()]}))
    assert baseline.apply(later, accepted(before, tmp_path)) == 2
    assert len(later.files[0].findings) == 1


def test_changed_value_is_reported(tmp_path):
    before = run_of(("a.xlsx", {"indicators": [prose(), prose("≥2次，每季度召开一次")]}))
    later = run_of(("a.xlsx", {"indicators": [prose(), prose("≥3次，每季度召开一次")]}))
    assert baseline.apply(later, accepted(before, tmp_path)) == 1
    assert values(later) == ["≥3次，每季度召开一次"]


def test_width_and_spacing_edits_do_not_count_as_changes(tmp_path):
    before = run_of(("a.xlsx", {"indicators": [prose("≥35户，由镇村两级逐户核实")]}))
    later = run_of(("a.xlsx", {"indicators": [prose("≥３５户， 由镇村两级 逐户核实")]}))
    assert baseline.apply(later, accepted(before, tmp_path)) == 1


def test_moved_and_renamed_file_of_the_same_unit_still_matches(tmp_path):
    before = run_of(("2021/开元镇.xlsx", {"indicators": [prose()]}))
    later = run_of(("归档/开元镇（修改稿）.xlsx", {"indicators": [prose()]}))
    assert baseline.apply(later, accepted(before, tmp_path)) == 1


def test_other_units_and_projects_are_not_hidden(tmp_path):
    before = run_of(("a.xlsx", {"indicators": [prose()]}))
    other_unit = run_of(("a.xlsx", {"project": {"unit": "913006西城镇人民政府"}, "indicators": [prose()]}))
    other_project = run_of(("a.xlsx", {"project": {"project_code": "913-0201-ABC-9Z9Z"}, "indicators": [prose()]}))
    base = accepted(before, tmp_path)
    assert baseline.apply(other_unit, base) == 0 and baseline.apply(other_project, base) == 0


def test_without_a_unit_the_file_name_identifies_the_submission(tmp_path):
    case = {"project": {"unit": ""}, "indicators": [prose()]}
    base = accepted(run_of(("各镇/甲/绩效.xlsx", case)), tmp_path)
    assert baseline.apply(run_of(("移走/绩效.xlsx", case)), base) == 1
    assert baseline.apply(run_of(("各镇/甲/其他.xlsx", case)), base) == 0


def test_baseline_file_is_readable_and_deterministic():
    result = run_of(("a.xlsx", {"indicators": [prose(), prose(), prose("≥2次，每季度召开一次")]}))
    text = baseline.dumps(result)
    assert text == baseline.dumps(run_of(("a.xlsx", {"indicators": [prose(), prose(), prose("≥2次，每季度召开一次")]})))
    doc = json.loads(text)
    assert doc["targetlint_baseline"] == 1
    first, second = doc["findings"]
    assert first == {
        "file": "a.xlsx",
        "unit": "913005东城镇人民政府",
        "project": "913-0201-ABC-1K2M",
        "rule": "TL304",
        "field": "value",
        "value": "≥35户，由镇村两级逐户核实后实施",
        "count": 2,
    }
    assert second["count"] == 1 and len(text.splitlines()) == 4  # one entry a line


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (None, "not found"),
        ("{not json", "JSON"),
        ('{"findings": []}', "not a targetlint baseline"),
        ('{"targetlint_baseline": 1, "findings": [{"rule": "TL304", "count": 0}]}', "entry 1"),
        ('{"targetlint_baseline": 1, "findings": [{"value": "x"}]}', "entry 1"),
    ],
)
def test_unusable_baseline_exits_2_naming_the_file(tmp_path, content, reason):
    path = tmp_path / "基线.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(cli.cli, ["check", str(SEED), "--baseline", str(path)])
    assert result.exit_code == 2 and result.stdout == ""
    assert str(path) in result.stderr and reason in result.stderr


def _json_run(*args: str) -> tuple[int, dict]:
    result = CliRunner().invoke(cli.cli, ["check", *args, "--profile", "hebei-2020", "--format", "json"])
    return result.exit_code, json.loads(result.stdout)


def test_seed_round_trip(tmp_path, monkeypatch):
    """Acceptance: baseline the seed, re-run: nothing; edit one value in a moved copy: only that comes back."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "2020").mkdir()
    seed = tmp_path / "2020" / "开元镇.txt"
    seed.write_bytes(SEED.read_bytes())
    code, first = _json_run(str(seed), "--write-baseline", "accepted.json")
    total = len(first["files"][0]["findings"])
    assert code == 1 and total > 100 and first["summary"]["baselined"] == 0
    assert sorted(os.listdir(tmp_path)) == ["2020", "accepted.json"]  # written atomically, no leftovers

    code, again = _json_run(str(seed), "--baseline", "accepted.json")
    assert code == 0 and again["files"][0]["findings"] == []
    assert again["summary"] == {**again["summary"], "errors": 0, "warnings": 0, "infos": 0, "baselined": total}

    lines = SEED.read_text(encoding="utf-8").split("\n")
    n = next(i for i, line in enumerate(lines) if line.startswith("\t≥0.9年初"))
    lines[n] = "\t≥0.8年初经费下达后及时拨付给各村委会"
    (tmp_path / "复核").mkdir()
    edited = tmp_path / "复核" / "开元镇-修改稿.txt"
    edited.write_text("\n".join(lines), encoding="utf-8")
    code, later = _json_run(str(edited), "--baseline", "accepted.json")
    shown = later["files"][0]["findings"]
    row = {f"line {k}" for k in range(n + 1 - 4, n + 3)}  # the edited indicator's six cells
    in_row = [f for f in first["files"][0]["findings"] if f["location"] in row]
    assert shown and {f["location"] for f in shown} <= row
    assert f"line {n + 1}" in {f["location"] for f in shown} and code == 1
    assert total - len(in_row) <= later["summary"]["baselined"] < total


def test_text_footer_counts_baselined_findings(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    runner.invoke(cli.cli, ["check", str(SEED), "--write-baseline", "b.json"])
    out = runner.invoke(cli.cli, ["check", str(SEED), "--baseline", "b.json"]).stdout
    assert re.search(r"基线已隐藏 [1-9][0-9]*$", out.strip())
    out = runner.invoke(cli.cli, ["check", str(SEED), "--baseline", "b.json", "--lang", "en"]).stdout
    assert re.search(r"hidden by baseline: [1-9][0-9]*$", out.strip())


def test_rewriting_a_baseline_keeps_hidden_findings(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    runner.invoke(cli.cli, ["check", str(SEED), "--write-baseline", "b.json"])
    before = Path("b.json").read_text(encoding="utf-8")
    runner.invoke(cli.cli, ["check", str(SEED), "--baseline", "b.json", "--write-baseline", "b.json"])
    assert Path("b.json").read_text(encoding="utf-8") == before


def test_write_baseline_refuses_to_overwrite_an_input(tmp_path):
    src = tmp_path / "unit.txt"
    src.write_bytes(SEED.read_bytes())
    result = CliRunner().invoke(cli.cli, ["check", str(src), "--write-baseline", str(src)])
    assert result.exit_code == 2 and "unit.txt" in result.stderr
    assert src.read_bytes() == SEED.read_bytes()
