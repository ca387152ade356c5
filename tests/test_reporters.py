"""Golden tests of the text and JSON reporters on a hand-built RunResult.

The run holds one checked file (TL101 findings from ``engine.run`` plus a
warning and a department-level info from test-local rules, stamped by the
engine), one unreadable file and one clean file.  Test-local rules keep the
golden text independent of rules still being written.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from targetlint import casebook, engine, reporters
from targetlint import findings as F
from targetlint.errors import LoadError
from targetlint.profile import Profile
from targetlint.reporters import json_report, text
from targetlint.result import FileResult, RunResult
from targetlint.rule import Rule, Severity

PROSE = Rule(
    code="TL991",
    name="test-prose",
    severity=Severity.WARNING,
    frame="indicators",
    field="value",
    summary={"zh": "测试", "en": "test"},
    message={"zh": "指标值“{value}”后夹带文字", "en": "the value “{value}” carries prose"},
    suggestion={"zh": "建议改为“{suggest}”", "en": "use “{suggest}”"},
)
RESIDUE = Rule(
    code="TL992",
    name="test-residue",
    severity=Severity.INFO,
    frame="department",
    field="text",
    summary={"zh": "测试", "en": "test"},
    message={"zh": "残留域代码 [bold]TC[/bold]", "en": "field-code residue [bold]TC[/bold]"},
)


def build_run() -> RunResult:
    """Two projects with TL101 errors, prose warnings, a department info; a bad and a clean file."""
    case = {
        "projects": [
            {"budget_total": "38.34", "budget_fiscal": "30", "budget_other": "5"},
            {"project_code": "914-0102-YQN-FGM4", "project_name": "党组织活动经费",
             "budget_total": "10", "budget_fiscal": "8", "budget_other": ""},
        ],
        "department": ["一、总体绩效目标 TC 总体绩效目标 \\f A \\l 1"],
    }
    sub = casebook.build(case, path="各镇/开元镇.xlsx")
    prof = Profile(name="test", rules={"TL101": {"enabled": True, "params": {}}})
    found, status = engine.run(sub, prof)
    # indicator rows 0 (project 0) and 7 (project 1, its second indicator)
    prose = engine.stamp(PROSE, pd.DataFrame({"suggest": ["≥360人次", ""]}, index=[0, 7]), sub, "warning")
    residue = engine.stamp(RESIDUE, pd.DataFrame(index=[0]), sub, "info")
    merged = F.sort(pd.concat([found, prose, residue], ignore_index=True))
    clean = casebook.build({}, path="各镇/东城镇.xlsx")
    return RunResult(
        files=[
            FileResult(sub.path, submission=sub, findings=merged, rule_status=status),
            FileResult("各镇/坏.xlsx", error=LoadError("not-a-workbook", "各镇/坏.xlsx", "zip 头损坏", "bad zip header")),
            FileResult(clean.path, submission=clean, findings=F.empty(), rule_status=engine.RuleStatus(ran=["TL101"])),
        ],
        profile="test",
    )


@pytest.fixture(scope="module")
def run() -> RunResult:
    return build_run()


GOLDEN_ZH = """\
各镇/开元镇.xlsx  (case · 913005东城镇人民政府 · 2 个项目 · 12 条指标)
  部门整体及文件
    提示 TL992 d0              部门整体绩效目标 残留域代码 [bold]TC[/bold]
  项目 913-0201-ABC-1K2M 村级干部培训经费
    错误 TL101 p0.budget_total 预算数           预算数 38.34 ≠ 财政资金 30 + 其他资金 5（相差 3.34）
                                                → 核对金额：预算数应为 35
    警告 TL991 p0.i0.value     指标值           指标值“≥360人次”后夹带文字
                                                → 建议改为“≥360人次”
  项目 914-0102-YQN-FGM4 党组织活动经费
    错误 TL101 p1.budget_total 预算数           预算数 10 ≠ 财政资金 8 + 其他资金 0（相差 2）
                                                → 核对金额：预算数应为 8
    警告 TL991 p1.i1.value     指标值           指标值“≥95%”后夹带文字

