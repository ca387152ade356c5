"""The load-error catalogue: why a file could not be checked, in zh and en.

A load error never stops a batch: the file gets ``status: "error"`` with one
of these codes and the other files are checked.
"""

from __future__ import annotations

from typing import Any

#: code → (zh template, en template); templates take ``{path}`` and ``{detail}``.
CATALOG: dict[str, tuple[str, str]] = {
    "not-found": ("{path}: 文件不存在", "{path}: file not found"),
    "permission-denied": ("{path}: 无权读取该文件", "{path}: permission denied"),
    "empty-file": ("{path}: 文件为空", "{path}: the file is empty"),
    "not-a-workbook": (
        "{path}: 不是有效的表格文件（{detail}）",
        "{path}: not a valid workbook ({detail})",
    ),
    "truncated": ("{path}: 文件不完整或已损坏（{detail}）", "{path}: the file is truncated or corrupt ({detail})"),
    "encrypted": ("{path}: 文件有密码保护，请去除密码后再检查", "{path}: the file is password-protected; remove the password"),
    "too-large": ("{path}: 文件超出处理上限（{detail}）", "{path}: the file exceeds a size limit ({detail})"),
    "layout-unknown": (
        "{path}: 无法识别表格格式（{detail}）",
        "{path}: the layout was not recognised ({detail})",
    ),
    "unsupported-format": (
        "{path}: 不支持的文件类型（{detail}）",
        "{path}: unsupported file type ({detail})",
    ),
}


class LoadError(Exception):
    """A file that could not be read into a Submission."""

    def __init__(self, code: str, path: str, detail: str = "", detail_en: str | None = None):
        if code not in CATALOG:
            raise ValueError(f"unknown load-error code {code!r}")
        self.code = code
        self.path = str(path)
        self.detail = detail
        self.detail_en = detail if detail_en is None else detail_en
        super().__init__(self.message("en"))

    def message(self, lang: str = "zh") -> str:
        zh, en = CATALOG[self.code]
        if lang == "zh":
            return zh.format(path=self.path, detail=self.detail)
        return en.format(path=self.path, detail=self.detail_en)

    def as_dict(self, lang: str = "zh") -> dict[str, Any]:
        return {"code": self.code, "message": self.message(lang)}
