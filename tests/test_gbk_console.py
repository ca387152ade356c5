"""A GBK console (Chinese Windows, ``PYTHONIOENCODING=gbk``) must not crash the terminal report.

GBK has ``≥`` but not ``⩾``, ``²`` or ``✓``, which units do type; the CLI
replaces what the console cannot show instead of raising UnicodeEncodeError.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import _report_fixtures as R

NOT_IN_GBK = "⩾²✓"


def _run(*args: str, cwd: Path = R.ROOT) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "gbk", "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "targetlint", *args], cwd=cwd, env=env,
                          capture_output=True, timeout=300)


def test_characters_are_not_all_gbk():
    for ch in NOT_IN_GBK:
        try:
            ch.encode("gbk")
        except UnicodeEncodeError:
            continue
        raise AssertionError(f"{ch!r} is in GBK; the test would prove nothing")


def test_examples_folder_prints_under_gbk():
    done = _run("check", "examples/")
    assert done.returncode in (0, 1), done.stderr.decode("gbk", "replace")
    assert b"Traceback" not in done.stderr
    out = done.stdout.decode("gbk")
    assert "开元镇" in out and "共检查" in out


def test_text_gbk_cannot_encode_is_replaced(tmp_path):
    # The path heads the file's block and project names head their groups: both are printed as typed.
    text = R.SEED_TXT.read_text(encoding="utf-8").replace("党组织活动经费", "党组织活动经费²✓")
    src = tmp_path / "开元镇⩾.txt"
    src.write_text(text, encoding="utf-8")
    done = _run("check", str(src), "--profile", "hebei-2020")
    assert done.returncode in (0, 1), done.stderr.decode("gbk", "replace")
    assert b"Traceback" not in done.stderr
    out = done.stdout.decode("gbk")
    assert "开元镇?.txt" in out and "党组织活动经费??" in out
    assert "共检查 1 个文件" in out
