"""A small plain-HTTP walker for testing the simulated web against its manifest.

It follows `<a href>` links the way an HTML parser sees them (so links hidden in scripts, CDATA or
JSON stay hidden) and, per family, only the documented mechanisms a crawler would have to learn:
Hanweb datastore records and dataproxy POSTs, JPaaS gateway pages via `paramJson`, TRS
`createPageHTML` / `countPage` page counts, the xxgk product's `createPageHTML('page_div', …)`,
Beijing's `location.replace` shells, VSB base64 pagers, truecms JSONP windows and Epoint EWB POST
bodies.  Comparing what it reaches with the manifest shows that each family serves what it claims — and
that nothing reachable is missing from the manifest.
"""

from __future__ import annotations

import base64
import json
import re
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, unquote, urljoin, urlsplit

import lxml.html
import requests

Expander = Callable[[requests.Session, str, str], Iterable[str]]

ATTACHMENT_RE = re.compile(r"(\.(pdf|docx?|wps|xlsx?)$)|downfile\.jsp|/file/download|_content/download\.jsp", re.I)
"""Matched against a URL's path and, separately, its query string."""
META_CHARSET_RE = re.compile(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_-]+)", re.I)


def decode(resp: requests.Response) -> str:
    """Decode a page as a careful crawler would: header charset, then meta, then UTF-8, then GB18030."""
    ctype = resp.headers.get("Content-Type", "")
    m = re.search(r"charset=([A-Za-z0-9_-]+)", ctype)
    if m:
        return resp.content.decode(m.group(1), errors="replace")
    m2 = META_CHARSET_RE.search(resp.content[:2048])
    if m2:
        return resp.content.decode(m2.group(1).decode(), errors="replace")
    try:
        return resp.content.decode("utf-8")
    except UnicodeDecodeError:
        return resp.content.decode("gb18030", errors="replace")


def links(base: str, html: str) -> list[str]:
    if not html.strip():
        return []
    doc = lxml.html.fromstring(html)
    out = []
    for href in doc.xpath("//a/@href"):
        href = href.strip()
        if href and not href.startswith(("javascript:", "#", "mailto:")):
            out.append(urljoin(base, href))
    return out


# -- family expanders ------------------------------------------------------------------------------


def hanweb_classic(session: requests.Session, url: str, html: str) -> list[str]:
    """Records in <script type="text/xml"> CDATA, then dataproxy.jsp windows of 45."""
    out: list[str] = []
    for record in re.findall(r"<record><!\[CDATA\[(.*?)\]\]></record>", html, re.S):
        out += links(url, record)
    cfg = re.search(r"proxyUrl:'([^']+)',totalRecord:(\d+),perPage:(\d+).*?ajaxParam:\{([^}]*)\}", html, re.S)
    if cfg:
        proxy, total, perpage, ajax = cfg.group(1), int(cfg.group(2)), int(cfg.group(3)), cfg.group(4)
        form = dict(re.findall(r"(\w+):'([^']*)'", ajax))
        start = 46
        while start <= total:
            end = start + 44
            r = session.post(
                urljoin(url, proxy), params={"startrecord": start, "endrecord": end, "perpage": perpage}, data=form
            )
            for record in re.findall(r"<record><!\[CDATA\[(.*?)\]\]></record>", r.text, re.S):
                out += links(url, record)
            start = end + 1
    return out


def hanweb_jpaas(session: requests.Session, url: str, html: str) -> list[str]:
    """The shell's gateway URL, paged through paramJson until a page comes back empty."""
    m = re.search(r"var unitUrl='([^']+)'", html)
    if not m:
        return []
    api = urljoin(url, m.group(1))
    out: list[str] = []
    page = 1
    while True:
        param = json.dumps({"pageNo": page, "pageSize": 15}, separators=(",", ":"))
        r = session.get(re.sub(r"paramJson=[^&]*", "", api), params={"paramJson": param})
        found = links(url, r.json()["data"]["html"]) if r.ok and r.json().get("success") else []
        if not found:
            return out
        out += found
        page += 1


