"""pytest plugin: the simulated government web on free 127.0.0.1 ports.

`simweb_factory(**kwargs)` builds a world (every `build_world` keyword; `seed`, `regions`, `today`
have defaults) and serves it in a background thread until the test ends; `delay_ms` and
`cache_dir` go to the server.  The returned `SimWeb` has `portal_urls`, `admin_url`, `world`,
`manifest()`, `set_today(date)`, `family(region_id)` and `url(region_id, Url)`.

`report_bytes(sim, report_id)` is the ground truth for a served attachment: the generator's
rendering of that report as it stands on the server's today.

Rendered attachments (PDF, DOCX, DOC via LibreOffice: ~1 s each) are cached on disk in pytest's
cache directory, so only the first run pays for them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from simweb.content import RENDER_FORMAT, report_spec
from simweb.model import build_world
from simweb.reportgen import render
from simweb.server import SimWeb

DEFAULT_TODAY = date(2024, 6, 1)


def _start(cache_dir: Path | None, seed: int = 1, regions: int = 1, today: date = DEFAULT_TODAY, **kwargs: Any) -> SimWeb:
    server_kw = {k: kwargs.pop(k) for k in ("delay_ms",) if k in kwargs}
    server_kw["cache_dir"] = kwargs.pop("cache_dir", cache_dir)
    world = build_world(seed, regions, today=today, **kwargs)
    return SimWeb(world, today=today, **server_kw).start()


def _cache_dir(config: pytest.Config) -> Path | None:
    cache = getattr(config, "cache", None)  # None under `-p no:cacheprovider`: memory only
    return Path(cache.mkdir("simweb-docs")) if cache is not None else None


@pytest.fixture
def simweb_factory(request: pytest.FixtureRequest) -> Iterator[Callable[..., SimWeb]]:
    started: list[SimWeb] = []

    def factory(**kwargs: Any) -> SimWeb:
        sim = _start(_cache_dir(request.config), **kwargs)
        started.append(sim)
        return sim

    yield factory
    for sim in started:
        sim.stop()


def report_bytes(sim: SimWeb, report_id: str, region_index: int = 0) -> bytes:
    """The document file as the generator renders it for the report's version on `sim.today`."""
    region = sim.world.regions[region_index]
    entry = region.entry(report_id)
    return render(report_spec(region, entry, entry.version_on(sim.today)), RENDER_FORMAT[entry.doc_form])
