"""TL401 boilerplate-across-projects — (stub: to be written).
"""

from __future__ import annotations

import pandas as pd

from targetlint.rule import Rule, Severity

RULE = Rule(
    code="TL401",
    name="boilerplate-across-projects",
    severity=Severity.WARNING,
    frame="projects",
    field='goal',
    summary={"zh": "boilerplate-across-projects", "en": "boilerplate-across-projects"},
    message={"zh": "boilerplate-across-projects", "en": "boilerplate-across-projects"},
)


def check(sub, params) -> pd.DataFrame:
    return pd.DataFrame()
