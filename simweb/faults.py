"""Fault middleware: what makes a simulated site as unreliable as a real one.

Applied around every family handler of a host, per the region's `Faults` (simweb/records.py):

* robots.txt — `Disallow: /` when the knob is set, an allow-all file otherwise;
* a 瑞数-like challenge — HTTP 412 with a `$_ts` stub whose script sets a cookie and reloads, so a
  browser gets through and a plain HTTP client never does;
* dead years — the central 年报 pages of those years answer 404 or redirect to the home page;
* transient faults — deterministic but transient: an affected URL (chosen by hash) fails its first N
  requests (500 with an iso-8859-1 error page, a hang that ends in a dropped connection, a body cut
  short of its Content-Length, or a slow answer) and then succeeds, so retries reach 100% recall;
* the realistic delay knob (server-wide), e.g. 100–500 ms per response.

A dead host is not a middleware: the server reserves a port and never listens on it.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from typing import TYPE_CHECKING

from aiohttp import web

from simweb.families.base import normalise_path_qs
from simweb.model import stable_hash

if TYPE_CHECKING:
    from simweb.families.base import Family

CHALLENGE_COOKIE = "FSSBBIl1UgzbN7N80S"

ERROR_500 = (
    b"<html><head><title>500 Internal Server Error</title></head><body>\n"
    b"<h1>Internal Server Error</h1>\n<p>The server encountered an internal error.</p>\n</body></html>\n"
)


def challenge_token(seed: int) -> str:
    return f"{stable_hash(seed, 'challenge'):016x}"


def challenge_page(seed: int) -> str:
    """A ~1 KB 412 stub in the style of 瑞数: `$_ts` data, a `<meta r='m'>` and a script that
    computes the cookie (XOR-obfuscated) and reloads."""
    token = challenge_token(seed)
    key = 23 + seed % 90
    codes = ",".join(str(ord(c) ^ key) for c in token)
    filler = f"{stable_hash(seed, 'cd'):x}" * 6
    return (
        "<!DOCTYPE html><html><head>"
        f"<meta content=\"{filler[:64]}\" r='m'>"
        f'<script type="text/javascript">$_ts=window[\'$_ts\'];if(!$_ts)$_ts={{}};$_ts.nsd={seed % 99991};'
        f'$_ts.cd="{filler}";</script>'
        '<script type="text/javascript">(function(){'
        f"var k={key},a=[{codes}],s='';"
        "for(var i=0;i<a.length;i++){s+=String.fromCharCode(a[i]^k);}"
        f"document.cookie='{CHALLENGE_COOKIE}='+s+';path=/';"
        "location.reload();})();</script>"
        "</head><body></body></html>"
    )


class FaultState:
    """Per-server request counters, so transient faults heal after N requests of a URL."""

    def __init__(self, delay_ms: tuple[int, int] | None = None) -> None:
        self.delay_ms = delay_ms
        self.served = 0  # varies the delay from one response to the next
        # Only URLs picked for a transient fault are counted, so a crawler trap cannot grow this.
        self.counts: defaultdict[tuple[str, str, str], int] = defaultdict(int)


def make_middleware(family: "Family", host: str, state: FaultState):
    site = family.site
    region = family.region
    f = region.faults
    token = challenge_token(region.seed)
    dead: set[tuple[str, str]] = set()
    for year in f.dead_years:
        dead |= {(h, normalise_path_qs(p)) for h, p in family.dead_year_paths(year)}

    @web.middleware
    async def faults(request: web.Request, handler) -> web.StreamResponse:
        key = normalise_path_qs(request.rel_url.raw_path_qs)
        if state.delay_ms:
            lo, hi = state.delay_ms
            state.served += 1
            await asyncio.sleep((lo + stable_hash(region.seed, key, state.served) % (hi - lo + 1)) / 1000)
        if request.path == "/robots.txt":
            text = "User-agent: *\nDisallow: /\n" if f.robots_disallow else "User-agent: *\nDisallow:\n"
            return web.Response(text=text, content_type="text/plain")
        if f.challenge and request.cookies.get(CHALLENGE_COOKIE) != token:
            resp = web.Response(body=challenge_page(region.seed).encode(), status=412)
            resp.headers["Content-Type"] = "text/html; charset=utf-8"
            return resp
        if (host, key) in dead:
            if f.dead_year_mode == "home":
                raise web.HTTPFound(site.absolute(family.home_url()))
            return site.not_found()
        kind = _transient_kind(region.seed, f, host, key)
        if kind is not None:
            n = state.counts[(region.id, host, key)]
            state.counts[(region.id, host, key)] = n + 1
            if n < f.transient_repeat:
                if kind == "500":
                    resp = web.Response(body=ERROR_500, status=500)
                    resp.headers["Content-Type"] = "text/html; charset=iso-8859-1"
                    return resp
                if kind == "timeout":
                    await asyncio.sleep(f.timeout_s)
                    if request.transport is not None:
                        request.transport.close()
                    return web.Response(status=504)
                if kind == "slow":
                    await asyncio.sleep(f.slow_ms / 1000)
                if kind == "truncated":
                    return await _truncated(request, await handler(request))
        return await handler(request)

    return faults


def _transient_kind(seed: int, f, host: str, key: str) -> str | None:
    if not f.transient_share or not f.transient_kinds:
        return None
    h = stable_hash(seed, "transient", host, key)
    if h / 2**64 >= f.transient_share:
        return None
    return f.transient_kinds[h % len(f.transient_kinds)]


async def _truncated(request: web.Request, resp: web.StreamResponse) -> web.StreamResponse:
    """Send the headers with the full Content-Length, half the body, then drop the connection."""
    body = getattr(resp, "body", None)
    if not isinstance(body, bytes) or len(body) < 2 or resp.status >= 300:
        return resp
    out = web.StreamResponse(status=resp.status, headers=resp.headers)
    out.content_length = len(body)
    await out.prepare(request)
    await out.write(body[: len(body) // 2])
    if request.transport is not None:
        request.transport.close()
    return out
