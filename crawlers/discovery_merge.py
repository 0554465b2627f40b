"""The end of a crawl: report pages merged into one ReportItem per (agency, year), and the looks.

One report is often served at several URLs (site-archetypes.md §4 "Duplicates"): the article and a
module view (xxgkAnnualReport.jsp), a _wap / mpost_ mobile twin, its copy in the central 年报 column,
a JPaaS column-prefixed URL.  They are merged only when the crawl is over, because attribution needs
the whole unit directory (a copy in the central column may be fetched before the directory names the
unit) and because the checker should read each report once.  The canonical URL is the article: not a
twin shape, listed in a unit's own column, carrying the page's metadata.

Looks: the store must tell "not published" from "we could not read the listing"; an agency counts as
fully looked at when its own 年报 column was read without a permanent failure — or, when it has no
column of its own, when the central columns were.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from crawlers.items import DocumentRef, LookedItem, ReportItem
from monitor.attribution import Directory, PageFacts, Verdict, agency_kind, attribute, is_foreign, shown_date

DATE_SOURCE_RANK = {"header": 0, "meta": 1, "list": 2, "url": 3, "body": 4}
# URL shapes of twins that are never the canonical page of a report (weight: how surely).
TWIN_PATTERNS = (
    (re.compile(r"xxgkAnnualReport\.jsp", re.I), 3),
    (re.compile(r"_wap\.s?html?$", re.I), 3),
    (re.compile(r"/mpost_\d+"), 3),
    (re.compile(r"^https?://m\.", re.I), 3),
    (re.compile(r"\.jsp\?", re.I), 2),
    # A query view of one unit's year (xxgkAnnualReport.jsp?…&fbtime=2023, year_details.aspx?dept=50&year=2022):
    # a year as a query value selects a view, an article is addressed by its own id.
    (re.compile(r"[?&][^=&]+=(?:19|20)\d{2}(?:&|$)"), 2),
    (re.compile(r"/col/col\d+/art/"), 1),
)
CENTRAL = ""  # owner key of the central columns in Looks


@dataclass(frozen=True)
class Listed:
    """One list row pointing at a URL: the unit whose column listed it (None: a central column)."""

    unit: str | None
    title: str
    date: date | None
    publisher: str | None


@dataclass
class Seen:
    """A fetched page (or a file a row points at) judged to be a report; attributed at the end."""

    url: str
    facts: PageFacts
    verdict: Verdict
    doc: DocumentRef
    unit: str | None  # the unit whose pages led to it
    attachments: list[str] = field(default_factory=list)  # attachment URLs as linked on the page


@dataclass
class Merged:
    reports: list[ReportItem]
    unattributed: list[str]  # report pages no agency could be named for
    foreign: list[str]  # report pages that turned out to be another government's
    renamed: dict[str, str] = field(default_factory=dict)  # directory unit → the full name its reports state


def rank(seen: Seen, listed: list[Listed]) -> tuple:
    """Sort key, canonical first: not a twin shape, listed in a unit's column, with metadata, short URL."""
    twin = max((weight for rx, weight in TWIN_PATTERNS if rx.search(seen.url)), default=0)
    in_unit = any(x.unit for x in listed) or seen.unit is not None
    return (twin, not in_unit, not seen.facts.fields, len(seen.url), seen.url)


def merge(pages: Iterable[Seen], listed: dict[str, list[Listed]], documents: dict[str, DocumentRef],
          directory: Directory, region: str) -> Merged:
    """Attribute every report page and merge twins into one ReportItem per (agency, year).

    A unit the directory knew only by a short link text takes the full name its own reports state (their
    发布机构, title or heading), so every report of it, and the unit itself, carry the full name."""
    place = directory.region
    attributed: list[tuple[Seen, Any]] = []
    out = Merged([], [], [])
    for seen in pages:
        rows = listed.get(seen.url, [])
        units = {x.unit for x in rows if x.unit} | ({seen.unit} if seen.unit else set())
        publisher = next((x.publisher for x in rows if x.publisher), None)
        att = attribute(seen.facts, directory, column_unit=next(iter(units)) if len(units) == 1 else None,
                        listed_publisher=publisher)
        if att.agency is None or seen.verdict.year is None:
            out.unattributed.append(seen.url)
        elif is_foreign(att.agency, place) and directory.resolve(att.agency) is None:
            out.foreign.append(seen.url)
        else:
            attributed.append((seen, att))
            if att.agency in directory.units and att.agency not in out.renamed:
                stated = [name for source, name in att.said.items() if source in ("fields", "title", "heading")]
                fuller = directory.fuller_name(att.agency, stated)
                if fuller is not None:
                    out.renamed[att.agency] = fuller
    for old, new in out.renamed.items():
        directory.rename(old, new)
    groups: dict[tuple[str, int], list[tuple[Seen, Any]]] = defaultdict(list)
    for seen, att in attributed:
        if att.agency in out.renamed:
            att = replace(att, agency=out.renamed[att.agency])
        groups[(att.agency, seen.verdict.year)].append((seen, att))
    for (agency, year), members in sorted(groups.items()):
        out.reports.append(_report(region, agency, year, members, listed, documents, place))
    return out


