"""The rules' and the engine's fast paths give what the plain definitions give.

Rules map each distinct cell once (:func:`~targetlint.rules._memo.map_distinct`,
shared factorisations inside a :func:`~targetlint.rules._memo.session`),
compare texts as bit sets (:func:`~targetlint.rules._text.multisets`), build
the canonical frames and the long text frame as whole arrays, and clear most
texts with a cheap scan before the full pattern (TL001, TL002).  Each test
here compares a shortcut with the slow, obvious definition it replaces.
"""

from __future__ import annotations

import decimal
import random

import numpy as np
import pandas as pd
import pytest

from targetlint import casebook, engine, profile
from targetlint import findings as F
from targetlint.rules import _grammar, _memo, _taxonomy, _text
from targetlint.rules import tl001_field_code_residue as tl001
from targetlint.rules import tl002_template_placeholder as tl002
from targetlint.submission import DEPARTMENT_FIELDS, INDICATOR_FIELDS, PROJECT_FIELDS, Submission

DEFAULT = profile.load("default")
POOL = ["a", "b", "", " ", "≥95%", None, np.nan, 1, 1.0, True, decimal.Decimal("1.0"), decimal.Decimal("1.00"), -0.0, 0.0, [1]]
FUNCTIONS = [
    lambda x: x,
    repr,
    lambda x: isinstance(x, str),
    lambda x: None,
    lambda x: (x, 1),
    lambda x: 1 if x == "a" else 2.5,
]


def _same_series(a: pd.Series, b: pd.Series) -> bool:
    return a.dtype == b.dtype and a.name == b.name and a.index.equals(b.index) and list(map(repr, a)) == list(map(repr, b))


def _columns(seed: int, count: int = 150):
    rng = random.Random(seed)
    for _ in range(count):
        values = [rng.choice(POOL) for _ in range(rng.randint(0, 14))]
        yield pd.Series(values, dtype=object, name="level3", index=range(5, 5 + len(values)))


@pytest.mark.parametrize("small", [True, False], ids=["dict", "factorize"])
def test_map_distinct_is_series_map(small, monkeypatch):
    monkeypatch.setattr(_memo, "_SMALL", 512 if small else -1)
    for series in _columns(1):
        for fn in FUNCTIONS:
            for na_action in (None, "ignore"):
                try:
                    want = series.map(fn, na_action=na_action)
                except TypeError:
                    continue
                assert _same_series(_memo.map_distinct(series, fn, na_action=na_action), want), (list(series), na_action)


def test_map_distinct_of_text_columns_is_series_map():
    texts = pd.Series(["计划标准", "≥95%", "计划标准", None] * 200, dtype="str", name="basis")
    for fn in FUNCTIONS[:4]:
        assert _same_series(_memo.map_distinct(texts, fn), texts.map(fn))


def test_map_objects_keeps_results_as_they_are():
    for series in _columns(2):
        for fn in FUNCTIONS:
            want = pd.Series([fn(v) for v in series.astype(object)], index=series.index, dtype=object)
            got = _memo.map_objects(series, fn)
            assert got.dtype == object and list(map(repr, got)) == list(map(repr, want))


def test_per_row_is_a_row_by_row_call():
    rng = random.Random(3)
    columns = [[rng.choice(["a", "b", None]) for _ in range(300)], [rng.choice([True, False]) for _ in range(300)],
               [rng.choice([2020, 2021, None]) for _ in range(300)]]
    fn = lambda a, b, c: f"{a}|{b}|{c}"  # noqa: E731
    assert _memo.per_row(fn, *columns) == [fn(*row) for row in zip(*columns)]
    assert _memo.per_row(lambda x: repr(x), [[1], [1], "a"]) == ["[1]", "[1]", "'a'"]  # unhashable cells: no memo


def test_a_session_shares_factorisations_and_forgets_them():
    frame = pd.DataFrame({"level3": pd.Series(["a", "b", "a", None] * 300, dtype=object), "x": 1})
    outside = _memo.map_distinct(frame["level3"], str.upper, na_action="ignore")
    with _memo.session():
        first = _memo.map_distinct(frame["level3"], str.upper, na_action="ignore")
        again = _memo.map_distinct(frame["level3"], len, na_action="ignore")
        assert len(_memo._SESSION) == 1  # one factorisation for both calls
        with _memo.session():  # nested: the same session
            assert _same_series(_memo.map_distinct(frame["level3"], str.upper, na_action="ignore"), outside)
    assert _memo._SESSION is None
    assert _same_series(first, outside)
    assert _same_series(again, frame["level3"].map(len, na_action="ignore"))


def _texts(rng: random.Random) -> list[str]:
    alphabet = "ab率达标满意度≥95%=|"
    return ["", "a", "b", "aa", "aaa", "abab"] + ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 25))) for _ in range(400)]


