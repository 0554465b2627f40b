"""The deadline calendar (what the daily re-check crawls) and the jobs' fire times, against hand-computed
dates.

Region 示例区 watches report year 2023 with the township deadline moved to 20 February.  Its 2023
deadlines (report-format.md §1.3, deadlines.py): departments 2024-01-31, the people's government
2024-03-31, townships 2024-02-20.  With the default cadence (daily from 14 days before to 28 days after a
deadline) the daily windows are therefore:

    示例区商务局 (department, unpublished)   2024-01-17 .. 2024-02-28
    某某街道办事处 (township, unpublished)    2024-02-06 .. 2024-03-19
    示例区人民政府 (government, unpublished)  2024-03-17 .. 2024-04-28
    示例区教育局 (department, published on time 2024-01-20): never daily

Every scenario below has a complete crawl the day before (so the weekly rule stays quiet): it found the
教育局 report and not the others.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from monitor.regions import parse_regions
from monitor.scheduler.calendar import DEFAULT_CADENCE, daily_window, due_crawls, full_crawls
from monitor.scheduler.jobs import crawl_args
from monitor.scheduler.runner import Options, job_specs
from monitor.status import judge
from monitor.store import Store

REGION = "示例区"
CONFIG = f"""
regions:
  - name: {REGION}
    portal_url: http://127.0.0.1:9/
    years: 2023
    deadlines:
      township: "02-20"
"""
UNPUBLISHED = {"示例区商务局": "department", "某某街道办事处": "township", "示例区人民政府": "government"}
PUBLISHED = "示例区教育局"

# day → agencies looked for daily (hand-computed from the windows in the module docstring)
DAILY = {
    date(2024, 1, 16): set(),
    date(2024, 1, 17): {"示例区商务局"},
    date(2024, 2, 5): {"示例区商务局"},
    date(2024, 2, 6): {"示例区商务局", "某某街道办事处"},
    date(2024, 2, 28): {"示例区商务局", "某某街道办事处"},
    date(2024, 2, 29): {"某某街道办事处"},
    date(2024, 3, 16): {"某某街道办事处"},
    date(2024, 3, 17): {"某某街道办事处", "示例区人民政府"},
    date(2024, 3, 19): {"某某街道办事处", "示例区人民政府"},
    date(2024, 3, 20): {"示例区人民政府"},
    date(2024, 4, 28): {"示例区人民政府"},
    date(2024, 4, 29): set(),
}


def _store(path: Path, regions, crawls: dict[date, str]) -> Store:
    """A store with the region's agencies and one crawl per given day (`finished`, `failed`, or `listing`:
    a finished listing-first re-check)."""
    store = Store.open(path)
    region = regions[0]
    store.upsert_region(region.name, region.portal_url, region.to_mapping())
    for name, kind in {**UNPUBLISHED, PUBLISHED: "department"}.items():
        store.upsert_agency(REGION, name, kind)
    for day, state in sorted(crawls.items()):
        run = store.start_run(REGION, day)
        url = "http://127.0.0.1:9/nb/jyj.html"
        rid = store.record_report(run, PUBLISHED, 2023, url, published_on="2024-01-20", published_on_source="meta")
        store.record_document(run, rid, url, "html", hashlib.sha256(b"jyj").hexdigest())
        for name in UNPUBLISHED:
            store.record_looked(run, name, [2023])
        stats = {"years": [2023], "mode": "listing" if state == "listing" else "full"}
        store.finish_run(run, stats, error="crawl stopped: shutdown" if state == "failed" else None)
    return store


@pytest.mark.parametrize("today", sorted(DAILY), ids=str)
def test_daily_rechecks_follow_each_agency_s_deadline_window(tmp_path, today):
    regions = parse_regions(CONFIG)
    with _store(tmp_path / "m.db", regions, {today - timedelta(days=1): "finished"}) as store:
        statuses = judge(store, today)
        due = due_crawls(regions, statuses, store.runs(as_of=today), today)
    expected = DAILY[today]
    if not expected:
        assert due == []
        return
    (crawl,) = due
    assert (crawl.region, crawl.portal_url, crawl.years) == (REGION, "http://127.0.0.1:9/", (2023,))
    assert set(crawl.agencies) == expected
    assert crawl.reason.startswith("daily")
    assert crawl.listing_first and "--listing-first" in crawl_args(crawl, today, "m.db", [])
    # the statuses that made them due: pending up to the deadline, missing after it (looked yesterday)
    by_agency = {s.agency: s for s in statuses}
    for name in expected:
        assert by_agency[name].status == ("pending" if today <= by_agency[name].due else "missing")


def test_the_windows_are_the_documented_ones():
    assert daily_window(date(2024, 1, 31)) == (date(2024, 1, 17), date(2024, 2, 28))
    assert daily_window(date(2024, 3, 31)) == (date(2024, 3, 17), date(2024, 4, 28))
    assert (DEFAULT_CADENCE.before, DEFAULT_CADENCE.after, DEFAULT_CADENCE.weekly) == (14, 28, 7)


def test_weekly_otherwise_and_never_crawled_regions_are_crawled_in_full(tmp_path):
    regions = parse_regions(CONFIG)
    quiet = date(2024, 1, 10)  # no deadline window open
    with _store(tmp_path / "a.db", regions, {}) as store:
        (crawl,) = due_crawls(regions, judge(store, quiet), store.runs(as_of=quiet), quiet)
        assert (crawl.years, crawl.reason) == ((2023,), "never crawled to completion")
    with _store(tmp_path / "b.db", regions, {date(2024, 1, 4): "finished"}) as store:
        assert due_crawls(regions, judge(store, quiet), store.runs(as_of=quiet), quiet) == []  # 6 days ago
        day7 = date(2024, 1, 11)
        (crawl,) = due_crawls(regions, judge(store, day7), store.runs(as_of=day7), day7)
        assert crawl.reason == "weekly: last complete crawl 2024-01-04"
    # a failed crawl is not a look: the region counts as never crawled to completion
    with _store(tmp_path / "c.db", regions, {date(2024, 1, 9): "failed"}) as store:
        (crawl,) = due_crawls(regions, judge(store, quiet), store.runs(as_of=quiet), quiet)
        assert crawl.reason == "never crawled to completion"


def test_listing_first_rechecks_do_not_replace_the_weekly_full_crawl(tmp_path):
    """Only a full crawl sees edits the listing does not show and new agencies: daily listing-first runs
    count as today's look, never as the week's full crawl."""
    regions = parse_regions(CONFIG)
    with _store(tmp_path / "m.db", regions, {date(2024, 1, 4): "finished", date(2024, 1, 10): "listing"}) as store:
        day7 = date(2024, 1, 11)
        (crawl,) = due_crawls(regions, judge(store, day7), store.runs(as_of=day7), day7)
        assert (crawl.reason, crawl.listing_first) == ("weekly: last complete crawl 2024-01-04", False)
        assert "--listing-first" not in crawl_args(crawl, day7, "m.db", [])
        assert [c.region for c in full_crawls(regions, store.runs(as_of=date(2024, 1, 10)), date(2024, 1, 10))] == [REGION]
    with _store(tmp_path / "n.db", regions, {date(2024, 1, 9): "listing"}) as store:
        (crawl,) = due_crawls(regions, judge(store, day7), store.runs(as_of=day7), day7)
        assert crawl.reason == "never crawled to completion" and not crawl.listing_first


def test_a_region_crawled_today_for_those_years_is_not_crawled_again(tmp_path):
    regions = parse_regions(CONFIG)
    today = date(2024, 2, 10)  # 商务局 and the township are in their windows
    with _store(tmp_path / "m.db", regions, {date(2024, 2, 9): "finished", today: "finished"}) as store:
        assert due_crawls(regions, judge(store, today), store.runs(as_of=today), today) == []
        assert full_crawls(regions, store.runs(as_of=today), today) == []
        tomorrow = today + timedelta(days=1)
        assert [c.region for c in full_crawls(regions, store.runs(as_of=tomorrow), tomorrow)] == [REGION]


def test_full_check_crawls_every_region_for_all_its_years():
    regions = parse_regions(CONFIG + """
  - name: 开放区
    portal_url: http://127.0.0.1:8/
    years: "2021-"
  - name: 默认区
    portal_url: http://127.0.0.1:7/
