"""Learning a site's list API from one call and its answer, then paging it over plain HTTP.

Many 年报 lists and unit directories are drawn by scripts from a data endpoint (site-archetypes.md §1.9
and §5 A8: JSON behind JS shells, JSONP with a Referer, POST JSON bodies, APIs named only in an external
`<script src>` file).  Whatever the CMS, such an endpoint is learnt the same way, from a call a browser made
(crawlers/spiders/browser.py captures them) or one a script names literally (`named_calls`):

* the answer: JSON, JSONP, XML with CDATA records or HTML inside JSON.  Rows are the objects of a list
  that carry a URL-shaped value and a text-shaped value (whatever the keys are called), with a date when
  one of their values is a date or a Unix time; HTML fragments are read as links;
* the paging parameter, wherever it lives: the query string, a JSON document inside a query parameter, a
  form body or a JSON body — a page number (page, pageNo, pageIndex, currpage …), or a record offset with
  its window (startrecord/endrecord, start/limit).  The window is the site's own: servers cap it (truecms
  answers nothing above 50), so it is never widened;
* how far to page: the answer's page count or total when it states one, else page by page until a page
  brings no new rows (or the server ignores the parameter and answers page 1 again);
* the call's headers are kept (Referer, X-Requested-With, Content-Type): endpoints refuse calls without them.

A shell page learnt once teaches its siblings (`ShellTemplates`): unit pages of one directory share a
script and differ only in a query value (`unit.html?unitId=…`) that reappears in the API call, so the
other units' calls are derived without a browser.

Plain Python, no Scrapy: the learnt paging travels in the payload request's `data`, which is what the
listing records keep, so a listing-first re-check replays learnt APIs without a browser.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

from crawlers.adapters.base import Adapter, Fetch, Listing, Row, html_rows, resolve, unix_day
from crawlers.page_reader import ELLIPSIS
from monitor.attribution import parse_date

KIND = "api"
MAX_PAGES = 200
# Names under which list APIs take their page number, record offset, end of window and window size.
PAGE_KEY = re.compile(r"^(?:p|pn|cur|current|page|pageno|pagenum|pagenumber|pageindex|currpage|currentpage|curpage|nowpage)$", re.I)
START_KEY = re.compile(r"^(?:start|startrecord|startindex|startrow|startnum|offset|from|begin|first)$", re.I)
END_KEY = re.compile(r"^(?:end|endrecord|endindex|endrow|endnum|to|last)$", re.I)
SIZE_KEY = re.compile(r"^(?:size|pagesize|limit|rows|perpage|ps|length|num|pagelimit|count)$", re.I)
# Names under which answers state their extent.
PAGES_KEY = re.compile(r"^(?:pages|totalpage|totalpages|pagecount|pagetotal|totalpagenum|pagenums)$", re.I)
TOTAL_KEY = re.compile(r"^(?:total|totalcount|totalrecord|totalrecords|recordcount|totalnum|totalsize|totalelements|totalrow|totalrows)$", re.I)
TEXT_TOTAL = re.compile(r"共\s*(\d+)\s*(条|页)")
CDATA = re.compile(r"<!\[CDATA\[|\]\]>")
XML_EXTENT = re.compile(r"<(totalpage|totalrecord|total)>\s*(\d+)\s*</\1>", re.I)
JSONP = re.compile(r"^\s*(?:/\*.*?\*/\s*)?[\w$.]+\s*\(\s*(.*?)\s*\)\s*;?\s*$", re.S)
URLISH = re.compile(r"^(?:https?://|/|\./|\.\./)[^\s<>\"']*$|^[\w\-./]+\.(?:s?html?|jsp|aspx?|php|do)(?:\?[^\s<>\"']*)?$")
CJK = re.compile(r"[\u4e00-\u9fff]")
# A quoted same-site path whose words say it serves data (for endpoints a script spells out literally).
ENDPOINT = re.compile(
    r"""['"]((?:https?://[^'"\s]+)?/[^'"\s<>]*?(?:api|ajax|json|list|query|data|search|getMessage|Info)[^'"\s<>]*)['"]""",
    re.I,
)
NOT_DATA = re.compile(r"\.(?:js|css|png|jpe?g|gif|svg|ico|woff2?|ttf|html?|shtml)(?:$|\?)", re.I)
KEPT_HEADERS = ("referer", "x-requested-with", "content-type", "accept")
MAX_NAMED = 3


