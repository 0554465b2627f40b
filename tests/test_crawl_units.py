"""The evidence side of the crawl, piece by piece, without a network: failure classes, the site guard,
trap bounds, the WARC archive (round trip, torn tail), which document is the report text, the pipeline
on real SQLite (idempotent, versions, twins, the checker's findings), the close-of-run looks, JOBDIR modes.

Ground truth comes from the report generator (simweb.reportgen: what each document contains and which
rules it breaks), the WAF stubs of simweb.faults, the HTTP and WARC specifications, and interface.md's rule
that our failures never become `missing`.
"""

from __future__ import annotations

import asyncio
import base64
import gzip
import hashlib
import json
from datetime import date
from pathlib import Path

import pytest
from scrapy import Spider, signals
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import HtmlResponse, Request, Response
from scrapy.utils.test import get_crawler
from warcio.archiveiterator import ArchiveIterator

from crawlers.checking import check_report_item, is_notice
from crawlers.failures import OffsiteRefusal, classify_exception, classify_response
from crawlers.guard import OffsiteGuardMiddleware, is_private
from crawlers.scope import site_domain
from crawlers.items import AgencyItem, DocumentRef, FailureItem, LookedItem, ReportItem
from crawlers.middlewares import TrapBoundMiddleware
from crawlers.pipelines import EvidencePipeline
from crawlers.resume import CACHE_DIR, STATE_FILE, AtomicFilesystemCacheStorage, JobdirGuard
from crawlers.session import CrawlSession
from crawlers.warc import WarcArchive
from monitor.status import judge
from monitor.store import Store
from simweb.faults import challenge_page
from simweb.reportgen import expected_rules_for, make_pair, make_spec, render

PORTAL = "http://www.hj.gov.cn/"
REGION = "红金区"
AS_OF = "2024-06-01"
AGENCY = "红金区商务局"


# ---------------------------------------------------------------------- failure classes


def _response(status: int, body: bytes, url: str = PORTAL) -> Response:
    return HtmlResponse(url, status=status, body=body, headers={"Content-Type": "text/html; charset=utf-8"})


def test_challenge_pages_are_recognised_whatever_the_status():
    ruishu = challenge_page(12345).encode()
    assert classify_response(_response(412, ruishu)).failure == "challenge"
    assert classify_response(_response(200, ruishu)).failure == "challenge"  # a 2xx stub is no page either
    jsl = b"<html><script>document.cookie='__jsl_clearance=1;';location.href=location.pathname</script></html>"
    assert classify_response(_response(521, jsl)).failure == "challenge"
    # A real page that mentions the marker deep in a long script is content, not a challenge.
    page = b"<html><body>" + "年报".encode() * 20000 + b"<script>var $_ts = {};</script></body></html>"
    assert classify_response(_response(200, page)) is None


@pytest.mark.parametrize(("status", "expected"), [(404, "4xx"), (403, "4xx"), (500, "5xx"), (503, "5xx"), (200, None)])
def test_http_statuses(status, expected):
    classified = classify_response(_response(status, b"<html><body>not found or error</body></html>"))
    assert (classified.failure if classified else None) == expected


@pytest.mark.parametrize(("exc", "expected"), [
    (DownloadTimeoutError("took longer than 30 seconds"), "timeout"),
    (CannotResolveHostError("DNS lookup failed"), "dns"),
    (DownloadConnectionRefusedError("Connection refused"), "other"),
    (ResponseDataLossError(), "other"),
    (DownloadCancelledError("Expected to receive 200000 bytes which is larger than download max size (100000)"),
     "too_large"),
    (DownloadCancelledError(""), "too_large"),
    (IgnoreRequest("Forbidden by robots.txt"), "robots"),
    (IgnoreRequest("max redirections reached"), "redirect_loop"),
    (OffsiteRefusal("offsite: example.org:80"), "offsite"),
    (ValueError("a bug of ours"), "crawler"),
])
def test_exceptions(exc, expected):
    assert classify_exception(exc).failure == expected


