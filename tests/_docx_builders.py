"""Write Word (.docx, layout L5) versions of Submissions for the loader tests.

:func:`write_docx` draws a Submission the way a unit types it in Word: the
department-wide part as paragraphs, then per project a title paragraph and
one table in the L1 shape, with the labels merged down (预算规模及资金用途,
资金支出计划) and 一级/二级 merged down over their indicators, as in a real
Word 绩效目标表.  Texts are written exactly, so a run on the document sees
what a run on the source saw.  :func:`xml_docx` builds a document from raw
body XML, for the reader's corner cases.
"""

from __future__ import annotations

from pathlib import Path

import docx
from docx.oxml import parse_xml
from docx.table import Table as DocxTable

from targetlint.submission import Submission

NCOLS = 7
HEADER = ("一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据")
MONTHS = ("3月底", "6月底", "10月底", "12月底")
PLAN = ("plan_mar", "plan_jun", "plan_oct", "plan_dec")


def _s(value) -> str:
    return "" if value is None else str(value)


def write_docx(sub: Submission, path: str | Path, *, title_in_table: bool = False) -> Path:
    """Write ``sub`` as an L5 document at ``path``.

    Args:
        title_in_table: put each project's title in the table's first row
            (one cell across the table) instead of a paragraph above it.
    """
    document = docx.Document()
    for _, row in sub.department.iterrows():
        para = document.add_paragraph()
        para.add_run(_s(row["text"])).bold = row["kind"] == "heading"
    for key, project in sub.projects.iterrows():
        indicators = sub.indicators[sub.indicators["project_key"] == project["project_key"]]
        title = _s(project.get("title"))
        if title and not title_in_table:
            document.add_paragraph(title)
        _project_table(document, project, indicators, title if title_in_table else "")
        document.add_paragraph("")  # Word keeps a paragraph between two tables
    path = Path(path)
    document.save(path)
    return path


def _project_table(document, p, indicators, title: str) -> DocxTable:
    head = 8 + bool(title)
    table = document.add_table(rows=head + len(indicators), cols=NCOLS)
    table.style = "Table Grid"
    r = 0
    if title:
        _put(table, r, 0, title, span=NCOLS)
        r += 1
    _put(table, r, 0, _s(p["unit"]), span=5)
    _put(table, r, 5, f"单位：{_s(p['money_unit']) or '万元'}", span=2)
    _put(table, r + 1, 0, "项目编码")
    _put(table, r + 1, 1, _s(p["project_code"]), span=2)
    _put(table, r + 1, 3, "项目名称")
    _put(table, r + 1, 4, _s(p["project_name"]), span=3)
    _put(table, r + 2, 0, "预算规模及资金用途", down=2)
    for i, (label, f) in enumerate((("预算数", "budget_total"), ("其中：财政资金", "budget_fiscal"), ("其他资金", "budget_other"))):
        _put(table, r + 2, 1 + 2 * i, label)
        _put(table, r + 2, 2 + 2 * i, _s(p[f]))
    _put(table, r + 3, 1, _s(p["purpose"]), span=6)
    _put(table, r + 4, 0, "资金支出计划（%）", down=2)
    for i, (month, f) in enumerate(zip(MONTHS, PLAN)):
        span = 3 if i == 3 else 1  # 12月底 runs to the table's right edge
        _put(table, r + 4, 1 + i, month, span=span)
        _put(table, r + 5, 1 + i, _s(p[f]), span=span)
    _put(table, r + 6, 0, "绩效目标")
    _put(table, r + 6, 1, _s(p["goal"]), span=6)
    for c, text in enumerate(HEADER):
        _put(table, r + 7, c, text, span=2 if c == 5 else 1)
    _indicator_rows(table, r + 8, indicators)
    return table


def _indicator_rows(table: DocxTable, first: int, indicators) -> None:
    rows = [tuple(_s(ind[f]) for f in ("level1", "level2", "level3", "description", "value", "basis"))
            for _, ind in indicators.iterrows()]
    for i, row in enumerate(rows):
        for c in range(2, 6):
            _put(table, first + i, c, row[c], span=2 if c == 5 else 1)
    for col in (0, 1):
        start = 0
        for i in range(1, len(rows) + 1):
            if i < len(rows) and rows[i][: col + 1] == rows[start][: col + 1]:
                continue
            _put(table, first + start, col, rows[start][col], down=i - start)
            start = i


def _put(table: DocxTable, r: int, c: int, text: str, span: int = 1, down: int = 1) -> None:
    """Write ``text`` into cell (r, c), merged ``span`` columns across and ``down`` rows down."""
    cell = table.cell(r, c)
    if span > 1 or down > 1:
        cell = cell.merge(table.cell(r + down - 1, c + span - 1))
    cell.text = text


_NS = " ".join(f'xmlns:{p}="{uri}"' for p, uri in {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "v": "urn:schemas-microsoft-com:vml",
}.items())


def xml_docx(path: str | Path, body_xml: str) -> Path:
    """A document whose body is ``body_xml`` (WordprocessingML, ``w:`` prefix)."""
    document = docx.Document()
    body = document.element.body
    for child in list(body):
        if not child.tag.endswith("sectPr"):
            body.remove(child)
    wrapper = parse_xml(f"<w:body {_NS}>{body_xml}</w:body>")
    sect = body[-1] if len(body) else None
    for child in list(wrapper):
        if sect is not None:
            sect.addprevious(child)
        else:
            body.append(child)
    path = Path(path)
    document.save(path)
    return path


def sheets_docx(xlsx: str | Path, path: str | Path, *, paragraphs: list[str] = ()) -> Path:
    """Each worksheet of ``xlsx`` as one Word table (cell texts and merged ranges kept).

    A form drawn in a workbook becomes the same form in Word, whatever its
    layout; ``paragraphs`` go before the first table.
    """
    import openpyxl

    from targetlint.formats.grid import cell_text

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    for ws in openpyxl.load_workbook(xlsx).worksheets:
        if ws.max_row < 1 or ws.max_column < 1 or ws.sheet_state != "visible":
            continue
        table = document.add_table(rows=ws.max_row, cols=ws.max_column)
        table.style = "Table Grid"
        for rng in ws.merged_cells.ranges:
            table.cell(rng.min_row - 1, rng.min_col - 1).merge(table.cell(rng.max_row - 1, rng.max_col - 1))
        cells = table._cells  # row by row; computed once (table.cell() recomputes it every call)
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None:
                    cells[(c.row - 1) * ws.max_column + c.column - 1].text = cell_text(c.value)
        document.add_paragraph("")
    path = Path(path)
    document.save(path)
    return path
