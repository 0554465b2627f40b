"""What the spider yields: the seam between discovery (spiders, adapters) and evidence (pipelines).

The spider only *finds and describes*; pipelines check documents, archive and store.  Fields are plain
data so items are easy to assert on in tests and to serialise into JOBDIR.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class AgencyItem:
    """An agency found in a unit directory, portal menu, or attributed from a report."""

    region: str
    name: str  # full name as the site states it, e.g. 青川县商务局 (never 县商务局 or 商务局)
    kind: str  # government | department | township
    url: str | None = None  # its disclosure page, when it has one
    aliases: list[str] = field(default_factory=list)  # short names seen (县商务局, 商务局)


@dataclass
class DocumentRef:
    """One document of a report: the HTML page itself or an attachment, with the bytes we received."""

    url: str
    type: str  # html | pdf | docx | doc | wps
    body: bytes  # the decoded-transfer body as received (for HTML: the page bytes)
    content_type: str | None = None
    encoding: str | None = None  # for HTML: the charset we decoded it with
    rendered: bool = False  # True when the body is a browser-rendered DOM, not wire bytes


@dataclass
class ReportItem:
    """One annual report of one agency and year, as found at one or more URLs."""

    region: str
    agency: str  # full name (attribution reconciled from 发布机构, breadcrumbs, directory, title, body)
    agency_kind: str
    year: int  # report year, from title and body, never from the folder
    title: str
    url: str  # the canonical URL (the article page)
    urls: list[str] = field(default_factory=list)  # every URL it was seen at, canonical included
    published_on: str | None = None  # shown publication date, YYYY-MM-DD
    published_on_source: str | None = None  # meta | header | list | url | body
    documents: list[DocumentRef] = field(default_factory=list)
    attribution: dict = field(default_factory=dict)  # which sources said what (for the evidence page)


@dataclass
class FailureItem:
    """A URL we could not fetch, classified; `agency` when the URL belonged to one agency's pages."""

    region: str
    url: str
    failure: str  # timeout | 4xx | 5xx | dns | redirect_loop | challenge | robots | too_large | offsite | other
    detail: str = ""
    agency: str | None = None
    permanent: bool = False  # robots/challenge/dead host: the site blocks us; never retried within a run


@dataclass
class LookedItem:
    """We looked for `agency`'s reports (its 年报 column or the central columns covering it)."""

    region: str
    agency: str
    complete: bool  # False when part of the listing could not be read (then not-found is not 'missing')
    detail: str = ""
    years: list[int] | None = None  # the years looked for (None: every year the run asked for)


@dataclass
class ListingItem:
    """A listing page the crawl read (a list, an API payload, a unit's page): the request that fetched it,
    enough to send it again, and the report rows it showed.  The listing-first re-check plans from these."""

    region: str
    key: str  # method, URL and body: one request
    request: dict  # url, method, body, headers, callback, adapter, data, render
    owner: str | None  # the unit whose pages these are; None for a central column
    context: dict  # the spider's Ctx of the request
    rows: list[dict] = field(default_factory=list)  # url, title, date (YYYY-MM-DD or None)


@dataclass
class RelistedItem:
    """A known report still listed, with the same title and date, on a listing read in a listing-first
    re-check: it is online today; its document was not fetched again (the weekly full check does that)."""

    region: str
    agency: str
    agency_kind: str
    year: int
    url: str  # the URL the listing links to
