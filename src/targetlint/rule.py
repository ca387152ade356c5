"""What a rule is: its metadata (the catalogue entry) beside its check.

A rule module holds ``RULE = Rule(...)`` and ``check(sub, params)``; the
module docstring is what ``targetlint explain`` prints.  ``check`` returns the
offending rows as a DataFrame whose index labels rows of ``RULE.frame`` (a
label may repeat for several findings on one row).  Optional columns of that
"hits" frame:

* ``field`` — the field the finding is about, when not ``RULE.field``;
* ``suggest`` — the concrete replacement, rendered through ``RULE.suggestion``;
* ``severity`` — a per-finding severity (e.g. TL201 satisfaction: warning);
* anything else — keyword arguments for the message templates.

The engine, not the rule, stamps code, severity, location and project on a
finding.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any, Mapping


class Severity(str, enum.Enum):
    """Review grades: error = sent back, warning = fix before approval, info = advice."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]

    def label(self, lang: str = "zh") -> str:
        zh = {"error": "错误", "warning": "警告", "info": "提示"}[self.value]
        return zh if lang == "zh" else self.value


@dataclass(frozen=True)
class Rule:
    """A rule's catalogue entry.

    Attributes:
        code: ``TL`` + three digits, stable forever.
        name: kebab-case name (``copy-paste-fields``).
        severity: default severity; profiles may change it.
        frame: the frame the check's hits index into: ``projects``,
            ``indicators``, ``department`` or ``texts``.
        field: the field findings are about, unless a hit says otherwise.
        summary: one line, ``{"zh": …, "en": …}``, for ``targetlint rules``.
        message: message templates ``{"zh": …, "en": …}`` (``str.format`` with
            the hit's columns plus ``value`` and ``field_label``).
        suggestion: templates for the suggestion, usually using ``{suggest}``.
        params: parameter defaults; a profile may override each, with the same type.
        needs: fields the check reads; a project whose layout lacks one of them
            is skipped (absent is not empty).
        source: the document the rule rests on.
        bad, good: examples in the case-file shape (see ``tests/rules/cases``).
        scope: ``file`` (checked per submission) or ``batch`` (checked once over
            every file of a run, e.g. targets copied between units).
    """

    code: str
    name: str
    severity: Severity
    frame: str
    field: str | None
    summary: Mapping[str, str]
    message: Mapping[str, str]
    suggestion: Mapping[str, str] | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    needs: tuple[str, ...] = ()
    source: str = ""
    bad: Mapping[str, Any] | None = None
    good: Mapping[str, Any] | None = None
    scope: str = "file"


class Params(dict):
    """A rule's effective parameters: attribute access, plus the profile's vocabularies."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError as exc:  # pragma: no cover - a programming error
            raise AttributeError(name) from exc
