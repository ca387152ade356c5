"""Read a Word document (.docx, layout L5) into a one-table Grid.

Only the main document part is read (found through the package's
relationships, so renamed parts, .docm and .dotx documents read too), with
a hardened XML parser and within the :class:`~targetlint.limits.Limits`.
The body is read in document order into one combined :class:`Table`, the
shape the text reader gives Word's text export, so the form layouts find
blocks down it the same way:

* every non-blank paragraph outside tables is a one-cell row listed in
  :attr:`Table.paragraph`, located ``第N段``: N counts the body's paragraphs
  in order, blank ones included (``python-docx``'s ``Document.paragraphs``);
* every row of every Word table is a row of cells laid out on the table's
  column grid: a cell spanning columns (``gridSpan``, legacy ``hMerge``) and a
  vertically merged cell's continuations (``vMerge``) repeat the anchor's
  text and map to it in :attr:`Table.anchors`, as merged ranges do in a
  workbook.  Columns skipped at the start of a row (``gridBefore``) are blank
  cells, so columns stay aligned down the table;
* a table row that is a single cell is one cell, whatever it spans: a title
  or note written across the table reads like a paragraph of the text export.

Cells are located ``表T 第R行 第C列``: the T-th table of the body, its R-th
row, the row's C-th cell as Word counts them (a merged cell counts once).
A cell's paragraphs are joined with newlines.  Text is taken from the runs
as Word shows it: field instructions (``w:instrText``), deleted revisions
and the fallback copy of drawings are left out; inserted revisions, content
controls, hyperlinks and field results are kept.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.parsers import expat

from lxml import etree

from targetlint.errors import LoadError
from targetlint.formats import ooxml
from targetlint.formats.grid import Grid, Table
from targetlint.limits import Limits, current

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
#: Elements that only wrap content (content controls, custom XML, revisions):
#: their children are read as if they stood in the wrapper's place.
_WRAPPERS = {_W + "sdt", _W + "sdtContent", _W + "customXml", _W + "ins", _W + "moveTo", _W + "smartTag"}
#: Subtrees whose text Word does not show.
_HIDDEN = {_W + "del", _W + "moveFrom", _MC + "Fallback", _W + "instrText", _W + "delText", _W + "rPr", _W + "pPr"}
_CHARS = {_W + "tab": "\t", _W + "br": "\n", _W + "cr": "\n", _W + "noBreakHyphen": "-"}
_MAX_COLUMNS = 63
#: A hardened parser: no entity expansion, no network, no huge text nodes.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def read(path: str | Path, limits: Limits | None = None) -> Grid:
    """Read the body of a Word document.

    Args:
        path: the document; it is only opened for reading.
        limits: the limits to read under (default: :func:`targetlint.limits.current`).

    Raises:
        LoadError: ``truncated`` (damaged zip or XML), ``not-a-workbook``
            (a zip without a Word document part), ``too-large`` (a package
            or a document part beyond the limits).
    """
    path = str(path)
    limits = limits or current()
    body = _body(path, limits)
    table = Table(name=Path(path).name, rows=[], locs=[])
    paragraphs = tables = 0
    for el in _children(body):
        if el.tag == _W + "p":
            paragraphs += 1
            text = paragraph_text(el)
            if text.strip():
                table.paragraph.add(len(table.rows))
                table.rows.append([text])
                table.locs.append([f"第{paragraphs}段"])
        elif el.tag == _W + "tbl":
            tables += 1
            _append(table, word_table(el, f"表{tables}"))
    return Grid(path=path, format="docx", tables=[table])


#: The parsed tree of a document part takes about eight times the part's
#: size in memory, so the part may use a quarter of the unpacked-size limit.
_DOM_SHARE = 4
_OFFICE_DOCUMENT = "/officeDocument"


def _body(path: str, limits: Limits) -> etree._Element:
    """The ``w:body`` of the main document part, found through the package relationships.

    Only the main part is inflated (not the images beside it), after the
    package's directory passed :func:`~targetlint.formats.ooxml.check_package`.
    """
    ooxml.check_package(path, limits)
    try:
        with zipfile.ZipFile(path) as zf:
            part = _main_part(zf)
            size = zf.getinfo(part).file_size
            if size > limits.max_unzipped_bytes // _DOM_SHARE:
                limit = limits.max_unzipped_bytes // _DOM_SHARE
                raise LoadError(
                    "too-large", path, f"正文部分 {ooxml.mb(size)}，上限 {ooxml.mb(limit)}",
                    f"the document part is {ooxml.mb(size)}, limit {ooxml.mb(limit)}",
                )
            root = etree.fromstring(zf.read(part), _PARSER)
    except (etree.XMLSyntaxError, expat.ExpatError) as exc:
        raise LoadError("truncated", path, f"XML 内容损坏：{exc}", f"broken XML: {exc}") from exc
    except KeyError as exc:
        raise LoadError("not-a-workbook", path, "压缩包中没有 Word 文档", "no Word document (.docx) in the archive") from exc
    except ooxml.BROKEN_ZIP as exc:
        raise LoadError("truncated", path, f"压缩结构损坏：{exc}", f"broken zip: {exc}") from exc
    body = root.find(_W + "body")
    if body is None:
        raise LoadError("not-a-workbook", path, "Word 文档没有正文", "the Word (.docx) document has no body")
    return body


def _main_part(zf: zipfile.ZipFile) -> str:
    """The main document part named by the package relationships (renamed parts, .docm and .dotx too).

    Raises:
        KeyError: the package names no main part that it holds.
    """
    rels = ooxml.part_attrs(zf, "_rels/.rels", "Relationship") if "_rels/.rels" in zf.namelist() else []
    for rel in rels:
        if rel.get("Type", "").endswith(_OFFICE_DOCUMENT) and rel.get("TargetMode") != "External":
            target = rel.get("Target", "").lstrip("/")
            if target and target in zf.namelist():
                return target
    raise KeyError("officeDocument")


def _children(el: etree._Element, tags: tuple[str, ...] = (_W + "p", _W + "tbl")):
    """Child elements with one of ``tags``, looking through wrapper elements."""
    for child in el:
        if child.tag in _WRAPPERS:
            yield from _children(child, tags)
        elif child.tag in tags:
            yield child


def paragraph_text(p: etree._Element) -> str:
    """The text Word shows for a paragraph (runs, tabs, line breaks)."""
    out: list[str] = []

    def walk(el: etree._Element) -> None:
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag in _HIDDEN:
                continue
            if tag == _W + "t":
                out.append(child.text or "")
            elif tag in _CHARS:
                out.append(_CHARS[tag])
            elif tag == _W + "p":  # a text box's paragraph inside this one
                if out and not out[-1].endswith("\n"):
                    out.append("\n")
                walk(child)
            else:
                walk(child)

    walk(p)
    return "".join(out)


def cell_text(tc: etree._Element) -> str:
    """A cell's paragraphs joined by newlines; a nested table's rows line by line."""
    parts = []
    for el in _children(tc):
        if el.tag == _W + "p":
            parts.append(paragraph_text(el))
        else:
            parts += [" ".join(t for t in row if t) for row in word_table(el, "").rows]
    return "\n".join(parts)


def _val(el: etree._Element | None, default: str | None = None) -> str | None:
    return default if el is None else el.get(_W + "val", default)


def _int(el: etree._Element | None, default: int) -> int:
    """A count attribute, kept within Word's 63 columns so a damaged file cannot blow up a row."""
    try:
        return min(_MAX_COLUMNS, max(0, int(_val(el, str(default)))))
    except (TypeError, ValueError):
        return default


