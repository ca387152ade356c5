"""TL003 required-field-missing — (stub: to be written).
"""

from __future__ import annotations

import pandas as pd

from targetlint.rule import Rule, Severity

RULE = Rule(
    code="TL003",
    name="required-field-missing",
    severity=Severity.ERROR,
    frame="projects",
    field='project_name',
    summary={"zh": "required-field-missing", "en": "required-field-missing"},
    message={"zh": "required-field-missing", "en": "required-field-missing"},
)


def check(sub, params) -> pd.DataFrame:
    return pd.DataFrame()
