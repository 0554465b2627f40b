"""What the crawl writes: regions, agencies, runs, reports, documents, observations, findings, failures.

Each call is one transaction and is idempotent for the same run; rows are only ever added or widened
(monitor.store.store says why).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any, NamedTuple

from monitor.deadlines import KINDS
from monitor.store.errors import StoreError, UnknownAgency
from monitor.store.reads import StoreReads
from monitor.store.values import (
    _best_date,
    _check_year,
    _choice,
    _day,
    _day_or_none,
    _finding_fields,
    _fingerprint,
    _instant,
    _json,
    _sql_in,
    _text,
    normalize_name,
)
from monitor.store.vocab import (
    DATE_SOURCES,
    DOC_TYPES,
    FAILURE_CLASSES,
    FORMATS,
    OUR_FAILURES,
    OUTCOMES,
)

FAR_FEWER_RATIO = 0.5
"""A run that finds fewer than half the reports of the region's previous finished run is flagged
`far_fewer_than_last`: far more often our crawler broke (a redesign, a changed pager) than half a county's
reports vanished, so its "not found" looks are not trusted (see `trusted_look`)."""

_OUTCOME_PRECEDENCE = {"not_found": 0, "could_not_look": 1, "found": 2}
"""Several looks at one agency × year in one run merge to the strongest: having seen the report beats
everything; a partial failure beats "not found", because a look that failed somewhere is incomplete."""


TABLE_NAMES = ("二", "三", "四")


def report_tables(report: Any) -> dict[str, Any] | None:
    """The statistics tables of a parsed report (monitor.model.Report) as `record_document_tables` keeps
    them: {"format", "year", "tables": {name: {"present", "rows": {row key: [cell text as printed]}}}}, or
    None when it has none of tables 二, 三, 四."""
    tables = {t.name: {"present": t.present, "rows": {k: [c.raw for c in r.cells] for k, r in t.rows.items()}}
              for t in (report.t2, report.t3, report.t4)}
    if not any(t["present"] for t in tables.values()):
        return None
    return {"format": report.format, "year": report.year, "tables": tables}


def _checked_tables(value: Any) -> Mapping[str, Any]:
    """`value` if it has the shape `report_tables` returns, else a StoreError saying what is wrong."""
    def bad(why: str) -> StoreError:
        return StoreError(f"document tables: {why}")

    if not isinstance(value, Mapping) or set(value) != {"format", "year", "tables"}:
        raise bad("expected a mapping with format, year and tables")
    if not isinstance(value["format"], str) or not (value["year"] is None or type(value["year"]) is int):
        raise bad(f"format must be text and year an integer or None (got {value['format']!r}, {value['year']!r})")
    tables = value["tables"]
    if not isinstance(tables, Mapping) or not set(tables) <= set(TABLE_NAMES):
        raise bad(f"tables are named {', '.join(TABLE_NAMES)}")
    for name, table in tables.items():
        if not isinstance(table, Mapping) or not isinstance(table.get("present"), bool) or not isinstance(
            table.get("rows"), Mapping
        ):
            raise bad(f"table {name} needs present (true/false) and rows")
        for key, cells in table["rows"].items():
            if not isinstance(key, str) or not isinstance(cells, list) or not all(isinstance(c, str) for c in cells):
                raise bad(f"table {name} row {key!r}: cells must be a list of text")
    return value


class DocumentVersion(NamedTuple):
    """What `record_document` returns: the row id and whether this call created it (new bytes)."""

    document_id: int
    is_new_version: bool


class CrawlWrites(StoreReads):
    """Write methods of `Store`: the crawl's API (callers never write SQL)."""

    # ------------------------------------------------------------------ regions and agencies

    def upsert_region(self, name: str, portal_url: str | None = None, config: Mapping[str, Any] | None = None) -> None:
        """Create or update a region; `config` is the region's mapping (see monitor.regions)."""
        name = _text(name, "region name")
        now = _instant(None)
        with self.db.atomic():
            self.db.execute(
                "INSERT INTO regions (name, portal_url, config, updated_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(name) DO UPDATE SET portal_url = COALESCE(excluded.portal_url, portal_url), "
                "config = CASE WHEN ? THEN excluded.config ELSE config END, updated_at = excluded.updated_at",
                [name, portal_url, _json(config or {}), now, config is not None],
            )

    def upsert_agency(
        self,
        region: str,
        name: str,
        kind: str,
        *,
        url: str | None = None,
        aliases: Iterable[str] = (),
        run_id: int | None = None,
    ) -> int:
        """Create or update an agency (full name as the site states it); returns its id.

        A later call may correct the kind or URL; aliases accumulate.  With `run_id`, the agency's
        first_seen / last_seen widen to that run's date (agencies from a config file have none).
        """
        name = normalize_name(_text(name, "agency name"))
        _choice(kind, KINDS, "agency kind")
        seen = self._run_day(run_id) if run_id is not None else None
        with self.db.atomic():
            self._require_region(region)
            existing = self._rows("SELECT * FROM agencies WHERE region = ? AND name = ?", [region, name])
            new_aliases = [normalize_name(a) for a in aliases if normalize_name(a) and normalize_name(a) != name]
            if not existing:
                cursor = self.db.execute(
                    "INSERT INTO agencies (region, name, kind, url, aliases, first_seen, last_seen) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [region, name, kind, url, _json(sorted(set(new_aliases))), seen, seen],
                )
                return int(cursor.lastrowid)
            row = existing[0]
            merged = sorted(set(row["aliases"]) | set(new_aliases))
            self.db.execute(
                "UPDATE agencies SET kind = ?, url = COALESCE(?, url), aliases = ? WHERE id = ?",
                [kind, url, _json(merged), row["id"]],
            )
            if seen is not None:
                self._touch_agency(int(row["id"]), seen)
            return int(row["id"])

    # ------------------------------------------------------------------ runs

    def start_run(self, region: str, as_of: date | str, *, started_at: datetime | str | None = None) -> int:
        """Begin a crawl of `region` that observes the world as of `as_of`; returns the run id."""
        day = _day(as_of)
        with self.db.atomic():
            self._require_region(region)
            cursor = self.db.execute(
                "INSERT INTO crawl_runs (region, as_of, started_at) VALUES (?, ?, ?)",
                [region, day, _instant(started_at)],
            )
        return int(cursor.lastrowid)

    def finish_run(
        self,
        run_id: int,
        stats: Mapping[str, Any] | None = None,
        *,
        error: str | None = None,
        finished_at: datetime | str | None = None,
    ) -> dict[str, Any]:
        """Close a run: count what it recorded, flag anomalies, and return the run row.

        Counts come from the database (what was really recorded), merged over the caller's `stats`.
        Flags: `zero_reports`, `far_fewer_than_last` (fewer than FAR_FEWER_RATIO of the region's previous
        finished full run), `our_failures` (fetches failed on our side), `failed` (the caller passed `error`).
        A listing-first re-check (stats `mode` "listing") looks for awaited reports only, so finding none is
        its usual answer; it is flagged `far_fewer_than_last` when the listing pages it read showed fewer
        than FAR_FEWER_RATIO of the rows they showed before (stats `rows_seen` against `rows_expected`).
        """
        run = self.run(run_id)
        counts = self._run_counts(run_id)
        merged = {**dict(stats or {}), **counts}
        flags: list[str] = []
        if error is not None:
            flags.append("failed")
        listing = merged.get("mode") == "listing"
        if counts["reports_found"] == 0 and not listing:
            flags.append("zero_reports")
        previous = [] if listing else self._rows(
            "SELECT * FROM crawl_runs WHERE region = ? AND id != ? AND state = 'finished' AND "
            "COALESCE(json_extract(stats, '$.mode'), 'full') = 'full' AND "
            "(as_of < ? OR (as_of = ? AND id < ?)) ORDER BY as_of DESC, id DESC LIMIT 1",
            [run["region"], run_id, run["as_of"], run["as_of"], run_id],
        )
        expected = int(merged.get("rows_expected") or 0)
        if listing and expected and int(merged.get("rows_seen") or 0) < expected * FAR_FEWER_RATIO:
            flags.append("far_fewer_than_last")
        if previous:
            before = int(previous[0]["stats"].get("reports_found", 0))
            if before > 0 and counts["reports_found"] < before * FAR_FEWER_RATIO:
                flags.append("far_fewer_than_last")
                merged["previous_run_id"] = previous[0]["id"]
        if counts["our_failures"]:
            flags.append("our_failures")
        with self.db.atomic():
            self.db.execute(
                "UPDATE crawl_runs SET finished_at = ?, state = ?, error = ?, stats = ?, flags = ? WHERE id = ?",
                [
                    _instant(finished_at),
                    "failed" if error is not None else "finished",
                    error,
                    _json(merged),
                    _json(flags),
                    run_id,
                ],
            )
        return self.run(run_id)

    def _run_counts(self, run_id: int) -> dict[str, int]:
        row = self._rows(
            "SELECT "
            "(SELECT COUNT(*) FROM observations WHERE run_id = :r AND outcome = 'found') AS reports_found, "
            "(SELECT COUNT(*) FROM observations WHERE run_id = :r AND outcome = 'not_found') AS not_found, "
            "(SELECT COUNT(*) FROM observations WHERE run_id = :r AND outcome = 'could_not_look') AS could_not_look, "
            "(SELECT COUNT(*) FROM document_sightings WHERE run_id = :r) AS documents_seen, "
            "(SELECT COUNT(*) FROM documents WHERE first_run_id = :r) AS new_documents, "
            "(SELECT COUNT(*) FROM fetch_failures WHERE run_id = :r) AS fetch_failures, "
            f"(SELECT COUNT(*) FROM fetch_failures WHERE run_id = :r AND failure_class IN {_sql_in(OUR_FAILURES)}) "
            "AS our_failures",
            {"r": run_id},
        )[0]
        return {k: int(v) for k, v in row.items()}

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
        text = None if tables is None else _json(_checked_tables(tables))
        with self.db.atomic():
            if not self._rows("SELECT id FROM documents WHERE id = ?", [document_id]):
                raise StoreError(f"no document {document_id}")
            self.db.execute(
                "INSERT INTO document_tables (document_id, run_id, tables) VALUES (?, ?, ?) "
                "ON CONFLICT(document_id) DO UPDATE SET run_id = excluded.run_id, tables = excluded.tables",
                [document_id, run_id, text],
            )

    def record_observation(
        self,
        run_id: int,
        agency: str | int,
        year: int,
        outcome: str,
        *,
        reason: str | None = None,
        detail: str | None = None,
    ) -> int:
        """Record one look for an agency × year's report: `not_found`, or `could_not_look` with a reason.

        (`found` is recorded by `record_report`.)  Looking several times in one run merges to the
        strongest outcome: found > could_not_look > not_found.  Returns the observation id.
        """
        day, region = self._run_dates_of(run_id)
        _choice(outcome, OUTCOMES, "outcome")
        if outcome == "found":
            raise StoreError("record a found report with record_report(), which also stores the report")
        if (outcome == "could_not_look") != (reason is not None):
            raise StoreError("a reason (failure class) is given exactly when outcome is could_not_look")
        if reason is not None:
            _choice(reason, FAILURE_CLASSES, "reason")
        _check_year(year, day)
        with self.db.atomic():
            agency_id = self._agency_id(region, agency, None, run_id)
            return self._observe(run_id, agency_id, year, day, outcome, reason=reason, detail=detail)

    def record_looked(
        self,
        run_id: int,
        agency: str | int,
        years: Iterable[int],
        *,
        reason: str | None = None,
        detail: str | None = None,
    ) -> list[int]:
        """We looked for `agency`'s reports of `years`: each is `not_found`, or `could_not_look` with
        `reason` when part of the listing could not be read.  Years whose report is recorded in this run,
        before or after this call, stay `found` (see the precedence in `record_observation`)."""
        outcome = "not_found" if reason is None else "could_not_look"
        with self.db.atomic():
            return [
                self.record_observation(run_id, agency, year, outcome, reason=reason, detail=detail) for year in years
            ]

    def record_region_could_not_look(
        self, run_id: int, years: Iterable[int], reason: str, detail: str | None = None
    ) -> int:
        """The whole site could not be looked at: every known agency × year gets `could_not_look`.

        Returns the number of observations recorded.
        """
        day, region = self._run_dates_of(run_id)
        agencies = [a for a in self.agencies(region) if a["first_seen"] is None or a["first_seen"] <= day]
        count = 0
        with self.db.atomic():
            for agency in agencies:
                for year in years:
                    self.record_observation(run_id, agency["id"], year, "could_not_look", reason=reason, detail=detail)
                    count += 1
        return count

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

    def record_fetch_failure(
        self,
        run_id: int,
        url: str,
        failure_class: str,
        *,
        http_status: int | None = None,
        detail: str | None = None,
        at: datetime | str | None = None,
    ) -> int:
        """Record a failed fetch (one row per run × URL × class; repeats count as attempts)."""
        day, region = self._run_dates_of(run_id)
        _choice(failure_class, FAILURE_CLASSES, "failure class")
        instant = _instant(at)
        with self.db.atomic():
            self.db.execute(
                "INSERT INTO fetch_failures (run_id, region, url, failure_class, http_status, detail, observed_on, "
                "first_at, last_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(run_id, url, failure_class) "
                "DO UPDATE SET attempts = attempts + 1, last_at = MAX(last_at, excluded.last_at), "
                "http_status = COALESCE(excluded.http_status, http_status), detail = COALESCE(excluded.detail, detail)",
                [run_id, region, _text(url, "url"), failure_class, http_status, detail, day, instant, instant],
            )
            return int(
                self._rows(
                    "SELECT id FROM fetch_failures WHERE run_id = ? AND url = ? AND failure_class = ?",
                    [run_id, url, failure_class],
                )[0]["id"]
            )

    def record_listing(
        self,
        run_id: int,
        key: str,
        request: Mapping[str, Any],
        *,
        owner: str | None = None,
        context: Mapping[str, Any] | None = None,
        rows: Iterable[Mapping[str, Any]] = (),
    ) -> None:
        """Record a listing page the run read: the request that fetched it (enough to send it again), whose
        pages it belongs to and the report rows it listed.  `key` identifies the request within the run;
        recording it again in the same run replaces it (a resumed run re-reads a page)."""
        _, region = self._run_dates_of(run_id)
        with self.db.atomic():
            self.db.execute(
                "INSERT INTO listings (run_id, region, key, request, owner, context, rows) VALUES (?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(run_id, key) DO UPDATE SET request = excluded.request, owner = excluded.owner, "
                "context = excluded.context, rows = excluded.rows",
                [run_id, region, _text(key, "listing key"), _json(dict(request)), owner, _json(dict(context or {})),
                 _json([dict(row) for row in rows])],
            )

    # ------------------------------------------------------------------ internals

    def _agency_id(self, region: str, agency: str | int, kind: str | None, run_id: int) -> int:
        if isinstance(agency, int):
            rows = self._rows("SELECT id FROM agencies WHERE id = ? AND region = ?", [agency, region])
            if not rows:
                raise UnknownAgency(f"no agency {agency} in region {region!r}")
            agency_id = agency
        else:
            row = self.find_agency(region, agency)
            if row is None:
                if kind is None:
                    raise UnknownAgency(f"unknown agency {agency!r} in region {region!r} (give its kind to add it)")
                return self.upsert_agency(region, agency, kind, run_id=run_id)
            agency_id = int(row["id"])
        self._touch_agency(agency_id, self._run_day(run_id))
        return agency_id

    def _touch_agency(self, agency_id: int, day: str) -> None:
        """Widen an agency's last_seen.  first_seen stays NULL for agencies that came from a config (they
        are known for every as-of date); for discovered ones it is the first day a crawl saw them."""
        self.db.execute(
            "UPDATE agencies SET last_seen = MAX(COALESCE(last_seen, ?), ?), "
            "first_seen = CASE WHEN first_seen IS NULL THEN NULL ELSE MIN(first_seen, ?) END WHERE id = ?",
            [day, day, day, agency_id],
        )

    def _add_url(self, report_id: int, url: str, day: str) -> None:
        self.db.execute(
            "INSERT INTO report_urls (report_id, url, first_seen, last_seen) VALUES (?, ?, ?, ?) "
            "ON CONFLICT DO UPDATE SET first_seen = MIN(first_seen, excluded.first_seen), "
            "last_seen = MAX(last_seen, excluded.last_seen)",
            [report_id, url, day, day],
        )

    def _observe(
        self,
        run_id: int,
        agency_id: int,
        year: int,
        day: str,
        outcome: str,
        *,
        report_id: int | None = None,
        reason: str | None = None,
        detail: str | None = None,
    ) -> int:
        existing = self._rows(
            "SELECT * FROM observations WHERE run_id = ? AND agency_id = ? AND year = ?", [run_id, agency_id, year]
        )
        if not existing:
            cursor = self.db.execute(
                "INSERT INTO observations (run_id, agency_id, year, observed_on, outcome, report_id, reason, detail) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [run_id, agency_id, year, day, outcome, report_id, reason, detail],
            )
            return int(cursor.lastrowid)
        row = existing[0]
        if _OUTCOME_PRECEDENCE[outcome] > _OUTCOME_PRECEDENCE[row["outcome"]]:
            self.db.execute(
                "UPDATE observations SET outcome = ?, report_id = ?, reason = ?, detail = ? WHERE id = ?",
                [outcome, report_id, reason, detail, row["id"]],
            )
        return int(row["id"])

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
