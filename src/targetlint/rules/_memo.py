"""Memoisation shared by the rules: per distinct cell value, and per frame within a run.

A run checks many files at once (:func:`targetlint.engine.run_many`), so the
same cell texts (一级/二级 names, ``≥95%``, ``计划标准``) come by thousands,
and several rules derive the same columns from the same frame (where each
indicator sits in the tree, which indicators are rates).  Both are computed
once here; results are copies, so a rule may change what it gets.  Within a
:func:`session` (the engine opens one per run) the distinct values of a
column are found once for all the rules that map it.
"""

from __future__ import annotations

import weakref
from contextlib import contextmanager
from functools import partial
from typing import Any, Callable, Hashable, Iterator

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype

#: Entries of each per-text cache of the rules (``lru_cache`` on pure text functions).
#: Template texts repeat across a whole run and stay cached; a worker checking
#: hundreds of files would otherwise keep every text it ever saw (its memory grew
#: by half over a thousand-file run at 65,536 entries a cache).
CACHED = 1 << 13

_BY_FRAME: dict[tuple[int, Hashable], tuple[weakref.ref, Any]] = {}


def map_distinct(series: pd.Series, fn: Callable[[Any], Any], na_action: str | None = None) -> pd.Series:
    """``series.map(fn, na_action=…)``, calling ``fn`` once per distinct value (``fn`` must be pure).

    The distinct values are found by :func:`pandas.factorize` (hashing in C),
    ``fn`` runs on them, and the results are spread back and typed as
    ``Series.map`` types them: the same values, dtype and name, at a fraction
    of the cost when values repeat (level names, ``≥95%``, template sentences).
    """
    out = _spread(series, fn, na_action) if len(series) else None
    if out is None:  # empty, or an unhashable value: map one by one
        return series.map(fn, na_action=na_action)
    # typed as Series.map types its results (infer_objects applies the same inference)
    return pd.Series(out, index=series.index, name=series.name, dtype=object).infer_objects()


def map_objects(series: pd.Series, fn: Callable[[Any], Any]) -> pd.Series:
    """``fn`` of each value, calling it once per distinct value; object dtype, results kept as they are."""
    out = _spread(series, fn, None)
    if out is None:
        out = np.empty(len(series), dtype=object)
        for i, value in enumerate(series.astype(object)):  # one by one: a result may be a sequence
            out[i] = fn(value)
    return pd.Series(out, index=series.index, dtype=object)


def _spread(series: pd.Series, fn: Callable[[Any], Any], na_action: str | None) -> np.ndarray | None:
    """``fn`` of every value as an object array (None: unhashable values, map one by one).

    ``fn`` runs once per distinct text; other values (numbers, dates: equal
    values may still differ, as ``1`` and ``1.0`` do) once per cell, and a
    missing value once per kind (None, NaN) or, under ``na_action="ignore"``,
    not at all.
    """
    values = series.to_numpy(dtype=object)
    if len(values) <= _SMALL:
        return _spread_small(values, fn, na_action)
    try:
        codes, uniques = _factorize(values)
    except TypeError:
        return None
    found = np.empty(len(uniques) + 1, dtype=object)  # the last slot: code -1, a missing value
    if infer_dtype(uniques, skipna=False) == "string":  # all texts: checked in C, not one by one
        texts = np.ones(len(uniques), dtype=bool)
    else:
        texts = np.fromiter((type(u) is str for u in uniques), dtype=bool, count=len(uniques))
    for i in np.flatnonzero(texts).tolist():
        found[i] = fn(uniques[i])
    out = found[codes]
    if not texts.all():
        for i in np.flatnonzero(~np.append(texts, True)[codes]).tolist():
            out[i] = fn(values[i])
    missing = np.flatnonzero(codes < 0)  # None or NaN: kept as they are, or mapped once per kind
    if na_action == "ignore":
        out[missing] = values[missing]
    elif len(missing):
        kinds: dict[type, Any] = {}
        for i in missing.tolist():
            kind = type(values[i])
            out[i] = kinds[kind] if kind in kinds else kinds.setdefault(kind, fn(values[i]))
    return out


_SESSION: dict[tuple, tuple] | None = None


@contextmanager
def session() -> Iterator[None]:
    """Within the block, share the distinct values of frame columns between rules.

    The rules of one run map the same columns (三级指标, 指标值, every text)
    again and again; inside a session a column is factorised once however
    many rules map it.  A run does not modify its frames while its rules run
    (see :func:`on_frame`); nothing is kept once the block ends.
    """
    global _SESSION
    if _SESSION is not None:  # nested: the outer session goes on
        yield
        return
    _SESSION = {}
    try:
        yield
    finally:
        _SESSION = None


def _factorize(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`pandas.factorize` of an object array, shared within a :func:`session` by the memory it views."""
    if _SESSION is None:
        return pd.factorize(values)
    owner = values if values.base is None else values.base
    key = (id(owner), values.__array_interface__["data"][0], values.shape, values.strides)
    hit = _SESSION.get(key)
    if hit is None or hit[0] is not owner:
        hit = _SESSION[key] = (owner, *pd.factorize(values))  # holds the owner: its memory is not reused
    return hit[1], hit[2]


#: Up to this many values a dict finds the distinct ones faster than :func:`pandas.factorize` (one file's rows).
_SMALL = 512


def _spread_small(values: np.ndarray, fn: Callable[[Any], Any], na_action: str | None) -> np.ndarray | None:
    """:func:`_spread` with a dict: the same calls and results, without factorize's fixed cost."""
    missing = pd.isna(values)
    out = np.empty(len(values), dtype=object)
    seen: dict[str, Any] = {}
    kinds: dict[type, Any] = {}
    for i, (value, na) in enumerate(zip(values.tolist(), missing.tolist())):
        if type(value) is str:
            out[i] = seen[value] if value in seen else seen.setdefault(value, fn(value))
        elif not na:
            out[i] = fn(value)
        elif na_action == "ignore":
            out[i] = value
        else:
            kind = type(value)
            out[i] = kinds[kind] if kind in kinds else kinds.setdefault(kind, fn(value))
    return out


def per_row(fn: Callable[..., Any], *columns: list) -> list:
    """``[fn(*row) for row in zip(*columns)]``, calling ``fn`` once per distinct row (``fn`` must be pure).

    Rows repeat across the files of a run (the same name, value and level in
    every town's table): a rule judging a row from its cells judges it once.
    Rows are told apart by equality, so the cells are texts, flags and years
    (not numbers that are equal yet read differently, as ``1`` and ``1.0``).
    """
    seen: dict = {}
    out = []
    for row in zip(*columns):
        try:
            out.append(seen[row])
        except KeyError:
            out.append(seen.setdefault(row, fn(*row)))
        except TypeError:  # an unhashable cell: not memoised
            out.append(fn(*row))
    return out


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
