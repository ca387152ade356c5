"""TL201 level1-missing — (stub: to be written).
"""

from __future__ import annotations

import pandas as pd

from targetlint.rule import Rule, Severity

RULE = Rule(
    code="TL201",
    name="level1-missing",
    severity=Severity.ERROR,
    frame="projects",
    field='project_name',
    summary={"zh": "level1-missing", "en": "level1-missing"},
    message={"zh": "level1-missing", "en": "level1-missing"},
)


def check(sub, params) -> pd.DataFrame:
    return pd.DataFrame()
