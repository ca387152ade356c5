"""Layouts: form knowledge that turns a Grid into the canonical Submission.

Each layout module has ``NAME``, ``SIGNATURE`` (canonical field → the label
looked for), ``score(grid) -> float`` (0…1, how well the grid fits) and
``parse(grid) -> Submission``.  A layout is detected from the content, never
from the file name.
"""

from __future__ import annotations

from types import ModuleType

from targetlint.errors import LoadError
from targetlint.formats.grid import Grid
from targetlint.layouts import hebei_form

#: Layout name → parser module (national-form and flat-export come later).
LAYOUTS: dict[str, ModuleType] = {
    hebei_form.NAME: hebei_form,
}

#: Below this score no layout is trusted with the file.
MIN_SCORE = 0.45


def get(name: str, path: str = "") -> ModuleType:
    """The layout module called ``name``.

    Raises:
        LoadError: ``layout-unknown`` naming the layouts there are.
    """
    try:
        return LAYOUTS[name]
    except KeyError:
        known = ", ".join(LAYOUTS)
        raise LoadError(
            "layout-unknown", path, f"没有名为“{name}”的格式，可用：{known}", f"no layout named {name!r}; known: {known}"
        ) from None


def detect(grid: Grid) -> ModuleType:
    """The layout that fits ``grid`` best.

    Raises:
        LoadError: ``layout-unknown`` when no layout scores :data:`MIN_SCORE`;
            the detail lists the labels looked for and those found.
    """
    scored = sorted(((m.score(grid), i, m) for i, m in enumerate(LAYOUTS.values())), key=lambda s: (-s[0], s[1]))
    best, _, module = scored[0]
    if best >= MIN_SCORE:
        return module
    looked = list(dict.fromkeys(label for m in LAYOUTS.values() for label in m.SIGNATURE.values()))
    found = []
    for m in LAYOUTS.values():
        order = list(m.SIGNATURE)
        found += [m.SIGNATURE[f] for f in sorted(m.found_labels(grid), key=order.index)]
    found = list(dict.fromkeys(found))
    found_zh = "、".join(found) or "无"
    found_en = ", ".join(found) or "none"
    raise LoadError(
        "layout-unknown",
        grid.path,
        f"查找的标签：{'、'.join(looked)}；找到：{found_zh}",
        f"labels looked for: {', '.join(looked)}; found: {found_en}",
    )