def trs(session: requests.Session, url: str, html: str) -> list[str]:
    """index_1 … index_{N-1} from createPageHTML(N, …) or var countPage = N."""
    m = re.search(r'createPageHTML\((\d+),\s*(\d+),\s*"index",\s*"(\w+)"\)', html)
    if m:
        count, ext = int(m.group(1)), m.group(3)
    else:
        m = re.search(r"var countPage = (\d+);", html)
        if not m:
            return []
        count, ext = int(m.group(1)), urlsplit(url).path.rpartition(".")[2]
    return [urljoin(url, f"index_{i}.{ext}") for i in range(1, count)]


def create_page_html(session: requests.Session, url: str, html: str) -> list[str]:
    """The xxgk product's pager: createPageHTML('page_div', N, cur, 'xxgk_list', 'shtml', rows) draws
    links to <name>_2 … <name>_N beside page 1 (<name>.shtml)."""
    m = re.search(r"createPageHTML\('[^']*',\s*(\d+),\s*\d+,\s*'([^']+)',\s*'(\w+)',\s*\d+\)", html)
    if not m:
        return []
    count, name, ext = int(m.group(1)), m.group(2), m.group(3)
    return [urljoin(url, f"{name}_{i}.{ext}") for i in range(2, count + 1)]


def location_replace(session: requests.Session, url: str, html: str) -> list[str]:
    """Where a script shell sends the browser: location.replace('./jbxx…/') (Beijing 街乡 pages)."""
    return [urljoin(url, target) for target in re.findall(r"location\.replace\(['\"]([^'\"]+)['\"]\)", html)]


def vsb(session: requests.Session, url: str, html: str) -> list[str]:
    """The 云南 pager variant: `<div id="pages">` holds the URL-encoded pager HTML in base64, which
    the page's script decodes with window.atob (plain VSB pagers are ordinary links: nothing to do)."""
    m = re.search(r'<div id="pages">([A-Za-z0-9+/=\s]+)</div>', html)
    return links(url, unquote(base64.b64decode(m.group(1)).decode("ascii"))) if m else []


def truecms(session: requests.Session, url: str, html: str) -> list[str]:
    """A truecms column shell: read proxyUrl, columnId and perpage from its script, then ask the JSONP
    endpoint window by window (the column page as Referer, as a browser sends it) until `totalrecord`;
    each answer is callback({"result": "<datastore>…<record><![CDATA[<li><a …>]]>…"})."""
    cfg = re.search(r"proxyUrl:'([^']+)', columnId:'([^']+)', perpage:(\d+)", html)
    if not cfg:
        return []
    proxy, column, per = urljoin(url, cfg.group(1)), cfg.group(2), int(cfg.group(3))
    out: list[str] = []
    start, total = 1, 1
    while start <= total:
        q = {"callback": "cb", "startrecord": start, "endrecord": start + per - 1, "perpage": per,
             "contentTemplate": "", "columnId": column}
        r = session.get(proxy, params=q, headers={"Referer": url})
        xml = json.loads(re.fullmatch(r"cb\((.*)\);", r.text, re.S).group(1))["result"]
        total = int(re.search(r"<totalrecord>(\d+)</totalrecord>", xml).group(1))
        for record in re.findall(r"<record><!\[CDATA\[(.*?)\]\]></record>", xml, re.S):
            out += links(url, record)
        start += per
    return out


