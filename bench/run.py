#!/usr/bin/env python
"""Benchmarks: what targetlint costs beside reading the workbooks, measured in one run as ratios.

    python bench/run.py [--files 1000] [--repeat 3] [--write]

Generates (once, cached in the system temp folder) a corpus of realistic
submissions with ``bench/make_corpus.py`` and prints, for the same files in
the same run, the median wall time of ``--repeat`` runs of each command:

a. ``targetlint check DIR --format json -o /dev/null`` over the corpus,
   against a plain script that only reads every cell with python-calamine;
b. the same against a plain script that only loads every file with
   ``pandas.read_excel(path, sheet_name=None)``;
c. ``targetlint check examples/kaiyuan-2020.xlsx`` against ``python -c "import pandas"``;
d. the corpus against its first tenth (1,000 ÷ 100 files);
e. ``-j 2`` against ``-j 1``;
f. the peak memory (RSS, summed over the process and its workers) of the
   corpus against its first 10 files;
g. the HTML report of the corpus: its size and the time to render it;

plus ``targetlint --help`` and ``targetlint rules``.  Every command runs as a
fresh process, so interpreter start and imports count.  ``--write`` puts the
figures, the date and the machine into ``bench/RESULTS.md`` (section
"Figures"), keeping the other sections.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import make_corpus  # noqa: E402

RESULTS = HERE / "RESULTS.md"
SECTION = "Figures"
EXAMPLE = ROOT / "examples" / "kaiyuan-2020.xlsx"

CALAMINE = """
import os, sys
from python_calamine import CalamineWorkbook
for name in sorted(os.listdir(sys.argv[1])):
    if name.endswith(".xlsx"):
        book = CalamineWorkbook.from_path(os.path.join(sys.argv[1], name))
        for sheet in book.sheet_names:
            for row in book.get_sheet_by_name(sheet).to_python():
                for cell in row:
                    pass
"""
PANDAS = """
import os, sys, warnings
import pandas as pd
warnings.simplefilter("ignore")  # pandas 3 announces its default engine will change
for name in sorted(os.listdir(sys.argv[1])):
    if name.endswith(".xlsx"):
        pd.read_excel(os.path.join(sys.argv[1], name), sheet_name=None)
"""
HTML = """
import os, sys, time
from targetlint import runner
from targetlint.reporters import html
result = runner.check_paths([sys.argv[1]], "default", jobs=0)
t0 = time.perf_counter()
if len(result.files) > html.ONE_PAGE_MAX_FILES:   # what `targetlint check -o report.html` writes
    pages = html.render_pages(result, "zh", index="report.html")
else:
    pages = {"report.html": html.render(result, "zh")}
seconds = time.perf_counter() - t0
size = sum(len(p.encode("utf-8")) for p in pages.values())
print(seconds, size, len(pages), len(pages["report.html"].encode("utf-8")))
"""


def targetlint() -> list[str]:
    """The console script installed beside this interpreter, else the module run by it."""
    exe = Path(sys.executable).parent / ("targetlint.exe" if os.name == "nt" else "targetlint")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "targetlint"]


class Peak:
    """Peak resident memory of a process and its descendants, summed, sampled every 10 ms from /proc."""

    def __init__(self, pid: int):
        self.pid, self.tree, self.main, self._stop = pid, 0, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            rss = _tree_rss(self.pid)
            if rss:
                self.tree = max(self.tree, sum(rss.values()))
                self.main = max(self.main, rss.get(self.pid, 0))
            time.sleep(0.01)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def _tree_rss(root: int) -> dict[int, int]:
    """RSS in bytes of ``root`` and its descendants (Linux /proc; empty elsewhere)."""
    parents, rss = {}, {}
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else ():
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status", encoding="ascii", errors="replace") as fh:
                fields = dict(line.split(":", 1) for line in fh if ":" in line)
        except OSError:
            continue
        pid = int(entry)
        parents[pid] = int(fields.get("PPid", "0").strip() or 0)
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0]) * 1024
    tree, grew = {root}, True
    while grew:
        more = {p for p, pp in parents.items() if pp in tree} - tree
        tree |= more
        grew = bool(more)
    return {p: rss[p] for p in tree if p in rss}


def timed(cmd: list[str], memory: bool = False) -> tuple[float, int, int]:
    """Wall seconds of one run of ``cmd`` (output discarded), and its peak RSS (tree, main) when asked."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    peak = Peak(proc.pid) if memory else None
    proc.wait()
    seconds = time.perf_counter() - t0
    if peak:
        peak.stop()
    if proc.returncode not in (0, 1):  # 1: findings, as expected of a corpus with defects
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}")
    return seconds, (peak.tree if peak else 0), (peak.main if peak else 0)


