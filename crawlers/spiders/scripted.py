"""The `reports` spider's lists that only scripts build: ask the endpoints their scripts name, else render.

A mixin of ReportsSpider (crawlers/spiders/reports.py), which owns `probes`, `rendered` and `_request`.
A 年报 list whose raw HTML leads nowhere is first probed: the JSON/XML endpoints its scripts name
(crawlers/adapters, NAMED_API) are asked, and only when none gives a row is the page rendered in a
browser with scrapy-playwright (about 2 % of pages on the simulated web) — rendering is slow, heavy and
uncacheable, so it is the last resort, and only when the browser handler is configured.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Iterator

from scrapy.http import Request

from crawlers import adapters
from crawlers.adapters.base import Page
from crawlers.spiders.context import Ctx


class ScriptLists:
    probes: dict[str, dict[str, Any]]
    rendered: set[str]
    crawler: Any

    def _render_meta(self) -> dict[str, Any]:
        from scrapy_playwright.page import PageMethod

        return {
            "playwright": True,
            "playwright_include_page": False,
            "playwright_page_methods": [PageMethod("wait_for_load_state", "networkidle")],
        }

    def _can_render(self) -> bool:
        handlers = self.crawler.settings.getdict("DOWNLOAD_HANDLERS")
        return any("playwright" in str(v) for v in handlers.values())

    def _probe_or_render(self, page: Page, ctx: Ctx) -> Iterator[Request]:
        """A 年报 list whose raw HTML leads nowhere: ask the endpoints its scripts name, if any; the
        page is rendered in a browser only when they give no rows (see `_probe_done`)."""
        if page.url in self.probes or not any(len(s.strip()) > 40 for s in page.scripts()):
            return
        fetches = adapters.NAMED_API.candidates(page)
        self.probes[page.url] = {"pending": len(fetches), "rows": 0, "ctx": ctx}
        if not fetches:
            yield from self._render(page.url, ctx)
        for fetch in fetches:
            req = self._request(fetch.url, replace(ctx, role="probe"), callback=self.parse_payload,
                                meta={"adapter": fetch.kind, "data": dict(fetch.data), "probe_of": page.url},
                                dont_filter=True)
            if req is not None:
                yield req
            else:
                yield from self._probe_done(page.url, 0)

    def _probe_done(self, page_url: str, rows: int) -> Iterator[Request]:
        probe = self.probes[page_url]
        probe["pending"] -= 1
        probe["rows"] += rows
        if probe["pending"] == 0 and probe["rows"] == 0:
            yield from self._render(page_url, probe["ctx"])

    def _render(self, url: str, ctx: Ctx) -> Iterator[Request]:
        if url in self.rendered or not self._can_render():
            return
        self.rendered.add(url)
        req = self._request(url, replace(ctx, render=True), dont_filter=True)
        if req is not None:
            yield req
