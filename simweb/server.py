"""Serving a world: every region host on its own 127.0.0.1 port, one process, one event loop.

Each region gets an aiohttp application per host its family asks for ("www", optionally a "gk"
disclosure subdomain or a "files" attachment host), wrapped in the fault middleware, plus one admin
application for the whole world:

    GET  /__admin/today              {"today": "2024-03-01"}
    POST /__admin/today              body {"today": "2024-02-01"} (JSON or form) → moves the clock
    GET  /__admin/manifest[?today=D][&rules=0]  the ground-truth manifest (simweb/manifest.py;
                                     rules=0 skips the per-report expected checker rules)
    GET  /__admin/regions            [{"id", "name", "family", "portal_url"}]
    GET  /__admin/traffic            {"requests": n, "bytes": n} served by the region hosts so far

Every region host answers conditional GETs like a well-configured real server: a 200 carries a strong
ETag (a hash of its body), and a GET whose If-None-Match names the current ETag gets 304 with no body.
So a re-check can cost a crawler (and the government's server) headers only when nothing changed, and an
edited document changes its ETag — the ETag comes from the bytes, never from a date that could lie.

`SimServer` is the in-loop API (`await start()` / `await stop()`); `SimWeb` runs one in a background
thread for tests and scripts (`SimWeb(world, today=…).start()` … `.stop()`).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import socket
import threading
from datetime import date
from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler

from simweb.clock import Clock
from simweb.content import ContentSource
from simweb.faults import FaultState, make_middleware
from simweb.families import FAMILIES, Family, Site, Url
from simweb.model import World
from simweb.traps import add_trap_routes

LOCALHOST = "127.0.0.1"


@web.middleware
async def conditional_get(request: web.Request, handler: Handler) -> web.StreamResponse:
    """ETag on every complete 200 body; 304 when the client's If-None-Match names it."""
    resp = await handler(request)
    body = getattr(resp, "body", None)
    if request.method != "GET" or resp.status != 200 or not isinstance(body, bytes):
        return resp
    etag = '"' + hashlib.sha1(body).hexdigest() + '"'
    resp.headers["ETag"] = etag
    asked = {tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")}
    if etag in asked or "*" in asked:
        return web.Response(status=304, headers={"ETag": etag})
    return resp


class Traffic:
    """Requests and body bytes the region hosts served: what a crawl cost the sites (benchmarks)."""

    def __init__(self) -> None:
        self.requests = 0
        self.bytes = 0

    def snapshot(self) -> dict[str, int]:
        return {"requests": self.requests, "bytes": self.bytes}

    def middleware(self) -> Any:
        @web.middleware
        async def count(request: web.Request, handler: Handler) -> web.StreamResponse:
            self.requests += 1
            resp = await handler(request)
            body = getattr(resp, "body", None)
            self.bytes += len(body) if isinstance(body, bytes) else (resp.content_length or 0)
            return resp

        return count


def reserve_dead_port() -> int:
    """A port nothing listens on (a 'dead host'): bind, read the number, close."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((LOCALHOST, 0))
        return s.getsockname()[1]


class SimServer:
    def __init__(
        self,
        world: World,
        *,
        today: date | None = None,
        delay_ms: tuple[int, int] | None = None,
        cache_dir: Path | None = None,
        base_port: int | None = None,
    ) -> None:
        self.world = world
        self.clock = Clock(today or world.today)
        self.content = ContentSource(world, cache_dir=cache_dir)
        self.state = FaultState(delay_ms)
        self.traffic = Traffic()
        self.base_port = base_port
        self._next_port = base_port
        self._families: dict[str, Family] = {}
        self._runners: list[web.AppRunner] = []
        self.admin_url = ""

    # -- Resolver (simweb/manifest.py) ---------------------------------------------------------

    def family(self, region_id: str) -> Family:
        return self._families[region_id]

    def base_urls(self, region_id: str) -> dict[str, str]:
        return self._families[region_id].site.base_urls

    # -- lifecycle -------------------------------------------------------------------------------

    async def _listen(self, app: web.Application) -> int:
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await runner.setup()
        port = 0
        if self._next_port is not None:
            port = self._next_port
            self._next_port += 1
        site = web.TCPSite(runner, LOCALHOST, port)
        await site.start()
        self._runners.append(runner)
        return runner.addresses[-1][1]

    async def start(self) -> None:
        for region in self.world.regions:
            cls = FAMILIES.get(region.family)
            if cls is None:
                raise ValueError(f"region {region.id}: unknown site family {region.family!r} (have: {', '.join(FAMILIES)})")
            site = Site(self.world, region, self.clock, self.content)
            family = cls(site)
            self._families[region.id] = family
            for host in family.hosts():
                if region.faults.dead_host:
                    site.base_urls[host] = f"http://{LOCALHOST}:{reserve_dead_port()}"
                    continue
                app = web.Application(
                    middlewares=[self.traffic.middleware(), make_middleware(family, host, self.state), conditional_get]
                )
                if host == "www":
                    add_trap_routes(site, app.router)
                family.setup(host, app)
                site.base_urls[host] = f"http://{LOCALHOST}:{await self._listen(app)}"
        admin = web.Application()
        admin.router.add_get("/__admin/today", self._get_today)
        admin.router.add_post("/__admin/today", self._post_today)
        admin.router.add_get("/__admin/manifest", self._get_manifest)
        admin.router.add_get("/__admin/regions", self._get_regions)
        admin.router.add_get("/__admin/traffic", self._get_traffic)
        self.admin_url = f"http://{LOCALHOST}:{await self._listen(admin)}"
        self.world.resolver = self

    async def stop(self) -> None:
        for runner in self._runners:
            await runner.cleanup()
        self._runners.clear()
        if self.world.resolver is self:
            self.world.resolver = None

    # -- conveniences ----------------------------------------------------------------------------

    @property
    def portal_urls(self) -> dict[str, str]:
        return {rid: f.site.absolute(f.home_url()) for rid, f in self._families.items()}

    def url(self, region_id: str, url: Url) -> str:
        return self._families[region_id].site.absolute(url)

    def set_today(self, today: date) -> None:
        self.clock.set(today)

    def manifest(self, today: date | None = None, *, rules: bool = True) -> dict[str, Any]:
        return self.world.manifest(today or self.clock.today, rules=rules)

    # -- admin handlers --------------------------------------------------------------------------

    async def _get_today(self, request: web.Request) -> web.Response:
        return web.json_response({"today": self.clock.today.isoformat()})

    async def _post_today(self, request: web.Request) -> web.Response:
        raw: Any = None
        if request.content_type == "application/json":
            try:
                raw = (await request.json()).get("today")
            except (ValueError, AttributeError):
                raw = None
        else:
            raw = (await request.post()).get("today") or request.query.get("today")
        try:
            new = date.fromisoformat(str(raw))
        except ValueError:
            return web.json_response({"error": f"today must be YYYY-MM-DD, got {raw!r}"}, status=400)
        self.clock.set(new)
        return web.json_response({"today": new.isoformat()})

    async def _get_manifest(self, request: web.Request) -> web.Response:
        raw = request.query.get("today")
        try:
            today = date.fromisoformat(raw) if raw else self.clock.today
        except ValueError:
            return web.json_response({"error": f"today must be YYYY-MM-DD, got {raw!r}"}, status=400)
        rules = request.query.get("rules", "1") not in ("0", "false", "no")
        # Off the event loop: a benchmark world's manifest takes seconds and the sites keep serving.
        body = await asyncio.get_running_loop().run_in_executor(
            None, lambda: json.dumps(self.manifest(today, rules=rules), ensure_ascii=False)
        )
        return web.Response(text=body, content_type="application/json")

    async def _get_traffic(self, request: web.Request) -> web.Response:
        return web.json_response(self.traffic.snapshot())

    async def _get_regions(self, request: web.Request) -> web.Response:
        return web.json_response(
            [
                {"id": r.id, "name": r.name, "family": r.family, "portal_url": self.portal_urls[r.id]}
                for r in self.world.regions
            ]
        )


class SimWeb:
    """A SimServer on its own event loop in a background thread (tests, scripts, benchmarks)."""

    def __init__(self, world: World, **kwargs: Any) -> None:
        self.server = SimServer(world, **kwargs)
        self.world = world
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> "SimWeb":
        ready = threading.Event()
        error: list[BaseException] = []

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(self.server.start())
            except BaseException as exc:  # reported to the starting thread
                error.append(exc)
                ready.set()
                loop.close()
                return
            ready.set()
            loop.run_forever()
            loop.run_until_complete(self.server.stop())
            loop.close()

        self._thread = threading.Thread(target=run, name="simweb", daemon=True)
        self._thread.start()
        ready.wait()
        if error:
            raise error[0]
        return self

    def stop(self) -> None:
        if self._loop is not None and self._thread is not None and self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=30)

    def __enter__(self) -> "SimWeb":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def portal_urls(self) -> dict[str, str]:
        return self.server.portal_urls

    @property
    def admin_url(self) -> str:
        return self.server.admin_url

    @property
    def today(self) -> date:
        return self.server.clock.today

    def set_today(self, today: date) -> None:
        self.server.set_today(today)

    def manifest(self, today: date | None = None, *, rules: bool = True) -> dict[str, Any]:
        return self.server.manifest(today, rules=rules)

    def traffic(self) -> dict[str, int]:
        """Requests and body bytes served by the region hosts so far."""
        return self.server.traffic.snapshot()

    def family(self, region_id: str) -> Family:
        return self.server.family(region_id)

    def url(self, region_id: str, url: Url) -> str:
        return self.server.url(region_id, url)
