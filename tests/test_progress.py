"""Progress of a batch: the runner reports files done, the terminal shows a bar on stderr only."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from targetlint import cli, runner

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """Six small workbooks: enough for a bar, two chunks a worker."""
    out = tmp_path_factory.mktemp("batch")
    for i in range(3):
        shutil.copy(EXAMPLES / "clean-2021.xlsx", out / f"{i}-clean.xlsx")
        shutil.copy(EXAMPLES / "kaiyuan-2020.xlsx", out / f"{i}-kaiyuan.xlsx")
    return out


def _calls(folder: Path, **kw) -> list[tuple[int, int, str]]:
    seen: list[tuple[int, int, str]] = []
    runner.check_paths([str(folder)], "default", progress=lambda *a: seen.append(a), **kw)
    return seen


def test_one_process_reports_each_file_before_it_is_read(folder):
    seen = _calls(folder, jobs=1)
    files = runner.expand([str(folder)])
    assert seen == [(i, len(files), path) for i, path in enumerate(files)]


def test_workers_report_chunks_as_they_come_back(folder):
    seen = _calls(folder, jobs=2, chunk_files=1)
    done = [d for d, _, _ in seen]
    assert done == sorted(done) and done[-1] == 6 and len(seen) >= 2
    assert {n for _, n, _ in seen} == {6}
    assert seen[-1][2] == runner.expand([str(folder)])[-1]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_bar_shows_counts_and_file_name_on_a_terminal(monkeypatch):
    stderr = _Terminal()
    monkeypatch.setattr(sys, "stderr", stderr)
    bar = cli._progress(40, "zh")
    assert bar is not None
    with bar:
        bar(0, 40, "/镇/开元镇.xlsx")
        bar(17, 40, "/镇/东城镇.xlsx")
    shown = stderr.getvalue()
    assert "检查" in shown and "17/40" in shown and "东城镇.xlsx" in shown
    assert "/镇/" not in shown  # the file's name, not its folder


def test_no_bar_when_stderr_is_not_a_terminal_or_the_batch_is_small(monkeypatch):
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert cli._progress(500, "zh") is None
    monkeypatch.setattr(sys, "stderr", _Terminal())
    assert cli._progress(cli.PROGRESS_MIN_FILES, "zh") is None
    assert cli._progress(cli.PROGRESS_MIN_FILES + 1, "en") is not None


def test_piped_check_writes_nothing_but_the_report_on_stderr(folder):
    done = subprocess.run([sys.executable, "-m", "targetlint", "check", str(folder), "--format", "json", "-j", "2"],
                          capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert done.returncode == 1, done.stderr
    assert done.stderr == ""  # no bar, no escape codes when stderr is a pipe
    assert done.stdout.lstrip().startswith("{")
