"""The simulated government web: fictional county portals that publish annual reports the way real
Chinese government sites do, with a ground-truth manifest to score a crawler against.

Public API:

* `simweb.model.build_world(seed, n_regions, *, today, families=None, years=None, scale="demo",
  faults="none", encodings=None, overrides=None) -> World` — the deterministic world;
* `simweb.server.SimServer(world, today=, delay_ms=, cache_dir=, base_port=)` (in-loop) and
  `simweb.server.SimWeb(world, …).start()` (background thread): every region host on its own
  127.0.0.1 port plus an admin port (`/__admin/today`, `/__admin/manifest`, `/__admin/regions`);
* `World.manifest(today)` / `SimWeb.manifest()` — ground truth (simweb/manifest.py);
* `python -m simweb serve --regions N --seed S --today D` — run it by hand;
* tests/simweb_fixtures.py — the pytest fixture `simweb_factory` and the helpers the crawl tests start worlds with;
* simweb/families/CONTRACT.md — how to write a site family.
"""