无法读取  各镇/坏.xlsx: 不是有效的表格文件（zip 头损坏） [not-a-workbook]

各镇/东城镇.xlsx  (case · 913005东城镇人民政府 · 1 个项目 · 6 条指标)
  未发现问题

共检查 3 个文件：错误 2，警告 2，提示 1，无法读取 1
"""

GOLDEN_EN = """\
各镇/开元镇.xlsx  (case · 913005东城镇人民政府 · projects: 2 · indicators: 12)
  Department and file
    info    TL992 d0              department-wide    field-code residue [bold]TC[/bold]
                                  targets
  Project 913-0201-ABC-1K2M 村级干部培训经费
    error   TL101 p0.budget_total total budget       Total budget 38.34 ≠ fiscal funds 30 + other
                                                     funds 5 (difference 3.34)
                                                     → Check the amounts: the total should be 35
    warning TL991 p0.i0.value     target value       the value “≥360人次” carries prose
                                                     → use “≥360人次”
  Project 914-0102-YQN-FGM4 党组织活动经费
    error   TL101 p1.budget_total total budget       Total budget 10 ≠ fiscal funds 8 + other funds
                                                     0 (difference 2)
                                                     → Check the amounts: the total should be 8
    warning TL991 p1.i1.value     target value       the value “≥95%” carries prose

unreadable  各镇/坏.xlsx: not a valid workbook (bad zip header) [not-a-workbook]

各镇/东城镇.xlsx  (case · 913005东城镇人民政府 · projects: 1 · indicators: 6)
  no findings