def _report(region: str, agency: str, year: int, members: list[tuple[Seen, Any]],
            listed: dict[str, list[Listed]], documents: dict[str, DocumentRef], place: str | None) -> ReportItem:
    members = sorted(members, key=lambda m: rank(m[0], listed.get(m[0].url, [])))
    canonical, att = members[0]
    dates = []
    for order, (seen, _) in enumerate(members):
        rows = sorted(listed.get(seen.url, []), key=lambda x: x.unit is None)  # a unit column's date first
        list_date = next((x.date for x in rows if x.date), None)
        when, source = shown_date(seen.facts, list_date, seen.url)
        if when is not None:
            dates.append((DATE_SOURCE_RANK[source], order, when, source))
    best = min(dates) if dates else None
    files: list[DocumentRef] = []
    for seen, _ in members:
        for url in seen.attachments:
            doc = documents.get(url)
            if doc is not None and all(doc.body != f.body for f in files):
                files.append(doc)
    listed_title = next((x.title for x in listed.get(canonical.url, [])), "")
    return ReportItem(
        region=region,
        agency=agency,
        agency_kind=att.kind or agency_kind(agency, place),
        year=year,
        title=canonical.facts.title or listed_title,
        url=canonical.url,
        urls=[seen.url for seen, _ in members],
        published_on=best[2].isoformat() if best else None,
        published_on_source=best[3] if best else None,
        documents=[*files, canonical.doc],
        attribution={
            **att.to_dict(),
            "verdict": canonical.verdict.reason,
            "pages": {seen.url: {"source": a.source, "said": a.said} for seen, a in members},
        },
    )


class Looks:
    """Per owner — a unit's name, or CENTRAL — the listing pages read and the ones that failed for good."""

    def __init__(self) -> None:
        self.lists: dict[str, int] = defaultdict(int)
        self.units: dict[str, int] = defaultdict(int)
        self.failed: dict[str, list[str]] = defaultdict(list)

    def read(self, owner: str, role: str) -> None:
        if role in ("list", "payload"):
            self.lists[owner] += 1
        elif role == "unit":
            self.units[owner] += 1

    def fail(self, owner: str, url: str) -> None:
        self.failed[owner].append(url)

    def rename(self, old: str, new: str) -> None:
        """A unit's looks under the full name its reports state (Merged.renamed)."""
        for counts in (self.lists, self.units, self.failed):
            if old in counts:
                counts[new] += counts.pop(old)

    def items(self, region: str, agencies: Iterable[str]) -> list[LookedItem]:
        central_ok = self.lists.get(CENTRAL, 0) > 0 and not self.failed.get(CENTRAL)
        out = []
        for name in sorted(agencies):
            failed = self.failed.get(name, [])
            if self.lists.get(name, 0) > 0:
                complete = not failed
                detail = f"own 年报 column: {self.lists[name]} list pages read"
            elif failed:
                complete = False
                detail = "the unit's pages could not be read"
            elif self.lists.get(CENTRAL, 0) > 0 or self.failed.get(CENTRAL):
                complete = central_ok
                detail = f"central 年报 columns: {self.lists.get(CENTRAL, 0)} list pages read"
                failed = self.failed.get(CENTRAL, [])
            else:
                complete = self.units.get(name, 0) > 0
                detail = "its disclosure page has no 年报 column"
            if failed:
                detail += f"; failed: {', '.join(failed[:3])}"
            out.append(LookedItem(region, name, complete, detail))
        return out
