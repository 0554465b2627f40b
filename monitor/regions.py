"""Region configuration: which portals to watch, which report years, and the local deadline rules.

A YAML (or TOML: `[[regions]]` tables, same keys) file lists the regions (the scheduler and the crawl command read it; the judge reads the same
mapping back from the store, where `Store.upsert_region` keeps it).  Example::

    regions:
      - name: 示例区
        portal_url: http://127.0.0.1:8765/
        years: 2021-2023          # or [2021, 2023], a single 2023, or "2021-" (through the latest year due)
        deadlines:                # optional; omitted keys keep the national rule
          township: "02-20"       # 乡镇/街道 reports from 2019 on: month-day of the year after
          holiday_extension: true # a deadline on a weekend/holiday moves to the next working day
          holidays: [2024-02-10, 2024-02-11]
          workdays: [2024-02-04]  # weekend days that are working days (调休)
          overrides:              # later entries win
            - {kind: department, years: 2021, due: "01-28"}
            - {years: 2022, due: 2023-02-15}   # every kind; an exact date needs a single year

Why validate strictly: a typo in a key (`portal_ulr`) or a deadline (`01-13`) would silently change which
agencies are called late.  Every error names the file and the key path, e.g.
``regions.yaml: regions[1].deadlines.overrides[0].kind: must be one of government, department, township``.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from monitor.deadlines import FIRST_REPORT_YEAR, KINDS, DeadlineRules, MonthDay, Override


class ConfigError(ValueError):
    """A region file or mapping that cannot be used; the message says where and why."""


_REGION_KEYS = ("name", "portal_url", "years", "deadlines")
_DEADLINE_KEYS = ("township", "holiday_extension", "holidays", "workdays", "overrides")
_OVERRIDE_KEYS = ("kind", "years", "due")
_YEARS_RE = re.compile(r"^\s*(\d{4})\s*(?:-\s*(\d{4})?\s*)?$")
_MONTH_DAY_RE = re.compile(r"^\s*(\d{1,2})-(\d{1,2})\s*$")


@dataclass(frozen=True)
class Years:
    """A range of report years; `last is None` means "through the latest year that can be reported"."""

    first: int
    last: int | None = None

    def through(self, as_of: date) -> list[int]:
        """The report years to watch on `as_of`: a year Y can be reported from 1 January of Y+1."""
        last = as_of.year - 1 if self.last is None else self.last
        return list(range(self.first, last + 1))

    def __str__(self) -> str:
        if self.last == self.first:
            return str(self.first)
        return f"{self.first}-{'' if self.last is None else self.last}"


@dataclass(frozen=True)
class RegionConfig:
    name: str
    portal_url: str
    years: Years | None
    deadlines: DeadlineRules
    raw_deadlines: Mapping[str, Any]

    def to_mapping(self) -> dict[str, Any]:
        """The JSON-able form kept in the store's `regions.config` (re-readable by `parse_region`)."""
        out: dict[str, Any] = {"name": self.name, "portal_url": self.portal_url}
        if self.years is not None:
            out["years"] = str(self.years)
        if self.raw_deadlines:
            out["deadlines"] = _jsonable(self.raw_deadlines)
        return out


