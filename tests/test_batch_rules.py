"""Batch rules run once over every file of a run: TL501 across real L1 workbooks."""

from __future__ import annotations

import pandas as pd
import pytest

from targetlint import casebook, runner
from targetlint.layouts import hebei_writer

PROJECTS = [
    {
        "project_name": "农村生活垃圾收运补助",
        "goal": "1、全年清运生活垃圾5400吨以上，18个行政村收运体系覆盖率达到100%；2、无害化处理率不低于95%，村民满意度不低于90%。",
        "indicators": [
            {"level3": "生活垃圾清运量", "value": "≥5400吨"},
            {"level2": "质量指标", "level3": "无害化处理率", "value": "≥95%", "basis": "行业标准"},
            {"level1": "满意度指标", "level2": "服务对象满意度指标", "level3": "村民满意度", "value": "≥90%"},
        ],
    },
    {
        "project_name": "村级干部培训经费",
        "project_code": "913-0201-ABC-1K2N",
    },
]


def _workbook(tmp_path, name: str, unit: str, projects=PROJECTS) -> str:
    sub = casebook.build({"projects": [{**p, "unit": unit} for p in projects], "year": 2021}, path=name)
    return str(hebei_writer.write(sub, tmp_path / name))


def _tl501(result) -> pd.DataFrame:
    found = [f.findings for f in result.files if f.findings is not None and len(f.findings)]
    allf = pd.concat(found, ignore_index=True) if found else pd.DataFrame(columns=["rule"])
    return allf[allf["rule"] == "TL501"]


def test_copy_between_two_units_fires_in_both_files(tmp_path):
    a = _workbook(tmp_path, "北关镇.xlsx", "921003北关镇人民政府")
    b = _workbook(tmp_path, "南关镇.xlsx", "921007南关镇人民政府")
    result = runner.check_paths([str(tmp_path)], "default")
    hits = _tl501(result)
    # both projects of each file were copied: one finding per project, given back to its own file
    assert sorted(hits["file"]) == sorted([a, a, b, b])
    assert (hits["severity"] == "info").all()
    mine = hits[(hits["file"] == a) & (hits["project_name"] == "农村生活垃圾收运补助")]
    assert len(mine) == 1 and "南关镇.xlsx" in mine.iloc[0]["message_zh"] and "第1项「农村生活垃圾收运补助」" in mine.iloc[0]["message_zh"]
    assert mine.iloc[0]["location"] and "!" in mine.iloc[0]["location"]


def test_one_file_alone_is_quiet(tmp_path):
    _workbook(tmp_path, "北关镇.xlsx", "921003北关镇人民政府")
    assert _tl501(runner.check_paths([str(tmp_path)], "default")).empty


def test_own_targets_in_the_second_file_are_quiet(tmp_path):
    _workbook(tmp_path, "北关镇.xlsx", "921003北关镇人民政府", PROJECTS[:1])
    own = {
        "project_name": "中心小学操场改造",
        "goal": "完成南关镇中心小学塑胶操场改造6000平方米，9月开学前投入使用，师生满意度不低于90%。",
        "indicators": [
            {"level3": "操场改造面积", "value": "≥6000平方米"},
            {"level2": "时效指标", "level3": "投入使用时间", "value": "2021年8月31日前"},
        ],
    }
    _workbook(tmp_path, "南关镇.xlsx", "921007南关镇人民政府", [own])
    assert _tl501(runner.check_paths([str(tmp_path)], "default")).empty


@pytest.mark.parametrize("copies", [2, 40])
def test_same_unit_in_two_files_counts_as_copied(tmp_path, copies):
    """A different file is a different submission, even with the same unit (a resubmitted or forked workbook)."""
    for i in range(copies):
        _workbook(tmp_path, f"v{i:02d}.xlsx", "921003北关镇人民政府", PROJECTS[:1])
    hits = _tl501(runner.check_paths([str(tmp_path)], "default"))
    assert len(hits) == copies
    if copies > 3:
        assert hits["message_zh"].str.contains(f"等{copies - 1}个项目").all()


def test_near_copy_found_among_many_unrelated_projects():
    """The MinHash bucketing must not lose a real pair among hundreds of unrelated projects."""
    import random

    from targetlint import profile
    from targetlint.rules import tl501_copied_between_units as tl501
    from targetlint.submission import Submission

    rng = random.Random(7)
    works = ["道路硬化", "机井修复", "校舍维修", "路灯安装", "河道清淤", "公厕改造", "渠道衬砌", "广场建设", "危房改造", "管网铺设"]
    subs = []
    for f in range(40):
        projects = []
        for k in range(12):
            w = rng.sample(works, 3)
            projects.append({
                "unit": f"9{f:05d}第{f}镇", "project_name": f"{w[0]}项目",
                "goal": f"完成{w[0]}{rng.randint(2, 900)}处、{w[1]}{rng.randint(2, 900)}处，{w[2]}验收合格率{rng.randint(80, 100)}%。",
                "indicators": [{"level3": f"{w[0]}数量", "value": f"≥{rng.randint(2, 900)}处"}, {"level3": f"{w[1]}合格率", "value": f"≥{rng.randint(80, 99)}%"}],
            })
        subs.append(Submission.from_records(f"town{f}.xlsx", "case", projects))
    copied = dict(subs[3].projects.iloc[5])
    original = subs[3].indicators[subs[3].indicators["project_key"] == copied["project_key"]]
    twin = {"unit": "999999照抄镇", "project_name": "照抄项目", "goal": copied["goal"].replace("完成", "全年完成"),
            "indicators": [{"level3": r["level3"], "value": r["value"]} for _, r in original.iterrows()]}
    subs.append(Submission.from_records("copier.xlsx", "case", [twin]))
    batch = Submission.concat(subs)
    hits = tl501.check(batch, profile.load("default").params("TL501"))
    found = batch.projects.loc[hits.index]
    assert sorted(found["file"]) == ["copier.xlsx", "town3.xlsx"]
    assert hits.loc[found.index[found["file"] == "town3.xlsx"][0], "others_zh"].startswith("copier.xlsx（999999照抄镇）第1项「照抄项目」")