3 files checked — errors: 2, warnings: 2, info: 1, unreadable: 1
"""


def test_text_golden_zh(run):
    assert text.render(run, lang="zh", width=100) == GOLDEN_ZH


def test_text_golden_en(run):
    assert text.render(run, lang="en", width=100) == GOLDEN_EN


def test_text_cjk_columns_line_up(run):
    """The message column starts at the same display cell on every finding line of a file."""
    from rich.cells import cell_len

    lines = text.render(run, lang="zh", width=100).splitlines()
    starts = {cell_len(line[: line.index(m)]) for line in lines for m in ("残留域代码", "预算数 38", "预算数 10", "指标值“", "→ ") if m in line}
    assert len([line for line in lines if "TL" in line]) == 5
    assert len(starts) == 1


def test_text_colour_only_when_asked(run):
    plain = text.render(run, width=100)
    coloured = text.render(run, color=True, width=100)
    assert "\x1b[" not in plain
    assert "\x1b[" in coloured and "\x1b[1;31m错误" in coloured


def test_text_deterministic(run):
    assert text.render(run, width=100) == text.render(build_run(), width=100)


def test_text_without_files():
    out = text.render(RunResult(files=[], profile="default"), width=100)
    assert out == "\n共检查 0 个文件：错误 0，警告 0，提示 0，无法读取 0\n"


@pytest.fixture(scope="module")
def doc(run) -> dict:
    return json.loads(json_report.render(run, lang="zh"))


FINDING_KEYS = {"rule", "severity", "unit", "project_code", "project_name", "field", "location", "value", "message", "suggestion"}
FILE_KEYS = {"path", "layout", "status", "error", "units", "projects", "indicators", "findings", "rules"}


def test_json_top_level(doc):
    assert set(doc) == {"targetlint", "profile", "files", "summary"}
    assert doc["targetlint"] == "0.1.0" and doc["profile"] == "test"
    assert doc["summary"] == {"files": 3, "errors": 2, "warnings": 2, "infos": 1, "unreadable": 1, "baselined": 0}
    assert [f["path"] for f in doc["files"]] == ["各镇/开元镇.xlsx", "各镇/坏.xlsx", "各镇/东城镇.xlsx"]


def test_json_checked_file(doc):
    f = doc["files"][0]
    assert set(f) == FILE_KEYS
    assert (f["layout"], f["status"], f["error"]) == ("case", "ok", None)
    assert (f["units"], f["projects"], f["indicators"]) == (["913005东城镇人民政府"], 2, 12)
    assert f["rules"]["ran"] == ["TL101"] and f["rules"]["skipped"] == [] and f["rules"]["failed"] == {}
    assert all(set(x) == FINDING_KEYS for x in f["findings"])
    assert [(x["rule"], x["severity"], x["project_code"]) for x in f["findings"]] == [
        ("TL992", "info", None),
        ("TL101", "error", "913-0201-ABC-1K2M"),
        ("TL991", "warning", "913-0201-ABC-1K2M"),
        ("TL101", "error", "914-0102-YQN-FGM4"),
        ("TL991", "warning", "914-0102-YQN-FGM4"),
    ]


def test_json_finding_values(doc):
    dept, budget, prose, _, quiet = doc["files"][0]["findings"]
    assert dept["project_name"] is None and dept["field"] == "text" and dept["suggestion"] is None
    assert budget == {
        "rule": "TL101",
        "severity": "error",
        "unit": "913005东城镇人民政府",
        "project_code": "913-0201-ABC-1K2M",
        "project_name": "村级干部培训经费",
        "field": "budget_total",
        "location": "p0.budget_total",
        "value": "38.34",
        "message": "预算数 38.34 ≠ 财政资金 30 + 其他资金 5（相差 3.34）",
        "suggestion": "核对金额：预算数应为 35",
    }
    assert prose["value"] == "≥360人次" and prose["suggestion"] == "建议改为“≥360人次”"
    assert quiet["suggestion"] is None  # an empty `suggest` means no suggestion, not an empty one


def test_json_unreadable_file(doc):
    bad = doc["files"][1]
    assert set(bad) == FILE_KEYS
    assert bad["status"] == "error"
    assert bad["error"] == {"code": "not-a-workbook", "message": "各镇/坏.xlsx: 不是有效的表格文件（zip 头损坏） [not-a-workbook]"}
    assert bad["findings"] == []
    assert all(bad[k] is None for k in ("layout", "units", "projects", "indicators", "rules"))


def test_json_clean_file(doc):
    clean = doc["files"][2]
    assert clean["findings"] == [] and clean["status"] == "ok" and clean["projects"] == 1


def test_json_english(run):
    doc = json.loads(json_report.render(run, lang="en"))
    budget = doc["files"][0]["findings"][1]
    assert budget["message"] == "Total budget 38.34 ≠ fiscal funds 30 + other funds 5 (difference 3.34)"
    assert budget["suggestion"] == "Check the amounts: the total should be 35"
    assert doc["files"][1]["error"]["message"] == "各镇/坏.xlsx: not a valid workbook (bad zip header) [not-a-workbook]"


def test_json_text_is_utf8_and_indented(run):
    raw = json_report.render(run)
    assert "村级干部培训经费" in raw and "\\u" not in raw
    assert raw.startswith('{\n  "targetlint": ') and raw.endswith("}\n")
    assert raw == json_report.render(build_run())


def test_dispatch_drops_text_only_options(run):
    assert reporters.render("json", run, "zh", color=True, width=40) == json_report.render(run, "zh")
    assert reporters.render("text", run, "en", color=False, width=100) == GOLDEN_EN


def test_wrap_breaks_between_cjk_characters_within_width():
    from rich.cells import cell_len

    message = "资金支出计划（3月底、6月底、10月底、12月底）全部未填写，请按预计支出进度填写累计百分比"
    lines = text.wrap(message, 30)
    assert "".join(lines) == message
    assert len(lines) > 1 and all(cell_len(line) <= 30 for line in lines)


def test_wrap_keeps_punctuation_and_latin_words_together():
    lines = text.wrap("甲乙丙丁戊己庚辛壬癸，子丑寅卯 fiscal funds “≥90%”", 20)
    assert not any(line[:1] in "，。、）”" for line in lines)  # no closing punctuation at a line start
    assert not any(line.endswith("“") for line in lines)  # no opening quote at a line end
    assert "fiscal" in " ".join(lines).split() and "funds" in " ".join(lines).split()
