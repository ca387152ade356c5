"""The fast paths of reading a workbook keep every protection and every result of the slow ones.

The quick pass of the sheet scan (:mod:`targetlint.formats.sheet_quick`)
bounds a plain sheet from its bytes; every sheet holding something it
cannot vouch for must reach the full expat pass, which records hidden rows
and columns and formulas without a value, refuses DTDs and bounds what
calamine would allocate.  Hostile spellings of cell addresses that make
calamine allocate terabytes are checked through the scan alone, never by
letting calamine read them (it would abort the test process).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

import _hostile_builders as hb
from targetlint.errors import LoadError
from targetlint.formats import grid, ooxml, sheet_quick, sheet_scan, xlsx
from targetlint.limits import Limits

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def _cell(ref: str, text: str = "x", attrs: str = "") -> bytes:
    return f'<c r="{ref}"{attrs} t="inlineStr"><is><t>{text}</t></is></c>'.encode()


def _sheet(rows: bytes, dim: str | None = "A1:C3", before: bytes = b"", after: bytes = b"", head: bytes = _HEAD) -> bytes:
    """A worksheet part: ``before`` goes ahead of the cells (columns), ``after`` behind them (merged ranges)."""
    dimension = f'<dimension ref="{dim}"/>'.encode() if dim else b""
    return head + dimension + before + b"<sheetData>" + rows + b"</sheetData>" + after + b"</worksheet>"


_PLAIN = b'<row r="1">' + _cell("A1", "项目名称") + _cell("B1") + b'</row><row r="3">' + _cell("C3", "12") + b"</row>"


def _book(tmp_path: Path, *sheets: bytes, name: str = "book.xlsx") -> Path:
    return hb.raw_xlsx(tmp_path / name, [(f"表{i}", [xml]) for i, xml in enumerate(sheets, 1)])


def _scan(path: Path, limits: Limits | None = None) -> sheet_scan.SheetScan:
    return next(iter(sheet_scan.scan_workbook(str(path), limits or Limits()).values()))


def _quick(xml: bytes, max_cells: int = 2_000_000):
    return sheet_quick.bounds([xml], max_cells)


# --- the quick pass takes plain sheets, and only those -------------------------------------------


def test_plain_sheet_is_bounded_by_its_claim_and_read_as_before(tmp_path):
    assert _quick(_sheet(_PLAIN)) == (3, 3, 0)
    path = _book(tmp_path, _sheet(_PLAIN))
    scan = _scan(path)
    assert scan.bounded and (scan.height, scan.width) == (3, 3)
    assert not scan.hidden_rows and not scan.hidden_cols and not scan.formulas
    table = xlsx.read(path).tables[0]
    assert table.rows == [["项目名称", "x", ""], ["", "", ""], ["", "", "12"]]


def test_rows_of_the_claim_are_rounded_up_to_two_digits():
    rows = b"".join(b'<row r="%d">' % r + _cell(f"A{r}") + b"</row>" for r in (1, 418))
    assert _quick(_sheet(rows, "A1:G418")) == (420, 7, 0)


MARKERS = {
    "hidden row": _sheet(b'<row r="1" hidden="1">' + _cell("A1") + b"</row>"),
    "hidden column": _sheet(_PLAIN, before=b'<cols><col min="2" max="2" hidden="1"/></cols>'),
    "formula": _sheet(b'<row r="1"><c r="A1"><f>1+1</f></c></row>'),
    "comment": _sheet(_PLAIN, after=b"<!-- a note -->"),
    "DTD": _HEAD.replace(b"<worksheet", b'<!DOCTYPE worksheet [<!ENTITY a "b">]><worksheet') + b"</worksheet>",
    "prefixed cell": _sheet(b'<row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>x</x:t></x:is></x:c></row>'),
    "prefixed formula": _sheet(_PLAIN, after=b"<extLst><xm:f>Sheet2!A1</xm:f></extLst>"),
    "cell without address": _sheet(b'<row r="1"><c t="inlineStr"><is><t>x</t></is></c></row>'),
    "address not first": _sheet(b'<row r="1"><c t="inlineStr" r="A1"><is><t>x</t></is></c></row>'),
    "cell past the claim": _sheet(_PLAIN + b'<row r="9">' + _cell("A9") + b"</row>"),
    "column past the claim": _sheet(b'<row r="1">' + _cell("D1") + b"</row>"),
    "no claim": _sheet(_PLAIN, dim=None),
    "claim past the limit": _sheet(_PLAIN, dim="A1:XFD1048576"),
    "other encoding": _sheet(_PLAIN, head=_HEAD.replace(b"UTF-8", b"GB18030")),
    "UTF-16": _sheet(_PLAIN).decode().replace("UTF-8", "UTF-16").encode("utf-16-le"),
    "merged range with spaces": _sheet(_PLAIN, after=b'<mergeCells><mergeCell ref=" A1:B1 "/></mergeCells>'),
    "merged range of one cell": _sheet(_PLAIN, after=b'<mergeCells><mergeCell ref="A1"/></mergeCells>'),
    "merged range past ZZ": _sheet(_PLAIN, after=b'<mergeCells><mergeCell ref="A1:AAA1"/></mergeCells>'),
    "prefixed merged range": _sheet(_PLAIN, after=b'<x:mergeCells><x:mergeCell ref="A1:B1"/></x:mergeCells>'),
}


@pytest.mark.parametrize("xml", MARKERS.values(), ids=MARKERS.keys())
def test_sheet_with_a_marker_goes_to_the_full_pass(xml):
    assert _quick(xml) is None


def test_what_the_full_pass_finds_behind_each_marker(tmp_path):
    scan = _scan(_book(tmp_path, MARKERS["hidden row"], name="r.xlsx"))
    assert not scan.bounded and scan.hidden_rows == {0}
    assert _scan(_book(tmp_path, MARKERS["hidden column"], name="c.xlsx")).hidden_cols == {1}
    assert _scan(_book(tmp_path, MARKERS["formula"], name="f.xlsx")).formulas == {(0, 0): "1+1"}
    with pytest.raises(LoadError) as err:
        _scan(_book(tmp_path, MARKERS["DTD"], name="d.xlsx"))
    assert err.value.code == "truncated" and "DTD" in err.value.message("en")
    exact = _scan(_book(tmp_path, MARKERS["cell past the claim"], name="p.xlsx"))
    assert not exact.bounded and (exact.height, exact.width) == (9, 3)
    lying = _scan(_book(tmp_path, MARKERS["claim past the limit"], name="l.xlsx"))  # the claim alone refuses nothing
    assert (lying.height, lying.width) == (3, 3)


def test_marker_in_a_later_piece_is_found(tmp_path):
    rows = b"".join(b'<row r="%d">' % r + _cell(f"A{r}", "填报说明" * 10) + b"</row>" for r in range(1, 12_001))
    hidden = b'<row r="12001" hidden="1">' + _cell("A12001") + b"</row>"
    xml = _sheet(rows + hidden, dim="A1:A12001")
    assert len(xml) > 2 * sheet_scan._CHUNK
    scan = _scan(_book(tmp_path, xml))
    assert not scan.bounded and scan.hidden_rows == {12000}


# --- hostile spellings of addresses: each one refused, never handed to calamine ------------------

CRASHERS = {  # each makes calamine take XFD1048576 and allocate 17 billion cells
    "second address without a space": b'<c r="A2"r="XFD1048576" t="inlineStr">',
    "second address with spaces": b'<c r="A2" r = "XFD1048576" t="inlineStr">',
    "second address in single quotes": b"<c r=\"A2\" r='XFD1048576' t=\"inlineStr\">",
    "second address after a newline": b'<c r="A2"\nr="XFD1048576" t="inlineStr">',
    "second address in lower case": b'<c r="A2" r="xfd1048576" t="inlineStr">',
    "second address with leading zeros": b'<c r="A2" r="XFD001048576" t="inlineStr">',
    "one address in lower case": b'<c r="xfd1048576" t="inlineStr">',
}


@pytest.mark.parametrize("tag", CRASHERS.values(), ids=CRASHERS.keys())
def test_hostile_address_spellings_are_refused(tmp_path, tag):
    rows = b'<row r="1">' + _cell("A1") + b'</row><row r="2">' + tag + b"<is><t>x</t></is></c></row>"
    xml = _sheet(rows, dim="A1:A2")
    assert _quick(xml) is None
    with pytest.raises(LoadError) as err:
        sheet_scan.scan_workbook(str(_book(tmp_path, xml)), Limits())
    assert err.value.code == "too-large"


def test_far_cells_with_a_modest_claim_are_refused(tmp_path):
    rows = b'<row r="1">' + _cell("A1") + b'</row><row r="1048576">' + _cell("XFD1048576") + b"</row>"
    with pytest.raises(LoadError) as err:
        sheet_scan.scan_workbook(str(_book(tmp_path, _sheet(rows))), Limits())
    assert err.value.code == "too-large" and "17,179,869,184" in err.value.message("en")


def test_plain_merge_bomb_is_counted_and_refused(tmp_path):
    merges = b'<mergeCells count="20000">' + b'<mergeCell ref="A1:Z1000"/>' * 20_000 + b"</mergeCells>"
    xml = _sheet(_PLAIN, after=merges)
    assert _quick(xml) is None
    with pytest.raises(LoadError) as err:
        sheet_scan.scan_workbook(str(_book(tmp_path, xml)), Limits())
    assert err.value.code == "too-large" and "merged" in err.value.message("en")


def test_merged_cells_are_counted_as_the_full_pass_counts_them(tmp_path):
    ranges = b'<mergeCell ref="A1:C1"/><mergeCell ref="B3:B2"/><mergeCell ref="AB2:AA7"/>'  # one reversed, one past Z
    merges = b'<mergeCells count="3">' + ranges + b"</mergeCells>"
    xml = _sheet(_PLAIN, after=merges)
    quick = _quick(xml)
    assert quick == (7, 28, 3 + 2 + 12)
    with zipfile.ZipFile(_book(tmp_path, xml)) as zf:
        full = sheet_scan._full_scan(zf, "xl/worksheets/sheet1.xml", Limits(), "book.xlsx", "表1")
    assert full.merged == quick[2] and (full.height, full.width) == (7, 28)


def test_bounds_past_the_workbook_limit_are_rescanned_exactly(tmp_path):
    """Two sheets claim 10 × 10 (styled empty cells) but hold one cell each: the exact ranges decide."""
    rows = b'<row r="1">' + _cell("A1") + b'</row><row r="10"><c r="J10" s="1"/></row>'
    path = _book(tmp_path, _sheet(rows, "A1:J10"), _sheet(rows, "A1:J10"))
    scans = sheet_scan.scan_workbook(str(path), Limits(max_cells=150))
    assert [(s.bounded, s.height, s.width) for s in scans.values()] == [(False, 1, 1), (False, 1, 1)]
    assert all(s.bounded for s in sheet_scan.scan_workbook(str(path), Limits()).values())


@pytest.mark.parametrize("example", ["kaiyuan-2020.xlsx", "clean-2021.xlsx", "clean-2022-national.xlsx"])
def test_quick_pass_agrees_with_the_full_pass_on_the_examples(example):
    path = EXAMPLES / example
    scans = sheet_scan.scan_workbook(str(path), Limits())
    with zipfile.ZipFile(path) as zf:
        for sheet, part in ooxml.sheet_parts(zf, set(zf.namelist())):
            quick, full = scans[sheet], sheet_scan._full_scan(zf, part, Limits(), str(path), sheet)
            assert quick.bounded and quick.height >= full.height and quick.width >= full.width
            assert (quick.merged, quick.hidden_rows, quick.hidden_cols, quick.formulas) == (
                full.merged, full.hidden_rows, full.hidden_cols, full.formulas,
            )


def test_pattern_builders_match_exactly_the_numbers_and_columns_up_to_the_bound():
    import re

    for top in (1, 7, 9, 10, 99, 100, 418, 420, 1000, 4200, 65536, 1048576):
        pattern = re.compile(sheet_quick._digits_upto(str(top).encode()) + b"$")
        for n in {0, 1, 9, 10, 99, 100, 101, 417, 418, 419, 420, 421, top - 1, top, top + 1, 10 * top}:
            assert bool(pattern.match(str(n).encode())) == (n <= top), (top, n)
    for width in (1, 2, 7, 26, 27, 52, 53, 702, 703, 16384):
        pattern = re.compile(sheet_quick._letters_upto(grid.col_letter(width - 1).encode()) + b"$")
        for n in {1, 2, 7, 26, 27, 28, 52, 53, 54, 702, 703, 704, width - 1, width, width + 1, 16384, 18278}:
            if n >= 1:
                letters = grid.col_letter(n - 1)
                for spelt in (letters, letters.lower()):
                    assert bool(pattern.match(spelt.encode())) == (n <= width), (width, spelt)


# --- after calamine: cell texts, merged fills, anchors -----------------------------------------


def test_float_texts_keep_their_rounding_and_sign():
    cases = [(274.65999999999997, "274.66"), (12.0, "12"), (-0.0, "-0"), (0.0, "0"), (1e-05, "0.00001"),
             (1.5e16, "15000000000000000"), (2.0**60, "1152921504606847000"), (float("nan"), ""), (float("inf"), ""),
             (0.1 + 0.2, "0.3"), (-12.5, "-12.5")]
    for _ in range(2):  # the second round comes from the cache
        for value, text in cases:
            assert grid.cell_text(value) == text, value
    assert grid.cell_text(True) == "TRUE" and grid.cell_text(1) == "1" and grid.cell_text(1.0) == "1"


def test_fill_merged_repeats_the_anchor_text_and_maps_every_covered_cell():
    rows = [["标题", "", ""], ["a", "b"]]
    anchors = xlsx._fill_merged(rows, [((0, 0), (0, 2)), ((1, 1), (2, 1))])
    assert rows == [["标题", "标题", "标题"], ["a", "b", ""], ["", "b", ""]]
    assert anchors == {(0, 0): (0, 0), (0, 1): (0, 0), (0, 2): (0, 0), (1, 1): (1, 1), (2, 1): (1, 1)}


def test_anchor_follows_the_anchors_mapping_even_when_it_grows():
    table = grid.Table(name="表", rows=[["a", "a"], ["b", "c"]], anchors={(0, 1): (0, 0)})
    assert table.anchor(0, 1) == (0, 0) and table.anchor(1, 1) == (1, 1)
    table.anchors[(1, 1)] = (1, 0)  # as the Word reader extends a combined table
    assert table.anchor(1, 1) == (1, 0)
