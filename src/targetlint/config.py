"""Configuration files: ``targetlint.toml``, or ``[tool.targetlint]`` in ``pyproject.toml``.

A configuration chooses the profile, which rules run (``select`` /
``ignore``), severity overrides and the ``fail-on`` threshold::

    profile = "hebei-2020"          # a shipped name, or a path relative to this file
    select = ["TL1", "TL3"]         # codes, code prefixes or rule names
    ignore = ["vague-wording"]
    fail-on = "warning"

    [severity]
    TL302 = "error"
    TL4 = "info"                    # every TL4xx rule

    [limits]                        # see targetlint.limits: sizes a file may have
    max-cells = 500000

Only the current working folder is searched, never its parents: a
reviewer's run must not change because of a file somewhere up the tree.
``targetlint.toml`` wins over ``pyproject.toml``; only one file is read.
Precedence, highest first: command-line options, the configuration file,
the profile.  ``select`` replaces the rule set of the layer below it (a
prefix selects among the rules the profile enables; a code or a name also
turns on a rule the profile disables); ``ignore`` then removes rules, and
adds up across layers.  A broken file is refused with a message naming the
file and the key.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping

from targetlint import limits as limits_
from targetlint import profile as profiles
from targetlint.rule import Severity

CONFIG_FILE = "targetlint.toml"
PYPROJECT = "pyproject.toml"
KEYS = ("profile", "select", "ignore", "severity", "fail-on", "limits")
SEVERITIES = tuple(s.value for s in Severity)


def _toml():
    """The TOML parser, imported only when a configuration file is there to read."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib
    return tomllib


class ConfigError(Exception):
    """A configuration file or option that cannot be used; the message names the file (or option) and the key."""


@dataclass(frozen=True)
class Config:
    """What one configuration file says (every field optional).

    Attributes:
        path: the file read, for messages (None: no file).
        profile: a shipped profile name or a profile path (resolved against the file's folder).
        select: selectors of the rules to run, or None to keep the profile's.
        ignore: selectors of rules not to run.
        severity: (selector, severity) pairs, most specific last.
        fail_on: the ``--fail-on`` threshold.
        limits: the ``[limits]`` table, validated (None: the environment's or the defaults).
    """

    path: str | None = None
    profile: str | None = None
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    severity: tuple[tuple[str, str], ...] = ()
    fail_on: str | None = None
    limits: limits_.Limits | None = None


@dataclass(frozen=True)
class Settings:
    """The effective settings of a run: the configured profile, the exit threshold and the file limits."""

    profile: profiles.Profile
    fail_on: str
    limits: limits_.Limits | None = None


def find(folder: str | Path = ".") -> Config:
    """The configuration in ``folder``: ``targetlint.toml``, else ``pyproject.toml``'s table, else none."""
    folder = Path(folder)
    if (folder / CONFIG_FILE).is_file():
        return read(folder / CONFIG_FILE)
    if (folder / PYPROJECT).is_file():
        return read(folder / PYPROJECT)
    return Config()


def read(path: str | Path) -> Config:
    """Read one configuration file (a ``pyproject.toml`` contributes its ``[tool.targetlint]`` table)."""
    path = Path(path)
    label = str(path)
    tomllib = _toml()
    try:
        # utf-8-sig: Windows editors often save UTF-8 with a byte-order mark
        data = tomllib.loads(path.read_bytes().decode("utf-8-sig"))
    except OSError as exc:
        raise ConfigError(f"配置文件 {label}: 无法读取（{exc.strerror or exc}） / config {label}: cannot be read") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"配置文件 {label}: 须为 UTF-8 编码 / config {label}: must be UTF-8") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"配置文件 {label}: TOML 格式错误（{exc}） / config {label}: invalid TOML ({exc})") from exc
    if path.name == PYPROJECT:
        data = data.get("tool", {}).get("targetlint")
        if data is None:
            return Config()
        label = f"{label} [tool.targetlint]"
    return parse(data, label, path.parent)


def _error(label: str, key: str, zh: str, en: str) -> ConfigError:
    return ConfigError(f"配置文件 {label}, 键 {key}: {zh} / config {label}, key {key}: {en}")


def _selectors(value: Any, label: str, key: str) -> tuple[str, ...]:
    """A list of selectors (a comma-separated string is accepted too), each naming a rule."""
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _error(label, key, "应为规则列表", "must be a list of rules")
    out = tuple(v.strip() for v in value if v.strip())
    for selector in out:
        try:
            profiles.resolve(selector)
        except profiles.SelectorError as exc:
            raise _error(label, key, f"未知规则 {selector!r}", f"unknown rule {selector!r}") from exc
    return out


