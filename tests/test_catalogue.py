"""Every rule in the catalogue is complete: documented, cased, profiled, and its examples behave."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from targetlint import casebook, engine, profile
from targetlint.rule import Rule
from targetlint.rules import ALL

CASES = Path(__file__).parent / "rules" / "cases"
DEFAULT = profile.load("default")
MODULES = pytest.mark.parametrize("module", ALL, ids=lambda m: m.RULE.code)


def _fire(module, example) -> int:
    sub = casebook.build(example)
    hits = module.check(sub, DEFAULT.params(module.RULE.code))
    return len(engine.stamp(module.RULE, hits, sub, "warning"))


def test_codes_are_unique_and_sorted():
    codes = [m.RULE.code for m in ALL]
    assert codes == sorted(set(codes))


@MODULES
def test_rule_metadata_is_complete(module):
    rule: Rule = module.RULE
    assert re.fullmatch(r"TL\d{3}", rule.code)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name)
    assert module.__name__.rsplit(".", 1)[-1].startswith(rule.code.lower() + "_")
    doc = (module.__doc__ or "").strip()
    assert doc.startswith(f"{rule.code} {rule.name}") and len(doc.splitlines()) >= 3, "docstring explains the rule"
    for texts in (rule.summary, rule.message):
        assert texts.get("zh") and texts.get("en"), "zh and en texts"
        assert re.search(r"[\u4e00-\u9fff]", texts["zh"])
    if rule.suggestion:
        assert rule.suggestion.get("zh") and rule.suggestion.get("en")
    assert rule.source, "the document the rule rests on"
    assert rule.frame in ("projects", "indicators", "department", "texts")


@MODULES
def test_rule_has_case_file_firing_and_quiet(module):
    files = list(CASES.glob(f"{module.RULE.code.lower()}_*.yaml"))
    assert len(files) == 1, "one case file per rule"
    cases = yaml.safe_load(files[0].read_text(encoding="utf-8"))["cases"]
    assert any(c["fires"] > 0 for c in cases), "a case that fires"
    assert any(c["fires"] == 0 for c in cases), "a case that stays quiet"


@MODULES
def test_rule_is_in_default_profile(module):
    assert module.RULE.code in DEFAULT.rules


@MODULES
def test_bad_example_fires_and_good_stays_quiet(module):
    rule = module.RULE
    assert rule.bad is not None and rule.good is not None
    assert _fire(module, rule.bad) > 0, "bad example must fire"
    assert _fire(module, rule.good) == 0, "good example must stay quiet"
