"""Hostile and broken input (issue 7): clear errors, nothing lost, nothing executed.

Every kind of unreadable file gives its load-error code; limits stop bombs
before they inflate; formulas are read by their cached value and those
without one are reported; hidden sheets, rows and columns are checked and
marked; inputs are never modified; text that would run as script or
formula stays text in every output.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

import _hostile_builders as hb
from _hebei_builders import INDICATORS, BlockSpec, seed_like_text
from targetlint import casebook, engine, inputs, limits, load, profile, runner
from targetlint.errors import KINDS, LoadError
from targetlint.formats import xlsx
from targetlint.limits import Limits, LimitsError
from targetlint.reporters import json_report, xlsx_report

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
KAIYUAN = EXAMPLES / "kaiyuan-2020.xlsx"
CLEAN = EXAMPLES / "clean-2021.xlsx"
SEED = REPO.parent / "shared" / "seed" / "000_852a9d826d30868b.txt"
DEFAULT = profile.load("default")


def _error(path: Path, lim: Limits | None = None) -> LoadError:
    with pytest.raises(LoadError) as err:
        load.load_path(str(path), limits=lim)
    assert str(path) in err.value.message("zh") and str(path) in err.value.message("en")
    assert err.value.message("zh").endswith(f"[{err.value.code}]")
    return err.value


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module", autouse=True)
def shipped_inputs_unchanged():
    """Acceptance 2: the examples and the seed read by this module keep their bytes."""
    files = [p for p in [*EXAMPLES.iterdir(), SEED] if p.is_file()]
    before = {p: _digest(p) for p in files}
    yield
    assert {p: _digest(p) for p in files} == before


# --- each kind of unreadable file -------------------------------------------------------------------


def test_text_named_xlsx_says_it_is_text(tmp_path):
    path = tmp_path / "目标表.xlsx"
    path.write_text("项目名称,预算数\n道路养护,12\n", encoding="utf-8")
    err = _error(path)
    assert err.code == "not-a-workbook" and "纯文本" in err.message("zh") and "plain text" in err.message("en")


def test_xls_named_xlsx_is_read_by_its_content(tmp_path):
    from _xls_builders import xls_copy

    path = xls_copy(KAIYUAN, tmp_path / "开元镇.xlsx")
    assert path.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"
    sub = load.load_path(str(path))
    assert (len(sub.projects), len(sub.indicators)) == (14, 28)


def test_encrypted_workbook(tmp_path):
    pytest.importorskip("msoffcrypto", reason="msoffcrypto-tool encrypts the test workbook")
    path = hb.encrypted_xlsx(CLEAN, tmp_path / "加密.xlsx")
    assert path.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"  # an OLE2 container around the encrypted package
    err = _error(path)
    assert err.code == "encrypted" and "密码" in err.message("zh")


def test_zip_bomb_is_refused_before_inflating(tmp_path):
    path = hb.zip_bomb(tmp_path / "bomb.xlsx", unpacked=1100 * 2**20)
    assert path.stat().st_size < 10 * 2**20
    with zipfile.ZipFile(path) as zf:
        assert sum(i.file_size for i in zf.infolist()) > 2**30
    start = time.perf_counter()
    err = _error(path)
    assert time.perf_counter() - start < 1.0  # refused from the zip directory, nothing inflated
    assert err.code == "too-large" and "MB" in err.message("en")


def test_zip_bomb_below_the_size_limit_is_refused_by_its_ratio(tmp_path):
    path = hb.zip_bomb(tmp_path / "bomb.xlsx", unpacked=40 * 2**20)
    err = _error(path)
    assert err.code == "too-large" and "ratio" in err.message("en")
    # with the ratio raised, the scan of the sheet stops at the limit on cells, long before its end
    start = time.perf_counter()
    err = _error(path, Limits(max_ratio=10_000, max_cells=50_000))
    assert err.code == "too-large" and "50,000" in err.message("en") and "spans" in err.message("en")
    assert time.perf_counter() - start < 2.0


def test_part_that_lies_about_its_size_is_corrupt(tmp_path):
    path = hb.lying_bomb(tmp_path / "lie.xlsx")
    assert _error(path).code == "truncated"


def test_two_far_cells_do_not_make_the_reader_allocate_the_sheet(tmp_path):
    """A1 and XFD1048576: calamine would ask for 512 GB and abort the process."""
    err = _error(hb.far_cells(tmp_path / "far.xlsx"))
    assert err.code == "too-large" and "17,179,869,184" in err.message("en")


def test_overlapping_merged_ranges_are_bounded(tmp_path):
    start = time.perf_counter()
    err = _error(hb.merge_bomb(tmp_path / "merge.xlsx"))
    assert err.code == "too-large" and "merged" in err.message("en")
    assert time.perf_counter() - start < 2.0


def test_malformed_sheet_is_still_bounded(tmp_path):
    """A raw control character makes the XML malformed; calamine reads it, so the scan bounds it by its addresses."""
    ok = b'<row r="1"><c r="A1" t="inlineStr"><is><t>a\x01b</t></is></c><c r=\'C2\' t="inlineStr"><is><t>c</t></is></c></row>'
    grid = xlsx.read(hb.raw_xlsx(tmp_path / "ctl.xlsx", [("表", [hb._SHEET_HEAD, ok, hb._SHEET_TAIL])]))
    assert grid.tables[0].rows[0][0] == "a\x01b" and grid.tables[0].rows[1][2] == "c"
    far = ok.replace(b"C2", b"XFD1048576")
    err = _error(hb.raw_xlsx(tmp_path / "far.xlsx", [("表", [hb._SHEET_HEAD, far, hb._SHEET_TAIL])]))
    assert err.code == "too-large"


def test_entity_bomb_is_refused(tmp_path):
    err = _error(hb.entity_bomb(tmp_path / "lol.xlsx"))
    assert err.code == "truncated" and "DTD" in err.message("en")


def test_junk_sheet_is_layout_unknown(tmp_path):
    err = _error(hb.junk_sheet(tmp_path / "junk.xlsx", rows=3000))
    assert err.code == "layout-unknown"


def test_pdf_named_xlsx_is_unsupported(tmp_path):
    path = tmp_path / "扫描件.xlsx"
    path.write_bytes(b"%PDF-1.7\n" + bytes(2000))
    err = _error(path)
    assert err.code == "unsupported-format" and "PDF" in err.message("en")


def test_dangling_link_is_not_found(tmp_path):
    link = tmp_path / "已删除.xlsx"
    link.symlink_to(tmp_path / "nowhere.xlsx")
    assert _error(link).code == "not-found"
    assert runner.check_file(str(link), DEFAULT).error.code == "not-found"


def test_permission_denied_simulated(tmp_path, monkeypatch):
    """Runs as root too: the loader's first read is refused by the operating system."""
    path = tmp_path / "无权限.xlsx"
    shutil.copy(CLEAN, path)
    real_open = open

    def refuse(file, *args, **kwargs):
        if str(file) == str(path):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(load, "open", refuse, raising=False)
    assert _error(path).code == "permission-denied"