# ---------------------------------------------------------------------- the crawl session on real SQLite


def make_crawler(tmp_path: Path, **settings):
    # Scrapy's own extensions expect a running engine; these tests drive the session without one.
    crawler = get_crawler(Spider, {"NIANBAO_PROGRESS_INTERVAL": 3600, "EXTENSIONS_BASE": {}, **settings})
    spider = Spider(name="t", start_url=PORTAL, region=REGION, years="2022-2023", as_of=AS_OF,
                    db=str(tmp_path / "data" / "monitor.db"))
    spider._set_crawler(crawler)
    crawler.spider = spider
    return crawler


@pytest.fixture
def crawler(tmp_path):
    return make_crawler(tmp_path)


def run(coro):
    return asyncio.run(coro)


def close(crawler, reason: str = "finished") -> None:
    """What the engine does last: the spider_closed signal (the session and the JOBDIR guard listen)."""
    crawler.signals.send_catch_log(signals.spider_closed, spider=crawler.spider, reason=reason)


def test_guard_keeps_the_crawl_on_the_region_s_hosts(tmp_path):
    assert site_domain("www.hj.gov.cn") == "hj.gov.cn"
    assert site_domain("www.gov.cn") is None and site_domain("gov.cn") is None  # never a public suffix
    assert site_domain("122.137.242.24") is None
    assert is_private("127.0.0.1") and is_private("10.1.2.3") and is_private("169.254.169.254")
    assert not is_private("122.137.242.24")
    crawler = make_crawler(tmp_path, NIANBAO_ALLOWED_HOSTS=["127.0.0.1:8001"])
    guard = OffsiteGuardMiddleware(crawler)

    def allowed(url: str) -> bool:
        try:
            run(guard.process_request(Request(url)))
            return True
        except OffsiteRefusal:
            return False

    assert allowed("http://gk.hj.gov.cn/col/col1/index.html")  # a subdomain of the site
    assert allowed("http://www.hj.gov.cn:8080/attach/1.pdf")  # the portal's host on another port
    assert allowed("http://127.0.0.1:8001/")  # configured explicitly
    assert not allowed("http://www.gov.cn/")  # offsite
    assert not allowed("http://127.0.0.1:8002/")  # loopback, not configured
    assert not allowed("http://10.0.0.1/admin")  # private network
    assert not allowed("file:///etc/passwd")
    close(crawler)


def test_trap_bound_refuses_endless_url_spaces(crawler):
    bound = TrapBoundMiddleware(crawler)
    bound.variant_cap, bound.pattern_cap, bound.max_query = 5, 8, 60
    calendar = [Request(f"{PORTAL}hdrl/index.html?d=2024-01-{d:02d}") for d in range(1, 20)]
    assert sum(map(bound._allowed, calendar)) == 5
    assert not bound._allowed(Request(f"{PORTAL}search?q=1&p=2&p=3&p=4&p=5"))
    assert not bound._allowed(Request(f"{PORTAL}search?q=" + "x" * 80))
    articles = [Request(f"{PORTAL}art/2024/1/{d}/art_1_{d}.html") for d in range(1, 20)]
    assert sum(map(bound._allowed, articles)) == 8
    assert bound._allowed(Request(f"{PORTAL}hdrl/index.html?d=2099-01-01", dont_filter=True))  # retries pass


# ---------------------------------------------------------------------- WARC


def _gzip_response(url: str, text: bytes) -> tuple[bytes, Response]:
    wire = gzip.compress(text)
    headers = [(b"Content-Type", b"text/html; charset=utf-8"), (b"Content-Encoding", b"gzip"),
               (b"Set-Cookie", b"a=1; Path=/"), (b"Set-Cookie", b"b=2; Path=/"), (b"Transfer-Encoding", b"chunked")]
    response = Response(url, status=200, body=wire, headers=headers, protocol="HTTP/1.1")
    return wire, response


