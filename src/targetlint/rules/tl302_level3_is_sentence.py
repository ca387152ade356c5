"""TL302 level3-is-sentence — (stub: to be written).
"""

from __future__ import annotations

import pandas as pd

from targetlint.rule import Rule, Severity

RULE = Rule(
    code="TL302",
    name="level3-is-sentence",
    severity=Severity.WARNING,
    frame="indicators",
    field='level3',
    summary={"zh": "level3-is-sentence", "en": "level3-is-sentence"},
    message={"zh": "level3-is-sentence", "en": "level3-is-sentence"},
)


def check(sub, params) -> pd.DataFrame:
    return pd.DataFrame()
