"""Configuration: targetlint.toml / [tool.targetlint], --select / --ignore, precedence, refusals.

Rule selection is tested through ``config.settings`` (which rules the
effective profile runs) and end to end through the JSON report's
``rules.ran``: a rule turned off must not run at all.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from targetlint import cli, config
from targetlint import profile as profiles
from targetlint.rules import ALL

REPO = Path(__file__).resolve().parents[1]
CLEAN = REPO / "examples" / "clean-2021.xlsx"
CODES = [m.RULE.code for m in ALL]


@pytest.fixture
def here(tmp_path, monkeypatch) -> Path:
    """An empty working folder (configuration is looked for in the working folder only)."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def toml(folder: Path, text: str, name: str = "targetlint.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def ran(prof: profiles.Profile) -> list[str]:
    return [m.RULE.code for m in prof.modules()]


def test_no_configuration_means_default_profile(here):
    got = config.settings(config.find())
    assert got.profile.name == "default" and got.fail_on == "error" and ran(got.profile) == CODES


def test_targetlint_toml(here):
    toml(here, """
profile = "hebei-2020"
select = ["TL1", "copy-paste-fields"]
ignore = ["TL103"]
fail-on = "warning"

[severity]
TL1 = "info"
TL101 = "warning"
""")
    got = config.settings(config.find())
    assert got.profile.name == "hebei-2020" and got.fail_on == "warning"
    assert ran(got.profile) == [c for c in CODES if c.startswith("TL1") and c != "TL103"] + ["TL301"]
    # a prefix sets every rule it names; a code is more specific and wins, whatever the order in the file
    assert got.profile.severity("TL104") == "info" and got.profile.severity("TL101") == "warning"
    assert got.profile.severity("TL301") == profiles.load("hebei-2020").severity("TL301")


def test_pyproject_table_and_targetlint_toml_wins(here):
    toml(here, '[project]\nname = "x"\n\n[tool.targetlint]\nignore = ["TL3"]\nfail-on = "info"\n', "pyproject.toml")
    got = config.settings(config.find())
    assert got.fail_on == "info" and not any(c.startswith("TL3") for c in ran(got.profile))
    toml(here, 'fail-on = "warning"\n')
    got = config.settings(config.find())
    assert got.fail_on == "warning" and "TL301" in ran(got.profile)  # one file only: pyproject is not read


def test_pyproject_without_table_is_no_configuration(here):
    toml(here, '[project]\nname = "x"\n', "pyproject.toml")
    assert config.find() == config.Config()


def test_parent_folders_are_not_searched(here):
    toml(here, 'fail-on = "info"\n')
    (here / "sub").mkdir()
    assert config.find(here / "sub") == config.Config()


def test_command_line_beats_the_file(here):
    toml(here, 'profile = "hebei-2020"\nselect = ["TL3"]\nignore = ["TL304"]\nfail-on = "warning"\n')
    got = config.settings(config.find(), profile="default", select=["TL1"], ignore=["TL102"], fail_on="info")
    assert got.profile.name == "default" and got.fail_on == "info"
    # --select replaces the file's select; ignores add up
    assert ran(got.profile) == [c for c in CODES if c.startswith("TL1") and c != "TL102"]
    got = config.settings(config.find(), ignore=["TL305"])
    assert ran(got.profile) == [c for c in CODES if c.startswith("TL3") and c not in ("TL304", "TL305")]


def test_prefix_keeps_profile_choices_but_a_code_turns_a_rule_on(here, tmp_path):
    prof = tmp_path / "narrow.yaml"
    prof.write_text("extends: default\nrules:\n  TL102: false\n  TL305: false\n", encoding="utf-8")
    got = config.settings(config.Config(), profile=str(prof), select=["TL1", "TL305"])
    assert "TL102" not in ran(got.profile) and "TL101" in ran(got.profile) and "TL305" in ran(got.profile)


def test_profile_path_in_the_file_is_relative_to_it(tmp_path, monkeypatch):
    (tmp_path / "cfg").mkdir()
    (tmp_path / "cfg" / "我局.yaml").write_text("name: 我局\nextends: default\n", encoding="utf-8")
    path = toml(tmp_path / "cfg", 'profile = "我局.yaml"\n')
    monkeypatch.chdir(tmp_path)
    assert config.settings(config.read(path)).profile.name == "我局"


def test_utf8_bom_is_accepted(here):
    (here / "targetlint.toml").write_bytes(b'\xef\xbb\xbfignore = ["TL002"]\n')  # Notepad's UTF-8
    assert "TL002" not in ran(config.settings(config.find()).profile)


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ('selct = ["TL1"]\n', "selct"),
        ('fail_on = "warning"\n', "fail_on"),
        ('select = ["TL9"]\n', "TL9"),
        ('ignore = ["no-such-rule"]\n', "no-such-rule"),
        ("select = [3]\n", "select"),
        ('fail-on = "fatal"\n', "fail-on"),
        ('[severity]\nTL101 = "fatal"\n', "TL101"),
        ('[severity]\nTL99 = "info"\n', "TL99"),
        ('severity = "info"\n', "severity"),
        ("profile = 3\n", "profile"),
        ('select = ["TL1"\n', "TOML"),
        ("[limits]\nmax-rows = 5\n", "max-rows"),
        ("[limits]\nmax-cells = -1\n", "max-cells"),
        ('limits = "small"\n', "limits"),
    ],
)
def test_broken_configuration_names_file_and_key(here, text, named):
    toml(here, text)
    with pytest.raises(config.ConfigError) as err:
        config.find()
    assert "targetlint.toml" in str(err.value) and named in str(err.value)


