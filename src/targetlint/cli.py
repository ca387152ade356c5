"""The command line: ``targetlint check | rules | explain``.

Thin by design: options are parsed here, the work is done by
:mod:`targetlint.runner`, :mod:`targetlint.reporters` and
:mod:`targetlint.profile`, and the exit code comes from the RunResult.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
from typing import IO, Any, NoReturn

import click

from targetlint import __version__, runner
from targetlint import profile as profiles
from targetlint import reporters
from targetlint.layouts import LAYOUTS
from targetlint.reporters import text as text_reporter
from targetlint.result import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK

LANGS = ("zh", "en")
SEVERITIES = ("error", "warning", "info")

#: Above this many files, progress is shown on stderr (when stderr is a terminal).
PROGRESS_MIN_FILES = 3

_MSG = {
    "overwrite": ("拒绝覆盖输入文件 {path}", "refusing to overwrite the input file {path}"),
    "write": ("无法写入 {path}（{detail}）", "cannot write {path} ({detail})"),
    "binary": ("{fmt} 格式需要用 -o 指定输出文件", "format {fmt} needs an output file (-o)"),
    "unknown_rule": ("未知规则 {code}（用 targetlint rules 查看全部规则）", "unknown rule {code} (see targetlint rules)"),
}


def _msg(key: str, lang: str, **kw: Any) -> str:
    zh, en = _MSG[key]
    return (zh if lang == "zh" else en).format(**kw)


def _fail(message: str) -> NoReturn:
    """Print ``message`` on stderr and exit 2 (usage or environment error)."""
    click.echo(f"targetlint: {message}", err=True)
    sys.exit(EXIT_ERROR)


def _is_tty(stream: IO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _load_profile(name: str) -> profiles.Profile:
    try:
        return profiles.load(name)
    except profiles.ProfileError as exc:
        _fail(str(exc))


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.normcase(os.path.realpath(a)) == os.path.normcase(os.path.realpath(b))


def write_atomic(path: str, data: str | bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and ``os.replace``.

    A reader never sees a half-written report, and an interrupted run leaves
    the previous report intact.
    """
    folder = os.path.dirname(os.path.abspath(path))
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".targetlint-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        # mkstemp creates 0600; a report is shared, so give it the usual umask mode.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _progress(n_files: int):
    """A progress callback for stderr, or None when stderr is not a terminal or the batch is small."""
    if n_files <= PROGRESS_MIN_FILES or not _is_tty(sys.stderr):
        return None
    width = shutil.get_terminal_size((80, 24)).columns

    def show(message: str) -> None:
        # Half the width in characters: CJK characters take two cells.
        click.echo("\r\x1b[K" + message[: max(10, width // 2)], nl=False, err=True)

    return show


def _display_options(fmt: str, output: str | None) -> dict[str, Any]:
    """Colour and width follow the terminal; files and pipes get plain, fixed-width text."""
    if output is not None or not _is_tty(sys.stdout):
        return {"color": False}
    width = shutil.get_terminal_size((text_reporter.DEFAULT_WIDTH, 24)).columns
    return {"color": fmt == "text" and "NO_COLOR" not in os.environ, "width": width}


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="targetlint")
def cli() -> None:
    """targetlint — 预算绩效目标表数据质量检查 (budget performance-target linter)."""


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(list(reporters.FORMATS)), default="text", show_default=True,
              help="报告格式 / report format")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="写入文件（默认输出到屏幕） / write to FILE")
@click.option("--profile", "profile_name", default=profiles.DEFAULT_PROFILE, show_default=True,
              help="配置名称或 YAML 路径 / profile name or YAML path")
@click.option("--fail-on", type=click.Choice(SEVERITIES), default="error", show_default=True,
              help="达到该级别即返回 1 / exit 1 on findings at or above this severity")
@click.option("--lang", type=click.Choice(LANGS), default="zh", show_default=True, help="报告语言 / language")
@click.option("--layout", type=click.Choice(list(LAYOUTS)), default=None,
              help="强制指定表格格式（默认自动识别） / force a layout (default: detect)")
@click.option("--exit-zero", is_flag=True, help="有问题也返回 0（无法读取仍返回 2） / exit 0 even with findings")
@click.option("--debug", is_flag=True, help="显示调试信息并抛出内部错误 / debug logging, raise internal errors")
def check(paths, fmt, output, profile_name, fail_on, lang, layout, exit_zero, debug) -> None:
    """检查文件或文件夹 / check files and folders."""
    if debug:
        logging.basicConfig(level=logging.DEBUG, format="%(name)s: %(message)s")
    prof = _load_profile(profile_name)
    files = runner.expand(paths)
    for path in files if output else ():
        if os.path.exists(path) and _same_file(output, path):
            _fail(_msg("overwrite", lang, path=path))
    progress = _progress(len(files))
    result = runner.check_paths(files, prof, layout, lang, debug=debug, progress=progress)
    if progress:
        click.echo("\r\x1b[K", nl=False, err=True)
    options = _display_options(fmt, output)
    data = reporters.render(fmt, result, lang, **options)
    for fr in result.files:
        if fr.error is not None:
            click.echo(f"targetlint: {fr.error.message(lang)}", err=True)
    if output:
        try:
            write_atomic(output, data)
        except OSError as exc:
            _fail(_msg("write", lang, path=output, detail=exc.strerror or exc))
    elif isinstance(data, bytes):
        _fail(_msg("binary", lang, fmt=fmt))
    else:
        click.echo(data, nl=False, color=options["color"])
    code = result.exit_code(fail_on)
    sys.exit(EXIT_OK if exit_zero and code == EXIT_FINDINGS else code)


@cli.command()
@click.option("--profile", "profile_name", default=profiles.DEFAULT_PROFILE, show_default=True,
              help="配置名称或 YAML 路径 / profile name or YAML path")
@click.option("--lang", type=click.Choice(LANGS), default="zh", show_default=True, help="语言 / language")
def rules(profile_name, lang) -> None:
    """列出全部规则 / list the rules."""
    from targetlint.rules import ALL

    prof = _load_profile(profile_name)
    click.echo(text_reporter.render_rules(ALL, prof, lang), nl=False)


@cli.command()
@click.argument("code")
@click.option("--profile", "profile_name", default=profiles.DEFAULT_PROFILE, show_default=True,
              help="配置名称或 YAML 路径 / profile name or YAML path")
@click.option("--lang", type=click.Choice(LANGS), default="zh", show_default=True, help="语言 / language")
def explain(code, profile_name, lang) -> None:
    """说明一条规则（如 TL301） / explain one rule (e.g. TL301)."""
    from targetlint.rules import ALL

    wanted = code.strip()
    module = next((m for m in ALL if wanted.upper() == m.RULE.code or wanted.lower() == m.RULE.name), None)
    if module is None:
        _fail(_msg("unknown_rule", lang, code=code))
    prof = _load_profile(profile_name)
    examples = runner.example_findings(module, prof)
    click.echo(text_reporter.render_explain(module, prof, examples, lang), nl=False)


def main() -> None:
    """Console-script entry point (``targetlint``)."""
    cli(prog_name="targetlint")
