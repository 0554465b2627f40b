"""A region (one county's portal and its agencies) and the world that holds the regions.

`Region` answers the questions every family and the manifest ask: which items a 年报 column lists on
a given day, which columns list an item, when a report is due.  `Scale` fixes how many units a
region has.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from simweb.labels import Labels, labels_for
from simweb.records import GROUP_LABELS, Agency, Column, Entry, Faults, NoiseItem, ReportItem
from simweb.seeding import seeded_rng


@dataclass
class Region:
    index: int
    id: str  # "r01"
    name: str  # 青川县
    level: str  # 县 | 区
    city: str  # the prefecture-level city above it (for reposted higher-level reports)
    province: str
    seed: int
    family: str
    encoding: str
    faults: Faults
    years: tuple[int, ...]
    central_columns: bool  # the portal has a central 年报 column by year and group
    unit_columns: bool  # every unit page has its own 年报 column
    township_due: tuple[int, int]  # (month, day) set locally for 乡镇/街道
    options: dict[str, Any]  # family-agnostic flags families may honour (hosts, …)
    agencies: list[Agency] = field(default_factory=list)
    reports: list[ReportItem] = field(default_factory=list)
    noise: list[NoiseItem] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._agency_by_id: dict[str, Agency] = {}
        self._entry_by_id: dict[str, Entry] = {}
        self._entry_by_serial: dict[int, Entry] = {}
        self._columns: dict[str, Column] = {}

    def reindex(self) -> None:
        """Rebuild the lookups (agencies, entries, columns) after the lists changed: the builder
        calls it once it has filled them; a test that edits a built world's entries calls it again."""
        self._columns = {}
        self._agency_by_id = {a.id: a for a in self.agencies}
        self._entry_by_id = {e.id: e for e in self.entries}
        self._entry_by_serial = {e.serial: e for e in self.entries}

    # -- lookups ---------------------------------------------------------------------------

    @property
    def entries(self) -> list[Entry]:
        return [*self.reports, *self.noise]

    @property
    def government(self) -> Agency:
        return self.agencies[0]

    def agency(self, agency_id: str) -> Agency:
        return self._agency_by_id[agency_id]

    def entry(self, entry_id: str) -> Entry:
        return self._entry_by_id[entry_id]

    def entry_by_serial(self, serial: int) -> Entry | None:
        return self._entry_by_serial.get(serial)

    @property
    def labels(self) -> Labels:
        """The site's words for its 年报 column, unit groups and year folders (simweb/labels.py);
        `options["labels"]` ({"groups": {...}, "column": ..., "year": "{y}年度"}) forces them."""
        drawn = labels_for(self.seed, self.level)
        forced = self.options.get("labels")
        if not forced:
            return drawn
        return Labels(
            groups={**drawn.groups, **forced.get("groups", {})},
            column=forced.get("column", drawn.column),
            year_style=forced.get("year", drawn.year_style),
        )

    def rng(self, *key: object) -> random.Random:
        """A private random stream for (region, key): families use it for their own choices."""
        return seeded_rng(self.seed, *key)

    def due(self, kind: str, year: int) -> date:
        """The deadline for `year`'s report (report-format.md §1.3)."""
        if year <= 2018:
            return date(year + 1, 3, 31)
        if kind == "government":
            return date(year + 1, 3, 31)
        if kind == "township":
            m, d = self.township_due
            return date(year + 1, m, d)
        return date(year + 1, 1, 31)

    # -- columns -----------------------------------------------------------------------------

    def columns(self) -> list[Column]:
        """Every 年报 column of the region: central year × group first, then one per unit."""
        if not self._columns:
            self._columns = {c.key: c for c in self._make_columns()}
        return list(self._columns.values())

    def _make_columns(self) -> list[Column]:
        cols: list[Column] = []
        if self.central_columns:
            for year in self.central_years():
                for group in ("gov", "bm", "xzjd"):
                    cols.append(
                        Column(f"c:{year}:{group}", f"{year}年{GROUP_LABELS[group]}年报", None, year, group)
                    )
        if self.unit_columns:
            for a in self.agencies:
                cols.append(Column(f"u:{a.id}", "政府信息公开年报", a.id))
        return cols

    def central_years(self) -> list[int]:
        """Year folders of the central column, newest first (folder years can exceed report years)."""
        years = {e.folder_year for e in self.entries if e.in_central} | set(self.years)
        return sorted(years, reverse=True)

    def column(self, key: str) -> Column:
        if not self._columns:
            self.columns()
        return self._columns[key]

    def column_entries(self, column: Column, today: date) -> list[Entry]:
        """The items a column lists on `today`, in display order (newest list date first)."""
        if column.central:
            chosen = [
                e
                for e in self.entries
                if e.in_central and e.folder_year == column.year and e.group == column.group
            ]
        else:
            chosen = [e for e in self.entries if e.filed_under == column.agency_id]
        visible = [e for e in chosen if e.visible(today)]
        return sorted(visible, key=lambda e: (e.list_date or date.min, e.serial), reverse=True)

    def columns_of(self, entry: Entry) -> list[Column]:
        """The columns that list `entry` (whenever it is visible)."""
        out = []
        if self.central_columns and entry.in_central:
            out.append(self.column(f"c:{entry.folder_year}:{entry.group}"))
        if self.unit_columns and entry.filed_under is not None:
            out.append(self.column(f"u:{entry.filed_under}"))
        return out

    def home_column(self, entry: Entry) -> Column | None:
        """The column an entry's own page belongs to (the one its URL names on CMSs that put a
        column in article URLs): its unit's column, else the central one; None if listed nowhere."""
        cols = self.columns_of(entry)
        unit = [c for c in cols if not c.central]
        return (unit or cols)[0] if cols else None


@dataclass(frozen=True)
class Scale:
    """How many units a region has (the issue: 10–60 departments, 5–25 乡镇/街道)."""

    departments: tuple[int, int]
    townships: tuple[int, int]


SCALES: dict[str, Scale] = {
    # A default demo region crawls in well under a minute: ~25 units × 5 years.
    "demo": Scale((12, 20), (5, 8)),
    "full": Scale((10, 60), (5, 25)),
    # The benchmark: 60 agencies per region (government + 44 departments + 15 townships).
    "bench": Scale((44, 44), (15, 15)),
}


@dataclass
class World:
    seed: int
    today: date  # the "today" the world was built for (the clock may move later)
    years: tuple[int, ...]
    regions: list[Region]
    # Set by the server (simweb/server.py) once ports are bound: it turns entries into URLs.
    resolver: Any = None

    def region(self, region_id: str) -> Region:
        for r in self.regions:
            if r.id == region_id:
                return r
        raise KeyError(region_id)

    def manifest(self, today: date | None = None, *, rules: bool = True) -> dict[str, Any]:
        """Ground truth as JSON-able data; see simweb/manifest.py for the schema."""
        from simweb.manifest import build_manifest

        return build_manifest(self, today or self.today, self.resolver, rules)
