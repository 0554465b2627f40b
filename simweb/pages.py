"""Shared page pieces: chrome, lists, metadata blocks, date formats.

Real sites differ most in a few places a crawler keys on — the metadata block's field names, the
date label and format, the list markup — so these come in the named variants seen on real sites
(site-archetypes.md §1.1–1.5, §3) and each family picks its own.  Keeping them here keeps family
modules small and makes the variants consistent across families.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from html import escape
from typing import TYPE_CHECKING, TypeVar

from simweb.model import Entry, NoiseItem, ReportItem

if TYPE_CHECKING:
    from simweb.families.base import Site

DATE_LABELS: tuple[str, ...] = ("发布时间", "发布日期", "时间", "日期", "公开日期", "公文生成日期", "更新时间")

# Metadata block field sets (label sequences) seen on real detail pages.
META_STYLES: dict[str, tuple[str, ...]] = {
    # Hanweb, Zhejiang: 组配分类 carries "政府信息公开年报".
    "zj": ("索引号", "公开方式", "成文日期", "发布机构", "组配分类"),
    # Hanweb, Gansu.
    "gansu": ("索引号", "公开方式", "发布机构", "信息来源", "发布日期", "浏览次数"),
    # Hanweb, Jiangsu 泰州.
    "taizhou": ("索引号", "分类", "发布机构", "发文日期", "文号", "有效性"),
    # Hanweb JPaaS grid.
    "jpaas": ("索引号", "生成日期", "文号", "关键字", "所属机构", "发布机构", "信息来源", "发布时间", "浏览次数"),
    # VSB (楚雄): 生成日期 often empty.
    "vsb": ("索引号", "信息分类", "发文日期", "发布机构", "生成日期", "名称", "文号"),
    # Generic provincial xxgk product.
    "xxgk": ("索引号", "主题分类", "发布机构", "成文日期", "发布日期", "文号"),
}

INDEX_STYLES: tuple[str, ...] = ("uscc", "org9", "bare", "placeholder", "site")

T = TypeVar("T")


# ----------------------------------------------------------------------------------------------
# Dates


def fmt_date(d: date | None, style: str = "iso", time: str = "") -> str:
    """Render a date as sites do: iso (2024-01-16), iso_time (2024-01-16 11:19), slash
    (2024/01/16), cn (2024年01月16日), cn_short (2024年1月16日).  None → ""."""
    if d is None:
        return ""
    if style == "iso":
        return d.isoformat()
    if style == "iso_time":
        return f"{d.isoformat()} {time or '09:00'}"
    if style == "slash":
        return d.strftime("%Y/%m/%d")
    if style == "cn":
        return f"{d.year}年{d.month:02d}月{d.day:02d}日"
    if style == "cn_short":
        return f"{d.year}年{d.month}月{d.day}日"
    raise ValueError(f"unknown date style {style!r}")


# ----------------------------------------------------------------------------------------------
# Page chrome


def page(site: "Site", title: str, body: str, *, crumbs: Sequence[tuple[str, str]] = (), head: str = "") -> str:
    """A complete HTML page with the region's header, a breadcrumb, and the footer."""
    region = site.region
    crumb_html = ""
    if crumbs:
        parts = [f'<a href="{escape(href)}">{escape(label)}</a>' if href else escape(label) for label, href in crumbs]
        crumb_html = f'<div class="crumbs">当前位置：{" &gt; ".join(parts)}</div>'
    return (
        "<!DOCTYPE html>\n<html>\n<head>\n"
        f"{site.meta_charset()}\n<title>{escape(title)}</title>\n{head}\n</head>\n<body>\n"
        f'<div class="header"><a href="{site.base_urls["www"]}/">{escape(region.name)}人民政府</a></div>\n'
        f"{crumb_html}\n<div class=\"main\">\n{body}\n</div>\n{footer(site)}\n</body>\n</html>\n"
    )


def footer(site: "Site") -> str:
    """Site footer.  Fault knobs plant their bait here: a redirect loop or a crawler trap link."""
    from simweb.traps import trap_links

    links = "".join(f'<a href="{escape(href)}">{escape(label)}</a> ' for label, href in trap_links(site))
    region = site.region
    return (
        f'<div class="footer">{links}<p>主办：{escape(region.name)}人民政府办公室 '
        f"网站标识码：{region.seed % 10**10:010d}</p></div>"
    )


def not_found_page(site: "Site") -> str:
    return page(site, "404 页面不存在", "<h1>404</h1><p>您访问的页面不存在或已被删除。</p>")


# ----------------------------------------------------------------------------------------------
# Lists and paging


def entry_row(href: str, entry: Entry, date_cls: str = "") -> str:
    """One list row as most CMSs write it, dated with the list date:
    `<li><a href title target=_blank>title</a><span [class]>2024-01-16</span></li>`."""
    span = f'<span class="{date_cls}">' if date_cls else "<span>"
    title = escape(entry.title)
    return f'<li><a href="{escape(href)}" title="{title}" target="_blank">{title}</a>{span}{escape(fmt_date(entry.list_date))}</span></li>'


def entry_list(entries: Iterable[Entry], href: Callable[[Entry], str], cls: str = "list", date_cls: str = "") -> str:
    """<ul class=cls> of `entry_row`s, each linked to `href(entry)`."""
    return f'<ul class="{cls}">{"".join(entry_row(href(e), e, date_cls) for e in entries)}</ul>'


