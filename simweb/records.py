"""The records a simulated world is made of: agencies, the items of 年报 columns, columns and
per-site fault knobs, with the vocabulary (document forms, title variants, noise kinds, …) they use.

Pure frozen data: the builder (simweb/builder.py) decides their values from the seed, families
(simweb/families/) serve them, the manifest (simweb/manifest.py) reports them as ground truth.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, Union

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
