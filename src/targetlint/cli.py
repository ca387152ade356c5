"""The command line: ``targetlint check | rules | explain``.

Thin by design: options are parsed here; settings come from
:mod:`targetlint.config` (configuration file over profile), the work is done
by :mod:`targetlint.runner`, :mod:`targetlint.baseline` and
:mod:`targetlint.reporters`, and the exit code comes from the RunResult.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import sys
import tempfile
from typing import IO, Any, Callable, NoReturn

import click

from targetlint import __version__

# Only click is imported up front: pandas, pandera, openpyxl and the rules load
# inside the command that needs them, so ``targetlint --help`` starts at once.
# The names below mirror the registries they come from (tests/test_parallel.py
# checks that they agree): reporters.FORMATS, layouts.LAYOUTS/ALIASES, result.EXIT_*.
FORMATS = ("text", "json", "html", "xlsx", "csv")
LAYOUTS = ("hebei-form", "national-form", "flat-export")
ALIASES = {"hebei": "hebei-form", "national": "national-form", "flat": "flat-export"}
EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

LANGS = ("zh", "en")
SEVERITIES = ("error", "warning", "info")
RULES_FORMATS = ("text", "json", "markdown")

#: Above this many files, progress is shown on stderr (when stderr is a terminal).
PROGRESS_MIN_FILES = 3

_MSG = {
    "overwrite": ("拒绝覆盖输入文件 {path}", "refusing to overwrite the input file {path}"),
    "write": ("无法写入 {path}（{detail}）", "cannot write {path} ({detail})"),
    "exists": ("{path} 已存在，请换一个文件名", "{path} already exists; choose another name"),
    "template": ("已生成空白表：{path}", "blank form written: {path}"),
    "binary": ("{fmt} 格式需要用 -o 指定输出文件", "format {fmt} needs an output file (-o)"),
    "checking": ("检查", "checking"),
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


def _settings(config_path: str | None, profile: str | None, **options: Any):
    """Command-line options over the configuration file (``--config``, or found in the working folder)."""
    from targetlint import config
    from targetlint import profile as profiles

    try:
        found = config.read(config_path) if config_path else config.find()
        return config.settings(found, profile=profile, **options)
    except (config.ConfigError, profiles.ProfileError) as exc:
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
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if os.path.exists(path) and not os.path.isfile(path):
        # A device or pipe (-o /dev/null, a FIFO): write into it; replacing it would
        # swap the device for a plain file (as root, /dev/null itself).
        with open(path, "wb") as fh:
            fh.write(payload)
        return
    folder = os.path.dirname(os.path.abspath(path))
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


def _write(path: str, data: str | bytes, lang: str) -> None:
    try:
        write_atomic(path, data)
    except OSError as exc:
        _fail(_msg("write", lang, path=path, detail=exc.strerror or exc))


def _refuse_inputs(files: list[str], outputs: list[str | None], lang: str) -> None:
    """No output may replace a file being checked."""
    for out in filter(None, outputs):
        for path in files:
            if os.path.exists(path) and _same_file(out, path):
                _fail(_msg("overwrite", lang, path=path))


def _target(spec: str, default_fmt: str) -> tuple[str, str]:
    """An ``-o`` value as (format, path): ``html:r.html``, or by extension, else ``--format``."""
    from targetlint import reporters

    fmt, path = reporters.parse_output(spec)
    return fmt or default_fmt, path


def _render_to(fmt: str, path: str, result, lang: str, settings) -> dict[str, str | bytes]:
    """The files one output makes: one file, or for a very large HTML batch an index plus a page per file."""
    from targetlint import reporters

    if fmt == "html" and len(result.files) > reporters.html.ONE_PAGE_MAX_FILES:
        folder = os.path.dirname(path)
        pages = reporters.html.render_pages(result, lang, settings, index=path)
        for rel in pages:
            os.makedirs(os.path.dirname(os.path.join(folder, rel)) or ".", exist_ok=True)
        return {os.path.join(folder, rel): page for rel, page in pages.items()}
    return {path: reporters.render(fmt, result, lang, settings=settings)}


def _progress(n_files: int, lang: str) -> "_Bar | None":
    """A progress bar on stderr for a batch, or None when stderr is not a terminal or the batch is small."""
    if n_files <= PROGRESS_MIN_FILES or not _is_tty(sys.stderr):
        return None
    return _Bar(n_files, lang)


class _Bar:
    """A rich progress bar on stderr: files checked of the batch, time taken and left, the current file.

    Drawn only when called (no refresh thread: worker processes are forked
    while it is shown), not redirecting stdout, and cleared when done, so the
    report that follows starts on a clean screen.
    """

    def __init__(self, total: int, lang: str):
        from rich.console import Console
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                                   TimeRemainingColumn)

        self.progress = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            TimeRemainingColumn(), TextColumn("{task.fields[name]}"),
            console=Console(file=sys.stderr), transient=True, auto_refresh=False,
            redirect_stdout=False, redirect_stderr=False,
        )
        self.task = self.progress.add_task(_msg("checking", lang), total=total, name="")

    def __enter__(self) -> "_Bar":
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def __call__(self, done: int, total: int, path: str) -> None:
        self.progress.update(self.task, completed=done, total=total, name=os.path.basename(path), refresh=True)


def _display_options(fmt: str, output: str | None) -> dict[str, Any]:
    """Colour and width follow the terminal; files and pipes get plain, fixed-width text."""
    if output is not None or not _is_tty(sys.stdout):
        return {"color": False}
    from targetlint.reporters import text as text_reporter

    width = shutil.get_terminal_size((text_reporter.DEFAULT_WIDTH, 24)).columns
    return {"color": fmt == "text" and "NO_COLOR" not in os.environ, "width": width}


def _split(values: tuple[str, ...]) -> list[str] | None:
    """Repeated and comma-separated selectors; None when the option was not given."""
    return [v for value in values for v in value.split(",")] if values else None


def _common(command: Callable) -> Callable:
    """Options every command takes: profile, configuration file, language."""
    for option in reversed((
        click.option("--profile", "profile_name", default=None,
                     help="配置名称或 YAML 路径（默认 default） / profile name or YAML path [default: default]"),
        click.option("--config", "config_path", type=click.Path(dir_okay=False, exists=True),
                     help="配置文件（默认当前目录的 targetlint.toml 或 pyproject.toml） / configuration file "
                          "[default: targetlint.toml or pyproject.toml in the working folder]"),
        click.option("--lang", type=click.Choice(LANGS), default="zh", show_default=True, help="语言 / language"),
    )):
        command = option(command)
    return command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="targetlint")
def cli() -> None:
    """targetlint — 预算绩效目标表数据质量检查 (budget performance-target linter)."""


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default="text", show_default=True,
              help="报告格式 / report format")
@click.option("-o", "--output", "outputs", multiple=True, metavar="[FMT:]FILE",
              help="写入文件，可重复，如 -o html:报告.html -o json:结果.json（默认输出到屏幕） / "
                   "write to FILE, repeatable; the format comes from FMT: or the extension, else --format")
@click.option("--annotate", is_flag=True,
              help="在每个 xlsx 输入旁写一份批注副本（*.审核意见.xlsx） / write an annotated copy beside each xlsx input")
@_common
@click.option("--select", multiple=True, metavar="RULES",
              help="只运行这些规则：编码、前缀（TL3）或名称，可用逗号分隔 / run only these rules: codes, prefixes (TL3) or names")
@click.option("--ignore", multiple=True, metavar="RULES", help="不运行这些规则 / do not run these rules")
@click.option("--fail-on", type=click.Choice(SEVERITIES), default=None,
              help="达到该级别即返回 1（默认 error） / exit 1 on findings at or above this severity [default: error]")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False),
              help="隐藏基线文件中已接受的问题 / hide findings accepted in this baseline FILE")
@click.option("--write-baseline", type=click.Path(dir_okay=False),
              help="把本次发现的问题记入基线文件 / record this run's findings in FILE")
@click.option("--layout", type=click.Choice([*LAYOUTS, *ALIASES]), default=None,
              help="强制指定表格格式（默认自动识别） / force a layout (default: detect)")
@click.option("--exit-zero", is_flag=True, help="有问题也返回 0（无法读取仍返回 2） / exit 0 even with findings")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0, show_default=True,
              help="并行进程数，0 表示按 CPU 核数 / worker processes; 0: one per CPU core (a few files: one process)")
@click.option("--debug", is_flag=True, help="显示调试信息并抛出内部错误 / debug logging, raise internal errors")
def check(paths, fmt, outputs, annotate, profile_name, config_path, lang, select, ignore, fail_on, baseline_path,
          write_baseline, layout, exit_zero, jobs, debug) -> None:
    """检查文件或文件夹 / check files and folders."""
    from targetlint import baseline, reporters, runner

    if debug:
        logging.basicConfig(level=logging.DEBUG, format="%(name)s: %(message)s")
    opts = _settings(config_path, profile_name, select=_split(select), ignore=_split(ignore), fail_on=fail_on)
    try:
        accepted = baseline.load(baseline_path) if baseline_path else None
    except baseline.BaselineError as exc:
        _fail(str(exc))
    files = runner.expand(paths)
    targets = [_target(spec, fmt) for spec in outputs]
    _refuse_inputs(files, [path for _, path in targets] + [write_baseline], lang)
    bar = _progress(len(files), lang)
    layout = ALIASES.get(layout, layout)
    with bar or contextlib.nullcontext():
        result = runner.check_paths(files, opts.profile, layout, debug=debug, progress=bar, jobs=jobs, slim=True,
                                    limits=opts.limits)
    if write_baseline:
        _write(write_baseline, baseline.dumps(result), lang)
    if accepted is not None:
        baseline.apply(result, accepted)
    for fr in result.files:
        if fr.error is not None:
            click.echo(f"targetlint: {fr.error.message(lang)}", err=True)
    settings = opts.profile.settings
    for out_fmt, path in targets:
        for out_path, data in _render_to(out_fmt, path, result, lang, settings).items():
            _write(out_path, data, lang)
    if annotate:
        copies = reporters.xlsx_report.annotate_all(result, lang)
        _refuse_inputs(files, list(copies), lang)
        for out_path, data in copies.items():
            _write(out_path, data, lang)
    if not targets:
        options = _display_options(fmt, None)
        data = reporters.render(fmt, result, lang, settings=settings, **options)
        if fmt == "csv":
            sys.stdout.buffer.write(data)  # bytes with a BOM, so Excel shows Chinese when redirected
        elif isinstance(data, bytes):
            _fail(_msg("binary", lang, fmt=fmt))
        else:
            click.echo(data, nl=False, color=options["color"])
    code = result.exit_code(opts.fail_on)
    sys.exit(EXIT_OK if exit_zero and code == EXIT_FINDINGS else code)


@cli.command()
@_common
@click.option("--format", "fmt", type=click.Choice(RULES_FORMATS), default="text", show_default=True,
              help="输出格式 / output format")
def rules(profile_name, config_path, lang, fmt) -> None:
    """列出全部规则及其在当前配置中的级别 / list the rules and their severity in the active profile."""
    from targetlint.reporters import catalog
    from targetlint.rules import ALL

    prof = _settings(config_path, profile_name).profile
    if fmt == "json":
        out = catalog.rules_json(ALL, prof)
    elif fmt == "markdown":
        from targetlint import runner  # the examples' findings: loading and checking machinery

        out = catalog.rules_markdown(ALL, prof, {m.RULE.code: runner.example_findings(m, prof) for m in ALL})
    else:
        out = catalog.rules_text(ALL, prof, lang)
    click.echo(out, nl=False)


@cli.command()
@click.argument("code")
@_common
def explain(code, profile_name, config_path, lang) -> None:
    """说明一条规则（如 TL301）：检查什么、依据、正反例、参数 / explain one rule (e.g. TL301)."""
    from targetlint import runner
    from targetlint.reporters import catalog
    from targetlint.rules import ALL

    wanted = code.strip()
    module = next((m for m in ALL if wanted.upper() == m.RULE.code or wanted.lower() == m.RULE.name), None)
    if module is None:
        _fail(_msg("unknown_rule", lang, code=code))
    prof = _settings(config_path, profile_name).profile
    examples = runner.example_findings(module, prof)
    click.echo(catalog.explain(module, prof, examples, lang), nl=False)


@cli.command("template")
@click.option("--layout", type=click.Choice([*LAYOUTS, *ALIASES]), default="hebei-form", show_default=True,
              help="表格格式 / layout of the form")
@click.option("--year", type=int, default=None, help="预算年度（默认今年） / budget year [default: this year]")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="输出文件 / output FILE")
@_common
def template_cmd(layout, year, output, profile_name, config_path, lang) -> None:
    """生成空白绩效目标表（含下拉选项和填写示例） / write a blank form with drop-downs and a filled sample."""
    from targetlint import template

    prof = _settings(config_path, profile_name).profile
    if os.path.exists(output):
        _fail(_msg("exists", lang, path=output))
    try:
        template.write_template(output, ALIASES.get(layout, layout), prof, year=year)
    except OSError as exc:
        _fail(_msg("write", lang, path=output, detail=exc.strerror or exc))
    click.echo(_msg("template", lang, path=output))


def _tolerant_console() -> None:
    """Replace characters the console cannot encode instead of crashing.

    A Chinese Windows console (or ``PYTHONIOENCODING=gbk``) is GBK, which lacks
    ``²``, ``⩾``, ``✓`` and emoji that units do type; a '?' is better than a traceback.
    """
    for stream in (sys.stdout, sys.stderr):
        if getattr(stream, "errors", None) == "strict" and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")


def main() -> None:
    """Console-script entry point (``targetlint``)."""
    _tolerant_console()
    cli(prog_name="targetlint")
