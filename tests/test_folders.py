"""Folders of mixed layouts and formats, and files holding several budget units."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from _docx_builders import write_docx
from _hebei_builders import INDICATORS, BlockSpec, write_block
from _xls_builders import xls_copy
from targetlint import cli, load, runner
from targetlint.layouts import flat_writer
from targetlint.reporters import json_report

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"


def _clean_submission():
    spec = importlib.util.spec_from_file_location("build_examples", EXAMPLES / "build_examples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.submission_from_yaml(EXAMPLES / "clean-2021.yaml")


@pytest.fixture(scope="module")
def towns(tmp_path_factory) -> Path:
    """各镇/: every format and layout, plus what a real folder also holds."""
    root = tmp_path_factory.mktemp("batch") / "各镇"
    for sub in ("北城", "坏", "开元镇", "西关镇", ".git"):
        (root / sub).mkdir(parents=True)
    clean = _clean_submission()
    flat_writer.write(clean, root / "北城" / "北城.xlsx")  # layout L3
    shutil.copy(EXAMPLES / "kaiyuan-2020.txt", root / "开元镇" / "开元镇.txt")  # L4, the seed
    shutil.copy(EXAMPLES / "kaiyuan-2020.xlsx", root / "开元镇" / "开元镇.xlsx")  # L1
    write_docx(clean, root / "西关镇" / "西关镇.docx")  # L5
    xls_copy(EXAMPLES / "clean-2021.xlsx", root / "西关镇" / "西关镇.xls")  # L1, Excel 97-2003
    (root / "坏" / "随机.xlsx").write_bytes(os.urandom(3000))
    (root / "坏" / "空.xlsx").write_bytes(b"")
    (root / "西关镇" / "~$西关镇.xlsx").write_bytes(b"\x0bAdministrator" + b"\x00" * 149)  # Excel's lock file
    (root / ".隐藏.xlsx").write_bytes(b"junk")
    (root / ".git" / "stash.xlsx").write_bytes(b"junk")
    return root


#: Sorted by path components, code point order (北 U+5317 < 坏 U+574F < 开 U+5F00 < 西 U+897F; 空 < 随).
EXPECTED = [
    ("北城/北城.xlsx", "ok", "flat-export"),
    ("坏/空.xlsx", "empty-file", None),
    ("坏/随机.xlsx", "not-a-workbook", None),
    ("开元镇/开元镇.txt", "ok", "hebei-form"),
    ("开元镇/开元镇.xlsx", "ok", "hebei-form"),
    ("西关镇/西关镇.docx", "ok", "hebei-form"),
    ("西关镇/西关镇.xls", "ok", "hebei-form"),
]


def test_folder_expands_in_a_fixed_order_skipping_lock_and_hidden_files(towns):
    assert [Path(p).relative_to(towns).as_posix() for p in runner.expand([str(towns)])] == [e[0] for e in EXPECTED]


def test_folder_of_mixed_files_reports_every_file_the_same_way_every_run(towns):
    args = ["check", "--format", "json", "--profile", "hebei-2020", str(towns)]
    first, second = (CliRunner().invoke(cli.cli, args) for _ in range(2))
    assert first.exit_code == second.exit_code == 2, first.output
    assert first.stdout == second.stdout
    report = json.loads(first.stdout)
    got = [
        (Path(f["path"]).relative_to(towns).as_posix(), f["error"]["code"] if f["error"] else f["status"], f["layout"])
        for f in report["files"]
    ]
    assert got == EXPECTED
    for f in report["files"]:
        if f["status"] == "error":
            assert f["findings"] == [] and f["projects"] is None and f["path"] in f["error"]["message"]
        else:
            assert f["error"] is None and f["projects"] > 0 and f["indicators"] > 0
    assert report["summary"]["files"] == 7 and report["summary"]["unreadable"] == 2
    seed = {f["path"]: f for f in report["files"]}
    text, workbook = (seed[str(towns / "开元镇" / name)] for name in ("开元镇.txt", "开元镇.xlsx"))
    assert len(text["findings"]) == len(workbook["findings"]) > 100


def test_the_same_content_in_every_format_gives_the_same_findings(towns):
    """The clean example as L1 xlsx, L1 xls, L5 docx and L3 flat export: one set of findings."""
    def key(path):
        entry = json_report.report(runner.check_paths([str(path)], "default"))["files"][0]
        assert entry["status"] == "ok", entry["error"]
        # The flat export has no title or department part: compare what every layout carries.
        return sorted((f["rule"], f["project_code"], f["field"], f["value"]) for f in entry["findings"]
                      if f["project_code"] and f["field"] not in ("title", "text"))

    reference = key(EXAMPLES / "clean-2021.xlsx")
    for path in (towns / "西关镇" / "西关镇.xls", towns / "西关镇" / "西关镇.docx", towns / "北城" / "北城.xlsx"):
        assert key(path) == reference, path.name


# --- several units in one file ----------------------------------------------------------


TOWN_A, TOWN_B = "913021西关镇人民政府", "913022北城街道办事处"


@pytest.fixture(scope="module")
def two_units(tmp_path_factory) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "项目表"
    shaky = list(INDICATORS[:3]) + [("满意度指标", "服务对象满意度指标", "居民满意度", "抽样问卷", "≥0.9", "历史标准")]
    r = write_block(ws, 1, BlockSpec(unit_line=TOWN_A))
    r = write_block(ws, r + 1, BlockSpec(title="2、村内照明工程绩效目标表", unit_line=None, money_note=None,
                                         code="913-0301-QWE-7H2L", name="村内照明工程"))
    write_block(ws, r + 1, BlockSpec(title="1、背街小巷改造绩效目标表", unit_line=TOWN_B, code="913-0401-RTY-1A2B",
                                     name="背街小巷改造", indicators=shaky))
    path = tmp_path_factory.mktemp("units") / "两个单位.xlsx"
    wb.save(path)
    return path


def test_a_file_with_two_units_is_reported_per_unit(two_units):
    entry = json_report.report(runner.check_paths([str(two_units)], "default"))["files"][0]
    assert entry["status"] == "ok" and entry["projects"] == 3
    assert entry["units"] == [TOWN_A, TOWN_B]
    sub = load.load_path(str(two_units))
    unit_of = dict(zip(sub.projects["project_code"], sub.projects["unit"]))
    assert unit_of == {"913-0301-QWE-7H2K": TOWN_A, "913-0301-QWE-7H2L": TOWN_A, "913-0401-RTY-1A2B": TOWN_B}
    assert entry["findings"]
    for f in entry["findings"]:
        assert f["unit"] == unit_of[f["project_code"]], f
    assert any(f["unit"] == TOWN_B and f["rule"] == "TL308" for f in entry["findings"])


def test_two_units_in_a_word_document(two_units, tmp_path):
    sub = load.load_path(str(two_units))
    path = write_docx(sub, tmp_path / "两个单位.docx")
    entry = json_report.report(runner.check_paths([str(path)], "default"))["files"][0]
    assert entry["units"] == [TOWN_A, TOWN_B]
    assert {(f["project_code"], f["unit"]) for f in entry["findings"]} == {
        (f["project_code"], f["unit"])
        for f in json_report.report(runner.check_paths([str(two_units)], "default"))["files"][0]["findings"]
    }
