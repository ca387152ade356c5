"""Profiles: which rules run, at what severity, with which parameters and vocabularies.

A profile is a YAML file in the top-level ``rules/`` folder (shipped in the
wheel as ``targetlint.profiles``) or any path a bureau gives with
``--profile``.  It may ``extends:`` another profile and override, per rule,
``enabled``, ``severity`` and ``params``; and, per name, the vocabularies
(``vocab:`` — the indicator taxonomy, grade words, vague words, units…) that
rules read as ``params.vocab``.  A wrong profile is refused at load time with
a message naming the profile, the rule and the key.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

from targetlint.rule import Params, Severity

DEFAULT_PROFILE = "default"
_RULE_KEYS = {"enabled", "severity", "params"}


class ProfileError(Exception):
    """A profile that cannot be used; the message names profile, rule and key."""


def _catalogue() -> dict[str, ModuleType]:
    from targetlint.rules import ALL

    return {m.RULE.code: m for m in ALL}


def builtin_names() -> list[str]:
    """Names of the profiles shipped with targetlint."""
    root = resources.files("targetlint.profiles")
    return sorted(p.name[:-5] for p in root.iterdir() if p.name.endswith(".yaml"))


def _read_yaml(source: Any, label: str) -> Any:
    try:
        return yaml.safe_load(source.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ProfileError(f"配置 {label}: 无法读取 ({exc}) / profile {label}: cannot be read") from exc


def _locate(name: str) -> tuple[Any, str]:
    """A profile's file: a shipped name (``hebei-2020``) or a path."""
    path = Path(name)
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

        return [m for m in ALL if self.rules.get(m.RULE.code, {}).get("enabled", False)]

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


def load(name: str = DEFAULT_PROFILE) -> Profile:
    """Load a profile by shipped name or path, following ``extends:``."""
    return _load(name, seen=())


def _load(name: str, seen: tuple[str, ...]) -> Profile:
    source, label = _locate(name)
    if label in seen:
        raise ProfileError(f"配置 {label}: extends 循环 / profile {label}: extends loop")
    data = _read_yaml(source, label) or {}
    if not isinstance(data, dict):
        raise ProfileError(f"配置 {label}: 顶层必须是映射 / profile {label}: top level must be a mapping")
    unknown = set(data) - {"name", "extends", "description", "rules", "vocab", "settings"}
    if unknown:
        key = sorted(unknown)[0]
        raise ProfileError(f"配置 {label}: 未知键 {key!r} / profile {label}: unknown key {key!r}")
    parent = _load(data["extends"], seen + (label,)) if data.get("extends") else Profile(name=label)
    base_dir = source.parent if isinstance(source, Path) else resources.files("targetlint.profiles")
    profile = Profile(
        name=data.get("name", label),
        description=data.get("description", parent.description),
        rules=copy.deepcopy(parent.rules),
        vocab=dict(parent.vocab),
        settings={**parent.settings, **(data.get("settings") or {})},
    )
    for key, spec in (data.get("vocab") or {}).items():
        profile.vocab[key] = _vocab(spec, base_dir, label, key)
    for code, spec in (data.get("rules") or {}).items():
        _merge_rule(profile, label, str(code), spec)
    return profile


def _vocab(spec: Any, base_dir: Any, label: str, key: str) -> Any:
    """A vocabulary: inline data, or a YAML file relative to the profile."""
    if isinstance(spec, str) and spec.endswith((".yaml", ".yml")):
        target = base_dir / spec
        if not target.is_file():
            raise ProfileError(f"配置 {label}: 词表 {key} 的文件 {spec} 不存在 / profile {label}: vocab {key}: file {spec} not found")
        return _read_yaml(target, f"{label}:{spec}")
    return spec


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
    defaults = catalogue[code].RULE.params
    for key, value in (spec.get("params") or {}).items():
        if key not in defaults:
            raise ProfileError(f"{where}, 参数 {key}: 未知参数 / {where_en}, param {key}: unknown parameter")
        if not _same_type(defaults[key], value):
            raise ProfileError(
                f"{where}, 参数 {key}: 应为 {type(defaults[key]).__name__}，实为 {type(value).__name__} / "
                f"{where_en}, param {key}: expected {type(defaults[key]).__name__}, got {type(value).__name__}"
            )
        entry["params"][key] = value


def _same_type(default: Any, value: Any) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(default, bool) and isinstance(value, bool)
    if isinstance(default, float):
        return isinstance(value, (int, float))
    if default is None:
        return True
    return isinstance(value, type(default))
