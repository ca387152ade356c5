"""TL303 value-unparseable — (stub: to be written).
"""

from __future__ import annotations

import pandas as pd

from targetlint.rule import Rule, Severity

RULE = Rule(
    code="TL303",
    name="value-unparseable",
    severity=Severity.ERROR,
    frame="indicators",
    field='value',
    summary={"zh": "value-unparseable", "en": "value-unparseable"},
    message={"zh": "value-unparseable", "en": "value-unparseable"},
)


def check(sub, params) -> pd.DataFrame:
    return pd.DataFrame()