@dataclass(frozen=True)
class Call:
    """One request to a data endpoint, as a page's script made it."""

    method: str
    url: str
    body: str | None = None
    headers: tuple[tuple[str, str], ...] = ()

    def fetch(self, base: str, paging: dict[str, Any] | None = None, page: int = 0, **data: str) -> Fetch:
        state = {"base": base, "method": self.method, "body": self.body or "", "headers": json.dumps(dict(self.headers)),
                 "paging": json.dumps(paging) if paging else "", "page": str(page), **data}
        return Fetch(self.url, kind=KIND, method=self.method, body=self.body, headers=self.headers,
                     data=tuple(sorted(state.items())))

    @classmethod
    def of(cls, method: str, url: str, body: str | None, headers: dict[str, str]) -> Call:
        kept = tuple(sorted((k.title(), v) for k, v in headers.items() if k.lower() in KEPT_HEADERS))
        return cls(method.upper(), url, body or None, kept)


# -- answers ----------------------------------------------------------------------------------------


def parse_answer(text: str) -> Any:
    """The answer as JSON (a JSONP callback unwrapped), or None when it is not JSON."""
    for candidate in (text, (JSONP.match(text) or [None, None])[1]):
        if not candidate:
            continue
        try:
            return json.loads(candidate)
        except ValueError:
            continue
    return None


def answer_rows(text: str, base: str) -> tuple[list[Row], dict[str, int]]:
    """The rows an answer lists and the extent it states ({"pages": n} / {"total": n}, when it does)."""
    payload = parse_answer(text)
    if payload is not None:
        best: tuple[list[Row], dict[str, int]] = ([], {})
        for rows, extent in _json_lists(payload, base, {}):
            if len(rows) > len(best[0]):
                best = (rows, extent)
        if best[0]:
            return best
        # HTML or an XML datastore inside a JSON string (JPaaS data.html, truecms JSONP {"result": "<datastore>…"}).
        fragments = [s for s in _strings(payload) if "<a " in s]
        rows = [row for fragment in fragments for row in _markup_rows(fragment, base)]
        extent = _nested_extent(payload) or next((x for f in fragments if (x := _xml_extent(f))), {})
        return rows, extent if rows else {}
    # XML with CDATA records (Hanweb/truecms datastores), or an HTML fragment.
    raw = text.replace("\\/", "/").replace('\\"', '"')
    return _markup_rows(raw, base), _xml_extent(text)


def _markup_rows(markup: str, base: str) -> list[Row]:
    """Rows of an HTML fragment or of an XML datastore's CDATA records (read as the HTML they hold)."""
    return html_rows(CDATA.sub("", markup), base)


def _xml_extent(markup: str) -> dict[str, int]:
    """The extent an XML datastore states (<totalrecord>, <totalpage>), or a page bar's text (共52条, 共4页)."""
    extent = {("pages" if m.group(1).lower() == "totalpage" else "total"): int(m.group(2)) for m in XML_EXTENT.finditer(markup)}
    if not extent and (m := TEXT_TOTAL.search(markup)):
        extent = {"pages" if m.group(2) == "页" else "total": int(m.group(1))}
    return extent


def _nested_extent(node: Any) -> dict[str, int]:
    """The first extent stated anywhere in a JSON answer (JPaaS puts it beside its HTML: data.total)."""
    if isinstance(node, dict):
        if extent := _json_extent(node):
            return extent
        node = list(node.values())
    if isinstance(node, list):
        return next((x for v in node if isinstance(v, (dict, list)) and (x := _nested_extent(v))), {})
    return {}


def lists_nothing(text: str) -> bool:
    """The answer is a list with nothing in it: it states a total of 0, or holds an empty array."""
    payload = parse_answer(text)
    strings = list(_strings(payload)) if payload is not None else [text]
    if any(int(m.group(2)) == 0 and m.group(1).lower() != "totalpage" for s in strings for m in XML_EXTENT.finditer(s)):
        return True
    return payload is not None and _empty_or_zero(payload)


