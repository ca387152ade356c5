"""The fast path gives the same findings as the plain path.

Files checked together (rules run once over a concatenation of many files),
in worker processes (``-j 2``), or read with openpyxl instead of calamine
must give every file exactly what it gets checked alone, in the same order:
the JSON report is compared byte for byte (it has no timing fields).  No
timing is tested here; ``bench/run.py`` measures.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from targetlint import casebook, cli, engine, profile, runner
from targetlint.formats import xlsx, xlsx_openpyxl
from targetlint.reporters import json_report

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "rules" / "cases"


def _corpus():
    spec = importlib.util.spec_from_file_location("make_corpus", ROOT / "bench" / "make_corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """Mixed layouts (L1, L2, L3, text), clean and defective files, and one unreadable file."""
    d = tmp_path_factory.mktemp("mixed")
    for name in ("kaiyuan-2020.xlsx", "kaiyuan-2020.txt", "clean-2021.xlsx"):
        shutil.copy(ROOT / "examples" / name, d / name)
    make = _corpus()
    for i in (0, 2, 6, 8, 9):  # generated: these indices give all three workbook layouts, some defects
        make.write_one(2021, i, str(d))
    (d / "损坏.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    return d


def _json(paths, **kw) -> str:
    return json_report.render(runner.check_paths([str(p) for p in paths], "default", **kw))


@pytest.fixture(scope="module")
def alone(folder) -> str:
    """The reference: every file checked on its own, in this process."""
    return _json([folder], chunk_files=1, jobs=1)


def test_the_folder_is_mixed(alone):
    doc = json.loads(alone)
    layouts = {f["layout"] for f in doc["files"]}
    assert {"hebei-form", "national-form", "flat-export"} <= layouts
    assert any(f["error"] for f in doc["files"]) and sum(len(f["findings"]) for f in doc["files"]) > 50
    rules = {x["rule"] for f in doc["files"] for x in f["findings"]}
    assert {"TL501", "TL001", "TL204", "TL403"} <= rules  # batch, texts, project and year-dependent rules


def test_chunked_equals_alone(folder, alone):
    assert _json([folder], jobs=1) == alone


def test_slim_submissions_give_the_same_reports(folder):
    """The command line keeps only what batch rules and reporters read of each file: every report is unchanged."""
    from targetlint import reporters

    full = runner.check_paths([str(folder)], "default", jobs=1)
    slim = runner.check_paths([str(folder)], "default", jobs=1, slim=True)
    kept = next(f.submission for f in slim.files if f.submission is not None)
    assert list(kept.indicators.columns) == ["file", "project_key", "seq", "level3", "value"] and kept.department.empty
    for fmt in ("text", "json", "csv", "html"):
        assert reporters.render(fmt, slim, "zh") == reporters.render(fmt, full, "zh"), fmt


def test_parallel_equals_alone_in_the_order_given(folder, alone):
    """Two workers, chunks of two files, the files named in reverse: each file's entry as alone, in that order."""
    files = sorted(folder.iterdir(), reverse=True)
    doc, ref = json.loads(_json(files, jobs=2, chunk_files=2)), json.loads(alone)
    assert [f["path"] for f in doc["files"]] == [str(p) for p in files]
    assert doc["files"] == ref["files"][::-1] and doc["summary"] == ref["summary"]


def test_openpyxl_reader_equals_calamine(folder, alone, monkeypatch):
    calls = []
    read = xlsx_openpyxl.read
    monkeypatch.setattr(xlsx_openpyxl, "read", lambda *a, **k: calls.append(a[0]) or read(*a, **k))
    monkeypatch.setenv(runner.READER_ENV, "openpyxl")
    assert _json([folder], jobs=1) == alone
    assert len(calls) >= 7  # every readable workbook went through openpyxl
    assert runner.load._READERS["xlsx"] is xlsx.read  # restored after the run


def test_unknown_reader_is_refused(folder, monkeypatch):
    monkeypatch.setenv(runner.READER_ENV, "xlrd")
    with pytest.raises(ValueError, match="xlrd"):
        runner.check_paths([str(folder)], "default", jobs=1)


def test_cli_jobs_option_gives_the_same_report(folder):
    run = CliRunner()
    outputs = [run.invoke(cli.cli, ["check", str(folder), "-j", j, "--format", "json", "--exit-zero"]) for j in "12"]
    assert [o.exit_code for o in outputs] == [2, 2]  # the unreadable file
    assert outputs[0].stdout == outputs[1].stdout and '"TL501"' in outputs[0].stdout


