"""TL315 basis-nonstandard — (stub: to be written).
"""

from __future__ import annotations

import pandas as pd

from targetlint.rule import Rule, Severity

RULE = Rule(
    code="TL315",
    name="basis-nonstandard",
    severity=Severity.WARNING,
    frame="indicators",
    field='basis',
    summary={"zh": "basis-nonstandard", "en": "basis-nonstandard"},
    message={"zh": "basis-nonstandard", "en": "basis-nonstandard"},
)


def check(sub, params) -> pd.DataFrame:
    return pd.DataFrame()
