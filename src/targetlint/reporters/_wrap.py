"""Line breaking of Chinese and mixed text for the terminal report (rich breaks only at spaces)."""

from __future__ import annotations

import re
from functools import lru_cache

from rich.cells import cell_len

#: Chinese punctuation that may not start a line / may not end one (line-breaking rules, GB/T 15834).
_NO_START = set("，。、；：？！）》」』”’】%…·")
_NO_END = set("（《「『“‘【")
_TOKEN = re.compile(r"[\x21-\x7e]+|\s+|.", re.S)


def _tokens(text: str) -> list[str]:
    """Unbreakable pieces: an ASCII word, a run of spaces, or one CJK character with its punctuation."""
    out: list[str] = []
    for tok in _TOKEN.findall(text):
        if out and (tok[0] in _NO_START or out[-1][-1] in _NO_END) and not tok.isspace():
            out[-1] += tok
        else:
            out.append(tok)
    return out


def wrap(text: str, width: int) -> list[str]:
    """Wrap ``text`` to ``width`` terminal cells, breaking between CJK characters.

    rich breaks lines only at spaces, which leaves a Chinese sentence either
    unbroken or split at its one space; this breaks where Chinese typesetting
    allows, and at spaces between Latin words.
    """
    return list(_wrap(text, width))


@lru_cache(maxsize=4096)
def _wrap(text: str, width: int) -> tuple[str, ...]:
    # A batch repeats its messages and suggestions: wrap each text once per width.
    lines: list[str] = []
    for para in text.split("\n"):
        line = ""
        for tok in _tokens(para):
            if line.strip() and cell_len(line) + cell_len(tok.rstrip()) > width:
                lines.append(line.rstrip())
                line = tok.lstrip()
            else:
                line += tok
        lines.append(line.rstrip())
    return tuple(lines)
