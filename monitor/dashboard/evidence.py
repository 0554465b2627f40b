"""The archived copy of each document version, readable offline from the dashboard folder.

The crawl keeps the bytes it fetched in WARC files and the store remembers (warc_path, warc_offset) per
document version.  An official looking at a finding must be able to open exactly what we saw, even after
the agency changed or removed it, and without a WARC viewer: so the payload is copied next to the pages
as evidence/<sha256>.<ext>.

Archived HTML is hostile input (it is a crawled page, scripts and all).  It is never written as a page of
ours: it is shown inside `<iframe sandbox srcdoc=…>` on a page we render (escaped by Jinja, no scripts,
no same-origin access), so opening it cannot run the site's code in the dashboard's origin.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from monitor.extract import decode_text

log = logging.getLogger(__name__)

MAX_EVIDENCE_BYTES = 50 * 1024 * 1024
"""A payload larger than this is not copied (the crawler refuses such files anyway)."""
CHUNK_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Archived:
    """Where a document version's archived copy is, or why there is none (a sentence for officials)."""

    payload: bytes | None
    problem: str | None = None


def resolve_warc(warc_path: str, base: Path) -> Path:
    """A stored WARC path: absolute as is, relative to the database's folder otherwise."""
    path = Path(warc_path)
    return path if path.is_absolute() else base / path


def read_payload(warc_path: str | None, warc_offset: int | None, base: Path) -> Archived:
    """The payload of the WARC record at `warc_offset` (HTTP body, de-chunked and decompressed)."""
    try:
        return Archived(b"".join(_chunks(warc_path, warc_offset, base)))
    except NotArchived as exc:
        return Archived(None, exc.problem)


def copy_payload(warc_path: str | None, warc_offset: int | None, base: Path, target: Path) -> str | None:
    """Stream the payload of the WARC record at `warc_offset` into `target`; None, or why there is no copy.

    A report file can be tens of megabytes: it goes through in chunks instead of whole in memory, into a
    temporary file renamed into place, so `target` is whole or absent (a rebuild trusts a file it finds)."""
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("wb") as handle:
            for chunk in _chunks(warc_path, warc_offset, base):
                handle.write(chunk)
        os.replace(tmp, target)
    except NotArchived as exc:
        return exc.problem
    finally:
        tmp.unlink(missing_ok=True)
    return None


class NotArchived(Exception):
    """No archived copy can be read; `problem` says why, in a sentence for officials."""

    def __init__(self, problem: str):
        super().__init__(problem)
        self.problem = problem


def _chunks(warc_path: str | None, warc_offset: int | None, base: Path) -> Iterator[bytes]:
    """The payload of the record at `warc_offset` in pieces; NotArchived when it cannot be read."""
    if not warc_path or warc_offset is None:
        raise NotArchived("抓取时未保存存档文件")
    path = resolve_warc(warc_path, base)
    try:
        with path.open("rb") as handle:
            handle.seek(warc_offset)
            record = next(iter(ArchiveIterator(handle)), None)
            if record is None or record.rec_type not in ("response", "resource"):
                raise NotArchived(f"存档文件 {path.name} 中指定位置没有文件内容")
            stream = record.content_stream()
            total = 0
            while chunk := stream.read(CHUNK_BYTES):
                total += len(chunk)
                if total > MAX_EVIDENCE_BYTES:
                    raise NotArchived("存档文件过大，未复制到本仪表盘")
                yield chunk
    except FileNotFoundError:
        raise NotArchived(f"存档文件 {path.name} 不在本机（可能已移走或删除）") from None
    except (OSError, ArchiveLoadFailed, ValueError) as exc:
        log.warning("cannot read %s at %s: %s", path, warc_offset, exc)
        raise NotArchived(f"存档文件 {path.name} 无法读取（文件可能已损坏）") from None


def evidence_name(sha256: str, doc_type: str) -> str:
    """The evidence file of a version: archived HTML gets a viewer page of ours, other types their bytes."""
    return f"{sha256}.html" if doc_type == "html" else f"{sha256}.{doc_type}"


def html_text(payload: bytes) -> str:
    """Archived HTML as text for the sandboxed viewer (declared charset, else GB18030/UTF-8 detection)."""
    return decode_text(payload)[0]
