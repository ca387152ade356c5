"""TL104 spending-plan-invalid — (stub: to be written).
"""

from __future__ import annotations

import pandas as pd

from targetlint.rule import Rule, Severity

RULE = Rule(
    code="TL104",
    name="spending-plan-invalid",
    severity=Severity.ERROR,
    frame="projects",
    field='plan_dec',
    summary={"zh": "spending-plan-invalid", "en": "spending-plan-invalid"},
    message={"zh": "spending-plan-invalid", "en": "spending-plan-invalid"},
)


def check(sub, params) -> pd.DataFrame:
    return pd.DataFrame()