def test_warc_keeps_wire_bytes_repeated_headers_and_sha256(tmp_path):
    path = tmp_path / "warc" / "r" / "1.warc.gz"
    archive = WarcArchive(path, {"software": "test"})
    wire, response = _gzip_response("http://a/x.html", "<html>正文</html>".encode())
    ref = archive.write_response(Request("http://a/x.html"), response)
    redirect = Response("http://a/down?f=1", status=302, headers={"Location": "/attach/1.pdf"})
    archive.write_response(Request("http://a/down?f=1"), redirect)
    pdf = Response("http://a/attach/1.pdf", status=200, body=b"%PDF-1.4 fake", headers={"Content-Type": "application/pdf"})
    pdf_ref = archive.write_response(Request("http://a/attach/1.pdf"), pdf)
    dom = archive.write_resource("http://a/list.html", "<html>渲染</html>".encode(), "text/html; charset=utf-8")
    archive.close()

    assert archive.locate("http://a/down?f=1") == pdf_ref  # a download link resolves to its target's body
    archive_304 = WarcArchive(tmp_path / "2.warc.gz", {"software": "test"})
    archive_304.write_response(Request("http://a/x.html"), Response("http://a/x.html", status=304))
    assert archive_304.locate("http://a/x.html") is None  # a re-check's 304 holds no body to point at
    archive_304.close()
    with path.open("rb") as fh:
        fh.seek(ref.offset)
        record = next(iter(ArchiveIterator(fh)))
        assert record.rec_type == "response"
        assert [v for k, v in record.http_headers.headers if k == "Set-Cookie"] == ["a=1; Path=/", "b=2; Path=/"]
        assert record.http_headers.get_header("Transfer-Encoding") is None
        assert record.http_headers.get_header("X-Archive-Orig-Transfer-Encoding") == "chunked"
        digest = base64.b32encode(hashlib.sha256(wire).digest()).decode()
        assert record.rec_headers.get_header("WARC-Payload-Digest") == f"sha256:{digest}"
        assert record.raw_stream.read() == wire  # the bytes as sent, still gzip-encoded
        fh.seek(dom.offset)
        rendered = next(iter(ArchiveIterator(fh)))
        assert rendered.rec_type == "resource"  # a DOM is never passed off as a response
        assert rendered.content_stream().read().decode() == "<html>渲染</html>"
    with path.open("rb") as fh:
        types = [r.rec_type for r in ArchiveIterator(fh)]
    assert types == ["warcinfo", "response", "request", "response", "request", "response", "request", "resource"]


def test_warc_reopened_after_a_kill_cuts_the_torn_record_and_keeps_the_index(tmp_path):
    path = tmp_path / "1.warc.gz"
    archive = WarcArchive(path, {"software": "test"})
    refs = [archive.write_response(Request(f"http://a/{i}"), _response(200, b"<html>%d</html>" % i, f"http://a/{i}"))
            for i in range(3)]
    archive.close()
    whole = path.stat().st_size
    torn = gzip.compress(b"WARC/1.1\r\nWARC-Type: response\r\n" + b"x" * 4000)[:300]
    with path.open("ab") as fh:
        fh.write(torn)  # what a writer killed mid-record leaves behind

    again = WarcArchive(path, {"software": "test"})
    assert path.stat().st_size > whole  # torn tail cut, then a new warcinfo appended
    assert again.locate("http://a/2") == refs[2]
    again.write_response(Request("http://a/9"), _response(200, b"<html>9</html>", "http://a/9"))
    again.close()
    with path.open("rb") as fh:
        uris = [r.rec_headers.get_header("WARC-Target-URI") for r in ArchiveIterator(fh) if r.rec_type == "response"]
    assert uris == ["http://a/0", "http://a/1", "http://a/2", "http://a/9"]


# ---------------------------------------------------------------------- which document is the report


def _report_page(spec, chrome: str = "") -> bytes:
    """The generator's article body inside CMS chrome, the way a TRS page wraps it."""
    body = render(spec, "html").decode().split("<body>\n", 1)[1].rsplit("</body>", 1)[0]
    return (f'<html><head><meta charset="utf-8"><title>{spec.title}</title></head><body>'
            f'<div class="nav">首页 &gt; 政务公开</div><div class="TRS_Editor">{body}</div>'
            f'<div class="footer">{chrome}</div></body></html>').encode()


