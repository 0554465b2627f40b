"""The publication date a page shows, and where it came from (header, meta, list, url)."""

from __future__ import annotations

import re
from datetime import date

from .facts import LATE_DATE_FIELDS, PUB_DATE_FIELDS, PageFacts

DATE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
URL_DATES = (
    re.compile(r"/art/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})/"),  # Hanweb /art/2024/1/16/
    re.compile(r"/t((?:19|20)\d{2})(\d{2})(\d{2})_"),  # TRS t20240116_
    re.compile(r"/((?:19|20)\d{2})-(\d{2})/(\d{2})/"),  # /2021-11/16/
    re.compile(r"/((?:19|20)\d{2})(\d{2})(\d{2})/"),  # /20240116/
)


def parse_date(text: str | None) -> date | None:
    """The first date in `text` (2024-01-16, 2024/01/16, 2024年1月16日, with or without a time)."""
    m = DATE.search(text or "")
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def url_date(url: str) -> date | None:
    """The CMS date a URL carries (/art/2024/1/16/, t20240116_, …)."""
    for rx in URL_DATES:
        m = rx.search(url or "")
        if m:
            try:
                return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                continue
    return None


def shown_date(facts: PageFacts, list_date: date | None = None, url: str | None = None) -> tuple[date | None, str | None]:
    """(date, source): the publication date the page shows (header), else <meta PubDate> (meta), the
    date beside the list link (list), the date in the URL (url), else 更新时间 (header)."""
    for label in PUB_DATE_FIELDS:
        d = parse_date(facts.fields.get(label))
        if d:
            return d, "header"
    for key in ("pubdate", "publishdate", "firstpublishedtime", "publishtime"):
        d = parse_date(facts.meta.get(key))
        if d:
            return d, "meta"
    if list_date:
        return list_date, "list"
    d = url_date(url or "")
    if d:
        return d, "url"
    for label in LATE_DATE_FIELDS:
        d = parse_date(facts.fields.get(label))
        if d:
            return d, "header"
    return None, None
