"""TL308 rate-out-of-range — (stub: to be written).
"""

from __future__ import annotations

import pandas as pd

from targetlint.rule import Rule, Severity

RULE = Rule(
    code="TL308",
    name="rate-out-of-range",
    severity=Severity.WARNING,
    frame="indicators",
    field='value',
    summary={"zh": "rate-out-of-range", "en": "rate-out-of-range"},
    message={"zh": "rate-out-of-range", "en": "rate-out-of-range"},
)


def check(sub, params) -> pd.DataFrame:
    return pd.DataFrame()
