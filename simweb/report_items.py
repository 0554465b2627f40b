"""Decide every (agency, year) report of a region: whether it exists, when it really appeared,
the date it shows, its title variant, document form, injected defects, later edits, removal and
misfiling.  These are the facts the on-time logic and the crawler are scored against.

The order of random draws is part of the world's identity: same seed → same world.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from simweb.records import DOC_FORM_WEIGHTS, DOC_FORMS, TITLE_VARIANTS, TITLE_WEIGHTS, Agency, ReportItem
from simweb.region import Region


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
class Serials:
    n: int = 0

    def next(self) -> int:
        self.n += 1
        return self.n


def clock_time(rng: random.Random) -> str:
    return f"{rng.randrange(8, 18):02d}:{rng.randrange(60):02d}"


def make_reports(region: Region, rng: random.Random, serials: Serials, defect_keys: Sequence[str]) -> None:
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
                    shown_time=clock_time(rng),
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
