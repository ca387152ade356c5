"""Start-up and the run around the rules: what loads lazily, and the fast paths that must equal the slow ones.

* A command imports only what it uses: ``--help``, ``rules`` and a check of
  a text file never import openpyxl (it is only for xlsx reports and
  templates), and a sound file never imports pandera.
* The schema's pre-test (:func:`schema.sound`) may only skip files pandera
  would pass: every malformation still reaches pandera and becomes TL000.
* The text reporter's pre-formatted rows are exactly the rich grid's.
* Chunking and the one-sort merge of batch findings change nothing.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from targetlint import casebook, engine, load, profile, runner, schema
from targetlint import findings as F
from targetlint.reporters import text
from targetlint.result import FileResult, RunResult

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

PROBE = """
import sys
from targetlint.cli import cli
try:
    cli.main(sys.argv[1:], prog_name="targetlint")
except SystemExit:
    pass
sys.stdout.flush()
print("LOADED:" + ",".join(m for m in ("openpyxl", "pandera", "jinja2") if m in sys.modules), file=sys.stderr)
"""


def _loaded(*args: str) -> set[str]:
    """The heavy modules a fresh ``targetlint ARGS`` process has imported when it ends."""
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, encoding="utf-8",
                          cwd=ROOT, timeout=120)
    line = [x for x in done.stderr.splitlines() if x.startswith("LOADED:")][-1]
    return set(filter(None, line[len("LOADED:"):].split(",")))


# --- what a command imports -----------------------------------------------------------------------------


@pytest.mark.parametrize("args", [("--help",), ("rules", "--format", "json")], ids=["help", "rules-json"])
def test_commands_without_workbooks_do_not_import_openpyxl(args):
    assert "openpyxl" not in _loaded(*args)


def test_checking_a_text_file_imports_neither_openpyxl_nor_pandera():
    loaded = _loaded("check", str(EXAMPLES / "kaiyuan-2020.txt"), "--format", "json")
    assert not loaded & {"openpyxl", "pandera", "jinja2"}


def test_reporters_load_their_module_when_asked():
    code = ("import sys, targetlint.reporters as r;"
            "assert 'openpyxl' not in sys.modules and 'jinja2' not in sys.modules;"
            "assert r.html.ONE_PAGE_MAX_FILES > 0 and 'jinja2' in sys.modules;"
            "assert callable(r.xlsx_report.render) and 'openpyxl' in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


# --- the schema's pre-test ------------------------------------------------------------------------------


def _sub():
    return casebook.build({"department": ["一、总体绩效目标", "全年完成培训360人次。"]})


def test_sound_files_pass_the_pre_test():
    assert schema.sound(_sub())
    for name in ("kaiyuan-2020.xlsx", "kaiyuan-2020.txt", "clean-2021.xlsx", "clean-2022-national.xlsx"):
        sub = load.load_path(str(EXAMPLES / name))
        assert schema.sound(sub), name
        assert schema.validate_models(sub).empty, name


def _as_object(df, column):
    df[column] = df[column].astype(object)


MALFORMED = {
    "number-as-text": lambda s: (_as_object(s.projects, "budget_total"), s.projects.__setitem__("budget_total", 12.5)),
    "too-long": lambda s: s.indicators.loc.__setitem__((1, "value"), "很" * (schema.MAX_CELL_CHARS + 1)),
    "no-location": lambda s: s.indicators.loc.__setitem__((2, "level3_loc"), None),
    "orphan-indicator": lambda s: s.indicators.loc.__setitem__((0, "project_key"), 99),
    "negative-seq": lambda s: s.indicators.loc.__setitem__((0, "seq"), -1),
    "duplicate-indicator": lambda s: s.indicators.loc.__setitem__((1, "seq"), s.indicators.loc[0, "seq"]),
    "duplicate-project": lambda s: s.__setattr__("projects", pd.concat([s.projects, s.projects], ignore_index=True)),
    "kind-unknown": lambda s: s.department.loc.__setitem__((0, "kind"), "table"),
    "file-missing": lambda s: (_as_object(s.projects, "file"), s.projects.loc.__setitem__((0, "file"), None)),
    "key-not-int": lambda s: s.projects.__setitem__("project_key", s.projects["project_key"].astype(float)),
}


@pytest.mark.parametrize("name", MALFORMED)
def test_malformed_frames_still_reach_pandera_and_become_tl000(name):
    sub = _sub()
    MALFORMED[name](sub)
    assert not schema.sound(sub)
    found = schema.validate(sub)
    assert len(found) and set(found["rule"]) == {"TL000"}


CANDIDATES = [None, np.nan, "", "x", 12.5, -1, 3, "很" * (schema.MAX_CELL_CHARS + 1), ("a",)]


def test_the_pre_test_never_hides_what_pandera_finds():
    """One cell of any column set to an odd value: whenever the pre-test says sound, pandera agrees."""
    cleared = 0
    for frame in ("projects", "indicators", "department"):
        for column in _sub().frame(frame).columns:
            for value in CANDIDATES:
                sub = _sub()
                df = sub.frame(frame)
                df[column] = df[column].astype(object)
                df.at[df.index[0], column] = value
                if schema.sound(sub):
                    cleared += 1
                    assert schema.validate_models(sub).empty, (frame, column, value)
    assert cleared > 20  # the pre-test does clear harmless edits, so this checked something


def test_a_malformed_file_in_a_batch_gets_its_own_findings():
    good, bad = _sub(), _sub()
    bad.indicators.loc[0, "project_key"] = 99
    broken = _sub()
    broken.projects = broken.projects.drop(columns=["goal_loc"])  # the model cannot even be applied
    out = runner._validate([good, bad, good, broken], debug=False)
    assert [len(found) for found, _ in out[:3]] == [0, len(schema.validate_models(bad)), 0]
    assert set(out[1][0]["rule"]) == {"TL000"} and out[1][1] is None
    assert out[3][1] is not None  # validation failed: reported as TL000 in the rule status


# --- the text reporter's pre-formatted rows -------------------------------------------------------------


def _tricky_run() -> RunResult:
    """Findings whose cells need wrapping, folding, or rich's own handling of tabs and control characters."""
    sub = casebook.build({}, path="各镇/开元镇.xlsx")
    rows = {
        "location": ["一般公共预算项目支出绩效目标申报表（2021年度）!E12", "p0.budget_total", None, "d0"],
        "field": ["value", "budget_total", None, "text"],
        "message_zh": ["指标值“≥360人次”后夹带文字，" * 4, "长串" + "x" * 150, "含\t制表符\x07和控制字符", ""],
        "suggestion_zh": ["建议改为“≥360人次”", None, "删除", "→"],
    }
    frames = []
    for i in range(4):
        row = {c: None for c in F.COLUMNS}
        row.update({k: v[i] for k, v in rows.items()})
        row.update(rule=f"TL10{i}", severity=("error", "warning", "info", "info")[i], project_seq=i, row_seq=i,
                   field_seq=0, project_code="914-0102", project_name="项目" * (i * 20 + 1))
        row["message_en"], row["suggestion_en"] = row["message_zh"], row["suggestion_zh"]
        frames.append(pd.DataFrame([row], columns=list(F.COLUMNS)))
    found = pd.concat(frames, ignore_index=True)
    return RunResult(files=[FileResult(sub.path, submission=sub, findings=found, rule_status=engine.RuleStatus())],
                     profile="test")