def _notice_page(title: str) -> bytes:
    return (f'<html><head><meta charset="utf-8"><title>{title}</title></head><body><div class="TRS_Editor">'
            f'<p>{title}</p><p>详见附件。</p><p><a href="./P0.docx">附件：{title}.docx</a></p></div></body></html>').encode()


def _item(spec, documents, published_on="2024-01-20", url="http://www.hj.gov.cn/nb/t20240120_1.html", urls=()):
    return ReportItem(region=REGION, agency=AGENCY, agency_kind="department", year=spec.year, title=spec.title,
                      url=url, urls=[url, *urls], published_on=published_on, published_on_source="header",
                      documents=documents)


def test_a_notice_page_defers_to_its_attachment_and_the_html_hash_ignores_chrome():
    spec = make_spec(11, agency=AGENCY, kind="department", year=2023)
    docx = DocumentRef("http://www.hj.gov.cn/nb/P0.docx", "docx", render(spec, "docx"))
    notice = DocumentRef("http://www.hj.gov.cn/nb/t1.html", "html", _notice_page(spec.title), "text/html")
    checked = check_report_item(_item(spec, [docx, notice]))
    by_type = {c.ref.type: c for c in checked}
    assert is_notice("详见附件") and not by_type["html"].is_report_text and by_type["html"].result is None
    assert not is_notice("一、概述 " + "本年度共主动公开政府信息若干条。" * 60)  # a long pre-2019 report is text
    assert by_type["docx"].is_report_text
    assert {f.rule for f in by_type["docx"].findings} == set(expected_rules_for(spec, "docx"))
    assert by_type["docx"].sha256 == hashlib.sha256(docx.body).hexdigest()

    (alone,) = check_report_item(_item(spec, [notice]))  # the file could not be fetched
    assert not alone.is_report_text and [f.rule for f in alone.findings] == ["content.attachment_unavailable"]

    one = check_report_item(_item(spec, [DocumentRef("u", "html", _report_page(spec, "访问次数：17"))]))[0]
    two = check_report_item(_item(spec, [DocumentRef("u", "html", _report_page(spec, "访问次数：18"))]))[0]
    assert one.is_report_text and one.sha256 == two.sha256  # a counter is not a new version


def test_the_shown_publication_date_reaches_the_checker():
    spec = make_spec(12, agency=AGENCY, kind="department", year=2023)
    page = DocumentRef("http://www.hj.gov.cn/nb/t1.html", "html", _report_page(spec))
    early = check_report_item(_item(spec, [page], published_on="2023-12-20"))[0]
    timely = check_report_item(_item(spec, [page], published_on="2024-01-20"))[0]
    assert "date.before_year_end" in {f.rule for f in early.findings}
    assert "date.before_year_end" not in {f.rule for f in timely.findings}


def test_files_start_extracting_on_arrival_and_a_queued_one_never_makes_the_check_wait():
    from concurrent.futures import ThreadPoolExecutor
    from threading import Event

    from crawlers.checking import Extractions
    from monitor.extract import extract_bytes

    spec = make_spec(16, agency=AGENCY, kind="department", year=2023)
    docx = render(spec, "docx")
    pool = ThreadPoolExecutor(1)
    extractions = Extractions(pool)
    assert not extractions.prefetch(_report_page(spec), "t1.html", "text/html")  # pages are cheap: not queued
    assert extractions.prefetch(docx, "P0.docx", None)
    assert not extractions.prefetch(docx, "P0.docx", None)  # once per file
    assert extractions.extract(docx, "P0.docx", None).text == extract_bytes(docx, "P0.docx").text

    release = Event()
    pool.submit(release.wait)  # the only extraction worker is busy
    other = render(make_spec(17, agency=AGENCY, kind="department", year=2023), "docx")
    assert extractions.prefetch(other, "P1.docx", None)  # queued behind it
    assert extractions.extract(other, "P1.docx", None).text == extract_bytes(other, "P1.docx").text  # done now
    release.set()
    pool.shutdown()


