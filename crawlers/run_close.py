"""The end of a crawl run as the evidence side sees it: the looks it completes, the site findings, the run's
stats.  A mixin of CrawlSession (crawlers/session.py), which owns the state (store, run, tallies).

Why the close-of-run rules are what they are (interface.md: our failures must never become `missing`):

* a fetch failure of the portal itself (robots, challenge, dead host, persistent 5xx) means we could not
  look at the region at all: every known agency × year is `could_not_look`, with the reason;
* a failure attributed to an agency (request ``meta["agency"]`` or ``FailureItem.agency``) means its
  listing or one of its reports may be hidden: its years without a found report become `could_not_look`;
* an agency the crawl saw (directory, report) but never looked for is `could_not_look` ('crawler');
* `LookedItem`s are recorded as they come; the store merges several looks of one run to the strongest
  (found > could_not_look > not_found), so their order does not matter.
"""

from __future__ import annotations

import logging
import time
from collections import Counter, defaultdict
from typing import Any

log = logging.getLogger(__name__)

SITE_BLOCK_CLASSES = ("robots", "challenge")
"""Failure classes that are findings about the site wherever they happen (the site refuses to be read)."""

_SEVERITY_ORDER = ("challenge", "robots", "dns", "timeout", "5xx", "other", "redirect_loop", "too_large", "4xx",
                   "network", "crawler", "offsite")
"""Which failure class explains a failed look best when an agency had several (the most blocking first)."""


class RunClosing:
    """Close-of-run bookkeeping of CrawlSession."""

    def _complete_looks(self) -> None:
        """Close-of-run looks: site blocks, agencies with failures, agencies never looked at; site findings."""
        assert self.store is not None and self.run_id is not None
        run_id, store = self.run_id, self.store
        if self.portal_failure is not None:
            reason = self.portal_failure["failure"]
            detail = f"{self.portal_failure['url']}: {self.portal_failure['detail']}"
            count = store.record_region_could_not_look(run_id, self.years, reason, detail)
            log.warning("the portal could not be read (%s): %d agency-years recorded as could_not_look", reason, count)
        looked: dict[str, set[int]] = defaultdict(set)
        for obs in store.observations(self.region):
            if obs["run_id"] == run_id:
                looked[obs["agency"]].add(obs["year"])
        for name in sorted(self.agencies_seen | set(self.agency_failures)):
            agency = store.find_agency(self.region, name)
            if agency is None:
                log.warning("agency %r was mentioned but never described (no AgencyItem or report): skipped", name)
                continue
            failures = self.agency_failures.get(name)
            for year in self._looked_for(name):
                if failures:
                    store.record_observation(run_id, agency["id"], year, "could_not_look", reason=worst_class(failures),
                                             detail=_failures_text(failures))
                elif year not in looked[agency["name"]]:
                    store.record_observation(run_id, agency["id"], year, "could_not_look", reason="crawler",
                                             detail="the crawl found this agency but did not reach its reports")
        store.record_findings(run_id, self.site_findings())

    def _looked_for(self, agency: str) -> list[int]:
        """The years this run looked for `agency`'s reports: all it asked for, or — in a listing-first
        re-check (the spider's `plan`) — only those still awaited, the others were not looked at."""
        plan = getattr(self.crawler.spider, "plan", None)
        if plan is None:
            return self.years
        return [year for year in self.years if (agency, year) in plan.awaited]

    def site_findings(self) -> list[dict[str, Any]]:
        """Findings about the region's site: it blocks robots, answers with a challenge, or is unreachable."""
        out = []
        robots = self.site_failures.get("robots")
        if robots:
            out.append({
                "rule": "site.robots_disallow", "severity": "warning", "where": robots[0]["url"],
                "message": f"网站 robots.txt 禁止抓取（{len(robots)} 个网址，例如 {robots[0]['url']}），"
                           "本次无法检查这些页面，相关机构的状态记为“无法判断”",
            })
        challenge = self.site_failures.get("challenge")
        if challenge:
            status = challenge[0].get("status")
            out.append({
                "rule": "site.challenge", "severity": "warning", "where": challenge[0]["url"],
                "message": f"网站返回反爬虫验证页面{f'（HTTP {status}）' if status else ''}，"
                           "本次无法检查，相关机构的状态记为“无法判断”",
            })
        portal = self.portal_failure
        if portal is not None and portal["failure"] not in SITE_BLOCK_CLASSES:
            out.append({
                "rule": "site.unreachable", "severity": "warning", "where": portal["url"],
                "message": f"网站首页无法访问（{portal['failure']}: {portal['detail']}），"
                           "本次无法检查，相关机构的状态记为“无法判断”",
            })
        return out

    def _run_stats(self, reason: str) -> dict[str, Any]:
        stats = self.crawler.stats.get_stats()
        pages = int(stats.get("downloader/response_count", 0))
        rendered = int(stats.get("nianbao/rendered_pages", 0))
        reports = int(stats.get("nianbao/reports", 0))
        dated = int(stats.get("nianbao/reports_with_date", 0))
        out: dict[str, Any] = {
            "close_reason": reason,
            "pages": pages,
            "rendered_pages": rendered,
            "bytes": int(stats.get("downloader/response_bytes", 0)),
            "retries": int(stats.get("retry/count", 0)),
            "report_items": reports,
            "agencies_seen": len(self.agencies_seen),
            "warc": self.warc_ref(self.warc.path) if self.warc else None,
            "elapsed_s": round(time.monotonic() - self._started, 1),
            "years": self.years,
            "mode": getattr(self.crawler.spider, "mode", "full"),
            "place": getattr(self.crawler.spider, "place", None),
        }
        frontier_stats = getattr(self.crawler.spider, "frontier_stats", None)
        if frontier_stats is not None:  # how the walk was bounded: budget, depth limits, what was dropped
            out["frontier"] = frontier_stats()
        if out["mode"] == "listing":  # what the listing pages read showed, against what they showed before
            out["rows_expected"] = int(stats.get("nianbao/recheck/rows_expected", 0))
            out["rows_seen"] = int(stats.get("nianbao/recheck/rows_seen", 0))
        checks = {}
        if reports:
            checks["published_on_coverage"] = round(dated / reports, 3)
        if pages:
            checks["rendered_share"] = round(rendered / pages, 3)
        out["checks"] = checks
        warnings = []
        if reports and dated / reports < 0.9:
            warnings.append(f"only {dated} of {reports} reports carry a publication date (expected ≥ 90%)")
        if self.portal_failure is not None:
            warnings.append(f"portal unreadable: {self.portal_failure['failure']}")
        out["warnings"] = warnings
        return out

    def _log_run(self, run: dict[str, Any]) -> None:
        flags = ", ".join(run["flags"]) or "none"
        log.info("run %s %s: %s reports found, flags: %s", run["id"], run["state"],
                 run["stats"].get("reports_found"), flags)
        for warning in run["stats"].get("warnings", []):
            log.warning("run %s: %s", run["id"], warning)


def worst_class(failures: Counter[str]) -> str:
    return min(failures, key=lambda c: _SEVERITY_ORDER.index(c) if c in _SEVERITY_ORDER else len(_SEVERITY_ORDER))

def _failures_text(failures: Counter[str]) -> str:
    return "fetch failures on this agency's pages: " + ", ".join(f"{k} ×{v}" for k, v in failures.most_common())
