"""TL501 copied-between-units — 不同单位的项目绩效目标和指标几乎相同.

Checked once over every file of a run (a reviewer's folder of towns).  Two
projects of different units — a different 单位 or a different file — whose
绩效目标 *and* set of (三级指标, 指标值) are both near-identical (character-
bigram similarity ≥ ``threshold``, default 0.9) were copied from one another or
from a shared template, and rarely fit both units.  One finding per project,
naming the others (file, unit, project).  Pairs within one file and unit are
TL401's; copies of copies are grouped together.  To stay near-linear over a
thousand files × thirty projects, identical targets are grouped first, and a
target (goal and indicators) is compared only with the few representatives
(``max_leaders``) of the MinHash bands it shares (``bands`` × ``rows`` hashes of
its bigrams, deterministic): a pair at the threshold is missed with
probability below 0.1%.  30,000 projects take about ten seconds.
"""

from __future__ import annotations

import os
from collections import defaultdict

import numpy as np
import pandas as pd

from targetlint.rule import Rule, Severity
from targetlint.rules._text import dice, indicator_sets, multisets, normalize

RULE = Rule(
    code="TL501",
    name="copied-between-units",
    severity=Severity.INFO,
    frame="projects",
    field="goal",
    scope="batch",
    summary={"zh": "不同单位的项目绩效目标和指标几乎相同（疑似相互照抄）", "en": "Projects of different units share near-identical goals and indicators"},
    message={"zh": "绩效目标和指标与{others_zh}几乎相同，疑似照抄", "en": "Goal and indicators are near-identical to {others_en}: copied?"},
    suggestion={"zh": "按本单位本项目的实际任务重新编写绩效目标和指标", "en": "Write the goal and indicators from this unit's own tasks"},
    params={"threshold": 0.9, "min_chars": 8, "max_listed": 3, "bands": 24, "rows": 6, "max_leaders": 8},
    source="绩效目标审核“相关性”“适当性”：目标应与本单位职能和项目实际相符（财预〔2015〕88号）",
    bad={"projects": [{"unit": "913005东城镇人民政府"}, {"unit": "913006西城镇人民政府", "project_code": "913-0201-ABC-1K2N"}]},
    good={"projects": [{"unit": "913005东城镇人民政府"}, {"project_code": "913-0201-ABC-1K2N", "project_name": "村级干部培训经费（二期）"}]},
)

#: What the check reads of the indicators (the projects frame is kept whole): a
#: large run keeps only these of every file for the batch rules, not every cell.
READS = {"indicators": ("level3", "value")}


_STEP = 2048  # texts hashed at a time: the bigram arrays of a whole run at once would take hundreds of MB


def _buckets(texts: list[str], bands: int, rows: int):
    """Groups of texts sharing a MinHash band of their character bigrams (each group of two or more)."""
    rng = np.random.default_rng(501)  # fixed seed: the same input gives the same findings
    a, c = rng.integers(1, 2**63, (2, bands * rows), dtype=np.uint64) | np.uint64(1)
    keys = np.zeros((bands, len(texts)), np.uint64)
    for lo in range(0, len(texts), _STEP):
        part = texts[lo : lo + _STEP]
        x, starts = _bigram_sets(part)
        for b in range(bands):
            key = np.zeros(len(part), np.uint64)
            for k in range(b * rows, (b + 1) * rows):  # multiply-shift hashing, wrapping in uint64
                key = key * np.uint64(1_000_003) + np.minimum.reduceat((a[k] * x + c[k]) >> np.uint64(32), starts)
            keys[b, lo : lo + len(part)] = key
    for key in keys:
        order = np.argsort(key, kind="stable")
        edges = np.r_[0, np.flatnonzero(key[order][1:] != key[order][:-1]) + 1, len(texts)]
        for i in np.flatnonzero(np.diff(edges) > 1):
            yield order[edges[i] : edges[i + 1]].tolist()


