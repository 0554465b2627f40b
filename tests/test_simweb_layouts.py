"""Every family serves both region layouts the world can draw: only a central 年报 column (no unit
pages) and only the units' own columns (no central column).

The builder draws `central_columns` and `unit_columns` per region (simweb/builder.py: about 15% of
regions have no central column, some have no unit columns), so a family must build, serve and write
its manifest for each: every agency still has a URL, and a walk from the portal reaches exactly what
the columns list.  Ground truth: the manifest's columns and `entries_today`.
"""

from __future__ import annotations

from datetime import date

import pytest

from simweb.families import family_names
from simweb.model import build_world
from simweb.server import SimWeb
from tests.simweb_checks import check_walk_reaches_listed, region
from tests.simweb_fixtures import _cache_dir
from tests.test_simweb_families import EXPANDERS as LIST_EXPANDERS

TODAY = date(2024, 6, 1)
LAYOUTS = {"central-only": (True, False), "units-only": (False, True)}


@pytest.mark.parametrize("layout", list(LAYOUTS))
@pytest.mark.parametrize("family", family_names())
def test_a_region_with_one_kind_of_column_is_served_and_walked(request, family, layout):
    central, units = LAYOUTS[layout]
    world = build_world(31, 1, today=TODAY, families=[family], years=[2022, 2023],
                        overrides={0: {"departments": 6, "townships": 3, "central_columns": central,
                                       "unit_columns": units, "faults": {}}})
    with SimWeb(world, today=TODAY, cache_dir=_cache_dir(request.config)) as sim:
        m = region(sim)
        assert all(a.get("url") for a in m["agencies"])
        assert {c["key"][0] for c in m["columns"]} == {"c" if central else "u"}
        check_walk_reaches_listed(m, LIST_EXPANDERS.get(family))
