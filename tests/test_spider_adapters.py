"""The family adapters and link vocabulary, read against simweb columns over real HTTP.

Each test reads whole 年报 columns the way the spider does — the page's own links plus what the
adapters find in its scripts (CDATA records, JSON gateways, script-only pagers), following the
adapters' requests — and compares the rows with the manifest's list of what the column shows today.
Columns are made long enough to need every paging mechanism.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import requests

from crawlers import adapters
from crawlers.adapters.base import Fetch, Page
from crawlers.api_learner import ApiLearner, named_calls
from crawlers.frontier import TrapGuard, column_scope, in_scope
from crawlers.link_words import is_attachment, is_group, is_nb_column
from crawlers.page_reader import Link, decode_body, link_year, links, pager_pages, script_redirect
from crawlers.scope import RegionScope
from simweb.families.hanweb_classic import PROXY_PATHS
from tests.simweb_fixtures import simweb_factory  # noqa: F401  (fixture)


PARSERS = {**adapters.ADAPTERS, "api": ApiLearner()}


def read_column(url: str) -> list[str]:
    """Every row URL of a column as the spider reads it: links of its pages plus adapter rows, following adapter
    fetches and every page its page bar stands for; a page that shows neither links nor adapter rows has the
    endpoints its scripts name read by the API learner."""
    rows: list[str] = []
    queue = [Fetch(url)]
    done: set[tuple[str, str, str | None]] = set()
    while queue:
        fetch = queue.pop(0)
        if (fetch.method, fetch.url, fetch.body) in done:
            continue
        done.add((fetch.method, fetch.url, fetch.body))
        resp = requests.request(fetch.method, fetch.url, data=fetch.body, headers=dict(fetch.headers), timeout=60)
        assert resp.status_code == 200, fetch.url
        text, _ = decode_body(resp.content, resp.headers.get("Content-Type"))
        if fetch.kind == "page":
            page = Page(fetch.url, text)
            found = links(page.root, fetch.url)
            listing, matched = adapters.scan(page)
            if not matched and not listing.rows:
                listing.fetches += [call.fetch(fetch.url) for call in named_calls(page.scripts(), fetch.url)]
            listing.fetches += [Fetch(url) for url in pager_pages(found, fetch.url)]  # the whole page bar
            rows += [link.url for link in found]
        else:
            listing = PARSERS[fetch.kind].parse(fetch.url, text, dict(fetch.data))
        rows += [row.url for row in listing.rows]
        queue += listing.fetches
    return rows


def check_columns(region: dict[str, Any], *, central_only: bool = False, min_entries: int = 0) -> int:
    """Every column (or every central one) lists exactly the manifest's entries; returns the longest."""
    by_url: dict[str, str] = {}
    for entry in [*region["reports"], *region["noise"]]:
        for url in entry.get("urls", []):
            by_url[url] = entry["id"]
    longest = 0
    for column in region["columns"]:
        if central_only and not column["key"].startswith("c:"):
            continue
        rows = [u for u in read_column(column["url"]) if u in by_url]
        found = {by_url[u] for u in rows}
        assert found == set(column["entries_today"]), column["key"]
        assert len(rows) == len(set(rows)), f"{column['key']}: a row read twice"
        longest = max(longest, len(column["entries_today"]))
    assert longest >= min_entries, "the column is too short to exercise paging"
    return longest


@pytest.mark.parametrize("proxy_path", PROXY_PATHS)
def test_hanweb_datastore_and_dataproxy_windows(simweb_factory, proxy_path: str) -> None:
    """More than one datastore group (45 records) in a column: the rest come from POST dataproxy.jsp."""
    sim = simweb_factory(seed=5, families=["hanweb_classic"], years=[2023],
                         overrides={0: {"departments": 60, "townships": 3, "unit_columns": False, "central_columns": True,
                                        "options": {"hanweb_classic": {"proxy_path": proxy_path}}}})
    region = sim.manifest()["regions"][0]
    check_columns(region, central_only=True, min_entries=46)


def test_jpaas_pages_only_through_param_json(simweb_factory) -> None:
    """No adapter: the gateway the shell's script names is learnt, its page number found inside paramJson."""
    sim = simweb_factory(seed=6, families=["hanweb_jpaas"], years=[2023],
                         overrides={0: {"departments": 36, "townships": 4, "unit_columns": False, "central_columns": True}})
    check_columns(sim.manifest()["regions"][0], central_only=True, min_entries=16)


