"""Layouts: form knowledge that turns a Grid into the canonical Submission.

Each layout module has ``NAME``, ``SIGNATURE`` (what detection looks for:
an id, mostly a canonical field, → the label shown in messages),
``found_labels(grid)`` (the ids present), ``score(grid) -> float`` (0…1, how
well the grid fits) and ``parse(grid) -> Submission``.  A layout is detected
from the content, never from the file name:

* ``hebei-form`` (L1): one labelled block per project, with 项目编码, the
  spending plan and the description and basis columns;
* ``national-form`` (L2): 项目支出绩效目标申报表, keyed by 项目名称, with
  年度资金总额/财政拨款 and 中长期目标/年度目标;
* ``flat-export`` (L3): one header row naming project and indicator columns,
  then one row per indicator.
"""

from __future__ import annotations

from types import ModuleType

from targetlint.errors import LoadError
from targetlint.formats.grid import Grid
from targetlint.layouts import flat_export, hebei_form, national_form

#: Layout name → parser module.  Detection tries them in this order and keeps
#: the first of equal scores, so it is deterministic.
LAYOUTS: dict[str, ModuleType] = {
    hebei_form.NAME: hebei_form,
    national_form.NAME: national_form,
    flat_export.NAME: flat_export,
}

#: Short names accepted wherever a layout is named (``--layout flat``).
ALIASES: dict[str, str] = {"hebei": hebei_form.NAME, "national": national_form.NAME, "flat": flat_export.NAME}

#: Below this score no layout is trusted with the file.
MIN_SCORE = 0.45


def get(name: str, path: str = "") -> ModuleType:
    """The layout module called ``name``.

    Raises:
        LoadError: ``layout-unknown`` naming the layouts there are.
    """
    try:
        return LAYOUTS[ALIASES.get(name, name)]
    except KeyError:
        known = ", ".join([*LAYOUTS, *ALIASES])
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
