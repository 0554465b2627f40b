"""What the report says, read from one document (content.*).

* content.no_text — nothing to read (a scanned PDF without a text layer): every other rule would only
  produce noise, so this finding stands alone.
* content.problems_trivial — section 五 must name real problems (the 2021 format: "不能遗漏，也不宜
  泛化"); an empty or "无" section, or one line of boilerplate, is doubtful.
* content.not_report — neither a report title nor any statutory heading: not an annual report at all.
* content.copied — words that name another kind of unit betray a copied template: "全乡/全镇" in a
  局's report (seed 002), "我局" in a 镇's.  (Copies *between* reports: monitor.rules.copies.)
"""

from __future__ import annotations

import re
from itertools import islice

from monitor.model import Finding, Report
from monitor.parse.textutil import compact_str
from monitor.rules.base import ERROR, WARNING, Context, finding

MIN_TEXT = 20  # Chinese characters below which a document has no readable text
MIN_PROBLEMS = 30  # characters of section 五 below which it cannot describe a problem and a remedy
_CJK = re.compile(r"[\u4e00-\u9fff]")
_TRIVIAL = re.compile(r"^(?:无|暂无|没有|不存在|本年度无|无其他|无相关内容|略)[。.]?$")
_HEADING_WORDS = re.compile(r"^(?:[(（][一二三四五][)）])?(?:存在的?主要问题|主要问题|改进措施|改进情况|问题|措施)[:：]?")

# Words naming a kind of unit, by the kind of report they do not belong in.
FOREIGN_UNIT_WORDS: dict[str, re.Pattern] = {
    "department": re.compile(r"全乡|全镇(?!街)|我镇|我乡|本镇|本乡|全街道|我街道|本街道"),
    "government": re.compile(r"我镇|我乡|本镇|本乡|我街道|本街道"),
    "township": re.compile(r"我局|本局|我委|本委"),
}


def has_text(report: Report) -> bool:
    return report.has_text_layer and sum(1 for _ in islice(_CJK.finditer(report.text), MIN_TEXT)) >= MIN_TEXT


_REPORT_WORDS = re.compile(r"年度报告|年报|工作报告")


def is_report(report: Report) -> bool:
    """A document that names itself a report or carries any statutory section heading.

    A file that has neither (a notice, a menu, a news item) would otherwise collect a dozen
    structure.* and format.* errors that only restate one fact: this is not an annual report.
    """
    head = report.title + report.text[:400]
    return bool(_REPORT_WORDS.search(head)) or any(s.found for s in report.sections)


def not_report(report: Report) -> Finding:
    shown = f"“{report.title[:40]}”" if report.title else "该文档"
    return finding("content.not_report", ERROR, f"{shown}不是政府信息公开工作年度报告：既无报告标题，也无任何法定章节")


def no_text(report: Report) -> Finding:
    why = "文档没有文本层（扫描图片）" if not report.has_text_layer else "文档中没有可读取的文字"
    return finding("content.no_text", ERROR, f"{why}，无法检查内容")


def _without_signature(body: str) -> str:
    """Drop the closing 落款 (agency name and date lines) when the part is the last one."""
    lines = [ln for ln in body.strip().split("\n")]
    while lines and (not lines[-1].strip() or (len(lines[-1].strip()) <= 25 and "。" not in lines[-1])):
        lines.pop()
    return "\n".join(lines)


def check(report: Report, ctx: Context) -> list[Finding]:
    out = []
    sec5 = report.problems_section
    if sec5 is not None and sec5.found:
        body = compact_str(_without_signature(report.text[sec5.body_start:sec5.end]))
        core = _HEADING_WORDS.sub("", body)
        if not core or _TRIVIAL.match(core) or len(_CJK.findall(core)) < MIN_PROBLEMS:
            shown = f"“{body[:30]}”" if body else "为空"
            where = "五" if report.format != "pre2019" else sec5.title
            out.append(finding("content.problems_trivial", WARNING,
                               f"“存在的主要问题及改进情况”部分{shown}，未具体说明问题和改进措施", where))
    pattern = FOREIGN_UNIT_WORDS.get(report.kind or "")
    if pattern:
        words = sorted(set(pattern.findall(report.narrative)))
        if words:
            out.append(finding("content.copied", WARNING,
                               f"{report.agency or '本机关'}的报告中出现“{'、'.join(words)}”等指代其他类型单位的用语，"
                               "疑似套用其他单位的报告", "正文"))
    return out
