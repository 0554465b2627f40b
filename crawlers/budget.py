"""The region's page budget: a downloader middleware that stops a crawl from walking a portal forever.

The frontier (crawlers/frontier.py) lets every in-scope link be a candidate and ranks them; a county
portal holds tens of thousands of pages, so the walk needs a bound.  It is counted here, when a request
leaves the scheduler — Scrapy's priority queue hands out the most promising requests first, so what the
budget cuts is what ranked last.  Only requests that walk the site count (`meta["nianbao_budgeted"]`: navigation, lists,
payloads, probes, scripts); a listed report and its files never do.  A refused request fails with
BudgetRefusal, so the spider's errback makes the look it belonged to incomplete (never a `missing`) and
the failure is recorded; the run's stats say how much of the budget was spent.

Settings: NIANBAO_PAGE_BUDGET (requests per run; 0 = no budget).
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.http import Request

from crawlers.failures import CrawlRefusal

log = logging.getLogger(__name__)


class BudgetRefusal(CrawlRefusal):
    failure_class = "other"


class PageBudgetMiddleware:
    def __init__(self, crawler: Any) -> None:
        self.stats = crawler.stats
        self.budget = crawler.settings.getint("NIANBAO_PAGE_BUDGET", 0)
        self.spent = 0

    @classmethod
    def from_crawler(cls, crawler: Any) -> PageBudgetMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        if not request.meta.get("nianbao_budgeted") or request.meta.get("nianbao_budget_counted"):
            return None
        if self.budget and self.spent >= self.budget:
            if not self.stats.get_value("nianbao/budget/refused"):
                log.warning("page budget of %d requests spent: %s and what ranks below it are not fetched",
                            self.budget, request.url)
            self.stats.inc_value("nianbao/budget/refused")
            raise BudgetRefusal(f"over the region's page budget (NIANBAO_PAGE_BUDGET={self.budget})")
        self.spent += 1
        request.meta["nianbao_budget_counted"] = True  # retries and redirects of it are not counted again
        self.stats.set_value("nianbao/budget/spent", self.spent)
        return None