def _bigram_sets(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Each text's set of bigram codes, all in one array, and where each text's codes start."""
    codes = [np.frombuffer(t.encode("utf-32-le"), np.uint32) for t in texts]
    tid = np.repeat(np.arange(len(texts), dtype=np.uint64), [len(c) for c in codes])
    ch = np.concatenate(codes).astype(np.uint64)
    inside = tid[:-1] == tid[1:]  # bigrams within one text, each text's set of them once
    u = np.sort((tid[:-1][inside] << np.uint64(42)) | (ch[:-1][inside] << np.uint64(21)) | ch[1:][inside])
    u = u[np.r_[True, u[1:] != u[:-1]]]
    ids, x = u >> np.uint64(42), u & np.uint64(2**42 - 1)
    return x, np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]])


def _clusters(sigs: list[tuple[str, str]], params) -> list[int]:
    """Cluster id of each distinct (goal, indicator set): copies of copies end up together.

    Within a band's group, each signature is compared with the group's leaders
    (at most ``max_leaders``) until one matches, so a thousand near-copies of
    one template cost a thousand comparisons, not half a million.
    """
    parent = list(range(len(sigs)))
    distinct = list(dict.fromkeys(t for sig in sigs for t in sig))  # goals and indicator sets repeat
    of = dict(zip(distinct, multisets(distinct)))
    goal, items = [of[g] for g, _ in sigs], [of[s] for _, s in sigs]
    size = [g[2] for g in goal]
    n, f = len(sigs), params.threshold

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    checked: set[int] = set()  # a pair failing in one band is not compared again in the next (i·n + j: small)
    # hash goal and indicators together: unrelated goals sharing boilerplate rarely share indicators too
    for group in _buckets([f"{g}#{s}" for g, s in sigs], params.bands, params.rows):
        leaders: list[int] = []
        for m in group:
            root, (bits, rest, total) = find(m), goal[m]
            for lead in leaders:  # the loop a large run spends its time in: kept flat, dice() inlined
                top = lead if parent[lead] == lead else find(lead)
                if root == top:
                    break
                pair = m * n + lead if m < lead else lead * n + m  # symmetric: (j, i) failing means (i, j) fails
                if pair in checked:
                    continue
                checked.add(pair)
                other = size[lead]
                if (total if total < other else other) < (other if total < other else total) * f / (2 - f):
                    continue  # Dice ≥ f needs a length ratio ≥ f/(2-f)
                gl = goal[lead]
                shared = (bits & gl[0]).bit_count() + (len(rest & gl[1]) if rest and gl[1] else 0)
                if 2.0 * shared / ((total + other) or 1) >= f and dice(items[m], items[lead]) >= f:
                    parent[root] = top
                    break
            else:
                if len(leaders) < params.max_leaders:
                    leaders.append(m)
    return [find(i) for i in range(len(sigs))]


def check(sub, params) -> pd.DataFrame:
    p, ind = sub.projects, sub.indicators
    sets = indicator_sets(ind)
    goals = [normalize(g) for g in p["goal"].fillna("").tolist()]
    keep = [len(g) >= params.min_chars and k in sets for g, k in zip(goals, p["project_key"].tolist())]
    q = p[keep]
    if len(q) < 2:
        return pd.DataFrame()
    sig = [(g, sets[k]) for g, k, ok in zip(goals, p["project_key"].tolist(), keep) if ok]
    uniq = {s: i for i, s in enumerate(dict.fromkeys(sig))}  # identical targets are compared once
    cluster = _clusters(list(uniq), params)
    pos_cluster = [cluster[uniq[s]] for s in sig]
    members = defaultdict(list)
    for pos, c in enumerate(pos_cluster):
        members[c].append(pos)
    origin = list(zip(q["file"], q["unit"].fillna("")))
    seq = (p.groupby("file", sort=False).cumcount() + 1)[q.index].tolist()
    label = [f"{os.path.basename(str(f))}{'（' + u + '）' if u else ''}第{n}项「{name or ''}」"
             for (f, u), n, name in zip(origin, seq, q["project_name"])]
    rows = []
    for pos, c in enumerate(pos_cluster):
        others = [j for j in members[c] if origin[j] != origin[pos]]
        if others:
            shown = "、".join(label[j] for j in others[: params.max_listed])
            more = len(others) > params.max_listed
            rows.append((q.index[pos], shown + (f"等{len(others)}个项目" if more else ""),
                         shown.replace("、", "; ") + (f" ({len(others)} projects)" if more else "")))
    if not rows:  # no hits: no frame to build
        return pd.DataFrame()
    return pd.DataFrame(rows, columns=["row", "others_zh", "others_en"]).set_index("row").rename_axis(None)
