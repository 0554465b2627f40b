"""Deadlines against report-format.md §0/§1.3: the legal rule for every kind × year class, local
overrides, and the optional weekend/holiday extension (dates checked against the 2024/2025 calendars)."""

from datetime import date

import pytest

from monitor.deadlines import NATIONAL, DeadlineRules, MonthDay, Override

# (kind, report year, due) — straight from the table in report-format.md §0.
LEGAL = [
    # 2007 regulation, art. 31: every agency by 31 March of Y+1 (report years 2008–2018).
    ("government", 2008, date(2009, 3, 31)),
    ("department", 2008, date(2009, 3, 31)),
    ("township", 2008, date(2009, 3, 31)),
    ("government", 2018, date(2019, 3, 31)),
    ("department", 2018, date(2019, 3, 31)),
    ("township", 2018, date(2019, 3, 31)),
    # 2019 regulation, art. 49: departments 31 January, the government 31 March; township default 31 January.
    ("government", 2019, date(2020, 3, 31)),
    ("department", 2019, date(2020, 1, 31)),
    ("township", 2019, date(2020, 1, 31)),
    ("government", 2023, date(2024, 3, 31)),
    ("department", 2023, date(2024, 1, 31)),
    ("township", 2023, date(2024, 1, 31)),
]


@pytest.mark.parametrize(("kind", "year", "due"), LEGAL)
def test_national_rule(kind, year, due):
    deadline = NATIONAL.deadline(kind, year)
    assert deadline.due == due
    assert deadline.statutory == due
    assert not deadline.extended
    assert deadline.basis  # every deadline says which rule it comes from


def test_basis_names_the_regulation():
    assert "2007" in NATIONAL.deadline("department", 2018).basis
    assert "第四十九条第一款" in NATIONAL.deadline("department", 2019).basis
    assert "第四十九条第二款" in NATIONAL.deadline("government", 2019).basis
    assert "乡镇" in NATIONAL.deadline("township", 2019).basis


def test_township_deadline_is_configurable_from_2019_only():
    rules = DeadlineRules(township=MonthDay(2, 20))
    assert rules.due("township", 2021) == date(2022, 2, 20)
    assert rules.due("township", 2018) == date(2019, 3, 31)  # the 2007 rule still governs 2018
    assert rules.due("department", 2021) == date(2022, 1, 31)
    assert rules.due("government", 2021) == date(2022, 3, 31)


def test_overrides_by_kind_and_years_later_wins():
    rules = DeadlineRules(
        overrides=(
            Override(first_year=2021, last_year=2023, due=MonthDay(1, 28), kind="department"),
            Override(first_year=2022, last_year=2022, due=date(2023, 2, 15)),  # every kind, exact date
        )
    )
    assert rules.due("department", 2021) == date(2022, 1, 28)
    assert rules.due("department", 2022) == date(2023, 2, 15)
    assert rules.due("government", 2022) == date(2023, 2, 15)
    assert rules.due("department", 2023) == date(2024, 1, 28)
    assert rules.due("government", 2023) == date(2024, 3, 31)
    assert rules.due("department", 2020) == date(2021, 1, 31)
    assert "本地区规定" in rules.deadline("department", 2021).basis


def test_override_can_apply_to_old_regulation_years():
    # 八道江区 (report-format.md §1.2) required publication by 2 February before 2019.
    rules = DeadlineRules(overrides=(Override(2008, 2018, MonthDay(2, 1)),))
    assert rules.due("township", 2010) == date(2011, 2, 1)


def test_no_extension_by_default():
    # 2024-03-31 was a Sunday; the regulation is silent, so the deadline does not move.
    assert date(2024, 3, 31).weekday() == 6
    assert NATIONAL.due("government", 2023) == date(2024, 3, 31)


def test_weekend_extension_when_configured():
    rules = DeadlineRules(holiday_extension=True)
    deadline = rules.deadline("government", 2023)
    assert deadline.due == date(2024, 4, 1)  # Monday
    assert deadline.statutory == date(2024, 3, 31)
    assert deadline.extended and "顺延" in deadline.basis
    assert rules.due("department", 2023) == date(2024, 1, 31)  # a Wednesday: unchanged


def test_holiday_extension_uses_the_regions_calendar():
    # Spring Festival 2025: 28 January – 4 February off; Saturday 8 February a make-up working day.
    holidays = frozenset(date(2025, 1, d) for d in range(28, 32)) | frozenset(date(2025, 2, d) for d in range(1, 5))
    rules = DeadlineRules(holiday_extension=True, holidays=holidays, workdays=frozenset({date(2025, 2, 8)}))
    assert rules.due("department", 2024) == date(2025, 2, 5)
    saturday = DeadlineRules(
        holiday_extension=True,
        workdays=frozenset({date(2025, 2, 8)}),
        overrides=(Override(2024, 2024, MonthDay(2, 8)),),
    )
    assert saturday.due("department", 2024) == date(2025, 2, 8)


@pytest.mark.parametrize(("kind", "year"), [("government", 2007), ("bureau", 2023)])
def test_invalid_questions_raise(kind, year):
    with pytest.raises(ValueError):
        NATIONAL.deadline(kind, year)


def test_override_validation():
    with pytest.raises(ValueError):
        Override(2021, 2022, date(2022, 1, 28))  # one exact date for two report years
    with pytest.raises(ValueError):
        Override(2021, 2021, MonthDay(1, 28), kind="county")
    with pytest.raises(ValueError):
        MonthDay(2, 30)
