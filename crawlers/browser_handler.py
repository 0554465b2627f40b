"""scrapy-playwright's download handler, starting Playwright only when a crawl first needs a browser.

The stock handler starts Playwright's driver (a Node.js process) when the engine starts, so every crawl
pays for it — about 0.7 s of CPU and its shutdown — although most sites never ask for a rendered page
(only a 年报 list whose links its scripts build is marked meta={"playwright": True}).  This subclass starts
the driver at the first such request instead; the browser itself was already launched lazily.
"""

from __future__ import annotations

import asyncio

from scrapy.crawler import Crawler
from scrapy.http import Request, Response
from scrapy.spiders import Spider
from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler


class OnDemandPlaywrightDownloadHandler(ScrapyPlaywrightDownloadHandler):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self._start_lock = asyncio.Lock()

    async def _maybe_launch_in_thread(self) -> None:
        """Engine start (connected by the parent's __init__): nothing to start yet."""

    async def _download_request(self, request: Request, spider: Spider | None = None) -> Response:
        async with self._start_lock:
            if getattr(self, "browser_provider", None) is None:
                await self._launch()
        return await super()._download_request(request, spider)
