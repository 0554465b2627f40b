"""Legal deadlines for the annual report, as data (report-format.md §0 and §1.3).

Why a module of its own: "on time" is the product's headline, and the rule has several layers — the 2007
regulation (every agency by 31 March, report years up to 2018), the 2019 regulation (departments by
31 January, the people's government by 31 March), the township deadline the regulation leaves to local
practice, and local rules that are stricter.  Keeping the rule as data (`DeadlineRules`, built from a
region's config by `monitor.regions`) lets one function answer "when was this due, and why" for every
caller: the judge, the dashboard, the scheduler deciding when to re-check.

Deadlines are inclusive: a report published on the due date is on time.  Whether a deadline that falls on
a weekend or public holiday moves to the next working day is not settled by the regulation, so the
extension is off by default and a region can switch it on (with its own holiday calendar, since Chinese
holidays and make-up working days change every year).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

KINDS: tuple[str, ...] = ("government", "department", "township")
"""government = the county/district people's government itself; department = its 局/委/办;
township = 乡镇 and 街道 (interface.md)."""

FIRST_REPORT_YEAR = 2008
"""The 2007 regulation came into force on 2008-05-01: the first annual report covers 2008."""

LAST_OLD_REGULATION_YEAR = 2018
"""Reports for 2018 were due on 2019-03-31, before the 2019 regulation took effect on 2019-05-15."""

_KIND_LABELS = {"government": "本级人民政府", "department": "政府部门", "township": "乡镇（街道）"}


@dataclass(frozen=True)
class MonthDay:
    """A due day in the year after the report year (e.g. 01-31 → 31 January of Y+1)."""

    month: int
    day: int

    def __post_init__(self) -> None:
        # 2024 is a leap year, so 02-29 is accepted here and rejected for the years lacking it.
        date(2024, self.month, self.day)

    def in_year(self, year: int) -> date:
        return date(year, self.month, self.day)

    def __str__(self) -> str:
        return f"{self.month:02d}-{self.day:02d}"


@dataclass(frozen=True)
class Override:
    """A local rule replacing the statutory deadline for some report years (and one kind, or all).

    `due` is either a month-day in Y+1 (applies to every year of the range) or an exact date (then the
    range must be a single year, since one date cannot be the deadline of several report years).
    """

    first_year: int
    last_year: int
    due: MonthDay | date
    kind: str | None = None

    def __post_init__(self) -> None:
        if self.kind is not None and self.kind not in KINDS:
            raise ValueError(f"unknown agency kind {self.kind!r}")
        if self.first_year > self.last_year:
            raise ValueError(f"empty year range {self.first_year}-{self.last_year}")
        if isinstance(self.due, date) and self.first_year != self.last_year:
            raise ValueError("an exact due date needs a single report year")

    def applies(self, kind: str, year: int) -> bool:
        return (self.kind is None or self.kind == kind) and self.first_year <= year <= self.last_year

    def due_for(self, year: int) -> date:
        return self.due if isinstance(self.due, date) else self.due.in_year(year + 1)


@dataclass(frozen=True)
class Deadline:
    """The deadline of one kind × report year, with the rule it comes from (shown to users as 'why')."""

    kind: str
    year: int
    due: date
    statutory: date
    basis: str

    @property
    def extended(self) -> bool:
        return self.due != self.statutory


@dataclass(frozen=True)
class DeadlineRules:
    """Everything that decides deadlines in one region.  The default is the national rule."""

    township: MonthDay = MonthDay(1, 31)
    overrides: tuple[Override, ...] = ()
    holiday_extension: bool = False
    holidays: frozenset[date] = field(default_factory=frozenset)
    workdays: frozenset[date] = field(default_factory=frozenset)
    """Weekend days that are working days (调休), which a deadline does not skip."""

    def deadline(self, kind: str, year: int) -> Deadline:
        if kind not in KINDS:
            raise ValueError(f"unknown agency kind {kind!r} (expected one of {', '.join(KINDS)})")
        if year < FIRST_REPORT_YEAR:
            raise ValueError(f"no annual report is due for {year}: the first report year is {FIRST_REPORT_YEAR}")
        statutory, basis = self._statutory(kind, year)
        due = self._extend(statutory) if self.holiday_extension else statutory
        if due != statutory:
            basis = f"{basis}；截止日 {statutory.isoformat()} 为休息日，顺延至 {due.isoformat()}"
        return Deadline(kind=kind, year=year, due=due, statutory=statutory, basis=basis)

    def due(self, kind: str, year: int) -> date:
        return self.deadline(kind, year).due

    def _statutory(self, kind: str, year: int) -> tuple[date, str]:
        # Later overrides win, so a config can state a general local rule and then its exceptions.
        for override in reversed(self.overrides):
            if override.applies(kind, year):
                due = override.due_for(year)
                return due, f"本地区规定：{_KIND_LABELS[kind]}{year}年度报告于 {due.isoformat()} 前公布"
        if year <= LAST_OLD_REGULATION_YEAR:
            return date(year + 1, 3, 31), "2007年《政府信息公开条例》第三十一条：各级行政机关于每年3月31日前公布"
        if kind == "government":
            return date(year + 1, 3, 31), "《政府信息公开条例》（2019）第四十九条第二款：本级人民政府年报于每年3月31日前公布"
        if kind == "department":
            return date(year + 1, 1, 31), "《政府信息公开条例》（2019）第四十九条第一款：政府部门于每年1月31日前公布"
        return (
            self.township.in_year(year + 1),
            f"条例未规定乡镇（街道）时限，按本地区配置：次年 {self.township.month}月{self.township.day}日前公布",
        )

    def _extend(self, day: date) -> date:
        while day in self.holidays or (day.weekday() >= 5 and day not in self.workdays):
            day += timedelta(days=1)
        return day


NATIONAL = DeadlineRules()
"""The national rule with the default township deadline (31 January) and no holiday extension."""
