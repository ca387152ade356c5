"""TL304 value-with-prose — (stub: to be written).
"""

from __future__ import annotations

import pandas as pd

from targetlint.rule import Rule, Severity

RULE = Rule(
    code="TL304",
    name="value-with-prose",
    severity=Severity.ERROR,
    frame="indicators",
    field='value',
    summary={"zh": "value-with-prose", "en": "value-with-prose"},
    message={"zh": "value-with-prose", "en": "value-with-prose"},
)


def check(sub, params) -> pd.DataFrame:
    return pd.DataFrame()
