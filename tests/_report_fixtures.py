"""Runs the report tests share: the seed, a hostile workbook, a folder of 20 submissions.

Each is built once per test process (the folder takes a few seconds to
check) and read-only afterwards.  Workbooks are real: written by the L1
writer and read back through the whole pipeline, so findings carry the
locations a user's file would give.
"""

from __future__ import annotations

import shutil
import tempfile
from functools import lru_cache
from pathlib import Path

from targetlint import casebook, runner
from targetlint import profile as profiles
from targetlint.layouts import hebei_writer
from targetlint.result import RunResult

ROOT = Path(__file__).resolve().parent.parent
SEED_XLSX = ROOT / "examples" / "kaiyuan-2020.xlsx"
SEED_TXT = ROOT / "examples" / "kaiyuan-2020.txt"
CLEAN_XLSX = ROOT / "examples" / "clean-2021.xlsx"

SCRIPT = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://x","y")'
TAG_NAME = "<b>危房</b>改造"

#: A project whose texts try to become markup or a formula in a report.
HOSTILE_CASE = {
    "project": {"project_name": TAG_NAME},
    "indicators": [
        {"level3": "培训人次", "value": SCRIPT},
        {"level2": "质量指标", "level3": "合格率", "value": FORMULA, "basis": "历史标准"},
        {"level1": "效益指标", "level2": "社会效益指标", "level3": "服务能力", "value": "明显提升", "basis": "其他标准"},
        {"level1": "满意度指标", "level2": "服务对象满意度指标", "level3": "满意度", "value": "≥90%", "basis": "行业标准"},
    ],
}

_TMP = tempfile.TemporaryDirectory(prefix="targetlint-reports-")
WORK = Path(_TMP.name)


@lru_cache(maxsize=None)
def profile(name: str = "hebei-2020") -> profiles.Profile:
    return profiles.load(name)


@lru_cache(maxsize=None)
def seed() -> RunResult:
    """The seed as xlsx under ``hebei-2020``: about 200 findings, every kind of location."""
    return runner.check_paths([str(SEED_XLSX)], profile())


@lru_cache(maxsize=None)
def hostile_path() -> Path:
    path = WORK / "hostile.xlsx"
    hebei_writer.write(casebook.build(HOSTILE_CASE, path=str(path)), path)
    return path


@lru_cache(maxsize=None)
def hostile() -> RunResult:
    return runner.check_paths([str(hostile_path())], profile("default"))


@lru_cache(maxsize=None)
def folder() -> RunResult:
    """A folder of 20 submissions: seed and clean copies, the hostile workbook, one corrupt file."""
    root = WORK / "各乡镇"
    root.mkdir(exist_ok=True)
    for i in range(17):
        src = CLEAN_XLSX if i % 3 == 2 else SEED_XLSX
        shutil.copyfile(src, root / f"{i + 1:02d}-{src.stem}.xlsx")
    shutil.copyfile(hostile_path(), root / "18-hostile.xlsx")
    shutil.copyfile(SEED_TXT, root / "19-kaiyuan.txt")
    (root / "20-损坏.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    return runner.check_paths([str(root)], profile())