def _empty_or_zero(node: Any) -> bool:
    if isinstance(node, list):
        return not node or any(_empty_or_zero(v) for v in node if isinstance(v, (dict, list)))
    if isinstance(node, dict):
        if _json_extent(node).get("total") == 0:
            return True
        return any(_empty_or_zero(v) for v in node.values() if isinstance(v, (dict, list)))
    return False


def _strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def _json_extent(node: Any) -> dict[str, int]:
    extent: dict[str, int] = {}
    if isinstance(node, dict):
        for key, value in node.items():
            number = _int(value)
            if number is None:
                continue
            if PAGES_KEY.match(str(key)):
                extent.setdefault("pages", number)
            elif TOTAL_KEY.match(str(key)):
                extent.setdefault("total", number)
    return extent


def _json_lists(node: Any, base: str, extent: dict[str, int]) -> Iterator[tuple[list[Row], dict[str, int]]]:
    """Every list of objects in the answer read as rows, with the extent stated beside it (or above it)."""
    if isinstance(node, dict):
        here = {**extent, **_json_extent(node)}
        for value in node.values():
            yield from _json_lists(value, base, here)
    elif isinstance(node, list):
        objects = [x for x in node if isinstance(x, dict)]
        if objects:
            rows = _object_rows(objects, base)
            if rows:
                yield rows, extent
        for value in node:
            if isinstance(value, (dict, list)):
                yield from _json_lists(value, base, extent)


def _object_rows(objects: list[dict[str, Any]], base: str) -> list[Row]:
    """Rows of a list of similar objects: the key whose values look like URLs, the key whose values read as
    titles (the longest text), a date from any date-valued or Unix-time key."""
    keys = {k for obj in objects for k in obj}
    url_key = max(keys, key=lambda k: sum(1 for o in objects if _urlish(o.get(k))), default=None)
    if url_key is None or not any(_urlish(o.get(url_key)) for o in objects):
        return []
    texts = [k for k in keys if k != url_key and any(_texty(o.get(k)) for o in objects)]
    if not texts:
        return []
    title_key = max(texts, key=lambda k: _title_score([str(o.get(k) or "") for o in objects if _texty(o.get(k))]))
    rows = []
    for obj in objects:
        link, title = obj.get(url_key), obj.get(title_key)
        url = resolve(base, str(link).replace("&amp;", "&")) if _urlish(link) else None
        if url and _texty(title):
            when = next((d for k in keys if k not in (url_key, title_key) and (d := _date(obj.get(k))) is not None), None)
            rows.append(Row(url, re.sub(r"<[^>]+>", "", str(title)).strip(), when))
    return rows


def _title_score(values: list[str]) -> tuple[int, int]:
    """Rank a key as the title: fewer values cut short with an ellipsis (a list's display title beside the
    whole one, EWB's title/realtitle), then more text."""
    return (-sum(1 for v in values if ELLIPSIS.search(v.strip())), sum(len(ELLIPSIS.sub("", v)) for v in values))


def _urlish(value: Any) -> bool:
    return isinstance(value, str) and len(value) < 500 and bool(URLISH.match(value.strip())) and "/" in value + "."


def _texty(value: Any) -> bool:
    return isinstance(value, str) and len(CJK.findall(value)) >= 2


def _date(value: Any) -> date | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)) or (isinstance(value, str) and value.isdigit() and len(value) in (10, 13)):
        seconds = float(value) / (1000 if float(value) > 1e11 else 1)
        return unix_day(seconds) if 946_684_800 <= seconds <= 4_102_444_800 else None
    if isinstance(value, str) and len(value) <= 40:
        return parse_date(value)
    return None


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


# -- the paging parameter -----------------------------------------------------------------------------


