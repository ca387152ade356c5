"""Text helpers shared by rules: normalisation and character-bigram similarity."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

# Punctuation and spaces ignored when comparing texts (full- and half-width,
# after NFKC): a pasted sentence with or without its final 。 is the same text.
_IGNORED = re.compile(r"[\s\u3000,，.。;；:：!！?？、'\"“”‘’()（）\[\]【】《》<>〈〉…·\-—_/]+")


def normalize(text: str | None) -> str:
    """NFKC, drop spaces and punctuation: the form texts are compared in."""
    if not text:
        return ""
    return _IGNORED.sub("", unicodedata.normalize("NFKC", str(text)))


def bigrams(text: str) -> Counter:
    """Character bigrams of a normalised text (a single character is its own gram)."""
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


def has_cjk(text: str) -> bool:
    """Whether the text holds a CJK ideograph (prose, in a value cell)."""
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)