def test_every_code_is_catalogued_with_zh_and_en():
    codes = [k.code for k in KINDS]
    assert codes == [
        "empty-file", "not-a-workbook", "truncated", "encrypted", "too-large",
        "layout-unknown", "unsupported-format", "permission-denied", "not-found",
    ]
    for kind in KINDS:
        assert re.search(r"[\u4e00-\u9fff]", kind.title["zh"]) and kind.title["en"].isascii()
        assert "{path}" in kind.message["zh"] and "{path}" in kind.message["en"]
    assert LoadError("encrypted", "a.xlsx").message("en") == "a.xlsx: the file is password-protected; remove the password [encrypted]"
    assert LoadError("truncated", "a.xlsx").message("zh") == "a.xlsx: 文件不完整或已损坏 [truncated]"


def _docx_with(tmp_path: Path, name: str, change) -> Path:
    """The seed-like Word document with its main part rewritten by ``change``."""
    from _docx_builders import xml_docx

    source = xml_docx(tmp_path / "src.docx", "<w:p><w:r><w:t>项目名称</w:t></w:r></w:p>")
    out = tmp_path / name
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info, change(data.decode("utf-8")) if info.filename == "word/document.xml" else data)
    return out


def test_word_entity_bomb_and_deep_nesting_are_refused(tmp_path):
    levels = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{("&lol%d;" % (i - 1)) * 10}">' for i in range(1, 10)]

    def bomb(doc: str) -> str:
        at = doc.index("<w:document")
        return doc[:at] + f'<!DOCTYPE w:document [{"".join(levels)}]>' + doc[at:].replace("项目名称", "&lol9;")

    def deep(doc: str) -> str:
        return doc.replace("<w:body>", "<w:body>" + "<w:sdt><w:sdtContent>" * 3000, 1).replace(
            "</w:body>", "</w:sdtContent></w:sdt>" * 3000 + "</w:body>", 1)

    for name, change in (("lol.docx", bomb), ("deep.docx", deep)):
        start = time.perf_counter()
        assert _error(_docx_with(tmp_path, name, change)).code == "truncated"
        assert time.perf_counter() - start < 2.0


