"""The store's closed vocabularies (enforced by CHECK constraints in the schema).

Kept apart from the schema so callers (crawler, judge, dashboard) can import the names without importing
SQL, and so a new value is added in one place (plus a migration that rebuilds the CHECK).
"""

from __future__ import annotations

OUTCOMES: tuple[str, ...] = ("found", "not_found", "could_not_look")
"""What one look for an agency × year's report gave."""

FAILURE_CLASSES: tuple[str, ...] = (
    "timeout",
    "4xx",
    "5xx",
    "dns",
    "redirect_loop",
    "challenge",
    "robots",
    "too_large",
    "offsite",
    "network",
    "crawler",
    "other",
)
"""Why a fetch (or a whole look) failed.  `network` and `crawler` are OUR side (our connectivity, a bug or
crash in our crawl); the rest are what the target did or how it answered.  pulse's lesson: keep the two
apart, or a blip on our side reads as "the county's site is down"."""

OUR_FAILURES: frozenset[str] = frozenset({"network", "crawler"})

DOC_TYPES: tuple[str, ...] = ("html", "pdf", "docx", "doc", "wps")

DATE_SOURCES: tuple[str, ...] = ("meta", "header", "list", "url", "body")
"""Where a report's shown date came from, most trusted first: the CMS `<meta name="PubDate">`, the
发布日期 line of the article header, the date beside the link in a list page, a date in the URL path
(t20240123), the report's own body (落款/成文 date — when it was written, not published)."""

PUBLICATION_DATE_SOURCES: frozenset[str] = frozenset({"meta", "header", "list", "url"})
"""Sources that state when the report was put online.  A `body` date is a signing date, so the judge does
not take it as the publication date (report-format.md §6: PubDate / 发布日期 is the timeliness source)."""

FORMATS: tuple[str, ...] = ("2019", "2021", "pre2019", "unknown")

SEVERITIES: tuple[str, ...] = ("error", "warning", "info")

SCOPES: tuple[str, ...] = ("document", "report", "agency", "region")
"""What a stored finding is about: one version of one document, a report as a whole (e.g. cross-year),
an agency × year (no report at all), or the region's site (e.g. its 年报 column is unreachable)."""

RUN_STATES: tuple[str, ...] = ("running", "finished", "failed")
