"""One crawl of one region, as the evidence side sees it: the store, the run, the WARC file, the tallies.

Pipelines, downloader middlewares and extensions all write evidence about the same run, so they share one
`CrawlSession` hung on the crawler (`CrawlSession.of(crawler)`).  It opens lazily (the first component
that needs it, normally the pipeline's open_spider) and closes on `spider_closed`, where the run's looks
are completed and the run is finished in the store.

What the session reads from the spider (its `-a` arguments, which Scrapy sets as attributes):

* ``start_url`` — the portal (else ``start_urls[0]``);
* ``region`` — the region's name (default: the portal's host, e.g. ``www.qc.gov.cn``);
* ``years`` — ``"2021-2023"`` / ``"2023"`` or a list of ints (default: the three years before as_of);
* ``as_of`` — YYYY-MM-DD, "today" for everything this run observes (default: the real date);
* ``db`` — the SQLite file (default: setting NIANBAO_DB, else data/monitor.db);
* ``hosts`` — extra hosts (``host`` or ``host:port``, comma-separated) that belong to the region.

The close-of-run rules (what a run's looks mean, our failures never an agency's `missing`) are in
crawlers/run_close.py.

A run stopped gracefully with a JOBDIR (Ctrl-C) stays `running` and is continued by the next crawl with
that JOBDIR; the bookkeeping that is not in the store yet (agencies seen, failures per agency, site
blocks) is appended to JOBDIR/nianbao-session.jsonl so a resumed process, even after kill -9, knows it.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.utils.job import job_dir

from crawlers.failures import Classified
from crawlers.scope import configured_hosts
from crawlers.items import AgencyItem, FailureItem, ListingItem, LookedItem, RelistedItem
from crawlers.run_close import SITE_BLOCK_CLASSES, RunClosing, worst_class
from monitor.portals import default_region_name, host_key
from monitor.regions import ConfigError, parse_years
from monitor.store import FAILURE_CLASSES, Store, StoreError

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from crawlers.warc import WarcArchive

log = logging.getLogger(__name__)
progress_log = logging.getLogger("nianbao.progress")

DEFAULT_DB = "data/monitor.db"
RUN_FILE = "nianbao-run.json"
SESSION_FILE = "nianbao-session.jsonl"

class SessionError(Exception):
    """The crawl cannot record evidence (bad arguments, unusable database): the crawl must stop."""


class CrawlSession(RunClosing):
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.settings = crawler.settings
        self.store: Store | None = None
        self.run_id: int | None = None
        self.region = ""
        self.start_url = ""
        self.as_of: date | None = None
        self.years: list[int] = []
        self.db_path: Path | None = None
        self.jobdir = job_dir(self.settings)
        self.warc: WarcArchive | None = None
        self.allowed_hosts: set[str] = set()
        self.closing = False
        self.blocked_hosts: dict[str, Classified] = {}  # host:port → why it is not asked again this run
        # Bookkeeping of this run (mirrored to the JOBDIR journal).
        self.agencies_seen: set[str] = set()
        self.agency_failures: dict[str, Counter[str]] = defaultdict(Counter)
        self.portal_failure: dict[str, Any] | None = None
        self.site_failures: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self._recorded_failures: set[tuple[str, str]] = set()
        self._journal = None
        self._opened = False
        self._started = time.monotonic()
        self._last_progress = 0.0
        crawler.signals.connect(self._spider_closed, signal=signals.spider_closed)

    @classmethod
    def of(cls, crawler: Crawler) -> CrawlSession:
        session = getattr(crawler, "_nianbao_session", None)
        if session is None:
            session = cls(crawler)
            crawler._nianbao_session = session  # type: ignore[attr-defined]
        return session

    @contextmanager
    def writing(self) -> Iterator[Store]:
        """One write transaction that takes SQLite's write lock at its start (BEGIN IMMEDIATE).

        Why: several crawls may share one database.  A store call reads before it writes (is the agency
        known? is the report?), and in WAL mode a transaction that read, then finds another writer
        committed meanwhile, fails at once with "database is locked" — the busy timeout does not apply.
        Taking the lock first makes it wait its turn instead.  Store calls inside nest as savepoints.
        """
        assert self.store is not None
        conn = self.store.db.conn
        if conn.in_transaction:
            yield self.store
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.store
        except BaseException:
            conn.rollback()
            raise
        conn.commit()

    # ------------------------------------------------------------------ opening

    def ensure_open(self) -> CrawlSession:
        if self._opened:
            return self
        spider = self.crawler.spider
        if spider is None:
            raise SessionError("the crawl session was used before the spider exists")
        self._read_arguments(spider)
        try:
            self.store = Store.open(self.db_path)
            with self.writing() as store:
                self.region = self._region_name(store, spider)
                if store.region(self.region) is None:
                    config = {"name": self.region, "portal_url": self.start_url,
                              "years": f"{self.years[0]}-{self.years[-1]}"}
                    store.upsert_region(self.region, self.start_url, config, hosts=self.allowed_hosts)
                else:
                    store.upsert_region(self.region, self.start_url, hosts=self.allowed_hosts)
                self.run_id = self._resume_or_start_run()
        except StoreError as exc:
            raise SessionError(str(exc)) from exc
        self._replay_journal()
        from crawlers.warc import WarcArchive  # here, not at the top: crawlers.warc imports this module

        self.warc = WarcArchive(self.warc_path(), self._warcinfo())
        self._opened = True
        log.info("run %s: region %s, as of %s, years %s, db %s", self.run_id, self.region, self.as_of,
                 _years_text(self.years), self.db_path)
        info = self.settings.get("NIANBAO_RUN_INFO")
        if info:
            Path(info).write_text(json.dumps({"run_id": self.run_id, "region": self.region,
                                              "db": str(self.db_path)}), encoding="utf-8")
        return self

    def _region_name(self, store: Store, spider: Any) -> str:
        """The spider's `region` argument, else the region whose portal this is (monitor.portals: host:port
        and path prefix), else a name made from the portal.  The spider is told, so its items carry it."""
        given = getattr(spider, "region", None)
        known = None if given else store.region_of_portal(self.start_url)
        name = str(given or (known["name"] if known else default_region_name(self.start_url)))
        spider.region = name
        return name

    def _read_arguments(self, spider: Any) -> None:
        start = getattr(spider, "start_url", None) or next(iter(getattr(spider, "start_urls", []) or []), None)
        if not start or not urlsplit(str(start)).hostname:
            raise SessionError("the spider has no start_url (pass -a start_url=URL)")
        self.start_url = str(start)
        as_of = getattr(spider, "as_of", None) or self.settings.get("NIANBAO_AS_OF")
        try:
            self.as_of = as_of if isinstance(as_of, date) else (date.fromisoformat(as_of) if as_of else date.today())
        except ValueError:
            raise SessionError(f"as_of is not a date (YYYY-MM-DD): {as_of!r}") from None
        self.years = requested_years(getattr(spider, "years", None), self.as_of)
        db = getattr(spider, "db", None) or self.settings.get("NIANBAO_DB") or DEFAULT_DB
        self.db_path = Path(db).resolve()
        self.allowed_hosts = {host_key(self.start_url), *configured_hosts(self.settings, getattr(spider, "hosts", None))}

    def _resume_or_start_run(self) -> int:
        assert self.store is not None and self.as_of is not None
        run_file = Path(self.jobdir, RUN_FILE) if self.jobdir else None
        if run_file is not None and run_file.exists():
            try:
                saved = json.loads(run_file.read_text(encoding="utf-8"))
                run = self.store.run(int(saved["run_id"]))
                if (saved.get("db") == str(self.db_path) and run["region"] == self.region
                        and run["state"] == "running" and run["as_of"] == self.as_of.isoformat()):
                    log.info("resuming run %s from %s", run["id"], self.jobdir)
                    return int(run["id"])
                if saved.get("db") == str(self.db_path) and run["state"] == "running":
                    # The interrupted run will never be continued (another region or as-of date now).
                    self.store.finish_run(int(run["id"]), error="interrupted and superseded by a new crawl")
            except (ValueError, KeyError, TypeError, StoreError):
                log.warning("ignoring unreadable %s", run_file)
        run_id = self.store.start_run(self.region, self.as_of)
        if run_file is not None:
            run_file.write_text(json.dumps({"run_id": run_id, "db": str(self.db_path)}), encoding="utf-8")
        return run_id

    def warc_path(self) -> Path:
        """data/warc/<region>/<run>.warc.gz beside the database (NIANBAO_WARC_DIR overrides the folder)."""
        assert self.db_path is not None
        base = Path(self.settings.get("NIANBAO_WARC_DIR") or self.db_path.parent / "warc")
        safe_region = self.region.replace("/", "_").replace(os.sep, "_").replace(":", "_")
        return base / safe_region / f"{self.run_id}.warc.gz"

    def warc_ref(self, path: Path) -> str:
        """How a WARC path is stored: relative to the database's folder when it is inside it."""
        assert self.db_path is not None
        try:
            return str(path.resolve().relative_to(self.db_path.parent))
        except ValueError:
            return str(path.resolve())

    def _warcinfo(self) -> dict[str, str]:
        return {
            "software": "nianbao crawler (Scrapy)",
            "format": "WARC File Format 1.1",
            "isPartOf": f"region {self.region} run {self.run_id}",
            "description": f"as of {self.as_of}; portal {self.start_url}; years {_years_text(self.years)}",
            "robots": "obey" if self.settings.getbool("ROBOTSTXT_OBEY") else "ignore",
            "http-header-user-agent": self.settings.get("USER_AGENT", ""),
        }

    # ------------------------------------------------------------------ bookkeeping

    def note_agency(self, name: str) -> None:
        if name not in self.agencies_seen:
            self.agencies_seen.add(name)
            self._journal_write({"agency": name})

    def record_agency(self, item: AgencyItem) -> None:
        with self.writing() as store:
            store.upsert_agency(self.region, item.name, item.kind, url=item.url, aliases=item.aliases,
                                run_id=self.run_id)
        self.note_agency(item.name)

    def record_look(self, item: LookedItem) -> None:
        """A look at an agency's listings: not_found (or could_not_look) for every requested year (or the
        item's own years: a listing-first re-check looks for the awaited ones only), at once."""
        assert self.run_id is not None
        self.note_agency(item.agency)
        failures = self.agency_failures.get(item.agency)
        years = [y for y in self.years if item.years is None or y in item.years]
        with self.writing() as store:
            for year in years:
                if item.complete:
                    store.record_observation(self.run_id, item.agency, year, "not_found", detail=item.detail or None)
                else:
                    # The agency's own failures explain it best; else a site-wide block (a robots.txt rule or a
                    # challenge on the central columns); else the spider only knows part of a listing failed.
                    site = Counter({c: len(v) for c, v in self.site_failures.items() if v})
                    reason = worst_class(failures) if failures else worst_class(site) if site else "other"
                    store.record_observation(self.run_id, item.agency, year, "could_not_look", reason=reason,
                                             detail=item.detail or "part of the agency's listing could not be read")

    def record_listing(self, item: ListingItem) -> None:
        with self.writing() as store:
            store.record_listing(self.run_id, item.key, item.request, owner=item.owner, context=item.context,
                                 rows=item.rows)

    def record_relisted(self, item: RelistedItem) -> None:
        """A known report still listed unchanged: found today, at the URL the listing links to."""
        if item.year not in self.years:
            return
        with self.writing() as store:
            store.record_report(self.run_id, item.agency, item.year, item.url, kind=item.agency_kind)
        self.crawler.stats.inc_value("nianbao/reports_relisted")
        self.note_agency(item.agency)

    def record_failure(self, url: str, classified: Classified, agency: str | None = None) -> None:
        """Record a failed fetch (once per URL and class in this process) and what it means for the run."""
        if self.closing or not self._opened:
            return
        assert self.store is not None and self.run_id is not None
        key = (url, classified.failure)
        if key in self._recorded_failures:
            return
        self._recorded_failures.add(key)
        self.crawler.stats.inc_value(f"nianbao/failures/{classified.failure}")
        try:
            with self.writing() as store:
                store.record_fetch_failure(self.run_id, url, classified.failure, http_status=classified.http_status,
                                           detail=classified.detail[:500])
        except (StoreError, sqlite3.Error) as exc:
            log.error("cannot record the failure of %s: %s", url, exc)
        entry = {"url": url, "failure": classified.failure, "detail": classified.detail[:200],
                 "status": classified.http_status}
        if classified.failure == "offsite":
            return  # we chose not to go there: says nothing about the site or an agency
        if agency:
            self.agency_failures[agency][classified.failure] += 1
            self._journal_write({"agency_failure": agency, "failure": classified.failure})
        if _same_url(url, self.start_url) and self.portal_failure is None:
            self.portal_failure = entry
            self._journal_write({"portal_failure": entry})
        if classified.failure in SITE_BLOCK_CLASSES and len(self.site_failures[classified.failure]) < 20:
            self.site_failures[classified.failure].append(entry)
            self._journal_write({"site_failure": entry})

    def record_failure_item(self, item: FailureItem) -> None:
        if item.failure not in FAILURE_CLASSES:
            log.warning("FailureItem with unknown class %r for %s: recorded as 'other'", item.failure, item.url)
        failure = item.failure if item.failure in FAILURE_CLASSES else "other"
        self.record_failure(item.url, Classified(failure, item.detail), agency=item.agency)
        if item.agency:
            self.note_agency(item.agency)

    # ------------------------------------------------------------------ progress

    def progress(self, force: bool = False) -> None:
        """A one-line progress log every NIANBAO_PROGRESS_INTERVAL seconds (the crawl command shows it)."""
        now = time.monotonic()
        if not force and now - self._last_progress < self.settings.getfloat("NIANBAO_PROGRESS_INTERVAL", 5.0):
            return
        self._last_progress = now
        stats = self.crawler.stats
        progress_log.info(
            "progress pages=%d rendered=%d reports=%d agencies=%d failures=%d elapsed=%ds",
            stats.get_value("downloader/response_count", 0), stats.get_value("nianbao/rendered_pages", 0),
            stats.get_value("nianbao/reports", 0), len(self.agencies_seen),
            sum(v for k, v in stats.get_stats().items() if k.startswith("nianbao/failures/")),
            int(now - self._started),
        )

    # ------------------------------------------------------------------ closing

    def _spider_closed(self, spider: Any, reason: str) -> None:
        if not self._opened:
            return
        self.closing = True
        assert self.store is not None and self.run_id is not None
        try:
            if reason == "shutdown" and self.jobdir:
                log.info("run %s interrupted; it continues when the crawl is started again with JOBDIR %s",
                         self.run_id, self.jobdir)
            elif reason == "finished":
                with self.writing() as store:
                    store.upsert_region(self.region, hosts=getattr(spider, "allowed_hosts", ()))
                    self._complete_looks()
                    run = store.finish_run(self.run_id, self._run_stats(reason))
                self._log_run(run)
            else:
                with self.writing() as store:
                    run = store.finish_run(self.run_id, self._run_stats(reason), error=f"crawl stopped: {reason}")
                self._log_run(run)
        except (StoreError, sqlite3.Error) as exc:
            log.error("run %s could not be finished in the store: %s", self.run_id, exc)
        finally:
            self.progress(force=True)
            if self.warc is not None:
                self.warc.close()
            if self._journal is not None:
                self._journal.close()
            self.store.close()

    # ------------------------------------------------------------------ JOBDIR journal

    def _journal_write(self, entry: dict[str, Any]) -> None:
        if not self.jobdir:
            return
        if self._journal is None:
            self._journal = open(Path(self.jobdir, SESSION_FILE), "a", encoding="utf-8")  # noqa: SIM115
        self._journal.write(json.dumps(entry, ensure_ascii=False) + "\n")
        self._journal.flush()

    def _replay_journal(self) -> None:
        if not self.jobdir:
            return
        path = Path(self.jobdir, SESSION_FILE)
        if not path.exists():
            return
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                entry = json.loads(line)
            except ValueError:
                continue  # the last line of a killed process may be cut short
            if "agency" in entry:
                self.agencies_seen.add(entry["agency"])
            elif "agency_failure" in entry:
                self.agency_failures[entry["agency_failure"]][entry["failure"]] += 1
            elif "portal_failure" in entry:
                self.portal_failure = self.portal_failure or entry["portal_failure"]
            elif "site_failure" in entry:
                self.site_failures[entry["site_failure"]["failure"]].append(entry["site_failure"])


# ---------------------------------------------------------------------- helpers


def requested_years(value: Any, as_of: date) -> list[int]:
    """The report years a crawl looks for: "2021-2023", "2023", a list of ints, or None (the 3 latest)."""
    if value is None or value == "":
        return list(range(as_of.year - 3, as_of.year))
    if isinstance(value, str):
        try:
            years = parse_years(value, "years").through(as_of)
        except ConfigError as exc:
            raise SessionError(str(exc)) from None
    else:
        try:
            years = sorted({int(y) for y in value})
        except (TypeError, ValueError):
            raise SessionError(f"years must be like 2021-2023 (got {value!r})") from None
    years = [y for y in years if y <= as_of.year]
    if not years:
        raise SessionError(f"no report year to look for as of {as_of} (years {value!r})")
    return years


def _same_url(a: str, b: str) -> bool:
    return a.rstrip("/") == b.rstrip("/")


def _years_text(years: list[int]) -> str:
    return f"{years[0]}-{years[-1]}" if len(years) > 1 else str(years[0])
