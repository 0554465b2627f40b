"""pytest plugin: the simulated government web on free 127.0.0.1 ports.

`simweb_factory(**kwargs)` builds a world (every `build_world` keyword; `seed`, `regions`, `today`
have defaults) and serves it in a background thread until the test ends; `delay_ms` and
`cache_dir` go to the server.  The returned `SimWeb` has `portal_urls`, `admin_url`, `world`,
`manifest()`, `set_today(date)`, `family(region_id)` and `url(region_id, Url)`.

`simweb_demo` is one shared read-only demo world for a whole session (do not move its clock).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest

from simweb.model import build_world
from simweb.server import SimWeb

DEFAULT_TODAY = date(2024, 6, 1)


def _start(seed: int = 1, regions: int = 1, today: date = DEFAULT_TODAY, **kwargs: Any) -> SimWeb:
    server_kw = {k: kwargs.pop(k) for k in ("delay_ms", "cache_dir") if k in kwargs}
    world = build_world(seed, regions, today=today, **kwargs)
    return SimWeb(world, today=today, **server_kw).start()


@pytest.fixture
def simweb_factory() -> Iterator[Callable[..., SimWeb]]:
    started: list[SimWeb] = []

    def factory(**kwargs: Any) -> SimWeb:
        sim = _start(**kwargs)
        started.append(sim)
        return sim

    yield factory
    for sim in started:
        sim.stop()


@pytest.fixture(scope="session")
def simweb_demo() -> Iterator[SimWeb]:
    sim = _start(seed=2024, regions=3)
    yield sim
    sim.stop()
