"""TL204 output-dimension-missing — 产出指标维度不全.

Output indicators (产出指标) should cover quantity, quality and timeliness
(数量、质量、时效指标) so that what the money buys, how well and by when can
all be checked afterwards.  Under the older tree (财预〔2015〕88号, 成本指标
a 二级 under 产出) a project with no cost indicator anywhere is also noted;
under the newer tree cost is a 一级 and TL201's concern.  Which dimensions
are expected comes from the profile's taxonomy.  One finding per project
lists everything missing; its severity is the highest of what is missing
(数量/质量: the rule's warning; 时效, 成本: info, parameter ``severities``).
A project with no 产出指标 at all is left to TL201.
"""

from __future__ import annotations

import pandas as pd

from targetlint.rule import Rule, Severity
from targetlint.rules._taxonomy import Taxonomy, anchor

_EN = {"数量": "quantity", "质量": "quality", "时效": "timeliness", "成本": "cost"}
_EXAMPLE = {"数量": "完成数量", "质量": "验收合格率", "时效": "完成时间", "成本": "单位成本"}

RULE = Rule(
    code="TL204",
    name="output-dimension-missing",
    severity=Severity.WARNING,
    frame="texts",
    field="level2",
    summary={"zh": "产出指标缺少数量、质量、时效或成本维度", "en": "Output indicators lack quantity, quality, timeliness or cost"},
    message={"zh": "指标体系缺少{missing_zh}", "en": "Indicators missing for: {missing_en}"},
    suggestion={"zh": "补充{suggest}", "en": "Add: {suggest}"},
    params={"output_level1": "产出指标", "severities": {"时效": "info", "成本": "info"}},
    needs=("level2",),
    source="财预〔2015〕88号附件：产出指标含数量、质量、时效、成本指标；财预〔2021〕101号",
    bad={"indicators": [{"level3": "培训人次", "value": "≥360人次"}, {"level1": "效益指标", "level2": "社会效益指标", "level3": "服务能力", "value": "明显提升"}]},
    good={},
)


def _worst(fams: list[str], severities: dict) -> str | None:
    """The highest severity among the missing families; None = the rule's (profile's) own."""
    rank = lambda f: Severity(severities[f]).rank if f in severities else RULE.severity.rank  # noqa: E731
    top = max(fams, key=rank)
    return severities.get(top)


def check(sub, params) -> pd.DataFrame:
    tax, out = Taxonomy.of(params), params.output_level1
    ind = sub.indicators
    placed = tax.resolve(ind)
    is_out = placed["l1"].eq(out)
    expected = [f for f in tax.children_families(out) if f != "成本"]
    cost_in_output = "成本" in tax.children_families(out)  # the older tree: no 成本 anywhere is noted
    out_fams: dict = {}  # project → the families of its 产出 indicators; all_fams: of all its indicators
    all_fams: dict = {}
    for key, fam, output in zip(ind["project_key"].tolist(), placed["family"].tolist(), is_out.tolist()):
        if key is None or key != key:  # no project (NaN)
            continue
        all_fams.setdefault(key, set()).add(fam)
        if output:
            out_fams.setdefault(key, set()).add(fam)
    at = anchor(sub, ("level2", "level1", "project_name", "title"), rows=placed.index[is_out])
    rows, at = [], at.to_dict()
    for key in sorted(all_fams.keys() & at.keys()):
        missing = [f for f in expected if key in out_fams and f not in out_fams[key]]
        missing += ["成本"] if cost_in_output and "成本" not in all_fams[key] else []
        if missing:
            rows.append((at[key], "、".join(f"{f}指标" for f in missing), ", ".join(_EN.get(f, f) for f in missing),
                         "、".join(f"{f}指标（如{_EXAMPLE[f]}）" if f in _EXAMPLE else f"{f}指标" for f in missing),
                         _worst(missing, params.severities)))
    if not rows:  # no hits: no frame to build
        return pd.DataFrame()
    hits = pd.DataFrame(rows, columns=["row", "missing_zh", "missing_en", "suggest", "severity"])
    return hits.set_index("row").rename_axis(None)
