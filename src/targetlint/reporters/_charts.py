"""Bar geometry for the HTML report's inline SVG charts (no chart library, no network).

Functions return plain numbers and labels; the template draws the ``<rect>``
and ``<text>`` elements, so every label is escaped by jinja2 like any text.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from targetlint import grading

#: Chart geometry (SVG user units): width, bar height, room for the labels on the left.
CHART_W, BAR_H, LABEL_W = 460, 18, 64
#: Room on the right of the longest bar for its count.
COUNT_W = 60
GAP = 6
TOP_RULES = 10
SEVERITIES: tuple[str, ...] = ("error", "warning", "info")


def grades(files: list[dict[str, Any]], unreadable_label: str, lang: str = "zh") -> dict[str, Any]:
    """Bars of how many files got each grade, and how many could not be read.

    Args:
        files: file views, each with ``grade`` (a :class:`~targetlint.grading.Grade` or None).
        unreadable_label: the label of the last bar.
        lang: ``zh`` shows 优/良/中/差, ``en`` their English names.
    """
    counts = {g: 0 for g in grading.GRADES}
    unreadable = 0
    for f in files:
        if f["grade"] is None:
            unreadable += 1
        else:
            counts[f["grade"].label] += 1
    bars = [{"label": g if lang == "zh" else grading.GRADE_EN[g], "cls": f"g{i}", "n": n}
            for i, (g, n) in enumerate(counts.items())]
    bars.append({"label": unreadable_label, "cls": "gx", "n": unreadable})
    top = max(1, *(b["n"] for b in bars))
    for i, b in enumerate(bars):
        b["y"] = i * (BAR_H + GAP)
        b["w"] = round((CHART_W - LABEL_W - COUNT_W) * b["n"] / top, 1)
    return {"bars": bars, "height": len(bars) * (BAR_H + GAP)}


def rules(found: pd.DataFrame) -> dict[str, Any]:
    """Stacked bars (error / warning / info) of the most frequent rules over all files."""
    if found.empty:
        return {"bars": [], "height": 0}
    table = pd.crosstab(found["rule"], found["severity"]).reindex(columns=list(SEVERITIES), fill_value=0)
    # stable sort on a code-sorted index: ties keep code order
    table = table.assign(total=table.sum(axis=1)).sort_values(["total"], ascending=False, kind="stable")
    table = table.head(TOP_RULES)
    scale = (CHART_W - LABEL_W - COUNT_W) / max(1, int(table["total"].max()))
    bars = []
    for i, (code, row) in enumerate(table.iterrows()):
        x, parts = float(LABEL_W), []
        for sev in SEVERITIES:
            w = round(int(row[sev]) * scale, 1)
            if w:
                parts.append({"sev": sev, "x": round(x, 1), "w": w})
            x += w
        bars.append({"label": code, "y": i * (BAR_H + GAP), "parts": parts, "n": int(row["total"]),
                     "end": round(x, 1)})
    return {"bars": bars, "height": len(bars) * (BAR_H + GAP)}
