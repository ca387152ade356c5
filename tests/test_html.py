"""The HTML report: self-contained, escaped, complete, and a usable batch overview.

The browser-level checks (no request, no console error, screenshot and PDF)
are in ``test_browser.py``; these read the page as text.
"""

from __future__ import annotations

import base64
import hashlib
import re
from html import unescape

import pytest
from markupsafe import escape

import _report_fixtures as R
from targetlint import reporters
from targetlint.reporters import html
from targetlint.result import RunResult


@pytest.fixture(scope="module")
def seed_page() -> str:
    return html.render(R.seed(), "zh")


@pytest.fixture(scope="module")
def folder_page() -> str:
    return html.render(R.folder(), "zh")


def _texts(result: RunResult, column: str) -> set[str]:
    found = result.findings
    return {t for t in found[column].dropna() if t}


def test_every_message_and_suggestion_is_in_the_page(seed_page):
    result = R.seed()
    assert len(result.findings) > 100
    for column in ("message_zh", "suggestion_zh", "value"):
        for text in _texts(result, column):
            assert str(escape(text)) in seed_page, (column, text)


def test_single_file_shows_counts_by_severity_and_rule_and_a_grade(seed_page):
    result = R.seed()
    counts = result.summary()
    assert re.search(rf"<dt>错误</dt><dd>{counts['errors']}</dd>", seed_page)
    assert re.search(rf"<dt>警告</dt><dd>{counts['warnings']}</dd>", seed_page)
    by_rule = result.findings["rule"].value_counts()
    for code, n in by_rule.items():
        assert re.search(rf">{code}</span>.*?</td><td class=\"num\">.*?{n}</td>", seed_page), code
    # the seed is the worst kind of submission
    assert '<span class="big">差</span>' in seed_page


def test_each_project_heads_its_findings(seed_page):
    sub = R.seed().files[0].submission
    for code, name in zip(sub.projects["project_code"], sub.projects["project_name"]):
        assert f'<span class="pcode">{escape(code)}</span> {escape(name)}' in seed_page


def test_page_loads_nothing_from_elsewhere(seed_page, folder_page):
    for page in (seed_page, folder_page):
        # every src/href is in-page (#id) or data:, and CSS imports nothing
        for attr in re.findall(r'\b(?:src|href)\s*=\s*"([^"]*)"', page):
            assert attr.startswith(("#", "data:")), attr
        assert "@import" not in page and "url(" not in page
        assert "<link rel=\"stylesheet\"" not in page and "@font-face" not in page
        assert not re.search(r"<script[^>]+src", page)


def test_csp_pins_the_one_script_by_hash(seed_page):
    scripts = re.findall(r"<script>(.*?)</script>", seed_page, re.S)
    assert len(scripts) == 1
    digest = base64.b64encode(hashlib.sha256(scripts[0].encode()).digest()).decode()
    csp = unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', seed_page)[1])
    assert "default-src 'none'" in csp
    assert f"script-src 'sha256-{digest}'" in csp


def test_hostile_cell_text_is_shown_escaped():
    page = html.render(R.hostile(), "zh")
    assert R.SCRIPT in set(R.hostile().findings["value"])
    assert R.SCRIPT not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert R.TAG_NAME not in page and str(escape(R.TAG_NAME)) in page
    assert str(escape(R.FORMULA)) in page


def test_print_stylesheet_is_a4_with_a_page_per_file(seed_page):
    assert "@page { size: A4;" in seed_page
    assert re.search(r"@media print \{.*?\.file \{ break-before: page;", seed_page, re.S)


def test_folder_report_has_summary_table_chart_and_links(folder_page):
    result = R.folder()
    assert len(result.files) == 20
    table = re.search(r'<table class="files sortable">.*?</table>', folder_page, re.S)[0]
    rows = re.findall(r"<tr><td>(\d+)</td><td><a href=\"#(f\d+)\">", table)
    assert [int(n) for n, _ in rows] == list(range(1, 21))
    for _, anchor in rows:
        assert f'<details class="file" id="{anchor}">' in folder_page
    # the corrupt file is listed as unreadable, with its load error in its section
    assert table.count("无法读取") == 1
    bad = next(f for f in result.files if f.error)
    assert str(escape(bad.error.message("zh"))) in folder_page
    # two inline SVG charts: grades (5 bars) and the most frequent rules
    assert folder_page.count("<svg") == 2
    grade_svg = re.search(r'<svg role="img" aria-label="等级分布".*?</svg>', folder_page, re.S)[0]
    assert grade_svg.count("<rect") == 5


def test_folder_grades_match_the_files(folder_page):
    result = R.folder()
    grades = re.findall(r'<td data-v="(\d)"><span class="grade g\d">(.)</span>', folder_page)
    clean = [f for f in result.files if f.path.endswith("clean-2021.xlsx")]
    assert sum(1 for _, g in grades if g == "优") == len(clean) > 0
    assert sum(1 for _, g in grades if g == "差") >= 10


def test_english_report():
    page = html.render(R.seed(), "en")
    assert '<html lang="en">' in page and "Performance-target review report" in page
    for text in _texts(R.seed(), "message_en"):
        assert str(escape(text)) in page


def test_grade_settings_reach_the_report():
    lenient = {"grade": {"bands": {"优": 1000, "良": 2000, "中": 3000}, "best_with_errors": "优"}}
    page = html.render(R.seed(), "zh", settings=lenient)
    assert '<span class="big">优</span>' in page


def test_dispatch_and_output_specs():
    assert reporters.render("html", R.seed(), "zh", settings=None, color=True).startswith("<!DOCTYPE html>")
    assert reporters.parse_output("html:report.html") == ("html", "report.html")
    assert reporters.parse_output("json:out/结果.json") == ("json", "out/结果.json")
    assert reporters.parse_output("审核意见.xlsx") == ("xlsx", "审核意见.xlsx")
    assert reporters.parse_output("C:\\out\\r.csv") == ("csv", "C:\\out\\r.csv")
    assert reporters.parse_output("report") == (None, "report")


def test_rendering_is_deterministic(seed_page):
    assert html.render(R.seed(), "zh") == seed_page


def test_index_and_page_per_file_for_large_batches():
    result = R.folder()
    pages = html.render_pages(result, "zh", index="out/批次报告.html")
    index = pages.pop("批次报告.html")
    assert len(pages) == 20
    assert '<details class="file"' not in index and "<svg" in index
    links = re.findall(r'<td><a href="([^"]+)">', index)
    assert links == list(pages)
    assert all(link.startswith("批次报告_files/") for link in links)
    for (name, page), fr in zip(pages.items(), result.files):
        assert '<a href="../批次报告.html">' in page
        assert str(escape(fr.path)) in page
        for href in re.findall(r'\bhref="([^"]*)"', page):
            assert href.startswith(("#", "data:")) or href == "../批次报告.html", href
    # a file page is the one-file report: every message of that file is on it
    seed_page = pages[links[0]]
    for text in _texts(RunResult([result.files[0]], "x"), "message_zh"):
        assert str(escape(text)) in seed_page
