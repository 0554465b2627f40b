"""Word renderings: .docx with real merged-cell tables, and Word 97 .doc converted by LibreOffice.

python-docx stamps every zip member with the current time, so the package is re-zipped with a
fixed timestamp: the same spec gives the same bytes.  The .doc conversion takes about a second
of soffice start-up; its result is cached on disk under the docx's hash, so re-rendering a
document (every simulated site does) costs a file read.
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import io
import os
import shutil
import subprocess
import tempfile
import threading
import zipfile
from datetime import datetime
from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from .layout import COLUMN_WIDTHS_MM, Block, Grid

FONT = "宋体"
CACHE_DIR = Path(__file__).resolve().parents[2] / "data" / "cache" / "reportgen"
SOFFICE_TIMEOUT = 120
_FIXED_TIME = (2000, 1, 1, 0, 0, 0)
_SOFFICE_LOCK = threading.Lock()  # threads of one process share its profile: one soffice at a time


def _set_font(run, size: float, bold: bool = False) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = FONT
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)


def _table(document, grid: Grid) -> None:
    table = document.add_table(rows=len(grid.rows), cols=grid.ncols)
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
    for r, placed in enumerate(grid.placed()):
        for c, (cell, origin, _) in enumerate(placed):
            if not origin:
                continue
            target = cells[r][c]
            if cell.rowspan > 1 or cell.colspan > 1:
                target = target.merge(cells[r + cell.rowspan - 1][c + cell.colspan - 1])
            paragraph = target.paragraphs[0]
            if not cell.label:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _set_font(paragraph.add_run(cell.text), 8)


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


@functools.cache
def _profile_dir(pid: int) -> Path:
    """Process `pid`'s LibreOffice profile: reused by its conversions (a second start is faster),
    never shared with another process, forked or not (two soffice runs on one profile make one
    exit silently), removed when the process ends."""
    path = Path(tempfile.gettempdir()) / f"reportgen-lo-{pid}"
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


def docx_to_doc(docx_bytes: bytes, cache_dir: Path = CACHE_DIR) -> bytes:
    """Word 97 bytes for a .docx, converted by soffice once and then read from the cache."""
    key = hashlib.sha256(docx_bytes).hexdigest()
    cached = cache_dir / f"{key}.doc"
    if cached.exists():
        return cached.read_bytes()
    cache_dir.mkdir(parents=True, exist_ok=True)
    profile = _profile_dir(os.getpid())
    with tempfile.TemporaryDirectory(prefix="reportgen-doc-") as work:
        source = Path(work) / "report.docx"
        source.write_bytes(docx_bytes)
        cmd = ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
               "--convert-to", "doc:MS Word 97", "--outdir", work, str(source)]
        try:
            with _SOFFICE_LOCK:
                result = subprocess.run(cmd, capture_output=True, timeout=SOFFICE_TIMEOUT, check=False)
        except subprocess.TimeoutExpired as exc:
            raise RuntimeError(f"soffice did not convert to .doc within {SOFFICE_TIMEOUT} s") from exc
        converted = Path(work) / "report.doc"
        if not converted.exists():
            raise RuntimeError(f"soffice could not convert to .doc (exit {result.returncode}): "
                               f"{result.stderr.decode(errors='replace').strip()[:300]}")
        data = converted.read_bytes()
    partial = cached.with_suffix(f".{os.getpid()}-{threading.get_ident()}.part")
    partial.write_bytes(data)
    partial.replace(cached)  # atomic: a concurrent reader sees the whole file or none
    return data
