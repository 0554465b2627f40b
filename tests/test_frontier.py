"""The frontier: every in-scope link is a candidate, ranked by its words; drops only for the stated reasons.

Labels come from real sites (site-archetypes.md §2, the practice world): a group called 「县政府部门」 that no
pattern of ours names, news and service sections, year folders and tabs, pagers that drift out of a column.
"""

from __future__ import annotations

from datetime import date

from crawlers.context import Ctx, YearWindow
from crawlers.frontier import (
    PRIORITY_COLUMN,
    PRIORITY_LIST,
    PRIORITY_NAV,
    PRIORITY_STRAY,
    ROW,
    Follow,
    Frontier,
    column_scope,
)
from crawlers.page_reader import Link
from crawlers.scope import RegionScope
from monitor.portals import default_region_name, path_prefix, portal_key

PORTAL = "http://h.gov.cn:8000/wuling/"


def frontier(**kw) -> Frontier:
    return Frontier(RegionScope(PORTAL), YearWindow(frozenset({2022, 2023})), **kw)


def link(path: str, text: str, **kw) -> Link:
    return Link(f"http://h.gov.cn:8000{path}", text, "", **kw)


def test_an_unfamiliar_group_inside_a_column_is_followed_like_a_known_one():
    f = frontier()
    year = Ctx(role="list", depth=3, nb=True, scope=column_scope("http://h.gov.cn:8000/wuling/zfxxgk/zfxxgknb/2023nd/index.html"))
    known = f.route(link("/wuling/zfxxgk/zfxxgknb/2023nd/xzjgk/index.html", "乡镇"), year, listing=False)
    unknown = f.route(link("/wuling/zfxxgk/zfxxgknb/2023nd/xzfbm/index.html", "县政府部门"), year, listing=False)
    assert isinstance(known, Follow) and isinstance(unknown, Follow)
    assert known.ctx.nb and unknown.ctx.nb and unknown.ctx.role == "list"
    assert unknown.priority < known.priority  # familiar words first


def test_words_rank_links_and_unknown_labels_come_last_but_come():
    f = frontier()
    home = Ctx(role="nav", depth=0)
    column = f.route(link("/wuling/zfxxgk/zfxxgknb/index.html", "政府信息公开年报"), home, listing=False)
    xxgk = f.route(link("/wuling/zfxxgk/index.html", "政府信息公开"), home, listing=False)
    odd = f.route(link("/wuling/ygzw/index.html", "阳光政务"), home, listing=False)
    assert (column.priority, xxgk.priority, odd.priority) == (PRIORITY_COLUMN, PRIORITY_NAV, PRIORITY_STRAY)
    assert column.ctx.nb and not odd.ctx.nb and odd.ctx.stray == 1


def test_stray_hops_are_bounded_and_a_familiar_label_resets_them():
    f = frontier(stray_limit=2)
    ctx = Ctx(role="nav", depth=1, stray=2)
    assert f.route(link("/wuling/a/index.html", "走进梧岭"), ctx, listing=False) is None
    back = f.route(link("/wuling/zfxxgk/index.html", "政务公开"), ctx, listing=False)
    assert isinstance(back, Follow) and back.ctx.stray == 0
    assert f.dropped["stray_limit"] == 1


def test_drops_are_only_scope_prefix_non_disclosure_depth_and_traps():
    f = frontier(depth_limit=4)
    home = Ctx(role="nav", depth=0)
    assert f.route(Link("http://www.gov.cn/", "中国政府网", ""), home, listing=False) is None
    assert f.route(link("/tanghu/xxgk/index.html", "信息公开"), home, listing=False) is None  # another county's prefix
    assert f.route(link("/wuling/xwzx/index.html", "新闻中心"), home, listing=False) is None
    assert f.route(link("/wuling/hdjl/index.html", "互动交流"), home, listing=False) is None
    assert f.route(link("/wuling/bsfw/index.html", "网上办事"), home, listing=False) is None
    column = Ctx(role="list", depth=3, nb=True, scope=column_scope("http://h.gov.cn:8000/wuling/nb/2023.htm"))
    assert frontier().route(link("/wuling/nb/2023/jdbsc.htm", "街道办事处"), column, listing=False)  # a group
    deep = Ctx(role="nav", depth=4)
    assert f.route(link("/wuling/zfxxgk/index.html", "政府信息公开"), deep, listing=False) is None
    assert set(f.dropped) == {"out_of_scope", "outside_prefix", "non_disclosure", "depth_limit"}


