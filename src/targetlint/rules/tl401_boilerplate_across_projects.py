"""TL401 boilerplate-across-projects — 不同项目的绩效目标或指标雷同.

Each project's targets must describe what that project's money buys
(审核要点“相关性”).  Projects of one submission whose 绩效目标, or whose
set of (三级指标, 指标值) pairs, are the same or near-identical (character-
bigram similarity ≥ ``threshold``, default 0.9, after normalising spaces and
punctuation) were pasted from one another; so were two projects whose goals
*and* indicator sets are both close (each ≥ ``both_threshold``, 0.85: one word
swapped in a short goal, 村民满意 → 群众满意, costs more bigrams than 0.1).  One finding per project, naming
the others by sequence number and name.  Projects are compared within one
file only; comparing across units is TL501.
"""

from __future__ import annotations

import pandas as pd

from targetlint.rule import Rule, Severity
from targetlint.rules._text import dice, indicator_sets, multisets, normalize

RULE = Rule(
    code="TL401",
    name="boilerplate-across-projects",
    severity=Severity.WARNING,
    frame="projects",
    field="goal",
    summary={"zh": "不同项目的绩效目标或指标雷同", "en": "Projects share the same goal or indicators"},
    message={"zh": "与本表其他项目雷同：{detail_zh}", "en": "Boilerplate shared with other projects: {detail_en}"},
    suggestion={"zh": "按本项目的资金用途和预期产出、效益单独编写绩效目标和指标", "en": "Write this project's own goal and indicators from its use of funds and expected outputs"},
    params={"threshold": 0.9, "both_threshold": 0.85, "min_chars": 6, "max_listed": 5},
    source="绩效目标审核“相关性”：绩效目标应与项目资金用途、预期产出和效果相关（财预〔2015〕88号）",
    bad={"projects": [{"project_name": "道路维修经费"}, {"project_name": "办公设备购置", "project_code": "913-0201-ABC-1K2N"}]},
    good={"projects": [{}, {"project_name": "农村饮水安全维护", "project_code": "913-0201-ABC-1K2N", "goal": "维修供水管网12公里，农村自来水供水保证率≥95%，水质达标率100%。",
                            "indicators": [{"level3": "维修管网长度", "value": "≥12公里"}, {"level2": "质量指标", "level3": "水质达标率", "value": "100%"},
                                           {"level1": "满意度指标", "level2": "服务对象满意度指标", "level3": "用水户满意度", "value": "≥85%"}]}]},
)


def _sims(texts: list[str], floor: float, min_chars: int, grams: dict) -> dict[tuple[int, int], float]:
    """Similarity of every pair of texts (i < j) at or above ``floor``; short texts are skipped.

    ``grams`` holds each text's :func:`~targetlint.rules._text.multisets` entry (of its
    normalised form), so a pair costs a few machine words (:func:`~targetlint.rules._text.dice`).
    """
    out = {}
    for i, a in enumerate(texts):
        for j in range(i + 1, len(texts)):
            b = texts[j]
            short, long_ = (len(a), len(b)) if len(a) < len(b) else (len(b), len(a))
            # Dice ≥ f needs a length ratio ≥ f/(2-f): skip hopeless pairs without comparing
            if short < min_chars or short < long_ * floor / (2 - floor):
                continue
            sim = 1.0 if a == b else dice(grams[a], grams[b])
            if sim >= floor:
                out[i, j] = out[j, i] = sim
    return out


def _match(sims: dict, other: dict, i: int, j: int, params) -> bool:
    """Whether i and j match on ``sims``: ≥ threshold alone, or ≥ both_threshold on both measures."""
    a, b = sims.get((i, j), 0.0), other.get((i, j), 0.0)
    return a >= params.threshold or min(a, b) >= params.both_threshold


def _names(labels: list[str], picks: list[int], limit: int, sep: str, more: str) -> str:
    """``第2项「name」、第3项「name」等N个项目`` (``more`` with ``{}`` for the count)."""
    no = "第{}项" if sep == "、" else "no. {}"
    shown = [f"{no.format(i + 1)}「{labels[i]}」" for i in picks[:limit]]
    return sep.join(shown) + (more.format(len(picks)) if len(picks) > limit else "")


def _detail(labels: list[str], goal: list[int], ind: list[int], limit: int) -> tuple[str, str]:
    """What is shared with whom, in zh and en; one list when goal and indicators match the same projects."""
    parts = [("绩效目标和指标", "goal and indicators", goal)] if goal == ind else [
        ("绩效目标", "goal", goal), ("指标", "indicators", ind)]
    zh = "；".join(f"{w}同{_names(labels, js, limit, '、', '等{}个项目')}" for w, _, js in parts if js)
    en = "; ".join(f"same {w} as {_names(labels, js, limit, ', ', ' ({} projects)')}" for _, w, js in parts if js)
    return zh, en


def check(sub, params) -> pd.DataFrame:
    sets = indicator_sets(sub.indicators)
    rows = []
    floor = min(params.threshold, params.both_threshold)
    goals = [normalize(g) for g in sub.projects["goal"].fillna("").tolist()]
    items = [sets.get(k, "") for k in sub.projects["project_key"].tolist()]
    distinct = list(dict.fromkeys(goals + items))
    grams = dict(zip(distinct, multisets([normalize(t) for t in distinct])))
    names, titles = sub.projects["project_name"].tolist(), sub.projects["title"].tolist()
    where = sub.projects.groupby("file", sort=False).indices  # each file's positions: no frame per file
    for name in pd.unique(sub.projects["file"]):
        if name not in where:  # no file (NaN): not grouped
            continue
        at = where[name]
        labels = [names[i] or titles[i] or "" for i in at]
        goal = _sims([goals[i] for i in at], floor, params.min_chars, grams)
        ind_sims = _sims([items[i] for i in at], floor, params.min_chars, grams)
        near: dict[int, set[int]] = {}  # with positive thresholds only pairs in goal/ind_sims can match
        for i, j in (*goal, *ind_sims):
            near.setdefault(i, set()).add(j)
        everyone = range(len(at)) if min(params.threshold, params.both_threshold) <= 0 else None
        for i in range(len(at)):
            others = everyone or sorted(near.get(i, ()))
            g = [j for j in others if _match(goal, ind_sims, i, j, params)]
            k = [j for j in others if _match(ind_sims, goal, i, j, params)]
            if not (g or k):
                continue
            zh, en = _detail(labels, g, k, params.max_listed)
            rows.append((sub.projects.index[at[i]], "goal" if g else "project_name", zh, en))
    if not rows:  # no hits: no frame to build
        return pd.DataFrame()
    hits = pd.DataFrame(rows, columns=["row", "field", "detail_zh", "detail_en"])
    return hits.set_index("row").rename_axis(None)
