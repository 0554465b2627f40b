"""Every rule id in plain Chinese, for the people who act on a finding.

A finding's `message` states the facts of one case ("自然人: 一+二 (5) ≠ （七）总计+四 (4)"); an official
of a 政务公开办 also needs to know what the rule means, why it matters and what to ask the agency to do,
without reading the format specification.  That text is the same for every case of a rule, so it lives
here once and the dashboard's report page and the digest both show it beside the message.

Rule ids are the stable ones of interface.md.  A rule this table does not know (a newer checker) still
gets a readable fallback from its family (the part before the dot), never an error.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Explanation:
    title: str  # a few words, used as the heading of the finding
    meaning: str  # what the rule checks and why it matters, in plain words
    action: str  # what the office can ask the agency to do


SEVERITY_LABELS: dict[str, str] = {"error": "错误", "warning": "警告", "info": "提示"}
"""How severe a finding is, in the words shown to officials."""

SEVERITY_MEANINGS: dict[str, str] = {
    "error": "不符合规定，需要整改",
    "warning": "可能有问题，建议核实",
    "info": "仅供参考",
}

STATUS_LABELS: dict[str, str] = {
    "on_time": "按时发布",
    "late": "逾期发布",
    "missing": "逾期未发布",
    "pending": "未到期",
    "unknown": "无法判断",
}
"""The judge's statuses (monitor.status.STATUSES) in the words shown to officials."""

STATUS_MEANINGS: dict[str, str] = {
    "on_time": "在截止日期当天或之前已在网站发布",
    "late": "已发布，但晚于截止日期（或无法证明在截止日期前已发布）",
    "missing": "截止日期已过，检查网站时仍未找到该年度报告",
    "pending": "尚未找到报告，但还没到截止日期",
    "unknown": "网站无法访问或本方抓取出错，暂时无法判断；这不算机关的问题",
}

KIND_LABELS: dict[str, str] = {"government": "区县人民政府", "department": "政府部门", "township": "乡镇（街道）"}

DATE_SOURCE_LABELS: dict[str, str] = {
    "meta": "网页元数据中的发布日期",
    "header": "文章页标注的“发布日期”",
    "list": "栏目列表中标注的日期",
    "url": "网址中包含的日期",
    "body": "报告正文落款日期（成文日期，不是发布日期）",
}

FORMAT_LABELS: dict[str, str] = {
    "2021": "2021年新版格式（国办公开办函〔2021〕30号）",
    "2019": "2019年试行格式（国办公开办函〔2019〕60号）",
    "pre2019": "2019年以前的旧格式",
    "unknown": "无法识别的格式",
}

DOC_TYPE_LABELS: dict[str, str] = {"html": "网页", "pdf": "PDF 文件", "docx": "Word 文件（docx）",
                                   "doc": "Word 文件（doc）", "wps": "WPS 文件"}

