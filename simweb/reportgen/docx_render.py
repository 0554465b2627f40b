"""Word renderings: .docx with real merged-cell tables, and Word 97 .doc converted by LibreOffice.

python-docx stamps every zip member with the current time, so the package is re-zipped with a
fixed timestamp: the same spec gives the same bytes.  The .doc conversion takes about a second
of soffice start-up, shared by the conversions its threads ask for at the same time; its result is
cached on disk under the docx's hash, so re-rendering a document (every simulated site does) costs a
file read.
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
from concurrent.futures import Future
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
SOFFICE_SECONDS_PER_FILE = 10
_FIXED_TIME = (2000, 1, 1, 0, 0, 0)


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


class _Soffice:
    """The process's one door to soffice, converting many files per start.

    soffice's start-up costs about four conversions (measured: 1.5 s for one file, 4.5 s for
    eleven), and the simulated web asks for .doc files from many threads at once.  So conversions
    are group-committed: a caller that arrives while soffice runs queues its file, and the first
    waiter to find soffice idle converts the whole queue in one start.  One soffice at a time,
    because the process's threads share one profile."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._queued: dict[str, bytes] = {}
        self._futures: dict[str, Future[bytes]] = {}  # queued or being converted, by docx hash
        self._busy = False

    def convert(self, files: dict[str, bytes]) -> dict[str, bytes]:
        """.doc bytes for each .docx (by its hash); raises the first file's conversion error."""
        with self._cond:
            futures = {}
            for key, docx_bytes in files.items():
                if key not in self._futures:
                    self._futures[key] = Future()
                    self._queued[key] = docx_bytes
                futures[key] = self._futures[key]
            while not all(future.done() for future in futures.values()):
                if self._busy:
                    self._cond.wait()
                    continue
                batch = {key: (data, self._futures[key]) for key, data in self._queued.items()}
                self._queued, self._busy = {}, True
                self._cond.release()
                try:
                    self._run(batch)
                finally:
                    self._cond.acquire()
                    self._busy = False
                    for done in batch:  # a batch that raised leaves no caller waiting forever
                        unfinished = self._futures.pop(done)
                        if not unfinished.done():
                            unfinished.set_exception(RuntimeError("the soffice batch was interrupted"))
                    self._cond.notify_all()
        return {key: future.result() for key, future in futures.items()}

    @staticmethod
    def _run(batch: dict[str, tuple[bytes, Future[bytes]]]) -> None:
        """Convert every file of the batch; each caller's future gets its bytes or its error."""
        profile = _profile_dir(os.getpid())
        with tempfile.TemporaryDirectory(prefix="reportgen-doc-") as work:
            sources = []
            for key, (data, _) in batch.items():
                sources.append(Path(work) / f"{key}.docx")
                sources[-1].write_bytes(data)
            cmd = ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                   "--convert-to", "doc:MS Word 97", "--outdir", work, *map(str, sources)]
            timeout = SOFFICE_TIMEOUT + SOFFICE_SECONDS_PER_FILE * len(batch)
            try:
                result = subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
                failure = f"soffice could not convert to .doc (exit {result.returncode}): " \
                          f"{result.stderr.decode(errors='replace').strip()[:300]}"
            except subprocess.TimeoutExpired:
                failure = f"soffice did not convert {len(batch)} file(s) to .doc within {timeout} s"
            for key, (_, future) in batch.items():
                converted = Path(work) / f"{key}.doc"
                if converted.exists():
                    future.set_result(converted.read_bytes())
                else:
                    future.set_exception(RuntimeError(failure))


_SOFFICE = _Soffice()


def docx_to_doc(docx_bytes: bytes, cache_dir: Path = CACHE_DIR) -> bytes:
    """Word 97 bytes for a .docx, converted by soffice once and then read from the cache."""
    return docx_to_doc_many([docx_bytes], cache_dir)[0]


def docx_to_doc_many(files: list[bytes], cache_dir: Path = CACHE_DIR) -> list[bytes]:
    """Word 97 bytes for each .docx: what the cache lacks is converted in one soffice start."""
    keys = [hashlib.sha256(data).hexdigest() for data in files]
    out = {key: (cache_dir / f"{key}.doc").read_bytes() for key in keys if (cache_dir / f"{key}.doc").exists()}
    missing = {key: data for key, data in zip(keys, files) if key not in out}
    if missing:
        converted = _SOFFICE.convert(missing)
        cache_dir.mkdir(parents=True, exist_ok=True)
        for key, data in converted.items():
            partial = cache_dir / f"{key}.{os.getpid()}-{threading.get_ident()}.part"
            partial.write_bytes(data)
            partial.replace(cache_dir / f"{key}.doc")  # atomic: a concurrent reader sees the whole file or none
        out.update(converted)
    return [out[key] for key in keys]
