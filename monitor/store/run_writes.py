"""Writes about crawl runs: start one, finish it with its counts and the flags that say whether its
"not found" looks can be trusted."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from monitor.store.reads import StoreReads
from monitor.store.values import _day, _instant, _json, _sql_in
from monitor.store.vocab import OUR_FAILURES

FAR_FEWER_RATIO = 0.5
"""A run that finds fewer than half the reports of the region's previous finished run is flagged
`far_fewer_than_last`: far more often our crawler broke (a redesign, a changed pager) than half a county's
reports vanished, so its "not found" looks are not trusted (see `trusted_look`)."""


class RunWrites(StoreReads):
    """Crawl runs (part of `Store`)."""

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
