"""Text helpers shared by rules: normalisation and character-bigram similarity."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache

# Punctuation and spaces ignored when comparing texts (full- and half-width,
# after NFKC): a pasted sentence with or without its final 。 is the same text.
_IGNORED = re.compile(r"[\s\u3000,，.。;；:：!！?？、'\"“”‘’()（）\[\]【】《》<>〈〉…·\-—_/]+")


def normalize(text: str | None) -> str:
    """NFKC, drop spaces and punctuation: the form texts are compared in."""
    if not text:
        return ""
    return _normalize(text if type(text) is str else str(text))


@lru_cache(maxsize=1 << 16)
def _normalize(text: str) -> str:
    # Memoised: the same texts are compared pairwise and across several rules.
    return _IGNORED.sub("", unicodedata.normalize("NFKC", text))


def bigrams(text: str) -> Counter:
    """Character bigrams of a normalised text (a single character is its own gram).

    The Counter may be shared between callers (memoised): do not modify it.
    """
    return _bigrams(text)


@lru_cache(maxsize=1 << 10)  # pairs are compared within a row or a file; a long text's Counter is large
def _bigrams(text: str) -> Counter:
    if len(text) < 2:
        return Counter([text]) if text else Counter()
    return Counter(text[i : i + 2] for i in range(len(text) - 1))


def similarity(a: str | None, b: str | None) -> float:
    """Dice coefficient of character bigrams of two texts, after :func:`normalize`.

    1.0 for equal texts; 0.0 when either is empty.
    """
    na, nb = normalize(a), normalize(b)
    if not na or not nb:
        return 0.0
    if na == nb:
        return 1.0
    ga, gb = bigrams(na), bigrams(nb)
    overlap = sum((ga & gb).values())
    return 2.0 * overlap / (sum(ga.values()) + sum(gb.values()))


def similar(a: str | None, b: str | None, floor: float) -> float:
    """:func:`similarity` when it can reach ``floor``; else 0.0, found without counting the shared bigrams.

    Shared bigrams count at most once each, plus the repeats a text has:
    ``overlap ≤ |shared keys| + min(repeats of a, repeats of b)``.  When even
    that bound falls short of ``floor`` (most pairs of unrelated texts), the
    pair is dismissed at the cost of one set intersection.
    """
    na, nb = normalize(a), normalize(b)
    if not na or not nb:
        return 0.0
    if na == nb:
        return 1.0
    ga, gb = bigrams(na), bigrams(nb)
    ta, tb = _total(na), _total(nb)
    shared = len(ga.keys() & gb.keys())
    if 2.0 * (shared + min(ta - len(ga), tb - len(gb))) / (ta + tb) < floor:
        return 0.0
    return similarity(na, nb)


@lru_cache(maxsize=1 << 12)
def _total(text: str) -> int:
    return sum(_bigrams(text).values())


def has_cjk(text: str) -> bool:
    """Whether the text holds a CJK ideograph (prose, in a value cell)."""
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)
