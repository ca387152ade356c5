"""Limits that keep a hostile or broken file from exhausting memory or time.

Each limit is checked *before* the work it guards, from what is cheap to
know: the file's size on disk, the sizes a zip container declares for its
parts (both zip readers in use refuse a part that inflates past its declared
size), and a streaming scan of the sheet XML for the cells' addresses.  A
file over a limit is refused with the load error ``too-large`` naming the
limit; nothing larger than the limits is ever materialised.

The defaults fit real submissions with a wide margin (a county's workbook
is well under 10 MB and a few thousand cells; a province-wide flat export a
few hundred thousand cells) and keep one file's peak memory well under
1 GB.  A bureau may change them in ``targetlint.toml``::

    [limits]
    max-file-mb = 100          # size of the file on disk
    max-unzipped-mb = 256      # what an .xlsx/.docx declares it unpacks to, all parts together
    max-ratio = 200            # unpacked ÷ packed, once a package unpacks to more than 16 MB
    max-cells = 2000000        # cells of all sheets' used ranges (counted from A1), or text lines/cells
    max-cell-chars = 32767     # characters in one cell (Excel's own maximum)

or, per run, in the environment (``TARGETLINT_MAX_CELLS=500000``).
:func:`current` gives the limits in force: those set with :func:`use`, else
the environment's over the defaults.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
from dataclasses import dataclass
from typing import Any, Iterator, Mapping

MB = 1024 * 1024


class LimitsError(ValueError):
    """A ``[limits]`` setting that cannot be used; the message names the source and the key (zh / en)."""


@dataclass(frozen=True)
class Limits:
    """The limits one file is read under (sizes in bytes).

    Attributes:
        max_file_bytes: size of the file on disk.
        max_unzipped_bytes: total declared unpacked size of a zip package's parts.
        max_ratio: unpacked ÷ packed size of a package, checked once it
            unpacks to more than :data:`RATIO_FLOOR` (small packages of
            repetitive XML legitimately compress very well).
        max_parts: members of a zip package.
        max_cells: cells a workbook's sheets span (each used range counted
            from A1, merged ranges included), or cells/lines of a document.
        max_cell_chars: characters in one cell.
    """

    max_file_bytes: int = 100 * MB
    max_unzipped_bytes: int = 256 * MB
    max_ratio: float = 200.0
    max_parts: int = 10_000
    max_cells: int = 2_000_000
    max_cell_chars: int = 32_767

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any], source: str = "[limits]", base: "Limits | None" = None) -> "Limits":
        """Limits from a ``[limits]`` table (keys as in the module doc), over ``base`` (default: the defaults).

        Raises:
            LimitsError: an unknown key, or a value that is not a positive number.
        """
        base = base or cls()
        if not isinstance(values, Mapping):
            raise LimitsError(f"{source}: 应为表 / {source}: must be a table")
        changes: dict[str, Any] = {}
        for key, value in values.items():
            name = str(key).replace("_", "-")
            if name not in KEYS:
                known = ", ".join(KEYS)
                raise LimitsError(f"{source}, 键 {key}: 未知限制（可用: {known}） / {source}, key {key}: unknown limit (known: {known})")
            attr, scale, kind = KEYS[name]
            ok = isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0
            if not ok or (kind is int and scale == 1 and value != int(value)):
                raise LimitsError(f"{source}, 键 {key}: 应为正数 / {source}, key {key}: must be a positive number")
            changes[attr] = kind(value * scale)
        return dataclasses.replace(base, **changes)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, base: "Limits | None" = None) -> "Limits":
        """Limits from ``TARGETLINT_MAX_CELLS``-style variables (the keys upper-cased, ``-`` → ``_``), over ``base``."""
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for name in KEYS:
            var = ENV_PREFIX + name.upper().replace("-", "_")
            if var in environ:
                try:
                    values[name] = float(environ[var]) if "." in environ[var] else int(environ[var])
                except ValueError:
                    raise LimitsError(f"环境变量 {var}: 应为正数 / environment {var}: must be a positive number") from None
        return cls.from_mapping(values, "environment", base)


#: ``[limits]`` key → (attribute, factor from the configured unit, type).
KEYS: dict[str, tuple[str, int, type]] = {
    "max-file-mb": ("max_file_bytes", MB, int),
    "max-unzipped-mb": ("max_unzipped_bytes", MB, int),
    "max-ratio": ("max_ratio", 1, float),
    "max-parts": ("max_parts", 1, int),
    "max-cells": ("max_cells", 1, int),
    "max-cell-chars": ("max_cell_chars", 1, int),
}
ENV_PREFIX = "TARGETLINT_"
#: The compression ratio is only held against packages that unpack to more than this.
RATIO_FLOOR = 16 * MB

_active: Limits | None = None


def current() -> Limits:
    """The limits in force: set by :func:`use`, else the environment's over the defaults."""
    return _active if _active is not None else Limits.from_env()


@contextlib.contextmanager
def use(limits: Limits) -> Iterator[Limits]:
    """Read files under ``limits`` inside the ``with`` block (e.g. those of ``targetlint.toml``)."""
    global _active
    previous, _active = _active, limits
    try:
        yield limits
    finally:
        _active = previous
