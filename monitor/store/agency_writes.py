"""Writes about regions and agencies: the base every other write builds on (each sighting is of an agency).

Agencies are matched by full name or alias (monitor.store.values.normalize_name) and created on first
sight when their kind is known; seeing one widens its last_seen.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from monitor.deadlines import KINDS
from monitor.portals import portal_key
from monitor.store.errors import UnknownAgency
from monitor.store.reads import StoreReads
from monitor.store.values import _choice, _instant, _json, _text, normalize_name


class AgencyWrites(StoreReads):
    """Regions and agencies (part of `Store`; callers never write SQL)."""

    def upsert_region(self, name: str, portal_url: str | None = None, config: Mapping[str, Any] | None = None,
                      hosts: Iterable[str] = ()) -> None:
        """Create or update a region; `config` is the region's mapping (see monitor.regions).  The portal URL
        gives the region its identity (`portal_key`, monitor.portals); `hosts` (host:port) that the region
        was seen to own accumulate."""
        name = _text(name, "region name")
        now = _instant(None)
        key = portal_key(portal_url) if portal_url else None
        with self.db.atomic():
            # One statement, no read first: crawls starting together on one database must not race (a write
            # after a read in a deferred transaction fails at once when another writer committed between).
            self.db.execute(
                "INSERT INTO regions (name, portal_url, portal_key, hosts, config, updated_at) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(name) DO UPDATE SET portal_url = COALESCE(excluded.portal_url, portal_url), "
                "portal_key = COALESCE(excluded.portal_key, portal_key), "
                "hosts = (SELECT json_group_array(value) FROM (SELECT value FROM json_each(regions.hosts) "
                "UNION SELECT value FROM json_each(excluded.hosts) ORDER BY value)), "
                "config = CASE WHEN ? THEN excluded.config ELSE config END, updated_at = excluded.updated_at",
                [name, portal_url, key, _json(sorted({h.lower() for h in hosts})), _json(config or {}), now,
                 config is not None],
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