def test_word_files_extract_beside_a_busy_pool_so_their_libreoffice_conversions_can_share_starts():
    from concurrent.futures import ThreadPoolExecutor, wait
    from threading import Event

    from crawlers.checking import Extractions
    from monitor.extract import extract_bytes

    pool, word_pool = ThreadPoolExecutor(1), ThreadPoolExecutor(4)
    extractions = Extractions(pool, word_pool)
    release = Event()
    pool.submit(release.wait)  # the PDF/DOCX worker is busy
    doc = render(make_spec(18, agency=AGENCY, kind="department", year=2023), "doc")
    assert extractions.prefetch(doc, "P2.doc", None)
    (future,) = extractions._futures.values()
    assert wait([future], timeout=120).done  # extracted although the other pool never became free
    assert extractions.extract(doc, "P2.doc", None).text == extract_bytes(doc, "P2.doc").text
    release.set()
    extractions.shutdown()


# ---------------------------------------------------------------------- the pipeline


def _count(store: Store, table: str) -> int:
    return store.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def _archive_download(session: CrawlSession, ref: DocumentRef) -> None:
    """What the WARC extension does for every download."""
    session.warc.write_response(Request(ref.url), Response(ref.url, status=200, body=ref.body))


def _crawl(tmp_path: Path, items: list, reason: str = "finished", *, as_of: str = AS_OF) -> int:
    crawler = make_crawler(tmp_path)
    crawler.spider.as_of = as_of
    pipeline = EvidencePipeline(crawler)
    pipeline.open_spider()
    session = CrawlSession.of(crawler)
    for item in items:
        if isinstance(item, ReportItem):
            for ref in item.documents:
                _archive_download(session, ref)
        run(pipeline.process_item(item))
    for item in items:  # the same items again (a replay): nothing may be duplicated
        run(pipeline.process_item(item))
    pipeline.close_spider()
    close(crawler, reason)
    return session.run_id


def test_pipeline_stores_reports_documents_findings_idempotently_and_keeps_versions(tmp_path):
    spec = make_spec(13, agency=AGENCY, kind="department", year=2023, defects=["identity.t3_balance"])
    page_url = "http://www.hj.gov.cn/nb/t20240120_1.html"
    page = DocumentRef(page_url, "html", _report_page(spec, "访问次数：1"))
    twin = "http://www.hj.gov.cn/nb/t20240120_1_wap.html"
    agency = AgencyItem(REGION, AGENCY, "department", "http://www.hj.gov.cn/swj/", ["区商务局"])
    report = _item(spec, [page], urls=[twin])
    twin_item = _item(spec, [DocumentRef(twin, "html", _report_page(spec, "访问次数：2"))], url=twin)
    first = _crawl(tmp_path, [agency, report, twin_item, LookedItem(REGION, AGENCY, True)])
    db = tmp_path / "data" / "monitor.db"
    with Store.open(db) as store:
        assert (_count(store, "reports"), _count(store, "documents")) == (1, 1)  # the twin widened the version
        (rep,) = store.reports()
        assert rep["url"] == page_url and rep["published_on"] == "2024-01-20" and rep["format"] == "2021"
        assert {u["url"] for u in store.report_urls()[rep["id"]]} == {page_url, twin}
        (doc,) = store.documents()
        assert doc["warc_path"] == f"warc/{REGION}/{first}.warc.gz" and doc["warc_offset"] is not None
        rules = {f["rule"] for f in store.findings(scope="document") if f["severity"] != "info"}
        assert rules == set(expected_rules_for(spec, "html"))
        assert store.run(first)["stats"]["reports_found"] == 1
        looks = {(o["year"], o["outcome"]) for o in store.observations() if o["run_id"] == first}
        assert looks == {(2023, "found"), (2022, "not_found")}

    # The next crawl sees the same report, then one edited after publication: a second version, kept apart.
    second = _crawl(tmp_path, [agency, report], as_of="2024-06-08")
    edited = make_spec(14, agency=AGENCY, kind="department", year=2023)
    third = _crawl(tmp_path, [agency, _item(edited, [DocumentRef(page_url, "html", _report_page(edited))])],
                   as_of="2024-06-15")
    with Store.open(db) as store:
        assert _count(store, "reports") == 1
        versions = store.documents()
        assert [(d["first_run_id"], d["last_run_id"]) for d in versions] == [(first, second), (third, third)]
        assert len({d["sha256"] for d in versions}) == 2