def test_rules_command_lists_the_load_errors():
    from click.testing import CliRunner

    from targetlint.cli import cli

    listing = CliRunner().invoke(cli, ["rules"]).output
    doc = json.loads(CliRunner().invoke(cli, ["rules", "--format", "json"]).output)
    assert [e["code"] for e in doc["load_errors"]] == [k.code for k in KINDS]
    for kind, entry in zip(KINDS, doc["load_errors"]):
        assert (entry["zh"], entry["en"]) == (kind.title["zh"], kind.title["en"])
        assert re.search(rf"^{kind.code}\s+{re.escape(kind.title['zh'])}$", listing, re.M)
    english = CliRunner().invoke(cli, ["rules", "--lang", "en"]).output
    assert "Load errors" in english and KINDS[3].title["en"] in english


# --- limits ---------------------------------------------------------------------------------------


def test_limits_from_a_config_table_and_the_environment():
    lim = Limits.from_mapping({"max-file-mb": 5, "max_cells": 1000, "max-ratio": 50.5})
    assert (lim.max_file_bytes, lim.max_cells, lim.max_ratio) == (5 * 2**20, 1000, 50.5)
    assert lim.max_cell_chars == Limits().max_cell_chars
    env = Limits.from_env({"TARGETLINT_MAX_CELLS": "500", "TARGETLINT_MAX_UNZIPPED_MB": "8"})
    assert (env.max_cells, env.max_unzipped_bytes) == (500, 8 * 2**20)
    for bad, key in (({"max-rows": 1}, "max-rows"), ({"max-cells": -1}, "max-cells"), ({"max-cells": "many"}, "max-cells"),
                     ({"max-cells": 2.5}, "max-cells"), ({"max-cells": True}, "max-cells")):
        with pytest.raises(LimitsError, match=re.escape(key)):
            Limits.from_mapping(bad, "targetlint.toml [limits]")
    with pytest.raises(LimitsError, match="TARGETLINT_MAX_CELLS"):
        Limits.from_env({"TARGETLINT_MAX_CELLS": "lots"})


def test_limits_in_force(tmp_path, monkeypatch):
    path = hb.form_workbook(tmp_path / "form.xlsx")
    assert load.load_path(str(path)).projects.shape[0] == 1
    with limits.use(Limits(max_cells=50)):
        err = _error(path)
    assert err.code == "too-large" and "50" in err.message("en")
    monkeypatch.setenv("TARGETLINT_MAX_FILE_MB", "0.001")
    assert _error(path).code == "too-large"
    monkeypatch.delenv("TARGETLINT_MAX_FILE_MB")
    assert load.load_path(str(path), limits=Limits()).projects.shape[0] == 1


