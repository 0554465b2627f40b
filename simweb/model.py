"""The deterministic world behind the simulated government web.

A *world* is a set of fictional regions (县/区).  Each region is the county's portal plus the
government itself, its departments and its 乡镇/街道 ("agencies"); each agency owes one
政府信息公开工作年度报告 per year, and the world decides, from the seed alone, which of those reports
exist, when each one really appeared, what date it shows, how it is titled, in what form it is
published, which defects its text carries, and which non-report items sit beside them in the 年报
columns.  Site families (simweb/families/) only decide how this is *served*; the manifest built
from this model is the ground truth a crawler is scored against.

Everything here is pure data and arithmetic on the seed: no clock, no network, no rendering.  The
real "today" of a running server is the simulated clock (simweb/clock.py); `today` given to
`build_world` only fixes which report years exist by default and keeps every date the world
invents (migrations, removals) on or before it where that matters.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any, Literal, Union

from simweb.names import DEPARTMENTS, PLACE_CHARS, PROVINCES

AgencyKind = Literal["government", "department", "township"]
Group = Literal["gov", "bm", "xzjd"]
DocForm = Literal["html", "pdf", "pdf-image", "docx", "doc", "wps"]
Encoding = Literal["utf-8", "gbk-meta", "gbk-header", "gbk-none"]

ENCODINGS: tuple[str, ...] = ("utf-8", "gbk-meta", "gbk-header", "gbk-none")
GROUP_OF_KIND: dict[str, str] = {"government": "gov", "department": "bm", "township": "xzjd"}
GROUP_LABELS: dict[str, str] = {"gov": "本级政府", "bm": "部门", "xzjd": "乡镇街道"}

DOC_FORMS: tuple[str, ...] = ("html", "pdf", "pdf-image", "docx", "doc", "wps")
# site-archetypes.md §6: ~70% inline HTML tables, the rest images/PDF/Word attachments.
DOC_FORM_WEIGHTS: tuple[float, ...] = (0.70, 0.08, 0.08, 0.06, 0.05, 0.03)

# Title variants of §2.3 and their rough frequency.
TITLE_VARIANTS: tuple[str, ...] = (
    "canonical",  # 青川县商务局2023年政府信息公开工作年度报告
    "year_first",  # 2023年青川县商务局政府信息公开工作年度报告
    "niandu",  # 青川县商务局2023年度政府信息公开工作年度报告
    "no_gongzuo",  # 青川县商务局2023年政府信息公开年度报告
    "abbreviated",  # 县商务局2023年政府信息公开工作年度报告
    "generic",  # 2023年政府信息公开工作年度报告 (agency only in body / 发布机构)
    "dup_year",  # 2023青川县商务局2023年度政府信息公开工作年度报告
    "work_report",  # 青川县商务局2023年政府信息公开年度工作报告
)
TITLE_WEIGHTS: tuple[float, ...] = (0.45, 0.12, 0.10, 0.07, 0.10, 0.08, 0.03, 0.05)

# How a report's publication was generated (ground truth for "on time" logic).
Timing = Literal["on_time", "late", "never", "backdated", "migrated"]

NOISE_KINDS: dict[str, str] = {
    "jiedu": "解读 article about a report",
    "explanation": "说明 notice about the annual report",
    "work_points": "政务公开工作要点",
    "fazhi": "法治政府建设年度报告",
    "higher_level": "a higher-level government's report reposted",
    "news": "ordinary news mis-filed in a 年报 column",
    "budget": "预决算 item",
}

TRANSIENT_KINDS: tuple[str, ...] = ("500", "timeout", "truncated", "slow")


# ----------------------------------------------------------------------------------------------
# Records


@dataclass(frozen=True)
class Faults:
    """Per-site fault knobs, applied by simweb/faults.py.

    Transient faults are deterministic but transient: a URL is *affected* when a hash of
    (region seed, path+query) falls under `transient_share`; an affected URL fails its first
    `transient_repeat` requests with one kind from `transient_kinds` (also chosen by the hash)
    and then succeeds, so a crawler that retries reaches 100% recall.  Permanent faults never
    heal: `robots_disallow`, `challenge` (412 ruishu-like page until a JS-set cookie comes
    back), `dead_host` (nothing listens on the region's port), `dead_years` (the central 年报
    column of those years answers 404 or redirects to the home page), `redirect_loop` and
    `trap` (links to them are planted in the page footer).
    """

    transient_share: float = 0.0
    transient_kinds: tuple[str, ...] = ()
    transient_repeat: int = 1
    timeout_s: float = 20.0  # how long a "timeout" request hangs before the connection drops
    slow_ms: int = 1500  # delay added by a "slow" fault
    robots_disallow: bool = False
    challenge: bool = False
    dead_host: bool = False
    dead_years: tuple[int, ...] = ()
    dead_year_mode: Literal["404", "home"] = "404"
    redirect_loop: bool = False
    trap: Literal["calendar", "query"] | None = None

    @property
    def blocks_plain_http(self) -> bool:
        """True when a polite plain-HTTP crawler cannot see any report of the site."""
        return self.robots_disallow or self.challenge or self.dead_host

    def to_json(self) -> dict[str, Any]:
        return {
            "transient_share": self.transient_share,
            "transient_kinds": list(self.transient_kinds),
            "transient_repeat": self.transient_repeat,
            "timeout_s": self.timeout_s,
            "slow_ms": self.slow_ms,
            "robots_disallow": self.robots_disallow,
            "challenge": self.challenge,
            "dead_host": self.dead_host,
            "dead_years": list(self.dead_years),
            "dead_year_mode": self.dead_year_mode,
            "redirect_loop": self.redirect_loop,
            "trap": self.trap,
        }


NO_FAULTS = Faults()


@dataclass(frozen=True)
class Agency:
    id: str  # "r01-a07" (a00 is the government itself)
    region_id: str
    name: str  # full name as the site states it: 青川县商务局, 青川县木场镇人民政府
    short_names: tuple[str, ...]  # forms used on sites: ("县商务局", "商务局")
    kind: AgencyKind
    slug: str  # pinyin initials used in paths: "swj", "mcz"
    uscc: str  # 18-character 统一社会信用代码 (索引号 prefix, Hanweb `area`)
    area_code: str  # 15-digit hierarchical code (Hanweb `area` alternative)
    order: int  # position in the unit directory

    @property
    def group(self) -> str:
        return GROUP_OF_KIND[self.kind]

    @property
    def short(self) -> str:
        """The county-prefixed short form (县商务局 / 木场镇), used in abbreviated titles."""
        return self.short_names[0]

    @property
    def bare(self) -> str:
        """The bare short form used in unit directories (商务局 / 木场镇)."""
        return self.short_names[-1]


@dataclass(frozen=True)
class _Entry:
    """Fields shared by every item listed in a 年报 column (reports and noise)."""

    id: str
    serial: int  # region-unique positive integer; families derive their URL ids from it
    region_id: str
    title: str  # the title as shown in lists and on the page
    year: int  # the year the item is about
    appears_on: date | None  # the day it really appeared (None: never published)
    shown_date: date | None  # the publication date printed on the page (None: blank field)
    url_date: date | None  # the date the CMS stamps into URLs and lists (creation date)
    shown_time: str  # "HH:MM", for sites that print a time
    filed_under: str | None  # agency id whose unit 年报 column lists it (None: not in any)
    in_central: bool  # listed in the central 年报 column
    folder_year: int  # the central column year folder it is filed in (≠ year sometimes)
    group: str  # central column group: gov | bm | xzjd
    removed_on: date | None = None  # from this day it is gone everywhere

    @property
    def list_date(self) -> date | None:
        """The date printed next to the title in lists (sites fall back to the CMS date)."""
        return self.shown_date or self.url_date

    def visible(self, today: date) -> bool:
        """An item exists (in lists, APIs and at its URLs) from the day it appeared until removed."""
        if self.appears_on is None or self.appears_on > today:
            return False
        return self.removed_on is None or today < self.removed_on


@dataclass(frozen=True)
class ReportItem(_Entry):
    agency_id: str = ""
    kind: AgencyKind = "department"  # the agency's kind (drives the deadline)
    doc_form: DocForm = "html"
    notice_only: bool = False  # non-html forms: the page body is only 「详见附件」
    title_variant: str = "canonical"
    timing: Timing = "on_time"
    changed_on: date | None = None  # from this day the served document is version 2
    defects: tuple[str, ...] = ()  # keys of simweb.reportgen.DEFECTS injected into the text
    spec_seed: int = 0
    size: str = "typical"  # the generator's size: zero | typical | large
    misfiled: bool = False  # listed under another unit's column instead of its own

    is_report = True

    def version_on(self, today: date) -> int:
        """1 before `changed_on`, 2 from it: the document was edited after publication."""
        return 2 if self.changed_on is not None and today >= self.changed_on else 1


@dataclass(frozen=True)
class NoiseItem(_Entry):
    kind: str = "news"  # a key of NOISE_KINDS
    agency_id: str | None = None  # the publishing agency, when there is one
    about_id: str | None = None  # jiedu/explanation: the report it is about
    spec_seed: int = 0  # higher_level: seed of the reposted report's spec
    about_name: str = ""  # higher_level: the higher-level government's name

    is_report = False


Entry = Union[ReportItem, NoiseItem]


@dataclass(frozen=True)
class Column:
    """A 年报 column a family serves as a list: the unit's own, or a central year × group one."""

    key: str  # "u:<agency id>" or "c:<year>:<group>"
    title: str
    agency_id: str | None = None
    year: int | None = None
    group: str | None = None

    @property
    def central(self) -> bool:
        return self.agency_id is None


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

    def _index(self) -> None:
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

    def rng(self, *key: object) -> random.Random:
        """A private random stream for (region, key): families use it for their own choices."""
        return _rng(self.seed, *key)

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


