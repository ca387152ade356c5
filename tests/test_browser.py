"""The HTML report in a real headless browser (Debian's ``chromium``, driven over the DevTools pipe).

What a reviewer's machine does with the page: load it with no network, run
its script without error, show every finding, print it on A4.  Skipped with
a reason when chromium is missing; ``.ci/run`` installs it.
"""

from __future__ import annotations

import re
import struct
from pathlib import Path

import pytest

import _report_fixtures as R
from _chromium import A4_WIDTH, Chromium, executable
from targetlint.reporters import html

pytestmark = pytest.mark.skipif(executable() is None, reason="chromium is not installed (apt-get install chromium)")


@pytest.fixture(scope="module")
def browser():
    with Chromium() as b:
        yield b


def _write(tmp_path: Path, name: str, page: str) -> Path:
    path = tmp_path / name
    path.write_text(page, encoding="utf-8")
    return path


def _only_the_page(browser: Chromium, path: Path) -> None:
    assert browser.requests() == [path.resolve().as_uri()]


def test_seed_report_loads_offline_shows_every_finding_and_prints(browser, tmp_path):
    path = _write(tmp_path, "report.html", html.render(R.seed(), "zh"))
    browser.open(path)
    assert browser.errors() == []
    _only_the_page(browser, path)
    shown = browser.evaluate("document.body.innerText")
    found = R.seed().findings
    for column in ("message_zh", "suggestion_zh"):
        missing = {t for t in found[column].dropna() if t and t not in shown}
        assert not missing, (column, sorted(missing)[:3])
    # screenshot at A4 width
    png = browser.screenshot()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert A4_WIDTH - 20 <= width <= A4_WIDTH and height > 3000
    (tmp_path / "report.png").write_bytes(png)
    # the page fits A4 width: nothing sticks out sideways
    assert browser.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    pdf = browser.pdf()
    assert pdf.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages >= 10, pages  # 14 projects with about 200 findings do not fit on a few pages
    assert browser.errors() == []


def test_hostile_text_is_text_and_runs_nothing(browser, tmp_path):
    path = _write(tmp_path, "hostile.html", html.render(R.hostile(), "zh"))
    browser.open(path)
    assert browser.errors() == []
    _only_the_page(browser, path)
    assert not any(ev["method"] == "Page.javascriptDialogOpening" for ev in browser.events)
    shown = browser.evaluate("document.body.innerText")
    assert R.SCRIPT in shown and R.TAG_NAME in shown and R.FORMULA in shown
    assert browser.evaluate("document.querySelectorAll('main script').length") == 0
    assert not browser.evaluate("[...document.querySelectorAll('main b')].some(b => b.textContent.includes('危房'))")


def test_folder_report_links_open_sections_and_print_opens_all(browser, tmp_path):
    path = _write(tmp_path, "folder.html", html.render(R.folder(), "zh"))
    browser.open(path, width=1280, height=900)
    assert browser.errors() == []
    _only_the_page(browser, path)
    assert browser.evaluate("document.querySelectorAll('details.file[open]').length") == 0
    assert browser.evaluate("document.querySelectorAll('table.files tbody tr').length") == 20
    assert browser.evaluate("document.querySelectorAll('svg rect').length") > 5
    browser.evaluate("document.querySelector('table.files a[href=\"#f3\"]').click()")
    assert browser.evaluate("document.getElementById('f3').open") is True
    # sorting the table by errors: the unreadable file, then the clean ones, then the rest
    browser.evaluate("document.querySelectorAll('table.files th')[4].click()")
    names = browser.evaluate("[...document.querySelectorAll('table.files tbody tr a')].map(a => a.textContent)")
    assert "损坏" in names[0] and "clean" in names[1]
    errors = browser.evaluate("[...document.querySelectorAll('table.files tbody tr')].map(tr => tr.cells[4].textContent)")
    numbers = [int(e) for e in errors[1:]]
    assert numbers == sorted(numbers)
    pdf = browser.pdf()
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) > 20  # every file printed, each on its own pages
    # printing restored what was open
    assert browser.evaluate("document.querySelectorAll('details.file[open]').length") == 1
    assert browser.errors() == []
