"""Property-based tests (hypothesis): no input crashes the readers, the loader, the grammar or a rule.

A fixed example budget and ``derandomize=True`` keep CI deterministic and
the whole file well under a minute.  The strategies mix what submissions
hold (CJK words, numbers, operators, units, dates, labels of the forms)
with what they should not (control characters, stray markup, formulas,
very long runs), so the generated cases reach the code paths that matter.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import openpyxl
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from _hebei_builders import LABELS, BlockSpec, write_block
from targetlint import casebook, engine, layouts, load, profile, schema
from targetlint.errors import LoadError
from targetlint.formats import text
from targetlint.formats.grid import Grid, Table
from targetlint.rules import _grammar, _money, _text
from targetlint.submission import INDICATOR_FIELDS, PROJECT_FIELDS

PROFILES = [profile.load(name) for name in ("default", "hebei-2020", "mof-2021")]


def budget(n: int):
    return settings(max_examples=n, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))


#: Pieces of real submissions: words, numbers, operators, units, dates, field labels, junk.
PIECES = [
    "≥", "≤", "=", "＞", "<", ">", "%", "％", "90", "0.9", "1,200", "-3", "12.50", "万元", "元", "个", "人次", "公里",
    "年", "月", "日", "2021年12月31日前", "明显提升", "完成", "满意度", "合格率", "产出指标", "效益指标", "满意度指标",
    "数量指标", "时效指标", "成本指标", "计划标准", "行业标准", "TC ", "\\f C \\l 1", "错误！未定义书签。", "详见附件",
    "（", "）", "、", "；", "。", "\n", "\t", " ", "　", "<script>", "=SUM(A1)", "@", "+", "e", "E5", "nan", "None",
    *LABELS["header"], *LABELS["months"], LABELS["code"], LABELS["name"], LABELS["total"],
]
piece_text = st.lists(st.sampled_from(PIECES), max_size=8).map("".join)
any_text = st.one_of(piece_text, st.text(max_size=40), st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
#: Text an .xlsx can hold: XML 1.0 characters only (openpyxl refuses the others).
_XML_CHARS = st.characters(blacklist_categories=("Cs",), blacklist_characters="".join(map(chr, [*range(9), 11, 12, *range(14, 32), 0xFFFE, 0xFFFF])))
cell_text = st.one_of(piece_text, st.text(alphabet=_XML_CHARS, max_size=30))


# --- the value grammar and the text helpers ---------------------------------------------------------


@budget(1000)
@given(any_text)
def test_value_grammar_never_throws(s):
    value = _grammar.parse(s)
    assert value.kind
    _grammar.as_percent(value)
    _grammar.name_core(s)
    _grammar.short_name(s)
    _money.amount(s)
    _text.similarity(s, s[::-1])


@budget(60)
@given(st.lists(st.one_of(st.none(), any_text), max_size=20))
def test_value_grammar_on_series_never_throws(values):
    parsed = _grammar.parse_series(pd.Series(values, dtype=object))
    assert len(parsed) == len(values)


# --- the text reader and the loader on any bytes ------------------------------------------------------


@budget(300)
@given(st.binary(max_size=3000))
def test_text_reader_never_throws(data):
    decoded, encoding = text.decode(data)
    table = text.to_table(text.split_lines(decoded))
    assert encoding and all(len(row) == len(locs) for row, locs in zip(table.rows, table.locs))


@budget(300)
@given(st.binary(max_size=2000), st.sampled_from([".xlsx", ".xls", ".docx", ".txt", ".xlsm", ""]))
def test_loader_on_any_bytes_raises_only_load_errors(data, suffix):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"f{suffix}"
        path.write_bytes(data)
        try:
            load.load_path(str(path))
        except LoadError as err:
            assert err.code and str(path) in err.message("zh")
        assert path.read_bytes() == data


@budget(120)
@given(st.sampled_from([b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\xef\xbb\xbf", b"\xff\xfe"]), st.binary(max_size=1500))
def test_loader_on_damaged_magic_raises_only_load_errors(magic, rest):
    """Bytes that start like a zip, an OLE2 file or a BOM but go on as junk."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "f.xlsx"
        path.write_bytes(magic + rest)
        try:
            load.load_path(str(path))
        except LoadError:
            pass


# --- random grids through the layouts -------------------------------------------------------------------


@budget(150)
@given(st.lists(st.lists(cell_text, min_size=1, max_size=8), max_size=25), st.booleans())
def test_layouts_on_random_grids_never_crash(rows, hidden):
    width = max((len(r) for r in rows), default=0)
    rows = [r + [""] * (width - len(r)) for r in rows]
    grid = Grid(path="random.xlsx", format="xlsx", tables=[Table(name="表", rows=rows, hidden=hidden)])
    try:
        module = layouts.detect(grid)
    except LoadError as err:
        assert err.code == "layout-unknown"
        return
    sub = module.parse(grid)
    _check_every_rule(sub)


# --- random but well-formed workbooks through the loader and every rule -------------------------------


def _check_every_rule(sub) -> None:
    for prof in PROFILES:
        _, status = engine.run(sub, prof)
        assert not status.failed, status.failed
    schema.validate(sub)


indicator = st.tuples(*[cell_text] * 6)


@budget(25)
@given(
    name=cell_text, goal=cell_text, purpose=cell_text,
    money=st.tuples(st.one_of(st.floats(allow_nan=False, allow_infinity=False, width=32), cell_text), cell_text, cell_text),
    plan=st.tuples(*[st.one_of(st.integers(-10, 200), cell_text)] * 4),
    indicators=st.lists(indicator, min_size=1, max_size=6),
    merged=st.booleans(),
)
def test_random_workbooks_never_crash_the_loader_or_a_rule(name, goal, purpose, money, plan, indicators, merged):
    spec = BlockSpec(name=name or "项目", goal=goal, purpose=purpose, budget=money, plan=plan,
                     indicators=[tuple(i) for i in indicators], merged=merged)
    wb = openpyxl.Workbook()
    ws = wb.active
    write_block(ws, 1, spec)
    for row in ws.iter_rows():
        for cell in row:
            if cell.data_type == "f":  # a text starting with "=" is typed as text, not a formula
                cell.data_type = "s"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "random.xlsx"
        wb.save(path)
        try:
            sub = load.load_path(str(path))
        except LoadError as err:
            assert err.code == "layout-unknown", err.message("en")
            return
    assert len(sub.projects) >= 1
    _check_every_rule(sub)


# --- random submissions straight into every rule -------------------------------------------------------

maybe_text = st.one_of(st.none(), any_text)


@budget(40)
@given(
    project=st.fixed_dictionaries({}, optional={f: maybe_text for f in PROJECT_FIELDS}),
    rows=st.lists(st.fixed_dictionaries({}, optional={f: maybe_text for f in INDICATOR_FIELDS}), max_size=8),
    department=st.lists(any_text, max_size=4),
    year=st.one_of(st.none(), st.integers(1990, 2100)),
)
def test_random_submissions_never_crash_a_rule(project, rows, department, year):
    case = {"projects": [project, {**project, "project_code": "913-0201-ABC-1K2N"}], "indicators": rows,
            "department": department, "year": year}
    _check_every_rule(casebook.build(case))
