"""TL103 spending-plan-empty — (stub: to be written).
"""

from __future__ import annotations

import pandas as pd

from targetlint.rule import Rule, Severity

RULE = Rule(
    code="TL103",
    name="spending-plan-empty",
    severity=Severity.WARNING,
    frame="projects",
    field='plan_mar',
    summary={"zh": "spending-plan-empty", "en": "spending-plan-empty"},
    message={"zh": "spending-plan-empty", "en": "spending-plan-empty"},
)


def check(sub, params) -> pd.DataFrame:
    return pd.DataFrame()