def test_cell_length_limit_names_the_cell(tmp_path):
    path = hb.form_workbook(tmp_path / "long.xlsx", BlockSpec(goal="完成道路硬化。" * 300))
    assert len(load.load_path(str(path)).projects["goal"].iloc[0]) == 2100
    err = _error(path, Limits(max_cell_chars=2000))
    assert err.code == "too-large" and "项目表!B8" in err.message("zh") and "2,100" in err.message("en")
    # beyond Excel's own 32,767 characters (no Office application writes such a cell)
    rows = b'<row r="2"><c r="C2" t="inlineStr"><is><t>' + "长".encode() * 40_000 + b"</t></is></c></row>"
    err = _error(hb.raw_xlsx(tmp_path / "crafted.xlsx", [("表", [hb._SHEET_HEAD, rows, hb._SHEET_TAIL])]))
    assert err.code == "too-large" and "表!C2" in err.message("zh")


def test_text_lines_are_counted_before_splitting(tmp_path):
    path = tmp_path / "目标表.txt"
    path.write_text(seed_like_text(1) + "\n" * 5000, encoding="utf-8")
    assert len(load.load_path(str(path)).projects) == 1
    err = _error(path, Limits(max_cells=1000))
    assert err.code == "too-large" and "lines" in err.message("en")


def test_docx_document_part_is_bounded(tmp_path):
    from _docx_builders import xml_docx

    path = xml_docx(tmp_path / "目标表.docx", "<w:p><w:r><w:t>项目名称</w:t></w:r></w:p>" * 20_000)
    assert _error(path).code == "layout-unknown"
    with zipfile.ZipFile(path) as zf:
        total, part = sum(i.file_size for i in zf.infolist()), zf.getinfo("word/document.xml").file_size
    assert total < 4 * part  # the package passes, its document part (a quarter of the limit at most) does not
    err = _error(path, Limits(max_unzipped_bytes=total))
    assert err.code == "too-large" and "document part" in err.message("en")


# --- formulas ----------------------------------------------------------------------------------------


def _formula_form(tmp_path: Path) -> Path:
    def edit(ws):
        ws["C4"] = "=E4+G4"  # 预算数 as a formula: 100.5 + 20
        ws["E10"] = '=HYPERLINK("http://x","y")'  # first indicator's 指标值
        ws["E11"] = "=95+5"

    return hb.form_workbook(tmp_path / "公式.xlsx", BlockSpec(), edit=edit)


def test_formula_with_cached_value_reads_as_the_value(tmp_path):
    path = _formula_form(tmp_path)
    hb.set_cached_value(path, "C4", "120.5")
    hb.set_cached_value(path, "E10", "≥12公里")
    sub = load.load_path(str(path))
    p, i = sub.projects.iloc[0], sub.indicators
    assert p["budget_total"] == "120.5" and i["value"].iloc[0] == "≥12公里"
    assert sub.formula_cells == {"项目表!E11": "95+5"}


def test_formula_without_value_is_reported_not_read_as_its_text(tmp_path):
    path = _formula_form(tmp_path)
    sub = load.load_path(str(path))
    texts = " ".join(sub.texts["text"])
    assert "HYPERLINK" not in texts and "E4+G4" not in texts  # never read as the formula
    assert sub.projects["budget_total"].iloc[0] == "" and sub.indicators["value"].iloc[0] == ""
    fr = runner.check_file(str(path), DEFAULT)
    tl004 = fr.findings[fr.findings["rule"] == "TL004"]
    assert (tl004["severity"] == "info").all() and len(tl004) == 2
    head = tl004[tl004["field"] == "budget_total"].iloc[0]
    assert head["location"] == "项目表!C4" and "=E4+G4" in head["message_zh"]
    rows = tl004[tl004["field"] == "project_name"].iloc[0]
    assert "项目表!E10、项目表!E11" in rows["message_zh"] and "HYPERLINK" in rows["message_en"]


