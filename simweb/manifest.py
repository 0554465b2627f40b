"""The ground-truth manifest: every agency, report and non-report item, with its URLs.

A crawler's output is scored against this, so it states facts from the world model — never what a
crawl happened to see.  URLs come from the serving families' pure URL functions (the same ones
their handlers are built from), so what the manifest says is served is served.

Per report: agency, kind, year, the shown title, form, the day it really appeared, the date it shows,
the date in its URL, when it changed or vanished, its injected defects (in the document as first
published; the edit of a changed report removes them) and the rules a checker must report on the
document as served on `today` (from the generator's spec), where it is listed, its
canonical URL, every duplicate and attachment URL, the deadline and the true status on `today`
(on_time / late / missing / pending — judged on the day it really appeared, so a backdated report is
late).  `visible` says whether it can be fetched on `today`.  A region whose faults block plain HTTP
(robots, challenge, dead host) is flagged `blocked`: a polite plain crawler must call it unknown.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol

from simweb.content import expected_rules
from simweb.model import Entry, NoiseItem, Region, ReportItem, World


class Resolver(Protocol):
    """What the running server provides to turn model entries into URLs."""

    def family(self, region_id: str) -> Any: ...  # the Family instance serving the region

    def base_urls(self, region_id: str) -> dict[str, str]: ...


def _d(d: date | None) -> str | None:
    return d.isoformat() if d is not None else None


def true_status(region: Region, rep: ReportItem, today: date) -> str:
    due = region.due(rep.kind, rep.year)
    if rep.appears_on is None or rep.appears_on > today:
        return "missing" if today > due else "pending"
    return "on_time" if rep.appears_on <= due else "late"


def _urls(family: Any, base: dict[str, str], entry: Entry) -> dict[str, Any]:
    if family is None or entry.appears_on is None:  # never published: no URL at all
        return {}
    urls = family.entry_urls(entry)

    def full(u) -> str:
        return base[u.host] + u.path

    return {
        "canonical_url": full(urls.canonical),
        "duplicate_urls": [full(u) for u in urls.duplicates],
        "attachment_urls": [full(u) for u in urls.attachments],
        "urls": [full(urls.canonical), *(full(u) for u in urls.duplicates)],
    }


def _report(
    region: Region, rep: ReportItem, today: date, family: Any, base: dict[str, str], rules: bool
) -> dict[str, Any]:
    agency = region.agency(rep.agency_id)
    return {
        "id": rep.id,
        "agency_id": agency.id,
        "agency": agency.name,
        "kind": agency.kind,
        "year": rep.year,
        "title": rep.title,
        "title_variant": rep.title_variant,
        "doc_form": rep.doc_form,
        "notice_only": rep.notice_only,
        "timing": rep.timing,
        "due": region.due(rep.kind, rep.year).isoformat(),
        "appears_on": _d(rep.appears_on),
        "shown_date": _d(rep.shown_date),
        "url_date": _d(rep.url_date),
        "changed_on": _d(rep.changed_on),
        "removed_on": _d(rep.removed_on),
        "version_today": rep.version_on(today),
        "visible": rep.visible(today),
        "status": true_status(region, rep, today),
        "defects": list(rep.defects),
        **({"expected_rules": expected_rules(region, rep, rep.version_on(today))} if rules else {}),
        "filed_under": rep.filed_under,
        "misfiled": rep.misfiled,
        "in_central": rep.in_central,
        "folder_year": rep.folder_year,
        **_urls(family, base, rep),
    }


def _noise(region: Region, item: NoiseItem, today: date, family: Any, base: dict[str, str]) -> dict[str, Any]:
    return {
        "id": item.id,
        "kind": item.kind,
        "title": item.title,
        "year": item.year,
        "agency_id": item.agency_id,
        "about": item.about_id,
        "appears_on": _d(item.appears_on),
        "shown_date": _d(item.shown_date),
        "removed_on": _d(item.removed_on),
        "visible": item.visible(today),
        "filed_under": item.filed_under,
        "in_central": item.in_central,
        "folder_year": item.folder_year,
        **_urls(family, base, item),
    }


def region_manifest(region: Region, today: date, resolver: Resolver | None, rules: bool = True) -> dict[str, Any]:
    family = resolver.family(region.id) if resolver is not None else None
    base = resolver.base_urls(region.id) if resolver is not None else {}
    out: dict[str, Any] = {
        "id": region.id,
        "name": region.name,
        "level": region.level,
        "city": region.city,
        "province": region.province,
        "family": region.family,
        "variant": family.describe() if family is not None else {},
        "encoding": region.encoding,
        "faults": region.faults.to_json(),
        "blocked": region.faults.blocks_plain_http,
        "central_columns": region.central_columns,
        "unit_columns": region.unit_columns,
        "township_due": f"{region.township_due[0]:02d}-{region.township_due[1]:02d}",
        "labels": region.labels.to_json(),
        "hosts": dict(base),
    }
    if family is not None:
        out["portal_url"] = base["www"] + family.home_url().path
        out["columns"] = [
            {
                "key": c.key,
                "url": base[family.column_url(c).host] + family.column_url(c).path,
                "entries_today": [e.id for e in region.column_entries(c, today)],
            }
            for c in region.columns()
        ]
    out["agencies"] = [
        {
            "id": a.id,
            "name": a.name,
            "short_names": list(a.short_names),
            "kind": a.kind,
            "slug": a.slug,
            "uscc": a.uscc,
            **({"url": base[family.agency_url(a).host] + family.agency_url(a).path} if family is not None else {}),
        }
        for a in region.agencies
    ]
    out["reports"] = [_report(region, r, today, family, base, rules) for r in region.reports]
    out["noise"] = [_noise(region, n, today, family, base) for n in region.noise]
    return out


def build_manifest(world: World, today: date, resolver: Resolver | None, rules: bool = True) -> dict[str, Any]:
    """rules=False leaves out `expected_rules` (it builds every report's spec: seconds for a
    benchmark world the first time)."""
    return {
        "seed": world.seed,
        "today": today.isoformat(),
        "built_for": world.today.isoformat(),
        "years": list(world.years),
        "regions": [region_manifest(r, today, resolver, rules) for r in world.regions],
    }
