"""The national report formats as data (../shared/docs/report-format.md §2–§3).

Everything that knows "which rows, which columns, which identities" reads this module: the parser
(to find rows), the rules (to check them), the report generator (to write them) and the dashboard
(to label cells).  Row and column *keys* are stable ASCII identifiers; labels are the Chinese text
of the official template.  Keeping the formats here, as data, means a new national format is one
new entry rather than edits scattered through the parser.
"""

from __future__ import annotations

from dataclasses import dataclass

SECTION_TITLES: tuple[str, ...] = (
    "总体情况",
    "主动公开政府信息情况",
    "收到和处理政府信息公开申请情况",
    "政府信息公开行政复议、行政诉讼情况",
    "存在的主要问题及改进情况",
    "其他需要报告的事项",
)
"""The six statutory section headings (一 … 六), without their numbers."""

SECTION_NUMERALS: tuple[str, ...] = ("一", "二", "三", "四", "五", "六")

PRE2019_SECTION_TITLES: tuple[str, ...] = (
    "概述",
    "主动公开政府信息情况",
    "依申请公开政府信息和不予公开政府信息情况",
    "政府信息公开的收费及减免情况",
    "因政府信息公开申请行政复议、提起行政诉讼的情况",
    "政府信息公开工作存在的主要问题及改进情况",
)
"""The parts of a report under the 2007 regulation (art. 32), in the usual order; local templates
of the time varied the wording and the numbering, so only the presence and order of the parts count."""

T1_SUBITEMS_2021: tuple[str, ...] = ("主动公开", "依申请公开", "政府信息管理", "政府信息公开平台建设", "监督保障")
"""Sub-items of section 一 suggested by the 2021 format (numbered （一）…（五）, never 一、二、…)."""


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    # Alternative spellings seen in real reports (OCR, older templates, abbreviations).
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class T2Block:
    """One block of the section 二 table: 第二十条第（N）项."""

    key: str
    item: str  # the 项 numeral, e.g. "一" for 第二十条第（一）项
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    signed_columns: tuple[int, ...] = ()  # column indexes that may be negative (2019 本年增/减)
    money_columns: tuple[int, ...] = ()  # column indexes holding an amount (decimals, unit in cell)


T3_COLUMNS: tuple[str, ...] = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
T3_TOTAL_COL = 6

T3_HEAD_ROWS: tuple[Row, ...] = (
    Row("new", "一、本年新收政府信息公开申请数量", ("本年新收政府信息公开申请数量", "本年新收")),
    Row("carried", "二、上年结转政府信息公开申请数量", ("上年结转政府信息公开申请数量", "上年结转")),
)
T3_RESULT_ROWS_COMMON: tuple[Row, ...] = (
    Row("r1", "（一）予以公开", ("予以公开",)),
    Row("r2", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ("部分公开", "区分处理的")),
    Row("r3_1", "1.属于国家秘密", ("属于国家秘密",)),
    Row("r3_2", "2.其他法律行政法规禁止公开", ("其他法律行政法规禁止公开", "其他法律行政止公开")),
    Row("r3_3", "3.危及“三安全一稳定”", ("危及“三安全一稳定”", '危及"三安全一稳定"', "三安全一稳定")),
    Row("r3_4", "4.保护第三方合法权益", ("保护第三方合法权益",)),
    Row("r3_5", "5.属于三类内部事务信息", ("属于三类内部事务信息",)),
    Row("r3_6", "6.属于四类过程性信息", ("属于四类过程性信息",)),
    Row("r3_7", "7.属于行政执法案卷", ("属于行政执法案卷",)),
    Row("r3_8", "8.属于行政查询事项", ("属于行政查询事项",)),
    Row("r4_1", "1.本机关不掌握相关政府信息", ("本机关不掌握相关政府信息",)),
    Row("r4_2", "2.没有现成信息需要另行制作", ("没有现成信息需要另行制作",)),
    Row("r4_3", "3.补正后申请内容仍不明确", ("补正后申请内容仍不明确",)),
    Row("r5_1", "1.信访举报投诉类申请", ("信访举报投诉类申请",)),
    Row("r5_2", "2.重复申请", ("重复申请",)),
    Row("r5_3", "3.要求提供公开出版物", ("要求提供公开出版物",)),
    Row("r5_4", "4.无正当理由大量反复申请", ("无正当理由大量反复申请",)),
    Row("r5_5", "5.要求行政机关确认或重新出具已获取信息", ("要求行政机关确认或重新出具已获取信息",)),
)
T3_OTHER_2019: tuple[Row, ...] = (Row("r6", "（六）其他处理", ("其他处理",)),)
T3_OTHER_2021: tuple[Row, ...] = (
    Row(
        "r6_1",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        ("申请人无正当理由逾期不补正", "逾期不补正"),
    ),
    Row(
        "r6_2",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        ("申请人逾期未按收费通知要求缴纳费用", "逾期未按收费通知要求缴纳费用"),
    ),
    Row("r6_3", "3.其他", ("其他",)),
)
T3_TAIL_ROWS: tuple[Row, ...] = (
    Row("total", "（七）总计", ("总计",)),
    Row("carry_next", "四、结转下年度继续办理", ("结转下年度继续办理", "结转下年度")),
)

