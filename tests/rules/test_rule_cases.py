"""Rule tests are data: every case in tests/rules/cases/*.yaml, one parametrised test.

Ids are ``<CODE>-<case id>``, so ``pytest -k TL304`` runs one rule.  A case
says how many findings it ``fires`` (0 = must stay quiet) and may ``expect``
findings with given column values (a string value must be contained).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from targetlint import casebook, engine, profile
from targetlint.rules import ALL

CASES_DIR = Path(__file__).parent / "cases"
MODULES = {m.RULE.code: m for m in ALL}


def _cases():
    for path in sorted(CASES_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in data["cases"]:
            yield pytest.param(data["rule"], case, id=f"{data['rule']}-{case['id']}")


def run_rule(code: str, case: dict):
    """Findings of one rule on the submission a case describes."""
    prof = profile.load(case.get("profile", "default"))
    module = MODULES[code]
    sub = casebook.build(case)
    params = prof.params(code)
    params.update(case.get("params") or {})
    hits = module.check(sub, params)
    return engine.stamp(module.RULE, hits, sub, prof.severity(code))


@pytest.mark.parametrize(("code", "case"), list(_cases()))
def test_rule_case(code, case):
    found = run_rule(code, case)
    shown = found[["field", "location", "value", "message_zh"]].to_string() if len(found) else "(none)"
    assert len(found) == case["fires"], f"expected {case['fires']} findings, got:\n{shown}"
    assert (found["rule"] == code).all()
    for want in case.get("expect") or ():
        matches = found
        for col, val in want.items():
            col_values = matches[col].astype(str)
            matches = matches[col_values.str.contains(str(val), regex=False) if isinstance(val, str) else col_values == str(val)]
        assert len(matches), f"no finding matching {want} in:\n{shown}"
