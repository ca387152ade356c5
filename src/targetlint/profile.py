"""Profiles: which rules run, at what severity, with which parameters and vocabularies.

A profile is a YAML file in the top-level ``rules/`` folder (shipped in the
wheel as ``targetlint.profiles``) or any path a bureau gives with
``--profile``.  It may ``extends:`` another profile (a shipped name, or a path
relative to the extending file) and override, per rule, ``enabled``,
``severity`` and ``params``; and, per name, the vocabularies (``vocab:`` — the
indicator taxonomy, grade words, vague words, units…) that rules read as
``params.vocab``.  A wrong profile is refused at load time with a message
naming the profile, the rule and the key.

Rules are named on the command line and in configuration files by
*selectors* (:func:`resolve`): a code (``TL304``), a code prefix (``TL3``,
``TL30``) or a rule name (``value-with-prose``).
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from types import ModuleType
from typing import Any, Iterable, Mapping

import yaml

from targetlint.rule import Params, Severity

DEFAULT_PROFILE = "default"
_RULE_KEYS = {"enabled", "severity", "params"}
#: Top-level keys of a profile file and the type each must have.
_TOP_KEYS: dict[str, type] = {"name": str, "extends": str, "description": str, "rules": dict, "vocab": dict, "settings": dict}
_KIND = {str: ("字符串", "a string"), dict: ("映射", "a mapping")}
_PREFIX = re.compile(r"TL\d{0,2}")


#: libyaml's parser when PyYAML was built with it: the shipped vocabularies parse
#: forty times faster than with the pure-Python loader, into the same data.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class ProfileError(Exception):
    """A profile that cannot be used; the message names profile, rule and key."""


class SelectorError(ValueError):
    """A rule selector that names no rule."""

    def __init__(self, selector: str) -> None:
        super().__init__(
            f"未知规则 {selector!r}（可用编码、编码前缀如 TL3 或规则名称） / "
            f"unknown rule {selector!r} (use a code, a code prefix such as TL3, or a rule name)"
        )


def _catalogue() -> dict[str, ModuleType]:
    from targetlint.rules import ALL

    return {m.RULE.code: m for m in ALL}


def builtin_names() -> list[str]:
    """Names of the profiles shipped with targetlint."""
    root = resources.files("targetlint.profiles")
    return sorted(p.name[:-5] for p in root.iterdir() if p.name.endswith(".yaml"))


def resolve(selector: str) -> tuple[list[str], bool]:
    """The rule codes a selector names, and whether it names one rule explicitly.

    Args:
        selector: a code (``TL304``, any case), a rule name
            (``value-with-prose``) or a code prefix (``TL3``, ``TL30``, ``TL``).

    Returns:
        The codes in catalogue order, and True for a code or a name (False for a prefix).

    Raises:
        SelectorError: the selector names no rule.
    """
    wanted = str(selector).strip()
    catalogue = _catalogue()
    if wanted.upper() in catalogue:
        return [wanted.upper()], True
    by_name = {m.RULE.name: code for code, m in catalogue.items()}
    if wanted.lower() in by_name:
        return [by_name[wanted.lower()]], True
    if _PREFIX.fullmatch(wanted.upper()):
        codes = [c for c in catalogue if c.startswith(wanted.upper())]
        if codes:
            return codes, False
    raise SelectorError(wanted)


def _read_yaml(source: Any, label: str) -> Any:
    try:
        return yaml.load(source.read_text(encoding="utf-8"), Loader=_LOADER)  # noqa: S506 - a safe loader
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ProfileError(f"配置 {label}: 无法读取 ({exc}) / profile {label}: cannot be read") from exc


def _locate(name: str, base_dir: Path | None = None) -> tuple[Any, str]:
    """A profile's file: a shipped name (``hebei-2020``) or a path.

    A relative path in ``extends:`` is relative to the extending file's folder
    (``base_dir``), so a bureau's profiles can be moved together.
    """
    path = Path(name)
    if base_dir is not None and not path.is_absolute() and (base_dir / path).exists():
        path = base_dir / path
    if path.suffix in (".yaml", ".yml") or path.exists():
        if not path.is_file():
            raise ProfileError(f"配置文件不存在: {name} / profile file not found: {name}")
        return path, str(path)
    res = resources.files("targetlint.profiles") / f"{name}.yaml"
    if not res.is_file():
        known = ", ".join(builtin_names())
        raise ProfileError(f"未知配置 {name!r}（可用: {known}） / unknown profile {name!r} (known: {known})")
    return res, name


@dataclass
class Profile:
    """An effective (extended and validated) profile."""

    name: str
    description: str = ""
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)
    vocab: dict[str, Any] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)

    def modules(self) -> list[ModuleType]:
        """Enabled rule modules, in catalogue order."""
        from targetlint.rules import ALL

        return [m for m in ALL if self.enabled(m.RULE.code)]

    def enabled(self, code: str) -> bool:
        return bool(self.rules.get(code, {}).get("enabled", False))

    def severity(self, code: str) -> str:
        sev = self.rules.get(code, {}).get("severity")
        return sev or _catalogue()[code].RULE.severity.value

    def params(self, code: str) -> Params:
        rule = _catalogue()[code].RULE
        merged = copy.deepcopy(dict(rule.params))
        merged.update(copy.deepcopy(self.rules.get(code, {}).get("params", {})))
        out = Params(merged)
        out["vocab"] = self.vocab
        return out

    def override(self, enabled: Iterable[str] | None = None, severity: Mapping[str, str] | None = None) -> Profile:
        """A copy running exactly the rules ``enabled`` (None: unchanged), with severities replaced.

        Parameters and vocabularies are kept: configuration files and command
        line options choose rules and severities, profiles hold the rest.
        """
        out = Profile(self.name, self.description, copy.deepcopy(self.rules), self.vocab, dict(self.settings))
        if enabled is not None:
            wanted = set(enabled)
            for code in _catalogue():
                if code in wanted or code in out.rules:
                    out.rules.setdefault(code, {"enabled": True, "params": {}})["enabled"] = code in wanted
        for code, sev in (severity or {}).items():
            out.rules.setdefault(code, {"enabled": False, "params": {}})["severity"] = Severity(sev).value
        return out


def load(name: str = DEFAULT_PROFILE) -> Profile:
    """Load a profile by shipped name or path, following ``extends:``."""
    return _load(name, seen=(), base_dir=None)


def _load(name: str, seen: tuple[str, ...], base_dir: Path | None) -> Profile:
    source, label = _locate(name, base_dir)
    # the same file reached by two spellings of its path is still a loop
    key = str(source.resolve()) if isinstance(source, Path) else f"shipped:{label}"
    if key in seen:
        raise ProfileError(f"配置 {label}: extends 循环 / profile {label}: extends loop")
    data = _read_yaml(source, label) or {}
    if not isinstance(data, dict):
        raise ProfileError(f"配置 {label}: 顶层必须是映射 / profile {label}: top level must be a mapping")
    _check_top(data, label)
    here = source.parent if isinstance(source, Path) else None
    parent = _parent(data.get("extends"), label, seen + (key,), here)
    base_dir_ = here if here is not None else resources.files("targetlint.profiles")
    profile = Profile(
        name=data.get("name", label),
        description=data.get("description", parent.description),
        rules=copy.deepcopy(parent.rules),
        vocab=dict(parent.vocab),
        settings={**parent.settings, **(data.get("settings") or {})},
    )
    for key, spec in (data.get("vocab") or {}).items():
        profile.vocab[key] = _vocab(spec, base_dir_, label, str(key), parent.vocab.get(key))
    for code, spec in (data.get("rules") or {}).items():
        _merge_rule(profile, label, str(code), spec)
    return profile


def _parent(extends: str | None, label: str, seen: tuple[str, ...], here: Path | None) -> Profile:
    if not extends:
        return Profile(name=label)
    try:
        _locate(extends, here)
    except ProfileError as exc:  # name the profile that asked for it
        raise ProfileError(f"配置 {label}, 键 extends: {exc}") from exc
    return _load(extends, seen, here)


def _check_top(data: dict, label: str) -> None:
    for key, value in data.items():
        if key not in _TOP_KEYS:
            known = ", ".join(_TOP_KEYS)
            raise ProfileError(
                f"配置 {label}: 未知键 {key!r}（可用: {known}） / profile {label}: unknown key {key!r} (known: {known})"
            )
        if value is not None and not isinstance(value, _TOP_KEYS[key]):
            zh, en = _KIND[_TOP_KEYS[key]]
            raise ProfileError(f"配置 {label}, 键 {key}: 应为{zh} / profile {label}, key {key}: must be {en}")


def _vocab(spec: Any, base_dir: Any, label: str, key: str, inherited: Any) -> Any:
    """A vocabulary: inline data, or a YAML file relative to the profile.

    A vocabulary that replaces an inherited one must keep its shape: the same
    keys (a subset) holding the same kind of value, so a typo in a bureau's
    copy of the word lists is refused instead of silently ignored.
    """
    data = spec
    if isinstance(spec, str) and spec.endswith((".yaml", ".yml")):
        target = base_dir / spec
        if not target.is_file():
            raise ProfileError(f"配置 {label}: 词表 {key} 的文件 {spec} 不存在 / profile {label}: vocab {key}: file {spec} not found")
        data = _read_yaml(target, f"{label}:{spec}")
    if isinstance(inherited, dict) and data is not None:
        where, where_en = f"配置 {label}, 词表 {key}", f"profile {label}, vocab {key}"
        if not isinstance(data, dict):
            raise ProfileError(f"{where}: 应为映射 / {where_en}: must be a mapping")
        for item, value in data.items():
            if item not in inherited:
                raise ProfileError(f"{where}, 键 {item}: 未知键 / {where_en}, key {item}: unknown key")
            if value is not None and inherited[item] is not None and not _same_type(inherited[item], value):
                want, got = _kind(inherited[item]), _kind(value)
                raise ProfileError(
                    f"{where}, 键 {item}: 应为 {want}，实为 {got} / {where_en}, key {item}: expected {want}, got {got}"
                )
    return data


def _merge_rule(profile: Profile, label: str, code: str, spec: Any) -> None:
    catalogue = _catalogue()
    where = f"配置 {label}, 规则 {code}"
    where_en = f"profile {label}, rule {code}"
    if code not in catalogue:
        raise ProfileError(f"{where}: 未知规则编码 / {where_en}: unknown rule code")
    if spec is None or spec is True:
        spec = {}
    elif spec is False:
        spec = {"enabled": False}
    if not isinstance(spec, dict):
        raise ProfileError(f"{where}: 取值须为映射 / {where_en}: value must be a mapping")
    for key in spec:
        if key not in _RULE_KEYS:
            raise ProfileError(f"{where}, 键 {key}: 未知键 / {where_en}, key {key}: unknown key")
    entry = profile.rules.setdefault(code, {"enabled": True, "params": {}})
    entry["enabled"] = spec.get("enabled", True)
    if not isinstance(entry["enabled"], bool):
        raise ProfileError(f"{where}, 键 enabled: 须为 true/false / {where_en}, key enabled: must be true or false")
    if "severity" in spec:
        if spec["severity"] not in {s.value for s in Severity}:
            raise ProfileError(
                f"{where}, 键 severity: {spec['severity']!r} 不是 error/warning/info / "
                f"{where_en}, key severity: {spec['severity']!r} is not error/warning/info"
            )
        entry["severity"] = spec["severity"]
    params = spec.get("params") or {}
    if not isinstance(params, dict):
        raise ProfileError(f"{where}, 键 params: 须为映射 / {where_en}, key params: must be a mapping")
    defaults = catalogue[code].RULE.params
    for key, value in params.items():
        if key not in defaults:
            known = ", ".join(defaults) or "-"
            raise ProfileError(
                f"{where}, 参数 {key}: 未知参数（可用: {known}） / {where_en}, param {key}: unknown parameter (known: {known})"
            )
        if not _same_type(defaults[key], value):
            want, got = _kind(defaults[key]), _kind(value)
            raise ProfileError(
                f"{where}, 参数 {key}: 应为 {want}，实为 {got} / {where_en}, param {key}: expected {want}, got {got}"
            )
        entry["params"][key] = value


def _same_type(default: Any, value: Any) -> bool:
    """Whether ``value`` may replace ``default``: same type; ints for floats; lists item by item."""
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(default, bool) and isinstance(value, bool)
    if isinstance(default, float):
        return isinstance(value, (int, float))
    if default is None:
        return True
    if isinstance(default, (list, tuple)) and isinstance(value, (list, tuple)):
        # an empty default says nothing about its items; otherwise items keep the first item's type
        return not default or all(_same_type(default[0], v) for v in value)
    return isinstance(value, type(default))


def _kind(value: Any) -> str:
    """A value's type as the YAML writer knows it (``list of str``, ``float``)."""
    if isinstance(value, (list, tuple)):
        kinds = sorted({_kind(v) for v in value})
        return "list" + (f" of {'/'.join(kinds)}" if kinds else "")
    return {dict: "mapping", type(None): "null"}.get(type(value), type(value).__name__)
