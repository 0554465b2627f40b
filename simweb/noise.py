"""The non-report items that sit in 年报 columns (解读, 工作要点, 法治政府 reports, reposted
higher-level reports, news, 说明, budgets): the negatives a crawler must not count as reports."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from simweb.records import Agency, NoiseItem
from simweb.region import Region
from simweb.report_items import Serials, clock_time


def make_noise(region: Region, rng: random.Random, serials: Serials) -> None:
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
                shown_time=clock_time(rng),
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
