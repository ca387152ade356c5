"""TL204 output-dimension-missing — (stub: to be written).
"""

from __future__ import annotations

import pandas as pd

from targetlint.rule import Rule, Severity

RULE = Rule(
    code="TL204",
    name="output-dimension-missing",
    severity=Severity.WARNING,
    frame="projects",
    field='project_name',
    summary={"zh": "output-dimension-missing", "en": "output-dimension-missing"},
    message={"zh": "output-dimension-missing", "en": "output-dimension-missing"},
)


def check(sub, params) -> pd.DataFrame:
    return pd.DataFrame()
