"""monitor.attribution on the title, metadata and body variants real sites use (site-archetypes.md §1–§3)."""

from __future__ import annotations

from datetime import date

import pytest

from monitor.attribution import (
    Directory,
    PageFacts,
    Unit,
    agency_kind,
    attribute,
    expand_name,
    infer_region,
    is_abbreviation,
    judge_page,
    judge_title,
    parse_date,
    read_page,
    report_year,
    shown_date,
    title_agency,
    title_year,
    url_date,
)

REGION = "青川县"


def directory() -> Directory:
    """A unit directory as the portal lists it: full names in title attributes, short names as text."""
    return Directory(
        REGION,
        [
            Unit("青川县人民政府", "government", ("县政府",)),
            Unit("青川县人民政府办公室", "department", ("政府办",)),
            Unit("青川县商务局", "department", ("商务局",)),
            Unit("青川县司法局", "department", ("司法局",)),
            Unit("青川县人力资源和社会保障局", "department", ("人社局",)),
            Unit("青川县城市管理局", "department", ("城管局",)),
            Unit("青川县经济开发区管理委员会", "department", ("经开区管委会",)),
            Unit("青川县木鱼镇人民政府", "township", ("木鱼镇",)),
            Unit("青川县城关街道办事处", "township", ("城关街道",)),
        ],
    )


# -- titles: is it a report, which year, whose -----------------------------------------------------


@pytest.mark.parametrize(
    "title, year, agency",
    [
        ("青川县商务局2023年政府信息公开工作年度报告", 2023, "青川县商务局"),  # canonical
        ("2023年下各镇政府信息公开工作年度报告", 2023, "下各镇"),  # year first
        ("2022年区人力社保局政府信息公开工作年度报告", 2022, "区人力社保局"),
        ("木场乡人民政府2023年度政府信息公开工作年度报告", 2023, "木场乡人民政府"),  # redundant 年度
        ("2025湖口县大垅乡2025年度政府信息公开工作年度报告", 2025, "湖口县大垅乡"),  # duplicated year
        ("2009年度下管镇政府信息公开年度报告", 2009, "下管镇"),  # missing 工作
        ("鄂尔多斯市2018年政府信息公开年度报告", 2018, "鄂尔多斯市"),
        ("下湿壕镇政府2022年信息公开工作年度报告", 2022, "下湿壕镇政府"),
        ("舒兰市市场监督管理局2016年政务信息公开年度报告", 2016, "舒兰市市场监督管理局"),
        ("青川县商务局2023年政府信息公开年度工作报告", 2023, "青川县商务局"),
        ("青川县商务局2023年度政府信息公开工作报告", 2023, "青川县商务局"),
        ("县人社局2021年政府信息公开工作年度报告", 2021, "县人社局"),  # abbreviated
        ("武汉市东湖生态旅游风景区管理委员会 卫生健康办公室2023年政府信息公开工作年度报告", 2023,
         "武汉市东湖生态旅游风景区管理委员会卫生健康办公室"),  # a space inside the name
        ("2022年政府信息公开工作年度报告", 2022, None),  # generic: agency only in 发布机构 or body
    ],
)
def test_report_titles(title: str, year: int, agency: str | None) -> None:
    verdict = judge_title(title)
    assert verdict.kind == "report"
    assert verdict.year == year == title_year(title)
    assert title_agency(title) == agency


@pytest.mark.parametrize(
    "title",
    [
        "《青川县2023年政府信息公开工作年度报告》解读",
        "图解：青川县商务局2023年政府信息公开工作年度报告",
        "关于青川县商务局2023年政府信息公开工作年度报告的说明",
        "无锡经开区2021年政府信息公开年度工作报告说明",
        "青川县2024年政务公开工作要点",
        "青川县2023年法治政府建设年度报告",
        "青川县商务局2024年部门预算公开",
        "青川县商务局2022年部门决算",
        "商务局召开2024年度政务公开工作推进会",
        "青川县人民政府关于开展安全生产大检查的通知",
        # a compiling notice in the 年报 column (practice world, 泠江区): about reports, not one
        "关于做好2023年度政府信息公开工作年度报告编制发布工作的通知",
    ],
)
def test_noise_titles(title: str) -> None:
    assert judge_title(title, REGION).kind == "noise"