@pytest.mark.parametrize("budget", [_text._BIT_BUDGET, 64], ids=["bits", "mostly-sets"])
def test_dice_of_multisets_is_similarity(budget, monkeypatch):
    monkeypatch.setattr(_text, "_BIT_BUDGET", budget)
    rng = random.Random(4)
    texts = _texts(rng)
    grams = _text.multisets(texts)
    if budget == 64:
        assert any(rest for _, rest, _ in grams), "the rarer bigrams go to the sets"
    for _ in range(4000):
        i, j = rng.randrange(len(texts)), rng.randrange(len(texts))
        if texts[i] and texts[j]:
            assert _text.dice(grams[i], grams[j]) == _text.similarity(texts[i], texts[j])
    assert _text.multisets([]) == []


def _texts_by_definition(sub: Submission) -> pd.DataFrame:
    """The long text frame as first written: a frame per field."""
    parts = []
    for source, df, fields in (("department", sub.department, DEPARTMENT_FIELDS), ("projects", sub.projects, PROJECT_FIELDS),
                               ("indicators", sub.indicators, INDICATOR_FIELDS)):
        for f in fields:
            part = df[df[f].notna() & (df[f].astype(str) != "")]
            if len(part):
                parts.append(pd.DataFrame({
                    "source": source, "row": part.index,
                    "project_key": part["project_key"] if "project_key" in part else -1,
                    "seq": part["seq"] if "seq" in part else -1,
                    "field": f, "text": part[f].astype(str), "loc": part[f"{f}_loc"],
                    "file": part["file"] if "file" in part else sub.path,
                }))
    cols = ["source", "row", "project_key", "seq", "field", "text", "loc", "file"]
    return pd.concat(parts, ignore_index=True)[cols] if parts else pd.DataFrame(columns=cols)


CASE = {
    "projects": [
        {"title": "2021年项目", "goal": "完成XX个村", "budget_total": 12, "indicators": [
            {"level1": "产出指标", "level3": "道路里程", "value": "≥12公里", "basis": " "},
            {"level1": "", "level3": "合格率", "value": 0.95, "value_loc": 7},
        ]},
        {"project_name": "第二个项目", "indicators": []},
    ],
    "department": ["全年完成农村公路养护86公里。", {"text": "二、部门年度绩效目标", "kind": "heading"}],
}


def test_long_texts_and_frames_are_the_plain_definitions():
    sub = casebook.build(CASE)
    assert sub.indicators.loc[1, "value"] == "0.95" and sub.indicators.loc[1, "value_loc"] == "7"  # numbers as text
    assert sub.projects.loc[0, "budget_total"] == "12"
    for s in (sub, Submission.concat([sub, casebook.build(CASE, path="b.xlsx")]), casebook.build({"project": {}})):
        got, want = s.texts, _texts_by_definition(s)
        assert got.equals(want) and list(got.dtypes) == list(want.dtypes)


