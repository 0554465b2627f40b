"""WARC evidence: every response of a run, as it came over the wire, in data/warc/<region>/<run>.warc.gz.

Why we write records ourselves on `response_downloaded`: that signal fires when the download handler
returns, before HttpCompressionMiddleware (590) decompresses the body and before any middleware rewrites
headers, so the archive holds the bytes the server sent (Content-Encoding and all).  Headers keep their
repeats (two Set-Cookie lines stay two).  Twisted has already undone chunked transfer coding, so a
`Transfer-Encoding` header is kept under `X-Archive-Orig-Transfer-Encoding` — otherwise WARC readers would
try to de-chunk a body that is no longer chunked.

A browser-rendered page (scrapy-playwright, `meta["playwright"]`) is not what the server sent: it is kept
as a `resource` record (the DOM), never as a `response`.

Digests are SHA-256 (`WARC-Payload-Digest: sha256:<base32>`).  Each record is its own gzip member and the
file is flushed after every record, so the offset stored in the database always points at a complete
record even if the process is killed right after.  Opening an existing file (a resumed run) first cuts off
a torn last record, then rebuilds the URL → record index from what is there.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from scrapy import signals
from scrapy.http import Request, Response
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.utils import Digester
from warcio.warcwriter import WARCWriter

from crawlers.session import CrawlSession

log = logging.getLogger(__name__)

MAX_REDIRECT_HOPS = 10


@dataclass(frozen=True)
class WarcRecordRef:
    """Where one fetched body lives: the file, the record's offset, and what kind of record it is."""

    path: Path
    offset: int
    record_type: str  # response | resource
    status: int | None
    location: str | None = None  # absolute redirect target of a 3xx


class _Sha256Writer(WARCWriter):
    @staticmethod
    def _create_digester() -> Digester:
        return Digester("sha256")


class WarcArchive:
    """The WARC file of one run: append-only, flushed per record, with a URL index for the pipelines."""

    def __init__(self, path: Path, info: dict[str, str]):
        self.path = path
        self.index: dict[str, WarcRecordRef] = {}
        path.parent.mkdir(parents=True, exist_ok=True)
        resumed = path.exists() and path.stat().st_size > 0
        if resumed:
            self._recover()
        self._fh = open(path, "ab")  # noqa: SIM115 - held open for the whole run
        self._writer = _Sha256Writer(self._fh, gzip=True, warc_version="1.1")
        info = {**info, "conformsTo": "http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/"}
        if resumed:
            info["description"] = info.get("description", "") + " (resumed after an interruption)"
        self._write(self._writer.create_warcinfo_record(path.name, info))

    # ------------------------------------------------------------------ writing

    def write_response(self, request: Request, response: Response) -> WarcRecordRef:
        status_line = f"{response.status} {_phrase(response.status)}".strip()
        http_headers = StatusAndHeaders(status_line, _header_list(response.headers, wire=True),
                                        protocol=response.protocol or "HTTP/1.1")
        record = self._writer.create_warc_record(
            response.url, "response", payload=io.BytesIO(response.body), length=len(response.body),
            http_headers=http_headers, warc_headers_dict=_ip_header(response),
        )
        offset = self._write(record)
        parts = urlsplit(request.url)
        path_qs = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        req_headers = StatusAndHeaders(f"{request.method} {path_qs} HTTP/1.1", _header_list(request.headers),
                                       protocol="", is_http_request=True)
        req_record = self._writer.create_warc_record(
            response.url, "request", payload=io.BytesIO(request.body), length=len(request.body),
            http_headers=req_headers,
            warc_headers_dict={"WARC-Concurrent-To": record.rec_headers.get_header("WARC-Record-ID")},
        )
        self._write(req_record)
        location = response.headers.get(b"Location")
        ref = WarcRecordRef(self.path, offset, "response", response.status,
                            urljoin(response.url, location.decode("latin-1")) if location and 300 <= response.status < 400 else None)
        self._remember(response.url, ref)
        if request.url != response.url:
            self._remember(request.url, ref)
        return ref

    def write_resource(self, url: str, body: bytes, content_type: str | None) -> WarcRecordRef:
        """A rendered DOM (or screenshot): what a browser showed, not what the server sent."""
        record = self._writer.create_warc_record(
            url, "resource", payload=io.BytesIO(body), length=len(body),
            warc_content_type=content_type or "text/html; charset=utf-8",
        )
        ref = WarcRecordRef(self.path, self._write(record), "resource", None)
        self._remember(url, ref)
        return ref

    def _write(self, record: Any) -> int:
        offset = self._fh.tell()
        self._writer.write_record(record)
        self._fh.flush()
        return offset

    def _remember(self, url: str, ref: WarcRecordRef) -> None:
        # A usable body wins over an error page or a redirect fetched for the same URL earlier.
        old = self.index.get(url)
        if old is None or not _usable(old) or _usable(ref):
            self.index[url] = ref

    def close(self) -> None:
        if not self._fh.closed:
            self._fh.close()

    # ------------------------------------------------------------------ reading

    def locate(self, url: str) -> WarcRecordRef | None:
        """The record holding the body fetched for `url`, following recorded redirects.

        None when this run holds no body for it — e.g. the site answered 304 Not Modified to a re-check
        (crawlers.revalidate): the body is in the WARC of the run that first fetched it, which is the
        reference the store keeps for that document version anyway."""
        ref = self.index.get(url)
        hops = 0
        while ref is not None and ref.location and hops < MAX_REDIRECT_HOPS:
            nxt = self.index.get(ref.location)
            if nxt is None:
                break
            ref, hops = nxt, hops + 1
        return ref if ref is not None and _usable(ref) else None

    def _recover(self) -> None:
        """Index the records already in the file and cut off a torn last record (a killed writer)."""
        good_end = 0
        try:
            with open(self.path, "rb") as fh:
                records = ArchiveIterator(fh)
                for record in records:
                    uri = record.rec_headers.get_header("WARC-Target-URI")
                    kind = record.rec_type
                    status = location = None
                    if kind == "response" and record.http_headers is not None:
                        status = int(record.http_headers.get_statuscode() or 0)
                        loc = record.http_headers.get_header("Location")
                        location = urljoin(uri, loc) if loc and 300 <= status < 400 else None
                    record.content_stream().read()  # the record must be complete to count
                    offset = records.get_record_offset()
                    end = offset + records.get_record_length()
                    if uri and kind in ("response", "resource"):
                        self._remember(uri, WarcRecordRef(self.path, offset, kind, status, location))
                    good_end = end
        except Exception as exc:  # noqa: BLE001 - warcio fails in assorted ways on a torn record
            log.warning("%s: torn record after offset %d cut off (%s)", self.path, good_end, type(exc).__name__)
        if self.path.stat().st_size > good_end:
            with open(self.path, "r+b") as fh:
                fh.truncate(good_end)


