"""Provincial 集约化 xxgk product: `/<prefix>/c<col>/<YYYYMM>/<32hex>.shtml` (江西, 新疆, 黑龙江, 山西)
— site-archetypes.md §1.8 and §5 A7.

Real-site evidence (site-archetypes.md §1.8, §2.1, §3 and public crawler code of the same product):
* every county has its own path prefix on the platform: 大余 `/dyxxxgk/`, 信丰 `/xfxxxgk/`, 南康
  `/nkqxxgk/` (county initials + 县/区 initial + `xxgk`), or a site code: 尼勒克 `/xjnlk/`,
  五常 `/hebwcs/`, 天镇 `/dttzx/` (the city's, then the county's initials);
* each node of the disclosure tree is a flat folder under the prefix, `c<6 digits>` (jxdy
  `c102429`, jxxf `c101039`, xjnlk `c112945`, hljwch `c111341`) or a pinyin slug (天镇
  `zfzcbm2021`, 赣州 `zfyjs25`);
* the unit tree has a **category level** between 部门公开信息 and the unit: breadcrumbs read
  「首页 > 部门公开信息 > 科教文卫体部门 > 县卫健委 > 信息公开年度报告」 and
  「首页 > 乡镇信息公开 > 吉村镇政府 > 年度报告」 (only 科教文卫体部门 is attested; the other
  categories follow its form);
* list pages are `xxgk_list.shtml` (or `list.shtml`), page n `xxgk_list_<n>.shtml` (page 2 is
  `_2`), paged by `createPageHTML('page_div', <pages>, <current>, 'xxgk_list', 'shtml', <rows>)`
  from a script file (宿迁, 镇江, 昆山 and csrc.gov.cn run the same template) or by plain links;
  navigation pages are `xxgk_navs.shtml` (赣县 `/gxqxxgk/zfyjs25/xxgk_navs.shtml`, 宁都 「含政府预决算
  +部门预决算+政府债务」: one block per child column with its latest items and a 「更多」 link);
* articles `<prefix>/<node>/<YYYYMM>/<32hex>.shtml`, Heilongjiang `…/<YYYYMM>/c01_<id>.shtml`
  (hljwch `c01_592213.shtml`), the month being the CMS date (天镇 2021 信访局 report in `202202`);
* pages carry the 「关怀版 无障碍」 toggles in the header and 「访问量:」 on articles; the body is
  `div.article-content#zoomcon`.
The central 年报 column either links each unit's article or holds its own copy of it (the variant
`central_copy`: the same report under two URLs, §4 Duplicates).  Attachments sit in a `files`
folder beside the article (`…/<YYYYMM>/<32hex>/files/<32hex>.pdf`).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from html import escape
from random import Random
from typing import Any

from aiohttp import web

from simweb import pages
from simweb.content import EXTENSIONS
from simweb.families.base import Family, ItemUrls, Url, register
from simweb.model import Agency, Column, Entry, ReportItem
from simweb.names import initials
from simweb.portal import XXGK_STUBS

# 部门公开信息's category level: (label, slug, department slugs of simweb.names.DEPARTMENTS).
CATEGORIES: tuple[tuple[str, str, frozenset[str]], ...] = (
    ("综合部门", "zhbm", frozenset({"zfb", "fgj", "czj", "sjj", "tjj", "zwfwj", "jgswzx", "sjzyj", "xfj", "dag"})),
    ("经济部门", "jjbm", frozenset({"gxj", "swj", "tcj", "scjgj", "jrj", "gzj", "lcj", "jkqgwh", "xzspj", "swuj"})),
    ("城建部门", "cjbm", frozenset({"zrzyj", "zjj", "jtysj", "cgj", "sthjfj", "bdczx", "gjjzx", "zhxzzfj", "jtzfdd", "gtzfdd"})),
    ("农业部门", "nybm", frozenset({"nyncj", "slj", "lyj", "xczxj", "xmj", "swj2", "qxj", "gxs"})),
    ("科教文卫体部门", "kjwwtbm", frozenset({"jyj", "kjj", "wlj", "wjj", "tyj", "rmtzx", "wwj", "kx"})),
    ("政法部门", "zfbm", frozenset({"gaj", "sfj", "mzzjj", "rfb", "xfjydd", "yjglj"})),
    ("社会保障部门", "shbzbm", frozenset({"mzj", "rsj", "tyjrswj", "ybj", "sbj", "cl"})),
)
OTHER_CATEGORY = ("其他部门", "qtbm")
NAVS = "xxgk_navs.shtml"
PAGE_JS = "/common/js/createPageHTML.js"
NAV_ITEMS = 5  # latest items a navs block shows before 「更多」


@dataclass(frozen=True)
class Node:
    """A node of the disclosure tree: a navigation page (`xxgk_navs.shtml`) or a list (a 年报 column)."""

    key: str
    label: str
    parent: str | None
    folder: str  # the node's folder under the prefix: c102429 or a slug
    column: str | None = None  # the column key of a list node


@register
class XxgkShtml(Family):
    name = "xxgk_shtml"
    portal_pages = frozenset({"home"})  # the disclosure tree is the product's own

    def choose(self, rng: Random) -> None:
        self.prefix_style = self.option("prefix_style", rng.choice(("xxgk", "xxgk", "site")))
        self.folders = self.option("folders", rng.choice(("cid", "cid", "slug")))
        self.article_name = self.option("article_name", rng.choice(("uuid", "uuid", "c01")))
        self.list_name = self.option("list_name", rng.choice(("xxgk_list", "xxgk_list", "list")))
        self.pager = self.option("pager", rng.choice(("createPageHTML", "links")))
        self.per_page = self.option("per_page", rng.choice((15, 20, 25)))
        self.central_copy = self.option("central_copy", rng.random() < 0.5)
        self.dept_label = rng.choice(("信息公开年度报告", "政府信息公开年度报告", "政府信息公开年报"))
        self.town_label = rng.choice(("年度报告", "政府信息公开年报", "信息公开年度报告"))
        self.art_base = rng.randrange(300_000, 900_000)
        region = self.region
        level = "x" if region.level == "县" else "q"
        if self.prefix_style == "xxgk":
            self.prefix = f"/{initials(region.name)}{level}xxgk/"
        else:
            self.prefix = f"/{initials(region.city)}{initials(region.name)}{level}/"
        self.tree_groups = {"gov": f"{region.level}政府", "bm": f"{region.level}直部门", "xzjd": "乡镇（街道）"}
        self.nodes = self._tree(rng)
        self._node_of_column = {n.column: n for n in self.nodes.values() if n.column}
        # Served nodes: the central tree, and the unit tree where the region has unit columns.
        central = ("nb", "year:", "col:c:")
        served = [n for n in self.nodes.values() if n.key != "orphan" and (region.unit_columns or n.key.startswith(central))]
        self._by_folder = {n.folder: n for n in served}

    # -- the tree ---------------------------------------------------------------------------------

    def _tree(self, rng: Random) -> dict[str, Node]:
        """Every node, parents before children; folder ids drawn in this order (stable per seed)."""
        region = self.region
        next_id = [rng.randrange(100_000, 140_000)]
        used: set[str] = set()

        def folder(slug: str) -> str:
            next_id[0] += rng.randrange(1, 40)
            if self.folders == "cid":
                return f"c{next_id[0]}"
            name = slug
            while name in used:
                name += "1"
            used.add(name)
            return name

        nodes: dict[str, Node] = {}

        def add(key: str, label: str, parent: str | None, slug: str, column: str | None = None) -> None:
            nodes[key] = Node(key, label, parent, folder(slug), column)

        add("orphan", "其他信息", None, "qtxx")  # where an item listed in no 年报 column lives
        if region.central_columns:
            add("nb", "政府信息公开年报", None, "zfxxgknb")
            for year in region.central_years():
                add(f"year:{year}", f"{year}年度", "nb", f"nb{year}")
                for group, slug in (("gov", "bjzf"), ("bm", "zfzcbm"), ("xzjd", "xzjd")):
                    add(f"col:c:{year}:{group}", self.tree_groups[group], f"year:{year}", f"{slug}{year}", f"c:{year}:{group}")
        # The unit tree exists (every agency has a page URL); only regions with unit columns serve it.
        gov = region.government
        add("gov", f"{gov.short}信息公开", None, "zfxxgk")
        if region.unit_columns:
            add(f"col:u:{gov.id}", self.dept_label, "gov", "zfnb", f"u:{gov.id}")
        depts = [a for a in region.agencies if a.kind == "department"]
        towns = [a for a in region.agencies if a.kind == "township"]
        add("bm", "部门公开信息", None, "bmgkxx")
        for label, slug, members in (*CATEGORIES, (*OTHER_CATEGORY, frozenset())):
            inside = [a for a in depts if a.slug in members or (not members and category_of(a) is None)]
            if inside:
                add(f"cat:{slug}", label, "bm", slug)
                for a in inside:
                    self._add_unit(add, a, f"cat:{slug}", self.dept_label)
        if towns:
            add("xz", "乡镇信息公开", None, "xzxxgk")
            for a in towns:
                self._add_unit(add, a, "xz", self.town_label)
        return nodes

    def _add_unit(self, add, agency: Agency, parent: str, label: str) -> None:
        add(f"unit:{agency.id}", tree_name(agency), parent, agency.slug)
        if self.region.unit_columns:
            add(f"col:u:{agency.id}", label, f"unit:{agency.id}", f"{agency.slug}nb", f"u:{agency.id}")

    def unit_node(self, agency: Agency) -> Node:
        return self.nodes["gov" if agency.kind == "government" else f"unit:{agency.id}"]

    def chain(self, node: Node) -> list[Node]:
        """The node and its ancestors, root first (what a breadcrumb shows)."""
        out = [node]
        while out[0].parent is not None:
            out.insert(0, self.nodes[out[0].parent])
        return out

    def children(self, key: str) -> list[Node]:
        return [n for n in self.nodes.values() if n.parent == key]

    # -- layout -----------------------------------------------------------------------------------

    def _navs(self, node: Node) -> Url:
        return Url("www", f"{self.prefix}{node.folder}/{NAVS}")

    def node_url(self, node: Node) -> Url:
        return self.column_url(self.region.column(node.column)) if node.column else self._navs(node)

    def xxgk_url(self) -> Url:
        return Url("www", f"{self.prefix}index.shtml")

    def directory_url(self) -> Url:
        return self._navs(self.nodes["bm"])

    def unit_url(self, agency: Agency) -> Url:
        return self._navs(self.unit_node(agency))

    def central_url(self) -> Url:
        return self._navs(self.nodes["nb"])

    def central_year_url(self, year: int) -> Url:
        return self._navs(self.nodes[f"year:{year}"])

    def column_url(self, column: Column, page: int = 1) -> Url:
        node = self._node_of_column[column.key]
        name = self.list_name if page <= 1 else f"{self.list_name}_{page}"
        return Url("www", f"{self.prefix}{node.folder}/{name}.shtml")

    def _article_name(self, entry: Entry, copy: str) -> str:
        if self.article_name == "c01":
            return f"c01_{self.art_base + entry.serial * 2 + (copy == 'central')}"
        return hashlib.md5(f"{self.region.seed}/{entry.id}/{copy}".encode()).hexdigest()

    def _article(self, entry: Entry, node: Node, copy: str) -> str:
        """The article's path without `.shtml`."""
        d = entry.url_date or entry.appears_on
        return f"{self.prefix}{node.folder}/{d:%Y%m}/{self._article_name(entry, copy)}"

    def _home_node(self, entry: Entry) -> Node:
        home = self.region.home_column(entry)
        return self._node_of_column[home.key] if home else self.nodes["orphan"]

    def _central_copy_node(self, entry: Entry) -> Node | None:
        """The central column's node when it holds its own copy of the entry."""
        home = self.region.home_column(entry)
        central = [c for c in self.region.columns_of(entry) if c.central and c is not home]
        return self._node_of_column[central[0].key] if central and self.central_copy else None

    def entry_urls(self, entry: Entry) -> ItemUrls:
        stem = self._article(entry, self._home_node(entry), "home")
        copy = self._central_copy_node(entry)
        dups = (Url("www", self._article(entry, copy, "central") + ".shtml"),) if copy else ()
        attachments: tuple[Url, ...] = ()
        if isinstance(entry, ReportItem) and entry.doc_form != "html":
            token = hashlib.md5(f"{self.region.seed}/file/{entry.id}".encode()).hexdigest()
            attachments = (Url("www", f"{stem}/files/{token}.{EXTENSIONS[entry.doc_form]}"),)
        return ItemUrls(Url("www", stem + ".shtml"), dups, attachments)

    def describe(self) -> dict[str, Any]:
        return {
            "prefix": self.prefix,
            "prefix_style": self.prefix_style,
            "folders": self.folders,
            "article_name": self.article_name,
            "list_name": self.list_name,
            "pager": self.pager,
            "per_page": self.per_page,
            "central_copy": self.central_copy,
        }

    # -- serving ----------------------------------------------------------------------------------

    def add_routes(self, host: str, router: web.UrlDispatcher) -> None:
        if host != "www":
            return
        router.add_get(PAGE_JS, self.page_js)
        router.add_get("/{tail:.*}", self.dispatch)

    async def page_js(self, request: web.Request) -> web.Response:
        return self.site.respond_text(PAGE_JS_TEXT, "application/javascript")

    async def dispatch(self, request: web.Request) -> web.StreamResponse:
        path = request.path
        if path == self.xxgk_url().path:
            return self.landing()
        if path.startswith(self.prefix):
            folder, _, name = path[len(self.prefix) :].partition("/")
            node = self._by_folder.get(folder)
            if node is not None:
                if name == NAVS and node.column is None:
                    return self.navs_page(node)
                m = re.fullmatch(rf"{self.list_name}(?:_(\d+))?\.shtml", name)
                if m and node.column is not None and m.group(1) != "1":
                    return self.list_page(node, int(m.group(1) or 1))
        return await self.serve_entry(request)

    def chrome(self, title: str, body: str, *, crumbs: tuple[tuple[str, str], ...] = (), head: str = "") -> str:
        tools = (
            '<div class="top-tools"><a href="javascript:;" id="ghb">关怀版</a> '
            '<a href="javascript:;" id="wza">无障碍</a></div>'
        )
        return pages.page(self.site, title, tools + body, crumbs=crumbs, head=head)

    def _crumbs(self, node: Node, *, here: bool = True) -> tuple[tuple[str, str], ...]:
        """首页 › … › node along the unit tree; the node itself unlinked when it is this page."""
        a = self.site.absolute
        out = [("首页", a(self.home_url()))]
        for n in self.chain(node):
            linked = not (here and n is node) and n.key != "orphan"
            out.append((n.label, a(self.node_url(n)) if linked else ""))
        return tuple(out)

    def _link(self, node: Node) -> str:
        return f'<a href="{escape(self.node_url(node).path)}">{escape(node.label)}</a>'

    def landing(self) -> web.Response:
        tops = [self.nodes[k] for k in ("nb", "gov", "bm", "xz") if k in self.nodes and self.nodes[k].folder in self._by_folder]
        items = [*XXGK_STUBS, *(f"<li>{self._link(n)}</li>" for n in tops)]
        body = f'<h1>政府信息公开</h1><ul class="xxgk-nav">{"".join(items)}</ul>'
        crumbs = (("首页", self.site.absolute(self.home_url())), ("政府信息公开", ""))
        return self.site.respond(self.chrome(f"政府信息公开_{self.region.name}人民政府", body, crumbs=crumbs))

    def navs_page(self, node: Node) -> web.Response:
        """A navigation page: its child nodes; a unit's shows its 年报 block with the latest items."""
        blocks = []
        if node.key.startswith("unit:") or node.key == "gov":
            blocks += ['<div class="navs-block"><h3><a href="javascript:;">机构概况</a></h3></div>',
                       '<div class="navs-block"><h3><a href="javascript:;">政策文件</a></h3></div>']
            for child in self.children(node.key):
                latest = self.site.entries(self.region.column(child.column))[:NAV_ITEMS]
                rows = pages.entry_list(latest, lambda e: self._list_target(child, e), "navs-list", "time")
                blocks.append(
                    f'<div class="navs-block"><h3>{self._link(child)}</h3>{rows}'
                    f'<a class="more" href="{escape(self.node_url(child).path)}">更多&gt;&gt;</a></div>'
                )
        else:
            links = "".join(f"<li>{self._link(c)}</li>" for c in self.children(node.key))
            blocks.append(f'<ul class="navs-list">{links}</ul>')
        body = f'<h2 class="navs-title">{escape(node.label)}</h2>{"".join(blocks)}'
        return self.site.respond(self.chrome(f"{node.label}_{self.region.name}", body, crumbs=self._crumbs(node)))

    def _list_target(self, node: Node, entry: Entry) -> str:
        """A list row's link: the copy filed in this node's folder, else the entry's article."""
        urls = self.entry_urls(entry)
        mine = [u.path for u in (urls.canonical, *urls.duplicates) if u.path.startswith(f"{self.prefix}{node.folder}/")]
        return (mine or [urls.canonical.path])[0]

    def list_page(self, node: Node, page: int) -> web.Response:
        entries = self.site.entries(self.region.column(node.column))
        n_pages = pages.page_count(len(entries), self.per_page)
        if page > n_pages:
            return self.site.not_found()
        window = pages.page_rows(entries, page, self.per_page)
        rows = pages.entry_list(window, lambda e: self._list_target(node, e), "xxgk-list", "time")
        pager = self._pager(node, page, n_pages, len(entries))
        body = f'<h2 class="list-title">{escape(node.label)}</h2><div id="list-data">{rows}</div>{pager}'
        head = f'<script type="text/javascript" src="{PAGE_JS}"></script>' if self.pager == "createPageHTML" else ""
        return self.site.respond(self.chrome(f"{node.label}_{self.region.name}", body, crumbs=self._crumbs(node), head=head))

    def _pager(self, node: Node, page: int, n_pages: int, total: int) -> str:
        if self.pager == "createPageHTML":
            return (
                '<div id="page_div" class="page"></div><script type="text/javascript">'
                f"createPageHTML('page_div',{n_pages},{page},'{self.list_name}','shtml',{total});</script>"
            )
        column = self.region.column(node.column)
        jumps = pages.pager_links(page, n_pages, lambda p: self.column_url(column, p).path)
        return f'<div class="page">共{total}条 {page}/{n_pages}页 {jumps}</div>'

    def article_page(self, entry: Entry, body: str, path: str) -> str:
        copy = self._central_copy_node(entry)
        node = copy if copy is not None and path.startswith(f"{self.prefix}{copy.folder}/") else self._home_node(entry)
        meta = pages.meta_block(self.site, entry, "xxgk", index_style="uscc")
        html = (
            f'<div class="xxgk-meta">{meta}</div><h1 class="article-title">{escape(entry.title)}</h1>'
            f'<div class="info"><span>发布日期：{escape(pages.fmt_date(entry.shown_date))}</span>'
            '<span>访问量：<span id="visitCount"></span></span></div>'
            f'<div class="article-content" id="zoomcon">{body}</div>{self.jiedu_links(entry)}'
        )
        return self.chrome(f"{entry.title}_{self.region.name}人民政府", html, crumbs=self._crumbs(node, here=False))


def category_of(agency: Agency) -> str | None:
    """The category label a department is filed under (None: 其他部门)."""
    return next((label for label, _, members in CATEGORIES if agency.slug in members), None)


def tree_name(agency: Agency) -> str:
    """How the unit tree names a unit: 县卫健局 for a department, 吉村镇政府 / 东城街道办事处 for a town."""
    if agency.kind != "township":
        return agency.short
    return agency.bare + ("办事处" if agency.bare.endswith("街道") else "政府")


# What the product's page script does with the call in each list page.
PAGE_JS_TEXT = r"""
function createPageHTML(divId, count, cur, name, ext, total) {
  var div = document.getElementById(divId);
  if (!div) { return; }
  function href(p) { return p <= 1 ? name + '.' + ext : name + '_' + p + '.' + ext; }
  var h = '<span>共' + total + '条 ' + cur + '/' + count + '页</span> ';
  if (cur > 1) { h += '<a href="' + href(1) + '">首页</a> <a href="' + href(cur - 1) + '">上一页</a> '; }
  if (cur < count) { h += '<a href="' + href(cur + 1) + '">下一页</a> <a href="' + href(count) + '">尾页</a>'; }
  div.innerHTML = h;
}
"""
