"""Results of a run: one FileResult per input file; the RunResult owns the exit code."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pandas as pd

from targetlint.engine import RuleStatus, empty
from targetlint.errors import LoadError
from targetlint.rule import Severity
from targetlint.submission import Submission

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


@dataclass
class FileResult:
    """One input file: its submission and findings, or why it could not be read."""

    path: str
    submission: Submission | None = None
    findings: pd.DataFrame = field(default_factory=empty)
    error: LoadError | None = None
    rule_status: RuleStatus | None = None
    #: findings hidden by a baseline (``--baseline``), no longer in ``findings``
    baselined: int = 0

    @property
    def status(self) -> str:
        return "error" if self.error else "ok"

    @property
    def layout(self) -> str | None:
        return self.submission.layout if self.submission else None


@dataclass
class RunResult:
    """All files of one ``targetlint check`` run."""

    files: list[FileResult]
    profile: str

    @property
    def findings(self) -> pd.DataFrame:
        frames = [f.findings for f in self.files if len(f.findings)]
        return pd.concat(frames, ignore_index=True) if frames else empty()

    def severities(self) -> Counter:
        """Number of findings per severity value, counted file by file (concatenating a big run's findings is slow)."""
        raw = Counter(s for f in self.files if len(f.findings) for s in f.findings["severity"].tolist())
        out: Counter = Counter()
        for sev, n in raw.items():
            out[getattr(sev, "value", sev)] += n
        return out

    def summary(self) -> dict[str, int]:
        c = self.severities()
        return {
            "files": len(self.files),
            "errors": c[Severity.ERROR.value],
            "warnings": c[Severity.WARNING.value],
            "infos": c[Severity.INFO.value],
            "unreadable": sum(1 for f in self.files if f.error),
            "baselined": sum(f.baselined for f in self.files),
        }

    def exit_code(self, fail_on: str = "error") -> int:
        """2 if a file could not be read; 1 if a finding is at or above ``fail_on``; else 0."""
        if any(f.error for f in self.files):
            return EXIT_ERROR
        threshold = Severity(fail_on).rank
        return EXIT_FINDINGS if any(Severity(s).rank >= threshold for s in self.severities()) else EXIT_OK