def median(cmd: list[str], repeat: int, memory: bool = False) -> tuple[float, int, int]:
    runs = [timed(cmd, memory) for _ in range(repeat)]
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs), max(r[2] for r in runs)


def subset(corpus: Path, n: int) -> Path:
    """A folder with the first ``n`` files of ``corpus`` (hard links, or copies)."""
    out = corpus.parent / f"{corpus.name}-first{n}"
    files = sorted(p for p in corpus.iterdir() if p.suffix == ".xlsx")[:n]
    if out.is_dir() and sorted(p.name for p in out.iterdir()) == [p.name for p in files]:
        return out
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    for p in files:
        try:
            os.link(p, out / p.name)
        except OSError:
            shutil.copy2(p, out / p.name)
    return out


def machine() -> str:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    mem = ""
    if os.path.exists("/proc/meminfo"):
        with open("/proc/meminfo", encoding="ascii") as fh:
            kb = int(next(line for line in fh if line.startswith("MemTotal")).split()[1])
        mem = f", {kb / 2**20:.0f} GB memory"
    model = ""
    if os.path.exists("/proc/cpuinfo"):
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as fh:
            model = next((line.split(":", 1)[1].strip() for line in fh if line.startswith("model name")), "")
    return f"{cores} cores{mem}; {model or platform.processor()}; Python {platform.python_version()}, {platform.system()}"


