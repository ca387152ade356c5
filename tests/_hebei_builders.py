"""Build Hebei-form (layout L1) workbooks and texts for the loader tests.

A :class:`BlockSpec` describes one project's form; :func:`write_block` draws
it on an openpyxl worksheet the way clerks fill it in: title merged across,
unit line, labels with values to their right, 资金用途 under its label,
spending-plan values under the month-ends, 一级/二级 merged down.  Options
cover what real files vary in: label spellings, blank spacer rows, shifted
columns, no merges (一级 written once and left blank below), extra indicator
columns, no title.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from openpyxl.worksheet.worksheet import Worksheet

LABELS = {
    "code": "项目编码",
    "name": "项目名称",
    "purpose": "预算规模及资金用途",
    "total": "预算数",
    "fiscal": "其中：财政资金",
    "other": "其他资金",
    "plan": "资金支出计划（%）",
    "months": ("3月底", "6月底", "10月底", "12月底"),
    "goal": "绩效目标",
    "header": ("一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"),
}

INDICATORS = [
    ("产出指标", "数量指标", "改造农村道路里程", "年内完成村内道路硬化", "≥12公里", "计划标准"),
    ("产出指标", "质量指标", "工程验收合格率", "竣工验收一次合格", "100%", "行业标准"),
    ("效益指标", "社会效益指标", "群众出行条件", "雨天出行不再泥泞", "明显改善", "其他标准"),
    ("满意度指标", "服务对象满意度指标", "沿线村民满意度", "入户问卷调查", "≥90%", "历史标准"),
]


@dataclass
class BlockSpec:
    """One project form; ``None`` leaves a part out entirely."""

    title: str | None = "1、村内道路硬化工程绩效目标表"
    unit_line: str | None = "913021西关镇人民政府"
    money_note: str | None = "单位：万元"
    code: str = "913-0301-QWE-7H2K"
    name: str = "村内道路硬化工程"
    budget: tuple[Any, Any, Any] = (120.5, 100.5, 20)
    purpose: str = "用于12个行政村的村内主干道硬化，含路基处理和水泥混凝土路面。"
    plan: tuple[Any, Any, Any, Any] = (10, 40, 80, 100)
    goal: str = "1、年内完成12公里村内道路硬化；\n2、工程验收合格率100%。"
    indicators: list[tuple] = field(default_factory=lambda: list(INDICATORS))
    extras: dict[str, list[Any]] = field(default_factory=dict)  # header label → values
    labels: dict[str, Any] = field(default_factory=dict)  # overrides of LABELS
    merged: bool = True
    spacer: bool = False
    col0: int = 1  # first column (1 = A)


def label(spec: BlockSpec, key: str) -> Any:
    return spec.labels.get(key, LABELS[key])


def _put(ws: Worksheet, r: int, c: int, value: Any, span: int = 1, down: int = 1) -> None:
    ws.cell(row=r, column=c, value=value)
    if span > 1 or down > 1:
        ws.merge_cells(start_row=r, start_column=c, end_row=r + down - 1, end_column=c + span - 1)


def write_block(ws: Worksheet, row: int, spec: BlockSpec) -> int:
    """Draw ``spec`` from ``row`` down; returns the first row after the block."""
    a = spec.col0
    m = spec.merged
    r = row
    if spec.title is not None:
        _put(ws, r, a, spec.title, span=7 if m else 1)
        r += 1
    if spec.unit_line is not None or spec.money_note is not None:
        if spec.unit_line is not None:
            _put(ws, r, a, spec.unit_line, span=4 if m else 1)
        if spec.money_note is not None:
            _put(ws, r, a + 6, spec.money_note)
        r += 1
    r += spec.spacer
    _put(ws, r, a, label(spec, "code"))
    _put(ws, r, a + 1, spec.code, span=2 if m else 1)
    _put(ws, r, a + 3, label(spec, "name"))
    _put(ws, r, a + 4, spec.name, span=3 if m else 1)
    r += 1
    _put(ws, r, a, label(spec, "purpose"), down=2 if m else 1)
    for i, key in enumerate(("total", "fiscal", "other")):
        _put(ws, r, a + 1 + 2 * i, label(spec, key))
        _put(ws, r, a + 2 + 2 * i, spec.budget[i])
    _put(ws, r + 1, a + 1, spec.purpose, span=6 if m else 1)
    r += 2 + spec.spacer
    _put(ws, r, a, label(spec, "plan"), down=2 if m else 1)
    for i, month in enumerate(label(spec, "months")):
        _put(ws, r, a + 1 + i, month)
        _put(ws, r + 1, a + 1 + i, spec.plan[i])
    r += 2
    _put(ws, r, a, label(spec, "goal"))
    _put(ws, r, a + 1, spec.goal, span=6 if m else 1)
    r += 1 + spec.spacer
    return _indicators(ws, r, spec)


def _indicators(ws: Worksheet, r: int, spec: BlockSpec) -> int:
    a = spec.col0
    header = list(label(spec, "header")) + list(spec.extras)
    for i, text in enumerate(header):
        _put(ws, r, a + i, text)
    r += 1
    first = r
    for i, ind in enumerate(spec.indicators):
        for j, text in enumerate(ind):
            ws.cell(row=r + i, column=a + j, value=text)
        for j, values in enumerate(spec.extras.values()):
            ws.cell(row=r + i, column=a + len(ind) + j, value=values[i])
    last = r + len(spec.indicators) - 1
    for col in (0, 1):
        _group_runs(ws, first, last, a + col, spec.merged, spec.indicators, col)
    return last + 1


def _group_runs(ws: Worksheet, first: int, last: int, col: int, merged: bool, rows: list[tuple], j: int) -> None:
    """Merge (or blank) runs of equal 一级/二级 names below their first row."""
    start = first
    for r in range(first + 1, last + 2):
        same = r <= last and rows[r - first][: j + 1] == rows[start - first][: j + 1]
        if same:
            continue
        if r - 1 > start:
            if merged:
                ws.merge_cells(start_row=start, start_column=col, end_row=r - 1, end_column=col)
            else:
                for k in range(start + 1, r):
                    ws.cell(row=k, column=col, value=None)
        start = r


def seed_like_text(projects: int = 2) -> str:
    """A small text in the seed's shape (Word text export, layout L4)."""
    out = [
        "第一部分",
        "部门整体绩效目标",
        "一、总体绩效目标 TC 总体绩效目标 \\f A \\l 1 ",
        "2021年全镇完成重点项目8个，新增就业岗位300个。",
        "",
        "第二部分",
    ]
    for i in range(1, projects + 1):
        out += [
            f"{i}、农田水利维修{i}期绩效目标表 TC {i}、农田水利维修{i}期绩效目标表 \\f C \\l 1 ",
            "\t915006南关乡人民政府",
            "\t单位：万元",
            "",
            "\t项目编码", f"\t915-0102-ABC-00{i}Z", "\t项目名称", f"\t农田水利维修{i}期",
            "",
            "\t预算规模及资金用途", "\t预算数", f"\t{10 * i}.50", "\t其中：财政资金", f"\t{10 * i}.50", "\t其他资金", "\t",
            "",
            "\t", "\t维修灌溉机井和渠道。",
            "",
            "\t资金支出计划（%）", "\t3月底", "\t6月底", "\t10月底", "\t12月底",
            "",
            "\t", "\t30", "\t60", "\t90", "\t100",
            "",
            "\t绩效目标", "\t1、维修机井20眼；", "2、灌溉面积恢复到3000亩。",
            "",
            "\t一级指标", "\t二级指标", "\t三级指标", "\t绩效指标描述", "\t指标值", "\t指标值确定依据",
            "",
            "\t产出指标", "\t数量指标", "\t维修机井数量", "\t年内维修机井", "\t≥20眼", "\t计划标准",
            "",
            "\t", "\t质量指标", "\t验收合格率", "\t维修后通过验收", "\t≥95%", "\t行业标准",
            "",
            "\t", "\t", "\t渠道通水率", "\t维修渠道通水", "\t100%", "\t行业标准",
            "",
            "\t满意度指标", "\t服务对象满意度指标", "\t农户满意度", "\t问卷调查", "\t≥90%", "\t历史标准",
            "",
            "",
        ]
    return "\n".join(out) + "\n"
