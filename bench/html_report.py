"""Benchmark: the HTML report of a 1,000-file batch — its size and how long Chromium takes to load it.

The batch is synthetic but real-shaped: the seed submission
(``examples/kaiyuan-2020.xlsx``, 14 projects, about 200 findings under
``hebei-2020``) is checked once and its result reused under 1,000 different
paths — a worst case, since a real batch has many cleaner files.  A quarter
of the files are swapped for the clean example so the grade chart and the
table have more than one kind of row.

Prints the figures and writes them into ``bench/RESULTS.md``, section
"HTML report".  Usage::

    python bench/html_report.py [N]          # N files (default 1000)
"""

from __future__ import annotations

import dataclasses
import os
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the DevTools driver the browser test uses

from _chromium import Chromium, executable  # noqa: E402

from targetlint import runner  # noqa: E402
from targetlint.reporters import html  # noqa: E402
from targetlint.result import RunResult  # noqa: E402

RESULTS = ROOT / "bench" / "RESULTS.md"
SECTION = "HTML report"


def batch(n: int) -> RunResult:
    """``n`` file results: the seed's, and every fourth the clean example's, each under its own path."""
    seed = runner.check_file(str(ROOT / "examples" / "kaiyuan-2020.xlsx"), _profile())
    clean = runner.check_file(str(ROOT / "examples" / "clean-2021.xlsx"), _profile())
    files = []
    for i in range(n):
        base = clean if i % 4 == 3 else seed
        path = f"各乡镇/{i + 1:04d}-{Path(base.path).stem}.xlsx"
        files.append(dataclasses.replace(base, path=path, findings=base.findings.assign(file=path)))
    return RunResult(files=files, profile="hebei-2020")


def _profile():
    from targetlint import profile

    return profile.load("hebei-2020")


def _load(browser: Chromium, path: Path) -> tuple[float, float]:
    """Seconds to the load event and to the first contentful paint."""
    load = browser.open(path, width=1280, height=900)
    # FCP may land after the load event on a small page: wait for the entry (buffered).
    paint = browser.evaluate(
        "new Promise(ok => new PerformanceObserver(l => ok(l.getEntries()[0].startTime))"
        ".observe({type: 'paint', buffered: true}))")
    return load, paint / 1000


def measure(n: int) -> dict[str, float]:
    """Both shapes of the report: one page with collapsed sections, and an index plus a page per file."""
    result = batch(n)
    fig: dict[str, float] = {"files": n, "findings": len(result.findings), "load_avg": os.getloadavg()[0]}
    t0 = time.perf_counter()
    page = html.render(result, "zh").encode("utf-8")
    fig["one_render_s"] = time.perf_counter() - t0
    fig["one_size_mb"] = len(page) / 1e6
    t0 = time.perf_counter()
    pages = html.render_pages(result, "zh", index="report.html")
    fig["pages_render_s"] = time.perf_counter() - t0
    fig["pages_total_mb"] = sum(len(p.encode("utf-8")) for p in pages.values()) / 1e6
    fig["index_size_mb"] = len(pages["report.html"].encode("utf-8")) / 1e6
    first = next(k for k in pages if k != "report.html")
    fig["file_page_kb"] = len(pages[first].encode("utf-8")) / 1e3
    if executable() is None:
        print("chromium not installed: load times not measured", file=sys.stderr)
        return fig
    with tempfile.TemporaryDirectory() as tmp:
        one = Path(tmp, "one.html")
        one.write_bytes(page)
        for rel, text in pages.items():
            Path(tmp, rel).parent.mkdir(parents=True, exist_ok=True)
            Path(tmp, rel).write_text(text, encoding="utf-8")
        with Chromium(timeout=600) as browser:
            fig["one_load_s"], fig["one_paint_s"] = _load(browser, one)
            t0 = time.perf_counter()
            browser.evaluate(f"document.getElementById('f{n // 2}').open = true; document.body.offsetHeight")
            fig["one_open_ms"] = (time.perf_counter() - t0) * 1000
            fig["errors"] = len(browser.errors())
            fig["requests"] = len(browser.requests()) - 1
            fig["index_load_s"], fig["index_paint_s"] = _load(browser, Path(tmp, "report.html"))
            fig["file_load_s"], _ = _load(browser, Path(tmp, first))
            fig["errors"] += len(browser.errors())
            fig["requests"] += len(browser.requests()) - 1
    return fig


def write_results(fig: dict[str, float]) -> None:
    lines = [
        f"## {SECTION}",
        "",
        f"`python bench/html_report.py {fig['files']}` — {fig['files']} files, {fig['findings']:,} findings "
        "(the seed's result, about 200 findings a file, reused under new paths; every fourth file the clean "
        "example): a worst case, since real batches have cleaner files. Machine: 2 cores, Debian chromium "
        f"headless, 1280×900 window; load average {fig['load_avg']:.1f} when measured (other work running "
        "on the machine slows every figure).",
        "",
        "| measure | one page, collapsed sections (`render`) | index + page per file (`render_pages`) |",
        "| --- | --- | --- |",
        f"| render (Python, jinja2) | {fig['one_render_s']:.1f} s | {fig['pages_render_s']:.1f} s |",
        f"| size | {fig['one_size_mb']:.1f} MB | index {fig['index_size_mb']:.2f} MB; "
        f"a file page {fig['file_page_kb']:.0f} kB; all {fig['pages_total_mb']:.1f} MB |",
    ]
    if "one_load_s" in fig:
        lines += [
            f"| first contentful paint | {fig['one_paint_s']:.2f} s | index {fig['index_paint_s']:.2f} s |",
            f"| load event (whole page parsed) | {fig['one_load_s']:.2f} s | index {fig['index_load_s']:.2f} s; "
            f"a file page {fig['file_load_s']:.2f} s |",
            f"| open one collapsed section | {fig['one_open_ms']:.0f} ms | (a link to its page) |",
            f"| console errors / requests besides the page | {fig['errors']} / {fig['requests']} | (counted together) |",
        ]
    section = "\n".join(lines) + "\n"
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^## {re.escape(SECTION)}\n.*?(?=^## |\Z)", re.S | re.M)
    text = pattern.sub(lambda _: section + "\n", text) if pattern.search(text) else text.rstrip() + "\n\n" + section
    RESULTS.write_text(text.rstrip() + "\n", encoding="utf-8")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    fig = measure(n)
    for key, value in fig.items():
        print(f"{key:12} {value:.3f}" if isinstance(value, float) else f"{key:12} {value}")
    write_results(fig)
    print(f"written to {os.path.relpath(RESULTS)}")


if __name__ == "__main__":
    main()