# --- hidden sheets, rows and columns -------------------------------------------------------------------


def _hidden_form(tmp_path: Path) -> Path:
    def edit(ws):
        ws.row_dimensions[12].hidden = True  # the third indicator row
        ws.column_dimensions["F"].hidden = True  # 指标值确定依据
        old = ws.parent.create_sheet("往年项目")
        from _hebei_builders import write_block

        write_block(old, 1, BlockSpec(name="旧项目", code="913-0301-QWE-7H2L", indicators=INDICATORS[:2]))
        old.sheet_state = "hidden"
        sample = ws.parent.create_sheet("填写示例")
        write_block(sample, 1, BlockSpec(name="示例项目"))
        sample.sheet_state = "hidden"

    return hb.form_workbook(tmp_path / "隐藏.xlsx", BlockSpec(), edit=edit)


def test_hidden_sheet_rows_and_columns_are_read_and_recorded(tmp_path):
    sub = load.load_path(str(_hidden_form(tmp_path)))
    assert sub.projects["project_name"].tolist() == ["村内道路硬化工程", "旧项目"]  # the template's sample is skipped
    ind = sub.indicators
    assert ind.loc[2, "value_loc"] == "项目表!E12" and "项目表!E12" in sub.hidden_locs
    assert "项目表!F10" in sub.hidden_locs and "项目表!E10" not in sub.hidden_locs
    old = sub.projects.iloc[1]
    assert old["project_name_loc"].startswith("往年项目!") and old["project_name_loc"] in sub.hidden_locs
    assert not any(loc.startswith("填写示例!") for loc in sub.hidden_locs)


def test_template_helper_sheets_stay_out_when_hidden_and_count_when_shown(tmp_path):
    from targetlint import template

    path = template.write_template(tmp_path / "模板.xlsx")
    assert len(load.load_path(str(path)).projects) == 1  # the blank form only
    wb = openpyxl.load_workbook(path)
    wb[template.SAMPLE_SHEET].sheet_state = "visible"
    wb.save(tmp_path / "shown.xlsx")
    assert len(load.load_path(str(tmp_path / "shown.xlsx")).projects) == 2


def test_findings_in_hidden_cells_say_so():
    from targetlint.rules import tl003_required_field_missing as rule

    sub = casebook.build({"project": {"goal": ""}, "hidden_locs": ["p0.goal"]})
    found = engine.stamp(rule.RULE, rule.check(sub, DEFAULT.params("TL003")), sub, "error")
    assert len(found) == 1 and found["location"].iloc[0] == "p0.goal"
    assert found["message_zh"].iloc[0].endswith("（位于隐藏的工作表/行/列）")
    assert found["message_en"].iloc[0].endswith(" (in a hidden sheet/row/column)")
    shown = casebook.build({"project": {"goal": ""}})
    assert "hidden" not in engine.stamp(rule.RULE, rule.check(shown, DEFAULT.params("TL003")), shown, "error")["message_en"].iloc[0]


# --- acceptance: a folder of every kind of bad file and two good ones --------------------------------

_SETPRIV = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"]


def _unprivileged(tmp: Path) -> list[str] | None:
    """A command prefix under which permission bits stop reads: none needed, setpriv as root, or None."""
    if os.name != "posix" or os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        return None
    probe = tmp / "probe.txt"
    probe.write_text("x")
    probe.chmod(0)
    try:
        proc = subprocess.run([*_SETPRIV, "cat", str(probe)], capture_output=True)
    finally:
        probe.chmod(0o644)
        probe.unlink()
    return _SETPRIV if proc.returncode != 0 else None


