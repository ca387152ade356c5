"""The command line and the run orchestration.

Exit-code logic is tested against hand-built results (``runner.check_paths``
replaced), so it does not depend on rules still being written; the
end-to-end tests read the real seed submission and a corrupt file.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from targetlint import casebook, cli, engine, runner
from targetlint import findings as F
from targetlint.errors import LoadError
from targetlint.result import FileResult, RunResult
from targetlint.rule import Rule, Severity

REPO = Path(__file__).resolve().parents[1]
SEED = REPO.parent / "shared" / "seed" / "000_852a9d826d30868b.txt"
needs_seed = pytest.mark.skipif(not SEED.is_file(), reason=f"seed submission not found at {SEED}")

PROBE = Rule(
    code="TL993",
    name="test-probe",
    severity=Severity.WARNING,
    frame="indicators",
    field="value",
    summary={"zh": "测试", "en": "test"},
    message={"zh": "测试问题 {value}", "en": "test finding {value}"},
)


def _result(*severities: str, unreadable: bool = False) -> RunResult:
    """One checked file with one finding per given severity (and optionally an unreadable one)."""
    sub = casebook.build({}, path="a.xlsx")
    hits = pd.DataFrame({"severity": list(severities)}, index=range(len(severities)))
    found = F.sort(engine.stamp(PROBE, hits, sub, "warning")) if severities else F.empty()
    files = [FileResult("a.xlsx", submission=sub, findings=found, rule_status=engine.RuleStatus(ran=["TL993"]))]
    if unreadable:
        files.append(FileResult("b.xlsx", error=LoadError("truncated", "b.xlsx", "EOF")))
    return RunResult(files=files, profile="default")


@pytest.fixture
def fake_run(monkeypatch):
    """Make ``check`` return a chosen RunResult, whatever the inputs."""

    def use(result: RunResult) -> None:
        monkeypatch.setattr(runner, "check_paths", lambda *a, **k: result)

    return use


def invoke(*args: str):
    return CliRunner().invoke(cli.cli, list(args), catch_exceptions=False)


@pytest.mark.parametrize(
    ("severities", "options", "code"),
    [
        ((), (), 0),
        (("info", "warning"), (), 0),
        (("error",), (), 1),
        (("warning",), ("--fail-on", "warning"), 1),
        (("info",), ("--fail-on", "warning"), 0),
        (("info",), ("--fail-on", "info"), 1),
        (("error", "warning"), ("--exit-zero",), 0),
    ],
)
def test_exit_codes(fake_run, tmp_path, severities, options, code):
    fake_run(_result(*severities))
    assert invoke("check", str(tmp_path), *options).exit_code == code


def test_unreadable_file_exits_2_even_with_exit_zero(fake_run, tmp_path):
    fake_run(_result("warning", unreadable=True))
    assert invoke("check", str(tmp_path)).exit_code == 2
    assert invoke("check", str(tmp_path), "--exit-zero").exit_code == 2


def test_english_report(fake_run, tmp_path):
    fake_run(_result("error"))
    out = invoke("check", str(tmp_path), "--lang", "en").stdout
    assert "test finding ≥360人次" in out and "errors: 1" in out
    assert "共检查" not in out and "\x1b[" not in out  # not a terminal: no colour


def test_usage_errors_exit_2(tmp_path):
    assert invoke("check").exit_code == 2
    assert invoke("check", str(tmp_path), "--format", "pdf").exit_code == 2
    assert invoke("check", str(tmp_path), "--fail-on", "fatal").exit_code == 2


def test_profile_error_exits_2(tmp_path):
    result = invoke("check", str(tmp_path), "--profile", "no-such-profile")
    assert result.exit_code == 2
    assert "no-such-profile" in result.stderr and result.stdout == ""
    bad = tmp_path / "bad.yaml"
    bad.write_text("rules:\n  TL999: {}\n", encoding="utf-8")
    result = invoke("check", str(tmp_path), "--profile", str(bad))
    assert result.exit_code == 2 and "TL999" in result.stderr


def test_output_file_written_atomically(fake_run, tmp_path):
    fake_run(_result("error"))
    out = tmp_path / "out" / "report.json"
    out.parent.mkdir()
    result = invoke("check", str(tmp_path / "in"), "--format", "json", "-o", str(out))
    assert result.exit_code == 1 and result.stdout == ""
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["summary"]["errors"] == 1
    assert os.listdir(out.parent) == ["report.json"]  # no temporary file left behind


def test_output_refuses_to_overwrite_an_input(tmp_path):
    src = tmp_path / "unit.txt"
    src.write_text("原始内容", encoding="utf-8")
    result = invoke("check", str(src), "-o", str(src))
    assert result.exit_code == 2 and "unit.txt" in result.stderr
    assert src.read_text(encoding="utf-8") == "原始内容"
    # also when the input is found inside a folder
    result = invoke("check", str(tmp_path), "-o", str(tmp_path / "." / "unit.txt"))
    assert result.exit_code == 2 and src.read_text(encoding="utf-8") == "原始内容"


def test_expand_folders(tmp_path):
    for name in ["b.xlsx", "a/z.docx", "a/y.txt", "~$b.xlsx", ".hidden.xlsx", ".git/c.xlsx", "notes.pdf", "a/x.XLS"]:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")
    got = [Path(p).relative_to(tmp_path).as_posix() for p in runner.expand([str(tmp_path)])]
    assert got == ["a/x.XLS", "a/y.txt", "a/z.docx", "b.xlsx"]
    # explicit files keep their order, are kept even if missing, and are not repeated
    explicit = [str(tmp_path / "b.xlsx"), str(tmp_path / "missing.xlsx"), str(tmp_path / "b.xlsx")]
    assert runner.expand(explicit) == explicit[:2]


def test_missing_file_is_reported_not_found(tmp_path):
    result = runner.check_paths([str(tmp_path / "缺失.xlsx")], "default")
    (fr,) = result.files
    assert fr.error is not None and fr.error.code == "not-found"
    assert result.exit_code() == 2


def test_unexpected_read_error_is_reported_or_raised_under_debug(monkeypatch, tmp_path):
    path = tmp_path / "odd.txt"
    path.write_text("x", encoding="utf-8")

    def boom(*args, **kwargs):
        raise RuntimeError("parser exploded")

    monkeypatch.setattr(runner.load, "load_path", boom)
    fr = runner.check_paths([str(path)], "default").files[0]
    assert fr.error.code == "truncated" and "parser exploded" in fr.error.message("en")
    with pytest.raises(RuntimeError):
        runner.check_paths([str(path)], "default", debug=True)


@pytest.fixture
def corrupt(tmp_path) -> Path:
    path = tmp_path / "损坏的报表.xlsx"
    path.write_bytes(os.urandom(2048))
    return path


@needs_seed
def test_unreadable_file_does_not_stop_the_batch(corrupt):
    result = invoke("check", str(corrupt), str(SEED))
    assert result.exit_code == 2
    report_lines = [line for line in result.stdout.splitlines() if corrupt.name in line]
    assert len(report_lines) == 1
    err_lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(err_lines) == 1 and corrupt.name in err_lines[0]
    assert SEED.name in result.stdout and "14 个项目" in result.stdout  # the valid file was still checked


@needs_seed
def test_seed_json(corrupt):
    result = invoke("check", str(SEED), str(corrupt), "--format", "json", "--profile", "hebei-2020")
    assert result.exit_code == 2
    doc = json.loads(result.stdout)
    seed, bad = doc["files"]
    assert (seed["status"], seed["projects"], seed["indicators"]) == ("ok", 14, 28)
    assert seed["rules"]["failed"] == {}
    assert "TL001" in {f["rule"] for f in seed["findings"]}  # `TC … \f A \l 1` residue
    assert bad["status"] == "error" and bad["findings"] == [] and bad["error"]["code"]
    assert doc["summary"]["unreadable"] == 1 and doc["profile"] == "hebei-2020"


@needs_seed
def test_seed_exit_code_follows_severity(tmp_path):
    """A profile that only runs TL001 as a warning: 0 by default, 1 with --fail-on warning."""
    prof = tmp_path / "only-tl001.yaml"
    prof.write_text("name: only-tl001\nrules:\n  TL001: {severity: warning}\n", encoding="utf-8")
    assert invoke("check", str(SEED), "--profile", str(prof)).exit_code == 0
    assert invoke("check", str(SEED), "--profile", str(prof), "--fail-on", "warning").exit_code == 1
    assert invoke("check", str(SEED), "--profile", str(prof), "--fail-on", "warning", "--exit-zero").exit_code == 0


def test_rules_command():
    result = invoke("rules")
    assert result.exit_code == 0
    from targetlint.rules import ALL

    for module in ALL:
        assert module.RULE.code in result.stdout
    assert "预算数不等于财政资金与其他资金之和" in result.stdout
    assert "Total budget is not fiscal plus other funds" in invoke("rules", "--lang", "en").stdout


def test_explain_command():
    result = invoke("explain", "tl101")
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith("TL101 budget-sum-mismatch")
    assert "tolerance: 0.005" in out and "财预〔2015〕88号" in out
    assert "反例" in out and "预算数 38.34 ≠ 财政资金 30.00" in out  # the bad example, run
    assert "正例" in out and "（无报告）" in out
    en = invoke("explain", "budget-sum-mismatch", "--lang", "en").stdout
    assert "bad example" in en and "Total budget 38.34" in en
    unknown = invoke("explain", "TL999")
    assert unknown.exit_code == 2 and "TL999" in unknown.stderr


def test_console_script_entry(tmp_path):
    """``python -m targetlint`` runs ``main`` with real exit codes."""
    missing = tmp_path / "没有这个文件.xlsx"
    proc = subprocess.run(
        [sys.executable, "-m", "targetlint", "check", str(missing), "--format", "json"],
        capture_output=True, text=True, encoding="utf-8", check=False,
    )
    assert proc.returncode == 2
    assert json.loads(proc.stdout)["files"][0]["error"]["code"] == "not-found"
    assert missing.name in proc.stderr


@needs_seed
def test_seed_text_report_fits_the_width():
    """Real findings (long Chinese messages and suggestions) stay within 100 cells and group by project."""
    from rich.cells import cell_len

    out = invoke("check", str(SEED), "--profile", "hebei-2020").stdout
    lines = out.splitlines()
    assert max(cell_len(line) for line in lines) <= 100
    titles = [line.strip() for line in lines if line.startswith("  项目 ")]
    assert len(titles) == len(set(titles)) == 14  # each project heads one group
    assert "项目 914-0102-YQN-FGM4 党组织活动经费" in titles
    assert lines[-1].startswith("共检查 1 个文件：错误 ")


def test_text_output_file(fake_run, tmp_path):
    fake_run(_result("warning"))
    out = tmp_path / "报告.txt"
    out.write_text("旧报告", encoding="utf-8")
    result = invoke("check", str(tmp_path / "in"), "-o", str(out))
    assert result.exit_code == 0 and result.stdout == ""
    written = out.read_text(encoding="utf-8")
    assert written.startswith("a.xlsx") and "警告 TL993" in written and "\x1b[" not in written


def test_layout_option_and_unwritable_output(fake_run, tmp_path):
    fake_run(_result())
    assert invoke("check", str(tmp_path), "--layout", "no-such-layout").exit_code == 2
    assert invoke("check", str(tmp_path), "--layout", "hebei-form").exit_code == 0
    result = invoke("check", str(tmp_path), "-o", str(tmp_path / "no-such-dir" / "r.txt"))
    assert result.exit_code == 2 and "r.txt" in result.stderr


def test_rules_json_lists_every_rule():
    """Acceptance: ``targetlint rules --format json`` lists every code with name, severity, zh and en text."""
    from targetlint.rules import ALL

    result = invoke("rules", "--format", "json", "--profile", "hebei-2020")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["profile"] == "hebei-2020"
    assert [r["code"] for r in doc["rules"]] == [m.RULE.code for m in ALL]
    for entry, module in zip(doc["rules"], ALL):
        assert entry["name"] == module.RULE.name and entry["severity"] in ("error", "warning", "info")
        assert entry["zh"] == module.RULE.summary["zh"] and entry["en"] == module.RULE.summary["en"]
        assert "vocab" not in entry["params"] and set(entry["params"]) == set(module.RULE.params)
    by_code = {r["code"]: r for r in doc["rules"]}
    assert by_code["TL103"]["severity"] == "error"  # hebei-2020 raises it from the default warning


def test_rules_text_shows_profile_severity_and_off(tmp_path):
    prof = tmp_path / "p.yaml"
    prof.write_text("extends: default\nrules:\n  TL101: {severity: info}\n  TL304: false\n", encoding="utf-8")
    lines = invoke("rules", "--profile", str(prof)).stdout.splitlines()
    row = {line.split()[0]: line.split()[2] for line in lines if line.startswith("TL")}
    assert row["TL101"] == "提示" and row["TL304"] == "关闭" and row["TL301"] == "错误"


def test_explain_shows_the_active_profiles_parameters(tmp_path):
    prof = tmp_path / "p.yaml"
    prof.write_text("extends: default\nrules:\n  TL101: {params: {tolerance: 0.5}, severity: warning}\n", encoding="utf-8")
    out = invoke("explain", "TL101", "--profile", str(prof)).stdout
    assert "tolerance: 0.5" in out and "级别: 警告（默认 错误" in out and f"配置 {prof}" in out


def test_a_failing_rule_does_not_stop_the_others(monkeypatch):
    """A rule that raises is listed under ``failed`` with its error; every other rule still runs."""
    from targetlint.rules import tl304_value_with_prose as tl304

    def boom(sub, params):
        raise RuntimeError("rule exploded")

    monkeypatch.setattr(tl304, "check", boom)
    seed = REPO / "examples" / "kaiyuan-2020.txt"
    result = invoke("check", str(seed), "--profile", "hebei-2020", "--format", "json")
    status = json.loads(result.stdout)["files"][0]["rules"]
    findings = json.loads(result.stdout)["files"][0]["findings"]
    assert status["failed"] == {"TL304": "RuntimeError: rule exploded"}
    assert "TL304" not in status["ran"] and {"TL301", "TL315", "TL001"} <= set(status["ran"])
    assert "TL304" not in {f["rule"] for f in findings} and {"TL301", "TL315"} <= {f["rule"] for f in findings}
    assert result.exit_code == 1


def test_disabled_rules_are_neither_run_nor_skipped():
    seed = REPO / "examples" / "kaiyuan-2020.txt"
    result = invoke("check", str(seed), "--format", "json", "--select", "TL3", "--ignore", "TL301,TL304")
    status = json.loads(result.stdout)["files"][0]["rules"]
    listed = status["ran"] + status["skipped"] + list(status["failed"])
    assert listed and all(c.startswith("TL3") for c in listed)
    assert "TL301" not in listed and "TL304" not in listed


def test_rule_needing_an_absent_field_is_reported_skipped():
    """A layout without 财政资金 skips TL101 (absent is not empty); the JSON says so per file."""
    from targetlint import profile as profiles
    from targetlint.reporters import json_report

    sub = casebook.build({"project": {"budget_fiscal": None, "budget_total": "99"}}, path="no-fiscal.xlsx")
    prof = profiles.load("default").override({"TL101", "TL304"})
    found, status = engine.run(sub, prof)
    entry = json_report.file_entry(FileResult("no-fiscal.xlsx", submission=sub, findings=found, rule_status=status), "zh")
    assert entry["rules"] == {"ran": ["TL304"], "skipped": ["TL101"], "failed": {}}
    assert entry["findings"] == []


def test_several_outputs_and_annotated_copies_in_one_run(tmp_path):
    """-o may repeat with fmt: prefixes or extensions; --annotate writes beside the input; a rerun skips the copy."""
    import json
    import shutil

    from click.testing import CliRunner
    from openpyxl import load_workbook

    from targetlint.cli import cli

    (tmp_path / "in").mkdir()
    (tmp_path / "out").mkdir()
    src = tmp_path / "in" / "开元镇.xlsx"
    shutil.copy(Path(__file__).resolve().parents[1] / "examples" / "kaiyuan-2020.xlsx", src)
    before = src.read_bytes()
    out = CliRunner().invoke(
        cli,
        ["check", str(src), "--profile", "hebei-2020", "-o", f"html:{tmp_path / 'out' / 'r.html'}",
         "-o", str(tmp_path / "out" / "r.json"), "-o", f"csv:{tmp_path / 'out' / 'r.txt'}", "--annotate"],
    )
    assert out.exit_code == 1, out.output
    data = json.loads((tmp_path / "out" / "r.json").read_text(encoding="utf-8"))
    n = len(data["files"][0]["findings"])
    assert n > 100
    assert (tmp_path / "out" / "r.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert (tmp_path / "out" / "r.txt").read_bytes().startswith(b"\xef\xbb\xbf")  # csv despite the .txt name
    copy = tmp_path / "in" / "开元镇.审核意见.xlsx"
    assert load_workbook(copy).sheetnames[0] == "审核意见"
    assert src.read_bytes() == before
    rerun = CliRunner().invoke(cli, ["check", str(tmp_path / "in"), "--format", "json", "--profile", "hebei-2020"])
    assert [f["path"] for f in json.loads(rerun.stdout)["files"]] == [str(src)]
