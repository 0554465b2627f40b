"""Scrapy's HTTP download handler, handing pages marked meta={"playwright": True} to scrapy-playwright.

Most crawls never render a page (only a 年报 list whose links its scripts build is marked), yet the
stock scrapy-playwright handler imports Playwright (0.2 s of CPU) and starts its driver, a Node.js
process (0.5 s more, and its shutdown), in every crawl.  This handler is Scrapy's own HTTP/1.1 handler;
scrapy-playwright's handler is imported, created and started at the first page to render, and gets
every such page from then on.
"""

from __future__ import annotations

import asyncio
from typing import Any

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.crawler import Crawler
from scrapy.http import Request, Response
from scrapy.settings import BaseSettings
from scrapy.utils.misc import load_object


class OnDemandPlaywrightDownloadHandler(HTTP11DownloadHandler):
    lazy = False

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self._browser: Any = None  # scrapy-playwright's handler, once a page asked for rendering
        self._browser_lock = asyncio.Lock()

    async def download_request(self, request: Request) -> Response:
        if not request.meta.get("playwright"):
            return await super().download_request(request)
        async with self._browser_lock:
            if self._browser is None:
                from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler

                browser = ScrapyPlaywrightDownloadHandler(self._crawler)
                await browser._maybe_launch_in_thread()  # its engine-start hook: the engine started long ago
                self._browser = browser
        return await self._browser.download_request(request)

    async def close(self) -> None:
        await super().close()
        if self._browser is not None:
            await self._browser.close()


def can_render(settings: BaseSettings) -> bool:
    """Whether the crawl's download handlers render pages: this one, or scrapy-playwright's own."""
    for path in settings.getdict("DOWNLOAD_HANDLERS").values():
        handler = load_object(path) if path else None
        if handler is not None and (issubclass(handler, OnDemandPlaywrightDownloadHandler)
                                    or handler.__module__.startswith("scrapy_playwright.")):
            return True
    return False
