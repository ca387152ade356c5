"""The rule catalogue for people and programs: ``targetlint rules`` and ``targetlint explain``.

Everything here is rendered from the rules' own metadata (``RULE``, the
module docstring, the ``bad``/``good`` examples and the findings they give)
and the active profile, so the terminal list, the JSON list, an explanation
and ``docs/rules.md`` cannot disagree with the code.  The load-error
catalogue (:data:`targetlint.errors.KINDS`: why a file could not be
checked at all) is listed after the rules in each of them.
"""

from __future__ import annotations

import inspect
import json
import re
from types import ModuleType
from typing import Any, Iterable, Mapping

import pandas as pd
import yaml
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from targetlint import __version__
from targetlint.errors import KINDS
from targetlint.reporters.text import DEFAULT_WIDTH, STYLES, _console, _findings_table, _hanging, _output
from targetlint.rule import Severity

#: Wording, key → (zh, en).
LABELS: dict[str, tuple[str, str]] = {
    "severity_line": ("级别: {sev}（默认 {default}，配置 {profile}）", "severity: {sev} (default {default}, profile {profile})"),
    "none": ("（无报告）", "(nothing reported)"),
    "off": ("关闭", "off"),
    "source": ("依据: ", "source: "),
    "params": ("参数（配置 {profile}）:", "parameters (profile {profile}):"),
    "no_params": ("（无参数）", "(no parameters)"),
    "bad": ("反例（应报告）:", "bad example (reported):"),
    "good": ("正例（不应报告）:", "good example (not reported):"),
    "code": ("编码", "code"),
    "name": ("名称", "name"),
    "severity": ("级别", "severity"),
    "summary_col": ("说明", "summary"),
    "load_errors": ("读取错误（文件无法检查，退出码 2）", "Load errors (the file cannot be checked; exit code 2)"),
}

#: Examples' findings by rule code, then by ``bad``/``good``.
Examples = Mapping[str, Mapping[str, pd.DataFrame]]


def _labels(lang: str) -> dict[str, str]:
    return {k: v[0] if lang == "zh" else v[1] for k, v in LABELS.items()}


def _params(profile: Any, code: str) -> dict[str, Any]:
    """The rule's effective parameters in ``profile``, without the shared vocabularies."""
    return {k: v for k, v in profile.params(code).items() if k != "vocab"}


def _yaml(case: Any) -> str:
    return yaml.safe_dump(case, allow_unicode=True, sort_keys=False, default_flow_style=None, width=1000).rstrip()


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def rules_text(modules: Iterable[ModuleType], profile: Any, lang: str = "zh", width: int = DEFAULT_WIDTH) -> str:
    """The catalogue as a table: code, name, severity in ``profile`` (or off), one-line summary."""
    L = _labels(lang)
    table = Table.grid(padding=(0, 2))
    for _ in range(3):
        table.add_column(no_wrap=True)
    table.add_column(overflow="fold", ratio=1)
    table.add_row(*(Text(L[k], style="bold") for k in ("code", "name", "severity", "summary_col")))
    for module in modules:
        rule = module.RULE
        sev = profile.severity(rule.code)
        cell = Text(Severity(sev).label(lang), style=STYLES[sev]) if profile.enabled(rule.code) else Text(L["off"], style="dim")
        table.add_row(Text(rule.code, style="bold"), Text(rule.name), cell, Text(rule.summary.get(lang, "")))
    console = _console(width, False)
    console.print(table)
    console.print()
    console.print(Text(L["load_errors"], style="bold"))
    errors = Table.grid(padding=(0, 2))
    errors.add_column(no_wrap=True)
    errors.add_column(overflow="fold", ratio=1)
    for kind in KINDS:
        errors.add_row(Text(kind.code, style="bold"), Text(kind.title["zh" if lang == "zh" else "en"]))
    console.print(errors)
    return _output(console)


def load_error_entries() -> list[dict[str, str]]:
    """The load-error catalogue as JSON entries: code, zh and en title, zh and en message template."""
    return [
        {"code": k.code, "zh": k.title["zh"], "en": k.title["en"], "message_zh": k.message["zh"], "message_en": k.message["en"]}
        for k in KINDS
    ]


def rule_entry(module: ModuleType, profile: Any) -> dict[str, Any]:
    """One rule as JSON: its metadata and its state in ``profile``."""
    rule = module.RULE
    return {
        "code": rule.code,
        "name": rule.name,
        "severity": profile.severity(rule.code),
        "default_severity": rule.severity.value,
        "enabled": profile.enabled(rule.code),
        "zh": rule.summary.get("zh"),
        "en": rule.summary.get("en"),
        "scope": rule.scope,
        "frame": rule.frame,
        "field": rule.field,
        "source": rule.source or None,
        "params": _params(profile, rule.code),
    }