def word_table(tbl: etree._Element, name: str) -> Table:
    """One Word table on its column grid, merged cells filled (see module doc)."""
    rows: list[list[str]] = []
    locs: list[list[str]] = []
    anchors: dict[tuple[int, int], tuple[int, int]] = {}
    open_v: dict[int, tuple[int, int]] = {}  # grid column → anchor of a vertical merge reaching it
    for r, tr in enumerate(_children(tbl, (_W + "tr",))):
        tcs = list(_children(tr, (_W + "tc",)))
        where = f"{name} 第{r + 1}行"
        if len(tcs) == 1 and _merge(tcs[0]) != "continue":
            rows.append([cell_text(tcs[0])])
            locs.append([f"{where} 第1列"])
            open_v = {}
            continue
        before = _int(tr.find(f"{_W}trPr/{_W}gridBefore"), 0)
        row, loc = [""] * before, [where] * before
        now_v: dict[int, tuple[int, int]] = {}
        for k, tc in enumerate(tcs):
            pr = tc.find(_W + "tcPr")
            span = max(1, _int(None if pr is None else pr.find(_W + "gridSpan"), 1))
            col, vmerge = len(row), _merge(tc)
            merged = span > 1 or vmerge is not None
            if _merge(tc, "hMerge") == "continue" and row:
                left = anchors.setdefault((r, col - 1), (r, col - 1))
                spots, merged = [left] * span, True
            elif vmerge == "continue" and col in open_v:
                spots = [open_v.get(c, open_v[col]) for c in range(col, col + span)]
            else:
                spots = [(r, col)] * span
            text = cell_text(tc) if spots[0] == (r, col) else _anchor_text(rows, row, r, spots[0])
            for c, spot in enumerate(spots, start=col):
                row.append(text)
                loc.append(f"{where} 第{k + 1}列")
                if merged:
                    anchors[(r, c)] = spot
                if vmerge is not None:
                    now_v[c] = spot
        rows.append(row)
        locs.append(loc)
        open_v = now_v
    return Table(name=name, rows=rows, anchors=anchors, locs=locs)


def _merge(tc: etree._Element, kind: str = "vMerge") -> str | None:
    """``restart``, ``continue`` or None (``<w:vMerge/>`` without a value continues)."""
    pr = tc.find(_W + "tcPr")
    el = None if pr is None else pr.find(_W + kind)
    return None if el is None else _val(el, "continue")


def _anchor_text(rows: list[list[str]], row: list[str], r: int, anchor: tuple[int, int]) -> str:
    ar, ac = anchor
    source = row if ar == r else rows[ar]
    return source[ac] if ac < len(source) else ""


def _append(combined: Table, part: Table) -> None:
    """Add a Word table's rows to the combined table, shifting its merge anchors."""
    offset = len(combined.rows)
    combined.rows += part.rows
    combined.locs += part.locs
    for (r, c), (ar, ac) in part.anchors.items():
        combined.anchors[(r + offset, c)] = (ar + offset, ac)