@pytest.mark.parametrize("pager", ["createPageHTML", "countPage"])
@pytest.mark.parametrize("chongqing", [False, True])
def test_trs_script_pager(simweb_factory, pager: str, chongqing: bool) -> None:
    sim = simweb_factory(seed=7, families=["trs"], years=[2022, 2023],
                         overrides={0: {"departments": 10, "townships": 3,
                                        "options": {"trs": {"pager": pager, "chongqing": chongqing, "page_size": 4}}}})
    check_columns(sim.manifest()["regions"][0], min_entries=5)


def test_vsb_reverse_numbered_pages(simweb_factory) -> None:
    sim = simweb_factory(seed=8, families=["vsb"], years=[2022, 2023],
                         overrides={0: {"departments": 10, "townships": 3, "options": {"vsb": {"per_page": 3}}}})
    check_columns(sim.manifest()["regions"][0], min_entries=7)  # three pages and more: nb.htm, nb/{N-1}.htm … nb/1.htm


@pytest.mark.parametrize("nb_node", ["政府信息公开年报", "政府信息公开年度报告", "年度报告"])
def test_gkmlpt_catalogue_node_found_by_name(simweb_factory, nb_node: str) -> None:
    sim = simweb_factory(seed=9, families=["gkmlpt"], years=[2023],
                         overrides={0: {"departments": 5, "townships": 3, "options": {"gkmlpt": {"nb_node": nb_node}}}})
    check_columns(sim.manifest()["regions"][0])


def test_plain_html_pages_match_no_adapter() -> None:
    page = Page("http://x.gov.cn/a/index.html", "<html><body><ul><li><a href='1.html'>a</a></li></ul></body></html>")
    listing, matched = adapters.scan(page)
    assert matched == [] and listing.rows == [] and listing.fetches == []


# -- link vocabulary ------------------------------------------------------------------------------


@pytest.mark.parametrize("label", ["政府信息公开年报", "政府信息公开工作年度报告", "信息公开年报", "年度报告", "公开年报", "年报",
                                   "政府信息公开年度工作报告"])
def test_nb_column_labels(label: str) -> None:
    assert is_nb_column(label)


@pytest.mark.parametrize("label", ["青川县商务局2023年政府信息公开工作年度报告", "2023年度", "年报解读", "政府信息公开指南"])
def test_not_nb_column_labels(label: str) -> None:
    assert not is_nb_column(label)


def test_year_group_and_pager_links() -> None:
    assert [link_year(x) for x in ("2023年度", "2023年", " 2023 ", "2023年政府信息公开年报", "2023年商务局报告")] == [
        2023, 2023, 2023, 2023, None]
    assert all(is_group(x) for x in ("部门", "乡镇街道", "本级政府", "县直部门", "镇街", "乡镇（街道）"))
    assert not any(is_group(x) for x in ("商务局", "政府信息公开指南"))
    assert all(Link("http://x/", t, "").is_pager for t in ("下一页", "下页", "尾页", "3", "末页"))
    whole = "峰桥县供销合作社联合社2023年度政府信息公开工作年度报告"
    assert Link("http://x/", whole[:26] + "...", whole).label == whole  # the cut text is longer than the title
    assert not Link("http://x/", "商务局", "").is_pager


def test_column_scope_keeps_pagers_inside_the_column() -> None:
    vsb = column_scope("http://x.gov.cn/xxgk/swj/nb.htm")
    assert in_scope("http://x.gov.cn/xxgk/swj/nb/3.htm", vsb) and in_scope("http://x.gov.cn/xxgk/swj/nb.htm", vsb)
    trs = column_scope("http://x.gov.cn/bmzd/swj_1/ndbg/index.html")
    assert in_scope("http://x.gov.cn/bmzd/swj_1/ndbg/index_2.html", trs)
    assert not in_scope("http://x.gov.cn/bmzd/sfj_2/ndbg/index_1.html", trs)  # drifting into another column


@pytest.mark.parametrize(
    "href, text",
    [
        ("http://x.gov.cn/module/download/downfile.jsp?classid=0&filename=9a1b.pdf", "附件"),
        ("http://x.gov.cn/zfxxgknb/202401/P020240125693736569729.pdf", "年报.pdf"),
        ("http://x.gov.cn/attachment/0/599/599288/4804801.pdf", "下载"),
        ("http://x.gov.cn/system/_content/download.jsp?urltype=news.DownloadAttachUrl&owner=1&wbfileid=2", "年度报告.docx"),
        ("http://x.gov.cn/api-gateway/jpaas-jis-server/front/file/download?fileId=ab.wps&token=1", "附件"),
    ],
)
def test_attachment_links(href: str, text: str) -> None:
    assert is_attachment(href, text)


def test_not_attachment_links() -> None:
    assert not is_attachment("http://x.gov.cn/art/2024/1/16/art_1_2.html", "点击查看解读")


