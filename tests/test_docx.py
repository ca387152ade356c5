"""Word documents (.docx, layout L5): the reader, the loader's dispatch, the seed as a docx."""

from __future__ import annotations

import json
import re
import zipfile
from collections import Counter
from functools import lru_cache
from pathlib import Path

import docx as python_docx
import pytest
from click.testing import CliRunner
from docx.table import _Cell

from _docx_builders import sheets_docx, write_docx, xml_docx
from targetlint import cli, load, runner
from targetlint.errors import LoadError
from targetlint.formats import docx
from targetlint.reporters import json_report

REPO = Path(__file__).resolve().parents[1]
SEED_TEXT = REPO / "examples" / "kaiyuan-2020.txt"  # the seed, byte for byte (test_acceptance checks)
UNIT = "914003开元镇政府办公室"
_CELL = re.compile(r"^表(\d+) 第(\d+)行 第(\d+)列$")
_PARA = re.compile(r"^第(\d+)段$")


@lru_cache(maxsize=None)
def _seed_text_entry() -> dict:
    return _entry(SEED_TEXT)


def _entry(path: Path, profile: str = "hebei-2020") -> dict:
    result = runner.check_paths([str(path)], profile)
    entry = json_report.report(result)["files"][0]
    assert entry["status"] == "ok", entry["error"]
    return entry


@lru_cache(maxsize=None)
def _seed_docx(folder: str, title_in_table: bool) -> tuple[Path, dict]:
    path = write_docx(load.load_path(str(SEED_TEXT)), Path(folder) / f"开元镇-{title_in_table}.docx",
                      title_in_table=title_in_table)
    return path, _entry(path)


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> str:
    return str(tmp_path_factory.mktemp("docx"))


# --- the seed as a Word document -----------------------------------------------------------


@pytest.mark.parametrize("title_in_table", [False, True], ids=["title-paragraph", "title-row"])
def test_seed_docx_gives_the_seed_texts_findings(folder, title_in_table):
    _, entry = _seed_docx(folder, title_in_table)
    assert (entry["layout"], entry["projects"], entry["indicators"]) == ("hebei-form", 14, 28)
    assert entry["units"] == [UNIT]

    def key(e):
        return Counter((f["rule"], f["project_code"], f["field"], f["value"]) for f in e["findings"])

    text, word = key(_seed_text_entry()), key(entry)
    assert text, "no findings on the seed text"
    assert word == text, f"only in docx: {word - text}; only in text: {text - word}"


@pytest.mark.parametrize("title_in_table", [False, True], ids=["title-paragraph", "title-row"])
def test_seed_docx_findings_point_at_their_table_cells_and_paragraphs(folder, title_in_table):
    path, entry = _seed_docx(folder, title_in_table)
    document = python_docx.Document(path)
    kinds = Counter()
    for f in entry["findings"]:
        loc = f["location"] or ""
        if m := _CELL.match(loc):
            t, r, c = map(int, m.groups())
            table = document.tables[t - 1]
            shown = _Cell(table._tbl.tr_lst[r - 1].tc_lst[c - 1], table).text
            kinds["cell"] += 1
        elif m := _PARA.match(loc):
            shown = document.paragraphs[int(m[1]) - 1].text
            kinds["paragraph"] += 1
        else:
            raise AssertionError(f"{f['rule']} has no Word location: {loc!r}")
        shown, value = " ".join(shown.split()), f["value"]
        if value is None:
            assert shown == "", (f["rule"], loc, shown)
        elif value.endswith("…"):
            assert shown.startswith(value[:-1]), (f["rule"], loc, value, shown)
        else:
            assert shown == value, (f["rule"], loc, value, shown)
    assert kinds["cell"] > 50 and kinds["paragraph"] >= 3, kinds


def test_seed_docx_locations_name_table_row_and_cell(folder):
    path, _ = _seed_docx(folder, False)
    sub = load.load_path(str(path))
    first = sub.projects.iloc[0]
    assert first["title_loc"] == "第14段"  # after the department part's 13 paragraphs
    assert first["project_code_loc"] == "表1 第2行 第2列"
    assert first["budget_total_loc"] == "表1 第3行 第3列"
    assert first["purpose_loc"] == "表1 第4行 第2列"  # the row's 2nd cell: the label merged down is its 1st
    ind = sub.indicators[sub.indicators["project_key"] == 0]
    assert list(ind["value_loc"]) == ["表1 第9行 第5列", "表1 第10行 第5列"]
    assert list(sub.department["text_loc"][:2]) == ["第1段", "第2段"]


def test_cli_checks_a_docx_and_a_forced_layout_gives_the_same(folder):
    path, entry = _seed_docx(folder, False)
    args = ["check", "--format", "json", "--profile", "hebei-2020", str(path)]
    detected = CliRunner().invoke(cli.cli, args)
    forced = CliRunner().invoke(cli.cli, [*args[:1], "--layout", "hebei-form", *args[1:]])
    assert detected.exit_code == forced.exit_code == 1, detected.output
    assert json.loads(detected.stdout)["files"][0] == entry
    assert json.loads(forced.stdout) == json.loads(detected.stdout)


