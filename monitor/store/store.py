"""The evidence store: everything we ever saw or failed to see, with when and where.

Why this shape: the product's claims ("商务局 published late", "this report was changed after
publication", "we could not look because the site blocked us") must be backed by evidence that survives
later crawls.  So rows are only ever added or widened (first_seen / last_seen), never overwritten: a
document whose hash changed is a new row beside the old one; a report that disappeared keeps its row and
its observations.  Everything is recorded within a crawl run, and the run's as-of date is the date of
every sighting in it, so "today" is always a parameter and history can be replayed for any as-of date.

Writers (the crawl) go through this API only and never write SQL; each call is one transaction and is
idempotent for the same run (recording the same thing twice changes nothing).  Readers (judge, export,
dashboard, Datasette) can read while a crawl writes: the database is in WAL mode.
"""

from __future__ import annotations

from monitor.store.writes import CrawlWrites


class Store(CrawlWrites):
    """One SQLite evidence database.  Open with `Store.open(path)`; use as a context manager to close."""