def find_paging(call: Call) -> dict[str, Any] | None:
    """Where the call names its page: {"where": query|form|json, "path": [...], "kind": page|offset,
    "value": n, "step": n, "end": [...] | None}, or None when it names none."""
    leaves = list(_call_leaves(call))
    for where, path, value in leaves:
        if PAGE_KEY.match(str(path[-1])) and value in (0, 1):
            return {"where": where, "path": path, "kind": "page", "value": value, "step": 1, "end": None}
    for where, path, value in leaves:
        if not START_KEY.match(str(path[-1])):
            continue
        siblings = [(p, v) for w, p, v in leaves if w == where and p[:-1] == path[:-1] and p != path]
        end = next(((p, v) for p, v in siblings if END_KEY.match(str(p[-1])) and v >= value), None)
        size = next((v for p, v in siblings if SIZE_KEY.match(str(p[-1])) and v > 0), None)
        step = end[1] - value + 1 if end else size
        if step:
            return {"where": where, "path": path, "kind": "offset", "value": value, "step": step,
                    "end": end[0] if end else None}
    ones = [(where, path, value) for where, path, value in leaves if value == 1 and not SIZE_KEY.match(str(path[-1]))]
    if len(ones) == 1:
        where, path, value = ones[0]
        return {"where": where, "path": path, "kind": "page", "value": 1, "step": 1, "end": None}
    return None


def page_size(call: Call, paging: dict[str, Any]) -> int | None:
    """The window a page-numbered call asks for (its size parameter), when it names one."""
    if paging["kind"] == "offset":
        return int(paging["step"])
    path = paging["path"]
    for where, p, value in _call_leaves(call):
        if where == paging["where"] and p[:-1] == path[:-1] and SIZE_KEY.match(str(p[-1])) and value > 0:
            return value
    return None


def page_call(call: Call, paging: dict[str, Any], n: int) -> Call:
    """The call for page n (0 = the learnt call itself) of a learnt paging."""
    shift = n * int(paging["step"])
    changes = [(paging["path"], int(paging["value"]) + shift)]
    if paging.get("end"):
        end_value = next(v for w, p, v in _call_leaves(call) if w == paging["where"] and p == list(paging["end"]))
        changes.append((paging["end"], end_value + shift))
    url, body = call.url, call.body
    for path, value in changes:
        if paging["where"] == "query":
            parts = urlsplit(url)
            url = urlunsplit(parts._replace(query=_set_pairs(parts.query, path, value)))
        elif paging["where"] == "form":
            body = _set_pairs(body or "", path, value)
        else:
            body = _json_text(_set(json.loads(body or "{}"), path, value))
    return Call(call.method, url, body, call.headers)


def _call_leaves(call: Call) -> Iterator[tuple[str, list[Any], int]]:
    """(where, path, value) of every integer the call carries."""
    query = urlsplit(call.url).query
    yield from (("query", path, v) for path, v in _pair_leaves(query))
    if call.body:
        body = call.body.strip()
        if body.startswith(("{", "[")):
            try:
                yield from (("json", path, v) for path, v in _leaves(json.loads(body), []))
            except ValueError:
                pass
        elif "=" in body:
            yield from (("form", path, v) for path, v in _pair_leaves(body))


def _pair_leaves(encoded: str) -> Iterator[tuple[list[Any], int]]:
    for key, value in parse_qsl(encoded, keep_blank_values=True):
        number = _int(value)
        if number is not None:
            yield [key], number
        elif value.strip().startswith(("{", "[")):
            try:
                yield from _leaves(json.loads(value), [key])
            except ValueError:
                continue


def _leaves(node: Any, path: list[Any]) -> Iterator[tuple[list[Any], int]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, [*path, key])
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _leaves(value, [*path, i])
    else:
        number = _int(node)
        if number is not None:
            yield path, number


def _set_pairs(encoded: str, path: list[Any], value: int) -> str:
    pairs = parse_qsl(encoded, keep_blank_values=True)
    out = []
    for key, old in pairs:
        if key == path[0]:
            if len(path) == 1:
                old = str(value)
            else:
                old = _json_text(_set(json.loads(old), path[1:], value))
        out.append((key, old))
    return urlencode(out, quote_via=quote)


def _set(node: Any, path: list[Any], value: int) -> Any:
    if not path:
        return value if not isinstance(node, str) else str(value)
    node[path[0]] = _set(node[path[0]], path[1:], value)
    return node


def _json_text(node: Any) -> str:
    return json.dumps(node, ensure_ascii=False, separators=(",", ":"))


# -- the learner ----------------------------------------------------------------------------------------


