"""Exact decimal reading of amounts as units write them (``38.34``, ``1,200.00``, ``５万``)."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

_AMOUNT = re.compile(r"^[+-]?\d+(?:\.\d+)?$")


def amount(text: str | None) -> Decimal | None:
    """The amount in a money cell, or None when blank or not a number."""
    if text is None:
        return None
    s = unicodedata.normalize("NFKC", str(text)).replace(",", "").replace(" ", "").strip()
    s = re.sub(r"(万元|元|万)$", "", s)
    if not _AMOUNT.match(s):
        return None
    try:
        return Decimal(s)
    except InvalidOperation:  # pragma: no cover - the regex rules this out
        return None


def is_blank(text: str | None) -> bool:
    return text is not None and str(text).strip() == ""
