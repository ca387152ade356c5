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
from targetlint.rules._text import normalize, similar

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


def _sims(texts: list[str], floor: float, min_chars: int) -> dict[tuple[int, int], float]:
    """Similarity of every pair of texts (i < j) at or above ``floor``; short texts are skipped."""
    out = {}
    for i, a in enumerate(texts):
        for j in range(i + 1, len(texts)):
            short, long_ = sorted((len(a), len(texts[j])))
            # Dice ≥ f needs a length ratio ≥ f/(2-f): skip hopeless pairs without comparing
            if short < min_chars or short < long_ * floor / (2 - floor):
                continue
            sim = 1.0 if a == texts[j] else similar(a, texts[j], floor)
            if sim >= floor:
                out[i, j] = out[j, i] = sim
    return out


def _match(sims: dict, other: dict, i: int, j: int, params) -> bool:
    """Whether i and j match on ``sims``: ≥ threshold alone, or ≥ both_threshold on both measures."""
    a, b = sims.get((i, j), 0.0), other.get((i, j), 0.0)
    return a >= params.threshold or min(a, b) >= params.both_threshold


def _names(p: pd.DataFrame, picks: list[int], limit: int, sep: str, more: str) -> str:
    """``第2项「name」、第3项「name」等N个项目`` (``more`` with ``{}`` for the count)."""
    no = "第{}项" if sep == "、" else "no. {}"
    shown = [f"{no.format(i + 1)}「{p['project_name'].iat[i] or p['title'].iat[i] or ''}」" for i in picks[:limit]]
    return sep.join(shown) + (more.format(len(picks)) if len(picks) > limit else "")


def _detail(p: pd.DataFrame, goal: list[int], ind: list[int], limit: int) -> tuple[str, str]:
    """What is shared with whom, in zh and en; one list when goal and indicators match the same projects."""
    parts = [("绩效目标和指标", "goal and indicators", goal)] if goal == ind else [
        ("绩效目标", "goal", goal), ("指标", "indicators", ind)]
    zh = "；".join(f"{w}同{_names(p, js, limit, '、', '等{}个项目')}" for w, _, js in parts if js)
    en = "; ".join(f"same {w} as {_names(p, js, limit, ', ', ' ({} projects)')}" for _, w, js in parts if js)
    return zh, en


def check(sub, params) -> pd.DataFrame:
    ind = sub.indicators
    pair = ind["level3"].fillna("").map(normalize) + "=" + ind["value"].fillna("").map(normalize)
    sets = pair[pair != "="].groupby(ind["project_key"]).agg(lambda s: "|".join(sorted(set(s))))
    rows = []
    floor = min(params.threshold, params.both_threshold)
    for _, p in sub.projects.groupby("file", sort=False):
        goal = _sims(p["goal"].fillna("").map(normalize).tolist(), floor, params.min_chars)
        ind_sims = _sims(p["project_key"].map(sets).astype(object).fillna("").tolist(), floor, params.min_chars)
        near: dict[int, set[int]] = {}  # with positive thresholds only pairs in goal/ind_sims can match
        for i, j in (*goal, *ind_sims):
            near.setdefault(i, set()).add(j)
        everyone = range(len(p)) if min(params.threshold, params.both_threshold) <= 0 else None
        for i in range(len(p)):
            others = everyone or sorted(near.get(i, ()))
            g = [j for j in others if _match(goal, ind_sims, i, j, params)]
            k = [j for j in others if _match(ind_sims, goal, i, j, params)]
            if not (g or k):
                continue
            zh, en = _detail(p, g, k, params.max_listed)
            rows.append((p.index[i], "goal" if g else "project_name", zh, en))
    hits = pd.DataFrame(rows, columns=["row", "field", "detail_zh", "detail_en"])
    return hits.set_index("row").rename_axis(None)
