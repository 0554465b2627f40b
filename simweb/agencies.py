"""Invent a region's agencies: the government, its departments and its 乡镇/街道, with names,
path slugs, 统一社会信用代码 and area codes, all drawn from the region's random stream."""

from __future__ import annotations

import random

from simweb.names import DEPARTMENTS, PLACE_CHARS
from simweb.records import Agency


def place_name(rng: random.Random, taken: set[str]) -> tuple[str, str]:
    while True:
        (c1, i1), (c2, i2) = rng.sample(PLACE_CHARS, 2)
        if c1 + c2 not in taken:
            taken.add(c1 + c2)
            return c1 + c2, i1 + i2


def _uscc(rng: random.Random, area6: str) -> str:
    digits = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = "".join(rng.choice("0123456789") for _ in range(8)) + rng.choice(digits)
    return "11" + area6 + body + rng.choice(digits)


def make_agencies(
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
        place, initials = place_name(rng, taken)
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
