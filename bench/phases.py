#!/usr/bin/env python
"""Where a check's time goes: CPU per phase, in one process, against a bare calamine read.

    python bench/phases.py DIR

Checks every workbook of ``DIR`` as ``targetlint check DIR -j 1`` would
(slim results, default profile), timing each phase with ``time.process_time``
around the functions that do it, and prints a Markdown table: CPU seconds,
milliseconds per file, and the multiple of a bare python-calamine read of
every cell of the same files in the same process (the reading floor of
``bench/run.py`` figure a).  Then the rules taking the most time.  The
figures are what ``bench/RESULTS.md`` quotes for the targets not met.
"""

from __future__ import annotations

import collections
import sys
import time
from pathlib import Path

from python_calamine import CalamineWorkbook

import targetlint.reporters as reporters
from targetlint import engine, layouts, load, runner
from targetlint.layouts import flat_export, hebei_form, national_form
from targetlint.submission import Submission

CPU: collections.Counter = collections.Counter()
BY_RULE: collections.Counter = collections.Counter()


def timed(owner, name: str, label: str) -> None:
    """Replace ``owner.name`` by a wrapper adding its CPU time to ``CPU[label]``."""
    inner = getattr(owner, name)

    def wrapper(*args, **kwargs):
        t0 = time.process_time()
        try:
            return inner(*args, **kwargs)
        finally:
            CPU[label] += time.process_time() - t0

    setattr(owner, name, wrapper)


def bare_read(files: list[Path]) -> float:
    """CPU seconds to read every cell of ``files`` with python-calamine and nothing else."""
    t0 = time.process_time()
    for path in files:
        book = CalamineWorkbook.from_path(str(path))
        for sheet in book.sheet_names:
            for row in book.get_sheet_by_name(sheet).to_python():
                for _cell in row:
                    pass
    return time.process_time() - t0


def main(folder: str) -> None:
    files = sorted(Path(folder).glob("*.xlsx"))
    floor = bare_read(files)
    reader = load._READERS["xlsx"]

    def read(*args, **kwargs):
        t0 = time.process_time()
        try:
            return reader(*args, **kwargs)
        finally:
            CPU["1 read: calamine, safety scan, grid"] += time.process_time() - t0

    load._READERS["xlsx"] = read
    timed(layouts, "detect", "2 layout detection")
    for module in (hebei_form, national_form, flat_export):
        timed(module, "parse", "3 layout parse, frames included")
    timed(Submission, "from_records", "3a of which building the frames")
    timed(runner, "_validate", "4 frame schema (pre-test, pandera when in doubt)")
    timed(engine, "run_many", "5 file rules (run_many)")
    timed(runner, "_check_batch", "6 batch rules (TL501) and merging their findings")
    check = engine._check

    def per_rule(module, *args, **kwargs):
        t0 = time.process_time()
        try:
            return check(module, *args, **kwargs)
        finally:
            BY_RULE[module.RULE.code] += time.process_time() - t0

    engine._check = per_rule
    t0 = time.process_time()
    result = runner.check_paths([folder], "default", jobs=1, slim=True)
    t1 = time.process_time()
    reporters.render("json", result)
    CPU["7 JSON report"] = time.process_time() - t1
    total = time.process_time() - t0
    n = len(files)
    print(f"| phase | CPU s ({n} files) | ms per file | × calamine read |")
    print("| --- | --- | --- | --- |")
    print(f"| bare calamine read of every cell (the floor) | {floor:.2f} | {1000 * floor / n:.1f} | 1.0 |")
    for label in sorted(CPU):
        print(f"| {label} | {CPU[label]:.2f} | {1000 * CPU[label] / n:.1f} | {CPU[label] / floor:.2f} |")
    print(f"| **whole check, one process** | {total:.2f} | {1000 * total / n:.1f} | {total / floor:.2f} |")
    top = ", ".join(f"{code} {sec:.2f} s" for code, sec in BY_RULE.most_common(8))
    print(f"\nRules: {sum(BY_RULE.values()):.2f} s over {len(BY_RULE)} rules; the most costly: {top}.")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