def measure(n: int, repeat: int) -> list[tuple[str, str, str, str, bool | None]]:
    """Run every benchmark; rows of (measure, figure, target, detail, met)."""
    py, tl = sys.executable, targetlint()
    corpus = make_corpus.ensure(n, Path(tempfile.gettempdir()) / f"targetlint-bench-{make_corpus.VERSION}-{n}",
                                jobs=os.cpu_count() or 1)
    tenth, ten = subset(corpus, max(1, n // 10)), subset(corpus, 10)
    check = [*tl, "check", "--format", "json", "-o", os.devnull]
    print(f"corpus: {corpus} ({n} files); {machine()}; load {os.getloadavg()[0]:.1f}", file=sys.stderr)

    def say(what: str) -> None:
        print(f"  measuring {what} …", file=sys.stderr, flush=True)

    rows = []
    say("targetlint check (default jobs)")
    lint, tree_mem, main_mem = median([*check, str(corpus)], repeat, memory=True)
    say("calamine read")
    cal = median([py, "-c", CALAMINE, str(corpus)], repeat)[0]
    say("pandas.read_excel")
    pdx = median([py, "-c", PANDAS, str(corpus)], repeat)[0]
    say("targetlint check -j 1")
    j1 = median([*check, "-j", "1", str(corpus)], repeat)[0]
    say("targetlint check -j 2")
    j2 = median([*check, "-j", "2", str(corpus)], repeat)[0]
    rows += [
        ("a. lint ÷ calamine read", f"{lint / cal:.1f}", "≤ 2.0",
         f"{lint:.1f} s ÷ {cal:.2f} s ({n} files; -j 1: {j1 / cal:.1f})", lint / cal <= 2.0),
        ("b. lint ÷ pandas.read_excel", f"{lint / pdx:.2f}", "≤ 0.5",
         f"{lint:.1f} s ÷ {pdx:.1f} s (-j 1: {j1 / pdx:.2f})", lint / pdx <= 0.5),
    ]
    say("one file, import pandas")
    one = median([*tl, "check", str(EXAMPLE)], max(5, repeat))[0]
    imp = median([py, "-c", "import pandas"], max(5, repeat))[0]
    rows.append(("c. one-file check ÷ import pandas", f"{one / imp:.2f}", "≤ 2.5",
                 f"{one:.2f} s ÷ {imp:.2f} s ({EXAMPLE.name})", one / imp <= 2.5))
    say(f"{tenth.name}")
    small = median([*check, str(tenth)], repeat)[0]
    rows.append((f"d. {n:,} ÷ {n // 10:,} files", f"{lint / small:.1f}", "≤ 11",
                 f"{lint:.1f} s ÷ {small:.1f} s", lint / small <= 11))
    rows.append(("e. -j 2 speed-up over -j 1", f"{j1 / j2:.2f}", "≥ 1.6", f"{j1:.1f} s ÷ {j2:.1f} s", j1 / j2 >= 1.6))
    say("memory, 10 files")
    _, tree10, main10 = median([*check, str(ten)], 1, memory=True)
    rows.append((f"f. peak RSS {n:,} ÷ 10 files", f"{tree_mem / tree10:.2f}", "≤ 2.0",
                 f"{tree_mem / 2**20:.0f} MB ÷ {tree10 / 2**20:.0f} MB, process and workers summed "
                 f"(main process alone: {main_mem / 2**20:.0f} ÷ {main10 / 2**20:.0f} MB)", tree_mem / tree10 <= 2.0))
    say("HTML report")
    out = subprocess.run([py, "-c", HTML, str(corpus)], capture_output=True, text=True, check=True, cwd=ROOT)
    seconds, size, pages, index = out.stdout.split()
    rows.append((f"g. HTML report, {n:,} files", f"{int(size) / 1e6:.1f} MB, {float(seconds):.1f} s", "—",
                 f"{pages} pages, index {int(index) / 1e6:.2f} MB; render time only", None))
    say("--help, rules")
    helped = median([*tl, "--help"], max(5, repeat))[0]
    listed = median([*tl, "rules"], max(5, repeat))[0]
    rows.append(("`targetlint --help`", f"{helped:.2f} s", "≤ 0.3 s", "wall, fresh process", helped <= 0.3))
    rows.append(("`targetlint rules`", f"{listed:.2f} s", "—", "wall, fresh process", None))
    return rows


def table(rows) -> str:
    lines = ["| measure | figure | target | met | detail |", "| --- | --- | --- | --- | --- |"]
    for what, fig, target, detail, met in rows:
        lines.append(f"| {what} | {fig} | {target} | {'' if met is None else 'yes' if met else '**no**'} | {detail} |")
    return "\n".join(lines)


def write(rows, n: int, repeat: int) -> None:
    """Replace the "Figures" section of RESULTS.md (other sections are kept)."""
    body = (f"`python bench/run.py --files {n} --repeat {repeat}` on {dt.date.today().isoformat()}. "
            f"Machine: {machine()}; load average {os.getloadavg()[0]:.1f} when it finished.  Median wall time of "
            f"{repeat} runs per command, each a fresh process.\n\n{table(rows)}\n")
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmarks\n"
    section = re.compile(rf"^## {SECTION}\n.*?(?=^## |\Z)", re.S | re.M)
    new = f"## {SECTION}\n\n{body}\n"
    if section.search(text):
        text = section.sub(lambda _: new, text)
    else:
        head, _, rest = text.partition("\n## ")
        text = f"{head.rstrip()}\n\n{new}" + (f"## {rest}" if rest else "")
    RESULTS.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=1000, help="corpus size (default 1000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per command; the median is kept (default 3)")
    parser.add_argument("--write", action="store_true", help="write the figures into bench/RESULTS.md")
    args = parser.parse_args(argv)
    rows = measure(args.files, args.repeat)
    print(table(rows))
    if args.write:
        write(rows, args.files, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
