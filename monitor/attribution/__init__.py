"""Is this page an agency's annual report, whose, for which year, and what date does it show?

The crawler finds pages; this package decides what they are, from what the page itself says
(site-archetypes.md §1–§3).  It is pure domain logic over decoded HTML text: no network, no Scrapy,
no clock, so every rule is unit-tested on the title and metadata variants real sites use.

* `read_page(html)` pulls the facts a reader uses: the title (ArticleTitle, <h1>, <title>), the
  labelled metadata fields (发布机构/来源/所属机构/信息来源, 发布日期/发布时间/公开日期/成文日期/…, in
  tables or in a 「发布时间:… 来源:…」 header line), the <meta> tags, the breadcrumb and the body text.
* `judge_title` / `judge_page` say whether it is a report: title first, then the body's own
  heading, finally the six statutory sections; 解读, 说明, 工作要点, 法治政府建设, 预决算 and reports of
  *another* government (a city's or province's report reposted) are not.
* `report_year` takes the year from the title, else the body (heading, 统计期限) — never the folder,
  which is often a year off.
* `attribute` names the agency, trusting 发布机构/来源 > breadcrumb > the unit whose column listed it >
  title > body heading > body signature, and expands short names (县商务局, 商务局, 人社局) to the full
  name the unit directory states (青川县商务局) or, without a directory, to region + name.
* `shown_date` picks the date the page shows and says where it came from (header/meta/list/url).

The package is split by concern — facts (reading a page), verdicts (is it a report, which year),
names and directory (agency names, the region's units), publisher (attribution), dates — and
re-exports the names callers use, so `from monitor.attribution import …` is the one way in.
"""

from __future__ import annotations

from .dates import parse_date, shown_date, url_date
from .directory import Directory, Unit
from .facts import PageFacts, parse_html, read_page, squeeze, text_lines
from .names import agency_kind, clean_name, expand_name, infer_region, is_abbreviation, is_foreign, looks_like_agency
from .publisher import Attribution, attribute, signature
from .verdicts import (
    Verdict,
    classified_as_report,
    has_report_sections,
    judge_page,
    judge_title,
    report_year,
    title_agency,
    title_year,
)

__all__ = [
    "Attribution",
    "Directory",
    "PageFacts",
    "Unit",
    "Verdict",
    "agency_kind",
    "attribute",
    "classified_as_report",
    "clean_name",
    "expand_name",
    "has_report_sections",
    "infer_region",
    "is_abbreviation",
    "is_foreign",
    "judge_page",
    "judge_title",
    "looks_like_agency",
    "parse_date",
    "parse_html",
    "read_page",
    "report_year",
    "shown_date",
    "signature",
    "squeeze",
    "text_lines",
    "title_agency",
    "title_year",
    "url_date",
]