_RULES: dict[str, Explanation] = {
    "structure.section_missing": Explanation(
        "缺少规定的章节",
        "年报应包含六个部分：总体情况、主动公开、依申请公开、行政复议和行政诉讼、存在的主要问题及改进情况、"
        "其他需要报告的事项。缺少其中任何一部分，就没有按规定格式报告。",
        "请该机关补齐缺少的章节后重新发布。",
    ),
    "structure.section_order": Explanation(
        "章节顺序或编号不对",
        "六个部分应按规定顺序、用“一、二、三……”依次编号。顺序颠倒或编号错误，读者难以对照查阅。",
        "请该机关按规定顺序和编号调整后重新发布。",
    ),
    "structure.numbering": Explanation(
        "编号层级混乱",
        "“一、二、三……”只应用于六个大部分；小标题应使用“（一）（二）”。两套编号混用，容易误读报告结构。",
        "请该机关统一编号层级。",
    ),
    "format.outdated": Explanation(
        "使用了过时的表格格式",
        "2021年度起，年报应使用国办公开办函〔2021〕30号规定的新格式；该报告仍用了旧版表格，部分统计项目对不上。",
        "请该机关按新版格式重新填报表格。",
    ),
    "format.unknown": Explanation(
        "找不到规定的统计表格",
        "报告中没有可识别的统计表格，无法核对各项数据。",
        "请该机关按规定格式补充统计表格。",
    ),
    "table.missing": Explanation(
        "缺少统计表",
        "年报应包含三张统计表：主动公开情况（二）、依申请公开情况（三）、行政复议和行政诉讼情况（四）。缺少的表格无法核对。",
        "请该机关补充缺少的统计表。",
    ),
    "table.incomplete": Explanation(
        "表格缺行或缺项",
        "统计表少了规定的行或单元格，相关数据无从核对。",
        "请该机关按规定表样补齐各行各项。",
    ),
    "table.blank": Explanation(
        "应填数字的格子是空白",
        "统计表中应当填写数字的单元格空着。空白不等于零：没有发生的事项应填“0”。",
        "请该机关在空白处填写实际数字（没有则填 0）。",
    ),
    "table.non_numeric": Explanation(
        "应填数字的格子填了文字",
        "统计表中应当填写数字的单元格里写的是文字（如“若干”“详见附件”），无法统计。",
        "请该机关改为具体数字。",
    ),
    "table.negative": Explanation(
        "出现负数",
        "件数等统计数字不可能小于零，出现负数说明填写有误。",
        "请该机关核实并更正。",
    ),
    "identity.t3_balance": Explanation(
        "申请数量前后对不上",
        "依申请公开表（三）中，“本年新收”加“上年结转”应当等于“办理结果总计”加“结转下年度继续办理”。"
        "两边不相等，说明有申请没有统计进去或被重复统计。",
        "请该机关核对表三各栏数字并更正。",
    ),
    "identity.t3_total": Explanation(
        "办理结果合计不等于总计",
        "依申请公开表（三）中，各项办理结果（予以公开、部分公开、不予公开等）相加应等于“（七）总计”。",
        "请该机关核对表三办理结果各行并更正总计。",
    ),
    "identity.t3_row": Explanation(
        "一行的总计不等于各类申请人之和",
        "依申请公开表（三）中，每一行的“总计”应等于自然人、法人或其他组织各栏之和。",
        "请该机关核对该行各栏数字。",
    ),
    "identity.t4_total": Explanation(
        "复议或诉讼的总计对不上",
        "行政复议、行政诉讼表（四）中，每一类的“总计”应等于结果维持、结果纠正、其他结果、尚未审结四项之和。",
        "请该机关核对表四并更正总计。",
    ),
    "period.missing": Explanation(
        "没有写明统计期限",
        "年报应说明统计数据的起止时间（本年1月1日至12月31日）。没有写明，读者无法确认数据范围。",
        "请该机关补充统计期限说明。",
    ),
    "period.wrong": Explanation(
        "统计期限不对",
        "年报的统计期限应为报告年度的1月1日至12月31日，报告写明的期限与此不符。",
        "请该机关核实统计期限，必要时重新统计。",
    ),
    "date.before_year_end": Explanation(
        "日期早于年度结束",
        "报告的落款日期或发布日期在报告年度的12月31日或更早，年度还没结束就不可能统计全年数据，日期很可能写错了。",
        "请该机关核实并更正日期。",
    ),
    "text.table_mismatch": Explanation(
        "正文数字与表格不一致",
        "报告正文中提到的数字与统计表中的同一数字不相同，至少有一处是错的。",
        "请该机关核对正文和表格，统一为正确数字。",
    ),
    "text.fees_unmentioned": Explanation(
        "有收费却未在正文说明",
        "主动公开表（二）第二十条第（八）项“行政事业性收费”填有收费金额（或收费项目），但报告正文对收费情况只字未提。"
        "收费涉及群众切身利益，年报宜说明收费依据和情况。仅供参考。",
        "可提醒该机关在正文中说明行政事业性收费情况。",
    ),
    "content.no_text": Explanation(
        "文件是扫描图片，无法读取文字",
        "报告只有扫描图片，没有文字内容：公众无法检索、复制，读屏软件也无法朗读，本系统也无法核对其中数据。",
        "请该机关同时发布可复制文字的版本。",
    ),
    "content.copied": Explanation(
        "内容与其他报告高度雷同",
        "报告的大部分文字与其他机关或往年的报告基本相同，可能是照抄照搬，没有如实反映本年度工作。",
        "请该机关根据本年度实际情况重新撰写。",
    ),
    "content.problems_trivial": Explanation(
        "“存在的主要问题及改进情况”空洞或缺失",
        "第五部分应具体说明工作中存在的问题和改进措施；内容为空或只有套话，没有起到年报的作用。",
        "请该机关如实、具体地补写问题和改进措施。",
    ),
    "content.not_report": Explanation(
        "不是政府信息公开工作年度报告",
        "这份文件既没有年度报告的标题，也没有任何一个法定章节，看起来是别的文件（通知、新闻等）。",
        "请核实该机关是否另有年度报告；如果这就是它发布的“年报”，应按国家格式重新编写。",
    ),
    "content.unreadable": Explanation(
        "文件已下载，但无法读取",
        "报告文件已下载保存，但文件已损坏、加密或格式无法识别，本系统无法读取其中的文字。",
        "请打开存档副本核实；如网站上的文件确实无法打开，请督促该机关重新上传。",
    ),
    "content.attachment_unavailable": Explanation(
        "报告附件无法下载",
        "网页只写了“详见附件”，但附件链接打不开，无法看到报告全文。",
        "请核实附件链接，并督促该机关修复。",
    ),
    "structure.title": Explanation(
        "标题中没有报告年度",
        "年度报告的标题应写明是哪一年的报告（如“2023年政府信息公开工作年度报告”），否则公众无法分辨。",
        "请该机关在标题中写明报告年度。",
    ),
    "format.premature": Explanation(
        "使用了当年尚未发布的新格式",
        "2019、2020年度的报告应使用2019年试行格式，这份报告却使用了2021年发布的新格式，可能是后补或重发的。仅供参考。",
        "一般无需整改；如为后补发布，可核实实际发布时间。",
    ),
    "table.concatenated": Explanation(
        "表格数字连在一起",
        "网页上表格的数字之间没有分隔，本系统已按行合计拆分后核对。仅供参考。",
        "可提醒该机关使用规范的表格发布，便于公众阅读。",
    ),
    "site.robots_disallow": Explanation(
        "网站禁止自动检查",
        "该网站的 robots.txt 禁止一切自动访问，本系统遵守该规则，因此无法检查这里的报告；相关机关的状态记为“无法判断”。",
        "请联系网站管理部门，允许对政府信息公开栏目的访问，或提供其他检查途径。",
    ),
    "site.challenge": Explanation(
        "网站有人机验证，无法自动检查",
        "访问该网站时出现了防护验证页面（需要浏览器运行脚本），本系统无法检查这里的报告；相关机关的状态记为“无法判断”。",
        "请联系网站管理部门，对政府信息公开栏目放行，或提供其他检查途径。",
    ),
    "site.unreachable": Explanation(
        "网站无法访问",
        "检查时该网站无法连接，本系统无法检查这里的报告；相关机关的状态记为“无法判断”，不算机关未发布。",
        "请核实网站是否正常运行；下次检查时系统会自动重试。",
    ),
    "crossyear.carry": Explanation(
        "上年结转数与上年报告对不上",
        "本年报告表三的“上年结转”应等于上一年报告中“结转下年度继续办理”的数字，两者不同说明有一年统计有误。",
        "请该机关核对两年的报告并更正。",
    ),
    "crossyear.valid_count": Explanation(
        "现行有效文件数与上年报告接不上",
        "主动公开表（二）中，本年“现行有效件数”一般应等于上一年报告的“现行有效件数”加本年“制发件数”减本年“废止件数”"
        "（规章、行政规范性文件分别核对）。两者不同，可能是某一年统计有误，也可能是文件修订、自然失效等原因，需要核实。",
        "请该机关核对两年报告中规章和行政规范性文件的数字，必要时说明原因。",
    ),
    "publication.late": Explanation(
        "逾期发布",
        "报告的发布时间晚于规定的截止日期。政府部门、乡镇（街道）一般应在次年1月31日前公布，"
        "区县人民政府应在次年3月31日前公布（以本地区规定为准）。",
        "请督促该机关今后按时发布；如有正当理由，可要求说明。",
    ),
    "publication.missing": Explanation(
        "逾期未发布",
        "截止日期已过，检查该机关网站时仍未找到这一年度的报告。",
        "请督促该机关尽快发布；如报告已发布在其他位置，请告知网址以便核实。",
    ),
    "publication.backdated": Explanation(
        "标注的发布日期不可信",
        "报告标注的发布日期早于我们某次检查的日期，但那次检查时网站上并没有这份报告，说明发布日期可能被倒填。",
        "请核实该报告的实际发布时间。",
    ),
    "publication.changed": Explanation(
        "发布后被修改",
        "报告首次发现后，网站上的文件内容又发生了变化。每个版本都已保存，可以对比。",
        "请核实修改的原因；重大修改应当说明。",
    ),
    "publication.removed": Explanation(
        "报告已从网站撤下",
        "以前在网站上发现的报告，最近检查时已经找不到了。之前保存的文件仍可查看。",
        "请核实该报告为何被撤下，并督促恢复公开。",
    ),
}

_FAMILIES: dict[str, str] = {
    "structure": "报告结构",
    "format": "报告格式",
    "table": "统计表",
    "identity": "表格数字核对",
    "period": "统计期限",
    "date": "日期",
    "text": "正文与表格",
    "content": "报告内容",
    "crossyear": "跨年度核对",
    "publication": "发布情况",
    "site": "网站访问",
}


def explain(rule: str) -> Explanation:
    """The plain-Chinese explanation of `rule` (a fallback for rules added after this table)."""
    known = _RULES.get(rule)
    if known is not None:
        return known
    family = _FAMILIES.get(rule.partition(".")[0], "其他")
    return Explanation(f"{family}方面的问题", "系统发现了一处需要核实的问题，具体见下方说明。", "请核实后按需整改。")


def known_rules() -> tuple[str, ...]:
    """Every rule id with its own explanation, in display order."""
    return tuple(_RULES)
