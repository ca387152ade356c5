"""Format readers (text, xlsx) and the loader's checks and sniffing."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import zipfile

import openpyxl
import pytest

from _hebei_builders import BlockSpec, seed_like_text, write_block
from targetlint.errors import LoadError
from targetlint.formats import text, xlsx
from targetlint.layouts import _xlsx_style
from targetlint.load import load_path

# --- text -------------------------------------------------------------------


@pytest.mark.parametrize(
    "data, expected, encoding",
    [
        ("项目名称\n".encode("utf-8"), "项目名称\n", "utf-8"),
        (b"\xef\xbb\xbf" + "项目名称".encode("utf-8"), "项目名称", "utf-8"),
        ("项目名称：镕铁".encode("gb18030"), "项目名称：镕铁", "gb18030"),
        ("\ufeff指标值".encode("utf-16-le"), "指标值", "utf-16-le"),
    ],
)
def test_decode_detects_encoding(data, expected, encoding):
    assert text.decode(data) == (expected, encoding)


def test_decode_never_crashes_on_garbage():
    import random

    rng = random.Random(7)
    for size in (1, 2, 3, 17, 1000, 5000):
        blob = bytes(rng.randrange(256) for _ in range(size))
        decoded, encoding = text.decode(blob)
        assert isinstance(decoded, str) and encoding
        assert text.to_table(text.split_lines(decoded)).rows is not None


def test_decode_keeps_damaged_utf8_as_utf8():
    data = "一级指标二级指标三级指标绩效指标描述指标值".encode("utf-8") * 3
    damaged = data[:9] + b"\xff" + data[9:]
    decoded, encoding = text.decode(damaged)
    assert encoding == "utf-8" and decoded.count("\ufffd") == 1 and "绩效指标描述" in decoded


def test_text_rows_cells_paragraphs_and_lines():
    lines = [
        "一、总体绩效目标",  # 1 paragraph
        "\t项目名称",  # 2 row 1
        "\t乡村振兴",  # 3
        "",
        "\t绩效目标",  # 5 row 2
        "\t1、建成示范村2个；",  # 6
        "2、带动就业50人。",  # 7 continuation
        "",
        "",
        "落款段落",  # 10 paragraph
        "\t",  # 11 row 4, one empty cell
    ]
    table = text.to_table(lines)
    assert table.rows == [
        ["一、总体绩效目标"],
        ["项目名称", "乡村振兴"],
        ["绩效目标", "1、建成示范村2个；\n2、带动就业50人。"],
        ["落款段落"],
        [""],
    ]
    assert table.paragraph == {0, 3}
    assert table.locs[2] == ["line 5", "line 6"]
    assert table.loc(3, 0) == "line 10" and table.loc(4, 0) == "line 11"


def test_text_crlf_and_utf8_bom(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"\xef\xbb\xbf" + "\t预算数\r\n\t38.34\r\n".encode("utf-8"))
    grid = text.read(path)
    assert grid.format == "text"
    assert grid.tables[0].rows == [["预算数", "38.34"]]


# --- xlsx -------------------------------------------------------------------


def _workbook(tmp_path, name="wb.xlsx"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "项目表"
    ws["B2"] = "预算规模及资金用途"
    ws.merge_cells("B2:B3")
    ws["C2"] = 274.65999999999997
    ws["D3"] = "用途说明"
    ws.merge_cells("D3:G3")
    hidden = wb.create_sheet("下拉选项")
    hidden["A1"] = "产出指标"
    hidden.sheet_state = "hidden"
    wb.create_chartsheet("图表")
    path = tmp_path / name
    wb.save(path)
    return path


def test_xlsx_fills_merged_ranges_and_keeps_addresses(tmp_path):
    grid = xlsx.read(_workbook(tmp_path))
    assert grid.format == "xlsx"
    assert [t.name for t in grid.tables] == ["项目表", "下拉选项"]  # chart sheet skipped
    table = grid.tables[0]
    assert table.text(2, 1) == "预算规模及资金用途"  # merged down into B3
    assert table.anchor(2, 1) == (1, 1)
    assert [table.text(2, c) for c in range(3, 7)] == ["用途说明"] * 4
    assert table.anchor(2, 6) == (2, 3)
    assert table.text(1, 2) == "274.66"  # float noise rounded
    assert table.loc(2, 3) == "项目表!D3"
    assert (table.hidden, grid.tables[1].hidden) == (False, True)


def test_xlsx_truncated_zip(tmp_path):
    good = _workbook(tmp_path)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(good.read_bytes()[:2000])
    with pytest.raises(LoadError) as err:
        load_path(str(broken))
    assert err.value.code == "truncated"
    with pytest.raises(LoadError) as err:
        xlsx.read(broken)
    assert err.value.code == "truncated"


def test_xlsx_broken_xml_is_truncated(tmp_path):
    good = _workbook(tmp_path)
    bad = tmp_path / "badxml.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            if name.endswith("sheet1.xml"):
                data = data[: len(data) // 2]
            dst.writestr(name, data)
    with pytest.raises(LoadError) as err:
        load_path(str(bad))
    assert err.value.code == "truncated"


# --- loader: bad files ---------------------------------------------------------


def _load_error(path) -> LoadError:
    with pytest.raises(LoadError) as err:
        load_path(str(path))
    assert str(path) in err.value.message("zh")
    return err.value


def test_random_bytes_named_xlsx(tmp_path):
    path = tmp_path / "开元镇.xlsx"
    path.write_bytes(os.urandom(3000).replace(b"PK", b"QK"))
    assert _load_error(path).code == "not-a-workbook"


def test_empty_missing_pdf_folder(tmp_path):
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    assert _load_error(empty).code == "empty-file"
    assert _load_error(tmp_path / "nope.xlsx").code == "not-found"
    pdf = tmp_path / "目标表.pdf"
    pdf.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    err = _load_error(pdf)
    assert err.code == "unsupported-format" and "PDF" in err.message("zh")
    assert _load_error(tmp_path).code == "unsupported-format"


def test_doc_suffix_with_text_bytes_is_unsupported(tmp_path):
    path = tmp_path / "目标表.doc"
    path.write_text("项目名称", encoding="utf-8")
    assert _load_error(path).code == "unsupported-format"


def test_broken_docx_zip_and_plain_zip_are_not_workbooks(tmp_path):
    docx = tmp_path / "目标表.xlsx"
    with zipfile.ZipFile(docx, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
    assert _load_error(docx).code == "not-a-workbook"  # read as a .docx (issue 4), but no package around it
    plain = tmp_path / "plain.xlsx"
    with zipfile.ZipFile(plain, "w") as zf:
        zf.writestr("readme.txt", "hello")
    assert _load_error(plain).code == "not-a-workbook"


def _ole(tmp_path, name: str, stream: str):
    """A minimal OLE2 file: the signature and a directory entry name."""
    path = tmp_path / name
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + stream.encode("utf-16-le") + b"\x00" * 64)
    return path


def test_ole_encrypted_vs_legacy_xls(tmp_path):
    assert _load_error(_ole(tmp_path, "locked.xlsx", "EncryptedPackage")).code == "encrypted"
    err = _load_error(_ole(tmp_path, "old.xlsx", "Workbook"))
    assert err.code == "truncated"  # read as a legacy .xls (issue 4); this one has no real container


def test_text_without_a_form_names_the_labels_looked_for(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("会议纪要\n\t时间\n\t2021年3月\n\n\t项目名称\n\t未填写\n", encoding="utf-8")
    err = _load_error(path)
    assert err.code == "layout-unknown"
    message = err.message("zh")
    assert "项目编码" in message and "指标值确定依据" in message  # looked for
    assert "找到：项目名称" in message  # and what was found


def test_unknown_forced_layout(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(seed_like_text(1), encoding="utf-8")
    with pytest.raises(LoadError) as err:
        load_path(str(path), layout="no-such-layout")
    assert err.value.code == "layout-unknown"
    assert load_path(str(path), layout="hebei-form").layout == "hebei-form"


def test_workbook_named_txt_is_read_as_workbook(tmp_path):
    wb = openpyxl.Workbook()
    write_block(wb.active, 1, BlockSpec())
    path = tmp_path / "saved-as.txt"
    wb.save(path)
    sub = load_path(str(path))
    assert sub.projects["project_name"].tolist() == ["村内道路硬化工程"]


def test_input_is_never_modified(tmp_path):
    wb = openpyxl.Workbook()
    write_block(wb.active, 1, BlockSpec())
    path = tmp_path / "unit.xlsx"
    wb.save(path)
    os.chmod(path, 0o444)  # read-only: opening it for writing would fail
    before = (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns)
    load_path(str(path))
    assert (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns) == before


def test_damaged_workbooks_only_ever_raise_load_errors(tmp_path):
    """Random byte damage, inside the zip and inside its XML parts: a Submission or a LoadError."""
    import io
    import random

    wb = openpyxl.Workbook()
    write_block(wb.active, 1, BlockSpec())
    # saved with a fixed timestamp: the same bytes every run, so the same damage (openpyxl stamps the time of saving)
    good = _xlsx_style.save(wb, tmp_path / "good.xlsx", dt.datetime(2021, 1, 1)).read_bytes()
    rng = random.Random(20240601)
    path = tmp_path / "damaged.xlsx"
    codes = set()
    for i in range(80):
        if i % 2:
            data = bytearray(good)
        else:
            with zipfile.ZipFile(io.BytesIO(good)) as src:
                parts = {n: bytearray(src.read(n)) for n in src.namelist()}
            out = io.BytesIO()
            victim = rng.choice(sorted(parts))
            data = parts[victim]
        for _ in range(rng.randint(1, 25)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        if not i % 2:
            with zipfile.ZipFile(out, "w") as dst:
                for name, part in parts.items():
                    dst.writestr(name, bytes(part))
            data = out.getvalue()
        path.write_bytes(bytes(data))
        try:
            load_path(str(path))
        except LoadError as err:
            codes.add(err.code)
    assert codes <= {"truncated", "not-a-workbook", "layout-unknown", "too-large", "unsupported-format"}
    assert "truncated" in codes


def test_permission_denied(tmp_path, monkeypatch):
    import targetlint.load as load_module

    path = tmp_path / "locked.txt"
    path.write_text(seed_like_text(1), encoding="utf-8")

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(load_module, "open", refuse, raising=False)
    assert _load_error(path).code == "permission-denied"


def test_size_limits(tmp_path):
    from targetlint.limits import Limits, use

    wb = openpyxl.Workbook()
    write_block(wb.active, 1, BlockSpec())
    path = tmp_path / "big.xlsx"
    wb.save(path)
    with use(Limits(max_unzipped_bytes=1000)):  # as if it unpacked to gigabytes
        assert _load_error(path).code == "too-large"
    with use(Limits(max_file_bytes=100)):
        err = _load_error(path)
    assert err.code == "too-large" and "MB" in err.message("en")


def test_bomless_utf16_and_binary_txt(tmp_path):
    assert text.decode("\t项目名称\n\t党组织活动经费\n".encode("utf-16-le")) == ("\t项目名称\n\t党组织活动经费\n", "utf-16-le")
    assert text.decode("\t项目名称\n".encode("utf-16-be"))[1] == "utf-16-be"
    path = tmp_path / "binary.txt"
    path.write_bytes(bytes(range(256)) * 8)
    assert _load_error(path).code == "layout-unknown"  # read as text, no form in it
