"""Build a world from a seed: regions, their families, encodings and faults, then their
agencies, reports and noise (simweb/agencies.py, simweb/report_items.py, simweb/noise.py).

Everything here is pure data and arithmetic on the seed: no clock, no network, no rendering.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from simweb.agencies import make_agencies, place_name
from simweb.names import PROVINCES
from simweb.noise import make_noise
from simweb.records import ENCODINGS, NO_FAULTS, TRANSIENT_KINDS, Faults
from simweb.region import SCALES, Region, Scale, World
from simweb.report_items import Serials, make_reports
from simweb.seeding import seeded_rng


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
    world_rng = seeded_rng(seed, "world")
    offset = world_rng.randrange(len(families))
    regions: list[Region] = []
    taken: set[str] = set()
    for i in range(n_regions):
        ov = dict(overrides.get(i, {}))
        rng = seeded_rng(seed, "region", i)
        place, _ = place_name(rng, taken)
        level = "区" if rng.random() < 0.4 else "县"
        city, _ = place_name(rng, taken)
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
        region.agencies = make_agencies(rng, region.id, region.name, level, area6, n_dept, n_town)
        serials = Serials(rng.randrange(100, 900) * 10)
        make_reports(region, rng, serials, defect_keys)
        make_noise(region, rng, serials)
        region.reindex()
        regions.append(region)
    return World(seed=seed, today=today, years=years_t, regions=regions)