def test_cross_report_rules_run_over_the_store_across_runs(tmp_path):
    """Last year's report was stored by an earlier run; this year's, crawled alone, must still be compared
    with it (crossyear.carry), because the close of a run restates the region against the store's index."""
    last_year, this_year = make_pair(5, rule="crossyear.carry", agency=AGENCY, kind="department", year=2023)
    agency = AgencyItem(REGION, AGENCY, "department", "http://www.hj.gov.cn/swj/")
    old_url, new_url = "http://www.hj.gov.cn/nb/t20230118_1.html", "http://www.hj.gov.cn/nb/t20240120_2.html"
    _crawl(tmp_path, [agency, _item(last_year, [DocumentRef(old_url, "html", _report_page(last_year))],
                                    published_on="2023-01-18", url=old_url)], as_of="2023-02-01")
    _crawl(tmp_path, [agency, _item(this_year, [DocumentRef(new_url, "html", _report_page(this_year))],
                                    url=new_url)])
    with Store.open(tmp_path / "data" / "monitor.db") as store:
        by_year = {r["year"]: r["id"] for r in store.reports()}
        carry = [f for f in store.findings() if f["rule"] == "crossyear.carry"]
        assert [f["report_id"] for f in carry] == [by_year[2023]]
        assert not [f for f in store.findings() if f["rule"] == "content.copied"]


def test_our_failures_and_blocked_sites_never_become_missing(tmp_path):
    spec = make_spec(15, agency=AGENCY, kind="department", year=2023)
    other, unreached = "红金区财政局", "红金区统计局"
    page = DocumentRef("http://www.hj.gov.cn/nb/1.html", "html", _report_page(spec))
    items = [
        AgencyItem(REGION, AGENCY, "department"), AgencyItem(REGION, other, "department"),
        AgencyItem(REGION, unreached, "department"),
        _item(spec, [page]),
        LookedItem(REGION, AGENCY, True), LookedItem(REGION, other, True),
        # a page of 财政局's column failed after every retry: its look cannot prove absence
        FailureItem(REGION, "http://www.hj.gov.cn/czj/nb/index_1.html", "5xx", "HTTP 503", agency=other),
    ]
    run_id = _crawl(tmp_path, items)
    db = tmp_path / "data" / "monitor.db"
    with Store.open(db) as store:
        status = {(s.agency, s.year): s for s in judge(store, AS_OF)}
        assert status[(AGENCY, 2023)].status == "on_time" and status[(AGENCY, 2022)].status == "missing"
        assert {status[(other, y)].status for y in (2022, 2023)} == {"unknown"}
        assert status[(other, 2023)].reason_code == "could_not_look:5xx"
        assert status[(unreached, 2023)].reason_code == "could_not_look:crawler"  # found, never looked at
        assert store.run(run_id)["state"] == "finished"

    # The next week the portal answers with a challenge page: every agency × year is unknown, with why.
    crawler = make_crawler(tmp_path)
    crawler.spider.as_of = "2024-06-08"
    pipeline = EvidencePipeline(crawler)
    pipeline.open_spider()
    session = CrawlSession.of(crawler)
    from crawlers.failures import Classified

    session.record_failure(PORTAL, Classified("challenge", "HTTP 412 JS challenge page", 412))
    pipeline.close_spider()
    close(crawler)
    with Store.open(db) as store:
        statuses = judge(store, "2024-06-08")
        assert {s.status for s in statuses if s.agency != AGENCY or s.year != 2023} == {"unknown"}
        assert all(s.reason_code == "could_not_look:challenge" for s in statuses if s.status == "unknown")
        assert {f["rule"] for f in store.findings(scope="region", as_of="2024-06-08")} == {"site.challenge"}
        assert "zero_reports" in store.run(session.run_id)["flags"]