class ApiLearner(Adapter):
    """Payloads of learnt calls: their rows, and the next pages of the call (see the module docstring)."""

    name = KIND

    def scan(self, page: Any) -> Listing | None:
        return None  # calls come from the browser or from `named_calls`, never from a page scan

    def parse(self, url: str, text: str, data: dict[str, str]) -> Listing:
        base = data.get("base", url)
        rows, extent = answer_rows(text, base)
        listing = Listing(rows=rows, empty=not rows and lists_nothing(text))
        call = Call(data.get("method", "GET"), url, data.get("body") or None,
                    tuple(sorted(json.loads(data.get("headers") or "{}").items())))
        page = int(data.get("page") or 0)
        paging = json.loads(data["paging"]) if data.get("paging") else None
        if page == 0:
            paging = find_paging(call)
            if paging is None or not rows:
                return listing
            first = call
        else:
            first = page_call(call, paging, -page)
        digest = _digest(rows)
        if page > 0 and (not rows or digest in (data.get("prev"), data.get("first"))):
            return Listing()  # past the end, or the server ignores the parameter: nothing new
        if page == 0:
            pages = _page_count(extent, len(rows), page_size(first, paging))
            if pages is not None:
                listing.fetches = [page_call(first, paging, n).fetch(base, paging, n, first=digest, pages=str(pages))
                                   for n in range(1, min(pages, MAX_PAGES))]
                return listing
        if not data.get("pages") and page + 1 < MAX_PAGES:
            listing.fetches = [page_call(first, paging, page + 1).fetch(base, paging, page + 1, prev=digest,
                                                                        first=data.get("first") or digest)]
        return listing


def _page_count(extent: dict[str, int], rows: int, size: int | None) -> int | None:
    if extent.get("pages"):
        return extent["pages"]
    if extent.get("total") is not None and (size or rows):
        return max(1, math.ceil(extent["total"] / (size or rows)))
    return None


def _digest(rows: list[Row]) -> str:
    return hashlib.sha1("\n".join(sorted(r.url for r in rows)).encode("utf-8")).hexdigest()[:16]


# -- endpoints scripts name, and shells that teach their siblings ------------------------------------------


def named_calls(texts: list[str], base: str) -> list[Call]:
    """Data endpoints scripts (inline, or external files) spell out literally, in order of appearance."""
    urls: list[str] = []
    for text in texts:
        for m in ENDPOINT.finditer(text):
            # Only the ampersand escape: html.unescape would also read "&paramJson" as "¶mJson" (&para).
            url = resolve(base, m.group(1).replace("&amp;", "&"))
            if url and not NOT_DATA.search(url) and url not in urls:
                urls.append(url)
    return [Call("GET", u) for u in urls[:MAX_NAMED]]


@dataclass(frozen=True)
class Source:
    """Where a value a learnt call carries comes from on its page: a query parameter (`kind` "query", `name`
    the parameter), or the page's own text (`kind` "text": the value follows `name` and ends before `end`,
    as 「columnId:'7581f7b6-…'」 in a shell's inline script)."""

    kind: str
    name: str
    value: str
    end: str = ""


@dataclass
class Template:
    """The calls one shell page made, with where on the page each value they carry comes from."""

    source: str  # the page they were learnt on
    calls: list[tuple[Call, tuple[Source, ...]]]


