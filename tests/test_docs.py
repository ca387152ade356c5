"""``docs/rules.md`` is generated from the rule catalogue and must never be stale."""

from __future__ import annotations

from pathlib import Path

from targetlint import docs
from targetlint.rules import ALL

PAGE = Path(__file__).resolve().parents[1] / "docs" / "rules.md"


def test_rules_page_is_up_to_date():
    expected = docs.rules_page()
    current = PAGE.read_text(encoding="utf-8") if PAGE.is_file() else ""
    assert current == expected, (
        f"docs/rules.md is stale (a rule's metadata, docstring, examples or the default profile changed): "
        f"regenerate it from the repository root with `{docs.COMMAND}`"
    )


def test_rules_page_documents_every_rule():
    page = docs.rules_page()
    for module in ALL:
        rule = module.RULE
        assert f"\n## {rule.code} {rule.name}\n" in page
        assert f"| [{rule.code}](#{rule.code.lower()}-{rule.name}) | {rule.name} |" in page
    assert page.startswith("<!--") and docs.COMMAND in page.splitlines()[0]


def test_generator_writes_the_file(tmp_path):
    out = tmp_path / "rules.md"
    assert docs.main([str(out)]) == 0
    assert out.read_text(encoding="utf-8") == docs.rules_page()
