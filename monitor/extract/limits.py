"""Resource limits: what keeps a hostile or broken download from crashing, hanging or exhausting memory.

Every bound the extractors rely on lives here so that it can be read (and tuned) in one place:

* sizes are checked before anything is parsed (``check_size``; ``extract_file`` checks the file size
  before reading it);
* OOXML zips are vetted from their central directory before a single member is inflated
  (``check_zip``): Python's ``zipfile`` never inflates a member beyond the size its directory entry
  declares, so bounding the declared sizes bounds the memory the parse can take;
* external programs (antiword, LibreOffice) run in their own session with a hard timeout, and the
  whole process group is killed when it expires (``run_bounded``); the PDF worker has its own
  deadline and memory limit (pdf_worker.py).
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import zipfile
from dataclasses import dataclass

from monitor.extract.result import ExtractError

DEFAULT_MAX_BYTES = 50 * 1024 * 1024

# HTML is parsed and walked in Python at ~10 us per table cell: 10 MB is a few seconds at worst.
HTML_MAX_BYTES = 10 * 1024 * 1024

# OOXML archives.  Real report .docx files inflate to a few MB; document.xml compresses about 10-40x.
ZIP_MAX_MEMBERS = 5000
ZIP_MAX_MEMBER_SIZE = 64 * 1024 * 1024  # one inflated member (lxml needs ~5-10x this in memory)
ZIP_MAX_TOTAL_SIZE = 256 * 1024 * 1024  # all members together
ZIP_MAX_RATIO = 200  # inflated / compressed, for members above ZIP_RATIO_MIN_SIZE
ZIP_RATIO_MIN_SIZE = 8 * 1024 * 1024

# External converters.  antiword answers in milliseconds.  A LibreOffice start takes 1-2 s on an idle
# machine, more on a loaded CI box, and each further file of the same start about 0.2 s
# (monitor/extract/soffice.py converts many files per start).
ANTIWORD_TIMEOUT = 10.0
SOFFICE_TIMEOUT = 45.0  # a start with one file
SOFFICE_SECONDS_PER_FILE = 5.0  # added for each further file of the start

# PDF: see monitor/extract/pdf.py for why these two budgets exist.
PDF_MAX_PAGES = 200
PDF_MAX_PAGE_CHARS = 12_000  # a dense A4 report page holds ~1,500 characters
PDF_MAX_PAGE_OBJECTS = 30_000  # text runs, paths and images on one page
PDF_SOFT_BUDGET = 5.0  # seconds of layout analysis before the remaining pages fall back to plain text
PDF_HARD_TIMEOUT = 12.0  # seconds before the PDF worker is killed
PDF_WORKER_MEMORY = 1024 * 1024 * 1024  # address space of the PDF worker (~160 MB on dense reports)


def check_size(size: int, max_bytes: int) -> None:
    """Reject empty and oversized inputs before anything is parsed."""
    if size <= 0:
        raise ExtractError("empty", "The file is empty.")
    if size > max_bytes:
        raise ExtractError(
            "too_large", f"The file is {size:,} bytes, over the {max_bytes:,}-byte limit for one document."
        )


def check_zip(data: bytes) -> zipfile.ZipFile:
    """Open ``data`` as a zip after vetting its directory; raise 'corrupt' or 'zip_bomb'.

    Only the central directory is read here: the declared sizes are what ``zipfile`` will honour when
    the members are inflated later, so a bomb is rejected before it is expanded.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise ExtractError("corrupt", f"The file is not a readable zip archive ({exc}).") from None
    if len(members) > ZIP_MAX_MEMBERS:
        raise ExtractError("zip_bomb", f"The archive has {len(members):,} members, more than any document needs.")
    total = 0
    for info in members:
        total += info.file_size
        if info.file_size > ZIP_MAX_MEMBER_SIZE:
            raise ExtractError(
                "zip_bomb",
                f"The archive member {info.filename} would expand to {info.file_size:,} bytes "
                f"(limit {ZIP_MAX_MEMBER_SIZE:,}).",
            )
        if info.file_size > ZIP_RATIO_MIN_SIZE and info.file_size > ZIP_MAX_RATIO * max(info.compress_size, 1):
            raise ExtractError(
                "zip_bomb",
                f"The archive member {info.filename} expands {info.file_size // max(info.compress_size, 1):,} "
                f"times (limit {ZIP_MAX_RATIO}).",
            )
    if total > ZIP_MAX_TOTAL_SIZE:
        raise ExtractError(
            "zip_bomb", f"The archive would expand to {total:,} bytes (limit {ZIP_MAX_TOTAL_SIZE:,})."
        )
    return archive


@dataclass
class Completed:
    returncode: int
    stdout: bytes
    stderr: bytes
    timed_out: bool


def run_bounded(cmd: list[str], timeout: float, *, cwd: str | None = None,
                env: dict[str, str] | None = None) -> Completed:
    """Run ``cmd`` with a hard timeout; on expiry kill its whole process group and return what it wrote.

    A new session makes the child the leader of its own process group, so LibreOffice's helper
    processes (oosplash -> soffice.bin) die with it instead of lingering.  Output written before the
    kill is returned (``timed_out=True``); callers decide whether it is usable.
    """
    proc = subprocess.Popen(
        cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        cwd=cwd, env=env, start_new_session=True,
    )
    try:
        out, err = proc.communicate(timeout=timeout)
        return Completed(proc.returncode, out, err, False)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        out, err = proc.communicate()
        return Completed(proc.returncode, out, err, True)
    except BaseException:
        _kill_group(proc)
        proc.communicate()
        raise


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
