"""TL301 copy-paste-fields — 同一指标的几个栏目内容相同（复制粘贴）.

Each column of an indicator row says something different: 三级指标 names the
measure, 绩效指标描述 explains it, 指标值 gives the target (sign, number,
unit) and 指标值确定依据 says where the target comes from.  When two or more
of them hold the same text — after normalisation (punctuation, spaces, a
final 。), or near-identical (character-bigram similarity ≥ ``similarity``) —
the unit pasted one sentence into every column and the row says nothing.  For
指标值 only the text left after its leading value (``≥0.9`` …) is compared.
Texts shorter than ``min_length`` characters (``是``, ``/``) and empty cells
are never counted as copies.
"""

from __future__ import annotations

from itertools import combinations

import pandas as pd

from targetlint.rule import Rule, Severity
from targetlint.rules._grammar import grammar
from targetlint.rules._memo import map_distinct
from targetlint.rules._text import has_cjk, normalize, similar
from targetlint.submission import field_label

FIELDS = ("level3", "description", "value", "basis")

RULE = Rule(
    code="TL301",
    name="copy-paste-fields",
    severity=Severity.ERROR,
    frame="indicators",
    field="value",
    summary={"zh": "三级指标、指标描述、指标值、确定依据互相复制", "en": "Indicator columns are copies of each other"},
    message={"zh": "{fields_zh}内容相同或几乎相同（复制粘贴）", "en": "{fields_en} hold the same or nearly the same text (copy-paste)"},
    suggestion={
        "zh": "分栏填写：三级指标写指标名称，绩效指标描述写口径，指标值只写“符号+数值+单位”，确定依据写计划/行业/历史/其他标准或文件",
        "en": "Fill each column for its purpose: a name, a description, a value (sign, number, unit), and a basis (a standard or a document)",
    },
    params={"similarity": 0.85, "min_length": 2},
    needs=("level3",),
    source="财预〔2015〕88号附件《项目支出绩效目标申报表》填报说明：各栏分别填写指标名称、指标说明、指标值及其确定依据",
    bad={"indicators": [{"level3": "确保全镇道路畅通", "description": "确保全镇道路畅通", "value": "≥0.9确保全镇道路畅通", "basis": "确保全镇道路畅通"}]},
    good={"indicators": [{"level3": "道路养护里程", "description": "全年完成日常养护的乡村道路里程", "value": "≥120公里", "basis": "计划标准"}]},
)


def _copied(texts: dict[str, str], threshold: float) -> list[str]:
    """Fields (in column order) that equal or nearly equal another field of the row."""
    hit: set[str] = set()
    for (fa, a), (fb, b) in combinations(texts.items(), 2):
        if a == b or similar(a, b, threshold) >= threshold:
            hit.update((fa, fb))
    return [f for f in FIELDS if f in hit]


def check(sub, params) -> pd.DataFrame:
    ind = sub.indicators
    g = grammar(params.get("vocab"))
    names = [f for f in FIELDS if f in ind and f != "value"]
    cols = [map_distinct(ind[f], normalize).tolist() for f in names]
    if "value" in ind:
        # 指标值 counts without its leading value; a value buried in prose counts whole.
        names.append("value")
        cols.append(map_distinct(ind["value"], lambda t: normalize(v.text if has_cjk((v := g.parse(t)).prefix) else v.residue)).tolist())
    rows, seen = {}, {}  # rows repeat across the files of a run: judge each distinct row once
    for label, texts in zip(ind.index, zip(*cols)):
        if texts not in seen:
            kept = {f: t for f, t in zip(names, texts) if isinstance(t, str) and len(t) >= params.min_length}
            seen[texts] = _copied(kept, params.similarity) if len(kept) >= 2 else []
        if seen[texts]:
            rows[label] = seen[texts]
    if not len(rows):  # no hits: no frame to build
        return pd.DataFrame()
    return pd.DataFrame(
        {
            "field": ["value" if "value" in fs else fs[0] for fs in rows.values()],
            "fields_zh": ["、".join(field_label(f, "zh") for f in fs) for fs in rows.values()],
            "fields_en": [", ".join(field_label(f, "en") for f in fs) for fs in rows.values()],
        },
        index=list(rows),
    )
