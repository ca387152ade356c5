"""TL001 field-code-residue — 文本中残留 Word 域代码.

When a Word document is copied or converted to text, field codes come along
as visible text: table-of-contents entries (``TC 1、… \\f C \\l 1``), page
references (``PAGEREF _Toc123 \\h``), ``\\* MERGEFORMAT``, ``HYPERLINK``, and
the error texts Word prints for a broken reference (``错误！未定义书签。``,
``Error! Bookmark not defined.``).  They are noise in a submission a
reviewer prints and a sign the table was not proofread.  The suggestion is
the text with the codes removed (for a ``TC`` entry, the heading itself).
"""

from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd

from targetlint.rule import Rule, Severity
from targetlint.rules._memo import map_distinct
from targetlint.rules._memo import CACHED as _CACHED

# One alternative per kind of residue.  A keyword may follow CJK text directly
# (标题TC …), where \b would not see a word boundary, so look behind for Latin only.
_LATIN_EDGE = r"(?<![A-Za-z0-9])"
# A switch: \h \z \u \n \p \w take no argument; the others (\f C, \l 1, \o "1-3") take one.
_SWITCHES = r"(?:\s*\\[hzunpw](?![A-Za-z])|\s*\\[a-z]\s+(?:\"[^\"]*\"|[A-Za-z0-9_-]+))"
_CODES = [
    # TC "entry" \f C \l 1 — a TOC entry field: keyword, entry text, switches
    rf"\{{?\s*{_LATIN_EDGE}TC\s+\"?[^\\\"]*?\"?{_SWITCHES}+\s*\}}?",
    rf"\{{?\s*{_LATIN_EDGE}TOC{_SWITCHES}+\s*\}}?",
    rf"\{{?\s*{_LATIN_EDGE}PAGEREF\s+_Toc\d+{_SWITCHES}*\s*\}}?",
    rf"\{{?\s*{_LATIN_EDGE}HYPERLINK{_SWITCHES}*(?:\s+\"[^\"]*\")?{_SWITCHES}*\s*\}}?",
    r"\\\*\s*MERGEFORMAT(?:INET)?|(?<![A-Za-z])MERGEFORMAT",
    r"错误[!！]\s*(?:未定义书签|未找到引用源|书签自引用无效)[。.]?",
    r"(?i:Error!\s*(?:Bookmark not defined|Reference source not found))\.?",
    rf"{_LATIN_EDGE}_Toc\d{{6,}}",
]
_RESIDUE = re.compile("|".join(f"(?:{c})" for c in _CODES))
# Every code above holds one of these words: a text without them is cleared by one cheap scan.
_WORDS = re.compile(r"TC|TOC|PAGEREF|HYPERLINK|MERGEFORMAT|错误|_Toc|(?i:error)")
_TC_ENTRY = re.compile(r"(?<![A-Za-z0-9])TC\s+\"?([^\\\"]*?)\"?\s*(?=\\)")

RULE = Rule(
    code="TL001",
    name="field-code-residue",
    severity=Severity.WARNING,
    frame="texts",
    field=None,
    summary={"zh": "文本中残留 Word 域代码或目录标记", "en": "Word field codes or TOC residue left in a text"},
    message={
        "zh": "{field_label}中残留 Word 域代码“{residue}”",
        "en": "The {field_label} carries Word field-code residue “{residue}”",
    },
    suggestion={"zh": "删除域代码，改为“{suggest}”", "en": "Remove the field code: “{suggest}”"},
    params={},
    source="《预算绩效目标表》填报要求：表内文字应为正式内容（财预〔2015〕88号附件格式）",
    bad={"project": {"title": "2、村级干部培训经费绩效目标表 TC 2、村级干部培训经费绩效目标表 \\f C \\l 1"}},
    good={"project": {"title": "2、村级干部培训经费绩效目标表"}},
)


def _show(residue: str) -> str:
    """The residue as shown in the message: the TC entry text (a copy of the heading) elided."""
    return _TC_ENTRY.sub("TC … ", " ".join(residue.split()))[:40]


@lru_cache(maxsize=_CACHED)
def _first(text: str) -> str | None:
    """The first residue in a text (memoised: the same sentences recur in every file of a run)."""
    m = _RESIDUE.search(text) if _WORDS.search(text) else None
    return m.group() if m else None


def _clean(text: str) -> str:
    """The text without field codes; a text that was only a ``TC`` field keeps its entry."""
    cleaned = " ".join(_RESIDUE.sub("", text).split())
    if not cleaned and (m := _TC_ENTRY.search(text)):
        cleaned = m.group(1).strip()
    return cleaned


def check(sub, params) -> pd.DataFrame:
    texts = sub.texts
    # the first residue of each distinct text (texts repeat across the files of a run)
    first = map_distinct(texts["text"].astype(str), _first)
    found = first.dropna()
    if not len(found):  # no hits: no frame to build
        return pd.DataFrame()
    hit = texts.loc[found.index, "text"].astype(str)
    return pd.DataFrame(
        {
            "residue": found.map(_show),
            "suggest": [_clean(t) for t in hit],
        },
        index=found.index,
    )
