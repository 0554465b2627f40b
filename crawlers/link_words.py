"""What the words of a link say about where it leads: the vocabulary the frontier prioritises by.

Real portals differ in markup but name things alike (site-archetypes.md §2): a 政府信息公开 entry, unit
directories whose links carry each unit's name, 年报 columns (政府信息公开年报, 年度报告, 信息公开年报 …),
group sub-columns (部门, 乡镇街道, 本级政府) and year folders.  These words only *rank* links (the
frontier explores unfamiliar labels too, after the familiar ones): a label we have never seen, such as
「县政府部门」, is a candidate like any other.  The one list that drops links is NON_DISCLOSURE, the sections
a portal keeps apart from its disclosure platform.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from crawlers.page_reader import Link
from monitor.attribution import clean_name, looks_like_agency, squeeze

# A 年报 column label (no year: 「2023年度…年度报告」 is a report or a year folder).
NB_COLUMN = re.compile(r"年报|年度报告|年度工作报告|信息公开工作报告")
# The way into disclosure pages from the portal.
XXGK = re.compile(r"信息公开|政务公开|政府信息|公开目录|部门目录|单位目录|机构目录|部门信息|乡镇信息|街道信息")
# Unit groups (directory sections, central 年报 sub-columns) as most sites name them.
GROUP = re.compile(
    r"^(?:[县区市旗]?(?:直|属)?(?:本级政府|政府|部门|部门单位|单位|乡镇|街道|镇街|乡镇街道|乡镇（街道）|镇（街道）|街镇|镇|乡)"
    r"(?:信息公开|政务公开|年报|年度报告|公开年报|政府信息公开年报|目录)?)$"
)
# Sections of a portal that are not its disclosure platform, so never lead to annual reports:
# news (「XX要闻」, 「政务动态」, 「图片新闻」: site-archetypes.md §4 "Sidebars show 'latest' items from
# other columns"; the practice and simulated portals' home pages), online services (「政务服务」,
# 「办事服务」), citizen interaction (「互动交流」, 「政民互动」, 「领导信箱」, 「在线访谈」, 「征集调查」), topic
# pages (「专题专栏」), and alternate renderings of the same site (「无障碍」 / 「关怀版」 toggles of the
# provincial xxgk product, §1.8; 「English」), which would walk the whole site a second time.
NON_DISCLOSURE = re.compile(
    r"新闻|要闻|动态|图片|视频|政务服务|办事(?!处)|服务大厅|便民|互动|留言|信箱|访谈|征集|调查|咨询|投诉|专题"
    r"|无障碍|关怀版|长者|English|登录|注册",
    re.I,
)
# A navigation label is short (site sections, groups, folders); list rows carry long titles or dates.
NAV_LABEL_MAX = 16
DOC_EXT = re.compile(r"\.(pdf|docx|doc|wps|rtf|ofd)(?=$|[?#&;\s])", re.I)
DOWNLOAD_HINT = re.compile(r"downfile|download|/attach|/uploadfiles?/|/uploads?/|/group\d+/M\d+/|fileId=|/P0\d{8}", re.I)


def is_nb_column(label: str) -> bool:
    """A 年报 column link (「政府信息公开年报」, 「年度报告」), not a report and not a year folder."""
    label = squeeze(label)
    return len(label) <= 20 and bool(NB_COLUMN.search(label)) and not re.search(r"\d", label) and "解读" not in label


def is_group(label: str) -> bool:
    return bool(GROUP.match(clean_name(label)))


def is_xxgk(label: str) -> bool:
    label = squeeze(label)
    return len(label) <= 20 and bool(XXGK.search(label)) and not re.search(r"\d", label)


def is_non_disclosure(label: str) -> bool:
    return bool(NON_DISCLOSURE.search(squeeze(label)))


def is_nav_label(link: Link) -> bool:
    """A short label with no date beside it: a section, group or folder rather than a listed item."""
    label = link.label
    return 0 < len(label) <= NAV_LABEL_MAX and link.row_date is None


def is_unit_link(link: Link) -> bool:
    """A unit in a directory: its name in the title attribute or the text (「商务局」, title=「青川县商务局」)."""
    return any(looks_like_agency(clean_name(x)) and len(clean_name(x)) <= 30 for x in (link.title, link.text) if x)


UNIT_SECTION = re.compile(r"^(.{2,24}?)(?:信息公开|政务公开|政府信息公开)(?:目录|专栏|平台)?$")


def unit_section(label: str) -> str | None:
    """The unit whose own disclosure section a link names: 「区政府信息公开」 → 区政府, 「吉村镇政府信息公开」 →
    吉村镇政府 (the provincial xxgk product, site-archetypes.md §1.8); None for a group (「乡镇信息公开」,
    「部门信息公开」) or the platform itself (「政府信息公开」)."""
    m = UNIT_SECTION.match(clean_name(label))
    if m is None:
        return None
    name = m.group(1)
    if name in ("政府", "人民政府"):
        return None
    if re.fullmatch(r"[县区市旗](?:人民)?政府", name):
        return name  # the government's own section (「区政府」 is also the 本级政府 group's name)
    return None if is_group(name) or not looks_like_agency(name) else name


def is_attachment(href: str, text: str) -> bool:
    """A document download: by extension in the URL or the link text (VSB download.jsp has none),
    or by the download endpoints CMSs use (downfile.jsp, /attachment/, P0….pdf, fileId=)."""
    return bool(DOC_EXT.search(urlsplit(href).path) or DOC_EXT.search(text + " ") or DOWNLOAD_HINT.search(href))