def test_rows_are_judged_by_their_title_not_routed():
    f = frontier()
    home = Ctx(role="nav", depth=0)
    dated = link("/wuling/xwzx/zwdt/202401/t20240109_1.html", "梧岭县开展“政务公开日”活动", row_date=date(2024, 1, 9))
    assert f.route(dated, home, listing=False) == ROW
    report = link("/wuling/x/t1.html", "梧岭县教育局2023年政府信息公开工作年度报告")
    assert f.route(report, home, listing=False) == ROW


def test_pagers_stay_in_their_column_and_are_followed_outside_one_only_on_lists():
    f = frontier()
    column = Ctx(role="list", depth=3, nb=True, scope=column_scope("http://h.gov.cn:8000/wuling/bm/swj/nb/index.html"))
    assert isinstance(f.route(link("/wuling/bm/swj/nb/index_1.html", "下一页"), column, listing=True), Follow)
    assert f.route(link("/wuling/bm/sfj/nb/index_1.html", "2"), column, listing=True) is None  # drifts away
    nav = Ctx(role="nav", depth=2)
    assert f.route(link("/wuling/news/index_2.html", "下一页"), nav, listing=False) is None  # a news list's pager
    assert isinstance(f.route(link("/wuling/units/index_2.html", "下一页"), nav, listing=True), Follow)


def test_year_tabs_of_a_page_that_lists_reports_are_year_folders():
    f = frontier()
    unit = Ctx(role="unit", depth=2, unit="棠湖区统计局")
    tab = f.route(link("/wuling/openness/AnnualReport/year/tjj/2022.html", "2022年"), unit, listing=True)
    assert isinstance(tab, Follow) and tab.ctx.nb and tab.ctx.year == 2022 and tab.ctx.unit == "棠湖区统计局"
    assert tab.priority == PRIORITY_LIST
    assert f.route(link("/wuling/openness/AnnualReport/year/tjj/2019.html", "2019年"), unit, listing=True) is None


def test_the_portal_s_menu_is_not_followed_again_from_every_page():
    f = frontier()
    menu = [link("/wuling/index.html", "首页"), link("/wuling/zfxxgk/index.html", "政府信息公开")]
    f.learn_chrome(menu)
    page = [*menu, link("/wuling/zfxxgk/bmxxgk/index.html", "部门信息公开")]
    assert f.own_links(page, portal=False) == page[2:]
    assert f.own_links(page, portal=True) == page


def test_a_region_is_its_portal_prefix_not_its_host():
    assert portal_key("http://h:8000/wuling/") == portal_key("http://h:8000/wuling/index.html") == "h:8000/wuling/"
    assert portal_key("http://h:8000/tanghu/") != portal_key("http://h:8000/wuling/")
    assert portal_key("http://www.qc.gov.cn") == "www.qc.gov.cn:80/" and path_prefix("http://www.qc.gov.cn") == "/"
    assert default_region_name("http://www.qc.gov.cn/") == "www.qc.gov.cn"  # as before prefixes counted
    assert default_region_name("http://h:8000/wuling/index.html") == "h:8000/wuling"
    scope = RegionScope("http://h:8000/wuling/")
    assert scope.navigable("http://h:8000/wuling/zfxxgk/") and not scope.navigable("http://h:8000/tanghu/")
    assert scope.owns("http://h:8000/attach/0/1.pdf")  # files and APIs of a shared platform lie outside a prefix
