"""TL301 copy-paste-fields — (stub: to be written).
"""

from __future__ import annotations

import pandas as pd

from targetlint.rule import Rule, Severity

RULE = Rule(
    code="TL301",
    name="copy-paste-fields",
    severity=Severity.ERROR,
    frame="indicators",
    field='value',
    summary={"zh": "copy-paste-fields", "en": "copy-paste-fields"},
    message={"zh": "copy-paste-fields", "en": "copy-paste-fields"},
)


def check(sub, params) -> pd.DataFrame:
    return pd.DataFrame()