# --- the reader ----------------------------------------------------------------------------


def _p(text: str) -> str:
    return f"<w:p><w:r><w:t xml:space='preserve'>{text}</w:t></w:r></w:p>"


def _tc(text: str = "", *, span: int = 1, vmerge: str | None = None, hmerge: str | None = None) -> str:
    pr = ""
    if span > 1:
        pr += f"<w:gridSpan w:val='{span}'/>"
    if vmerge is not None:
        pr += "<w:vMerge/>" if vmerge == "continue" else f"<w:vMerge w:val='{vmerge}'/>"
    if hmerge is not None:
        pr += "<w:hMerge/>" if hmerge == "continue" else f"<w:hMerge w:val='{hmerge}'/>"
    return f"<w:tc><w:tcPr>{pr}</w:tcPr>{_p(text)}</w:tc>"


def _tbl(*rows: str, before: dict[int, int] | None = None) -> str:
    out = []
    for i, cells in enumerate(rows):
        pr = f"<w:trPr><w:gridBefore w:val='{before[i]}'/></w:trPr>" if before and i in before else ""
        out.append(f"<w:tr>{pr}{cells}</w:tr>")
    return f"<w:tbl><w:tblGrid/>{''.join(out)}</w:tbl>"


def _read(tmp_path, body: str):
    (table,) = docx.read(xml_docx(tmp_path / "t.docx", body)).tables
    return table


def test_paragraphs_and_tables_in_document_order(tmp_path):
    body = _p("第一部分") + "<w:p/>" + _tbl(_tc("项目名称") + _tc("乡村道路")) + _p("") + _p("落款")
    t = _read(tmp_path, body)
    assert t.rows == [["第一部分"], ["项目名称", "乡村道路"], ["落款"]]
    assert t.paragraph == {0, 2}
    # blank paragraphs are counted, as Word's own numbering (python-docx's Document.paragraphs) does
    assert t.locs == [["第1段"], ["表1 第1行 第1列", "表1 第1行 第2列"], ["第4段"]]


def test_vertical_and_horizontal_merges_fill_and_anchor(tmp_path):
    rows = (
        _tc("一级指标") + _tc("二级指标") + _tc("指标值", span=2),
        _tc("产出指标", vmerge="restart") + _tc("数量指标") + _tc("≥12公里", span=2),
        _tc(vmerge="continue") + _tc("质量指标") + _tc("100%") + _tc("注"),
    )
    t = _read(tmp_path, _tbl(*rows))
    assert t.rows == [
        ["一级指标", "二级指标", "指标值", "指标值"],
        ["产出指标", "数量指标", "≥12公里", "≥12公里"],
        ["产出指标", "质量指标", "100%", "注"],
    ]
    assert t.anchor(2, 0) == (1, 0) and t.anchor(0, 3) == (0, 2) and t.anchor(2, 3) == (2, 3)
    assert t.loc(*t.anchor(2, 0)) == "表1 第2行 第1列"
    assert t.loc(2, 3) == "表1 第3行 第4列"  # the 4th cell Word counts in that row


def test_merge_down_over_a_wide_cell_and_legacy_hmerge(tmp_path):
    rows = (
        _tc("预算规模及资金用途", span=2, vmerge="restart") + _tc("预算数") + _tc("38.34"),
        _tc(span=2, vmerge="continue") + _tc("资金用途", hmerge="restart") + _tc(hmerge="continue"),
    )
    t = _read(tmp_path, _tbl(*rows))
    assert t.rows[1] == ["预算规模及资金用途", "预算规模及资金用途", "资金用途", "资金用途"]
    assert {t.anchor(1, c) for c in (0, 1)} == {(0, 0)}
    assert t.anchor(1, 3) == (1, 2)


def test_grid_before_keeps_columns_aligned(tmp_path):
    rows = (_tc("一级指标") + _tc("二级指标") + _tc("指标值"), _tc("数量指标") + _tc("20个"))
    t = _read(tmp_path, _tbl(*rows, before={1: 1}))
    assert t.rows[1] == ["", "数量指标", "20个"]
    assert t.loc(1, 1) == "表1 第2行 第1列"


def test_absurd_spans_are_kept_within_words_column_limit(tmp_path):
    t = _read(tmp_path, _tbl(_tc("项目名称", span=10**9) + _tc("村道硬化"), before={0: 10**6}))
    assert len(t.rows[0]) <= 3 * 63 and t.rows[0][-1] == "村道硬化"


def test_single_cell_row_is_one_cell(tmp_path):
    rows = (_tc("1、村道硬化项目绩效目标表", span=6), _tc("项目名称") + _tc("村道硬化", span=5))
    t = _read(tmp_path, _tbl(*rows))
    assert t.rows == [["1、村道硬化项目绩效目标表"], ["项目名称"] + ["村道硬化"] * 5]