@pytest.mark.parametrize(
    "title, other",
    [
        ("广元市2023年政府信息公开工作年度报告", "广元市"),
        ("四川省2023年政府信息公开工作年度报告", "四川省"),
        ("内蒙古自治区2018年政府信息公开工作年度报告", "内蒙古自治区"),
        ("2023年广元市人民政府政府信息公开工作年度报告", "广元市人民政府"),
        ("剑阁县商务局2023年政府信息公开工作年度报告", "剑阁县商务局"),  # a neighbour county's unit
    ],
)
def test_higher_level_and_other_regions_are_not_ours(title: str, other: str) -> None:
    verdict = judge_title(title, REGION)
    assert verdict.kind == "foreign" and verdict.foreign == other


@pytest.mark.parametrize(
    "title",
    [
        "青川县2023年政府信息公开工作年度报告",
        "县城市管理局2023年政府信息公开工作年度报告",  # 城市 must not read as a 市
        "区城市管理局2023年政府信息公开工作年度报告",
        "经开区管委会2023年政府信息公开工作年度报告",  # a zone, not another 区
        "市场监管局2023年政府信息公开工作年度报告",
    ],
)
def test_own_short_names_are_not_foreign(title: str) -> None:
    assert judge_title(title, REGION).kind == "report"


def test_group_column_titles_are_not_reports() -> None:
    assert judge_title("2023年本级政府政府信息公开年报", REGION).kind == "maybe"
    assert judge_title("2023年乡镇街道政府信息公开年报", REGION).kind == "maybe"
    assert judge_title("年度报告", REGION).kind == "maybe"


def test_year_from_body_when_title_has_none() -> None:
    body = "本报告所列数据的统计期限自20231月1日起至2023年12月31日止。"  # a typo seen on 大余's site
    assert report_year("年度报告", body) == 2023
    assert report_year("年度报告", "青川县木鱼镇人民政府2022年政府信息公开工作年度报告\n一、总体情况") == 2022
    # the title wins over the body, and never the folder (the caller does not even pass it)
    assert report_year("青川县商务局2023年政府信息公开工作年度报告", "自2022年1月1日起") == 2023


# -- page facts -------------------------------------------------------------------------------------


def _page(head: str = "", body: str = "") -> str:
    return f"<!DOCTYPE html><html><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>"


SECTIONS = "".join(
    f"<p>{n}、{t}</p><p>正文。</p>"
    for n, t in zip("一二三四五六", ("总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况",
                                    "政府信息公开行政复议、行政诉讼情况", "存在的主要问题及改进情况", "其他需要报告的事项"))
)


def test_hanweb_zhejiang_metadata_table_and_info_line() -> None:
    html = _page(
        "<title>青川县商务局2023年政府信息公开工作年度报告</title>",
        '<div class="crumbs">当前位置：<a href="/">首页</a> &gt; <a href="/col/col1/index.html">部门</a> &gt; '
        '<a href="/col/col7/index.html">商务局</a> &gt; 政府信息公开年报</div>'
        '<table class="xxgk_table"><tr><th>索引号：</th><td>1133102400268125XW/2024-104757</td><th>公开方式：</th>'
        "<td>主动公开</td></tr><tr><th>成文日期：</th><td>2024-01-16</td><th>发布机构：</th><td>青川县商务局</td></tr>"
        "<tr><th>组配分类：</th><td>政府信息公开年报</td></tr></table>"
        '<h1 class="title">青川县商务局2023年政府信息公开工作年度报告</h1>'
        '<div class="info">发布日期: 2024-01-16 访问次数: <span id="c"></span></div>'
        f'<div id="zoom"><p>青川县商务局2023年政府信息公开工作年度报告</p>{SECTIONS}</div>',
    )
    facts = read_page(html)
    assert facts.title == "青川县商务局2023年政府信息公开工作年度报告"
    assert facts.fields["发布机构"] == "青川县商务局"
    assert facts.fields["成文日期"] == "2024-01-16" and facts.fields["发布日期"] == "2024-01-16"
    assert facts.crumbs == ["首页", "部门", "商务局", "政府信息公开年报"]
    assert facts.container and facts.heading == "青川县商务局2023年政府信息公开工作年度报告"
    assert judge_page(facts, REGION).is_report
    assert shown_date(facts) == (date(2024, 1, 16), "header")