def test_region_scope_and_trap_guard() -> None:
    scope = RegionScope("http://www.qc.gov.cn/")
    assert scope.owns("http://gk.qc.gov.cn/x.html") and scope.owns("http://www.qc.gov.cn:8080/a")
    assert not scope.owns("http://www.gov.cn/") and not scope.owns("ftp://www.qc.gov.cn/")
    assert "gk.qc.gov.cn:80" in scope.hosts  # observed: the portal's site links to its disclosure subdomain
    ip = RegionScope("http://122.137.242.24:8080/pub/")
    assert ip.owns("http://122.137.242.24/x") and not ip.owns("http://122.137.242.25/x")
    guard = TrapGuard(per_pattern=5, max_query=50)
    calendar = [guard.admit(f"http://x.gov.cn/hdrl/index.html?d=2024-06-{d:02d}") for d in range(1, 10)]
    assert calendar.count(True) == 5
    tabs = TrapGuard(per_pattern=3)  # year tabs repeat on every year page: one URL counts once
    assert all(tabs.admit(f"http://x.gov.cn/list?year={y}") for _ in range(5) for y in (2021, 2022, 2023))
    assert not guard.admit("http://x.gov.cn/search/index.html?q=" + "年" * 60)
    assert not guard.admit("http://x.gov.cn/search/index.html?q=a&p=2&p=3")


def test_gbk_without_declaration_decodes() -> None:
    html = "<html><head><title>青川县商务局</title></head><body>年报</body></html>".encode("gbk")
    assert decode_body(html, "text/html")[0].count("青川县商务局") == 1
    assert decode_body(html, None)[1] == "gb18030"
    declared = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk"></head><body>年报</body></html>'
    assert "年报" in decode_body(declared.encode("gbk"), None)[0]


# -- list endpoints named in a shell's script (tried before a browser) --------------------------------


def test_named_endpoints_are_read_from_scripts() -> None:
    script = ("$.ajax({url:'/api/article/list?columnId=12&page=1',success:draw});"
              "var tpl='/static/tpl/list.html'; var logo='/img/logo.png';")
    calls = named_calls([script], "http://x.gov.cn/col/nb/index.html")
    assert [c.url for c in calls] == ["http://x.gov.cn/api/article/list?columnId=12&page=1"]
    jpaas = "url:'/api-gateway/jpaas-publish-server/front/page/build/unit?pageId=9&amp;node_id=1&paramJson={}'"
    assert named_calls([jpaas], "http://x.gov.cn/")[0].url.endswith("&node_id=1&paramJson={}")  # not &para;mJson


@pytest.mark.parametrize(
    "payload",
    [
        '{"code":0,"data":{"list":[{"title":"青川县商务局2023年政府信息公开工作年度报告","url":"/art/1.html","pubDate":"2024-01-16"}]}}',
        'jsonp1({"html":"<ul><li><a href=\\"/art/1.html\\">青川县商务局2023年政府信息公开工作年度报告</a><span>2024-01-16</span></li></ul>"});',
        "<datastore><recordset><record><![CDATA[<li><a href='/art/1.html'>青川县商务局2023年政府信息公开工作年度报告</a>"
        "<span>2024-01-16</span></li>]]></record></recordset></datastore>",
    ],
    ids=["json", "jsonp-html", "xml-cdata"],
)
def test_named_endpoint_payloads(payload: str) -> None:
    rows = ApiLearner().parse("http://x.gov.cn/api/list", payload, {"base": "http://x.gov.cn/col/nb/index.html"}).rows
    assert [(r.url, r.title, r.date) for r in rows] == [
        ("http://x.gov.cn/art/1.html", "青川县商务局2023年政府信息公开工作年度报告", date(2024, 1, 16))]


def test_script_redirect_shells() -> None:
    from monitor.attribution import parse_html

    shell = parse_html("<html><head><script>location.replace('./jbxx202301/');</script></head><body></body></html>")
    assert script_redirect(shell, "http://x.gov.cn/zfxxgk/jx/index.html") == "http://x.gov.cn/zfxxgk/jx/jbxx202301/"
    page = parse_html("<html><body><p>" + "正文" * 200 + "</p><script>window.location.href='/m/'</script></body></html>")
    assert script_redirect(page, "http://x.gov.cn/a.html") is None  # a real page that also has a script


