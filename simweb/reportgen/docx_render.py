"""Word renderings: .docx with real merged-cell tables, and Word 97 .doc converted by LibreOffice.

python-docx stamps every zip member with the current time, so the package is re-zipped with a
fixed timestamp: the same spec gives the same bytes.  The .doc conversion takes about a second
of soffice start-up, shared by the conversions its threads ask for at the same time
(monitor.extract.soffice); its result is cached on disk under the docx's hash, so re-rendering a
document (every simulated site does) costs a file read.
"""

from __future__ import annotations

import copy
import hashlib
import io
import os
import threading
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.run import Run

from monitor.extract import soffice

from .layout import COLUMN_WIDTHS_MM, Block, Grid

FONT = "宋体"
CACHE_DIR = Path(__file__).resolve().parents[2] / "data" / "cache" / "reportgen"
_FIXED_TIME = (2000, 1, 1, 0, 0, 0)


def _set_font(run, size: float, bold: bool = False) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = FONT
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)


def _table(document, grid: Grid) -> None:
    """The grid as a Word table: a copy of its layout's skeleton, with the grid's texts put in."""
    tbl = copy.deepcopy(_skeleton(grid))
    texts = [cell.text for placed in grid.placed() for cell, origin, _ in placed if origin]
    for run in tbl.iter(qn("w:r")):
        Run(run, None).text = texts[int(run.findtext(qn("w:t")))]
    document.element.body._insert_tbl(tbl)


_SKELETONS: dict[tuple, Any] = {}  # layout (name, columns, each cell's spans and kind) -> table XML


def _skeleton(grid: Grid):
    """The XML of a table laid out as `grid` (merges, widths, alignment, fonts), each origin cell's run
    holding its index among the origin cells instead of a text.

    Merging cells is python-docx's slow part (an XPath walk of the table per merge): 60% of rendering a
    report took that, for layouts that repeat from report to report.  Built in a scratch document:
    every python-docx document has the same default styles, so "Table Grid" is the same style id."""
    layout = (grid.name, grid.ncols, tuple(tuple((c.rowspan, c.colspan, c.label) for c in row) for row in grid.rows))
    if layout in _SKELETONS:
        return _SKELETONS[layout]
    table = docx.Document().add_table(rows=len(grid.rows), cols=grid.ncols)
    table.style = "Table Grid"
    # Fetch every cell once, before merging: table.cell() re-scans the whole table on each call.
    # Merges never overlap, so the cells fetched here stay valid for the merges that follow.
    cells = [row.cells for row in table.rows]
    table.autofit = False
    for column, width in zip(table.columns, COLUMN_WIDTHS_MM[grid.name]):
        column.width = Mm(width)
    for row in cells:
        for cell, width in zip(row, COLUMN_WIDTHS_MM[grid.name]):
            cell.width = Mm(width)
    origins = [(r, c, cell) for r, placed in enumerate(grid.placed())
               for c, (cell, origin, _) in enumerate(placed) if origin]
    for index, (r, c, cell) in enumerate(origins):
        target = cells[r][c]
        if cell.rowspan > 1 or cell.colspan > 1:
            target = target.merge(cells[r + cell.rowspan - 1][c + cell.colspan - 1])
        paragraph = target.paragraphs[0]
        if not cell.label:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _set_font(paragraph.add_run(str(index)), 8)
    return _SKELETONS.setdefault(layout, table._tbl)


def _normalise_zip(data: bytes) -> bytes:
    """Re-zip with fixed member timestamps so that equal documents are equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(member, src.read(info.filename))
    return out.getvalue()


def render_docx(title: str, author: str, when: datetime, blocks: list[Block]) -> bytes:
    document = docx.Document()
    props = document.core_properties
    props.title, props.author, props.last_modified_by = title, author, author
    props.created = props.modified = when
    props.revision = 1
    for block in blocks:
        if block.kind == "table":
            _table(document, block.grid)
            continue
        paragraph = document.add_paragraph()
        if block.kind == "title":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _set_font(paragraph.add_run(block.text), 16, bold=True)
        elif block.kind == "sign":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _set_font(paragraph.add_run(block.text), 12)
        else:
            if block.kind == "para":
                paragraph.paragraph_format.first_line_indent = Pt(24)
            _set_font(paragraph.add_run(block.text), 12, bold=block.kind == "heading")
    buf = io.BytesIO()
    document.save(buf)
    return _normalise_zip(buf.getvalue())


def docx_to_doc(docx_bytes: bytes, cache_dir: Path | None = None) -> bytes:
    """Word 97 bytes for a .docx, converted by soffice once and then read from the cache."""
    return docx_to_doc_many([docx_bytes], cache_dir)[0]


def docx_to_doc_many(files: list[bytes], cache_dir: Path | None = None) -> list[bytes]:
    """Word 97 bytes for each .docx: what the cache (default CACHE_DIR) lacks is converted in one soffice start."""
    cache_dir = cache_dir or CACHE_DIR
    keys = [hashlib.sha256(data).hexdigest() for data in files]
    out = {key: (cache_dir / f"{key}.doc").read_bytes() for key in keys if (cache_dir / f"{key}.doc").exists()}
    missing = {key: data for key, data in zip(keys, files) if key not in out}
    if missing:
        results = soffice.convert_many([(data, ".docx") for data in missing.values()], "doc:MS Word 97")
        if failed := next((r for r in results if isinstance(r, soffice.ConversionError)), None):
            raise RuntimeError(f"soffice could not convert to .doc: {failed}")
        converted = dict(zip(missing, results))
        cache_dir.mkdir(parents=True, exist_ok=True)
        for key, data in converted.items():
            partial = cache_dir / f"{key}.{os.getpid()}-{threading.get_ident()}.part"
            partial.write_bytes(data)
            partial.replace(cache_dir / f"{key}.doc")  # atomic: a concurrent reader sees the whole file or none
        out.update(converted)
    return [out[key] for key in keys]