class ShellTemplates:
    """Calls learnt on one shell page, as templates for its siblings: pages drawn by the same script (same
    host, same inline script but for its literals, same query keys) that differ in a query value or in a
    value the script carries (a column id)."""

    CONTEXT = 16  # characters before a value in the page text that say where it is

    def __init__(self) -> None:
        self.templates: dict[str, Template] = {}

    @staticmethod
    def key(page_url: str, text: str) -> str | None:
        """Siblings share it; None for a page with neither inline script nor query to tell siblings by."""
        parts = urlsplit(page_url)
        keys = "&".join(sorted(k for k, _ in parse_qsl(parts.query, keep_blank_values=True)))
        scripts = " ".join(m.group(1) for m in INLINE_SCRIPT.finditer(text))
        skeleton = re.sub(r"\s+", " ", LITERAL.sub("0", scripts)).strip()
        if not skeleton:
            return f"{parts.netloc}{parts.path}?{keys}" if keys else None
        return f"{parts.netloc}#{hashlib.sha1(skeleton.encode('utf-8')).hexdigest()[:16]}?{keys}"

    def learn(self, page_url: str, text: str, call: Call) -> None:
        """Keep `call` as a template when it carries one of the page's own values (query or text)."""
        key = self.key(page_url, text)
        if key is None:
            return
        sources = _sources(page_url, text, call, self.CONTEXT)
        if not sources:
            return
        template = self.templates.setdefault(key, Template(page_url, []))
        if template.source == page_url and all(c.url != call.url or c.body != call.body for c, _ in template.calls):
            template.calls.append((call, sources))

    def has(self, page_url: str, text: str) -> bool:
        key = self.key(page_url, text)
        return key is not None and key in self.templates

    def derive(self, page_url: str, text: str) -> list[Call]:
        """The calls a sibling of a learnt page makes: the learnt ones with the sibling's values put in."""
        key = self.key(page_url, text)
        template = self.templates.get(key) if key else None
        if template is None or template.source == page_url:
            return []
        values = dict(parse_qsl(urlsplit(page_url).query, keep_blank_values=True))
        out = []
        for call, sources in template.calls:
            url, body, headers = call.url, call.body, call.headers
            for source in sources:
                new = values.get(source.name) if source.kind == "query" else _text_value(text, source)
                if new is None:
                    break
                url = _replace_value(url, source.value, new)
                body = _replace_value(body, source.value, new) if body else body
                headers = tuple((k, _replace_value(v, source.value, new)) for k, v in headers)  # the Referer is the page
            else:
                headers = tuple((k, page_url if v == template.source else v) for k, v in headers)  # the Referer
                out.append(Call(call.method, url, body, headers))
        return out


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S | re.I)
LITERAL = re.compile(r"""'[^'\n]*'|"[^"\n]*"|\d+""")


def _sources(page_url: str, text: str, call: Call, context: int) -> tuple[Source, ...]:
    """Where each value the call carries comes from on the page: a query value of the page, else a value
    its text holds exactly once."""
    carried = unquote(call.url) + "\n" + (call.body or "")
    out = [Source("query", k, v) for k, v in parse_qsl(urlsplit(page_url).query, keep_blank_values=True)
           if len(v) >= 2 and v in carried]
    taken = {s.value for s in out}
    for value in _call_values(call):
        if value in taken or len(value) < 6 or text.count(value) != 1:
            continue
        at = text.index(value)
        before, end = text[max(0, at - context):at], text[at + len(value): at + len(value) + 1]
        if before.strip() and end and text.count(before) == 1:
            out.append(Source("text", before, value, end))
            taken.add(value)
    return tuple(out)


def _call_values(call: Call) -> list[str]:
    """Every string value a call carries: query and form values, and the leaves of JSON inside them."""
    values: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
        elif isinstance(node, (str, int)) and not isinstance(node, bool):
            values.append(str(node))

    pairs = parse_qsl(urlsplit(call.url).query, keep_blank_values=True)
    body = (call.body or "").strip()
    if body.startswith(("{", "[")):
        try:
            walk(json.loads(body))
        except ValueError:
            pass
    elif "=" in body:
        pairs += parse_qsl(body, keep_blank_values=True)
    for _, value in pairs:
        if value.strip().startswith(("{", "[")):
            try:
                walk(json.loads(value))
                continue
            except ValueError:
                pass
        values.append(value)
    return values


def _text_value(text: str, source: Source) -> str | None:
    """The value that follows `source.name` in a sibling's text (up to the character that ended it)."""
    at = text.find(source.name)
    if at < 0 or text.count(source.name) != 1:
        return None
    start = at + len(source.name)
    end = text.find(source.end, start)
    return text[start:end] if end > start else None


def _replace_value(text: str, old: str, new: str) -> str:
    """Swap a query value wherever the call carries it: raw, URL-encoded or inside URL-encoded JSON."""
    for a, b in ((old, new), (quote(old, safe=""), quote(new, safe="")), (quote(old), quote(new))):
        text = text.replace(a, b)
    return text
