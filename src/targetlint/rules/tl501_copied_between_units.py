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
from collections import Counter, defaultdict

import numpy as np
import pandas as pd

from targetlint.rule import Rule, Severity
from targetlint.rules._text import normalize

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


_ONE = 0x1FFFFF  # above every code point: marks the only gram of a one-character text


def _grams(text: str) -> tuple[frozenset, dict, int]:
    """A text's bigrams as (distinct bigram codes, repeats beyond the first of each, total).

    :func:`~targetlint.rules._text.bigrams` in a form that compares fast and
    stays small over thousands of projects: a bigram is an int, not a string.
    """
    if len(text) < 2:
        codes = [(ord(text) << 21) | _ONE] if text else []
    else:
        points = list(map(ord, text))
        codes = [(a << 21) | b for a, b in zip(points, points[1:])]
    counts = Counter(codes)
    return frozenset(counts), {k: n - 1 for k, n in counts.items() if n > 1}, len(codes)


def _dice(a: tuple[frozenset, dict, int], b: tuple[frozenset, dict, int]) -> float:
    """:func:`~targetlint.rules._text.similarity` on :func:`_grams`.

    The multiset overlap Σ min(count) is the number of shared bigrams plus, for
    bigrams repeated in both texts, the smaller number of repeats.
    """
    (ka, ra, na), (kb, rb, nb) = a, b
    shared = len(ka & kb) + (sum(min(ra[k], rb[k]) for k in ra.keys() & rb.keys()) if ra and rb else 0)
    return 2.0 * shared / ((na + nb) or 1)


def _clusters(sigs: list[tuple[str, str]], params) -> list[int]:
    """Cluster id of each distinct (goal, indicator set): copies of copies end up together.

    Within a band's group, each signature is compared with the group's leaders
    (at most ``max_leaders``) until one matches, so a thousand near-copies of
    one template cost a thousand comparisons, not half a million.
    """
    parent = list(range(len(sigs)))
    distinct: dict[str, tuple] = {}  # many projects share a goal or an indicator set: one copy of its grams
    grams = [tuple(distinct[t] if t in distinct else distinct.setdefault(t, _grams(t)) for t in sig) for sig in sigs]
    n = len(sigs)

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    checked: set[int] = set()  # a pair failing in one band is not compared again in the next (i·n + j: small)

    def match(i: int, j: int) -> bool:
        pair = i * n + j if i < j else j * n + i  # the measure is symmetric: (j, i) failing means (i, j) fails
        if pair in checked:
            return False
        checked.add(pair)
        (gi, si), (gj, sj) = grams[i], grams[j]
        f = params.threshold
        if min(gi[2], gj[2]) < max(gi[2], gj[2]) * f / (2 - f):
            return False  # Dice ≥ f needs a length ratio ≥ f/(2-f)
        return _dice(gi, gj) >= f and _dice(si, sj) >= f

    # hash goal and indicators together: unrelated goals sharing boilerplate rarely share indicators too
    for group in _buckets([f"{g}#{s}" for g, s in sigs], params.bands, params.rows):
        leaders: list[int] = []
        for m in group:
            for lead in leaders:
                if find(m) == find(lead):
                    break
                if match(m, lead):
                    parent[find(m)] = find(lead)
                    break
            else:
                if len(leaders) < params.max_leaders:
                    leaders.append(m)
    return [find(i) for i in range(len(sigs))]


def check(sub, params) -> pd.DataFrame:
    p, ind = sub.projects, sub.indicators
    pair = ind["level3"].fillna("").map(normalize) + "=" + ind["value"].fillna("").map(normalize)
    sets = pair[pair != "="].groupby(ind["project_key"]).agg(lambda s: "|".join(sorted(set(s))))
    goals = p["goal"].fillna("").map(normalize)
    q = p[(goals.str.len() >= params.min_chars) & p["project_key"].isin(sets.index)]
    if len(q) < 2:
        return pd.DataFrame()
    sig = list(zip(goals[q.index], q["project_key"].map(sets)))
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
    return pd.DataFrame(rows, columns=["row", "others_zh", "others_en"]).set_index("row").rename_axis(None)
