"""What the judge, the export, the dashboard and the digest read: rows as known on an as-of date.

Reads take `as_of` so history can be replayed: a row first seen after that day does not exist yet, and
last_seen is recomputed from the sightings made by then.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from monitor.portals import portal_key
from monitor.store.core import StoreCore
from monitor.store.errors import StoreError, UnknownRun
from monitor.store.values import _best_date, _day_or_none, normalize_name


def trusted_look(observation: Mapping[str, Any]) -> bool:
    """Whether a "not found" observation proves absence.

    Only a look from a run that finished normally and did not collapse (far fewer reports than last
    time) counts: our own crashes and breakages must never become an agency's `missing`.
    """
    return (
        observation["outcome"] == "not_found"
        and observation["run_state"] == "finished"
        and "far_fewer_than_last" not in observation["run_flags"]
    )


class StoreReads(StoreCore):
    """Read methods of `Store`, and the lookups the writes share (a run's day and region, existence checks)."""

    # ------------------------------------------------------------------ regions, agencies and runs

    def region(self, name: str) -> dict[str, Any] | None:
        rows = self._rows("SELECT * FROM regions WHERE name = ?", [name])
        return rows[0] if rows else None

    def region_of_portal(self, url: str) -> dict[str, Any] | None:
        """The region whose portal is `url` (same host:port and path prefix; monitor.portals), the most
        recently updated when several names were given to one portal."""
        rows = self._rows("SELECT * FROM regions WHERE portal_key = ? ORDER BY updated_at DESC, name", [portal_key(url)])
        return rows[0] if rows else None

    def regions(self) -> list[dict[str, Any]]:
        return self._rows("SELECT * FROM regions ORDER BY name")

    def find_agency(self, region: str, name: str) -> dict[str, Any] | None:
        """The agency of `region` called `name` (its full name, else one of its aliases)."""
        key = normalize_name(name)
        rows = self._rows("SELECT * FROM agencies WHERE region = ? AND name = ?", [region, key]) or self._rows(
            "SELECT a.* FROM agencies a, json_each(a.aliases) j WHERE a.region = ? AND j.value = ? ORDER BY a.id",
            [region, key],
        )
        return rows[0] if rows else None

    def agencies(self, region: str | None = None, as_of: date | str | None = None) -> list[dict[str, Any]]:
        """Agencies (all, or known on `as_of`: configured ones, or first seen by then)."""
        sql = "SELECT * FROM agencies WHERE (:region IS NULL OR region = :region)"
        if as_of is not None:
            sql += " AND (first_seen IS NULL OR first_seen <= :as_of)"
        return self._rows(sql + " ORDER BY region, name", {"region": region, "as_of": _day_or_none(as_of)})

    def run(self, run_id: int) -> dict[str, Any]:
        rows = self._rows("SELECT * FROM crawl_runs WHERE id = ?", [run_id])
        if not rows:
            raise UnknownRun(f"no crawl run {run_id}")
        return rows[0]

    def runs(self, region: str | None = None, as_of: date | str | None = None) -> list[dict[str, Any]]:
        sql = "SELECT * FROM crawl_runs WHERE (:region IS NULL OR region = :region)"
        if as_of is not None:
            sql += " AND as_of <= :as_of"
        return self._rows(sql + " ORDER BY as_of, id", {"region": region, "as_of": _day_or_none(as_of)})

    # ------------------------------------------------------------------ reads (as of a date)

    def reports(self, region: str | None = None, as_of: date | str | None = None) -> list[dict[str, Any]]:
        """Reports seen by `as_of` (all if None), with agency name/kind and the shown date known then."""
        day = _day_or_none(as_of)
        rows = self._rows(
            "SELECT r.*, a.name AS agency, a.kind AS kind FROM reports r JOIN agencies a ON a.id = r.agency_id "
            "WHERE (:region IS NULL OR r.region = :region) AND (:as_of IS NULL OR r.first_seen <= :as_of) "
            "ORDER BY r.region, a.name, r.year",
            {"region": region, "as_of": day},
        )
        if day is not None:
            dates: dict[int, list[dict[str, Any]]] = {}
            for d in self._rows("SELECT * FROM report_dates WHERE first_seen <= ?", [day]):
                dates.setdefault(d["report_id"], []).append(d)
            last_seen = {
                r["report_id"]: r["last_seen"]
                for r in self._rows(
                    "SELECT report_id, MAX(observed_on) AS last_seen FROM observations "
                    "WHERE outcome = 'found' AND observed_on <= ? GROUP BY report_id",
                    [day],
                )
            }
            for row in rows:
                best = _best_date(dates.get(row["id"], []))
                row["published_on"] = best["published_on"] if best else None
                row["published_on_source"] = best["source"] if best else None
                row["last_seen"] = last_seen.get(row["id"], row["first_seen"])
        return rows

    def report_urls(self, as_of: date | str | None = None, region: str | None = None) -> dict[int, list[dict[str, Any]]]:
        """report id → the URLs it was seen at (by `as_of`; of `region`'s reports, or all), first seen first."""
        out: dict[int, list[dict[str, Any]]] = {}
        for row in self._rows(
            "SELECT u.* FROM report_urls u WHERE (:as_of IS NULL OR u.first_seen <= :as_of) AND (:region IS NULL "
            "OR u.report_id IN (SELECT id FROM reports WHERE region = :region)) ORDER BY u.first_seen, u.url",
            {"as_of": _day_or_none(as_of), "region": region},
        ):
            out.setdefault(row["report_id"], []).append(row)
        return out

    def report_dates(self, report_id: int) -> list[dict[str, Any]]:
        """Every shown date ever recorded for a report, with its source and when it was seen."""
        return self._rows("SELECT * FROM report_dates WHERE report_id = ? ORDER BY first_seen, published_on, source", [report_id])

    def documents(self, report_id: int | None = None, as_of: date | str | None = None) -> list[dict[str, Any]]:
        """Document versions first seen by `as_of`, oldest first; last_seen is as known on `as_of`."""
        day = _day_or_none(as_of)
        rows = self._rows(
            "SELECT * FROM documents WHERE (:report IS NULL OR report_id = :report) "
            "AND (:as_of IS NULL OR first_seen <= :as_of) ORDER BY report_id, url, first_seen, id",
            {"report": report_id, "as_of": day},
        )
        if day is not None:
            last = {
                r["document_id"]: r["last_seen"]
                for r in self._rows(
                    "SELECT document_id, MAX(seen_on) AS last_seen FROM document_sightings WHERE seen_on <= ? "
                    "GROUP BY document_id",
                    [day],
                )
            }
            for row in rows:
                row["last_seen"] = last.get(row["id"], row["first_seen"])
        return rows

    def document_tables(self, document_ids: Iterable[int]) -> dict[int, dict[str, Any] | None]:
        """document id → the statistics tables its last check read (see `record_document_tables`), None
        when it read none; versions recorded before tables were kept are absent (read their archived copy)."""
        ids = sorted(set(document_ids))
        out: dict[int, dict[str, Any] | None] = {}
        for start in range(0, len(ids), 500):  # SQLite caps the number of bound parameters
            chunk = ids[start:start + 500]
            for row in self.db.execute(
                f"SELECT document_id, tables FROM document_tables WHERE document_id IN ({','.join('?' * len(chunk))})",
                chunk,
            ):
                out[row[0]] = None if row[1] is None else json.loads(row[1])
        return out

    def document_sightings(self, document_id: int) -> list[dict[str, Any]]:
        return self._rows("SELECT * FROM document_sightings WHERE document_id = ? ORDER BY seen_on", [document_id])

    def observations(self, region: str | None = None, as_of: date | str | None = None) -> list[dict[str, Any]]:
        """Looks made by `as_of`, oldest first, with the agency and the state and flags of their run."""
        return self._rows(
            "SELECT o.*, a.region AS region, a.name AS agency, r.state AS run_state, r.flags AS run_flags "
            "FROM observations o JOIN agencies a ON a.id = o.agency_id JOIN crawl_runs r ON r.id = o.run_id "
            "WHERE (:region IS NULL OR a.region = :region) AND (:as_of IS NULL OR o.observed_on <= :as_of) "
            "ORDER BY o.observed_on, o.run_id, o.id",
            {"region": region, "as_of": _day_or_none(as_of)},
        )

    def findings(
        self, region: str | None = None, as_of: date | str | None = None, scope: str | None = None
    ) -> list[dict[str, Any]]:
        """Stored findings current on `as_of` (first seen by then and not resolved by then)."""
        day = _day_or_none(as_of)
        return self._rows(
            "SELECT * FROM findings WHERE (:region IS NULL OR region = :region) AND (:scope IS NULL OR scope = :scope) "
            "AND (:as_of IS NULL OR (first_seen <= :as_of AND (resolved_on IS NULL OR resolved_on > :as_of))) "
            "ORDER BY id",
            {"region": region, "scope": scope, "as_of": day},
        )

    def fetch_failures(
        self, region: str | None = None, since: date | str | None = None, as_of: date | str | None = None
    ) -> list[dict[str, Any]]:
        """Failed fetches observed in (since, as_of]."""
        return self._rows(
            "SELECT * FROM fetch_failures WHERE (:region IS NULL OR region = :region) "
            "AND (:since IS NULL OR observed_on > :since) AND (:as_of IS NULL OR observed_on <= :as_of) "
            "ORDER BY observed_on, id",
            {"region": region, "since": _day_or_none(since), "as_of": _day_or_none(as_of)},
        )

    def last_full_run(self, region: str) -> dict[str, Any] | None:
        """The region's latest finished run that walked the whole site (not a listing-first re-check) and
        recorded the listing pages it read: what a listing-first re-check plans from."""
        rows = self._rows(
            "SELECT * FROM crawl_runs r WHERE region = ? AND state = 'finished' "
            "AND COALESCE(json_extract(stats, '$.mode'), 'full') = 'full' "
            "AND EXISTS (SELECT 1 FROM listings l WHERE l.run_id = r.id) ORDER BY as_of DESC, id DESC LIMIT 1",
            [region],
        )
        return rows[0] if rows else None

    def listings(self, region: str, since_run_id: int = 0) -> list[dict[str, Any]]:
        """Listing pages recorded by the region's runs from `since_run_id` on, oldest run first (so a later
        reading of the same request wins when callers key them)."""
        rows = self._rows(
            "SELECT * FROM listings WHERE region = ? AND run_id >= ? ORDER BY run_id, key", [region, since_run_id]
        )
        for row in rows:
            for column in ("request", "context", "rows"):
                row[column] = json.loads(row[column])
        return rows

    # ------------------------------------------------------------------ internals

    def _run_dates_of(self, run_id: int) -> tuple[str, str]:
        """(as-of day, region) of a run; cached, since every sighting needs it."""
        if run_id not in self._run_dates:
            run = self.run(run_id)
            self._run_dates[run_id] = (run["as_of"], run["region"])
        return self._run_dates[run_id]

    def _run_day(self, run_id: int) -> str:
        return self._run_dates_of(run_id)[0]

    def _require_region(self, region: str) -> None:
        if self.region(region) is None:
            raise StoreError(f"unknown region {region!r}: call upsert_region() first")

    def _require_report(self, report_id: int) -> None:
        if not self._rows("SELECT id FROM reports WHERE id = ?", [report_id]):
            raise StoreError(f"no report {report_id}")
