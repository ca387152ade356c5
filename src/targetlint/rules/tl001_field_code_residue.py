"""TL001 field-code-residue — (stub: to be written).
"""

from __future__ import annotations

import pandas as pd

from targetlint.rule import Rule, Severity

RULE = Rule(
    code="TL001",
    name="field-code-residue",
    severity=Severity.WARNING,
    frame="texts",
    field=None,
    summary={"zh": "field-code-residue", "en": "field-code-residue"},
    message={"zh": "field-code-residue", "en": "field-code-residue"},
)


def check(sub, params) -> pd.DataFrame:
    return pd.DataFrame()
