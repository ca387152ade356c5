"""TL002 template-placeholder — 文本中留有模板占位符.

Blank forms and last year's copies come with placeholders: ``XX镇``,
``20XX年``, ``×××``, ``**``, a lone ``*``, ``≥……%``, ``★``, ``（示例）``,
``请填写……``, ``待定``, ``某某村``.  A table sent in with one of them is not
finished, and a reviewer sends it back.  Legitimate look-alikes stay quiet:
an ``X`` inside a code (``914-0102-XQN-FGM4``), a multiplication sign
(``3×4米``), a footnote star (``资金来源*``), an ellipsis ending a list
(``道路、桥梁……等``).  Where the token is only a marker (``★``, ``（示例）``)
the suggestion is the text without it; a slot (``XX``, ``待定``) must be filled.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import pandas as pd

from targetlint.rule import Rule, Severity
from targetlint.rules._memo import map_distinct
from targetlint.rules._grammar import words
from targetlint.rules._memo import CACHED as _CACHED

RULE = Rule(
    code="TL002",
    name="template-placeholder",
    severity=Severity.ERROR,
    frame="texts",
    field=None,
    summary={"zh": "文本中留有模板占位符（XX、××、……、请填写、待定）", "en": "Template placeholders left in a text (XX, ××, ……, 请填写, 待定)"},
    message={"zh": "{field_label}中留有模板占位符“{tokens}”，表格未填写完成", "en": "The {field_label} still holds the template placeholder “{tokens}”: the form is unfinished"},
    suggestion={"zh": "{advice_zh}", "en": "{advice_en}"},
    params={
        "slot_words": ["请填写", "请输入", "请选择", "请填报", "在此填写", "此处填写", "待定", "待填", "待补充", "某某"],
        "marker_words": ["(示例)", "【示例】", "示例:", "(样例)", "(例)", "★", "☆"],
    },
    source="《预算绩效目标表》填报要求：各栏应据实填写完整（财预〔2015〕88号附件）",
    bad={"project": {"goal": "全年完成XX个村道路硬化，群众满意度达到……%"}},
    good={"project": {"goal": "全年完成12个村道路硬化3×4米错车平台20处，群众满意度达到90%"}},
)

_ALNUM = r"[0-9A-Za-z]"
# An all-X token (XX镇, XXX万元) or a year with X digits (20XX年, 202X年) — not an X inside a code.
_XTOKEN = rf"(?<!{_ALNUM})(?:[Xx]{{2,}}|(?:19|20)[0-9Xx]{{2}}(?<![0-9]{{2}}))(?!{_ALNUM})"
_SIGN = r"[≥≤=<>]"


def _pattern(params, vocab) -> re.Pattern:
    units = sorted({str(u) for us in words(vocab)["units"].values() for u in us}, key=len, reverse=True)
    unit = "|".join(re.escape(u) for u in units)
    # 年终, 人员…: a unit character starting an ordinary word is not a unit (……年终考核)
    unit = f"(?!{'|'.join(re.escape(w) for w in words(vocab)['unit_lookalikes'])})(?:{unit})"
    slots = [
        _XTOKEN, r"×{2,}", r"\*{2,}", r"^\s*\*\s*$", rf"(?<={_SIGN})\*|\*(?=%)",  # ×××, **, a lone * or ≥*%
        r"^\s*(?:…+|\.{3,})\s*$", rf"(?:{_SIGN}|第)\s*(?:…+|\.{{3,}})|(?:…+|\.{{3,}})\s*(?:{unit})",  # ≥……%, ……个
        r"(?<![零〇一二三四五六七八九十])[○□]{2,}",  # ○○镇 but not 二○○八年
        *(re.escape(w) for w in params.slot_words),
    ]
    markers = [re.escape(w) for w in params.marker_words]
    return re.compile(f"(?P<slot>{'|'.join(slots)})|(?P<marker>{'|'.join(markers) or '(?!)'})")


def _quick(params) -> re.Pattern:
    """What every placeholder holds: one of its characters (X × * … ○ □), ``...`` or a slot or marker word.

    Texts without any (nearly all) are cleared by this one cheap scan instead of the full pattern.
    """
    literals = ["...", *params.slot_words, *params.marker_words]
    return re.compile("[Xx×*…○□]|" + "|".join(re.escape(w) for w in literals))


@lru_cache(maxsize=_CACHED)
def _finding(text: str, rx: re.Pattern, quick: re.Pattern) -> tuple[str, str, str] | None:
    """(tokens, zh advice, en advice) of one text, or None when it has no placeholder (memoised)."""
    # Match on NFKC (ＸＸ, ＊＊, （示例）) char by char, so spans map back to the original text.
    # A text already in NFKC form is its own char-by-char NFKC (every char maps to itself).
    if unicodedata.is_normalized("NFKC", text):
        if not quick.search(text) or not rx.search(text):
            return None
        found = list(rx.finditer(text))
        at = range(len(text) + 1)
    else:
        chars = [unicodedata.normalize("NFKC", ch) for ch in text]
        starts = [0]
        for c in chars:
            starts.append(starts[-1] + len(c))
        at = {pos: i for i, pos in enumerate(starts)}
        found = [m for m in rx.finditer("".join(chars)) if m.start() in at and m.end() in at]
    if not found:
        return None
    spans = [(at[m.start()], at[m.end()]) for m in found]
    tokens = "、".join(dict.fromkeys(text[a:b].strip() for a, b in spans))
    kept = "".join(ch for i, ch in enumerate(text) if not any(a <= i < b for a, b in spans))
    cleaned = " ".join(kept.split()).strip("，,；;:： ")
    if all(m.lastgroup == "marker" for m in found) and re.search(r"[\u4e00-\u9fff0-9]", cleaned):
        return tokens, f"删除模板标记，改为“{cleaned}”，并确认内容为本单位实际情况", f"Remove the template marker: “{cleaned}” (and check it is your own content)"
    return tokens, f"将“{tokens}”替换为本项目的实际内容", f"Replace “{tokens}” with the project's actual content"


def check(sub, params) -> pd.DataFrame:
    texts = sub.texts
    rx, quick = _pattern(params, params.get("vocab")), _quick(params)
    found = map_distinct(texts["text"].astype(str), lambda t: _finding(t, rx, quick)).dropna()
    if not len(found):  # no hits: no frame to build
        return pd.DataFrame()
    return pd.DataFrame(
        {"tokens": [f[0] for f in found], "advice_zh": [f[1] for f in found], "advice_en": [f[2] for f in found]},
        index=found.index,
    )