def rules_json(modules: Iterable[ModuleType], profile: Any) -> str:
    """The catalogue as JSON (``targetlint rules --format json``)."""
    doc = {
        "targetlint": __version__,
        "profile": profile.name,
        "rules": [rule_entry(m, profile) for m in modules],
        "load_errors": load_error_entries(),
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def explain(
    module: ModuleType,
    profile: Any,
    examples: Mapping[str, pd.DataFrame],
    lang: str = "zh",
    width: int = DEFAULT_WIDTH,
) -> str:
    """What ``targetlint explain CODE`` prints: docstring, severity, source, params, examples.

    Args:
        module: the rule module.
        profile: the active profile (its severity and parameters are shown).
        examples: findings of the rule's ``bad`` and ``good`` examples, by those names.
        lang: ``zh`` or ``en``.
        width: characters per line.
    """
    L, rule = _labels(lang), module.RULE
    console = _console(width, False)
    console.print(Text(inspect.cleandoc(module.__doc__ or f"{rule.code} {rule.name}")))
    console.print()
    sev = Severity(profile.severity(rule.code)).label(lang) if profile.enabled(rule.code) else L["off"]
    console.print(Text(L["severity_line"].format(sev=sev, default=rule.severity.label(lang), profile=profile.name)))
    if rule.source:
        console.print(_hanging(L["source"], rule.source, width))
    params = _params(profile, rule.code)
    console.print(Text(L["params"].format(profile=profile.name)))
    for key, value in params.items():
        console.print(Text(f"  {key}: {_json(value)}"))
    if not params:
        console.print(Text("  " + L["no_params"]))
    for kind in ("bad", "good"):
        case = getattr(rule, kind)
        if not case:
            continue
        console.print()
        console.print(Text(L[kind], style="bold"))
        console.print(Padding(Text(_yaml(case)), (0, 0, 0, 2)))
        found = examples.get(kind)
        if found is not None and len(found):
            console.print(Padding(_findings_table(found.to_dict("records"), lang, 2, width), (0, 0, 0, 2)))
        elif found is not None:
            console.print(Text("  " + L["none"], style="dim"))
    return _output(console)


# --- Markdown (docs/rules.md) ------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_<>\[\]|])")


def _md(text: Any) -> str:
    """Plain text made safe inside Markdown (and inside a table cell)."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def _md_doc(module: ModuleType) -> str:
    """The docstring without its title line; reST ``literals`` become Markdown code."""
    body = inspect.cleandoc(module.__doc__ or "").split("\n", 1)
    return re.sub(r"``(.+?)``", r"`\1`", body[1].strip(), flags=re.S) if len(body) > 1 else ""


def _anchor(module: ModuleType) -> str:
    return f"{module.RULE.code}-{module.RULE.name}".lower()


def _md_findings(found: pd.DataFrame | None) -> list[str]:
    if found is None:
        return []
    if not len(found):
        return ["→ （无报告） / nothing reported", ""]
    out = []
    for row in found.to_dict("records"):
        out.append(f"- {row['severity']}: {_md(row['message_zh'])} / {_md(row['message_en'])}")
        if isinstance(row.get("suggestion_zh"), str) and row["suggestion_zh"]:
            out.append(f"  - → {_md(row['suggestion_zh'])} / {_md(row['suggestion_en'])}")
    return out + [""]


def _md_rule(module: ModuleType, profile: Any, examples: Mapping[str, pd.DataFrame]) -> list[str]:
    rule = module.RULE
    sev = profile.severity(rule.code) if profile.enabled(rule.code) else "off"
    lines = [f"## {rule.code} {rule.name}", "", f"**{_md(rule.summary['zh'])}** — {_md(rule.summary['en'])}", ""]
    lines += [f"级别 / severity: `{sev}` (默认 / default `{rule.severity.value}`) · 范围 / scope: `{rule.scope}`", ""]
    doc = _md_doc(module)
    lines += [doc, ""] if doc else []
    if rule.source:
        lines += [f"依据 / source: {_md(rule.source)}", ""]
    params = _params(profile, rule.code)
    if params:
        lines += ["| 参数 / parameter | 值 / value | 默认 / default |", "|---|---|---|"]
        lines += [f"| `{k}` | `{_md(_json(v))}` | `{_md(_json(rule.params.get(k)))}` |" for k, v in params.items()]
        lines.append("")
    for kind, title in (("bad", "反例（应报告） / bad example (reported)"), ("good", "正例（不应报告） / good example (quiet)")):
        case = getattr(rule, kind)
        if case:
            lines += [f"{title}:", "", "```yaml", _yaml(case), "```", ""]
            lines += _md_findings(examples.get(kind))
    return lines


def rules_markdown(modules: Iterable[ModuleType], profile: Any, examples: Examples) -> str:
    """The catalogue as a Markdown page: an index table, then one section per rule."""
    modules = list(modules)
    lines = [
        "# 规则 / Rules",
        "",
        f"配置 / profile: `{profile.name}`. 级别 / severities: `error` 退回修改 (sent back), "
        "`warning` 批复前修改 (fix before approval), `info` 建议 (advice); `off` 未启用 (not run).",
        "",
        "| 编码 / code | 名称 / name | 级别 / severity | 说明 | summary |",
        "|---|---|---|---|---|",
    ]
    for m in modules:
        rule = m.RULE
        sev = profile.severity(rule.code) if profile.enabled(rule.code) else "off"
        lines.append(
            f"| [{rule.code}](#{_anchor(m)}) | {rule.name} | {sev} | {_md(rule.summary['zh'])} | {_md(rule.summary['en'])} |"
        )
    lines.append("")
    for m in modules:
        lines += _md_rule(m, profile, examples.get(m.RULE.code, {}))
    lines += ["## 读取错误 / Load errors", "", "无法检查的文件报告以下错误之一（状态 `error`，退出码 2），其余文件照常检查。 "
              "A file that cannot be checked gets one of these (status `error`, exit code 2); the other files are still checked.", "",
              "| 代码 / code | 说明 | meaning |", "|---|---|---|"]
    lines += [f"| `{k.code}` | {_md(k.title['zh'])} | {_md(k.title['en'])} |" for k in KINDS]
    return "\n".join(lines).rstrip() + "\n"