def _severities(value: Any, label: str) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, Mapping):
        raise _error(label, "severity", "应为表（规则 = 级别）", 'must be a table (rule = "severity")')
    pairs = []
    for selector, sev in value.items():
        key = f"severity.{selector}"
        if sev not in SEVERITIES:
            raise _error(label, key, f"{sev!r} 不是 error/warning/info", f"{sev!r} is not error/warning/info")
        try:
            _, explicit = profiles.resolve(selector)
        except profiles.SelectorError as exc:
            raise _error(label, key, f"未知规则 {selector!r}", f"unknown rule {selector!r}") from exc
        pairs.append((explicit, len(selector), selector, sev))
    # prefixes first (shorter first), codes and names last: the most specific setting wins
    return tuple((s, v) for _, _, s, v in sorted(pairs, key=lambda p: (p[0], p[1])))


def parse(data: Mapping[str, Any], label: str, base_dir: Path) -> Config:
    """Validate a configuration table read from ``label`` (a profile path is relative to ``base_dir``)."""
    if not isinstance(data, Mapping):
        raise ConfigError(f"配置文件 {label}: 应为表 / config {label}: must be a table")
    for key in data:
        if key not in KEYS:
            raise _error(label, key, f"未知键（可用: {', '.join(KEYS)}）", f"unknown key (known: {', '.join(KEYS)})")
    prof = data.get("profile")
    if prof is not None:
        if not isinstance(prof, str) or not prof.strip():
            raise _error(label, "profile", "应为配置名称或路径", "must be a profile name or path")
        if Path(prof).suffix in (".yaml", ".yml") and not Path(prof).is_absolute():
            prof = str(base_dir / prof)
    fail_on = data.get("fail-on")
    if fail_on is not None and fail_on not in SEVERITIES:
        raise _error(label, "fail-on", f"{fail_on!r} 不是 error/warning/info", f"{fail_on!r} is not error/warning/info")
    table = None
    if "limits" in data:
        try:  # over the environment's: a variable set for one run still counts where the file is silent
            table = limits_.Limits.from_mapping(data["limits"], f"配置文件 {label} [limits]", limits_.Limits.from_env())
        except limits_.LimitsError as exc:
            raise ConfigError(str(exc)) from exc
    return Config(
        path=label,
        profile=prof,
        select=_selectors(data["select"], label, "select") if "select" in data else None,
        ignore=_selectors(data.get("ignore", []), label, "ignore"),
        severity=_severities(data.get("severity", {}), label),
        fail_on=fail_on,
        limits=table,
    )


def _enabled(prof: profiles.Profile, layers: list[tuple[tuple[str, ...] | None, tuple[str, ...]]]) -> set[str]:
    """The rules that run after each layer's ``select`` then ``ignore`` (selectors already validated)."""
    base = {code for code in prof.rules if prof.enabled(code)}
    current = set(base)
    for select, ignore in layers:
        if select is not None:
            current = set()
            for selector in select:
                codes, explicit = profiles.resolve(selector)
                current |= set(codes) if explicit else set(codes) & base
        for selector in ignore:
            current -= set(profiles.resolve(selector)[0])
    return current


def _cli_selectors(values: Iterable[str] | None, option: str) -> tuple[str, ...] | None:
    if values is None:
        return None
    out = tuple(v.strip() for value in values for v in value.split(",") if v.strip())
    for selector in out:
        try:
            profiles.resolve(selector)
        except profiles.SelectorError as exc:
            raise ConfigError(f"选项 {option}: {exc}") from exc
    return out


def settings(
    config: Config,
    *,
    profile: str | None = None,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    fail_on: str | None = None,
) -> Settings:
    """Combine command-line options (given, or None) with ``config`` over the profile.

    Raises:
        ConfigError: an option names no rule.
        ProfileError: the profile cannot be loaded (named with the file that chose it).
    """
    cli_select, cli_ignore = _cli_selectors(select, "--select"), _cli_selectors(ignore, "--ignore") or ()
    name = profile or config.profile or profiles.DEFAULT_PROFILE
    try:
        prof = profiles.load(name)
    except profiles.ProfileError as exc:
        if profile is None and config.profile is not None:
            raise profiles.ProfileError(f"配置文件 {config.path}, 键 profile: {exc}") from exc
        raise
    layers = [(config.select, config.ignore), (cli_select, cli_ignore)]
    changed = any(sel is not None or ign for sel, ign in layers)
    severity = {code: sev for selector, sev in config.severity for code in profiles.resolve(selector)[0]}
    if changed or severity:
        prof = prof.override(_enabled(prof, layers) if changed else None, severity)
    return Settings(profile=prof, fail_on=fail_on or config.fail_on or "error", limits=config.limits)