def test_trs_meta_tags_and_blank_publication_field() -> None:
    """武汉东湖: 「更新时间:2024-01-16 发布时间: 来源:区卫健办」 — the blank 发布时间 is not a date, <meta PubDate> is."""
    html = _page(
        '<meta name="ArticleTitle" content="县人社局2023年政府信息公开工作年度报告">'
        '<meta name="PubDate" content="2024-01-23 10:00"><meta name="ContentSource" content="县人社局">'
        '<meta name="ColumnName" content="政府信息公开年报">',
        '<h1 class="title">县人社局2023年政府信息公开工作年度报告</h1>'
        '<div class="info">更新时间:2024-02-01 发布时间: 来源:县人社局</div>'
        f'<div class="TRS_Editor">{SECTIONS}</div>',
    )
    facts = read_page(html)
    assert facts.fields["发布时间"] == "" and facts.fields["来源"] == "县人社局"
    assert shown_date(facts) == (date(2024, 1, 23), "meta")
    att = attribute(facts, directory())
    assert (att.agency, att.kind, att.source) == ("青川县人力资源和社会保障局", "department", "fields")


def test_matrix_header_line_with_time_and_source() -> None:
    html = _page(
        "",
        '<div class="crumbs">网站首页 &gt; 政府信息公开 &gt; 木鱼镇 &gt; 政府信息公开年报</div>'
        '<h1 class="title">2024年政府信息公开工作年度报告</h1>'
        '<div class="info">发布时间:2025-01-14 08:18 来源:青川县木鱼镇人民政府</div>'
        '<div class="article-content" id="zoom"><p>根据条例规定，现公布本单位年度报告，详见附件。</p>'
        '<p>附件：<a href="/uploads/x.pdf">2024年政府信息公开工作年度报告.pdf</a></p></div>',
    )
    facts = read_page(html)
    assert shown_date(facts) == (date(2025, 1, 14), "header")
    assert facts.crumbs[-2] == "木鱼镇"
    assert judge_page(facts, REGION, attachments=1).is_report  # a notice whose text is in the file
    att = attribute(facts, directory())
    assert (att.agency, att.kind) == ("青川县木鱼镇人民政府", "township")


def test_jpaas_grid_with_empty_generation_date() -> None:
    html = _page(
        "",
        '<div class="article-title"><h1>2023年政府信息公开工作年度报告</h1></div>'
        '<table><tr><th>索引号：</th><td>234234234444444444/2024-00001</td><th>生成日期：</th><td></td></tr>'
        "<tr><th>所属机构：</th><td>青川县司法局</td><th>发布机构：</th><td>青川县司法局</td></tr>"
        "<tr><th>信息来源：</th><td>县司法局</td><th>发布时间：</th><td>2024-01-05 11:19</td></tr></table>"
        f'<div class="article-content" id="zoom">{SECTIONS}</div>',
    )
    facts = read_page(html)
    assert facts.fields["生成日期"] == ""
    assert shown_date(facts) == (date(2024, 1, 5), "header")
    assert attribute(facts, directory()).agency == "青川县司法局"