def test_an_interrupted_run_with_a_jobdir_stays_open_and_is_continued(tmp_path):
    jobdir = tmp_path / "job"
    crawler = make_crawler(tmp_path, JOBDIR=str(jobdir))
    first_guard = JobdirGuard(crawler, jobdir)  # noqa: F841 - signal handlers are weak references
    session = CrawlSession.of(crawler).ensure_open()
    session.record_agency(AgencyItem(REGION, AGENCY, "department"))
    close(crawler, "shutdown")
    with Store.open(tmp_path / "data" / "monitor.db") as store:
        assert store.run(session.run_id)["state"] == "running"

    again = make_crawler(tmp_path, JOBDIR=str(jobdir))
    guard = JobdirGuard(again, jobdir)
    assert guard.mode == "resume"
    resumed = CrawlSession.of(again).ensure_open()
    assert resumed.run_id == session.run_id and AGENCY in resumed.agencies_seen
    close(again)
    assert JobdirGuard(make_crawler(tmp_path, JOBDIR=str(jobdir)), jobdir).mode == "fresh"


def test_an_interrupted_run_resumed_for_another_date_is_closed_as_failed(tmp_path):
    jobdir = tmp_path / "job"
    crawler = make_crawler(tmp_path, JOBDIR=str(jobdir))
    guard = JobdirGuard(crawler, jobdir)  # noqa: F841 - signal handlers are weak references
    first = CrawlSession.of(crawler).ensure_open().run_id
    close(crawler, "shutdown")
    later = make_crawler(tmp_path, JOBDIR=str(jobdir))
    later.spider.as_of = "2024-06-08"
    later_guard = JobdirGuard(later, jobdir)  # noqa: F841
    second = CrawlSession.of(later).ensure_open().run_id
    close(later)
    with Store.open(tmp_path / "data" / "monitor.db") as store:
        assert second != first
        assert store.run(first)["state"] == "failed"  # its looks will never count as proof of absence
        assert store.run(second)["state"] == "finished"


def test_jobdir_after_a_kill_drops_scrapy_s_queue_but_keeps_the_replay_cache(tmp_path):
    jobdir = tmp_path / "job"
    jobdir.mkdir()
    (jobdir / STATE_FILE).write_text(json.dumps({"state": "running", "pid": 1}))
    for name in ("requests.seen", "spider.state"):
        (jobdir / name).write_text("stale")
    (jobdir / "requests.queue").mkdir()
    (jobdir / CACHE_DIR).mkdir()
    guard = JobdirGuard(make_crawler(tmp_path, JOBDIR=str(jobdir)), jobdir)
    assert guard.mode == "replay"
    assert not (jobdir / "requests.seen").exists() and not (jobdir / "requests.queue").exists()
    assert (jobdir / CACHE_DIR).exists()


def test_replay_cache_entries_appear_whole(tmp_path, crawler):
    from scrapy.settings import Settings

    storage = AtomicFilesystemCacheStorage(Settings({"HTTPCACHE_DIR": str(tmp_path / "cache")}))
    storage.open_spider(crawler.spider)
    request = Request("http://www.hj.gov.cn/a.html")
    storage.store_response(crawler.spider, request, HtmlResponse(request.url, body="年报".encode(), encoding="utf-8"))
    cached = storage.retrieve_response(crawler.spider, request)
    assert cached.body == "年报".encode()
    assert not list((tmp_path / "cache").rglob(".tmp-*"))


