"""The load-error catalogue: why a file could not be checked, in zh and en.

A load error never stops a batch: the file gets ``status: "error"`` with one
of these codes and a message naming the file, and the other files are
checked; the run exits with 2.  ``targetlint rules`` lists the catalogue
after the rules (:data:`KINDS`), the way it lists the rules themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ErrorKind:
    """One kind of load error: a short title and the message template (``{path}``, ``{detail}``)."""

    code: str
    title: dict[str, str]
    message: dict[str, str]


#: Every load error, in the order ``targetlint rules`` lists them.
KINDS: tuple[ErrorKind, ...] = (
    ErrorKind(
        "empty-file",
        {"zh": "文件为空（0 字节）", "en": "The file is empty (0 bytes)"},
        {"zh": "{path}: 文件为空", "en": "{path}: the file is empty"},
    ),
    ErrorKind(
        "not-a-workbook",
        {"zh": "内容不是表格文件（随机数据、改了扩展名的文本等）", "en": "The content is no workbook (random bytes, renamed text, etc.)"},
        {"zh": "{path}: 不是有效的表格文件（{detail}）", "en": "{path}: not a valid workbook ({detail})"},
    ),
    ErrorKind(
        "truncated",
        {"zh": "文件不完整或已损坏", "en": "The file is truncated or corrupt"},
        {"zh": "{path}: 文件不完整或已损坏（{detail}）", "en": "{path}: the file is truncated or corrupt ({detail})"},
    ),
    ErrorKind(
        "encrypted",
        {"zh": "文件有密码保护", "en": "The file is password-protected"},
        {"zh": "{path}: 文件有密码保护，请去除密码后再检查", "en": "{path}: the file is password-protected; remove the password"},
    ),
    ErrorKind(
        "too-large",
        {"zh": "超出处理上限（文件大小、解压大小、压缩比、单元格数、单元格长度）",
         "en": "Beyond a limit (file size, unpacked size, compression ratio, cells, cell length)"},
        {"zh": "{path}: 文件超出处理上限（{detail}）", "en": "{path}: the file exceeds a size limit ({detail})"},
    ),
    ErrorKind(
        "layout-unknown",
        {"zh": "无法识别表格格式（不是已知的绩效目标表）", "en": "The layout is not recognised (no known target form)"},
        {"zh": "{path}: 无法识别表格格式（{detail}）", "en": "{path}: the layout was not recognised ({detail})"},
    ),
    ErrorKind(
        "unsupported-format",
        {"zh": "不支持的文件类型（PDF、.doc、.xlsb、文件夹等）", "en": "Unsupported file type (PDF, .doc, .xlsb, a folder, etc.)"},
        {"zh": "{path}: 不支持的文件类型（{detail}）", "en": "{path}: unsupported file type ({detail})"},
    ),
    ErrorKind(
        "permission-denied",
        {"zh": "无权读取该文件", "en": "No permission to read the file"},
        {"zh": "{path}: 无权读取该文件", "en": "{path}: permission denied"},
    ),
    ErrorKind(
        "not-found",
        {"zh": "文件不存在", "en": "The file does not exist"},
        {"zh": "{path}: 文件不存在", "en": "{path}: file not found"},
    ),
)

BY_CODE: dict[str, ErrorKind] = {k.code: k for k in KINDS}
#: code → (zh template, en template), the shape earlier callers use.
CATALOG: dict[str, tuple[str, str]] = {k.code: (k.message["zh"], k.message["en"]) for k in KINDS}


class LoadError(Exception):
    """A file that could not be read into a Submission."""

    def __init__(self, code: str, path: str, detail: str = "", detail_en: str | None = None):
        if code not in BY_CODE:
            raise ValueError(f"unknown load-error code {code!r}")
        self.code = code
        self.path = str(path)
        self.detail = detail
        self.detail_en = detail if detail_en is None else detail_en
        super().__init__(self.message("en"))

    def message(self, lang: str = "zh") -> str:
        """The message naming the file and the reason, ending with the code (``… [encrypted]``).

        The code is part of the message so that every output format shows
        it, the ones that only have room for a message included.
        """
        template = BY_CODE[self.code].message["zh" if lang == "zh" else "en"]
        detail = self.detail if lang == "zh" else self.detail_en
        if not detail:  # "…已损坏", not "…已损坏（）"
            template = template.replace("（{detail}）", "").replace(" ({detail})", "")
        return f"{template.format(path=self.path, detail=detail)} [{self.code}]"

    def as_dict(self, lang: str = "zh") -> dict[str, Any]:
        return {"code": self.code, "message": self.message(lang)}