def test_list_pages_are_not_reports() -> None:
    """A central 年报 column titled like a report, with rows of reports, is a list."""
    rows = "".join(
        f'<li><a href="/art/{i}.html">青川县{u}2023年政府信息公开工作年度报告</a><span>2024-01-1{i}</span></li>'
        for i, u in enumerate(("商务局", "司法局", "财政局"))
    )
    facts = read_page(_page("<title>2023年度政府信息公开年报</title>", f"<h1>2023年度政府信息公开年报</h1><ul>{rows}</ul>"))
    assert not judge_page(facts, REGION, report_links=3).is_report
    single = read_page(_page("<title>2023年部门政府信息公开年报</title>", f"<h2>2023年部门政府信息公开年报</h2><ul>{rows[:90]}</ul>"))
    assert not judge_page(single, REGION, report_links=1).is_report  # no article body, no metadata


def test_generic_title_agency_in_body_only() -> None:
    """桃江 松木塘镇: title without agency, no metadata; the body's heading names it."""
    html = _page(
        "<title>2022年政府信息公开工作年度报告</title>",
        f'<div id="zoom"><p>青川县木鱼镇人民政府2022年政府信息公开工作年度报告</p>{SECTIONS}</div>',
    )
    facts = read_page(html)
    verdict = judge_page(facts, REGION)
    assert verdict.is_report and verdict.year == 2022
    att = attribute(facts, directory())
    assert (att.agency, att.source) == ("青川县木鱼镇人民政府", "heading")


def test_body_signature_is_the_last_resort() -> None:
    html = _page(
        "<title>2023年政府信息公开工作年度报告</title>",
        f'<div id="zoom">{SECTIONS}<p>如对本年度报告有任何疑问，请联系青川县城关街道办事处（联系电话：0839-1234567）。</p></div>',
    )
    att = attribute(read_page(html), directory())
    assert (att.agency, att.kind, att.source) == ("青川县城关街道办事处", "township", "signature")


def test_higher_level_report_reposted_with_our_publisher_is_foreign() -> None:
    """The reposting government is the 发布机构; the title and heading name the province."""
    html = _page(
        "<title>四川省2023年政府信息公开工作年度报告</title>",
        "<table><tr><th>发布机构：</th><td>青川县人民政府</td></tr></table>"
        f'<h1>四川省2023年政府信息公开工作年度报告</h1><div id="zoom"><p>四川省人民政府2023年政府信息公开工作年度报告</p>{SECTIONS}</div>',
    )
    verdict = judge_page(read_page(html), REGION, directory())
    assert verdict.kind == "foreign" and verdict.foreign == "四川省"


def test_jiedu_with_report_words_in_body_is_noise() -> None:
    html = _page(
        "<title>《青川县2023年政府信息公开工作年度报告》解读</title>",
        '<h1>《青川县2023年政府信息公开工作年度报告》解读</h1><div id="zoom">'
        "<p>近日，青川县发布了《2023年政府信息公开工作年度报告》。现就报告主要内容解读如下。</p>"
        "<p>一、主动公开情况。</p><p>二、依申请公开情况。</p></div>",
    )
    assert judge_page(read_page(html), REGION).kind == "noise"


# -- agency names ---------------------------------------------------------------------------------


def test_trust_order_fields_over_crumbs_over_column_over_title() -> None:
    d = directory()
    facts = PageFacts(title="县商务局2023年政府信息公开工作年度报告", fields={"发布机构": "青川县司法局"},
                      crumbs=["首页", "部门", "城管局", "政府信息公开年报"])
    # 白城: a report filed in another unit's column belongs to its 发布机构
    assert attribute(facts, d, column_unit="青川县商务局").agency == "青川县司法局"
    facts.fields = {}
    att = attribute(facts, d, column_unit="青川县商务局")
    assert (att.agency, att.source) == ("青川县城市管理局", "crumbs")
    facts.crumbs = []
    assert attribute(facts, d, column_unit="青川县司法局").agency == "青川县司法局"
    att = attribute(facts, d)
    assert (att.agency, att.source) == ("青川县商务局", "title")
    assert att.said == {"title": "县商务局"}


