"""Profiles: shipped ones load, ``extends:`` chains merge, bad ones are refused by name.

A bureau writes its own profile; every mistake it can make must be refused at
load time with a message naming the profile, the rule and the key (spec
``rules.md``, "Profiles"), and the command line must turn that into exit 2.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from targetlint import cli
from targetlint import profile as profiles
from targetlint.rules import ALL

CODES = [m.RULE.code for m in ALL]


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", profiles.builtin_names())
def test_every_shipped_profile_loads_and_names_known_rules(name):
    prof = profiles.load(name)
    assert set(prof.rules) <= set(CODES)
    assert prof.modules(), "a shipped profile runs rules"
    for code in prof.rules:
        assert prof.severity(code) in ("error", "warning", "info")
        prof.params(code)  # every parameter resolves


def test_shipped_names_include_default_and_hebei():
    assert {"default", "hebei-2020"} <= set(profiles.builtin_names())


def test_bureau_profile_extends_a_shipped_one(tmp_path):
    path = write(tmp_path, "我局.yaml", """
name: 我局2021
extends: hebei-2020
rules:
  TL101: {params: {tolerance: 1}}
  TL206: {severity: info, params: {min_indicators: 5}}
  TL314: false
""")
    prof = profiles.load(str(path))
    assert prof.name == "我局2021"
    assert prof.severity("TL103") == "error"  # from hebei-2020
    assert prof.params("TL101").tolerance == 1  # an int is accepted for a float
    assert (prof.severity("TL206"), prof.params("TL206").min_indicators) == ("info", 5)
    assert not prof.enabled("TL314") and "TL314" not in [m.RULE.code for m in prof.modules()]
    assert prof.vocab["taxonomy"]["required"], "vocabularies are inherited"


def test_relative_extends_and_vocab_follow_the_profile_file(tmp_path, monkeypatch):
    write(tmp_path, "base/基础.yaml", "extends: default\nrules:\n  TL206: {params: {min_indicators: 4}}\n")
    write(tmp_path, "bureau/words.yaml", "vague_words: [大概, 左右]\n")
    child = write(tmp_path, "bureau/child.yaml", "extends: ../base/基础.yaml\nvocab:\n  words: words.yaml\n")
    monkeypatch.chdir(tmp_path.parent)  # resolution must not depend on the working folder
    prof = profiles.load(str(child))
    assert prof.params("TL206").min_indicators == 4
    assert prof.vocab["words"] == {"vague_words": ["大概", "左右"]}


BROKEN = [
    # (profile text, the key the message must name)
    ("rules:\n  TL999: {}\n", "TL999"),
    ("rules:\n  TL101: {params: {tolerence: 0.01}}\n", "tolerence"),
    ("rules:\n  TL101: {params: {tolerance: '0.01'}}\n", "tolerance"),
    ("rules:\n  TL206: {params: {min_indicators: 2.5}}\n", "min_indicators"),
    ("rules:\n  TL003: {params: {require_indicators: 1}}\n", "require_indicators"),
    ("rules:\n  TL103: {params: {blank_marks: [1, 2]}}\n", "blank_marks"),
    ("rules:\n  TL103: {params: {blank_marks: '-'}}\n", "blank_marks"),
    ("rules:\n  TL101: {severity: fatal}\n", "severity"),
    ("rules:\n  TL101: {enabled: 'yes'}\n", "enabled"),
    ("rules:\n  TL101: {level: error}\n", "level"),
    ("rules:\n  TL101: {params: [tolerance]}\n", "params"),
    ("rules:\n  TL101: error\n", "TL101"),
]


@pytest.mark.parametrize(("text", "key"), BROKEN, ids=[k for _, k in BROKEN])
def test_broken_profile_names_profile_rule_and_key(tmp_path, text, key):
    path = write(tmp_path, "坏配置.yaml", text)
    with pytest.raises(profiles.ProfileError) as err:
        profiles.load(str(path))
    message = str(err.value)
    code = text.split("\n")[1].strip().split(":")[0]
    assert str(path) in message and code in message and key in message


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("rule:\n  TL101: {}\n", "rule"),
        ("rules: [TL101]\n", "rules"),
        ("extends: [default]\n", "extends"),
        ("- TL101\n", "mapping"),
        ("rules: {TL101: {}\n", "cannot be read"),
        ("extends: no-such-profile\n", "no-such-profile"),
        ("vocab:\n  words: {vage_words: [大概]}\n", "vage_words"),
        ("vocab:\n  words: {vague_words: 大概}\n", "vague_words"),
        ("vocab:\n  taxonomy: missing.yaml\n", "missing.yaml"),
    ],
)
def test_broken_profile_structure_is_refused(tmp_path, text, key):
    if "vocab" in text:
        text = "extends: default\n" + text
    path = write(tmp_path, "bad.yaml", text)
    with pytest.raises(profiles.ProfileError) as err:
        profiles.load(str(path))
    assert str(path) in str(err.value) and key in str(err.value)


def test_extends_loop_is_refused(tmp_path):
    write(tmp_path, "a.yaml", "extends: b.yaml\n")
    write(tmp_path, "b.yaml", "extends: a.yaml\n")
    with pytest.raises(profiles.ProfileError, match="extends"):
        profiles.load(str(tmp_path / "a.yaml"))


def test_error_in_a_parent_names_the_parent(tmp_path):
    parent = write(tmp_path, "parent.yaml", "rules:\n  TL206: {params: {min_indicators: many}}\n")
    child = write(tmp_path, "child.yaml", "extends: parent.yaml\n")
    with pytest.raises(profiles.ProfileError) as err:
        profiles.load(str(child))
    assert str(parent) in str(err.value) and "TL206" in str(err.value) and "min_indicators" in str(err.value)


@pytest.mark.parametrize("command", [["check", "."], ["rules"], ["explain", "TL101"]])
def test_broken_profile_exits_2_on_every_command(tmp_path, command):
    path = write(tmp_path, "坏配置.yaml", "extends: default\nrules:\n  TL206: {params: {min_indicators: 三}}\n")
    result = CliRunner().invoke(cli.cli, [*command, "--profile", str(path)])
    assert result.exit_code == 2 and result.stdout == ""
    assert str(path) in result.stderr and "TL206" in result.stderr and "min_indicators" in result.stderr


@pytest.mark.parametrize(
    ("selector", "codes", "explicit"),
    [
        ("TL304", ["TL304"], True),
        ("tl304", ["TL304"], True),
        ("value-with-prose", ["TL304"], True),
        ("TL10", [c for c in CODES if c.startswith("TL10")], False),
        ("TL3", [c for c in CODES if c.startswith("TL3")], False),
        ("TL", CODES, False),
    ],
)
def test_selectors(selector, codes, explicit):
    assert profiles.resolve(selector) == (codes, explicit)


@pytest.mark.parametrize("selector", ["TL999", "TL9", "TL3040", "copy-paste", "", "304"])
def test_unknown_selector_is_named(selector):
    with pytest.raises(profiles.SelectorError) as err:
        profiles.resolve(selector)
    assert repr(selector) in str(err.value)


def test_override_changes_rules_and_severities_not_the_original():
    prof = profiles.load("default")
    narrowed = prof.override({"TL101", "TL304"}, {"TL304": "info"})
    assert [m.RULE.code for m in narrowed.modules()] == ["TL101", "TL304"]
    assert narrowed.severity("TL304") == "info" and narrowed.params("TL101") == prof.params("TL101")
    assert prof.severity("TL304") == "error" and len(prof.modules()) == len(CODES)
