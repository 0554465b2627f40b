"""What the crawl writes: reports, documents (their versions and tables) and findings; and `CrawlWrites`,
every write method of `Store`, composed with agency_writes.py (regions, agencies), run_writes.py (runs)
and look_writes.py (observations, failures, listings).

Each call is one transaction and is idempotent for the same run; rows are only ever added or widened
(monitor.store.store says why).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any, NamedTuple

from monitor.store.doc_tables import checked_tables
from monitor.store.errors import StoreError
from monitor.store.look_writes import LookWrites
from monitor.store.run_writes import RunWrites
from monitor.store.values import (
    _best_date,
    _check_year,
    _choice,
    _day_or_none,
    _finding_fields,
    _fingerprint,
    _instant,
    _json,
    _text,
)
from monitor.store.vocab import DATE_SOURCES, DOC_TYPES, FORMATS


class DocumentVersion(NamedTuple):
    """What `record_document` returns: the row id and whether this call created it (new bytes)."""

    document_id: int
    is_new_version: bool


class CrawlWrites(LookWrites, RunWrites):
    """Write methods of `Store`: the crawl's API (callers never write SQL)."""

    # ------------------------------------------------------------------ sightings

    def record_report(
        self,
        run_id: int,
        agency: str | int,
        year: int,
        url: str,
        *,
        title: str | None = None,
        published_on: date | str | None = None,
        published_on_source: str | None = None,
        format: str | None = None,
        kind: str | None = None,
    ) -> int:
        """Record that `agency`'s report for `year` was seen at `url` in this run; returns the report id.

        Reports are merged by (region, agency, year): the first URL stays canonical and every URL is kept
        in report_urls.  The shown date (`published_on`, with where it came from) is kept per source; the
        report's date is the one from the most trusted source, first seen first.  Seeing a report also
        records a `found` observation for this run.  An agency not known yet is created when `kind` is
        given, otherwise UnknownAgency is raised.
        """
        day, region = self._run_dates_of(run_id)
        url = _text(url, "report url")
        _check_year(year, day)
        if format is not None:
            _choice(format, FORMATS, "report format")
        shown = _day_or_none(published_on)
        if (shown is None) != (published_on_source is None):
            raise StoreError("published_on and published_on_source go together (a date needs its source)")
        if published_on_source is not None:
            _choice(published_on_source, DATE_SOURCES, "published_on_source")
        with self.db.atomic():
            agency_id = self._agency_id(region, agency, kind, run_id)
            existing = self._rows("SELECT * FROM reports WHERE agency_id = ? AND year = ?", [agency_id, year])
            if existing:
                report_id = int(existing[0]["id"])
                self.db.execute(
                    "UPDATE reports SET title = COALESCE(title, ?), format = COALESCE(?, format), "
                    "first_seen = MIN(first_seen, ?), last_seen = MAX(last_seen, ?), "
                    "first_run_id = CASE WHEN ? < first_seen THEN ? ELSE first_run_id END, "
                    "last_run_id = CASE WHEN ? >= last_seen THEN ? ELSE last_run_id END WHERE id = ?",
                    [title, format, day, day, day, run_id, day, run_id, report_id],
                )
            else:
                cursor = self.db.execute(
                    "INSERT INTO reports (region, agency_id, year, title, url, format, first_seen, last_seen, "
                    "first_run_id, last_run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [region, agency_id, year, title, url, format, day, day, run_id, run_id],
                )
                report_id = int(cursor.lastrowid)
            self._add_url(report_id, url, day)
            if shown is not None:
                self.db.execute(
                    "INSERT INTO report_dates (report_id, published_on, source, first_seen, last_seen) "
                    "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET "
                    "first_seen = MIN(first_seen, excluded.first_seen), last_seen = MAX(last_seen, excluded.last_seen)",
                    [report_id, shown, published_on_source, day, day],
                )
                best = _best_date(self._rows("SELECT * FROM report_dates WHERE report_id = ?", [report_id]))
                self.db.execute(
                    "UPDATE reports SET published_on = ?, published_on_source = ? WHERE id = ?",
                    [best["published_on"], best["source"], report_id],
                )
            self._observe(run_id, agency_id, year, day, "found", report_id=report_id)
        return report_id

    def add_url(self, run_id: int, report_id: int, url: str) -> None:
        """Record another URL the report was seen at (a mirror, a list link, a re-post)."""
        day, _ = self._run_dates_of(run_id)
        with self.db.atomic():
            self._require_report(report_id)
            self._add_url(report_id, _text(url, "url"), day)

    def record_document(
        self,
        run_id: int,
        report_id: int,
        url: str,
        type: str,
        sha256: str,
        *,
        size: int | None = None,
        warc_path: str | None = None,
        warc_offset: int | None = None,
        fetched_at: datetime | str | None = None,
    ) -> DocumentVersion:
        """Record the bytes of one document of a report as fetched in this run.

        A (report, url, sha256) seen before only widens its last_seen; different bytes at the same URL are
        a new row (a new version) and the old one stays.  The WARC reference of a version is the first one
        recorded (the evidence of first sight).  For HTML, hash what the report says (the article), not the
        whole page with its counters and sidebars, or every visit is a "change".
        """
        day, _ = self._run_dates_of(run_id)
        url = _text(url, "document url")
        _choice(type, DOC_TYPES, "document type")
        if not isinstance(sha256, str) or not re.fullmatch(r"[0-9a-f]{64}", sha256.lower()):
            raise StoreError(f"sha256 must be 64 hex digits (got {sha256!r})")
        sha256 = sha256.lower()
        with self.db.atomic():
            self._require_report(report_id)
            existing = self._rows(
                "SELECT id FROM documents WHERE report_id = ? AND url = ? AND sha256 = ?", [report_id, url, sha256]
            )
            if existing:
                document_id, is_new = int(existing[0]["id"]), False
                self.db.execute(
                    "UPDATE documents SET first_seen = MIN(first_seen, ?), last_seen = MAX(last_seen, ?), "
                    "last_run_id = CASE WHEN ? >= last_seen THEN ? ELSE last_run_id END, "
                    "size = COALESCE(size, ?), warc_path = COALESCE(warc_path, ?), "
                    "warc_offset = COALESCE(warc_offset, ?), fetched_at = COALESCE(fetched_at, ?) WHERE id = ?",
                    [day, day, day, run_id, size, warc_path, warc_offset, _instant(fetched_at), document_id],
                )
            else:
                cursor = self.db.execute(
                    "INSERT INTO documents (report_id, url, type, sha256, size, warc_path, warc_offset, fetched_at, "
                    "first_seen, last_seen, first_run_id, last_run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [report_id, url, type, sha256, size, warc_path, warc_offset, _instant(fetched_at), day, day,
                     run_id, run_id],
                )
                document_id, is_new = int(cursor.lastrowid), True
            self.db.execute(
                "INSERT OR IGNORE INTO document_sightings (document_id, run_id, seen_on) VALUES (?, ?, ?)",
                [document_id, run_id, day],
            )
            self._add_url(report_id, url, day)
        return DocumentVersion(document_id, is_new)

    def record_document_tables(self, run_id: int, document_id: int, tables: Mapping[str, Any] | None) -> None:
        """Keep the statistics tables the checker read from a document version (`report_tables` makes them
        from the parsed report), or None when it read none, so readers never parse the archived copy again.

        Recorded where the version is recorded, after each check: a later check of the same bytes (a newer
        parser) replaces the earlier reading, as its findings replace the earlier ones.
        """
        self._run_day(run_id)
        text = None if tables is None else _json(checked_tables(tables))
        with self.db.atomic():
            if not self._rows("SELECT id FROM documents WHERE id = ?", [document_id]):
                raise StoreError(f"no document {document_id}")
            self.db.execute(
                "INSERT INTO document_tables (document_id, run_id, tables) VALUES (?, ?, ?) "
                "ON CONFLICT(document_id) DO UPDATE SET run_id = excluded.run_id, tables = excluded.tables",
                [document_id, run_id, text],
            )

    def record_findings(
        self,
        run_id: int,
        findings: Iterable[Any],
        *,
        document_id: int | None = None,
        report_id: int | None = None,
        agency: str | int | None = None,
        year: int | None = None,
        replace: bool = True,
    ) -> list[int]:
        """Record findings about one target, as found in this run; returns their ids.

        The target is a document version (`document_id`), a report (`report_id`), an agency × year
        (`agency` and `year`), or, with none of these, the run's region (its site).  A finding is any
        object or mapping with rule, severity, message, where (or location) and optionally cells — e.g.
        monitor.model.Finding.  With `replace` (the default) the call states the target's complete set:
        earlier findings of the target that are absent now are marked resolved on this run's date (and
        kept).  The same finding recorded again only widens its last_seen.
        """
        day, region = self._run_dates_of(run_id)
        rows = [_finding_fields(f) for f in findings]
        with self.db.atomic():
            target = self._finding_target(region, document_id, report_id, agency, year, run_id)
            ids: list[int] = []
            for fields in rows:
                fingerprint = _fingerprint(target, fields)
                self.db.execute(
                    "INSERT INTO findings (fingerprint, scope, region, agency_id, year, report_id, document_id, rule, "
                    "severity, message, location, cells, first_seen, last_seen, first_run_id, last_run_id) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(fingerprint) DO UPDATE SET "
                    "first_seen = MIN(first_seen, excluded.first_seen), last_seen = MAX(last_seen, excluded.last_seen), "
                    "last_run_id = excluded.last_run_id, severity = excluded.severity, cells = excluded.cells, "
                    "resolved_on = NULL",
                    [fingerprint, target["scope"], region, target["agency_id"], target["year"], target["report_id"],
                     target["document_id"], fields["rule"], fields["severity"], fields["message"],
                     fields["location"], _json(fields["cells"]), day, day, run_id, run_id],
                )
                ids.append(int(self._rows("SELECT id FROM findings WHERE fingerprint = ?", [fingerprint])[0]["id"]))
            if replace:
                keep = f"AND id NOT IN ({','.join('?' * len(ids))})" if ids else ""
                self.db.execute(
                    "UPDATE findings SET resolved_on = ? WHERE scope = ? AND region = ? "
                    "AND agency_id IS ? AND year IS ? AND report_id IS ? AND document_id IS ? "
                    f"AND resolved_on IS NULL AND first_seen <= ? {keep}",
                    [day, target["scope"], region, target["agency_id"], target["year"], target["report_id"],
                     target["document_id"], day, *ids],
                )
        return ids

    # ------------------------------------------------------------------ internals

    def _add_url(self, report_id: int, url: str, day: str) -> None:
        self.db.execute(
            "INSERT INTO report_urls (report_id, url, first_seen, last_seen) VALUES (?, ?, ?, ?) "
            "ON CONFLICT DO UPDATE SET first_seen = MIN(first_seen, excluded.first_seen), "
            "last_seen = MAX(last_seen, excluded.last_seen)",
            [report_id, url, day, day],
        )

    def _finding_target(
        self,
        region: str,
        document_id: int | None,
        report_id: int | None,
        agency: str | int | None,
        year: int | None,
        run_id: int,
    ) -> dict[str, Any]:
        if document_id is not None:
            rows = self._rows(
                "SELECT d.report_id, r.agency_id, r.year FROM documents d JOIN reports r ON r.id = d.report_id "
                "WHERE d.id = ? AND r.region = ?",
                [document_id, region],
            )
            if not rows:
                raise StoreError(f"no document {document_id} in region {region!r}")
            return {"scope": "document", "document_id": document_id, **rows[0]}
        if report_id is not None:
            rows = self._rows("SELECT agency_id, year FROM reports WHERE id = ? AND region = ?", [report_id, region])
            if not rows:
                raise StoreError(f"no report {report_id} in region {region!r}")
            return {"scope": "report", "document_id": None, "report_id": report_id, **rows[0]}
        if agency is not None:
            if year is None:
                raise StoreError("a finding about an agency needs the report year")
            return {
                "scope": "agency",
                "document_id": None,
                "report_id": None,
                "agency_id": self._agency_id(region, agency, None, run_id),
                "year": year,
            }
        if year is not None:
            raise StoreError("a year without an agency is not a finding target")
        return {"scope": "region", "document_id": None, "report_id": None, "agency_id": None, "year": None}