def test_portal_owner_as_publisher_yields_to_the_named_unit() -> None:
    """Central columns often state the government office as 发布机构 for every unit's report."""
    facts = PageFacts(title="青川县商务局2023年政府信息公开工作年度报告", fields={"发布机构": "青川县人民政府办公室"})
    assert attribute(facts, directory()).agency == "青川县商务局"
    own = PageFacts(title="青川县人民政府办公室2023年政府信息公开工作年度报告", fields={"发布机构": "青川县人民政府办公室"})
    assert attribute(own, directory()).agency == "青川县人民政府办公室"


def test_the_government_office_named_only_as_publisher_is_the_government_s_publisher() -> None:
    """The 主管部门 (the government's general office) publishes the government's own report (条例 art. 49 ¶2).
    With no directory listing the office as a unit: a report whose own title names the government is the
    government's, whoever published it (practice world, 泠江区); one whose title names the office is the
    office's; a generic title leaves the publisher as the only evidence."""
    bare = Directory("青川县")
    gov = PageFacts(title="青川县2022年政府信息公开工作年度报告", fields={"发布机构": "青川县人民政府办公室"})
    assert attribute(gov, bare).agency == "青川县人民政府"
    short = PageFacts(title="县政府2022年政府信息公开工作年度报告", fields={"来源": "县政府办"})
    assert attribute(short, bare).agency == "青川县人民政府"
    own = PageFacts(title="青川县人民政府办公室2023年政府信息公开工作年度报告")
    assert attribute(own, bare).agency == "青川县人民政府办公室"
    generic = PageFacts(title="2022年政府信息公开工作年度报告", fields={"发布机构": "青川县人民政府办公室"},
                        heading="青川县人民政府办公室2022年政府信息公开工作年度报告")
    assert attribute(generic, bare).agency == "青川县人民政府办公室"


@pytest.mark.parametrize(
    "short, full",
    [
        ("县商务局", "青川县商务局"),
        ("商务局", "青川县商务局"),
        ("人社局", "青川县人力资源和社会保障局"),
        ("县人社局", "青川县人力资源和社会保障局"),
        ("县政府", "青川县人民政府"),
        ("青川县政府", "青川县人民政府"),
        ("政府办", "青川县人民政府办公室"),
        ("木鱼镇", "青川县木鱼镇人民政府"),
        ("木鱼镇人民政府", "青川县木鱼镇人民政府"),
        ("城关街道", "青川县城关街道办事处"),
        ("经开区管委会", "青川县经济开发区管理委员会"),
        ("城管局", "青川县城市管理局"),
    ],
)
def test_directory_expands_short_names(short: str, full: str) -> None:
    unit = directory().resolve(short)
    assert unit is not None and unit.name == full


def test_no_directory_expansion_by_rule_and_from_a_fuller_tier() -> None:
    empty = Directory(REGION)
    assert expand_name("县商务局", REGION) == "青川县商务局"
    assert expand_name("商务局", REGION) == "青川县商务局"
    assert expand_name("木鱼镇", REGION) == "青川县木鱼镇人民政府"
    assert expand_name("城关街道", REGION) == "青川县城关街道办事处"
    assert expand_name("县政府", REGION) == "青川县人民政府"
    assert expand_name("广元市青川县商务局", REGION) == "青川县商务局"
    # 来源 gives 县人社局; the body heading gives the full name of the same agency.
    facts = PageFacts(title="2023年政府信息公开工作年度报告", fields={"来源": "县人社局"},
                      heading="青川县人力资源和社会保障局2023年政府信息公开工作年度报告")
    att = attribute(facts, empty)
    assert (att.agency, att.kind, att.source) == ("青川县人力资源和社会保障局", "department", "fields")
    assert attribute(PageFacts(title="县商务局2023年政府信息公开工作年度报告"), empty).agency == "青川县商务局"


def test_abbreviations() -> None:
    assert is_abbreviation("人社局", "人力资源和社会保障局")
    assert is_abbreviation("政府办", "人民政府办公室")
    assert is_abbreviation("市场监管局", "市场监督管理局")
    assert not is_abbreviation("商务局", "司法局")
    assert not is_abbreviation("商务局", "商务局")


