"""The pandera models: a sound submission passes; what they reject becomes TL000 findings, never a crash."""

from __future__ import annotations

from targetlint import casebook, schema


def test_sound_submission_has_no_structural_findings():
    sub = casebook.build({"department": ["一、总体绩效目标", "全年完成培训360人次。"]})
    assert schema.validate(sub).empty


def test_violations_become_findings_at_their_cells():
    sub = casebook.build({})
    sub.projects["budget_total"] = sub.projects["budget_total"].astype(object)
    sub.projects.loc[0, "budget_total"] = 12.5  # a number where text is promised
    sub.indicators.loc[1, "value"] = "很" * (schema.MAX_CELL_CHARS + 1)
    sub.indicators.loc[2, "level3_loc"] = None  # a present field without a location
    found = schema.validate(sub)
    assert set(found["rule"]) == {"TL000"}
    by_field = {f: m for f, m in zip(found["field"], found["message_zh"])}
    assert "应为文本" in by_field["budget_total"]
    assert "超过单元格上限" in by_field["value"]
    assert "缺少单元格位置" in by_field["level3"]
    assert found.loc[found["field"] == "value", "location"].item() == "p0.i1.value"


def test_indicator_of_no_project_is_reported():
    sub = casebook.build({})
    sub.indicators.loc[0, "project_key"] = 99
    found = schema.validate(sub)
    assert found["message_en"].str.contains("refers to no project").any()