def pager_links(
    page: int, n_pages: int, href: Callable[[int], str], labels: Sequence[str] = ("首页", "上一页", "下一页", "尾页"), attrs: str = ""
) -> str:
    """A static pager's four jumps (首页 上一页 下一页 尾页): each a link to its page (`href(p)`),
    or plain text where it leads nowhere (the current page, past either end)."""

    def jump(p: int, text: str) -> str:
        if p == page or not 1 <= p <= n_pages:
            return f"<span>{text}</span>"
        return f'<a href="{escape(href(p))}"{attrs}>{text}</a>'

    return " ".join(jump(p, text) for p, text in zip((1, page - 1, page + 1, n_pages), labels))


def page_count(total: int, per_page: int) -> int:
    """Pages a list of `total` rows fills; an empty list still has its page 1."""
    return max(1, -(-total // per_page))


def page_rows(rows: Sequence[T], page: int, per_page: int) -> Sequence[T]:
    """The rows on 1-based page `page` (none for a page number below 1)."""
    return rows[(page - 1) * per_page : page * per_page] if page >= 1 else rows[:0]


# ----------------------------------------------------------------------------------------------
# Metadata blocks


def index_number(site: "Site", entry: Entry, style: str) -> str:
    """索引号 in one of the real shapes: USCC/year-serial, 9-digit org code, bare, placeholder, site."""
    a = site.shown_publisher(entry)
    d = entry.url_date or entry.appears_on or date(entry.year + 1, 1, 1)
    serial = f"{d.year}-{entry.serial % 100000:05d}"
    if style == "uscc":
        return f"{a.uscc}/{serial}"
    if style == "org9":
        return f"{a.uscc[8:17]}/{serial}"
    if style == "bare":
        return f"/{serial}"
    if style == "placeholder":
        return f"234234234444444444/{d.year}-00001"
    if style == "site":
        return f"{a.slug}{a.order:03d}/{serial}"
    raise ValueError(f"unknown 索引号 style {style!r}")


def meta_values(site: "Site", entry: Entry, *, index_style: str = "uscc", date_style: str = "iso") -> dict[str, str]:
    """Values for every label any META_STYLES set uses, for `entry`."""
    agency = site.shown_publisher(entry)
    shown = fmt_date(entry.shown_date, date_style, entry.shown_time)
    is_report = isinstance(entry, ReportItem)
    return {
        "索引号": index_number(site, entry, index_style),
        "公开方式": "主动公开",
        "成文日期": shown,
        "发文日期": shown,
        "发布日期": shown,
        "发布时间": fmt_date(entry.shown_date, "iso_time", entry.shown_time),
        "生成日期": "",
        "发布机构": agency.name,
        "所属机构": agency.name,
        "信息来源": agency.short,
        "组配分类": "政府信息公开年报" if is_report or (isinstance(entry, NoiseItem) and entry.kind == "jiedu") else "其他",
        "分类": "政府信息公开年报" if is_report else "综合政务",
        "信息分类": "政府信息公开年报" if is_report else "其他",
        "主题分类": "政务公开",
        "文号": "",
        "关键字": "年报" if is_report else "",
        "有效性": "有效",
        "名称": entry.title,
        "浏览次数": "",  # filled by a counter script on real sites
    }


def meta_table(fields: Sequence[tuple[str, str]], cls: str = "xxgk_table") -> str:
    """A two-column-pair metadata table (label, value, label, value per row)."""
    cells = [f"<th>{escape(k)}：</th><td>{escape(v)}</td>" for k, v in fields]
    rows = ["<tr>" + "".join(cells[i : i + 2]) + "</tr>" for i in range(0, len(cells), 2)]
    return f'<table class="{cls}">{"".join(rows)}</table>'


def meta_block(site: "Site", entry: Entry, style: str, *, index_style: str = "uscc", date_style: str = "iso") -> str:
    values = meta_values(site, entry, index_style=index_style, date_style=date_style)
    return meta_table([(label, values[label]) for label in META_STYLES[style]])


def date_line(entry: Entry, label: str, *, style: str = "iso", extra: str = "") -> str:
    """「发布日期: 2024-01-16 访问次数:」-style line; an empty value when the page shows no date."""
    return f'<div class="info"><span>{escape(label)}: {escape(fmt_date(entry.shown_date, style, entry.shown_time))}</span>{extra}</div>'


def attachment_notice(href: str, filename: str) -> str:
    """The short body of a report whose full text is only in the attachment."""
    return (
        f"<p>根据《中华人民共和国政府信息公开条例》规定，现公布本单位年度报告，详见附件。</p>"
        f'<p>附件：<a href="{escape(href)}">{escape(filename)}</a></p>'
    )


def attachment_link(href: str, filename: str) -> str:
    return f'<p class="attach">附件：<a href="{escape(href)}">{escape(filename)}</a></p>'


def attachment_filename(entry: ReportItem, ext: str) -> str:
    return f"{entry.title}.{ext}"


async def article_body(site: "Site", entry: Entry, attachment_href: str | None = None) -> str:
    """The body of an entry's page: the inline text, or for a report published as a file the
    notice 「详见附件」 (notice_only) or the inline text followed by the attachment link."""
    if isinstance(entry, ReportItem) and entry.doc_form != "html" and attachment_href is not None:
        from simweb.content import EXTENSIONS

        name = attachment_filename(entry, EXTENSIONS[entry.doc_form])
        if entry.notice_only:
            return attachment_notice(attachment_href, name)
        return await site.body_html(entry) + attachment_link(attachment_href, name)
    return await site.body_html(entry)

