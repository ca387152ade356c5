"""``targetlint template``: the blank workbook, its drop-downs, its sample, and filling it in."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from openpyxl.cell.cell import MergedCell

from targetlint import engine, load, runner, template
from targetlint import profile as profiles
from targetlint.layouts import flat_writer, hebei_writer, national_writer
from targetlint.submission import Submission

REPO = Path(__file__).resolve().parents[1]
SEED = REPO.parent / "shared" / "seed" / "000_852a9d826d30868b.txt"
#: The seed as text where ../shared is checked out, else its committed xlsx twin.
SEED_FILE = SEED if SEED.is_file() else REPO / "examples" / "kaiyuan-2020.xlsx"
LAYOUTS = list(template.LAYOUTS)
#: Fields each layout has no place for: the seed's project restricted to what the layout carries.
ABSENT = {
    "hebei-form": ((), ()),
    "national-form": (("title", "project_code", "purpose", "plan_mar", "plan_jun", "plan_oct", "plan_dec"),
                      ("description", "basis")),
    "flat-export": (("title",), ()),
}
DRAW = {"hebei-form": hebei_writer.draw, "national-form": national_writer.draw, "flat-export": flat_writer.draw}


@pytest.fixture(scope="module", params=LAYOUTS)
def made(request, tmp_path_factory):
    layout = request.param
    path = template.write_template(tmp_path_factory.mktemp("t") / f"{layout}.xlsx", layout, "hebei-2020", year=2021)
    return layout, path


def _validations(ws) -> dict[str, tuple[list[str], str]]:
    """Drop-down list formula → (the values it lists, the cell ranges it covers)."""
    book = ws.parent
    out = {}
    for dv in ws.data_validations.dataValidation:
        sheet, ref = dv.formula1.rsplit("!", 1)
        values = [c.value for row in book[sheet.strip("'")][ref.replace("$", "")] for c in row]
        out[values[0] if values else ""] = (values, str(dv.sqref), dv.errorStyle)
    return out


def test_workbook_opens_with_form_sample_and_lists(made):
    layout, path = made
    wb = openpyxl.load_workbook(path)
    assert [ws.title for ws in wb] == [template.FORM_SHEETS[layout], template.SAMPLE_SHEET, template.OPTIONS_SHEET]
    assert [ws.sheet_state for ws in wb] == ["visible", "hidden", "hidden"]
    form = wb.worksheets[0]
    assert form.merged_cells.ranges, "the form keeps its merged cells"
    assert any(c.value == template.NOTE for row in form.iter_rows() for c in row)


def test_drop_downs_list_the_profile_taxonomy(made):
    layout, path = made
    prof = profiles.load("hebei-2020")
    level1 = list(prof.vocab["taxonomy"]["level1"])
    level2 = list(dict.fromkeys(n for names in prof.vocab["taxonomy"]["level1"].values() for n in names))
    wb = openpyxl.load_workbook(path)
    for ws in (wb.worksheets[0], wb[template.SAMPLE_SHEET]):
        found = {values[0]: (values, refs, style) for values, refs, style in _validations(ws).values()}
        assert found[level1[0]][0] == level1 and found[level1[0]][2] == "warning"
        assert found[level2[0]][0] == level2
        if layout != "national-form":  # the national form has no basis column
            assert found["计划标准"][0] == prof.vocab["words"]["basis_standards"]
            assert found["计划标准"][2] == "information"  # a citation is a valid basis too
    form = wb.worksheets[0]
    refs = {values[0]: refs for values, refs, _ in _validations(form).values()}
    header = next(r for r in form.iter_rows() for c in r if c.value == "一级指标")
    column = next(c.column_letter for c in header if c.value == "一级指标")
    first = header[0].row + 1
    assert refs[level1[0]] == f"{column}{first}:{column}{first + template.BLANK_ROWS[layout] - 1}"


def test_drop_downs_follow_a_bureau_profile(tmp_path):
    custom = tmp_path / "bureau.yaml"
    custom.write_text(
        "name: bureau\nextends: default\nvocab:\n  taxonomy:\n    level1:\n      产出指标: [数量指标, 质量指标]\n"
        "      效果指标: [社会效益指标]\n", encoding="utf-8")
    path = template.write_template(tmp_path / "t.xlsx", "flat", str(custom), year=2022)
    lists = [values for values, _, _ in _validations(openpyxl.load_workbook(path).worksheets[0]).values()]
    assert ["产出指标", "效果指标"] in lists and ["数量指标", "质量指标", "社会效益指标"] in lists


def test_blank_form_is_read_in_its_own_layout(made):
    layout, path = made
    sub = load.load_path(str(path))
    assert sub.layout == layout
    assert len(sub.indicators) == 0
    if layout == "flat-export":
        assert len(sub.projects) == 0
    else:
        assert len(sub.projects) == 1 and sub.projects["project_name"].iloc[0] == ""


@pytest.mark.parametrize("profile", ["default", "hebei-2020"])
def test_sample_sheet_checks_clean(made, profile, tmp_path):
    layout, path = made
    wb = openpyxl.load_workbook(path)
    del wb[template.FORM_SHEETS[layout]]
    wb[template.SAMPLE_SHEET].sheet_state = "visible"
    wb.save(tmp_path / "sample.xlsx")
    (fr,) = runner.check_paths([str(tmp_path / "sample.xlsx")], profile).files
    assert fr.error is None and fr.submission.layout == layout
    assert len(fr.submission.projects) == 1 and len(fr.submission.indicators) == len(template.SAMPLE_INDICATORS)
    bad = fr.findings[fr.findings["severity"].isin(["error", "warning"])]
    assert bad.empty, bad[["rule", "field", "value"]].to_string()


# --- filling the blank form with the seed's first project -----------------------------------------


def _first_project(sub: Submission, layout: str) -> Submission:
    """The seed's first project alone, with the fields ``layout`` has no place for made absent."""
    key = sub.projects["project_key"].iloc[0]
    projects = sub.projects.iloc[[0]].copy()
    indicators = sub.indicators[sub.indicators["project_key"] == key].copy()
    absent_p, absent_i = ABSENT[layout]
    for frame, fields in ((projects, absent_p), (indicators, absent_i)):
        for f in fields:
            frame[f] = None
    return Submission(sub.path, sub.layout, projects, indicators, sub.department.iloc[0:0], sub.units[:1], sub.year)


