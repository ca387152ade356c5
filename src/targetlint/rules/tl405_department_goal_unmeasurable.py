"""TL405 department-goal-unmeasurable — (stub: to be written).
"""

from __future__ import annotations

import pandas as pd

from targetlint.rule import Rule, Severity

RULE = Rule(
    code="TL405",
    name="department-goal-unmeasurable",
    severity=Severity.WARNING,
    frame="department",
    field='text',
    summary={"zh": "department-goal-unmeasurable", "en": "department-goal-unmeasurable"},
    message={"zh": "department-goal-unmeasurable", "en": "department-goal-unmeasurable"},
)


def check(sub, params) -> pd.DataFrame:
    return pd.DataFrame()
