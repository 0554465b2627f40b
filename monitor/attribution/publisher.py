"""Which agency published a report: each source a page offers (发布机构/来源, the list, the
breadcrumb, the unit's column, the title, the body heading, the signature), trusted in that order and
resolved through the unit directory, or expanded by the naming rule without one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .directory import Directory
from .facts import AGENCY_FIELDS, REPORT_PHRASE, SOURCE_FIELDS, PageFacts
from .names import CJK, agency_kind, clean_name, expand_name, is_abbreviation, is_foreign, looks_like_agency
from .verdicts import title_agency


@dataclass
class Attribution:
    agency: str | None
    kind: str | None
    source: str | None  # fields | list | crumbs | column | title | heading | signature
    said: dict[str, str] = field(default_factory=dict)  # source → name it gave (for the evidence page)

    def to_dict(self) -> dict[str, object]:
        return {"agency": self.agency, "kind": self.kind, "source": self.source, "said": dict(self.said)}


def signature(body: str) -> str | None:
    """The agency a report body names as its contact or signs with at the end."""
    flat = re.sub(r"\s+", "", body)
    m = re.search(rf"请(?:与|联系)([{CJK}]{{3,40}}?)(?:联系|[（(，,：:。；;]|电话)", flat)
    if m and looks_like_agency(m.group(1)):
        return m.group(1)
    lines = [line.strip() for line in body.splitlines() if line.strip()]
    for line in reversed(lines[-4:]):
        name = clean_name(line)
        if looks_like_agency(name):
            return name
    return None


def attribute(
    facts: PageFacts,
    directory: Directory,
    *,
    column_unit: str | None = None,
    listed_publisher: str | None = None,
) -> Attribution:
    """Name the agency whose report this is (see the module docstring for the order of trust)."""
    region = directory.region
    said: dict[str, str] = {}
    tiers: list[tuple[str, str]] = []

    def offer(source: str, raw: str | None) -> None:
        name = clean_name(raw or "")
        if not name or not (looks_like_agency(name) or directory.resolve(name)):
            return
        said.setdefault(source, name)
        tiers.append((source, name))

    for label in (*AGENCY_FIELDS, *SOURCE_FIELDS):
        offer("fields", facts.fields.get(label))
    offer("fields", facts.meta.get("contentsource"))
    offer("list", listed_publisher)
    for crumb in reversed(facts.crumbs):
        if directory.resolve(crumb) is not None or (looks_like_agency(clean_name(crumb)) and not is_foreign(crumb, region)):
            offer("crumbs", crumb)
            break
    offer("column", column_unit)
    offer("title", title_agency(facts.title) if REPORT_PHRASE.search(facts.title) else None)
    offer("heading", title_agency(facts.heading) if facts.heading else None)
    offer("signature", signature(facts.body))
    if not tiers:
        return Attribution(None, None, None, said)

    resolved = [(src, directory.resolve(name)) for src, name in tiers]
    chosen = next(((src, u) for src, u in resolved if u is not None), None)
    if chosen is not None:
        src, unit = chosen
        if unit.kind == "government" or unit.name.endswith("人民政府办公室"):
            # A portal owner stated as publisher of a unit's report (central columns do this):
            # the document's own title names the real agency.
            named = [u for s, u in resolved if s in ("title", "heading") and u is not None and u.name != unit.name]
            if named:
                return Attribution(named[0].name, named[0].kind, "title", said)
        return Attribution(unit.name, unit.kind, src, said)

    # No directory knows the name: take the most trusted one, preferring a full name a lower tier
    # gives for the same agency (区人社局 → 青川县人力资源和社会保障局 from the body heading).
    src, name = next(((s, n) for s, n in tiers if not is_foreign(n, region)), tiers[0])
    if region and not name.startswith(region):
        fuller = [n for s, n in tiers if n.startswith(region) and is_abbreviation(expand_name(name, region)[len(region):], n[len(region):])]
        name = fuller[0] if fuller else expand_name(name, region)
    if region and src not in ("title", "heading") and is_government_office(name, region):
        # The 政府信息公开工作主管部门 publishes the government's own report (条例 art. 49 ¶2): when the report's
        # own title or heading names the government (「泠江区2022年…」), the office is its publisher, not an
        # agency of its own.  Unless the directory lists the office as a unit (resolved above), or the report's
        # own words name the office (its own report), or name nothing (only the publisher is known).
        own = [expand_name(n, region) for s, n in tiers if s in ("title", "heading")]
        if own and all(n == f"{region}人民政府" for n in own):
            name = f"{region}人民政府"
    return Attribution(name, agency_kind(name, region), src, said)


def is_government_office(name: str, region: str) -> bool:
    """The region government's general office (泠江区人民政府办公室, 县政府办), which publishes on its behalf."""
    full = expand_name(name, region)
    return full.startswith(region) and full[len(region):] in ("人民政府办公室", "政府办公室", "人民政府办", "政府办")