def test_a_pager_kept_base64_encoded_for_window_atob_is_read():
    """云南 (site-archetypes.md §1.9): the URL-encoded pager HTML, base64-encoded in <div id="pages">."""
    import base64
    from urllib.parse import quote

    from crawlers.page_reader import read

    pager = '<span class="p_no"><a href="nb/3.htm">2</a></span><span class="p_next"><a href="nb/3.htm">下页</a></span>'
    blob = base64.b64encode(quote(pager, safe="-_.!~*'()").encode()).decode()
    html = (f'<html><body><ul><li><a href="../info/1/2.htm">青川县商务局2023年政府信息公开工作年度报告</a></li></ul>'
            f'<div id="pages">{blob}</div><script>decode()</script></body></html>')
    found = [(link.url, link.is_pager) for link in read("http://x.gov.cn/xxgk/nb.htm", html).links]
    assert found == [("http://x.gov.cn/info/1/2.htm", False), ("http://x.gov.cn/xxgk/nb/3.htm", True),
                     ("http://x.gov.cn/xxgk/nb/3.htm", True)]
    assert read("http://x.gov.cn/a.htm", "<html><body><div>" + "A" * 60 + "</div></body></html>").links == []


def test_a_page_bar_stands_for_every_page_not_only_the_window_it_shows():
    """The URL scheme is inferred from the numbered links (TRS index_1 is page 2, VSB counts down, the xxgk
    product's list_2 is page 2) and filled in up to the last page (尾页); a first page that shows only
    首页 上一页 下一页 尾页 names page 2 by 下一页."""
    def bar(*pairs):
        return [Link(f"http://x.gov.cn{path}", text, "", in_pager=True) for path, text in pairs]

    trs = bar(("/nb/index_1.html", "2"), ("/nb/index_2.html", "3"), ("/nb/index_5.html", "末页"))
    assert pager_pages(trs, "http://x.gov.cn/nb/index.html") == [f"http://x.gov.cn/nb/index_{i}.html" for i in range(1, 6)]
    vsb = bar(("/xxgk/nb/9.htm", "2"), ("/xxgk/nb/8.htm", "3"), ("/xxgk/nb/1.htm", "尾页"))
    assert pager_pages(vsb, "http://x.gov.cn/xxgk/nb.htm") == [f"http://x.gov.cn/xxgk/nb/{i}.htm" for i in range(9, 0, -1)]
    terse = bar(("/", "首页"), ("/c1/list_2.shtml", "下一页"), ("/c1/list_4.shtml", "尾页"))
    assert pager_pages(terse, "http://x.gov.cn/c1/list.shtml") == [f"http://x.gov.cn/c1/list_{i}.shtml" for i in (2, 3, 4)]
    odd = bar(("/c1/a.html", "2"), ("/c1/zz.html", "3"))  # no scheme fits: the links themselves
    assert pager_pages(odd, "http://x.gov.cn/c1/list.html") == ["http://x.gov.cn/c1/a.html", "http://x.gov.cn/c1/zz.html"]


def test_a_page_bar_a_script_draws_is_learnt_once_and_read_off_every_list_of_that_script():
    """TRS's createPageHTML(3, 0, "index", "html") (index_1 is page 2), the xxgk product's
    createPageHTML('page_div', 7, 1, 'list', 'shtml', 20) (list_2 is page 2), TRS's var countPage = 3: what the
    browser drew on one list teaches which literal is the page count and how pages are numbered."""
    from crawlers import script_pager

    xxgk = ["createPageHTML('page_div',7,1,'list','shtml',20);"]
    scheme = script_pager.learn("http://x.gov.cn/a/c1/list.shtml", xxgk,
                                [f"http://x.gov.cn/a/c1/list_{k}.shtml" for k in range(2, 8)])
    assert script_pager.apply(scheme, "http://x.gov.cn/a/c9/list.shtml", ["createPageHTML('page_div',3,1,'list','shtml',9);"]) \
        == ["http://x.gov.cn/a/c9/list_2.shtml", "http://x.gov.cn/a/c9/list_3.shtml"]
    trs = script_pager.learn("http://x.gov.cn/nb/index.html", ['createPageHTML(3, 0, "index", "html");'],
                             ["http://x.gov.cn/nb/index_1.html", "http://x.gov.cn/nb/index_2.html"])
    assert script_pager.apply(trs, "http://x.gov.cn/bm/index.html", ['createPageHTML(2, 0, "index", "html");']) \
        == ["http://x.gov.cn/bm/index_1.html"]
    count = script_pager.learn("http://x.gov.cn/nb/index.shtml", ["var countPage = 3; var currentPage = 0; bar();"],
                               ["http://x.gov.cn/nb/index_1.shtml", "http://x.gov.cn/nb/index_2.shtml"])
    assert count is not None and count.offset == -1
    assert script_pager.learn("http://x.gov.cn/nb/index.html", ["draw(5);"], ["http://x.gov.cn/other/p2.html"]) is None
