#!/usr/bin/env python
"""Rebuild the bundled examples (重新生成示例文件).

    python examples/build_examples.py [--seed PATH]

* ``kaiyuan-2020.txt``  — a byte copy of the seed submission (开元镇, 2020,
  text extracted from Word), read from ``../shared/seed`` next to the repo;
* ``kaiyuan-2020.xlsx`` — the same content as a Hebei project-form workbook
  (layout L1), written from what targetlint reads in the text;
* ``clean-2021.xlsx``   — the clean submission described in ``clean-2021.yaml``;
* ``clean-2022-national.xlsx`` — a second clean submission, described in
  ``clean-2022-national.yaml``, as national forms (layout L2, 项目支出绩效目标申报表).

Output is byte-for-byte reproducible (fixed workbook dates and zip times, and
openpyxl's own XML serialiser whether or not lxml is installed), so rebuilding
changes nothing unless the inputs or the writer changed.  The
generated files are committed: tests and CI never need the seed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
from pathlib import Path
from typing import Any

# openpyxl writes its XML one way with lxml installed and another without; the committed
# workbooks use its own serialiser, so a rebuild gives the same bytes whichever is installed.
# (Set before openpyxl is first imported; when it already is, e.g. under pytest, only the
# bytes can differ, never the cells.)
os.environ.setdefault("OPENPYXL_LXML", "False")

import yaml  # noqa: E402

from targetlint.layouts import hebei_writer, national_writer  # noqa: E402
from targetlint.submission import PLAN_FIELDS, Submission  # noqa: E402

HERE = Path(__file__).resolve().parent
SEED = HERE.parent.parent / "shared" / "seed" / "000_852a9d826d30868b.txt"
CLEAN_YAML = HERE / "clean-2021.yaml"
NATIONAL_YAML = HERE / "clean-2022-national.yaml"

#: Workbook created/modified date of every generated example (fixed: reproducible bytes).
STAMP = dt.datetime(2021, 1, 1, 0, 0, 0)

INDICATOR_COLUMNS = ("level1", "level2", "level3", "description", "value", "basis")


def submission_from_yaml(path: Path) -> Submission:
    """The Submission a ``clean-2021.yaml``-style file describes.

    Top-level ``unit``, ``money_unit`` and ``year`` apply to every project;
    ``plan`` is the four cumulative spending-plan percentages; each indicator
    is a list in :data:`INDICATOR_COLUMNS` order (or in the order a top-level
    ``indicator_columns`` names, for a form with other columns) or a mapping
    of fields.  A field a project or indicator leaves out is absent (None).
    Locations point into the YAML (``clean-2021.yaml: projects[2].indicators[4]``).
    """
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    name = path.name
    columns = tuple(doc.get("indicator_columns") or INDICATOR_COLUMNS)
    projects = []
    for pi, raw in enumerate(doc["projects"]):
        p: dict[str, Any] = {"unit": doc.get("unit"), "money_unit": doc.get("money_unit", "万元")}
        p.update({k: v for k, v in raw.items() if k not in ("plan", "indicators")})
        p.update(dict(zip(PLAN_FIELDS, raw.get("plan") or ())))
        p = {k: ("" if v is None else str(v)) for k, v in p.items()}
        for key in list(p):
            p[f"{key}_loc"] = f"{name}: projects[{pi}].{key}"
        p["indicators"] = []
        for ii, row in enumerate(raw.get("indicators") or ()):
            ind = dict(zip(columns, row)) if isinstance(row, list) else dict(row)
            ind = {k: ("" if v is None else str(v)) for k, v in ind.items()}
            ind.update({f"{k}_loc": f"{name}: projects[{pi}].indicators[{ii}]" for k in list(ind)})
            p["indicators"].append(ind)
        projects.append(p)
    department = [
        {**d, "text_loc": f"{name}: department[{i}]"} for i, d in enumerate(doc.get("department") or ())
    ]
    return Submission.from_records(str(path), "yaml", projects, department, year=doc.get("year"))


def build_kaiyuan(seed: Path) -> list[Path]:
    """Copy the seed text and write it as an L1 workbook."""
    from targetlint import load  # the reader side; imported late so the clean example builds without it

    txt, xlsx = HERE / "kaiyuan-2020.txt", HERE / "kaiyuan-2020.xlsx"
    shutil.copyfile(seed, txt)
    hebei_writer.write(load.load_path(str(seed)), xlsx, timestamp=STAMP)
    return [txt, xlsx]


def build_clean() -> list[Path]:
    """Write the clean example workbooks from their YAML: L1 (2021) and L2 (2022)."""
    xlsx, national = HERE / "clean-2021.xlsx", HERE / "clean-2022-national.xlsx"
    hebei_writer.write(submission_from_yaml(CLEAN_YAML), xlsx, timestamp=STAMP)
    national_writer.write(submission_from_yaml(NATIONAL_YAML), national, timestamp=STAMP)
    return [xlsx, national]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=Path, default=SEED, help=f"seed submission (default: {SEED})")
    args = parser.parse_args(argv)
    written = build_clean()
    if args.seed.is_file():
        written += build_kaiyuan(args.seed)
    else:
        print(f"seed not found at {args.seed}: kaiyuan-2020.* left as they are", file=sys.stderr)
    for path in written:
        print(f"wrote {path.relative_to(HERE.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