def _example_run() -> RunResult:
    return runner.check_paths([str(EXAMPLES / "kaiyuan-2020.xlsx")], "default")


@pytest.mark.parametrize("make", [_tricky_run, _example_run], ids=["tricky", "kaiyuan"])
def test_pre_formatted_rows_equal_the_rich_grid(make, monkeypatch):
    run = make()
    used = []
    fast_rows = text._fast_rows
    monkeypatch.setattr(text, "_fast_rows", lambda *a: used.append(fast_rows(*a) is not None) or fast_rows(*a))
    cases = [(lang, w, c) for lang in ("zh", "en") for w in (100, 64, 30) for c in (False, True)]
    fast = {(lang, w, c): text.render(run, lang, c, w) for lang, w, c in cases}
    assert any(used) and (make is _example_run or not all(used))  # both paths were taken
    monkeypatch.setattr(text, "_fast_rows", lambda *a, **k: None)
    monkeypatch.setattr(text, "_fast_title", lambda *a, **k: None)
    for (lang, w, c), out in fast.items():
        assert out == text.render(run, lang, c, w), (lang, w, c)


# --- chunks and the merge of batch findings -------------------------------------------------------------


@pytest.mark.parametrize("n", [1, 7, 9, 100, 1000, 1001])
@pytest.mark.parametrize("workers", [1, 2, 3])
def test_chunks_cover_the_files_in_order_evenly(n, workers):
    files = [f"f{i}" for i in range(n)]
    chunks = runner._chunks(files, workers, runner.CHUNK_FILES)
    assert [f for c in chunks for f in c] == files
    assert max(map(len, chunks)) <= runner.CHUNK_FILES
    if workers > 1 and n >= workers * runner.ROUNDS:
        assert len(chunks) % workers == 0 and max(map(len, chunks)) - min(map(len, chunks)) <= 1


def _random_findings(rng: np.random.Generator, n: int, numeric_seq: bool) -> pd.DataFrame:
    seqs = [-1, 0, 1, 2, np.nan] if numeric_seq else [-1, 0, 1, 2, None]
    data = {c: [None] * n for c in F.COLUMNS}
    data.update(
        project_seq=list(rng.choice(np.array(seqs, dtype=object), n)),
        row_seq=list(rng.integers(0, 4, n)),
        field_seq=list(rng.choice(np.array([0, 1, 2.0, None], dtype=object), n)),
        rule=list(rng.choice(["TL101", "TL301", "TL501"], n)),
        location=list(rng.choice(np.array(["A1", "B2", None, "A10"], dtype=object), n)),
        message_zh=[f"m{i}" for i in range(n)],
    )
    return pd.DataFrame(data)


@pytest.mark.parametrize("uniform", [True, False], ids=["same-types", "mixed-types"])
def test_one_sort_merge_equals_sorting_each_file(uniform):
    """Same column types everywhere: the pairs are cut from one sorted whole; mixed: some are concatenated alone."""
    rng = np.random.default_rng(7)

    def frame(n: int, numeric: bool) -> pd.DataFrame:
        df = _random_findings(rng, n, numeric)
        return df.astype(object) if uniform else df

    pairs = [(F.sort(frame(int(rng.integers(0, 30)), bool(i % 2))), frame(3, True)) for i in range(40)]
    merged = runner._merge_sorted(pairs)
    for (a, b), got in zip(pairs, merged):
        pd.testing.assert_frame_equal(got, F.sort(pd.concat([a, b], ignore_index=True)))


def test_profiles_parse_the_same_with_libyaml(monkeypatch):
    fast = {name: profile.load(name) for name in profile.builtin_names()}
    monkeypatch.setattr(profile, "_LOADER", __import__("yaml").SafeLoader)
    assert fast == {name: profile.load(name) for name in profile.builtin_names()}
