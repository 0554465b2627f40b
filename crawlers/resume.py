"""Resuming a crawl with JOBDIR, also after kill -9.

Scrapy's JOBDIR keeps the request queue, the seen-request fingerprints and spider.state — but it writes
the queue's bookkeeping (active.json, the disk queues' info) only when the spider closes, and buffers the
fingerprints.  After a hard kill those files describe a state that never existed: the fingerprints say
"seen" for requests whose answers were never processed, so a plain resume silently loses them.

So this module makes the JOBDIR crash-aware:

* `JobdirGuard` (an extension) keeps JOBDIR/nianbao-state.json: "running" while a process works, "closed"
  with the close reason afterwards.  At start-up it decides what the JOBDIR is worth:
  - closed by "shutdown" (Ctrl-C, SIGTERM): Scrapy's state is consistent — resume it as Scrapy does;
  - still "running" (the last process died): Scrapy's queue and fingerprints are dropped and the crawl
    replays from the start URLs, with everything already fetched served from the replay cache below;
  - closed for any other reason (the job finished): the JOBDIR is reused for a fresh crawl.
* `ReplayCacheMiddleware` (only with JOBDIR) keeps every usable answer of the run on disk, written
  atomically (a temporary directory renamed into place), so a replay after a crash costs the site nothing
  and reproduces the same pages.  Error answers (5xx, challenges) are not kept: a replay asks again.

The store needs no such care: every write is idempotent within a run (the run id is kept in the JOBDIR, see
crawlers.session), so replayed items change nothing, and the looks of a run are completed only when it
finishes normally.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.downloadermiddlewares.httpcache import HttpCacheMiddleware
from scrapy.exceptions import NotConfigured
from scrapy.extensions.httpcache import DummyPolicy, FilesystemCacheStorage
from scrapy.http import Request, Response
from scrapy.settings import Settings
from scrapy.utils.job import job_dir

from crawlers.session import RUN_FILE, SESSION_FILE

log = logging.getLogger(__name__)

STATE_FILE = "nianbao-state.json"
CACHE_DIR = "replay-cache"
SCRAPY_STATE = ("requests.queue", "requests.seen", "spider.state")


def _read_state(jobdir: Path) -> dict[str, Any] | None:
    try:
        return json.loads((jobdir / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _write_state(jobdir: Path, state: dict[str, Any]) -> None:
    tmp = jobdir / (STATE_FILE + ".tmp")
    tmp.write_text(json.dumps(state), encoding="utf-8")
    os.replace(tmp, jobdir / STATE_FILE)


def _remove(paths: list[Path]) -> None:
    for path in paths:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        elif path.exists():
            path.unlink()


class JobdirGuard:
    def __init__(self, crawler: Any, jobdir: Path):
        self.jobdir = jobdir
        jobdir.mkdir(parents=True, exist_ok=True)
        previous = _read_state(jobdir)
        scrapy_state = [jobdir / name for name in SCRAPY_STATE]
        if previous is None:
            self.mode = "fresh"
        elif previous.get("state") == "running":
            self.mode = "replay"
            log.warning("JOBDIR %s: the previous crawl did not close (killed?); its queue is not trustworthy, "
                        "replaying from the start with already fetched pages from the replay cache", jobdir)
            _remove(scrapy_state)
        elif previous.get("reason") == "shutdown":
            self.mode = "resume"
            log.info("JOBDIR %s: resuming the interrupted crawl", jobdir)
        else:
            self.mode = "fresh"
            log.info("JOBDIR %s: the previous crawl finished (%s); starting a new one", jobdir, previous.get("reason"))
            _remove([*scrapy_state, jobdir / CACHE_DIR, jobdir / RUN_FILE, jobdir / SESSION_FILE])
        crawler.stats.set_value("nianbao/jobdir_mode", self.mode)
        _write_state(jobdir, {"state": "running", "pid": os.getpid(), "mode": self.mode})
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Any) -> JobdirGuard:
        jobdir = job_dir(crawler.settings)
        if not jobdir:
            raise NotConfigured
        return cls(crawler, Path(jobdir))

    def spider_closed(self, spider: Any, reason: str) -> None:
        _write_state(self.jobdir, {"state": "closed", "reason": reason, "pid": os.getpid(), "mode": self.mode})


class ReplayPolicy(DummyPolicy):
    """Keep answers that describe the site (2xx, 3xx, 404/410); never errors worth asking again."""

    def should_cache_response(self, response: Response, request: Request) -> bool:
        return 200 <= response.status < 400 or response.status in (404, 410)


class AtomicFilesystemCacheStorage(FilesystemCacheStorage):
    """Scrapy's filesystem cache, but an entry appears all at once or not at all (no torn entries)."""

    def store_response(self, spider: Any, request: Request, response: Response) -> None:
        final = Path(self._get_request_path(spider, request))
        final.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=final.parent))
        real_path = self._get_request_path
        try:
            self._get_request_path = lambda spider, request: str(tmp)  # type: ignore[method-assign]
            super().store_response(spider, request, response)
        finally:
            self._get_request_path = real_path  # type: ignore[method-assign]
        if final.exists():
            shutil.rmtree(final, ignore_errors=True)
        os.replace(tmp, final)


class ReplayCacheMiddleware(HttpCacheMiddleware):
    @classmethod
    def from_crawler(cls, crawler: Any) -> ReplayCacheMiddleware:
        jobdir = job_dir(crawler.settings)
        if not jobdir:
            raise NotConfigured
        settings = Settings(crawler.settings.copy_to_dict())
        settings.set("HTTPCACHE_ENABLED", True)
        settings.set("HTTPCACHE_DIR", str(Path(jobdir, CACHE_DIR)))
        settings.set("HTTPCACHE_EXPIRATION_SECS", 0)
        settings.set("HTTPCACHE_STORAGE", f"{__name__}.AtomicFilesystemCacheStorage")
        settings.set("HTTPCACHE_POLICY", f"{__name__}.ReplayPolicy")
        o = cls(settings, crawler.stats)
        crawler.signals.connect(o.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(o.spider_closed, signal=signals.spider_closed)
        o.crawler = crawler
        return o