def test_a_run_that_finds_far_fewer_reports_than_the_last_is_flagged_and_not_trusted(tmp_path):
    names = [f"红金区{n}" for n in ("商务局", "财政局", "统计局", "教育局")]
    agencies = [AgencyItem(REGION, n, "department") for n in names]
    reports = [_item(make_spec(20 + i, agency=n, kind="department", year=2023),
                     [DocumentRef(f"http://www.hj.gov.cn/nb/{i}.html", "html",
                                  _report_page(make_spec(20 + i, agency=n, kind="department", year=2023)))],
                     url=f"http://www.hj.gov.cn/nb/{i}.html") for i, n in enumerate(names)]
    for item, name in zip(reports, names):
        item.agency = name
    looks = [LookedItem(REGION, n, True) for n in names]
    _crawl(tmp_path, [*agencies, *reports, *looks])
    # A week later the site was redesigned and the crawl only found one report: suspicious, not 3 missing.
    later = _crawl(tmp_path, [*agencies, reports[0], *looks], as_of="2024-06-08")
    with Store.open(tmp_path / "data" / "monitor.db") as store:
        assert "far_fewer_than_last" in store.run(later)["flags"]
        statuses = {s.agency: s for s in judge(store, "2024-06-08") if s.year == 2023}
    assert {statuses[n].status for n in names} == {"on_time"}
    assert all(statuses[n].removed_on is None for n in names[1:])  # a suspicious run proves no removal


def _crawl_region_into_shared_db(args: tuple[str, str, int]) -> int:
    """One crawl process writing a region's agencies, reports and looks (run in a separate process)."""
    db, region, count = args
    crawler = get_crawler(Spider, {"NIANBAO_PROGRESS_INTERVAL": 3600, "EXTENSIONS_BASE": {}})
    spider = Spider(name="t", start_url=f"http://{region}.example.gov.cn/", region=region, years="2023",
                    as_of=AS_OF, db=db)
    spider._set_crawler(crawler)
    crawler.spider = spider
    pipeline = EvidencePipeline(crawler)
    pipeline.open_spider()
    page = DocumentRef("u", "html", _report_page(make_spec(30, agency=AGENCY, kind="department", year=2023)))
    for i in range(count):
        name = f"{region}第{i}局"
        run(pipeline.process_item(AgencyItem(region, name, "department")))
        item = ReportItem(region, name, "department", 2023, "t", f"http://{region}/{i}.html",
                          documents=[DocumentRef(f"http://{region}/{i}.html", "html", page.body)])
        run(pipeline.process_item(item))
        run(pipeline.process_item(LookedItem(region, name, True)))
    pipeline.close_spider()
    close(crawler)
    return int(crawler.stats.get_value("nianbao/items_refused", 0))


def test_crawls_sharing_one_database_wait_for_each_other_instead_of_failing(tmp_path):
    import multiprocessing

    db = tmp_path / "data" / "monitor.db"
    Store.open(db).close()
    jobs = [(str(db), f"区{i}", 15) for i in range(3)]
    with multiprocessing.get_context("spawn").Pool(3) as pool:
        refused = pool.map(_crawl_region_into_shared_db, jobs)
    assert refused == [0, 0, 0]
    with Store.open(db) as store:
        assert len(store.reports()) == 45
        assert {r["state"] for r in store.runs()} == {"finished"}


def test_a_robots_rule_on_the_central_columns_makes_the_agencies_it_hides_unknown(tmp_path):
    central = "http://www.hj.gov.cn/zfxxgk/zfxxgknb/2023/index.html"
    _crawl(tmp_path, [
        AgencyItem(REGION, AGENCY, "department"),
        FailureItem(REGION, central, "robots", "forbidden by the site's robots.txt", permanent=True),
        LookedItem(REGION, AGENCY, False, f"central 年报 columns failed: {central}"),
    ])
    with Store.open(tmp_path / "data" / "monitor.db") as store:
        statuses = judge(store, AS_OF)
        assert [f["rule"] for f in store.findings(scope="region")] == ["site.robots_disallow"]
    assert {(s.status, s.reason_code) for s in statuses} == {("unknown", "could_not_look:robots")}
