"""TL206 too-few-indicators — (stub: to be written).
"""

from __future__ import annotations

import pandas as pd

from targetlint.rule import Rule, Severity

RULE = Rule(
    code="TL206",
    name="too-few-indicators",
    severity=Severity.WARNING,
    frame="projects",
    field='project_name',
    summary={"zh": "too-few-indicators", "en": "too-few-indicators"},
    message={"zh": "too-few-indicators", "en": "too-few-indicators"},
)


def check(sub, params) -> pd.DataFrame:
    return pd.DataFrame()
