"""The shared value grammar: a table of cells and what they parse to, and a fuzz proving it never raises."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from targetlint.rules import _grammar as G

# text, kind, sign, numbers, unit, residue
TABLE = [
    ("≥95%", "quantitative", "≥", ["95"], "%", ""),
    ("=21个", "quantitative", "=", ["21"], "个", ""),
    ("≤350元/人次", "quantitative", "≤", ["350"], "元/人次", ""),
    ("≤650元/生·年", "quantitative", "≤", ["650"], "元/生·年", ""),
    ("≥1500元/人·月", "quantitative", "≥", ["1500"], "元/人·月", ""),
    ("≤28.8万元", "quantitative", "≤", ["28.8"], "万元", ""),
    ("≥1.2万人次", "quantitative", "≥", ["1.2"], "万人次", ""),
    ("100%", "quantitative", None, ["100"], "%", ""),
    ("21", "quantitative", None, ["21"], None, ""),
    ("≥0.9", "quantitative", "≥", ["0.9"], None, ""),
    ("＞＝９０％", "quantitative", "≥", ["90"], "%", ""),
    ("≧ 90 ％", "quantitative", "≥", ["90"], "%", ""),
    ("⩽5天", "quantitative", "≤", ["5"], "天", ""),
    (">=98%", "quantitative", "≥", ["98"], "%", ""),
    ("＜3次", "quantitative", "<", ["3"], "次", ""),
    ("1,200万元", "quantitative", None, ["1200"], "万元", ""),
    ("不低于90%", "quantitative", "≥", ["90"], "%", ""),
    ("不少于500亩", "quantitative", "≥", ["500"], "亩", ""),
    ("不超过3个工作日", "quantitative", "≤", ["3"], "个工作日", ""),
    ("不高于2%", "quantitative", "≤", ["2"], "%", ""),
    ("达到95%", "quantitative", "≥", ["95"], "%", ""),
    ("大于10公里", "quantitative", ">", ["10"], "公里", ""),
    ("低于0.5‰", "quantitative", "<", ["0.5"], "‰", ""),
    ("90%以上", "quantitative", "≥", ["90"], "%", ""),
    ("50万元以内", "quantitative", "≤", ["50"], "万元", ""),
    ("5个工作日内", "quantitative", "≤", ["5"], "个工作日", ""),
    ("3%以下", "quantitative", "≤", ["3"], "%", ""),
    ("控制在350元/人次以内", "quantitative", "≤", ["350"], "元/人次", ""),
    ("≥3个百分点", "quantitative", "≥", ["3"], "个百分点", ""),
    ("≥120平方米", "quantitative", "≥", ["120"], "平方米", ""),
    ("=2.5公顷", "quantitative", "=", ["2.5"], "公顷", ""),
    ("≥80分", "quantitative", "≥", ["80"], "分", ""),
    ("≥300吨", "quantitative", "≥", ["300"], "吨", ""),
    ("≥1.5万立方米", "quantitative", "≥", ["1.5"], "万立方米", ""),
    ("≥65周岁", "quantitative", "≥", ["65"], "周岁", ""),
    ("90~95%", "range", None, ["90", "95"], "%", ""),
    ("90-95%", "range", None, ["90", "95"], "%", ""),
    ("90至95%", "range", None, ["90", "95"], "%", ""),
    ("90%～95%", "range", None, ["90", "95"], "%", ""),
    ("0.85~0.95", "range", None, ["0.85", "0.95"], None, ""),
    ("2020年12月31日前", "date", None, [], None, ""),
    ("2020年底前", "date", None, [], None, ""),
    ("2021年11月30日前", "date", None, [], None, ""),
    ("年内", "date", None, [], None, ""),
    ("第四季度", "date", None, [], None, ""),
    ("2023.07-2024.01", "date", None, [], None, ""),
    ("12月底前", "date", None, [], None, ""),
    ("2021年1-12月", "date", None, [], None, ""),
    ("2021年6月底前完成", "date", None, [], None, ""),
    ("2020-2021年", "date", None, [], None, ""),
    ("好", "grade", None, [], None, ""),
    ("较好", "grade", None, [], None, ""),
    ("达到预期", "grade", None, [], None, ""),
    ("明显提升", "grade", None, [], None, ""),
    ("达成预期指标。", "grade", None, [], None, "。"),
    ("100%完成", "grade", None, [], None, ""),
    # prose after a value: the residue
    ("≥0.9年初该项经费下达后，我镇及时拨付", "quantitative", "≥", ["0.9"], None, "年初该项经费下达后,我镇及时拨付"),
    ("≥0.9严格按照上级要求发放。", "quantitative", "≥", ["0.9"], None, "严格按照上级要求发放。"),
    ("21个村委会", "quantitative", None, ["21"], "个", "村委会"),
    ("≥35户，由镇村核实", "quantitative", "≥", ["35"], "户", ",由镇村核实"),
    ("好，群众满意", "grade", None, [], None, ",群众满意"),
    ("2021年10月底前完成全部硬化", "date", None, [], None, "全部硬化"),
    ("5万群众受益", "quantitative", None, ["5"], "万", "群众受益"),
    # nothing of the grammar
    ("提升", "none", None, [], None, "提升"),
    ("影响长远", "none", None, [], None, "影响长远"),
    ("进一步改善农村人居环境", "none", None, [], None, "进一步改善农村人居环境"),
    ("好评如潮", "none", None, [], None, "好评如潮"),
    ("", "empty", None, [], None, ""),
    ("   ", "empty", None, [], None, ""),
    ("—", "empty", None, [], None, "-"),
    ("/", "empty", None, [], None, "/"),
    (None, "absent", None, [], None, ""),
]


@pytest.mark.parametrize(("text", "kind", "sign", "numbers", "unit", "residue"), TABLE, ids=[repr(t[0]) for t in TABLE])
def test_table(text, kind, sign, numbers, unit, residue):
    v = G.parse(text)
    assert (v.kind, v.sign, [str(n) for n in v.numbers], v.unit, v.residue) == (kind, sign, numbers, unit, residue)


@pytest.mark.parametrize(
    ("text", "prefix", "canonical"),
    [
        ("满意度≥90%", "满意度", "≥90%"),
        ("入学率达到98%以上", "入学率", "≥98%"),
        ("拨付给21个村委会", "拨付给", "21个"),
        ("目标值：不低于85%", "目标值:", "≥85%"),
    ],
)
def test_value_inside_prose_is_found_with_its_prefix(text, prefix, canonical):
    v = G.parse(text)
    assert v.prefix == prefix and v.canonical() == canonical and v.has_prose


def test_unit_kinds_and_years():
    assert G.parse("≤28.8万元").unit_kind == "money"
    assert G.parse("≥1.2万人次").unit_kind == "count"
    assert G.parse("90%以上").unit_kind == "percent"
    assert G.parse("≤5个工作日").unit_kind == "time"
    assert G.parse("2023.07-2024.01").years == (2023, 2024)
    assert G.parse("2020年12月31日前").years == (2020,)


@pytest.mark.parametrize(
    ("text", "percent"),
    [("≥0.9", "≥90%"), ("0.955", "95.5%"), ("=1", "=100%"), ("0.85~0.95", "85~95%"), ("≥90", None), ("≥0.9%", None),
     ("好", None), ("=0", None), ("≤1", None)],
)
def test_as_percent(text, percent):
    assert G.as_percent(G.parse(text)) == percent


def test_fmt_drops_noise_zeros():
    assert G.fmt(Decimal("90.0")) == "90" and G.fmt(Decimal("0.950")) == "0.95" and G.fmt(Decimal("1E+2")) == "100"


def test_parse_series_keeps_index_and_caches():
    s = pd.Series(["≥95%", None, "≥95%", "提升"], index=[10, 11, 12, 13])
    out = G.parse_series(s)
    assert list(out.index) == [10, 11, 12, 13]
    assert [v.kind for v in out] == ["quantitative", "absent", "quantitative", "none"]
    assert out[10] is out[12]  # one parse per distinct text


def test_profile_vocabulary_extends_the_grammar():
    vocab = {"words": {"grade_words": ["优秀", "圆满完成"]}}
    assert G.parse("圆满完成", vocab).kind == "grade"
    assert G.parse("圆满完成").kind == "none"
    assert G.parse("好", vocab).kind == "none"  # the profile replaced the grade list
    assert G.parse("≥95%", vocab).kind == "quantitative"  # other keys fall back to the shipped list


def test_rate_and_satisfaction_masks():
    ind = pd.DataFrame(
        {
            "level1": ["产出指标", "产出指标", "满意度指标", "满意度指标", "产出指标"],
            "level2": ["质量指标", "数量指标", "服务对象满意度指标", "服务对象满意度指标", "数量指标"],
            "level3": ["疫苗接种率（%）", "严格发放补贴，确保村民满意", "群众满意", "有效投诉次数", "培训人次"],
        }
    )
    assert list(G.rate_mask(ind)) == [True, False, True, False, False]
    assert list(G.satisfaction_mask(ind)) == [False, False, True, False, False]


_chars = st.sampled_from(list("≥≤=<>＞＝％%~-至到.,，。0123456789万元人次个年月日底前内以上下年初群众满意度好达到预期第四季度/·每 \t\n")) | st.characters()


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.none(), st.text(_chars, max_size=80), st.text(max_size=30), st.integers(), st.floats()))
def test_parse_never_raises(text):
    v = G.parse(text)
    assert v.kind in G.KINDS
    if v.kind in ("quantitative", "range", "date", "grade"):
        assert v.prefix + v.matched + v.residue == v.text
        assert isinstance(v.canonical(), str)
    G.as_percent(v)


@pytest.mark.parametrize("text", ["😀≥95%🎉", "≥" * 10_000, "9" * 10_000 + "%", "年初" * 5_000, "\x00\ud7ff≥0.9", "≥0.9" + "字" * 10_000])
def test_hostile_inputs(text):
    v = G.parse(text)
    assert v.kind in G.KINDS


@pytest.mark.parametrize(
    ("text", "canonical", "unit"),
    [
        ("每月1次", "1次/月", "次/月"),
        ("≥3000余人", "≥3000人", "人"),
        ("3000余人", ">3000人", "人"),
        ("约500人", "≈500人", "人"),
        ("500人左右", "≈500人", "人"),
        ("增长10%", "增长10%", "%"),
        ("提高5个百分点", "提高5个百分点", "个百分点"),
        ("全年不少于360人次", "全年≥360人次", "人次"),
        ("新增500亩", "新增500亩", "亩"),
        ("95%（含）以上", "≥95%", "%"),
        ("0起", "0起", "起"),
    ],
)
def test_common_real_world_quantities_carry_no_prose(text, canonical, unit):
    v = G.parse(text)
    assert v.kind == "quantitative" and not v.has_prose
    assert (v.canonical(), v.unit) == (canonical, unit)


def test_missing_markers_are_absent():
    assert G.parse(pd.NA).kind == "absent" and G.parse(float("nan")).kind == "absent"
    assert G.normalize(pd.NA) == "" and G.parse(["≥90%"]).kind in G.KINDS