def test_unreadable_file_is_permission_denied_for_real(tmp_path):
    prefix = _unprivileged(tmp_path)
    if prefix is None:
        pytest.skip("running as root without a way to drop CAP_DAC_OVERRIDE (setpriv)")
    path = tmp_path / "无权限.xlsx"
    shutil.copy(CLEAN, path)
    path.chmod(0)
    code = "from targetlint import load; import sys\ntry: load.load_path(sys.argv[1])\nexcept Exception as e: print(e.code)"
    try:
        proc = subprocess.run([*prefix, sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=60)
    finally:
        path.chmod(0o644)
    assert proc.stdout.strip() == "permission-denied", proc.stderr


#: file name → the load-error code it must get (None: a valid submission, checked fully).
FOLDER: dict[str, str | None] = {
    "01-empty.xlsx": "empty-file",
    "02-random.xlsx": "not-a-workbook",
    "03-notes.xlsx": "not-a-workbook",
    "04-cut.xlsx": "truncated",
    "05-locked.xlsx": "encrypted",
    "06-bomb.xlsx": "too-large",
    "07-junk.xlsx": "layout-unknown",
    "08-scan.xlsx": "unsupported-format",
    "09-denied.xlsx": "permission-denied",
    "10-gone.xlsx": "not-found",
    "11-clean.xlsx": None,
    "12-kaiyuan.xlsx": None,  # a legacy .xls under an .xlsx name
}


@pytest.fixture(scope="module")
def bad_folder(tmp_path_factory) -> Path:
    from _xls_builders import xls_copy, ole_file

    folder = tmp_path_factory.mktemp("收件箱")
    d = {name: folder / name for name in FOLDER}
    d["01-empty.xlsx"].write_bytes(b"")
    hb.random_bytes(d["02-random.xlsx"])
    d["03-notes.xlsx"].write_text("各单位：请于3月底前报送绩效目标表。\n", encoding="utf-8")
    hb.truncated(KAIYUAN, d["04-cut.xlsx"])
    try:
        hb.encrypted_xlsx(CLEAN, d["05-locked.xlsx"])
    except ImportError:  # without msoffcrypto-tool: the OLE2 container Excel writes around an encrypted package
        ole_file(d["05-locked.xlsx"], "EncryptedPackage")
    hb.zip_bomb(d["06-bomb.xlsx"], unpacked=1100 * 2**20)
    hb.junk_sheet(d["07-junk.xlsx"], rows=200_000)
    d["08-scan.xlsx"].write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + bytes(4000))
    shutil.copy(CLEAN, d["09-denied.xlsx"])
    d["10-gone.xlsx"].symlink_to(folder / "已删除.xlsx")
    shutil.copy(CLEAN, d["11-clean.xlsx"])
    xls_copy(KAIYUAN, d["12-kaiyuan.xlsx"])
    return folder


def _state(folder: Path) -> dict[str, tuple]:
    """Every input's bytes (hash), size, mode and modification time."""
    out = {}
    for p in sorted(folder.iterdir()):
        if p.is_symlink() or not p.is_file() or p.name.endswith(inputs.ANNOTATED_SUFFIXES):
            continue
        st = p.stat()
        out[p.name] = (_digest(p), st.st_size, st.st_mode, st.st_mtime_ns)
    return out


@pytest.fixture(scope="module")
def folder_run(bad_folder, tmp_path_factory):
    """``targetlint check`` on the folder in a child process: its JSON, exit code, seconds and peak RSS."""
    out = tmp_path_factory.mktemp("out")
    prefix = _unprivileged(out)
    before = _state(bad_folder)
    denied = bad_folder / "09-denied.xlsx"
    denied.chmod(0)
    rss_file = out / "rss.txt"
    code = (
        "import atexit, resource, sys\n"
        "from targetlint.cli import main\n"
        "rss = sys.argv.pop(1)\n"
        "atexit.register(lambda: open(rss, 'w').write(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)))\n"
        "sys.argv[0] = 'targetlint'\n"
        "main()\n"
    )
    outputs = ["-o", f"json:{out / 'r.json'}", "-o", f"html:{out / 'r.html'}", "-o", f"csv:{out / 'r.csv'}",
               "-o", f"xlsx:{out / 'r.xlsx'}", "-o", f"text:{out / 'r.txt'}"]
    start = time.perf_counter()
    try:
        proc = subprocess.run(
            [*(prefix or []), sys.executable, "-c", code, str(rss_file), "check", str(bad_folder), *outputs, "--annotate"],
            capture_output=True, text=True, timeout=300,
        )
    finally:
        denied.chmod(0o644)
    seconds = time.perf_counter() - start
    after = _state(bad_folder)
    doc = json.loads((out / "r.json").read_text(encoding="utf-8"))
    return {"proc": proc, "doc": doc, "seconds": seconds, "rss_mb": int(rss_file.read_text()) / 1024,
            "before": before, "after": after, "out": out, "privileged": prefix is None}