def _concat_by_definition(subs: list[Submission]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Project keys as first renumbered: a remap per file."""
    projects, indicators, offset = [], [], 0
    for sub in subs:
        remap = {k: k + offset for k in sub.projects["project_key"]}
        projects.append(sub.projects.assign(project_key=sub.projects["project_key"].map(remap)))
        indicators.append(sub.indicators.assign(project_key=sub.indicators["project_key"].map(remap)))
        offset += len(remap)

    def join(frames):
        frames = [f for f in frames if len(f)] or frames[:1]
        return pd.concat(frames, ignore_index=True)

    return join(projects), join(indicators)


def test_concat_renumbers_keys_as_a_remap_per_file_does():
    plain = casebook.build(CASE, path="a.xlsx")
    gappy = casebook.build(CASE, path="c.xlsx")
    gappy.projects = gappy.projects.assign(project_key=gappy.projects["project_key"] * 10)  # not 0…n-1: the slow path
    gappy.indicators = gappy.indicators.assign(project_key=gappy.indicators["project_key"] * 10)
    empty = Submission.from_records("e.xlsx", "case", [])
    for subs in ([plain, casebook.build(CASE, path="b.xlsx")], [plain, gappy], [empty, plain], [empty], [plain]):
        batch = Submission.concat(subs)
        projects, indicators = _concat_by_definition(subs)
        for got, want in ((batch.projects, projects), (batch.indicators, indicators)):
            assert got.equals(want) and list(got.dtypes) == list(want.dtypes)


def test_years_follow_each_rows_own_file_when_files_interleave():
    a = casebook.build({**CASE, "year": 2020}, path="a.xlsx")
    b = casebook.build({**CASE, "year": 2021}, path="b.xlsx")
    batch = Submission.concat([a, b])
    mixed = batch.indicators.iloc[[0, 2, 1, 3]]
    assert batch.year_of(mixed) == [{"a.xlsx": 2020, "b.xlsx": 2021}[f] for f in mixed["file"]]


def test_grammar_and_taxonomy_follow_a_replaced_vocabulary():
    vocab = {"words": {"grade_words": ["好"]}, "taxonomy": dict(DEFAULT.vocab["taxonomy"])}
    assert _grammar.grammar(vocab).parse("好").kind == "grade"
    vocab["words"] = {"grade_words": ["优"]}
    assert _grammar.grammar(vocab).parse("好").kind != "grade" and _grammar.grammar(vocab).parse("优").kind == "grade"
    tax = _taxonomy.Taxonomy.of({"vocab": vocab})
    vocab["taxonomy"] = {**vocab["taxonomy"], "required": ["产出指标"]}
    assert _taxonomy.Taxonomy.of({"vocab": vocab}) is not tax


def test_resolve_fills_blank_level_cells_from_the_row_above():
    ind = pd.DataFrame({"project_key": [0, 0, 0, 1], "level1": pd.Series(["产出指标", " ", None, None], dtype=object),
                        "level2": pd.Series(["数量指标", "", "质量指标", "满意度"], dtype=object)})
    placed = _taxonomy.Taxonomy.of(DEFAULT.params("TL201")).resolve(ind)
    assert placed["l1"].tolist() == ["产出指标", "产出指标", "产出指标", None]
    assert placed["l2"].tolist()[:3] == ["数量指标", "数量指标", "质量指标"]


@pytest.mark.parametrize("text", ["完成ＸＸ个村（示例）", "e\u0301 XX镇", "请填写项目名称", "≥……%", "○○镇"])
def test_template_placeholders_are_found_on_both_paths(text):
    rx, quick = tl002._pattern(DEFAULT.params("TL002"), None), tl002._quick(DEFAULT.params("TL002"))
    assert tl002._finding(text, rx, quick) is not None


@pytest.mark.parametrize("text", ["全年完成12个村道路硬化", "合格率95.5%。", "二○○八年", "3×4米错车平台"])
def test_ordinary_texts_have_no_placeholder(text):
    rx, quick = tl002._pattern(DEFAULT.params("TL002"), None), tl002._quick(DEFAULT.params("TL002"))
    assert tl002._finding(text, rx, quick) is None


@pytest.mark.parametrize("text", ["见附件（error! bookmark not defined.）", "目录 TOC \\o \"1-3\" \\h", "_Toc123456789"])
def test_field_codes_pass_the_cheap_scan(text):
    assert tl001._first(text) is not None


def _findings(path: str, rows: list[tuple]) -> pd.DataFrame:
    data = {c: [None] * len(rows) for c in F.COLUMNS}
    for i, (project, row, rule, loc) in enumerate(rows):
        data["file"][i], data["project_key"][i], data["project_seq"][i] = path, project, project
        data["row_seq"][i], data["field_seq"][i], data["rule"][i], data["location"][i] = row, 3, rule, loc
    return pd.DataFrame(data, dtype=object)


def test_a_groups_findings_are_split_and_sorted_as_each_file_sorts_its_own():
    a, b = casebook.build(CASE, path="a.xlsx"), casebook.build(CASE, path="b.xlsx")
    batch = Submission.concat([a, b])
    found = pd.concat([_findings("b.xlsx", [(2, 1, "TL302", "E4"), (3, -1, "TL101", None)]),
                       _findings("a.xlsx", [(1, 0, "TL305", "E3"), (0, 2, "TL302", "E9"), (0, 2, "TL301", None)]),
                       _findings("b.xlsx", [(2, 0, "TL302", "E2")])], ignore_index=True)
    got = F.split_sorted(found, ["a.xlsx", "b.xlsx"], batch.key_offsets)
    for path in ("a.xlsx", "b.xlsx"):
        part = found[found["file"] == path]
        offset = batch.key_offsets[path]
        want = F.sort(part.assign(project_key=[k - offset for k in part["project_key"]]))
        assert got[path].equals(want.astype(object))


def test_stamp_gives_a_finding_per_hit_on_repeated_and_unusual_row_labels():
    sub = casebook.build(CASE)
    module = next(m for m in engine._rules(DEFAULT, "file") if m.RULE.code == "TL305")
    hits = pd.DataFrame({"matched": ["12", "0.95", "12"]}, index=[0, 1, 0])
    plain = engine.stamp(module.RULE, hits, sub, "warning")
    assert len(plain) == 3 and plain["location"].tolist()[0] == plain["location"].tolist()[2]
    sub.indicators = sub.indicators.set_axis(["x", "y"])  # labels, not positions
    labelled = engine.stamp(module.RULE, hits.set_axis(["x", "y", "x"]), sub, "warning")
    assert labelled.drop(columns="value").equals(plain.drop(columns="value"))
    with pytest.raises(KeyError):  # a label the frame lacks fails the rule, as a selection would
        engine.stamp(module.RULE, hits.set_axis(["x", "z", "x"]), sub, "warning")