def test_text_as_word_shows_it(tmp_path):
    w = "<w:r><w:t>{}</w:t></w:r>"
    para = (
        "<w:p>" + w.format("≥") + "<w:ins w:id='1' w:author='a'>" + w.format("90") + "</w:ins>"
        + "<w:del w:id='2' w:author='a'><w:r><w:delText>85</w:delText></w:r></w:del>" + w.format("%")
        + "<w:r><w:fldChar w:fldCharType='begin'/></w:r><w:r><w:instrText> TC 标题 \\f C </w:instrText></w:r>"
        + "<w:r><w:fldChar w:fldCharType='end'/></w:r>"
        + "<w:r><w:tab/><w:t>甲</w:t><w:br/><w:t>乙</w:t></w:r>"
        + "<w:hyperlink><w:r><w:t>链接</w:t></w:r></w:hyperlink>"
        + "<w:fldSimple w:instr=' PAGE '><w:r><w:t>3</w:t></w:r></w:fldSimple>"
        + "<w:r><mc:AlternateContent><mc:Choice Requires='wps'><w:drawing><w:txbxContent>" + _p("框")
        + "</w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox><w:txbxContent>"
        + _p("框") + "</w:txbxContent></v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
        + "</w:p>"
    )
    t = _read(tmp_path, para)
    assert t.rows == [["≥90%\t甲\n乙链接3\n框"]]


def test_content_controls_and_nested_tables(tmp_path):
    nested = _tbl(_tc("1、维修机井20眼") + _tc("2、通水率100%"), _tc("3、满意度≥90%"))
    cell = f"<w:tc>{_p('绩效目标')}{nested}</w:tc>"
    body = (
        "<w:sdt><w:sdtContent>" + _p("总体绩效目标") + "</w:sdtContent></w:sdt>"
        + "<w:sdt><w:sdtContent>" + _tbl(_tc("项目名称") + cell) + "</w:sdtContent></w:sdt>"
    )
    t = _read(tmp_path, body)
    assert t.rows == [["总体绩效目标"], ["项目名称", "绩效目标\n1、维修机井20眼 2、通水率100%\n3、满意度≥90%"]]
    assert t.loc(1, 1) == "表1 第1行 第2列"


# --- the loader ----------------------------------------------------------------------------


def test_docx_is_sniffed_by_content_not_name(folder, tmp_path):
    path, _ = _seed_docx(folder, False)
    renamed = tmp_path / "开元镇.xlsx"
    renamed.write_bytes(path.read_bytes())
    sub = load.load_path(str(renamed))
    assert (len(sub.projects), len(sub.indicators)) == (14, 28)


def test_macro_enabled_document_reads(folder, tmp_path):
    path, _ = _seed_docx(folder, False)
    docm = tmp_path / "开元镇.docm"
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(docm, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"document.main+xml", b"document.macroEnabled.main+xml")
                assert b"macroEnabled" in data
            zout.writestr(info, data)
    assert len(load.load_path(str(docm)).projects) == 14


def test_docx_without_a_form_names_the_labels(tmp_path):
    path = xml_docx(tmp_path / "会议纪要.docx", _p("会议纪要") + _tbl(_tc("项目名称") + _tc("未填写")))
    with pytest.raises(LoadError) as err:
        load.load_path(str(path))
    assert err.value.code == "layout-unknown"
    message = err.value.message("zh")
    assert "指标值确定依据" in message and "找到：项目名称" in message


def test_docx_with_broken_xml_is_truncated(folder, tmp_path):
    path, _ = _seed_docx(folder, False)
    broken = tmp_path / "坏.docx"
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(broken, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info, data[: len(data) // 2] if info.filename == "word/document.xml" else data)
    with pytest.raises(LoadError) as err:
        load.load_path(str(broken))
    assert err.value.code == "truncated"


def test_random_bytes_named_docx_is_not_a_document(tmp_path):
    path = tmp_path / "目标表.docx"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(LoadError) as err:
        load.load_path(str(path))
    assert err.value.code == "not-a-workbook" and "docx" in err.value.message("en")


def test_national_form_tables_in_word_read_like_the_workbook(tmp_path):
    """Layout L2 in Word: one table per project, the department part as paragraphs above."""
    from targetlint.layouts import national_writer

    sub = load.load_path(str(REPO / "examples" / "clean-2021.xlsx"))
    workbook = national_writer.write(sub, tmp_path / "国标.xlsx", per_sheet=True)
    document = sheets_docx(workbook, tmp_path / "国标.docx", paragraphs=["一、总体绩效目标", "全年完成道路硬化12公里。"])
    a, b = load.load_path(str(workbook)), load.load_path(str(document))
    assert a.layout == b.layout == "national-form"
    assert len(b.projects) == len(sub.projects) and len(b.indicators) == len(sub.indicators)
    for frame, fields in (("projects", ("project_name", "unit", "budget_total", "goal")),
                          ("indicators", ("level1", "level2", "level3", "value"))):
        for f in fields:
            assert list(getattr(a, frame)[f]) == list(getattr(b, frame)[f]), f"{frame}.{f}"
    assert b.indicators["value_loc"].str.match(r"^表\d+ 第\d+行 第\d+列$").all()
