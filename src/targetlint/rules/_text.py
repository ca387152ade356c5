"""Text helpers shared by rules: normalisation and character-bigram similarity."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache

import numpy as np
import pandas as pd

from targetlint.rules._memo import CACHED as _CACHED

# Punctuation and spaces ignored when comparing texts (full- and half-width,
# after NFKC): a pasted sentence with or without its final 。 is the same text.
_IGNORED = re.compile(r"[\s\u3000,，.。;；:：!！?？、'\"“”‘’()（）\[\]【】《》<>〈〉…·\-—_/]+")


def normalize(text: str | None) -> str:
    """NFKC, drop spaces and punctuation: the form texts are compared in."""
    if not text:
        return ""
    return _normalize(text if type(text) is str else str(text))


@lru_cache(maxsize=_CACHED)
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


# --- the same measure over many texts at once (TL401, TL501 compare thousands of pairs) ---

_ONE = 0x1FFFFF  # above every code point: marks the only gram of a one-character text
_BIT_BUDGET = 1 << 27  # bits of all texts' bitsets together (16 MB); rarer bigrams go to a set


def multisets(texts: list[str]) -> list[tuple[int, frozenset, int]]:
    """Each text's character bigrams as a multiset that compares fast: (bits, rest, total).

    :func:`bigrams` without a Counter per text, for :func:`dice`.  The k-th
    occurrence of a bigram in a text is a token of its own, so the multiset
    overlap Σ min(count) of two texts is the number of tokens they share.
    Tokens are numbered by how many texts hold them, most first; a text's
    first ``k`` token numbers are the bits of an int (shared: popcount of an
    AND), the rarer ones a frozenset, ``k`` chosen so all the ints stay within
    ``_BIT_BUDGET``.  Comparing two texts then costs a few machine words
    instead of a set intersection — what a run over a thousand files spends
    most of its time on.
    """
    n = len(texts)
    lens = np.fromiter(map(len, texts), np.int64, n)
    # A thousand files' goals and indicator sets run to millions of characters: arrays are
    # dropped as soon as they are used, and kept to 32 bits where that suffices, so the
    # intermediate arrays of this function stay well under the memory of the frames.
    ch = np.frombuffer("".join(texts).encode("utf-32-le"), np.uint32)
    tid = np.repeat(np.arange(n, dtype=np.int32), lens)
    starts = np.zeros(len(ch), bool)  # a bigram starts here
    starts[:-1] = tid[:-1] == tid[1:]
    keep = starts | (lens == 1)[tid]
    after = np.full(len(ch), _ONE, np.uint32)  # else a one-character text: its only gram
    after[:-1][starts[:-1]] = ch[1:][starts[:-1]]
    del starts
    gram = ((ch.astype(np.uint64) << np.uint64(21)) | after)[keep]
    tid = tid[keep]
    del ch, after, keep
    kinds = pd.factorize(gram)[0]
    del gram
    width = int(kinds.max(initial=0)) + 1
    # the k-th occurrence of a bigram in a text is token (bigram, k); which occurrence gets which k is immaterial
    pair = tid.astype(np.int64) * width
    pair += kinds
    del kinds
    pair.sort()
    tid, kind = np.divmod(pair, width)
    tid = tid.astype(np.int32)
    first = np.flatnonzero(np.r_[True, pair[1:] != pair[:-1]]) if len(pair) else np.zeros(0, np.int64)
    del pair
    occ = np.arange(len(kind)) - np.repeat(first, np.diff(np.r_[first, len(kind)]))
    del first
    kind *= int(occ.max(initial=0)) + 1
    kind += occ
    del occ
    token = pd.factorize(kind)[0]
    del kind
    holders = np.bincount(token)  # a token occurs once in a text: the number of texts holding it
    rank = np.empty(len(holders), np.int64)
    rank[np.argsort(-holders, kind="stable")] = np.arange(len(holders))
    rank = rank[token]
    k = int(min(len(holders), max(64, _BIT_BUDGET // max(n, 1))))
    bits = _bit_ints(tid[rank < k], rank[rank < k], n, k)
    rest = [frozenset()] * n
    far = rank >= k
    if far.any():
        ids, at = np.unique(tid[far], return_index=True)
        for i, part in zip(ids.tolist(), np.split(rank[far], at[1:])):
            rest[i] = frozenset(part.tolist())
    return list(zip(bits, rest, np.bincount(tid, minlength=n).tolist()))


def _bit_ints(tid: np.ndarray, bit: np.ndarray, n: int, k: int) -> list[int]:
    """Per text ``0..n-1``, the int with the given bits set (pairs (tid, bit) sorted by tid)."""
    out: list[int] = []
    step = max(1, (1 << 23) // max(k, 1))  # texts per block: a block's bool matrix stays at 8 MB
    bounds = np.searchsorted(tid, np.arange(0, n + step, step))
    for b, lo in enumerate(range(0, n, step)):
        rows = min(step, n - lo)
        mat = np.zeros((rows, k), bool)
        mat[tid[bounds[b] : bounds[b + 1]] - lo, bit[bounds[b] : bounds[b + 1]]] = True
        packed = np.packbits(mat, axis=1, bitorder="little")
        out += [int.from_bytes(row.tobytes(), "little") for row in packed]
    return out


def dice(a: tuple[int, frozenset, int], b: tuple[int, frozenset, int]) -> float:
    """:func:`similarity` of two normalised texts from their :func:`multisets` (equal to it, bit for bit)."""
    shared = (a[0] & b[0]).bit_count() + (len(a[1] & b[1]) if a[1] and b[1] else 0)
    return 2.0 * shared / ((a[2] + b[2]) or 1)


def indicator_sets(ind) -> dict:
    """Each project's set of (三级指标, 指标值) pairs as one text, for comparing projects (TL401, TL501).

    The pairs ``name=value`` (normalised; a row with neither left out) are
    sorted and joined with ``|``.  Keyed by ``project_key``; a project
    without a filled row is missing.  Plain loops: a groupby calling a
    function per project costs ten times as much.
    """
    found: dict = {}
    names, values = ind["level3"].fillna("").tolist(), ind["value"].fillna("").tolist()
    for key, name, value in zip(ind["project_key"].tolist(), names, values):
        pair = f"{normalize(name)}={normalize(value)}"
        if pair != "=":
            found.setdefault(key, set()).add(pair)
    return {key: "|".join(sorted(pairs)) for key, pairs in found.items()}


def has_cjk(text: str) -> bool:
    """Whether the text holds a CJK ideograph (prose, in a value cell)."""
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)
