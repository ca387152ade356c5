"""Legacy Excel (.xls), macro-enabled .xlsm, and telling OLE2 containers apart."""

from __future__ import annotations

import shutil
import zipfile
from collections import Counter
from functools import lru_cache
from pathlib import Path

import pytest

from _xls_builders import encrypted_xls, ole_file, rows_xls, xls_copy
from targetlint import load, runner
from targetlint.errors import LoadError
from targetlint.formats import xlsx
from targetlint.reporters import json_report

REPO = Path(__file__).resolve().parents[1]
KAIYUAN_XLSX = REPO / "examples" / "kaiyuan-2020.xlsx"
SEED_TEXT = REPO / "examples" / "kaiyuan-2020.txt"


@lru_cache(maxsize=None)
def _seed_text_entry() -> dict:
    return _entry(SEED_TEXT)


def _entry(path: Path, profile: str = "hebei-2020") -> dict:
    entry = json_report.report(runner.check_paths([str(path)], profile))["files"][0]
    assert entry["status"] == "ok", entry["error"]
    return entry


def _error(path: Path) -> LoadError:
    with pytest.raises(LoadError) as err:
        load.load_path(str(path))
    return err.value


@pytest.fixture(scope="module")
def seed_xls(tmp_path_factory) -> Path:
    return xls_copy(KAIYUAN_XLSX, tmp_path_factory.mktemp("xls") / "开元镇.xls")


@lru_cache(maxsize=None)
def _xlsx_entry() -> dict:
    return _entry(KAIYUAN_XLSX)


# --- the seed as a legacy workbook ---------------------------------------------------------


def test_seed_xls_gives_the_seed_texts_findings(seed_xls):
    entry = _entry(seed_xls)
    assert (entry["layout"], entry["projects"], entry["indicators"]) == ("hebei-form", 14, 28)

    def key(e):
        return Counter((f["rule"], f["project_code"], f["field"], f["value"]) for f in e["findings"])

    text, legacy = key(_seed_text_entry()), key(entry)
    assert text, "no findings on the seed text"
    assert legacy == text, f"only in xls: {legacy - text}; only in text: {text - legacy}"


def test_seed_xls_findings_are_the_xlsx_findings_cell_for_cell(seed_xls):
    """Same sheets, same cells: every finding, location included, is the xlsx twin's."""
    legacy, modern = _entry(seed_xls), _xlsx_entry()
    assert legacy["findings"] == modern["findings"]
    assert all("!" in f["location"] for f in legacy["findings"])


def test_xls_merged_ranges_and_hidden_sheets_read_like_xlsx(seed_xls, tmp_path):
    a, b = xlsx.read(seed_xls), xlsx.read(KAIYUAN_XLSX)
    assert (a.format, b.format) == ("xls", "xlsx")
    assert [t.name for t in a.tables] == [t.name for t in b.tables]
    for ta, tb in zip(a.tables, b.tables):
        assert ta.anchors == tb.anchors and ta.anchors, ta.name
        assert ta.rows == tb.rows, ta.name
    hidden = tmp_path / "hidden.xlsx"
    import openpyxl

    wb = openpyxl.load_workbook(KAIYUAN_XLSX)
    wb.worksheets[0].sheet_state = "hidden"
    wb.save(hidden)
    assert [t.hidden for t in xlsx.read(xls_copy(hidden, tmp_path / "hidden.xls")).tables] == [True, False]


def test_xls_values_become_clean_text(tmp_path):
    import datetime as dt

    path = rows_xls(tmp_path / "v.xls", [["预算数", 274.65999999999997, 38, dt.datetime(2021, 3, 31)]])
    (table,) = xlsx.read(path).tables
    assert table.rows[0][:3] == ["预算数", "274.66", "38"]
    assert table.rows[0][3].startswith("2021-03-31")


def test_names_that_lie_are_read_by_content(seed_xls, tmp_path):
    legacy_as_xlsx = tmp_path / "开元镇.xlsx"
    shutil.copy(seed_xls, legacy_as_xlsx)
    modern_as_xls = tmp_path / "开元镇-导出.xls"  # budget systems export .xlsx named .xls
    shutil.copy(KAIYUAN_XLSX, modern_as_xls)
    for path in (legacy_as_xlsx, modern_as_xls):
        sub = load.load_path(str(path))
        assert (len(sub.projects), len(sub.indicators)) == (14, 28), path.name


def test_xlsm_reads_like_xlsx(tmp_path):
    xlsm = tmp_path / "开元镇.xlsm"
    with zipfile.ZipFile(KAIYUAN_XLSX) as zin, zipfile.ZipFile(xlsm, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"sheet.main+xml", b"sheet.macroEnabled.main+xml")
                assert b"macroEnabled" in data
            zout.writestr(info, data)
    assert _entry(xlsm)["findings"] == _xlsx_entry()["findings"]


# --- OLE2 containers -----------------------------------------------------------------------


def test_ole_directory_names(seed_xls, tmp_path):
    assert load.ole_streams(seed_xls.read_bytes()) >= {"Root Entry", "Workbook"}
    assert "EncryptedPackage" in load.ole_streams(ole_file(tmp_path / "e.bin", "EncryptedPackage").read_bytes())
    assert load.ole_streams(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\xff" * 600) == set()
    assert load.ole_streams(b"not an OLE file" * 100) == set()


@pytest.mark.parametrize("name", ["锁定.xlsx", "锁定.xls", "锁定.docx"])
def test_encrypted_ooxml_is_reported_as_password_protected(tmp_path, name):
    assert _error(ole_file(tmp_path / name, "EncryptedPackage")).code == "encrypted"


def test_password_protected_xls_is_reported_as_such(tmp_path):
    assert _error(encrypted_xls(tmp_path / "加密.xls")).code == "encrypted"


def test_word_97_document_is_unsupported_with_advice(tmp_path):
    err = _error(ole_file(tmp_path / "目标表.xls", "WordDocument"))
    assert err.code == "unsupported-format" and ".docx" in err.message("zh")


def test_other_ole_file_is_unsupported(tmp_path):
    err = _error(ole_file(tmp_path / "演示.xls", "PowerPoint Document"))
    assert err.code == "unsupported-format" and "OLE" in err.message("en")


def test_cut_short_xls_is_truncated(seed_xls, tmp_path):
    data = seed_xls.read_bytes()
    cut = tmp_path / "半截.xls"
    cut.write_bytes(data[: len(data) // 2])
    err = _error(cut)
    assert err.code == "truncated" and str(cut) in err.message("zh")
