"""Pandera models of the canonical frames; what they reject becomes findings (TL000).

The models state what every layout parser promises: keys are integers and
unique, every indicator belongs to a project of the same submission, every
field is text or absent (``None``), a field that is present has a location,
and no cell is longer than Excel can hold.  A violation means the file is
malformed in a way the rules cannot reason about (or a parser has a bug); it
is reported as a TL000 finding at the offending row, never as a crash.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from targetlint import findings as F
from targetlint.engine import stamp
from targetlint.rule import Rule, Severity
from targetlint.submission import DEPARTMENT_FIELDS, INDICATOR_FIELDS, PROJECT_FIELDS, Submission

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
    return pa.DataFrameSchema({"file": pa.Column(str), **keys, **_field_columns(fields)}, unique=unique)


#: The canonical frames' models.  Key columns are integers; a field is text or absent.
PROJECTS = _model({"project_key": pa.Column(int, pa.Check.ge(0), unique=True)}, PROJECT_FIELDS)
INDICATORS = _model(
    {"project_key": pa.Column(int, pa.Check.ge(0)), "seq": pa.Column(int, pa.Check.ge(0))},
    INDICATOR_FIELDS,
    unique=["project_key", "seq"],
)
DEPARTMENT = _model(
    {"seq": pa.Column(int, pa.Check.ge(0)), "kind": pa.Column(str, pa.Check.isin(["heading", "text"]))},
    DEPARTMENT_FIELDS,
)
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
    if df.empty:
        return pd.DataFrame()
    try:
        schema.validate(_view(df, fields), lazy=True)
    except pa.errors.SchemaErrors as exc:
        return exc.failure_cases
    return pd.DataFrame()


def validate(sub: Submission) -> pd.DataFrame:
    """Structural findings of a submission (an empty findings frame when it is sound)."""
    keys = sub.projects["project_key"].tolist()
    indicators = INDICATORS.update_column(
        "project_key", checks=[pa.Check.ge(0), pa.Check.isin(keys, name="belongs_to_project")]
    )
    parts = []
    for frame, schema, fields in (
        ("projects", PROJECTS, PROJECT_FIELDS),
        ("indicators", indicators, INDICATOR_FIELDS),
        ("department", DEPARTMENT, DEPARTMENT_FIELDS),
    ):
        failures = _failures(schema, sub.frame(frame), fields)
        if len(failures):
            parts.append(_stamp(frame, failures, sub))
    return F.sort(pd.concat(parts, ignore_index=True)) if parts else F.empty()


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
