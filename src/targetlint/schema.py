"""Pandera models of the canonical frames; what they reject becomes findings (TL000).

The models state what every layout parser promises: keys are integers and
unique, every indicator belongs to a project of the same submission, every
field is text or absent (``None``), a field that is present has a location,
and no cell is longer than Excel can hold.  A violation means the file is
malformed in a way the rules cannot reason about (or a parser has a bug); it
is reported as a TL000 finding at the offending row, never as a crash.

The models are the one definition of what a sound frame is.  Importing
pandera costs a quarter of a second and validating a few milliseconds a
file, while nearly every file is sound; so :func:`validate` first asks
:func:`sound`, a cheap test that says "sound" only when every check of the
models certainly passes (exact dtypes, every field text or ``None``, unique
keys …).  Anything it is not sure of goes to pandera, which alone decides
what is reported: the pre-test can make validation skip a sound file, never
hide a finding.  pandera is imported only then.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from targetlint import findings as F
from targetlint.engine import stamp
from targetlint.rule import Rule, Severity
from targetlint.submission import DEPARTMENT_FIELDS, INDICATOR_FIELDS, PROJECT_FIELDS, Submission

if TYPE_CHECKING:
    import pandera.pandas as pa

#: Excel's own limit on the characters of one cell.
MAX_CELL_CHARS = 32767

RULE = Rule(
    code="TL000",
    name="structure-invalid",
    severity=Severity.ERROR,
    frame="projects",
    field=None,
    summary={"zh": "表格结构不符合规范，无法可靠检查", "en": "The table's structure is malformed"},
    message={
        "zh": "结构校验未通过：{column} {check_zh}（{case}）",
        "en": "Structure check failed: {column} {check_en} ({case})",
    },
    source="targetlint 规范数据模型（schema.py）",
)


def _is_text(value: object) -> bool:
    return value is None or isinstance(value, str)


def _fits(value: object) -> bool:
    return not isinstance(value, str) or len(value) <= MAX_CELL_CHARS


def _field_columns(fields: tuple[str, ...]) -> dict[str, pa.Column]:
    """Per field: text or absent, no longer than a cell; and a sibling ``f@located`` flag."""
    import pandera.pandas as pa

    columns: dict[str, pa.Column] = {}
    for f in fields:
        columns[f] = pa.Column(
            object,
            nullable=True,
            checks=[
                pa.Check(_is_text, element_wise=True, name="is_text"),
                pa.Check(_fits, element_wise=True, name=f"max_{MAX_CELL_CHARS}_chars"),
            ],
        )
        columns[f"{f}@located"] = pa.Column(bool, pa.Check.eq(True, name="has_location"))
    return columns


def _model(keys: dict[str, pa.Column], fields: tuple[str, ...], unique: list[str] | None = None) -> pa.DataFrameSchema:
    import pandera.pandas as pa

    return pa.DataFrameSchema({"file": pa.Column(str), **keys, **_field_columns(fields)}, unique=unique)


@lru_cache(maxsize=None)
def models() -> dict[str, pa.DataFrameSchema]:
    """The canonical frames' models by frame name.  Key columns are integers; a field is text or absent.

    Built on first use, so that pandera is imported only when a file needs it.
    """
    import pandera.pandas as pa

    return {
        "projects": _model({"project_key": pa.Column(int, pa.Check.ge(0), unique=True)}, PROJECT_FIELDS),
        "indicators": _model(
            {"project_key": pa.Column(int, pa.Check.ge(0)), "seq": pa.Column(int, pa.Check.ge(0))},
            INDICATOR_FIELDS,
            unique=["project_key", "seq"],
        ),
        "department": _model(
            {"seq": pa.Column(int, pa.Check.ge(0)), "kind": pa.Column(str, pa.Check.isin(["heading", "text"]))},
            DEPARTMENT_FIELDS,
        ),
    }


def __getattr__(name: str) -> Any:
    """``schema.PROJECTS``, ``INDICATORS``, ``DEPARTMENT``: the models, built when first asked for."""
    if name in ("PROJECTS", "INDICATORS", "DEPARTMENT"):
        return models()[name.lower()]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


#: What each check means, by the prefix of pandera's check name: (zh, en).
_CHECK_TEXT = {
    "is_text": ("应为文本", "must be text"),
    "max_": (f"超过单元格上限 {MAX_CELL_CHARS} 字", f"exceeds the {MAX_CELL_CHARS}-character cell limit"),
    "equal_to(True)": ("缺少单元格位置", "has no cell location"),
    "isin([": ("引用了不存在的项目", "refers to no project"),
    "isin(": ("取值不在允许范围内", "is not an allowed value"),
    "field_uniqueness": ("重复", "is duplicated"),
    "multiple_fields_uniqueness": ("重复", "is duplicated"),
}


def _check_text(check: str, lang: int) -> str:
    for prefix, text in _CHECK_TEXT.items():
        if check.startswith(prefix):
            return text[lang]
    return check


_FIELDS = frozenset((*PROJECT_FIELDS, *INDICATOR_FIELDS, *DEPARTMENT_FIELDS))


def _view(df: pd.DataFrame, fields: tuple[str, ...]) -> pd.DataFrame:
    """The frame as the model sees it: fields plus their ``@located`` flags."""
    view = df.drop(columns=[f"{f}_loc" for f in fields])
    for f in fields:
        view[f"{f}@located"] = (df[f].isna() | df[f"{f}_loc"].notna()).astype(bool)
    return view


def _failures(schema: pa.DataFrameSchema, df: pd.DataFrame, fields: tuple[str, ...]) -> pd.DataFrame:
    import pandera.pandas as pa

    if df.empty:
        return pd.DataFrame()
    try:
        schema.validate(_view(df, fields), lazy=True)
    except pa.errors.SchemaErrors as exc:
        return exc.failure_cases
    return pd.DataFrame()


def validate(sub: Submission) -> pd.DataFrame:
    """Structural findings of a submission (an empty findings frame when it is sound)."""
    return F.empty() if sound(sub) else validate_models(sub)


def validate_models(sub: Submission) -> pd.DataFrame:
    """Structural findings by the pandera models alone, without the pre-test."""
    import pandera.pandas as pa

    model = models()
    keys = sub.projects["project_key"].tolist()
    indicators = model["indicators"].update_column(
        "project_key", checks=[pa.Check.ge(0), pa.Check.isin(keys, name="belongs_to_project")]
    )
    parts = []
    for frame, schema, fields in (
        ("projects", model["projects"], PROJECT_FIELDS),
        ("indicators", indicators, INDICATOR_FIELDS),
        ("department", model["department"], DEPARTMENT_FIELDS),
    ):
        failures = _failures(schema, sub.frame(frame), fields)
        if len(failures):
            parts.append(_stamp(frame, failures, sub))
    return F.sort(pd.concat(parts, ignore_index=True)) if parts else F.empty()


# --- the pre-test ---------------------------------------------------------------------------------------

#: Key columns of each frame and their type, as in :func:`models` (which decides; this only mirrors it).
_KEYS: dict[str, tuple[tuple[str, type], ...]] = {
    "projects": (("file", str), ("project_key", int)),
    "indicators": (("file", str), ("project_key", int), ("seq", int)),
    "department": (("file", str), ("seq", int), ("kind", str)),
}
_FRAME_FIELDS = {"projects": PROJECT_FIELDS, "indicators": INDICATOR_FIELDS, "department": DEPARTMENT_FIELDS}
_KINDS = frozenset({"heading", "text"})
_INT64 = np.dtype("int64")


def sound(sub: Submission) -> bool:
    """Whether every check of the models certainly passes on ``sub`` (False: not sure, ask pandera).

    Stricter than the models on purpose: a key must be ``int64`` (pandera
    would also take ``Int64``), a text column must hold only ``str``, a field
    only ``str`` or ``None`` (NaN is absent too for pandera) with a ``str``
    location.  Whatever is unusual is left to pandera.
    """
    try:
        if not all(_sound_frame(sub.frame(name), name) for name in _KEYS):
            return False
        projects = sub.projects
        if projects.empty:
            return sub.indicators.empty
        # indicators belong to a project of the file; keys unique (pairs, for indicators)
        keys = set(projects["project_key"].tolist())
        if len(keys) != len(projects) or not set(sub.indicators["project_key"].tolist()) <= keys:
            return False
        pairs = zip(sub.indicators["project_key"].tolist(), sub.indicators["seq"].tolist())
        return len(set(pairs)) == len(sub.indicators)
    except (KeyError, TypeError, ValueError, AttributeError):  # a frame too odd to judge: pandera will tell
        return False


def _sound_frame(df: pd.DataFrame, name: str) -> bool:
    if df.empty:
        return True  # an empty frame is not validated at all
    if not df.columns.is_unique:
        return False
    dtypes = dict(zip(df.columns, df.dtypes))
    where = {c: i for i, c in enumerate(df.columns)}
    cells = df.to_numpy(dtype=object)  # one array for the frame: a Series per column costs more than the test
    for column, kind in _KEYS[name]:
        values, dtype = cells[:, where[column]], dtypes[column]
        if kind is int:
            if dtype != _INT64 or min(values) < 0:
                return False
        elif not (dtype == object or isinstance(dtype, pd.StringDtype)) or not _all_str(values):
            return False
    if name == "department" and not set(cells[:, where["kind"]]) <= _KINDS:
        return False
    for f in _FRAME_FIELDS[name]:
        if dtypes[f] != object:
            return False
        for value, loc in zip(cells[:, where[f]], cells[:, where[f"{f}_loc"]]):
            if value is not None and (type(value) is not str or len(value) > MAX_CELL_CHARS or type(loc) is not str):
                return False
    return True


def _all_str(values: np.ndarray) -> bool:
    return all(type(v) is str for v in values)


def _stamp(frame: str, failures: pd.DataFrame, sub: Submission) -> pd.DataFrame:
    """Findings at each failing row; a failure with no row is reported at the frame's first row."""
    df = sub.frame(frame)
    first = df.index[0]
    index = [i if i in df.index else first for i in failures["index"].fillna(first)]
    columns = failures["column"].fillna(frame).astype(str).str.replace("@located", "", regex=False)
    hits = pd.DataFrame(
        {
            "column": columns.to_numpy(),
            "check_zh": failures["check"].astype(str).map(lambda c: _check_text(c, 0)).to_numpy(),
            "check_en": failures["check"].astype(str).map(lambda c: _check_text(c, 1)).to_numpy(),
            "case": failures["failure_case"].map(lambda v: F.shorten(str(v), 40)).to_numpy(),
            "field": [c if c in _FIELDS else None for c in columns],
        },
        index=index,
    ).drop_duplicates()
    rule = Rule(**{**RULE.__dict__, "frame": frame})
    return stamp(rule, hits, sub, RULE.severity.value)