def load_regions(path: str | Path) -> list[RegionConfig]:
    """Read and validate a region file; raises ConfigError (never a YAML traceback) on any problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from exc
    syntax = "toml" if path.suffix.lower() == ".toml" else "yaml"
    return parse_regions(text, source=str(path), syntax=syntax)


def parse_regions(text: str, source: str = "<config>", syntax: str = "yaml") -> list[RegionConfig]:
    """Validate region config text; `syntax` is 'yaml' or 'toml' (TOML dates arrive as dates too)."""
    if syntax == "toml":
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{source}: not valid TOML: {exc}") from exc
    else:
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise ConfigError(f"{source}: not valid YAML: {' '.join(str(exc).split())}") from exc
    if not isinstance(data, Mapping) or "regions" not in data:
        raise ConfigError(f"{source}: expected a mapping with a 'regions' list")
    unknown = set(data) - {"regions"}
    if unknown:
        raise ConfigError(f"{source}: unknown top-level key(s) {', '.join(sorted(map(str, unknown)))}")
    items = data["regions"]
    if not isinstance(items, list) or not items:
        raise ConfigError(f"{source}: regions: expected a non-empty list")
    regions = [parse_region(item, f"{source}: regions[{i}]") for i, item in enumerate(items)]
    seen: set[str] = set()
    for i, region in enumerate(regions):
        if region.name in seen:
            raise ConfigError(f"{source}: regions[{i}].name: duplicate region {region.name!r}")
        seen.add(region.name)
    return regions


def parse_region(item: Any, where: str = "region") -> RegionConfig:
    """Validate one region mapping (from YAML, or from the store's JSON)."""
    _check_keys(item, _REGION_KEYS, where)
    name = item.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(f"{where}.name: required, a non-empty string")
    url = item.get("portal_url")
    if not isinstance(url, str) or urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
        raise ConfigError(f"{where}.portal_url: required, an http(s) URL (got {url!r})")
    years = None if item.get("years") is None else parse_years(item["years"], f"{where}.years", open_end=True)
    raw = item.get("deadlines") or {}
    rules = parse_deadlines(raw, f"{where}.deadlines")
    return RegionConfig(name=name.strip(), portal_url=url, years=years, deadlines=rules, raw_deadlines=raw)


def parse_deadlines(raw: Any, where: str = "deadlines") -> DeadlineRules:
    """Build the deadline rules of a region from its `deadlines` mapping (empty → national rule)."""
    if raw is None:
        return DeadlineRules()
    _check_keys(raw, _DEADLINE_KEYS, where)
    township = DeadlineRules().township
    if raw.get("township") is not None:
        township = _month_day(raw["township"], f"{where}.township")
    extension = raw.get("holiday_extension", False)
    if not isinstance(extension, bool):
        raise ConfigError(f"{where}.holiday_extension: expected true or false (got {extension!r})")
    holidays = _dates(raw.get("holidays"), f"{where}.holidays")
    workdays = _dates(raw.get("workdays"), f"{where}.workdays")
    overrides_raw = raw.get("overrides") or []
    if not isinstance(overrides_raw, list):
        raise ConfigError(f"{where}.overrides: expected a list")
    overrides = tuple(_override(o, f"{where}.overrides[{i}]") for i, o in enumerate(overrides_raw))
    return DeadlineRules(
        township=township,
        overrides=overrides,
        holiday_extension=extension,
        holidays=frozenset(holidays),
        workdays=frozenset(workdays),
    )


def parse_years(value: Any, where: str = "years", open_end: bool = False) -> Years:
    """Accepts 2023, "2021-2023", [2021, 2023] (first and last) and, if `open_end`, "2021-"."""
    first = last = None
    if isinstance(value, bool):
        pass
    elif isinstance(value, int):
        first = last = value
    elif isinstance(value, str) and (m := _YEARS_RE.match(value)):
        first = int(m.group(1))
        last = first if "-" not in value else (int(m.group(2)) if m.group(2) else None)
    elif isinstance(value, list) and len(value) == 2 and all(type(v) is int for v in value):
        first, last = value
    if first is None or (last is None and not open_end):
        form = '2023, "2021-2023", [2021, 2023]' + (' or "2021-"' if open_end else "")
        raise ConfigError(f"{where}: expected {form} (got {value!r})")
    if first < FIRST_REPORT_YEAR:
        raise ConfigError(f"{where}: {first} is before the first report year {FIRST_REPORT_YEAR}")
    if last is not None and last < first:
        raise ConfigError(f"{where}: {last} is before {first}")
    return Years(first, last)


def _override(raw: Any, where: str) -> Override:
    _check_keys(raw, _OVERRIDE_KEYS, where)
    kind = raw.get("kind")
    if kind is not None and kind not in KINDS:
        raise ConfigError(f"{where}.kind: must be one of {', '.join(KINDS)} (got {kind!r})")
    if "years" not in raw:
        raise ConfigError(f"{where}.years: required")
    years = parse_years(raw["years"], f"{where}.years")
    if "due" not in raw:
        raise ConfigError(f"{where}.due: required, MM-DD of the following year or a YYYY-MM-DD date")
    due = raw["due"]
    if isinstance(due, str) and _MONTH_DAY_RE.match(due):
        due = _month_day(due, f"{where}.due")
    else:
        due = _date(due, f"{where}.due")
        if years.first != years.last:
            raise ConfigError(f"{where}.due: an exact date needs a single year (use MM-DD for a range)")
        if due.year <= years.first:
            raise ConfigError(f"{where}.due: {due} is not after the end of report year {years.first}")
    assert years.last is not None
    return Override(first_year=years.first, last_year=years.last, due=due, kind=kind)


def _month_day(value: Any, where: str) -> MonthDay:
    m = _MONTH_DAY_RE.match(value) if isinstance(value, str) else None
    try:
        if m is None:
            raise ValueError
        return MonthDay(int(m.group(1)), int(m.group(2)))
    except ValueError:
        raise ConfigError(f"{where}: expected a month-day like \"01-31\" (got {value!r})") from None


def _date(value: Any, where: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{where}: expected a date YYYY-MM-DD (got {value!r})") from None


def _dates(value: Any, where: str) -> list[date]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ConfigError(f"{where}: expected a list of dates")
    return [_date(v, f"{where}[{i}]") for i, v in enumerate(value)]


def _check_keys(value: Any, allowed: tuple[str, ...], where: str) -> None:
    if not isinstance(value, Mapping):
        raise ConfigError(f"{where}: expected a mapping (got {type(value).__name__})")
    unknown = [str(k) for k in value if k not in allowed]
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(unknown)} (allowed: {', '.join(allowed)})")


def _jsonable(value: Any) -> Any:
    """YAML gives `date` objects; the store keeps JSON, so dates become ISO strings."""
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value
