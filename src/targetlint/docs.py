"""Generate ``docs/rules.md`` from the rule catalogue: ``python -m targetlint.docs docs/rules.md``.

The page is rendered by :func:`targetlint.reporters.catalog.rules_markdown`
from the same metadata as ``targetlint rules`` and ``targetlint explain``,
with the shipped ``default`` profile (never a configuration file), so it is
the same on every machine; ``tests/test_docs.py`` fails when it is stale.
"""

from __future__ import annotations

import sys

from targetlint import profile as profiles
from targetlint import runner
from targetlint.reporters import catalog

#: The command that regenerates the page, from the repository root.
COMMAND = "python -m targetlint.docs docs/rules.md"
_HEADER = f"<!-- 自动生成，请勿手工修改 / generated, do not edit: {COMMAND} -->\n\n"


def rules_page() -> str:
    """The content of ``docs/rules.md``."""
    from targetlint.rules import ALL

    prof = profiles.load(profiles.DEFAULT_PROFILE)
    examples = {m.RULE.code: runner.example_findings(m, prof) for m in ALL}
    return _HEADER + catalog.rules_markdown(ALL, prof, examples)


def main(argv: list[str] | None = None) -> int:
    """Write the page to the path given (atomically), or to stdout."""
    args = sys.argv[1:] if argv is None else argv
    page = rules_page()
    if args:
        from targetlint.cli import write_atomic

        write_atomic(args[0], page)
    else:
        sys.stdout.write(page)
    return 0


if __name__ == "__main__":
    sys.exit(main())