# Group headings inside 三、本年度办理结果 (they carry no numbers of their own, except （六） in 2019).
T3_GROUPS: dict[str, str] = {
    "r3": "（三）不予公开",
    "r4": "（四）无法提供",
    "r5": "（五）不予处理",
    "r6": "（六）其他处理",
}

T4_BLOCKS: tuple[str, ...] = ("行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）")
T4_BLOCK_KEYS: tuple[str, ...] = ("review", "direct", "after_review")
T4_COLUMNS: tuple[str, ...] = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")


@dataclass(frozen=True)
class ReportFormat:
    """One national format: which table 二 blocks and which table 三 rows it has."""

    key: str  # "2019" | "2021"
    name: str
    first_year: int
    last_year: int | None
    t2: tuple[T2Block, ...]
    t3_rows: tuple[Row, ...]

    def t3_row(self, key: str) -> Row:
        for row in self.t3_rows:
            if row.key == key:
                return row
        raise KeyError(key)

    @property
    def t3_result_keys(self) -> tuple[str, ...]:
        """Rows whose sum is （七）总计 (T3-SUM)."""
        return tuple(r.key for r in self.t3_rows if r.key.startswith("r"))


FORMAT_2019 = ReportFormat(
    key="2019",
    name="国办公开办函〔2019〕60号（试行）",
    first_year=2019,
    last_year=2020,
    t2=(
        T2Block(
            "art20_1", "一", ("本年新制作数量", "本年新公开数量", "对外公开总数量"),
            (Row("rules", "规章"), Row("normative", "规范性文件")),
        ),
        T2Block(
            "art20_5", "五", ("上一年项目数量", "本年增/减", "处理决定数量"),
            (Row("licensing", "行政许可"), Row("other_services", "其他对外管理服务事项")),
            signed_columns=(1,),
        ),
        T2Block(
            "art20_6", "六", ("上一年项目数量", "本年增/减", "处理决定数量"),
            (Row("penalty", "行政处罚"), Row("coercion", "行政强制")),
            signed_columns=(1,),
        ),
        T2Block(
            "art20_8", "八", ("上一年项目数量", "本年增/减"),
            (Row("fees", "行政事业性收费"),),
            signed_columns=(1,),
        ),
        T2Block(
            "art20_9", "九", ("采购项目数量", "采购总金额"),
            (Row("procurement", "政府集中采购"),),
            money_columns=(1,),
        ),
    ),
    t3_rows=T3_HEAD_ROWS + T3_RESULT_ROWS_COMMON + T3_OTHER_2019 + T3_TAIL_ROWS,
)

FORMAT_2021 = ReportFormat(
    key="2021",
    name="国办公开办函〔2021〕30号",
    first_year=2021,
    last_year=None,
    t2=(
        T2Block(
            "art20_1", "一", ("本年制发件数", "本年废止件数", "现行有效件数"),
            (Row("rules", "规章"), Row("normative", "行政规范性文件")),
        ),
        T2Block("art20_5", "五", ("本年处理决定数量",), (Row("licensing", "行政许可"),)),
        T2Block(
            "art20_6", "六", ("本年处理决定数量",),
            (Row("penalty", "行政处罚"), Row("coercion", "行政强制")),
        ),
        T2Block(
            "art20_8", "八", ("本年收费金额（单位：万元）",),
            (Row("fees", "行政事业性收费"),),
            money_columns=(0,),
        ),
    ),
    t3_rows=T3_HEAD_ROWS + T3_RESULT_ROWS_COMMON + T3_OTHER_2021 + T3_TAIL_ROWS,
)

FORMATS: dict[str, ReportFormat] = {"2019": FORMAT_2019, "2021": FORMAT_2021}

T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


def required_format(year: int) -> str:
    """The format key a report for `year` must use: 'pre2019' before 2019."""
    if year < 2019:
        return "pre2019"
    if year <= 2020:
        return "2019"
    return "2021"