def test_unknown_profile_in_the_file_names_the_file(here):
    toml(here, 'profile = "no-such-profile"\n')
    with pytest.raises(profiles.ProfileError) as err:
        config.settings(config.find())
    assert "targetlint.toml" in str(err.value) and "no-such-profile" in str(err.value)


def invoke(*args: str):
    return CliRunner().invoke(cli.cli, list(args))


@pytest.mark.parametrize(
    ("options", "named"),
    [(["--select", "TL9"], "TL9"), (["--ignore", "TL101,nonsense"], "nonsense"), (["--select", "TL3,TL3040"], "TL3040")],
)
def test_unknown_selector_on_the_command_line_exits_2(here, options, named):
    result = invoke("check", str(CLEAN), *options)
    assert result.exit_code == 2 and result.stdout == ""
    assert named in result.stderr and options[0] in result.stderr


def test_broken_configuration_exits_2_on_every_command(here):
    toml(here, 'ignore = ["TL9"]\n')
    for args in (["check", str(CLEAN)], ["rules"], ["explain", "TL101"]):
        result = invoke(*args)
        assert result.exit_code == 2 and "targetlint.toml" in result.stderr and "TL9" in result.stderr


def test_selected_rules_are_the_only_ones_that_run(here):
    toml(here, 'select = ["TL3"]\n')
    result = invoke("check", str(CLEAN), "--format", "json", "--ignore", "TL304", "--select", "TL30,copy-paste-fields")
    status = json.loads(result.stdout)["files"][0]["rules"]
    wanted = [c for c in CODES if c.startswith("TL30") and c != "TL304"]
    assert sorted(status["ran"] + status["skipped"] + list(status["failed"])) == wanted
    assert "TL301" in status["ran"]


def test_config_file_option_and_fail_on_from_the_file(here):
    (here / "cfg").mkdir()
    prof = here / "cfg" / "strict.yaml"
    prof.write_text("extends: default\nrules:\n  TL206: {params: {min_indicators: 50}, severity: info}\n", encoding="utf-8")
    cfg = toml(here / "cfg", 'profile = "strict.yaml"\nselect = ["TL206"]\nfail-on = "info"\n', "elsewhere.toml")
    result = CliRunner().invoke(cli.cli, ["check", str(CLEAN), "--config", str(cfg), "--format", "json"])
    doc = json.loads(result.stdout)
    assert {f["rule"] for f in doc["files"][0]["findings"]} == {"TL206"}
    assert result.exit_code == 1  # info findings, fail-on info from the file
    overridden = CliRunner().invoke(cli.cli, ["check", str(CLEAN), "--config", str(cfg), "--fail-on", "error"])
    assert overridden.exit_code == 0


def test_rules_and_explain_show_the_configured_profile(here):
    toml(here, 'ignore = ["TL314"]\n[severity]\nTL304 = "warning"\n')
    doc = json.loads(invoke("rules", "--format", "json").stdout)
    by_code = {r["code"]: r for r in doc["rules"]}
    assert by_code["TL304"]["severity"] == "warning" and by_code["TL304"]["default_severity"] == "error"
    assert by_code["TL314"]["enabled"] is False and by_code["TL101"]["enabled"] is True
    assert "级别: 警告（默认 错误" in invoke("explain", "TL304").stdout


def _limited_run(here: Path, *extra: str) -> dict:
    """``check`` of a folder of two workbooks with the configuration in ``here``; the JSON report."""
    folder = here / "各镇"
    folder.mkdir()
    for name in ("东城镇.xlsx", "西城镇.xlsx"):
        (folder / name).write_bytes(CLEAN.read_bytes())
    out = here / "report.json"
    result = CliRunner().invoke(cli.cli, ["check", str(folder), "-o", f"json:{out}", *extra])
    assert result.exit_code in (0, 1, 2), result.output
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_limits_table_is_applied_in_every_worker(here, jobs):
    toml(here, "[limits]\nmax-cells = 100\n")  # a real submission spans more cells than this
    doc = _limited_run(here, "-j", jobs)
    assert [f["error"]["code"] for f in doc["files"]] == ["too-large", "too-large"]
    assert all("100" in f["error"]["message"] for f in doc["files"])


def test_limits_table_within_real_sizes_changes_nothing(here):
    toml(here, "[limits]\nmax-cells = 500000\nmax-file-mb = 20\n")
    doc = _limited_run(here, "-j", "2")
    assert [f["status"] for f in doc["files"]] == ["ok", "ok"]
    assert config.find().limits.max_cells == 500000 and config.find().limits.max_file_bytes == 20 * 1024 * 1024