""")
    today = date(2024, 5, 6)
    crawls = full_crawls(regions, [], today)
    # "2021-" runs through the latest reportable year (2023 on 2024-05-06); no years → the crawl's three latest
    assert [(c.region, c.years) for c in crawls] == [
        (REGION, (2023,)), ("开放区", (2021, 2022, 2023)), ("默认区", (2021, 2022, 2023))]


def _next(spec_id: str, now: datetime) -> datetime:
    options = Options(config=Path("r.yaml"), db=Path("m.db"), jobs=Path("s.db"), digest_dir=Path("d"))
    spec = next(s for s in job_specs(options) if s.id == spec_id)
    return spec.trigger.get_next_fire_time(None, now)


UTC = timezone.utc


@pytest.mark.parametrize("now, expected", [
    # Wednesday noon UTC → Monday 2024-01-22 08:00 Beijing = 00:00 UTC
    (datetime(2024, 1, 17, 12, 0, tzinfo=UTC), datetime(2024, 1, 22, 0, 0, tzinfo=UTC)),
    # Sunday 23:59:59 UTC is already Monday 07:59:59 in Beijing: one second to go
    (datetime(2024, 1, 21, 23, 59, 59, tzinfo=UTC), datetime(2024, 1, 22, 0, 0, tzinfo=UTC)),
    # exactly at the fire time: that instant
    (datetime(2024, 1, 22, 0, 0, tzinfo=UTC), datetime(2024, 1, 22, 0, 0, tzinfo=UTC)),
    # Monday 09:00 Beijing: next week
    (datetime(2024, 1, 22, 1, 0, tzinfo=UTC), datetime(2024, 1, 29, 0, 0, tzinfo=UTC)),
    # Monday 07:00 UTC is 15:00 Beijing; Sunday 2024-12-29 → Monday 2024-12-30 (year end)
    (datetime(2024, 12, 29, 3, 0, tzinfo=UTC), datetime(2024, 12, 30, 0, 0, tzinfo=UTC)),
])
def test_digest_fires_mondays_at_08_00_beijing(now, expected):
    fire = _next("digest", now)
    assert fire == expected
    assert fire.utcoffset() == timedelta(hours=8)  # expressed in Beijing time


def test_recheck_and_full_check_fire_times():
    now = datetime(2024, 1, 17, 12, 0, tzinfo=UTC)  # 20:00 Beijing, Wednesday
    assert _next("recheck", now) == datetime(2024, 1, 17, 22, 0, tzinfo=UTC)  # Thursday 06:00 Beijing
    assert _next("full-check", now) == datetime(2024, 1, 21, 17, 0, tzinfo=UTC)  # Monday 01:00 Beijing