def _fill(path: Path, layout: str, project: Submission, out: Path) -> Path:
    """Type the project into the blank form, cell by cell, as a clerk would (values only)."""
    scratch = openpyxl.Workbook().active
    DRAW[layout](scratch, project)
    wb = openpyxl.load_workbook(path)
    form = wb.worksheets[0]
    for row in scratch.iter_rows():
        for cell in row:
            if cell.value is not None and not isinstance(cell, MergedCell):
                form.cell(cell.row, cell.column).value = cell.value
    wb.save(out)
    return out


def _codes(findings) -> Counter:
    return Counter(zip(findings["rule"], findings["severity"], findings["field"], findings["value"]))


def test_filled_template_gives_the_projects_findings(made, tmp_path):
    layout, path = made
    seed = load.load_path(str(SEED_FILE))
    project = _first_project(seed, layout)
    assert len(project.indicators) <= template.BLANK_ROWS[layout]
    filled = _fill(path, layout, project, tmp_path / "filled.xlsx")
    (fr,) = runner.check_paths([str(filled)], "hebei-2020").files
    assert fr.error is None and fr.submission.layout == layout
    assert fr.submission.projects["project_name"].tolist() == ["党组织活动经费"]
    expected, _ = engine.run(project, profiles.load("hebei-2020"))
    assert len(expected) >= 8  # the seed's first project is full of defects
    assert _codes(fr.findings) == _codes(expected)
    assert openpyxl.load_workbook(filled).worksheets[0].data_validations.dataValidation  # drop-downs survive


def test_unknown_layout_is_refused(tmp_path):
    with pytest.raises(ValueError, match="no template for layout"):
        template.write_template(tmp_path / "t.xlsx", "word-form")
