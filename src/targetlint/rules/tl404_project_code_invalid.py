"""TL404 project-code-invalid — 项目编码格式不符或重复.

The budget system keys each project by its code (项目编码); a code in the
wrong shape, or the same code on two projects of one submission, cannot be
matched to the budget and usually means a copied block.  The profile's
``pattern`` (a regular expression; empty = any code) gives the shape —
hebei-2020: ``NNN-NNNN-XXX-XXXX`` — and ``unit_prefix_digits`` how many
leading digits must repeat the unit code (``914003开元镇…`` → ``914-…``).
Under a profile with a pattern an empty code is reported too; a layout
without codes (the national form) is skipped.  Where the code only differs
by spacing, dash or letter case, the suggestion is the corrected code.
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

from targetlint.rule import Rule, Severity
from targetlint.rules._memo import map_distinct

RULE = Rule(
    code="TL404",
    name="project-code-invalid",
    severity=Severity.WARNING,
    frame="projects",
    field="project_code",
    summary={"zh": "项目编码格式不符或在本表内重复", "en": "Project code malformed or repeated within the submission"},
    message={"zh": "项目编码{what_zh}", "en": "The project code {what_en}"},
    suggestion={"zh": "{advice_zh}", "en": "{advice_en}"},
    params={"pattern": "", "format": "", "unit_prefix_digits": 0},
    needs=("project_code",),
    source="预算管理一体化系统项目库：项目编码由系统按“单位编码-类别-顺序号”生成，一个项目一个编码（财办〔2020〕13号）",
    bad={"projects": [{}, {"project_name": "村级组织运转经费"}]},
    good={"projects": [{}, {"project_name": "村级组织运转经费", "project_code": "913-0201-ABC-1K2N"}]},
)

_DASHES = re.compile(r"[\s]+|[‐‑‒–—―−－_]")


def _fixed(code: str) -> str:
    """The code as the system writes it: NFKC, no spaces, ASCII dashes, upper case."""
    return _DASHES.sub(lambda m: "" if m.group().isspace() else "-", unicodedata.normalize("NFKC", code)).upper()


def _format_problem(code: str, unit: str, params) -> tuple[str, str, str, str] | None:
    """(what zh, what en, advice zh, advice en) when ``code`` breaks the profile's shape."""
    fmt, code = params.format or params.pattern, code.strip()  # loaders trim; surrounding spaces are not the code
    if not code:
        return "为空", "is empty", f"按“{fmt}”格式填写项目库中的项目编码", f"Fill in the project code from the project library ({fmt})"
    ok = re.fullmatch(params.pattern, code)
    if not ok and re.fullmatch(params.pattern, _fixed(code)):
        return (f"“{code}”写法不规范", f"“{code}” is not written canonically",
                f"改为“{_fixed(code)}”", f"Write it as “{_fixed(code)}”")
    if not ok:
        return (f"“{code}”不符合“{fmt}”格式", f"“{code}” does not match {fmt}",
                f"按“{fmt}”格式填写项目库中的项目编码", f"Copy the code ({fmt}) from the project library")
    n, digits = params.unit_prefix_digits, re.match(r"\s*(\d+)", unit or "")
    fixed = _fixed(code)
    if n and digits and len(digits.group(1)) >= n and fixed[:n] != digits.group(1)[:n]:
        want = digits.group(1)[:n] + fixed[n:]
        return (f"前{n}位“{fixed[:n]}”与单位编码“{digits.group(1)}”不一致", f"“{code}” does not start with the unit code “{digits.group(1)}”",
                f"核对编码，应为“{want}”一类", f"Check the code: expected something like “{want}”")
    return None


def check(sub, params) -> pd.DataFrame:
    p = sub.projects[sub.projects["project_code"].notna()]
    # a project without its own unit takes its file's first unit
    fallback = pd.Series([sub.first_unit(f) or "" for f in p["file"]], index=p.index, dtype=object)
    units = p["unit"].where(p["unit"].fillna("").str.strip() != "", fallback)
    rows = []
    if params.pattern:
        for i, code, unit in zip(p.index, p["project_code"], units):
            if (problem := _format_problem(code, unit, params)) is not None:
                rows.append((i, *problem))
    keys = map_distinct(p["project_code"], _fixed)
    seq = p.groupby("file", sort=False).cumcount() + 1
    named = p[keys != ""]
    # only codes used twice in a file form groups worth walking: a frame per project would cost more than the rule
    twice = named[pd.DataFrame({"file": named["file"], "key": keys[named.index]}).duplicated(keep=False)]
    for _, group in twice.groupby([twice["file"], keys[twice.index]], sort=False):
        for i in group.index if len(group) > 1 else ():
            others = "、".join(f"第{seq[j]}项「{p.at[j, 'project_name'] or ''}」" for j in group.index if j != i)
            others_en = ", ".join(f"no. {seq[j]}" for j in group.index if j != i)
            rows.append((i, f"“{p.at[i, 'project_code']}”与{others}重复", f"“{p.at[i, 'project_code']}” repeats that of {others_en}",
                         "每个项目使用项目库中各自的编码", "Give each project its own code from the project library"))
    if not rows:  # no hits: no frame to build
        return pd.DataFrame()
    hits = pd.DataFrame(rows, columns=["row", "what_zh", "what_en", "advice_zh", "advice_en"])
    return hits.set_index("row").rename_axis(None).sort_index(kind="stable")
