"""End-to-end acceptance: the seed, its xlsx twin, the clean example, the L1 writer.

What the seed must give is fixed by ``spec/rules.md`` ("What the seed must
give"); the same content written as an L1 workbook must give the same
findings, each pointing at the cell that holds the offending value; the clean
example must give no error and no warning under any shipped profile; so must
the second clean example, a county bureau's 2022 submission in another layout
(the national form, L2) and the newer indicator tree (issue 3's acceptance).
These tests run the whole pipeline (loader → rules → JSON reporter), so a rule
that is not written yet shows up here as a failed count, by design.
"""

from __future__ import annotations

import importlib.util
import json
import re
from collections import Counter
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from targetlint import casebook, cli, engine, load, runner
from targetlint import profile as profiles
from targetlint.formats.grid import cell_text
from targetlint.layouts import hebei_writer, national_writer
from targetlint.rules import ALL as CATALOGUE
from targetlint.reporters import json_report
from targetlint.submission import INDICATOR_FIELDS, PROJECT_FIELDS

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
SEED = REPO.parent / "shared" / "seed" / "000_852a9d826d30868b.txt"
KAIYUAN_TXT = EXAMPLES / "kaiyuan-2020.txt"
KAIYUAN_XLSX = EXAMPLES / "kaiyuan-2020.xlsx"
CLEAN_YAML = EXAMPLES / "clean-2021.yaml"
CLEAN_XLSX = EXAMPLES / "clean-2021.xlsx"
NATIONAL_YAML = EXAMPLES / "clean-2022-national.yaml"
NATIONAL_XLSX = EXAMPLES / "clean-2022-national.xlsx"

needs_seed = pytest.mark.skipif(not SEED.is_file(), reason=f"../shared is absent: no seed submission at {SEED}")

#: The seed under test: the original text (only where ../shared is checked out) and its committed xlsx twin.
SEED_FILES = [pytest.param(SEED, marks=needs_seed, id="seed-txt"), pytest.param(KAIYUAN_XLSX, id="kaiyuan-xlsx")]

UNIT = "914003开元镇政府办公室"
EXACT = {"TL001": 17, "TL103": 14, "TL204": 14, "TL206": 14, "TL304": 28, "TL308": 14, "TL315": 28}
NEVER = ("TL101", "TL104", "TL202", "TL203", "TL404")
PROFILES = ("default", "hebei-2020")
_ADDRESS = re.compile(r"^(?P<sheet>.+)!(?P<cell>\$?[A-Z]{1,3}\$?[0-9]+)$")