def test_folder_finishes_fast_in_little_memory_and_exits_2(folder_run):
    proc = folder_run["proc"]
    print(f"\nfolder check: {folder_run['seconds']:.1f} s, peak RSS {folder_run['rss_mb']:.0f} MB")
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert folder_run["seconds"] < 60, folder_run["seconds"]
    assert folder_run["rss_mb"] < 1024, folder_run["rss_mb"]
    assert "Traceback" not in proc.stderr  # no traceback without --debug


def test_folder_reports_each_bad_file_with_its_code(folder_run, bad_folder):
    files = {Path(f["path"]).name: f for f in folder_run["doc"]["files"]}
    assert set(files) == set(FOLDER)
    for name, code in FOLDER.items():
        entry = files[name]
        if code == "permission-denied" and folder_run["privileged"]:
            continue  # root without setpriv reads it anyway (see test_permission_denied_simulated)
        if code is None:
            assert entry["status"] == "ok" and entry["error"] is None, entry["error"]
            continue
        assert entry["status"] == "error" and entry["findings"] == [], name
        assert entry["error"]["code"] == code, (name, entry["error"])
        assert name in entry["error"]["message"]
        assert f"targetlint: {entry['error']['message']}" in folder_run["proc"].stderr


def test_folder_checks_the_valid_files_fully(folder_run, bad_folder):
    files = {Path(f["path"]).name: f for f in folder_run["doc"]["files"]}
    alone = json_report.report(runner.check_paths([str(bad_folder / "11-clean.xlsx"), str(bad_folder / "12-kaiyuan.xlsx")], "default"))
    for entry, single in zip((files["11-clean.xlsx"], files["12-kaiyuan.xlsx"]), alone["files"]):
        assert (entry["layout"], entry["projects"], entry["indicators"]) == (single["layout"], single["projects"], single["indicators"])
        assert entry["findings"] == single["findings"]
    assert files["12-kaiyuan.xlsx"]["projects"] == 14 and len(files["12-kaiyuan.xlsx"]["findings"]) > 50


def test_folder_inputs_are_unchanged(folder_run):
    """Acceptance 2: same bytes, size, mode and time for every input after the run and its outputs."""
    assert folder_run["after"] == folder_run["before"]
    assert len(folder_run["before"]) == len(FOLDER) - 1  # every file but the dangling link


def test_every_output_format_has_one_error_entry_per_bad_file(folder_run):
    out = folder_run["out"]
    bad = {name: code for name, code in FOLDER.items() if code and not (code == "permission-denied" and folder_run["privileged"])}
    page = (out / "r.html").read_text(encoding="utf-8")
    report = (out / "r.txt").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO((out / "r.csv").read_bytes().decode("utf-8-sig"))))
    wb = openpyxl.load_workbook(out / "r.xlsx", read_only=True)
    cells = [str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v is not None]
    wb.close()
    for name, code in bad.items():
        tag = f"[{code}]"
        blocks = [re.sub(r"\s*\n\s*", "", b) for b in report.split("\n\n")]  # wrapped lines joined
        assert sum(name in b and tag in b for b in blocks) == 1, (name, "text")
        assert sum(name in c and tag in c for c in cells) == 1, (name, "xlsx")
        assert sum(any(name in v and tag in v for v in r.values() if v) for r in rows) == 1, (name, "csv")
        assert len(re.findall(re.escape(name) + r"[^<]*" + re.escape(tag), page)) >= 1, (name, "html")