class WarcExtension:
    """Archive every downloaded response (signal `response_downloaded`) into the run's WARC file."""

    def __init__(self, crawler: Any):
        self.crawler = crawler
        self.session = CrawlSession.of(crawler)
        crawler.signals.connect(self.response_downloaded, signal=signals.response_downloaded)

    @classmethod
    def from_crawler(cls, crawler: Any) -> WarcExtension:
        return cls(crawler)

    def response_downloaded(self, response: Response, request: Request, spider: Any = None) -> None:
        session = self.session
        if session.closing:
            return
        try:
            session.ensure_open()
            assert session.warc is not None
            if request.meta.get("playwright"):
                content_type = response.headers.get(b"Content-Type")
                session.warc.write_resource(response.url, response.body,
                                            content_type.decode("latin-1") if content_type else None)
                self.crawler.stats.inc_value("nianbao/rendered_pages")
            else:
                session.warc.write_response(request, response)
            self.crawler.stats.inc_value("nianbao/warc_records")
        except Exception:  # noqa: BLE001 - a full disk must not stop the crawl; the run stats show it
            log.exception("could not archive %s", response.url)
            self.crawler.stats.inc_value("nianbao/warc_errors")
        session.progress()


def _usable(ref: WarcRecordRef) -> bool:
    """A record with the body of the URL (or a redirect to it): not an error page, not a bodiless 304."""
    return ref.record_type == "resource" or (ref.status is not None and 200 <= ref.status < 400 and ref.status != 304)


def _header_list(headers: Any, wire: bool = False) -> list[tuple[str, str]]:
    out = []
    for name, values in headers.items():
        key = name.decode("latin-1")
        if wire and key.lower() == "transfer-encoding":
            key = "X-Archive-Orig-Transfer-Encoding"
        for value in values:
            out.append((key, value.decode("latin-1")))
    return out


def _ip_header(response: Response) -> dict[str, str]:
    ip = getattr(response, "ip_address", None)
    return {"WARC-IP-Address": str(ip)} if ip is not None else {}


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""