def _build_examples():
    spec = importlib.util.spec_from_file_location("build_examples", EXAMPLES / "build_examples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@lru_cache(maxsize=None)
def _check(path: Path, profile: str):
    """(JSON file entry, findings frame, submission) of one file under one profile."""
    result = runner.check_paths([str(path)], profile)
    (fr,) = result.files
    assert fr.error is None, f"{path.name} could not be read: {fr.error and fr.error.message('en')}"
    entry = json_report.report(result)["files"][0]
    return entry, fr.findings, fr.submission


def _of(entry: dict, code: str) -> list[dict]:
    return [f for f in entry["findings"] if f["rule"] == code]


def _level1(findings: pd.DataFrame, sub, code: str) -> list[str]:
    """The 一级指标 of the indicator row each ``code`` finding is on."""
    ind = sub.indicators.set_index(["project_key", "seq"])["level1"]
    rows = findings[findings["rule"] == code]
    return [ind.get((k, s)) for k, s in zip(rows["project_key"], rows["row_seq"])]


def _brief(findings: list[dict]) -> str:
    return "\n".join(f"{f['rule']} {f['severity']} {f['project_code']} {f['field']} {f['location']} {f['value']!r}"
                     for f in findings[:40])


# --- the seed and its xlsx twin ------------------------------------------------------------


@pytest.mark.parametrize("path", SEED_FILES)
def test_seed_is_read_whole(path):
    entry, _, _ = _check(path, "hebei-2020")
    assert entry["status"] == "ok"
    assert entry["projects"] == 14
    assert entry["indicators"] == 28
    assert entry["units"] == [UNIT]


@pytest.mark.parametrize("code", sorted(EXACT))
@pytest.mark.parametrize("path", SEED_FILES)
def test_seed_exact_counts(path, code):
    entry, _, _ = _check(path, "hebei-2020")
    assert len(_of(entry, code)) == EXACT[code], _brief(_of(entry, code))


@pytest.mark.parametrize("path", SEED_FILES)
def test_seed_spending_plan_empty_is_an_error_under_hebei(path):
    entry, _, _ = _check(path, "hebei-2020")
    found = _of(entry, "TL103")
    assert {f["severity"] for f in found} == {"error"}
    assert len({f["project_code"] for f in found}) == 14


@pytest.mark.parametrize("path", SEED_FILES)
def test_seed_every_project_lacks_benefit_indicators(path):
    entry, _, sub = _check(path, "hebei-2020")
    benefit = [f for f in _of(entry, "TL201") if "效益" in (f["message"] or "")]
    assert {f["project_code"] for f in benefit} == set(sub.projects["project_code"]), _brief(_of(entry, "TL201"))
    assert {f["severity"] for f in benefit} == {"error"}


@pytest.mark.parametrize("path", SEED_FILES)
def test_seed_one_finding_per_project_for_project_rules(path):
    entry, _, _ = _check(path, "hebei-2020")
    for code in ("TL204", "TL206"):
        assert len({f["project_code"] for f in _of(entry, code)}) == 14, code


@pytest.mark.parametrize("path", SEED_FILES)
def test_seed_copy_paste_rows(path):
    entry, _, _ = _check(path, "hebei-2020")
    rows = {f["location"] for f in _of(entry, "TL301")}
    assert len(rows) >= 26, _brief(_of(entry, "TL301"))


@pytest.mark.parametrize("path", SEED_FILES)
def test_seed_sentence_level3_only_on_output_rows(path):
    _, findings, sub = _check(path, "hebei-2020")
    levels = _level1(findings, sub, "TL302")
    assert levels, "TL302 found no sentence-like 三级指标"
    assert set(levels) == {"产出指标"}


@pytest.mark.parametrize("path", SEED_FILES)
def test_seed_fraction_rates_are_the_satisfaction_rows(path):
    _, findings, sub = _check(path, "hebei-2020")
    assert _level1(findings, sub, "TL308") == ["满意度指标"] * 14


@pytest.mark.parametrize("path", SEED_FILES)
def test_seed_value_with_prose_on_every_value(path):
    entry, _, _ = _check(path, "hebei-2020")
    assert {f["field"] for f in _of(entry, "TL304")} == {"value"}


@pytest.mark.parametrize("path", SEED_FILES)
def test_seed_boilerplate_projects(path):
    _, findings, sub = _check(path, "hebei-2020")
    seqs = set(findings.loc[findings["rule"] == "TL401", "project_seq"])
    assert {1, 2, 3, 4, 5} <= seqs, f"TL401 on project positions {sorted(seqs)}"


@pytest.mark.parametrize("path", SEED_FILES)
def test_seed_department_part_unmeasurable(path):
    entry, _, _ = _check(path, "hebei-2020")
    found = _of(entry, "TL405")
    assert found
    assert all(f["project_code"] is None for f in found)


@pytest.mark.parametrize("path", SEED_FILES)
def test_seed_field_code_residue_on_the_headings(path):
    entry, _, _ = _check(path, "hebei-2020")
    found = _of(entry, "TL001")
    assert sum(f["project_code"] is None for f in found) == 3  # the department part's 3 headings
    assert len({f["project_code"] for f in found if f["project_code"]}) == 14  # every project title


@pytest.mark.parametrize("code", NEVER)
@pytest.mark.parametrize("path", SEED_FILES)
def test_seed_never(path, code):
    entry, _, _ = _check(path, "hebei-2020")
    assert not _of(entry, code), _brief(_of(entry, code))


def test_xlsx_findings_point_at_their_cells():
    entry, _, _ = _check(KAIYUAN_XLSX, "hebei-2020")
    assert entry["findings"]
    wb = openpyxl.load_workbook(KAIYUAN_XLSX)
    for f in entry["findings"]:
        m = _ADDRESS.match(f["location"] or "")
        assert m, f"{f['rule']} has no cell address: {f['location']!r}"
        assert m["sheet"] in wb.sheetnames, f["location"]
        shown = _shown(wb[m["sheet"]], m["cell"].replace("$", ""))
        value = f["value"]
        if value is None:
            assert shown == "", f"{f['rule']} {f['location']}: empty value but the cell shows {shown!r}"
        elif value.endswith("…"):
            assert shown.startswith(value[:-1]), f"{f['rule']} {f['location']}: {value!r} vs {shown!r}"
        else:
            assert shown == value, f"{f['rule']} {f['location']}: {value!r} vs {shown!r}"


def _shown(ws, address: str) -> str:
    """The text a reader sees at ``address`` (a cell inside a merged range shows the anchor's)."""
    for rng in ws.merged_cells.ranges:
        if address in rng:
            address = rng.start_cell.coordinate
            break
    return " ".join(cell_text(ws[address].value).split())


def test_text_and_xlsx_give_the_same_findings():
    def key(path):
        entry, _, _ = _check(path, "hebei-2020")
        return Counter((f["rule"], f["project_code"], f["field"]) for f in entry["findings"])

    text, xlsx = key(KAIYUAN_TXT), key(KAIYUAN_XLSX)
    assert text, "no findings on the seed text"
    assert text == xlsx, f"only in text: {text - xlsx}; only in xlsx: {xlsx - text}"


@needs_seed
def test_bundled_text_is_the_seed():
    assert KAIYUAN_TXT.read_bytes() == SEED.read_bytes()


def test_cli_json_is_the_reported_json():
    result = CliRunner().invoke(cli.cli, ["check", "--format", "json", "--profile", "hebei-2020", str(KAIYUAN_XLSX)])
    assert result.exit_code == 1, result.output  # the seed has error findings
    assert json.loads(result.stdout)["files"][0] == _check(KAIYUAN_XLSX, "hebei-2020")[0]


# --- the clean example ----------------------------------------------------------------------


@pytest.mark.parametrize("profile", PROFILES)
def test_clean_example_has_no_error_and_no_warning(profile):
    entry, _, _ = _check(CLEAN_XLSX, profile)
    assert entry["status"] == "ok"
    bad = [f for f in entry["findings"] if f["severity"] in ("error", "warning")]
    assert not bad, _brief(bad)
    assert entry["rules"]["failed"] == {}


@pytest.mark.parametrize("profile", PROFILES)
def test_clean_example_passes_the_cli(profile):
    result = CliRunner().invoke(cli.cli, ["check", "--fail-on", "warning", "--profile", profile, str(CLEAN_XLSX)])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("profile", PROFILES)
def test_clean_yaml_is_clean_before_any_loader(profile):
    """The clean data itself, straight into the rules (so a loader bug cannot hide a rule bug)."""
    sub = _build_examples().submission_from_yaml(CLEAN_YAML)
    found, status = engine.run(sub, profiles.load(profile))
    bad = found[found["severity"].isin(["error", "warning"])]
    assert bad.empty, bad[["rule", "project_code", "field", "value", "message_zh"]].to_string()
    assert status.failed == {}


def test_clean_example_shape():
    sub = _build_examples().submission_from_yaml(CLEAN_YAML)
    entry, _, _ = _check(CLEAN_XLSX, "default")
    assert entry["projects"] == len(sub.projects) >= 6
    assert entry["indicators"] == len(sub.indicators)
    assert sub.projects["project_code"].is_unique
    assert (sub.projects["budget_other"].map(lambda v: Decimal(v or 0)) > 0).any()


def test_committed_examples_are_up_to_date(tmp_path):
    """Rebuilding from the YAML (and the seed, when present) gives the committed workbooks."""
    build = _build_examples()
    hebei_writer.write(build.submission_from_yaml(CLEAN_YAML), tmp_path / "clean.xlsx", timestamp=build.STAMP)
    assert _content(tmp_path / "clean.xlsx") == _content(CLEAN_XLSX)
    if SEED.is_file():
        hebei_writer.write(load.load_path(str(SEED)), tmp_path / "kaiyuan.xlsx", timestamp=build.STAMP)
        assert _content(tmp_path / "kaiyuan.xlsx") == _content(KAIYUAN_XLSX)


def _content(path: Path):
    wb = openpyxl.load_workbook(path)
    return [
        (ws.title, sorted(str(r) for r in ws.merged_cells.ranges),
         [[c.value for c in row] for row in ws.iter_rows()])
        for ws in wb
    ]


# --- the second clean example: a county bureau, 2022, national form (L2) -----------------------

#: Profiles the national example must be clean under.  It is written in the newer tree of
#: 财预〔2021〕101号 (成本指标 a 一级 with 经济成本/社会成本指标), so mof-2021, which requires that tree,
#: is the profile that matters most; default accepts both trees.  hebei-2020 is asserted too: it
#: extends default's taxonomy (both trees), and it is the strictest about absent fields (TL103 is
#: an error there), so a form with no spending plan or project code staying clean under it is the
#: spec's "absent is not empty" holding where it is easiest to break.
NATIONAL_PROFILES = ("default", "hebei-2020", "mof-2021")
#: The 一级指标 of the newer tree; every project of the example covers all four.
LEVEL1_2021 = {"产出指标", "成本指标", "效益指标", "满意度指标"}
#: What the national form has no place for: absent (None) in the data and in the workbook alike.
NATIONAL_ABSENT = ("project_code", "purpose", "plan_mar", "plan_jun", "plan_oct", "plan_dec")
#: The bureau's extra columns (指标性质, 度量单位, 权重) and the rules that only run where they exist.
NATIONAL_EXTRAS = ("value_type", "measure_unit", "weight")
EXTRA_COLUMN_RULES = ("TL208", "TL306", "TL307")


@pytest.mark.parametrize("profile", NATIONAL_PROFILES)
def test_national_example_has_no_error_and_no_warning(profile):
    entry, _, _ = _check(NATIONAL_XLSX, profile)
    assert (entry["status"], entry["layout"]) == ("ok", "national-form")
    bad = [f for f in entry["findings"] if f["severity"] in ("error", "warning")]
    assert not bad, _brief(bad)
    assert entry["rules"]["failed"] == {}


@pytest.mark.parametrize("profile", NATIONAL_PROFILES)
def test_national_example_passes_the_cli(profile):
    result = CliRunner().invoke(cli.cli, ["check", "--fail-on", "warning", "--profile", profile, str(NATIONAL_XLSX)])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("profile", NATIONAL_PROFILES)
def test_national_yaml_is_clean_before_any_loader(profile):
    sub = _build_examples().submission_from_yaml(NATIONAL_YAML)
    found, status = engine.run(sub, profiles.load(profile))
    bad = found[found["severity"].isin(["error", "warning"])]
    assert bad.empty, bad[["rule", "project_name", "field", "value", "message_zh"]].to_string()
    assert status.failed == {}


@pytest.mark.parametrize("profile", NATIONAL_PROFILES)
def test_national_example_is_checked_by_the_rules_its_columns_allow(profile):
    """Clean because the rules ran and found nothing, not because they were skipped.

    Only the rules that need a field the national form has no place for (项目编码,
    指标值确定依据 …) may be skipped; the weight, unit and type rules must run.
    """
    entry, _, sub = _check(NATIONAL_XLSX, profile)
    needs = {r.RULE.code: r.RULE.needs for r in CATALOGUE}
    assert set(EXTRA_COLUMN_RULES) <= set(entry["rules"]["ran"])
    for code in entry["rules"]["skipped"]:
        missing = [f for f in needs[code] if not sub.has_field(f)]
        assert missing and set(missing) <= {*NATIONAL_ABSENT, "description", "basis", "direction"}, (code, missing)


def test_national_example_shape():
    sub = _build_examples().submission_from_yaml(NATIONAL_YAML)
    entry, _, back = _check(NATIONAL_XLSX, "default")
    assert entry["projects"] == len(sub.projects) >= 6
    assert entry["indicators"] == len(sub.indicators)
    assert (back.year, back.units) == (sub.year, sub.units) == (2022, ["412001云溪县教育局"])
    assert sub.projects["project_name"].is_unique  # the form keys projects by name
    assert (sub.projects["budget_other"].map(lambda v: Decimal(v or 0)) > 0).any()
    for key, level1 in sub.indicators.groupby("project_key")["level1"]:
        assert set(level1) == LEVEL1_2021, (key, sorted(set(level1)))
    assert set(sub.indicators["level2"]) >= {"经济成本指标", "社会成本指标"}
    for frame, fields in (("projects", NATIONAL_ABSENT), ("indicators", ("description", "basis"))):
        for f in fields:
            assert getattr(sub, frame)[f].isna().all() and getattr(back, frame)[f].isna().all(), f"{frame}.{f}"
    for f in NATIONAL_EXTRAS:
        assert sub.indicators[f].notna().all() and back.indicators[f].notna().all(), f


def test_national_workbook_holds_the_yaml():
    """The loader reads back every field the form carries, so the workbook's clean run checks the same data."""
    sub = _build_examples().submission_from_yaml(NATIONAL_YAML)
    back = load.load_path(str(NATIONAL_XLSX))
    fields = {"projects": ("unit", "project_name", "budget_total", "budget_fiscal", "budget_other", "goal"),
              "indicators": ("level1", "level2", "level3", "value", *NATIONAL_EXTRAS)}
    for frame, names in fields.items():
        a, b = getattr(sub, frame), getattr(back, frame)
        for f in names:
            assert [_norm(v) for v in a[f]] == [_norm(v) for v in b[f]], f"{frame}.{f}"


def test_mof_2021_tells_the_two_trees_apart():
    """The older-tree clean example is not clean under mof-2021, so the national example passing it means something."""
    old, _, _ = _check(CLEAN_XLSX, "mof-2021")
    assert {f["rule"] for f in old["findings"] if f["severity"] in ("error", "warning")} >= {"TL201", "TL202"}
    new, _, _ = _check(NATIONAL_XLSX, "mof-2021")
    assert not [f for f in new["findings"] if f["rule"] in ("TL201", "TL202")]


def test_committed_national_example_is_up_to_date(tmp_path):
    build = _build_examples()
    fresh = national_writer.write(build.submission_from_yaml(NATIONAL_YAML), tmp_path / "n.xlsx",
                                  timestamp=build.STAMP)
    assert _content(fresh) == _content(NATIONAL_XLSX)
    again = national_writer.write(build.submission_from_yaml(NATIONAL_YAML), tmp_path / "m.xlsx",
                                  timestamp=build.STAMP)
    assert fresh.read_bytes() == again.read_bytes()  # deterministic: same YAML, same bytes


# --- the L1 writer --------------------------------------------------------------------------

HOSTILE = ("=SUM(A1:A3)", "+86-311-1234", "-1+2", "@cmd")


def _hostile_submission():
    indicators = [dict(row) for row in casebook.BASE_INDICATORS]
    indicators[0].update(value=HOSTILE[0], basis=HOSTILE[3])
    indicators[1].update(level3=HOSTILE[1], description=HOSTILE[2])
    return casebook.build({
        "project": {"goal": HOSTILE[0], "purpose": HOSTILE[1], "project_name": HOSTILE[2], "budget_other": HOSTILE[3]},
        "indicators": indicators,
        "department": [{"text": "一、总体绩效目标", "kind": "heading"}, HOSTILE[0]],
    })


def test_writer_never_writes_a_formula(tmp_path):
    path = hebei_writer.write(_hostile_submission(), tmp_path / "h.xlsx")
    wb = openpyxl.load_workbook(path)
    seen = Counter()
    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula: {cell.value!r}"
                if cell.value in HOSTILE:
                    assert cell.data_type == "s"
                    seen[cell.value] += 1
    assert set(seen) == set(HOSTILE), seen


def test_writer_round_trips_through_the_reader(tmp_path):
    sub = _hostile_submission()
    back = load.load_path(str(hebei_writer.write(sub, tmp_path / "h.xlsx")))
    assert back.layout == "hebei-form"
    for frame, fields in (("projects", PROJECT_FIELDS), ("indicators", INDICATOR_FIELDS[:6])):
        a, b = getattr(sub, frame), getattr(back, frame)
        assert len(a) == len(b)
        for f in fields:
            assert [_norm(v) for v in a[f]] == [_norm(v) for v in b[f]], f"{frame}.{f}"
    assert list(back.department["text"]) == list(sub.department["text"])


def _norm(value):
    """Compare amounts by value (12.5 == 12.50) and texts as they are."""
    if value is None or value == "":
        return ""
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return str(value)


def test_writer_numbers_and_merges(tmp_path):
    sub = casebook.build({"project": {"budget_total": "38.34", "budget_fiscal": "38.34"}})
    ws = openpyxl.load_workbook(hebei_writer.write(sub, tmp_path / "n.xlsx"))[hebei_writer.PROJECT_SHEET]
    numbers = [c.value for row in ws.iter_rows() for c in row if c.data_type == "n" and c.value is not None]
    assert numbers.count(38.34) == 2 and {20, 50, 80, 100} <= set(numbers)
    ranges = {str(r) for r in ws.merged_cells.ranges}
    output_rows = [c.row for c in ws["A"] if c.value == "产出指标"]
    assert len(output_rows) == 1  # the four 产出 rows share one merged 一级 cell
    assert f"A{output_rows[0]}:A{output_rows[0] + 3}" in ranges
    assert "A1:G1" in ranges  # the title across the page
    assert ws["A1"].font.b


def test_writer_is_reproducible(tmp_path):
    build = _build_examples()
    sub = build.submission_from_yaml(CLEAN_YAML)
    a = hebei_writer.write(sub, tmp_path / "a.xlsx", timestamp=build.STAMP).read_bytes()
    b = hebei_writer.write(sub, tmp_path / "b.xlsx", timestamp=build.STAMP).read_bytes()
    assert a == b