def test_annotated_copies_only_for_readable_workbooks(folder_run, bad_folder):
    copies = sorted(p.name for p in bad_folder.iterdir() if p.name.endswith(inputs.ANNOTATED_SUFFIXES))
    assert copies == ["11-clean.审核意见.xlsx"]  # the .xls in disguise gets a findings workbook in r.xlsx only
    for p in bad_folder.iterdir():
        if p.name.endswith(inputs.ANNOTATED_SUFFIXES):
            p.unlink()  # not an input: keep the folder as built for the other tests


# --- acceptance: text that would run as script or formula stays text --------------------------------

HOSTILE = ["<script>alert(1)</script>", '=HYPERLINK("http://x","y")', "@SUM(1)", "+1+1"]


@pytest.fixture(scope="module")
def hostile_outputs(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    indicators = [(*ind[:4], value, ind[5]) for ind, value in zip(INDICATORS, HOSTILE)]
    path = hb.form_workbook(folder / "单位.xlsx", BlockSpec(name=HOSTILE[0], indicators=indicators))
    hb.as_text_cells(path)  # typed as text ('=… in Excel), as a unit's cells would hold them
    before = _digest(path)
    out = {"input": path, "html": folder / "r.html", "csv": folder / "r.csv", "xlsx": folder / "r.xlsx"}
    proc = subprocess.run(
        [sys.executable, "-m", "targetlint", "check", str(path), "-o", f"html:{out['html']}", "-o", f"csv:{out['csv']}",
         "-o", f"xlsx:{out['xlsx']}", "--annotate"],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 1, proc.stderr
    assert _digest(path) == before
    out["annotated"] = Path(xlsx_report.annotated_path(str(path)))
    return out


def test_hostile_texts_are_findings_values(hostile_outputs):
    sub = load.load_path(str(hostile_outputs["input"]))
    assert sub.indicators["value"].tolist() == HOSTILE and sub.projects["project_name"].iloc[0] == HOSTILE[0]
    found = runner.check_file(str(hostile_outputs["input"]), DEFAULT).findings
    assert set(HOSTILE) <= set(found["value"])  # every one of them is shown in the reports


def test_html_shows_them_as_text(hostile_outputs):
    page = hostile_outputs["html"].read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in page and "alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "=HYPERLINK(&#34;http://x&#34;,&#34;y&#34;)" in page or "=HYPERLINK(&quot;http://x&quot;,&quot;y&quot;)" in page
    assert 'href="http://x"' not in page


def _formulas(path: Path) -> list[str]:
    """The text of every formula element in every part of a workbook."""
    with zipfile.ZipFile(path) as zf:
        return [f for name in zf.namelist() if name.endswith(".xml")
                for f in re.findall(r"<(?:\w+:)?f(?:\s[^>]*)?>([^<]*)</(?:\w+:)?f>", zf.read(name).decode("utf-8"))]


@pytest.mark.parametrize("kind", ["xlsx", "annotated"])
def test_workbooks_hold_them_as_text_not_formulas(hostile_outputs, kind):
    path = hostile_outputs[kind]
    for formula in _formulas(path):
        assert not any(key in formula for key in ("alert", "http://x", "SUM(1)", "1+1")), formula
    wb = openpyxl.load_workbook(path)
    shown = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    for value in HOSTILE[1:]:
        assert any(value in v for v in shown), value  # still there, as text
    assert not any(c.data_type == "f" and any(k in str(c.value) for k in ("alert", "http://x", "SUM(1)", "1+1"))
                   for ws in wb.worksheets for row in ws.iter_rows() for c in row)


def test_csv_defuses_them(hostile_outputs):
    raw = hostile_outputs["csv"].read_bytes().decode("utf-8-sig")
    cells = [c for row in csv.reader(io.StringIO(raw)) for c in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    for value in HOSTILE[1:]:
        assert f"'{value}" in cells, value
