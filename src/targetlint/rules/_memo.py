"""Memoisation shared by the rules: per distinct cell value, and per frame within a run.

A run checks many files at once (:func:`targetlint.engine.run_many`), so the
same cell texts (一级/二级 names, ``≥95%``, ``计划标准``) come by thousands,
and several rules derive the same columns from the same frame (where each
indicator sits in the tree, which indicators are rates).  Both are computed
once here; results are copies, so a rule may change what it gets.
"""

from __future__ import annotations

import weakref
from functools import partial
from typing import Any, Callable, Hashable

import pandas as pd

_BY_FRAME: dict[tuple[int, Hashable], tuple[weakref.ref, Any]] = {}


def map_distinct(series: pd.Series, fn: Callable[[Any], Any], na_action: str | None = None) -> pd.Series:
    """``series.map(fn, na_action=…)``, calling ``fn`` once per distinct value (``fn`` must be pure)."""
    seen: dict[Any, Any] = {}

    def once(value: Any) -> Any:
        try:
            return seen[value]
        except KeyError:
            out = seen[value] = fn(value)
            return out
        except TypeError:  # an unhashable value: not memoised
            return fn(value)

    return series.map(once, na_action=na_action)


def on_frame(frame: pd.DataFrame, key: Hashable, compute: Callable[[], Any]) -> Any:
    """``compute()`` for ``frame``, computed once while ``frame`` lives; a copy is returned each time.

    Frames are matched by identity (the frames of a Submission, which rules
    never modify), so a subset or a new frame is computed afresh.
    """
    slot = (id(frame), key)
    hit = _BY_FRAME.get(slot)
    if hit is not None and hit[0]() is frame:
        value = hit[1]
    else:
        value = compute()
        _BY_FRAME[slot] = (weakref.ref(frame, partial(_forget, slot)), value)
    return value.copy() if isinstance(value, (pd.Series, pd.DataFrame)) else value


def _forget(slot: tuple[int, Hashable], _ref: weakref.ref) -> None:
    _BY_FRAME.pop(slot, None)