# ----------------------------------------------------------------------------------------------
# Generation


def _rng(seed: int, *key: object) -> random.Random:
    # str seeds are hashed with SHA-512 by `random`, independent of PYTHONHASHSEED.
    return random.Random("/".join(map(str, (seed, *key))))


def stable_hash(*key: object) -> int:
    """A 64-bit hash of `key` that is the same in every process (unlike hash())."""
    digest = hashlib.blake2b("/".join(map(str, key)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def _place_name(rng: random.Random, taken: set[str]) -> tuple[str, str]:
    while True:
        (c1, i1), (c2, i2) = rng.sample(PLACE_CHARS, 2)
        if c1 + c2 not in taken:
            taken.add(c1 + c2)
            return c1 + c2, i1 + i2


def _uscc(rng: random.Random, area6: str) -> str:
    digits = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = "".join(rng.choice("0123456789") for _ in range(8)) + rng.choice(digits)
    return "11" + area6 + body + rng.choice(digits)


def _make_agencies(
    rng: random.Random, region_id: str, name: str, level: str, area6: str, n_dept: int, n_town: int
) -> list[Agency]:
    agencies: list[Agency] = []
    code_base = area6 + "000"

    def add(full: str, shorts: tuple[str, ...], kind: str, slug: str) -> None:
        n = len(agencies)
        agencies.append(
            Agency(
                id=f"{region_id}-a{n:02d}",
                region_id=region_id,
                name=full,
                short_names=shorts,
                kind=kind,  # type: ignore[arg-type]
                slug=slug,
                uscc=_uscc(rng, area6),
                area_code=f"{code_base}{n:03d}{rng.randrange(1000):03d}",
                order=n,
            )
        )

    add(f"{name}人民政府", (f"{level}政府", f"{name}政府"), "government", "zf")
    office, others = DEPARTMENTS[0], list(DEPARTMENTS[1:])
    depts = [office, *sorted(rng.sample(others, n_dept - 1), key=DEPARTMENTS.index)]
    for d in depts:
        full = f"{name}{d.full}"
        shorts = (f"{level}{d.short}", d.short) if d.short != d.full else (f"{level}{d.full}", d.full)
        add(full, shorts, "department", d.slug)
    taken: set[str] = set()
    slugs: set[str] = set()
    for _ in range(n_town):
        place, initials = _place_name(rng, taken)
        r = rng.random()
        if level == "区" and r < 0.7 or level == "县" and r < 0.15:
            town, suffix, slug_suffix = f"{place}街道", "办事处", "jd"
        elif r < 0.75:
            town, suffix, slug_suffix = f"{place}镇", "人民政府", "z"
        else:
            town, suffix, slug_suffix = f"{place}乡", "人民政府", "x"
        slug = initials + slug_suffix
        while slug in slugs:
            slug += "1"
        slugs.add(slug)
        add(f"{name}{town}{suffix}", (f"{town}{suffix}", town), "township", slug)
    return agencies


def _on_time_date(rng: random.Random, year: int, due: date, kind: str) -> date:
    """§3/§6: most reports appear 10–31 January (~10% on the last two days before the deadline);
    government reports arrive February–March."""
    if kind == "government":
        start = date(year + 1, 2, 10)
    else:
        start = date(year + 1, 1, 5)
    if rng.random() < 0.10:
        return due - timedelta(days=rng.randrange(2))
    span = (due - start).days
    # Triangular toward the middle/late part of the window, like the observed medians (16–23 Jan).
    return start + timedelta(days=int(rng.triangular(0, span, span * 0.6)))


def _title(variant: str, agency: Agency, year: int) -> str:
    full = agency.name
    if agency.kind == "township" and variant != "canonical":
        full = agency.short_names[0]  # towns usually drop the county: 木场乡人民政府2023年度…
    return {
        "canonical": f"{agency.name}{year}年政府信息公开工作年度报告",
        "year_first": f"{year}年{full}政府信息公开工作年度报告",
        "niandu": f"{full}{year}年度政府信息公开工作年度报告",
        "no_gongzuo": f"{full}{year}年政府信息公开年度报告",
        "abbreviated": f"{agency.short}{year}年政府信息公开工作年度报告",
        "generic": f"{year}年政府信息公开工作年度报告",
        "dup_year": f"{year}{full}{year}年度政府信息公开工作年度报告",
        "work_report": f"{full}{year}年政府信息公开年度工作报告",
    }[variant]


@dataclass
class _Serials:
    n: int = 0

    def next(self) -> int:
        self.n += 1
        return self.n


def _time(rng: random.Random) -> str:
    return f"{rng.randrange(8, 18):02d}:{rng.randrange(60):02d}"


def _make_reports(region: Region, rng: random.Random, serials: _Serials, defect_keys: Sequence[str]) -> None:
    """Decide every (agency, year) report: existence, timing, form, title, defects."""
    form_pref = {a.id: rng.choices(DOC_FORMS, DOC_FORM_WEIGHTS)[0] for a in region.agencies}
    title_pref = {a.id: rng.choices(TITLE_VARIANTS, TITLE_WEIGHTS)[0] for a in region.agencies}
    # One size per agency: a bureau with no applications stays at zero year after year, and the
    # generator's carry-over (X-CARRY) between consecutive years only holds within one size class.
    size_pref = {a.id: rng.choices(("zero", "typical", "large"), (0.1, 0.75, 0.15))[0] for a in region.agencies}
    reports: list[ReportItem] = []
    for year in region.years:
        for a in region.agencies:
            due = region.due(a.kind, year)
            r = rng.random()
            timing: str
            if r < 0.03:
                timing = "never"
            elif r < 0.12:
                timing = "late"
            elif r < 0.15:
                timing = "backdated"
            elif r < 0.17 and year <= region.years[-1] - 2:
                timing = "migrated"
            else:
                timing = "on_time"
            form = form_pref[a.id] if rng.random() < 0.7 else rng.choices(DOC_FORMS, DOC_FORM_WEIGHTS)[0]
            variant = title_pref[a.id] if rng.random() < 0.6 else rng.choices(TITLE_VARIANTS, TITLE_WEIGHTS)[0]
            size = size_pref[a.id]
            spec_seed = rng.randrange(1 << 30)
            defects = _pick_defects(rng, defect_keys, a, year, spec_seed, size)
            folder_year = year if rng.random() > 0.06 else year + rng.choice((-1, 1))
            reports.append(
                ReportItem(
                    id=f"{a.id}-{year}",
                    serial=serials.next(),
                    region_id=region.id,
                    title=_title(variant, a, year),
                    year=year,
                    appears_on=None,
                    shown_date=None,
                    url_date=None,
                    shown_time=_time(rng),
                    filed_under=a.id if region.unit_columns else None,
                    in_central=region.central_columns and (not region.unit_columns or rng.random() < 0.9),
                    folder_year=folder_year,
                    group=a.group,
                    agency_id=a.id,
                    kind=a.kind,
                    doc_form=form,  # type: ignore[arg-type]
                    notice_only=form != "html" and rng.random() < 0.5,
                    title_variant=variant,
                    timing=timing,  # type: ignore[arg-type]
                    defects=defects,
                    spec_seed=spec_seed,
                    size=size,
                )
            )
    _force_special_timings(region, reports, rng)
    region.reports = [_date_report(region, rep, rng) for rep in reports]
    _add_changes_and_removals(region, rng)
    _misfile_one(region, rng)


def _pick_defects(
    rng: random.Random, keys: Sequence[str], agency: Agency, year: int, spec_seed: int, size: str
) -> tuple[str, ...]:
    """0–2 injected defects (about a third of reports carry some).  A combination the generator
    refuses (two defects needing the same table, format.outdated before 2021 …) falls back to its
    first defect, then to none: the generator is the judge of what can be written."""
    n = rng.choices((0, 1, 2), (0.67, 0.25, 0.08))[0]
    # content.no_text is what a scanned (pdf-image) document is; the document form carries it.
    pool = [k for k in keys if k != "content.no_text"]
    if not n or not pool:
        return ()
    picked = tuple(sorted(rng.sample(pool, min(n, len(pool)))))
    for candidate in (picked, picked[:1]):
        if _generator_accepts(candidate, agency.name, agency.kind, year, size, spec_seed):
            return candidate
    return ()


_ACCEPTED: dict[tuple[object, ...], bool] = {}


def _generator_accepts(defects: tuple[str, ...], agency: str, kind: str, year: int, size: str, seed: int) -> bool:
    """Whether make_spec writes this combination.  Its refusals depend on the defects, the year's
    format, the kind and the size, not on the seed, so each combination is tried once per process
    (make_spec costs milliseconds; a benchmark world has thousands of defective reports)."""
    key = (defects, year, kind, size)
    if key not in _ACCEPTED:
        from simweb.reportgen import make_spec

        try:
            make_spec(seed, agency=agency, kind=kind, year=year, defects=defects, size=size)
            _ACCEPTED[key] = True
        except ValueError:
            _ACCEPTED[key] = False
    return _ACCEPTED[key]


def _force_special_timings(region: Region, reports: list[ReportItem], rng: random.Random) -> None:
    """Every region gets at least one late, never-published and backdated report in its latest
    year, so that every region exercises the on-time logic (when it has enough units)."""
    latest = [i for i, r in enumerate(reports) if r.year == region.years[-1] and r.kind != "government"]
    if len(latest) < 8:
        return
    present = {reports[i].timing for i in latest}
    pool = [i for i in latest if reports[i].timing == "on_time"]
    rng.shuffle(pool)
    for timing in ("late", "never", "backdated"):
        if timing not in present and pool:
            i = pool.pop()
            reports[i] = replace(reports[i], timing=timing)


def _date_report(region: Region, rep: ReportItem, rng: random.Random) -> ReportItem:
    due = region.due(rep.kind, rep.year)
    if rep.timing == "never":
        return rep
    on_time = _on_time_date(rng, rep.year, due, rep.kind)
    if rep.timing == "late":
        appears = due + timedelta(days=rng.choice((rng.randrange(1, 30), rng.randrange(30, 120))))
        shown: date | None = appears
        url = appears
    elif rep.timing == "backdated":
        # Appears weeks after the deadline, but the CMS date (list, URL, page) is set back.
        appears = due + timedelta(days=rng.randrange(10, 60))
        shown = url = on_time
    elif rep.timing == "migrated":
        # A site migration re-created the article: the page keeps the old date, the URL and the
        # list carry the migration date (晋安, 舒兰).  It was public since the original date.
        appears = shown = on_time
        url = date(rep.year + 2, 1, 1) + timedelta(days=rng.randrange(150, 500))
    else:
        appears = shown = url = on_time
    if rng.random() < 0.05:
        shown = None  # 「发布时间: |」: only the URL/list date is left
    return replace(rep, appears_on=appears, shown_date=shown, url_date=url)


def _add_changes_and_removals(region: Region, rng: random.Random) -> None:
    published = [i for i, r in enumerate(region.reports) if r.appears_on is not None and r.timing != "migrated"]
    if not published:
        return
    latest_year = region.years[-1]
    latest = [i for i in published if region.reports[i].year == latest_year]
    n = max(1, round(len(published) * 0.03))
    changed = set(rng.sample(published, min(n, len(published))))
    removed = set(rng.sample(published, min(max(1, n // 2), len(published)))) - changed
    # Make sure the latest year shows both, so a clock walk through it sees them happen.
    if latest:
        if not changed & set(latest):
            changed.add(rng.choice(latest))
        if not removed & set(latest):
            cands = [i for i in latest if i not in changed]
            if cands:
                removed.add(rng.choice(cands))
    for i in changed:
        r = region.reports[i]
        region.reports[i] = replace(r, changed_on=r.appears_on + timedelta(days=rng.randrange(5, 40)))
    for i in removed:
        r = region.reports[i]
        region.reports[i] = replace(r, removed_on=r.appears_on + timedelta(days=rng.randrange(20, 120)))


def _misfile_one(region: Region, rng: random.Random) -> None:
    """白城 style: one department report sits in another department's column, not its own."""
    if not region.unit_columns:
        return
    depts = [a for a in region.agencies if a.kind == "department"]
    if len(depts) < 4:
        return
    cands = [i for i, r in enumerate(region.reports) if r.kind == "department" and r.appears_on is not None]
    i = rng.choice(cands)
    r = region.reports[i]
    host = rng.choice([a for a in depts if a.id != r.agency_id])
    region.reports[i] = replace(r, filed_under=host.id, misfiled=True)


def _make_noise(region: Region, rng: random.Random, serials: _Serials) -> None:
    """Items in 年报 columns that are not an agency's report (§2.3 negatives)."""
    gov = region.government
    units = region.agencies[1:]
    noise: list[NoiseItem] = []

    def add(kind: str, title: str, year: int, agency: Agency | None, central: bool, **extra: Any) -> None:
        day = date(year + 1, 1, 1) + timedelta(days=rng.randrange(5, 100))
        about = by_id.get(extra.get("about_id", ""))
        if about is not None and about.appears_on is not None:
            day = about.appears_on + timedelta(days=rng.randrange(0, 6))  # a 解读 follows its report
        filed = agency.id if (agency is not None and region.unit_columns) else None
        if filed is None and not region.central_columns:
            filed = gov.id  # no central column: the government's own column carries it
        noise.append(
            NoiseItem(
                id=f"{region.id}-n{len(noise):03d}",
                serial=serials.next(),
                region_id=region.id,
                title=title,
                year=year,
                appears_on=day,
                shown_date=day,
                url_date=day,
                shown_time=_time(rng),
                filed_under=filed,
                in_central=region.central_columns and (central or filed is None),
                folder_year=year,
                group=agency.group if agency is not None else "gov",
                kind=kind,
                agency_id=agency.id if agency is not None else None,
                **extra,
            )
        )

    by_id = {r.id: r for r in region.reports}
    for year in region.years:
        gov_report = by_id.get(f"{gov.id}-{year}")
        if gov_report is not None and gov_report.appears_on is not None:
            add("jiedu", f"《{gov.name}{year}年政府信息公开工作年度报告》解读", year, gov, True, about_id=gov_report.id)
        dept = rng.choice(units)
        rep = by_id.get(f"{dept.id}-{year}")
        if rep is not None and rep.appears_on is not None and rng.random() < 0.5:
            add("jiedu", f"图解：{dept.name}{year}年政府信息公开工作年度报告", year, dept, False, about_id=rep.id)
        add("work_points", f"{gov.name}{year + 1}年政务公开工作要点", year, gov, True)
        if rng.random() < 0.6:
            add("fazhi", f"{gov.name}{year}年法治政府建设年度报告", year, gov, True)
        if rng.random() < 0.5:
            higher = rng.choice((region.city, region.province))
            add(
                "higher_level",
                f"{higher}{year}年政府信息公开工作年度报告",
                year,
                None,
                True,
                spec_seed=rng.randrange(1 << 30),
                about_name=f"{higher}人民政府" if higher.endswith("市") else f"{higher}人民政府",
            )
        if rng.random() < 0.5:
            unit = rng.choice(units)
            add("news", f"{unit.bare}召开{year + 1}年度政务公开工作推进会", year, unit, False)
        if rng.random() < 0.3:
            unit = rng.choice(units)
            add("explanation", f"关于{unit.name}{year}年政府信息公开工作年度报告的说明", year, unit, False)
        if rng.random() < 0.3:
            unit = rng.choice(units)
            add("budget", f"{unit.name}{year + 1}年部门预算公开", year, unit, True)
    region.noise = noise


def _random_faults(rng: random.Random, profile: str) -> Faults:
    if profile == "none":
        return NO_FAULTS
    transient = Faults(
        transient_share=rng.choice((0.05, 0.1, 0.2)),
        transient_kinds=tuple(rng.sample(TRANSIENT_KINDS, rng.randrange(1, 4))),
        transient_repeat=rng.choice((1, 1, 2)),
    )
    if profile == "transient":
        return transient
    if profile != "mixed":
        raise ValueError(f"unknown fault profile {profile!r} (none, transient, mixed)")
    r = rng.random()
    if r < 0.55:
        return transient
    if r < 0.62:
        return Faults(robots_disallow=True)
    if r < 0.69:
        return Faults(challenge=True)
    if r < 0.74:
        return Faults(dead_host=True)
    if r < 0.84:
        return replace(transient, dead_years=(0,), dead_year_mode=rng.choice(("404", "home")))
    if r < 0.92:
        return replace(transient, trap=rng.choice(("calendar", "query")))
    return replace(transient, redirect_loop=True)


def _faults_from(value: Any) -> Faults:
    if isinstance(value, Faults):
        return value
    if isinstance(value, Mapping):
        data = dict(value)
        for k in ("transient_kinds", "dead_years"):
            if k in data:
                data[k] = tuple(data[k])
        return Faults(**data)
    raise TypeError(f"faults must be a Faults or a mapping, not {type(value).__name__}")


def _defect_keys() -> tuple[str, ...]:
    from simweb.reportgen import DEFECTS

    return tuple(sorted(DEFECTS))


def build_world(
    seed: int,
    n_regions: int,
    *,
    today: date,
    families: Sequence[str] | None = None,
    years: Iterable[int] | None = None,
    scale: str | Scale = "demo",
    faults: str = "none",
    encodings: Sequence[str] | None = None,
    overrides: Mapping[int, Mapping[str, Any]] | None = None,
    defects: Sequence[str] | None = None,
) -> World:
    """Build the world for `seed`.  Same arguments → same world, in any process.

    families: family names to deal out round-robin (from a seed-chosen offset); default every
        registered family, in simweb.families.family_names() order.
    years: report years; default 2019 … today.year-1.
    scale: "demo" | "full" | "bench" or a Scale.
    faults: "none" | "transient" | "mixed" — random per-region fault profile.
    encodings: encodings to draw from per region; default mostly UTF-8 with each GBK variant.
    overrides: region index → fields to force: family, encoding, faults (Faults or mapping),
        departments, townships, central_columns, unit_columns, township_due, options.
    defects: the defect keys to inject; default every key of simweb.reportgen.DEFECTS.
    """
    if n_regions < 1:
        raise ValueError("n_regions must be ≥ 1")
    if families is None:
        from simweb.families import family_names

        families = family_names()
    families = list(families)
    if not families:
        raise ValueError("no site family available")
    years_t = tuple(sorted(set(years))) if years is not None else tuple(range(2019, today.year))
    if not years_t:
        raise ValueError("no report years")
    sc = SCALES[scale] if isinstance(scale, str) else scale
    defect_keys = tuple(sorted(defects)) if defects is not None else _defect_keys()
    overrides = overrides or {}
    world_rng = _rng(seed, "world")
    offset = world_rng.randrange(len(families))
    regions: list[Region] = []
    taken: set[str] = set()
    for i in range(n_regions):
        ov = dict(overrides.get(i, {}))
        rng = _rng(seed, "region", i)
        place, _ = _place_name(rng, taken)
        level = "区" if rng.random() < 0.4 else "县"
        city, _ = _place_name(rng, taken)
        area6 = f"{rng.randrange(11, 66)}{rng.randrange(1, 30):02d}{rng.randrange(1, 30):02d}"
        if encodings is None:
            encoding = rng.choices(ENCODINGS, (0.7, 0.1, 0.1, 0.1))[0]
        else:
            encoding = rng.choice(list(encodings))
        f = _faults_from(ov["faults"]) if "faults" in ov else _random_faults(rng, faults)
        if f.dead_years == (0,):
            f = replace(f, dead_years=(years_t[0],))
        n_dept = ov.get("departments", rng.randint(*sc.departments))
        n_town = ov.get("townships", rng.randint(*sc.townships))
        central = ov.get("central_columns", rng.random() < 0.85)
        unit_cols = ov.get("unit_columns", (not central) or rng.random() < 0.9)
        if f.dead_years:
            unit_cols = True  # dead central years must not make reports unreachable
        region = Region(
            index=i,
            id=f"r{i + 1:02d}",
            name=place + level,
            level=level,
            city=city + "市",
            province=rng.choice(PROVINCES),
            seed=rng.randrange(1 << 30),
            family=ov.get("family", families[(i + offset) % len(families)]),
            encoding=ov.get("encoding", encoding),
            faults=f,
            years=years_t,
            central_columns=central,
            unit_columns=unit_cols,
            township_due=tuple(ov.get("township_due", (1, 31) if rng.random() < 0.85 else (2, 20))),  # type: ignore[arg-type]
            options=dict(ov.get("options", {})),
        )
        if region.encoding not in ENCODINGS:
            raise ValueError(f"unknown encoding {region.encoding!r}")
        region.agencies = _make_agencies(rng, region.id, region.name, level, area6, n_dept, n_town)
        serials = _Serials(rng.randrange(100, 900) * 10)
        _make_reports(region, rng, serials, defect_keys)
        _make_noise(region, rng, serials)
        region._index()
        regions.append(region)
    return World(seed=seed, today=today, years=years_t, regions=regions)