@pytest.mark.parametrize(
    "name, kind",
    [
        ("青川县人民政府", "government"),
        ("青川县人民政府办公室", "department"),
        ("青川县乡村振兴局", "department"),
        ("青川县城乡建设局", "department"),
        ("青川县木鱼镇人民政府", "township"),
        ("青川县城关街道办事处", "township"),
        ("下湿壕镇政府", "township"),
        ("青川县经济开发区管理委员会", "department"),
    ],
)
def test_agency_kind(name: str, kind: str) -> None:
    assert agency_kind(name, REGION) == kind


def test_region_read_off_the_portal() -> None:
    assert infer_region(["青川县人民政府门户网站", "主办：青川县人民政府办公室", "青川县人民政府"]) == "青川县"
    assert infer_region(["欢迎访问"]) is None


# -- dates ----------------------------------------------------------------------------------------


def test_date_sources_in_order_of_trust() -> None:
    listed = date(2024, 1, 17)
    url = "http://x.gov.cn/art/2024/1/18/art_1229_1.html"
    assert shown_date(PageFacts(fields={"发布日期": "2024年1月16日"}, meta={"pubdate": "2024-01-20"}), listed, url) == (
        date(2024, 1, 16), "header")
    assert shown_date(PageFacts(meta={"pubdate": "2024-01-20 09:00"}), listed, url) == (date(2024, 1, 20), "meta")
    assert shown_date(PageFacts(fields={"发布时间": ""}), listed, url) == (listed, "list")
    assert shown_date(PageFacts(), None, url) == (date(2024, 1, 18), "url")
    assert shown_date(PageFacts(fields={"更新时间": "2024-02-01"}), None, "http://x/a.html") == (date(2024, 2, 1), "header")
    assert shown_date(PageFacts(), None, "http://x/a.html") == (None, None)


def test_date_formats() -> None:
    assert parse_date("2024-01-05 11:19") == date(2024, 1, 5)
    assert parse_date("2024/01/16") == date(2024, 1, 16)
    assert parse_date("2020年1月23日") == date(2020, 1, 23)
    assert parse_date("2024-13-45") is None
    assert url_date("http://x/zfxxgknb/202401/t20240123_4408358.shtml") == date(2024, 1, 23)
    assert url_date("http://x/art/2024/1/16/art_1229325036_3913369.html") == date(2024, 1, 16)
    assert url_date("http://x/info/1039/108122.htm") is None


def test_bad_html_never_raises() -> None:
    for html in ("", "   ", "<?xml version='1.0' encoding='gbk'?><html><body>x</body></html>", "<<<>>>"):
        facts = read_page(html)
        assert not judge_page(facts, REGION).is_report


def test_metadata_decides_an_inconclusive_title() -> None:
    """Title 「年度报告」 alone says little; 组配分类 = 政府信息公开年报 (Zhejiang) files it as a report.
    A 解读 filed in the same class stays noise: its title decides first."""
    table = "<table><tr><th>组配分类：</th><td>政府信息公开年报</td><th>发布机构：</th><td>青川县商务局</td></tr></table>"
    body = '<div id="zoom"><p>本报告统计期限自2023年1月1日起至2023年12月31日止，全文详见附件。</p></div>'
    report = read_page(_page("<title>年度报告</title>", f"{table}<h1>年度报告</h1>{body}"))
    verdict = judge_page(report, REGION, attachments=1)
    assert (verdict.kind, verdict.reason) == ("report", "metadata")
    unfiled = read_page(_page("<title>年度报告</title>", f"<h1>年度报告</h1>{body}"))
    assert not judge_page(unfiled, REGION, attachments=1).is_report
    jiedu = read_page(_page("<title>《2023年政府信息公开工作年度报告》解读</title>",
                            f"{table}<h1>《2023年政府信息公开工作年度报告》解读</h1>{body}"))
    assert judge_page(jiedu, REGION, attachments=1).kind == "noise"