def epoint(session: requests.Session, url: str, html: str) -> list[str]:
    """An Epoint EWB list shell: siteGuid and the project path come from the external
    /js/webBuilderCommon.js, and so does the body's shape (bare JSON, {"params": …} or a params= form
    field, as its Util.ajax writes it); the query is the shell's own; pageIndex counts from 0."""
    src = re.search(r'<script src="([^"]*webBuilderCommon\.js)"', html)
    if not src or "getgovinfolist" not in html:
        return []
    js = session.get(urljoin(url, src.group(1))).text
    info = json.loads(re.search(r"var siteInfo = (\{.*?\});", js).group(1))
    api = urljoin(url, info["projectName"] + "/rest/lightfrontaction/getgovinfolist")
    query = dict(parse_qsl(urlsplit(url).query))
    out: list[str] = []
    index, size = 0, 15
    while True:
        data = {"deptcode": query.get("deptcode", ""), "categorynum": query.get("categorynum", ""),
                "siteGuid": info["siteGuid"], "pageIndex": index, "pageSize": size}
        if "'params=' +" in js:
            r = session.post(api, data={"params": json.dumps(data)})
        else:
            r = session.post(api, json={"params": data} if "{params: opt.data}" in js else data)
        custom = r.json()["custom"]
        out += [urljoin(url, row["infourl"]) for row in custom["data"]]
        index += 1
        if index * size >= custom["total"]:
            return out


EXPANDERS: dict[str, Expander] = {
    "hanweb_classic": hanweb_classic,
    "hanweb_jpaas": hanweb_jpaas,
    "trs": trs,
    "xxgk_shtml": create_page_html,
    "beijing": location_replace,
    "vsb": vsb,
    "truecms": truecms,
    "epoint": epoint,
}


@dataclass
class Walk:
    pages: dict[str, int] = field(default_factory=dict)  # URL → status of every page fetched
    attachments: set[str] = field(default_factory=set)  # attachment URLs seen (not fetched)
    texts: dict[str, str] = field(default_factory=dict)  # URL → decoded text of 200 pages


def walk(region: dict, *, expander: Expander | None = None, max_pages: int = 4000) -> Walk:
    """Breadth-first from the region's portal over its own hosts, as a plain crawler would."""
    hosts = {urlsplit(u).netloc for u in region["hosts"].values()}
    expander = expander or EXPANDERS.get(region["family"])
    session = requests.Session()
    result = Walk()
    queue = deque([region["portal_url"]])
    seen = {region["portal_url"]}
    while queue and len(result.pages) < max_pages:
        url = queue.popleft()
        resp = session.get(url, allow_redirects=True, timeout=30)
        result.pages[url] = resp.status_code
        if resp.status_code != 200 or "html" not in resp.headers.get("Content-Type", ""):
            continue
        text = decode(resp)
        result.texts[url] = text
        found = links(url, text)
        if expander is not None:
            found += list(expander(session, url, text))
        for link in found:
            link = link.split("#")[0]
            if urlsplit(link).netloc not in hosts or link in seen:
                continue
            seen.add(link)
            parts = urlsplit(link)
            if ATTACHMENT_RE.search(parts.path) or ATTACHMENT_RE.search(parts.query):
                result.attachments.add(link)
            else:
                queue.append(link)
    return result


def check_walk_against_manifest(region: dict, article_pattern: str, *, soft_404: str | None = None) -> Walk:
    """Walk a region and compare with its manifest: every visible entry's canonical URL is reached,
    no URL of an invisible entry answers 200 (except pages matching `soft_404`, which answer 200
    with an empty body by design), every reached page whose path matches `article_pattern` is a
    manifest URL, and every visible report's first attachment URL is linked."""
    result = walk(region)
    ok = {u for u, code in result.pages.items() if code == 200}
    entries = region["reports"] + region["noise"]
    visible = [e for e in entries if e.get("visible")]
    assert visible, "nothing visible in the region"
    assert [e["id"] for e in visible if e["canonical_url"] not in ok] == []
    hidden = {u for e in entries if "urls" in e and not e["visible"] for u in e["urls"]}
    if soft_404:
        hidden = {u for u in hidden if not re.search(soft_404, u)}
    assert not ok & hidden
    known = {u for e in entries for u in e.get("urls", [])}
    articles = {u for u in ok if re.search(article_pattern, urlsplit(u).path)}
    assert articles, "no article page reached"
    assert articles <= known, sorted(articles - known)[:5]
    wanted = {e["attachment_urls"][0] for e in visible if e.get("attachment_urls")}
    assert wanted <= result.attachments, sorted(wanted - result.attachments)[:5]
    return result
