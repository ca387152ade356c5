"""The canonical Submission: what every layout parser produces and every rule reads.

A submission is three pandas frames:

* ``projects`` — one row per project (预算项目);
* ``indicators`` — one row per indicator (绩效指标), keyed to its project by
  ``project_key``;
* ``department`` — the department-wide part (部门整体绩效目标), one row per
  heading or paragraph.

Every field ``f`` has a sibling column ``f_loc`` holding where the value came
from (``项目表!E12``, ``line 57``, ``表3 第2行 第5列``).  A field the layout
does not have is ``None`` (absent); a field the layout has but the unit left
blank is ``""`` (empty).  Rules must treat absent as "skip", never as "empty".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import chain
from typing import Any, Iterable, Mapping

import numpy as np
import pandas as pd

#: Project-level fields, in canonical order (the order findings are sorted in).
PROJECT_FIELDS: tuple[str, ...] = (
    "title",
    "unit",
    "project_code",
    "project_name",
    "money_unit",
    "budget_total",
    "budget_fiscal",
    "budget_other",
    "purpose",
    "plan_mar",
    "plan_jun",
    "plan_oct",
    "plan_dec",
    "goal",
)

#: Indicator-level fields, in canonical order.  The last four are the extra
#: columns some provinces add (指标性质, 度量单位, 指标方向, 权重/分值).
INDICATOR_FIELDS: tuple[str, ...] = (
    "level1",
    "level2",
    "level3",
    "description",
    "value",
    "basis",
    "value_type",
    "measure_unit",
    "direction",
    "weight",
)

#: Department-part fields.
DEPARTMENT_FIELDS: tuple[str, ...] = ("text",)

PLAN_FIELDS: tuple[str, ...] = ("plan_mar", "plan_jun", "plan_oct", "plan_dec")

#: Human labels of every field, (zh, en); used in messages and reports.
FIELD_LABELS: dict[str, tuple[str, str]] = {
    "title": ("表名", "table title"),
    "unit": ("单位", "unit"),
    "project_code": ("项目编码", "project code"),
    "project_name": ("项目名称", "project name"),
    "money_unit": ("金额单位", "money unit"),
    "budget_total": ("预算数", "total budget"),
    "budget_fiscal": ("财政资金", "fiscal funds"),
    "budget_other": ("其他资金", "other funds"),
    "purpose": ("资金用途", "use of funds"),
    "plan_mar": ("3月底支出计划", "plan by end of March"),
    "plan_jun": ("6月底支出计划", "plan by end of June"),
    "plan_oct": ("10月底支出计划", "plan by end of October"),
    "plan_dec": ("12月底支出计划", "plan by end of December"),
    "goal": ("绩效目标", "performance goal"),
    "level1": ("一级指标", "level-1 indicator"),
    "level2": ("二级指标", "level-2 indicator"),
    "level3": ("三级指标", "level-3 indicator"),
    "description": ("绩效指标描述", "indicator description"),
    "value": ("指标值", "target value"),
    "basis": ("指标值确定依据", "basis of the value"),
    "value_type": ("指标性质", "value type"),
    "measure_unit": ("度量单位", "unit of measure"),
    "direction": ("指标方向", "direction"),
    "weight": ("权重", "weight"),
    "text": ("部门整体绩效目标", "department-wide targets"),
    "project": ("项目", "project"),
    "file": ("文件", "file"),
}

FIELD_ORDER: dict[str, int] = {
    f: i for i, f in enumerate((*PROJECT_FIELDS, *INDICATOR_FIELDS, *DEPARTMENT_FIELDS))
}


def field_label(name: str, lang: str = "zh") -> str:
    """The display label of a canonical field (``value`` → ``指标值``)."""
    zh, en = FIELD_LABELS.get(name, (name, name))
    return zh if lang == "zh" else en


def _frame(rows: list[dict], keys: tuple[str, ...], fields: tuple[str, ...]) -> pd.DataFrame:
    columns = [*keys]
    for f in fields:
        columns += [f, f"{f}_loc"]
    if not rows:
        return _empty_frame(tuple(columns)).copy()
    df = pd.DataFrame.from_records(rows, columns=list(keys))
    names = columns[len(keys) :]
    # Normalise "absent" to None and everything else to str, whatever type
    # the records carried, so rules can rely on str-or-None (object dtype,
    # so absent stays None rather than pandas' NaN).  Parsers give text:
    # that common case becomes one 2-D block at once, without a Series per column.
    table = [[r.get(c) for c in names] for r in rows]
    if set(map(type, chain.from_iterable(table))) <= _TEXT_TYPES:
        values = np.array(table, dtype=object).reshape(len(rows), len(names))
    else:
        values = np.empty((len(rows), len(names)), dtype=object)
        for j, col in enumerate(names):
            raw = [row[j] for row in table]
            if not set(map(type, raw)) <= _TEXT_TYPES:
                raw = _texts(pd.DataFrame.from_records(rows, columns=[col])[col], loc=j % 2 == 1).tolist()
            values[:, j] = np.array(raw, dtype=object)
    return pd.concat([df, pd.DataFrame(values, index=df.index, columns=names, dtype=object)], axis=1)


_TEXT_TYPES = {str, type(None)}


@lru_cache(maxsize=8)
def _empty_frame(columns: tuple[str, ...]) -> pd.DataFrame:
    """A frame with ``columns`` and no rows (built once per shape, copied: building is slow)."""
    return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})


def _texts(column: pd.Series, loc: bool) -> pd.Series:
    """A column of mixed values as str or None (a location always as str)."""
    values = [None if v is None or (isinstance(v, float) and v != v) else v for v in column]
    out = [v if v is None or (isinstance(v, str) and not loc) else str(v) for v in values]
    return pd.Series(out, index=column.index, dtype=object)


@dataclass
class Submission:
    """One file's content in canonical form.

    Attributes:
        path: the file it was read from.
        layout: the layout name that parsed it (``hebei-form`` …).
        projects, indicators, department: the canonical frames.
        units: the budget units (预算单位) the file holds, in order of appearance.
        year: the budget year, when the document states one.
        hidden_locs: locations of fields read from a hidden sheet, row or column
            (in a concatenation, ``(file, location)`` pairs, since addresses repeat across files).
        formula_cells: location → formula, for fields whose formula was saved
            without a computed value (read as empty).
        file_years, file_units, key_offsets: for a concatenation of several
            files (:meth:`concat`), each file's own ``year`` and ``units`` and
            how far its project keys were shifted; empty for one file.  Rules
            read a row's year through :meth:`year_of`, so a run that checks
            many files at once gives each file the findings it gets alone.
    """

    path: str
    layout: str
    projects: pd.DataFrame
    indicators: pd.DataFrame
    department: pd.DataFrame
    units: list[str] = field(default_factory=list)
    year: int | None = None
    hidden_locs: set[str] = field(default_factory=set)
    formula_cells: dict[str, str] = field(default_factory=dict)
    file_years: dict[str, int | None] = field(default_factory=dict)
    file_units: dict[str, list[str]] = field(default_factory=dict)
    key_offsets: dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_records(
        cls,
        path: str,
        layout: str,
        projects: Iterable[Mapping[str, Any]],
        department: Iterable[Mapping[str, Any]] = (),
        units: Iterable[str] | None = None,
        year: int | None = None,
    ) -> "Submission":
        """Build the frames from plain records.

        Args:
            projects: one mapping per project with any of :data:`PROJECT_FIELDS`
                (and ``<field>_loc``), plus ``indicators``: a list of mappings
                with any of :data:`INDICATOR_FIELDS` (and ``<field>_loc``).
                A field left out of a record is absent (``None``).
            department: mappings with ``text``, ``text_loc``, ``kind``
                (``heading`` or ``text``) and ``section``.
        """
        prow: list[dict] = []
        irow: list[dict] = []
        for pk, p in enumerate(projects):
            prow.append({"file": path, "project_key": pk, **{k: v for k, v in p.items() if k != "indicators"}})
            for seq, ind in enumerate(p.get("indicators") or ()):
                irow.append({"file": path, "project_key": pk, "seq": seq, **ind})
        drow = [{"file": path, "seq": i, **d} for i, d in enumerate(department)]
        projects_df = _frame(prow, ("file", "project_key"), PROJECT_FIELDS)
        if units is None:
            units = list(dict.fromkeys(u for u in projects_df["unit"] if u))
        dept = _frame(drow, ("file", "seq", "kind", "section"), DEPARTMENT_FIELDS)
        return cls(
            path=path,
            layout=layout,
            projects=projects_df,
            indicators=_frame(irow, ("file", "project_key", "seq"), INDICATOR_FIELDS),
            department=dept,
            units=list(units),
            year=year,
        )

    @classmethod
    def concat(cls, subs: list["Submission"], path: str = "<batch>") -> "Submission":
        """Several files' submissions as one, for rules checked across a whole run.

        Project keys are renumbered so they stay unique; every row keeps its
        ``file`` column, so findings can be given back to their own file.
        """
        years: dict[str, int | None] = {}
        file_units: dict[str, list[str]] = {}
        offsets: dict[str, int] = {}
        shift: list[int] = []  # how far each file's project keys move
        offset = 0
        for sub in subs:
            shift.append(offset)
            years.update(sub.file_years or {sub.path: sub.year})
            file_units.update(sub.file_units or {sub.path: list(sub.units)})
            offsets.update({f: o + offset for f, o in sub.key_offsets.items()} or {sub.path: offset})
            offset += len(set(sub.projects["project_key"]))  # the distinct keys, as a remap of them counts them
        fast = all(_numbered(sub) for sub in subs)  # keys 0…n-1: shift whole columns at once
        projects = _rekeyed([s.projects for s in subs], subs, shift, fast)
        indicators = _rekeyed([s.indicators for s in subs], subs, shift, fast)
        units = list(dict.fromkeys(u for sub in subs for u in sub.units))
        return cls(path, "batch", projects, indicators, _join([s.department for s in subs]), units, None,
                   file_years=years, file_units=file_units, key_offsets=offsets,
                   hidden_locs={(sub.path, loc) for sub in subs for loc in sub.hidden_locs})

    def year_of(self, frame: pd.DataFrame) -> list[int | None]:
        """The budget year of each row of ``frame`` (one of this submission's frames): its own file's year."""
        if not self.file_years or "file" not in frame:
            return [self.year] * len(frame)
        files = frame["file"].to_numpy(dtype=object)
        if not len(files):
            return []
        starts = np.flatnonzero(np.r_[True, files[1:] != files[:-1]])  # a file's rows come in runs: look each run up once
        years = [self.file_years.get(f) for f in files[starts].tolist()]
        return np.repeat(np.array(years, dtype=object), np.diff(np.r_[starts, len(files)])).tolist()

    def first_unit(self, file: str | None = None) -> str | None:
        """The first budget unit of ``file`` (of the submission, for one file): the unit findings fall back on."""
        units = self.file_units.get(file, self.units) if self.file_units else self.units
        return units[0] if units else None

    def is_hidden(self, file: str, loc: str | None) -> bool:
        """Whether the cell at ``loc`` of ``file`` lies in a hidden sheet, row or column."""
        return bool(self.hidden_locs) and loc is not None and (loc in self.hidden_locs or (file, loc) in self.hidden_locs)

    def frame(self, name: str) -> pd.DataFrame:
        """A frame by name: ``projects``, ``indicators``, ``department`` or ``texts``."""
        return self.texts if name == "texts" else getattr(self, name)

    def has_field(self, name: str) -> bool:
        """Whether the layout carries ``name`` at all (present in some row)."""
        for df in (self.projects, self.indicators, self.department):
            if name in df.columns:
                return bool(df[name].notna().any())
        return False

    @cached_property
    def texts(self) -> pd.DataFrame:
        """Every non-empty text of the submission, one row per (row, field).

        Columns: ``source`` (frame name), ``row`` (index label in that frame),
        ``project_key`` (``-1`` for the department part), ``seq``, ``field``,
        ``text``, ``loc``, ``file``.  Rules that look at "any text" (field-code residue,
        placeholders, stale years) read this long frame.
        """
        cols = ["source", "row", "project_key", "seq", "field", "text", "loc", "file"]
        parts = [
            _long_texts(source, df, fields, self.path)
            for source, df, fields in (
                ("department", self.department, DEPARTMENT_FIELDS),
                ("projects", self.projects, PROJECT_FIELDS),
                ("indicators", self.indicators, INDICATOR_FIELDS),
            )
        ]
        parts = [p for p in parts if p is not None]
        if not parts:
            return pd.DataFrame(columns=cols)
        joined = {c: np.concatenate([p[c] for p in parts]) for c in cols}
        return pd.DataFrame(
            {
                **{c: joined[c] for c in ("source", "row", "project_key", "seq", "field")},
                "text": pd.Series(joined["text"], dtype=object).astype(str),
                "loc": pd.Series(joined["loc"], dtype=object),
                "file": joined["file"],
            }
        )


def _join(frames: list[pd.DataFrame]) -> pd.DataFrame:
    frames = [f for f in frames if len(f)] or frames[:1]
    return pd.concat(frames, ignore_index=True)


def _numbered(sub: Submission) -> bool:
    """Whether the projects are keyed 0…n-1 and every indicator names one of them (as parsers key them)."""
    keys, owners = sub.projects["project_key"], sub.indicators["project_key"]
    if not len(keys) or keys.dtype.kind != "i" or (len(owners) and owners.dtype.kind != "i"):
        return False
    if not (keys.to_numpy() == np.arange(len(keys))).all():
        return False
    return not len(owners) or bool(owners.min() >= 0 and owners.max() < len(keys))


def _rekeyed(frames: list[pd.DataFrame], subs: list[Submission], shift: list[int], fast: bool) -> pd.DataFrame:
    """The frames joined, each one's ``project_key`` ``k`` renumbered ``k + shift`` of its file."""
    if fast:
        joined = _join(frames)
        if len(joined):
            moves = np.repeat(np.asarray(shift, dtype=np.int64), [len(f) for f in frames])
            joined["project_key"] = joined["project_key"].to_numpy() + moves
            return joined
    remaps = [{k: k + o for k in sub.projects["project_key"]} for sub, o in zip(subs, shift)]
    return _join([f.assign(project_key=f["project_key"].map(r)) for f, r in zip(frames, remaps)])


def _long_texts(source: str, df: pd.DataFrame, fields: tuple[str, ...], path: str) -> dict[str, np.ndarray] | None:
    """The filled cells of ``df``'s ``fields`` as columns of :attr:`Submission.texts` (None: none is filled).

    Field by field, rows in order; one pass over a 2-D array of the fields
    rather than a frame per field (the frames of a run hold ~10^5 cells).
    """
    values = df[list(fields)].to_numpy(dtype=object)
    filled = pd.notna(values) & (values != "")  # fields hold str or None (see _frame)
    at, pos = np.nonzero(filled.T)  # field-major: each field's rows, as the reader goes down a column
    if not len(pos):
        return None
    n = len(pos)

    def column(name: str, default: object) -> np.ndarray:
        if name in df:
            return df[name].to_numpy()[pos]
        return np.full(n, default, dtype=object if isinstance(default, str) else type(default))

    return {
        "source": np.full(n, source, dtype=object),
        "row": df.index.to_numpy()[pos],
        "project_key": column("project_key", -1),
        "seq": column("seq", -1),
        "field": np.array(fields, dtype=object)[at],
        "text": values[pos, at],
        "loc": df[[f"{f}_loc" for f in fields]].to_numpy(dtype=object)[pos, at],
        "file": column("file", path),
    }
