"""Lists only scripts build: which calls to try for a shell page, when to render it, what the browser asked.

A page whose raw HTML shows nothing to follow but carries scripts (inline or `<script src>`) or frames
builds its content at view time (site-archetypes.md §4 "Shells and redirects", §5 A8(e)).  For such a
page, cheapest first:

1. the calls a sibling page taught (crawlers/api_learner.ShellTemplates: unit pages of one directory).
   Siblings arrive together, so while the first of them is being learnt the others wait for it;
2. the data endpoints its scripts spell out literally — inline, and in the external script files, which
   are fetched once per crawl;
3. only when none of those lists a row: render the page once in Chromium (scrapy-playwright), and record
   every data call the browser makes (XHR, fetch, JSONP scripts) on the region's hosts.  The rendered DOM is
   read like any page; the recorded calls go to the API learner, which pages the rest over plain HTTP.

This component only decides and remembers; the spider (crawlers/spiders/reports.py) makes the requests.
Its state is plain data, kept in the spider's state across a graceful stop.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from crawlers import script_pager
from crawlers.api_learner import Call, ShellTemplates, named_calls
from crawlers.context import Ctx
from crawlers.script_pager import Scheme

# Browser requests that can be list data: XHR and fetch calls, and scripts with a query (JSONP).
DATA_TYPES = ("xhr", "fetch")


@dataclass
class Probe:
    """A shell page being probed: calls and script files still out, rows they listed, where it sits."""

    ctx: Ctx
    text: str = ""  # the page's raw HTML: what its siblings are told by, and where its values are
    pending: int = 0
    rows: int = 0
    tried: set[str] = field(default_factory=set)  # call keys already asked for this page
    derived: set[str] = field(default_factory=set)  # those a sibling taught: an empty answer is an answer


@dataclass(frozen=True)
class Waiting:
    """A shell page waiting for its first sibling to be learnt."""

    url: str
    ctx: Ctx
    text: str
    inline: list[str]
    script_srcs: list[str]


class ScriptedLists:
    def __init__(self) -> None:
        self.templates = ShellTemplates()
        self.probes: dict[str, Probe] = {}  # shell page URL → its probe
        self.rendered: set[str] = set()  # pages asked of the browser (each once)
        self.captured: dict[str, list[Call]] = {}  # rendered page URL → data calls its browser made
        self.script_text: dict[str, str | None] = {}  # script URL → its text (None: asked, not back yet)
        self.script_waiters: dict[str, list[str]] = {}  # script URL → shell pages waiting for it
        self.leaders: dict[str, str] = {}  # template key → the sibling being learnt first
        self.settled: set[str] = set()  # template keys whose first sibling is done (learnt or not)
        self.waiting: dict[str, list[Waiting]] = {}  # template key → siblings waiting for the first
        # Page bars only scripts draw (crawlers/script_pager.py), by the key of the script that draws them:
        self.pager_schemes: dict[str, Scheme] = {}  # learnt from one rendered bar
        self.pager_leaders: dict[str, tuple[str, list[str]]] = {}  # key → the list rendered to learn it, its scripts
        self.pager_waiting: dict[str, list[tuple[str, Ctx, list[str]]]] = {}  # key → lists waiting for it

    # -- probing ---------------------------------------------------------------------------------------

    def start(self, page_url: str, ctx: Ctx, text: str, inline: list[str],
              script_srcs: list[str]) -> tuple[list[Call], list[str]] | None:
        """Begin probing a shell page (`text`: its raw HTML): the calls to try now and the script files to
        fetch first; None when a sibling is being learnt first (handed back by `release` once it is done)."""
        if page_url in self.probes or page_url in self.rendered:
            return [], []
        key = self.templates.key(page_url, text)
        if key is not None and key not in self.settled:
            leader = self.leaders.setdefault(key, page_url)
            if leader != page_url:
                self.waiting.setdefault(key, []).append(Waiting(page_url, ctx, text, inline, script_srcs))
                return None
        probe = self.probes[page_url] = Probe(ctx, text)
        derived = self.templates.derive(page_url, text)
        probe.derived = {call_key(call) for call in derived}
        calls = derived + named_calls(inline, page_url)
        scripts: list[str] = []
        for src in script_srcs:
            text = self.script_text.get(src, False)
            if text is False:  # never asked: fetch it
                self.script_text[src] = None
                self.script_waiters[src] = [page_url]
                scripts.append(src)
                probe.pending += 1
            elif text is None:  # asked for another page, not back yet
                self.script_waiters[src].append(page_url)
                probe.pending += 1
            else:
                calls += named_calls([text], page_url)
        return self._new_calls(probe, calls), scripts

    def script_arrived(self, src: str, text: str) -> dict[str, list[Call]]:
        """A script file came back (text "" when it could not be fetched): the calls it names, per waiting page."""
        self.script_text[src] = text
        out: dict[str, list[Call]] = {}
        for page_url in self.script_waiters.pop(src, []):
            probe = self.probes[page_url]
            probe.pending -= 1
            out[page_url] = self._new_calls(probe, named_calls([text], page_url)) if text else []
        return out

    def _new_calls(self, probe: Probe, calls: list[Call]) -> list[Call]:
        fresh = []
        for call in calls:
            key = call_key(call)
            if key not in probe.tried:
                probe.tried.add(key)
                fresh.append(call)
        probe.pending += len(fresh)
        return fresh

    def answered(self, page_url: str, rows: int, key: str = "", listed: bool = False) -> bool:
        """One probe call (`key`) of `page_url` came back with `rows` rows that lead on (`listed`: it answered
        with a list at all, perhaps of nothing we want, perhaps empty): True when the page must now be rendered
        (nothing is out any more and nothing listed a row).  Any list from a call a sibling taught is the page's
        answer (a column of other years, or with nothing in it yet); from a call guessed off a script only rows
        that lead on prove it was the right call."""
        probe = self.probes.get(page_url)
        if probe is None:
            return False
        probe.pending -= 1
        probe.rows += rows or (listed and key in probe.derived)
        return self.exhausted(page_url)

    def exhausted(self, page_url: str) -> bool:
        probe = self.probes.get(page_url)
        return probe is not None and probe.pending <= 0 and probe.rows == 0 and page_url not in self.rendered

    def finished(self, page_url: str) -> bool:
        """Nothing of the page's probe is out any more."""
        probe = self.probes.get(page_url)
        return probe is not None and probe.pending <= 0

    def release(self, page_url: str) -> list[Waiting]:
        """The first sibling of a shell family is done (rendered and learnt, or its probes listed rows, or it
        failed): the siblings that waited, to be probed now — with what it taught, if anything."""
        probe = self.probes.get(page_url)
        key = self.templates.key(page_url, probe.text) if probe is not None else None
        if key is None or self.leaders.get(key) != page_url or key in self.settled:
            return []
        self.settled.add(key)
        return self.waiting.pop(key, [])

    # -- page bars only scripts draw -------------------------------------------------------------------

    def drawn_pages(self, page_url: str, html: str, scripts: list[str], ctx: Ctx) -> list[str] | None:
        """Later pages of a list whose bar a script draws: computed when the script's scheme is known; None
        when the list must wait for (or be) the one rendered to learn it — `pager_leader` says which."""
        key = script_pager.key(page_url, html) or page_url
        scheme = self.pager_schemes.get(key)
        if scheme is not None:
            return script_pager.apply(scheme, page_url, scripts)
        leader = self.pager_leaders.setdefault(key, (page_url, scripts))
        if leader[0] != page_url:
            self.pager_waiting.setdefault(key, []).append((page_url, ctx, scripts))
        return None

    def pager_leader(self, page_url: str) -> bool:
        return any(url == page_url for url, _ in self.pager_leaders.values())

    def pager_drawn(self, page_url: str, pages: list[str]) -> tuple[Scheme | None, list[tuple[str, Ctx, list[str]]]]:
        """The browser drew the bar of `page_url` (the leader), linking `pages`: the scheme learnt (if any) and
        the lists that waited for it."""
        for key, (url, scripts) in list(self.pager_leaders.items()):
            if url == page_url:
                scheme = script_pager.learn(page_url, scripts, pages)
                if scheme is not None:
                    self.pager_schemes[key] = scheme
                    return scheme, self.pager_waiting.pop(key, [])
                # It teaches nothing (its bar showed too little): the next list of this script is drawn to learn
                # from, the others go on waiting.
                waiting = self.pager_waiting.get(key, [])
                if not waiting:
                    del self.pager_leaders[key]
                    return None, []
                nxt = waiting.pop(0)
                self.pager_leaders[key] = (nxt[0], nxt[2])
                return None, [nxt]
        return None, []

    # -- the browser -------------------------------------------------------------------------------------

    def render(self, page_url: str) -> bool:
        """True the first time a page is to be rendered (each page goes to the browser once)."""
        if page_url in self.rendered:
            return False
        self.rendered.add(page_url)
        return True

    def capture(self, page_url: str, call: Call) -> None:
        calls = self.captured.setdefault(page_url, [])
        if call not in calls:
            calls.append(call)

    def learnt(self, page_url: str, asked: str) -> list[Call]:
        """The data calls the browser made rendering `page_url` (asked for as `asked`, once); each also becomes
        a template for the page's siblings."""
        calls = self.captured.pop(page_url, [])
        probe = self.probes.get(asked)
        for call in calls:
            if probe is not None:
                self.templates.learn(asked, probe.text, call)
        return calls


def call_key(call: Call) -> str:
    return f"{call.method} {call.url} {call.body or ''}"


def browser_call(request: Any, owns: Any) -> Call | None:
    """A Playwright request as a Call, when it can be list data on the region's hosts (owns(url) → bool)."""
    kind = request.resource_type
    if kind not in DATA_TYPES and not (kind == "script" and "?" in request.url):
        return None
    if request.is_navigation_request() or not owns(request.url):
        return None
    return Call.of(request.method, request.url, request.post_data, dict(request.headers))
