"""Writes about looks: what a run observed for each agency × year (found, not found, could not look), the
fetches that failed, and the listing pages it read.

Several looks at one agency × year in one run merge to the strongest (`_OUTCOME_PRECEDENCE`), so the
order in which a crawl reports them does not matter.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from monitor.store.agency_writes import AgencyWrites
from monitor.store.errors import StoreError
from monitor.store.values import _check_year, _choice, _instant, _json, _text
from monitor.store.vocab import FAILURE_CLASSES, OUTCOMES

_OUTCOME_PRECEDENCE = {"not_found": 0, "could_not_look": 1, "found": 2}
"""Several looks at one agency × year in one run merge to the strongest: having seen the report beats
everything; a partial failure beats "not found", because a look that failed somewhere is incomplete."""


class LookWrites(AgencyWrites):
    """Observations, fetch failures and listings (part of `Store`)."""

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