@pytest.mark.parametrize(("jobs", "files", "want"), [(1, 500, 1), (2, 500, 2), (2, 1, 1), (8, 6, 3), (0, 3, 1)])
def test_jobs_for(jobs, files, want):
    assert runner.jobs_for(jobs, files) == want


def test_auto_jobs_uses_the_cores_for_a_big_batch():
    assert runner.jobs_for(0, 1000) == runner.jobs_for(None, 1000) >= 1


@pytest.fixture(scope="module")
def cases() -> list[tuple[str, str, object]]:
    """(case id, rule, submission) of every default-profile case of every rule (cases overriding params left out)."""
    out = []
    for path in sorted(CASES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in data["cases"]:
            if not case.get("params") and case.get("profile", "default") == "default":
                cid = f"{data['rule']}-{case['id']}"
                out.append((cid, data["rule"], casebook.build(case, path=f"{cid}.xlsx")))
    return out


@pytest.fixture(scope="module")
def together(cases):
    """Every case checked by every rule in one run over all of them."""
    return engine.run_many([sub for _, _, sub in cases], profile.load("default"))


def test_each_rule_gives_its_cases_their_own_findings_in_a_concatenation(cases, together):
    prof = profile.load("default")
    only = {m.RULE.code: prof.override(enabled=[m.RULE.code]) for m in prof.modules()}
    assert len(cases) > 300
    for (cid, code, sub), (found, _) in zip(cases, together):
        if code not in only:
            continue
        want, status = engine.run(sub, only[code])
        mine = found[found["rule"] == code].reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, want, obj=cid)


def test_every_rule_gives_sampled_cases_their_own_findings(cases, together):
    """All rules on a sample of the cases (each checked alone costs every rule's fixed cost)."""
    prof = profile.load("default")
    for (cid, _, sub), (found, status) in list(zip(cases, together))[::40]:
        want, want_status = engine.run(sub, prof)
        assert status == want_status, cid
        pd.testing.assert_frame_equal(found, want, obj=cid)


def test_findings_do_not_depend_on_the_other_files(cases, together):
    """The same cases in another order and other groups: each case's findings do not move."""
    subs = [sub for _, _, sub in cases]
    half = len(subs) // 2
    shuffled = subs[half:][::-1] + subs[:half]
    again = dict(zip(map(id, shuffled), engine.run_many(shuffled, profile.load("default"))))
    for (cid, _, sub), (found, status) in zip(cases, together):
        pd.testing.assert_frame_equal(again[id(sub)][0], found, obj=cid)
        assert again[id(sub)][1] == status, cid


def test_years_and_units_stay_per_file():
    """Two files differing only in year and unit: year- and unit-dependent findings follow each file."""
    prof = profile.load("default")
    case = {"project": {"goal": "2020年底前完成道路养护12公里", "unit": "", "project_code": "X-1"},
            "indicators": [{"level2": "时效指标", "level3": "完成时间", "value": "2020年12月31日前"}]}
    subs = [casebook.build({**case, "year": y}, path=f"{y}.xlsx") for y in (2020, 2022)]
    for sub, unit in zip(subs, ("913001甲镇", "914002乙镇")):
        sub.units = [unit]
    together = engine.run_many(subs, prof)
    for sub, (found, status) in zip(subs, together):
        want, want_status = engine.run(sub, prof)
        pd.testing.assert_frame_equal(found, want)
        assert status == want_status
    rules = [set(found["rule"]) for found, _ in together]
    assert "TL403" in rules[1] and "TL403" not in rules[0]  # 2020 is stale only in the 2022 file
    assert set(together[1][0]["unit"]) == {"914002乙镇"}


def test_help_does_not_import_the_heavy_modules():
    code = "import sys, targetlint.cli; print(sorted(m for m in ('pandas', 'pandera', 'openpyxl') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_cli_names_match_the_registries():
    from targetlint import layouts, reporters, result

    assert cli.FORMATS == tuple(reporters.FORMATS)
    assert cli.LAYOUTS == tuple(layouts.LAYOUTS) and cli.ALIASES == layouts.ALIASES
    assert (cli.EXIT_OK, cli.EXIT_FINDINGS, cli.EXIT_ERROR) == (result.EXIT_OK, result.EXIT_FINDINGS, result.EXIT_ERROR)


def test_output_to_a_device_or_pipe_is_written_into_not_replaced(tmp_path):
    """``-o /dev/null`` (the benchmark's) must not swap the device for a file; a FIFO shows it without root."""
    import os
    import stat
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    cli.write_atomic(str(fifo), "报告")
    reader.join(5)
    assert got == ["报告".encode()] and stat.S_ISFIFO(os.stat(fifo).st_mode)
