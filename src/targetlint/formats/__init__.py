"""File formats: each reader turns a file into a :class:`~targetlint.formats.grid.Grid`.

Readers know files (xlsx, text, docx…), never forms or rules.
"""
