"""Every rule on a small hand-written report: the clean report trips nothing, each edit trips its rule.

The report is built from monitor.formats (the national formats as data) with tab-joined table rows,
as monitor.extract delivers HTML/PDF/DOCX tables.  Its numbers satisfy every identity of
report-format.md §3, so each test changes exactly one thing and names the rule that must answer.
"""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal

import pytest

from monitor import formats
from monitor.checker import check_file, check_many, check_text
from monitor.parse import parse_report
from monitor.rules.copies import CopyIndex, copied_findings, signature, signature_from_bytes, signature_to_bytes
from monitor.rules.crossyear import carry_findings, crossyear_findings

AGENCY = "某某市某某区商务局"

T2_2021 = {"art20_1.rules": [0, 0, 0], "art20_1.normative": [2, 0, 10], "art20_5.licensing": [5],
           "art20_6.penalty": [3], "art20_6.coercion": [0], "art20_8.fees": [Decimal("1.5")]}
T2_2019 = {"art20_1.rules": [0, 0, 0], "art20_1.normative": [2, 2, 10], "art20_5.licensing": [5, -1, 4],
           "art20_5.other_services": [0, 0, 0], "art20_6.penalty": [3, 1, 2], "art20_6.coercion": [0, 0, 0],
           "art20_8.fees": [1, 0], "art20_9.procurement": [2, "12.5万元"]}
# Table 三: every row's 总计 is the sum of its six columns, （七）总计 is the sum of the result rows,
# and 一+二 = （七）总计+四 in every column.
T3_NONZERO = {"new": [3, 1, 0, 0, 0, 0, 4], "carried": [1, 0, 0, 0, 0, 0, 1], "r1": [2, 1, 0, 0, 0, 0, 3],
              "r4_1": [1, 0, 0, 0, 0, 0, 1], "total": [3, 1, 0, 0, 0, 0, 4], "carry_next": [1, 0, 0, 0, 0, 0, 1]}
T4 = {"review": [1, 0, 0, 0, 1], "direct": [0, 0, 0, 1, 1], "after_review": [0, 0, 0, 0, 0]}


def t3_values(fmt: str) -> dict[str, list]:
    return {r.key: list(T3_NONZERO.get(r.key, [0] * 7)) for r in formats.FORMATS[fmt].t3_rows}


def build(fmt: str = "2021", year: int = 2023, *, agency: str = AGENCY, t2=None, t3=None, t4=None,
          drop_sections=(), numerals=formats.SECTION_NUMERALS, period: str | None = "default",
          signed: str | None = "default", problems: str | None = None, overview: str | None = None,
          tables: bool = True, sixth: str = "本年度未收取信息处理费，行政事业性收费项目已按目录清单公开。无其他需要报告的事项。") -> str:
    """A complete report text in the given national format with tab-joined table rows."""
    t2 = copy.deepcopy(T2_2021 if fmt == "2021" else T2_2019) if t2 is None else t2
    t3 = t3_values(fmt) if t3 is None else t3
    t4 = copy.deepcopy(T4) if t4 is None else t4
    if period == "default":
        period = f"本报告所列数据统计期限自{year}年1月1日起至{year}年12月31日止。"
    if signed == "default":
        signed = f"{year + 1}年1月20日"
    if overview is None:
        # The figures of the default tables (a test that edits them supplies its own overview).
        overview = (f"{year}年，本局认真贯彻落实《中华人民共和国政府信息公开条例》，全年收到政府信息公开申请"
                    f"{T3_NONZERO['new'][6]}件，被申请行政复议{T4['review'][4]}件，"
                    f"被提起行政诉讼{T4['direct'][4] + T4['after_review'][4]}件。\n"
                    "（一）主动公开。及时公开机构职能、政策文件等信息。\n（二）依申请公开。规范办理流程。\n"
                    "（三）政府信息管理。加强审核把关。\n（四）政府信息公开平台建设。维护门户网站。\n（五）监督保障。纳入考核。")
    if problems is None:
        problems = ("一是政策解读形式较为单一，图解、视频等解读较少；二是信息发布的及时性有待提高。"
                    "下一步将丰富解读形式，建立信息发布台账，明确发布时限，确保信息及时准确公开。")
    bodies = {
        0: overview,
        1: _t2_text(fmt, t2) if tables else f"全年主动公开政府信息{sum(1 for _ in t2)}条。",
        2: _t3_text(fmt, t3) if tables else "全年收到政府信息公开申请若干件。",
        3: _t4_text(t4) if tables else "未发生行政复议、行政诉讼。",
        4: problems,
        5: sixth,
    }
    parts = [f"{agency}", f"{year}年政府信息公开工作年度报告", "", period or ""]
    for i, title in enumerate(formats.SECTION_TITLES):
        if i in drop_sections:
            continue
        parts += ["", f"{numerals[i]}、{title}", "", bodies[i]]
    if signed:
        parts += ["", agency, signed]
    return "\n".join(parts) + "\n"


def _cells(values) -> str:
    return "\t".join("" if v is None else str(v) for v in values)


def _t2_text(fmt: str, t2: dict) -> str:
    lines = []
    for block in formats.FORMATS[fmt].t2:
        rows = [(r, t2[f"{block.key}.{r.key}"]) for r in block.rows if f"{block.key}.{r.key}" in t2]
        lines.append(f"第二十条第（{block.item}）项\t\t\t")
        lines.append("信息内容\t" + "\t".join(block.columns))
        lines += [f"{r.label}\t{_cells(v)}" for r, v in rows]
    return "\n".join(lines)


def _t3_text(fmt: str, t3: dict) -> str:
    lines = [formats.T3_NOTE + "\t\t\t申请人情况",
             "\t\t\t自然人\t法人或其他组织\t\t\t\t\t总计",
             "\t\t\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t"]
    for row in formats.FORMATS[fmt].t3_rows:
        if row.key in t3:
            lines.append(f"{row.label}\t\t\t{_cells(t3[row.key])}")
    return "\n".join(lines)


def _t4_text(t4: dict) -> str:
    head = "\t".join(formats.T4_COLUMNS)
    return "\n".join(["行政复议\t\t\t\t\t行政诉讼" + "\t" * 9,
                      "\t" * 5 + "未经复议直接起诉\t\t\t\t\t复议后起诉\t\t\t\t",
                      "\t".join([head] * 3),
                      _cells(t4["review"] + t4["direct"] + t4["after_review"])])


def rules_of(text: str, **kw) -> set[str]:
    """Rule ids reported as error or warning."""
    return {f.rule for f in check_text(text, **kw).findings if f.severity != "info"}


def findings_of(text: str, rule: str, **kw):
    return [f for f in check_text(text, **kw).findings if f.rule == rule]


# --- the clean reports -------------------------------------------------------------------------


@pytest.mark.parametrize("fmt,year", [("2021", 2023), ("2021", 2021), ("2019", 2020), ("2019", 2019)])
def test_clean_report_trips_nothing(fmt, year):
    result = check_text(build(fmt, year))
    assert result.findings == [], [(f.rule, f.where, f.message) for f in result.findings]
    assert (result.agency, result.year, result.format) == (AGENCY, year, fmt)


def test_clean_report_values_are_read_back():
    report = parse_report(build("2021", 2023))
    assert [c.value for c in report.t3.rows["new"].cells] == T3_NONZERO["new"]
    assert [c.value for c in report.t4.rows["direct"].cells] == T4["direct"]
    assert report.t2.rows["art20_8.fees"].cells[0].value == Decimal("1.5")


# --- structure ---------------------------------------------------------------------------------


def test_section_missing_names_the_section():
    found = findings_of(build(drop_sections=(5,)), "structure.section_missing")
    assert [f.where for f in found] == ["六"]
    assert rules_of(build(drop_sections=(5,))) == {"structure.section_missing"}


def test_section_misnumbered_is_section_order():
    numerals = ("一", "二", "三", "四", "五", "七")
    assert rules_of(build(numerals=numerals)) == {"structure.section_order"}


def test_sections_out_of_order():
    text = build()
    five = text[text.index("五、存在的主要问题"):text.index("六、其他需要报告的事项")]
    six = text[text.index("六、其他需要报告的事项"):text.index(AGENCY, text.index("六、其他"))]
    swapped = text.replace(five + six, six + "\n" + five + "\n")
    assert swapped.index("六、其他") < swapped.index("五、存在")
    assert rules_of(swapped) == {"structure.section_order"}


def test_two_numbering_systems():
    overview = "本局全年收到政府信息公开申请4件。\n一、主动公开。及时公开。\n二、依申请公开。规范办理。"
    found = findings_of(build(overview=overview), "structure.numbering")
    assert [f.where for f in found] == ["一"] and "一、主动公开" in found[0].message


def test_year_missing_from_title():
    text = build().replace("2023年政府信息公开工作年度报告", "政府信息公开工作年度报告")
    assert "structure.title" in rules_of(text)
    assert "structure.title" not in rules_of(text, year=2023)  # the caller may say the year


# --- format --------------------------------------------------------------------------------------


def test_2019_layout_in_a_2021_report_is_outdated():
    text = build("2019", 2022)
    found = findings_of(text, "format.outdated")
    assert {f.where for f in found} == {"二", "三"} and all(f.severity == "error" for f in found)
    assert rules_of(text) == {"format.outdated"}


def test_2021_layout_in_a_2020_report_is_only_info():
    found = findings_of(build("2021", 2020), "format.premature")
    assert found and all(f.severity == "info" for f in found)
    assert rules_of(build("2021", 2020)) == set()


def test_single_other_row_in_a_2024_report_is_outdated_for_table_three():
    """Real 002: table 二 in the 2021 layout, table 三 with the 2019 single （六）其他处理 row."""
    text = build("2021", 2024).replace(_t3_text("2021", t3_values("2021")), _t3_text("2019", t3_values("2019")))
    found = findings_of(text, "format.outdated")
    assert [f.where for f in found] == ["三"]
    assert parse_report(text).format == "2021"


def test_no_tables_at_all_is_format_unknown():
    assert rules_of(build(tables=False)) == {"format.unknown"}


# --- tables ---------------------------------------------------------------------------------------


def test_table_missing():
    text = build().replace(_t4_text(T4), "本年度未发生行政复议、行政诉讼。")
    found = findings_of(text, "table.missing")
    assert [f.where for f in found] == ["四"]


def test_missing_rows_are_incomplete_and_stop_the_balance():
    t3 = t3_values("2021")
    del t3["new"], t3["r3_1"]
    text = build(t3=t3)
    assert rules_of(text) == {"table.incomplete"}
    assert "一、本年新收" in findings_of(text, "table.incomplete")[0].message


def test_a_row_with_a_lost_cell_is_incomplete_and_kept_out_of_identities():
    t3 = t3_values("2021")
    t3["total"] = t3["total"][1:]  # six values for seven columns (seed 003)
    text = build(t3=t3)
    assert rules_of(text) == {"table.incomplete"}
    assert findings_of(text, "table.incomplete")[0].where == "三 / （七）总计"


def test_blank_cells_are_not_zero():
    t3 = t3_values("2021")
    t3["r1"][1] = None
    t3["r1"][2] = "/"
    text = build(t3=t3)
    found = findings_of(text, "table.blank")
    assert [f.where for f in found] == ["三 / （一）予以公开"]
    assert found[0].cells == (("三", "r1", 1), ("三", "r1", 2))
    assert rules_of(text) == {"table.blank"}  # no identity can use a blank


def test_whole_table_blank_is_one_finding():
    blank = {k: [None] * 5 for k in T4}
    found = findings_of(build(t4=blank), "table.blank")
    assert len(found) == 1 and found[0].where == "四"


def test_text_in_a_count_cell():
    t2 = copy.deepcopy(T2_2021)
    t2["art20_6.penalty"] = ["若干"]
    found = findings_of(build(t2=t2), "table.non_numeric")
    assert [f.where for f in found] == ["二 / 第二十条第（六）项 / 行政处罚 / 本年处理决定数量"]


def test_fraction_in_a_count_cell_is_non_numeric_but_fine_as_money():
    t2 = copy.deepcopy(T2_2021)
    t2["art20_5.licensing"] = ["2.5"]
    assert rules_of(build(t2=t2)) == {"table.non_numeric"}


def test_negative_count_but_signed_delta_allowed():
    t2 = copy.deepcopy(T2_2021)
    t2["art20_1.normative"] = [0, -5, 0]  # seed 002
    found = findings_of(build(t2=t2), "table.negative")
    assert [f.where for f in found] == ["二 / 第二十条第（一）项 / 行政规范性文件 / 本年废止件数"]
    assert "table.negative" not in rules_of(build("2019", 2020))  # 本年增/减 = -1 is allowed


def test_digits_without_separators_are_resplit_and_said_so():
    text = build().replace("\t".join(map(str, T3_NONZERO["new"])), "3100004")
    report = parse_report(text)
    assert [c.value for c in report.t3.rows["new"].cells] == T3_NONZERO["new"]
    info = findings_of(text, "table.concatenated")
    assert info and info[0].severity == "info"
    assert rules_of(text) == set()


# --- identities ----------------------------------------------------------------------------------


def test_t3_balance():
    t3 = t3_values("2021")
    t3["carry_next"][0] += 1
    t3["carry_next"][6] += 1
    found = findings_of(build(t3=t3), "identity.t3_balance")
    assert [f.where for f in found] == ["三 / 自然人", "三 / 总计"]
    assert "一+二 (3+1=4) ≠ （七）总计+四 (3+2=5)" in found[0].message
    assert rules_of(build(t3=t3)) == {"identity.t3_balance"}


def test_t3_total():
    t3 = t3_values("2021")
    t3["r5_2"] = [0, 0, 1, 0, 0, 0, 1]  # the row adds up, but （七）总计 no longer does
    found = findings_of(build(t3=t3), "identity.t3_total")
    assert [f.where for f in found] == ["三 / 科研机构", "三 / 总计"]
    assert "（七）总计 (0) ≠ 各项办理结果之和 (1)" in found[0].message
    assert rules_of(build(t3=t3)) == {"identity.t3_total"}


def test_t3_row():
    t3 = t3_values("2021")
    t3["r1"][6] += 1
    t3["r4_1"][6] -= 1
    found = findings_of(build(t3=t3), "identity.t3_row")
    assert [f.where for f in found] == ["三 / （一）予以公开", "三 / 1.本机关不掌握相关政府信息"]
    assert rules_of(build(t3=t3)) == {"identity.t3_row"}


def test_t4_total():
    t4 = copy.deepcopy(T4)
    t4["direct"][4] = 2
    text = build(t4=t4, overview="全年收到政府信息公开申请4件。")
    found = findings_of(text, "identity.t4_total")
    assert [f.where for f in found] == ["四 / 行政诉讼（未经复议直接起诉）"]
    assert rules_of(text) == {"identity.t4_total"}


# --- period and dates ----------------------------------------------------------------------------


def test_period_missing_is_a_warning():
    found = findings_of(build(period=None), "period.missing")
    assert len(found) == 1 and found[0].severity == "warning"


@pytest.mark.parametrize("statement", ["本报告所列数据统计期限自2023年1月1日至2024年12月31日止。",
                                       "本报告所列数据统计期限为2022年1月1日至12月31日。",
                                       "本报告所列数据统计期限自202311日起，至20231231日止。"])
def test_period_wrong(statement):
    found = findings_of(build(period=statement), "period.wrong")
    assert len(found) == 1 and found[0].severity == "error"


def test_signed_before_year_end():
    found = findings_of(build(signed="2023年1月4日"), "date.before_year_end")
    assert [f.where for f in found] == ["落款"]


def test_published_before_year_end():
    text = build(signed=None)
    assert rules_of(text, published_on=dt.date(2024, 1, 23)) == set()
    found = findings_of(text, "date.before_year_end", published_on=dt.date(2023, 12, 31))
    assert [f.where for f in found] == ["发布日期"]


# --- narrative against tables ------------------------------------------------------------------------


def test_applications_stated_differ_from_table():
    text = build(overview="全年收到政府信息公开申请9件。")
    found = findings_of(text, "text.table_mismatch")
    assert len(found) == 1 and found[0].severity == "warning" and "9件" in found[0].message


def test_no_applications_stated_but_table_has_some():
    assert "text.table_mismatch" in rules_of(build(overview="本年度未收到政府信息公开申请。"))


def test_reviews_stated_differ_from_table():
    found = findings_of(build(overview="全年被申请行政复议3件。"), "text.table_mismatch")
    assert [f.where for f in found] == ["四 / 行政复议"]


def test_blank_table_never_contradicts_the_text():
    blank = {k: [None] * 7 for k in t3_values("2021")}
    text = build(t3=blank, overview="本年度未收到政府信息公开申请。")
    assert "text.table_mismatch" not in rules_of(text)


def test_regulations_in_force_against_concatenated_cell():
    """Real 009: 现行有效393件 in the text, "77132470" in the table — no split holds 393."""
    text = build(overview="现行有效行政规范性文件393件。全年收到政府信息公开申请4件。").replace(
        "行政规范性文件\t2\t0\t10", "行政规范性文件\t77132470")
    found = findings_of(text, "text.table_mismatch")
    assert len(found) == 1 and "393" in found[0].message
    consistent = text.replace("393件", "470件")
    assert "text.table_mismatch" not in rules_of(consistent)


# Each sentence is about one table cell (monitor.parse.narrative); the table has 4 new applications
# (1 carried), 1 行政复议, 1 行政诉讼, 2 制发 / 0 废止 / 10 现行有效 规范性文件, 5 许可, 3 处罚.
@pytest.mark.parametrize("sentence,where", [
    ("全年收到政府信息公开申请9件。", "三 / 一、本年新收政府信息公开申请数量"),
    ("2023年,本街道共收到9件信息依申请公开。", "三 / 一、本年新收政府信息公开申请数量"),
    ("本年度未收到公民、法人或其他组织提出的政府信息公开申请。", "三 / 一、本年新收政府信息公开申请数量"),
    ("全年收到政府信息公开申请4件，上年结转政府信息公开申请2件。", "三 / 二、上年结转政府信息公开申请数量"),
    ("全年收到申请4件，剩余3件结转下年度继续办理。", "三 / 四、结转下年度继续办理"),
    ("因政府信息公开引发行政复议2件、行政诉讼1件。", "四 / 行政复议"),
    ("全年办理因政府信息公开申请引发的行政复议1起,行政诉讼9起。", "四 / 行政诉讼"),
    ("未发生因政府信息公开工作被申请行政复议的情况。", "四 / 行政复议"),
    ("集中公开现行有效行政规范性文件698件。", "二 / 第二十条第（一）项 / 行政规范性文件 / 现行有效件数"),
    ("动态更新本年度制发的规范性文件88件。", "二 / 第二十条第（一）项 / 行政规范性文件 / 本年制发件数"),
    ("制发行政规范性文件2件，废止1件。", "二 / 第二十条第（一）项 / 行政规范性文件 / 本年废止件数"),
    ("本年度内单位行政处罚处理决定数量39件。", "二 / 第二十条第（六）项 / 行政处罚 / 本年处理决定数量"),
    ("收取行政事业性收费12.5万元。", "二 / 第二十条第（八）项 / 行政事业性收费 / 本年收费金额（单位：万元）"),
])
def test_a_claim_is_compared_with_its_own_cell(sentence, where):
    found = findings_of(build(overview=sentence), "text.table_mismatch")
    assert [(f.where, f.severity) for f in found] == [(where, "warning")], [f.message for f in found]


@pytest.mark.parametrize("sentence", [
    # about 表四, not applications: the practice-world sentence and real excerpt 021
    "全年未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况，全年收到政府信息公开申请4件。",
    "全年未收到政府信息公开申请行政复议和行政诉讼,全年收到政府信息公开申请4件。",
    # corrections, not cases (real 015)
    "全年未发生因依申请公开被行政复议纠错或行政诉讼败诉情形。",
    # carried-over applications counted as received (real 004: 受理749 = 713 + 36)
    "全年共受理政府信息公开申请5件。",
    # parts of the total: channel, applicant type, another year, other fees, a verb that is not "received"
    "受理线上信息公开申请65件，其中自然人申请3件。",
    "2022年收到政府信息公开申请90件。",
    "全年收取政府信息公开信息处理费0元。",
    "共办理并答复信息公开申请3件。",
    "现行有效行政规范性文件10件，制发行政规范性文件2件，行政许可决定5个。",
])
def test_sentences_about_something_else_are_not_compared(sentence):
    no_cases = {k: [0] * 5 for k in T4}
    assert findings_of(build(overview=sentence, t4=no_cases), "text.table_mismatch") == []


def test_fees_charged_but_never_mentioned():
    silent = build(sixth="本年度未收取信息处理费。无其他需要报告的事项。")
    found = findings_of(silent, "text.fees_unmentioned")
    assert [(f.severity, f.where) for f in found] == [("info", "二 / 第二十条第（八）项 / 行政事业性收费")]
    assert "1.5 万元" in found[0].message
    assert findings_of(build(), "text.fees_unmentioned") == []  # the clean report speaks of 收费
    no_fees = copy.deepcopy(T2_2021)
    no_fees["art20_8.fees"] = [0]
    assert findings_of(build(t2=no_fees, sixth="无其他需要报告的事项。"), "text.fees_unmentioned") == []


# --- content --------------------------------------------------------------------------------------------


def test_no_text_layer_stands_alone():
    result = check_text("", has_text_layer=False)
    assert [f.rule for f in result.findings] == ["content.no_text"]
    assert [f.rule for f in check_text(build(), has_text_layer=False).findings] == ["content.no_text"]


@pytest.mark.parametrize("problems", ["无", "无。", "工作中还存在一些不足，下一步将进一步加强。"])
def test_problems_trivial(problems):
    found = findings_of(build(problems=problems), "content.problems_trivial")
    assert len(found) == 1 and found[0].severity == "warning"


def test_township_words_in_a_department_report():
    text = build(problems="一是全镇政务公开工作不平衡；二是培训不足。下一步将督促全乡各村加强培训，提高公开质量和时效。")
    found = findings_of(text, "content.copied")
    assert len(found) == 1 and "全乡" in found[0].message and "全镇" in found[0].message
    township = build(agency="某某县某某镇人民政府", problems="一是我局政务公开工作不平衡；二是培训不足，下一步将加强培训，"
                                                       "提高公开质量和时效，确保信息准确及时。")
    assert "我局" in findings_of(township, "content.copied")[0].message


def test_copied_narrative_between_agencies_and_years():
    a = parse_report(build(agency="甲县商务局", overview=_LONG_OVERVIEW.format(a="甲县商务局", n=4)))
    b = parse_report(build(agency="乙县商务局", overview=_LONG_OVERVIEW.format(a="乙县商务局", n=7)))
    c = parse_report(build(agency="丙县商务局"))
    out = copied_findings([a, b, c])
    assert [len(x) for x in out] == [1, 1, 0]
    assert "甲县商务局" in out[1][0].message
    # The same agency and year in two documents is one report, not a copy.
    assert copied_findings([a, a]) == [[], []]


def test_copy_index_is_incremental_and_signatures_round_trip():
    a = parse_report(build(agency="甲县商务局", overview=_LONG_OVERVIEW.format(a="甲县商务局", n=4)))
    b = parse_report(build(agency="甲县商务局", year=2022, overview=_LONG_OVERVIEW.format(a="甲县商务局", n=9)))
    index = CopyIndex()
    assert index.add("a", signature_from_bytes(signature_to_bytes(signature(a))), a.agency, a.year) == []
    matches = index.add("b", signature(b), b.agency, b.year)
    assert [m.other for m in matches] == ["a"] and matches[0].similarity > 0.8


def test_cross_year_carry():
    prev_t3 = t3_values("2021")
    cur_t3 = t3_values("2021")
    cur_t3["carried"] = [2, 0, 0, 0, 0, 0, 2]
    cur_t3["new"] = [2, 1, 0, 0, 0, 0, 3]
    prev = parse_report(build(year=2022, t3=prev_t3))
    cur = parse_report(build(year=2023, t3=cur_t3))
    found = carry_findings(cur, prev)
    assert [f.rule for f in found] == ["crossyear.carry"] and "2" in found[0].message and "1" in found[0].message
    carry = [[f for f in fs if f.rule == "crossyear.carry"] for fs in crossyear_findings([prev, cur])]
    assert carry == [[], found]
    assert carry_findings(parse_report(build(year=2023)), prev) == []


@pytest.mark.parametrize("current,previous_in_force,expected", [
    ([3, 1, 12], 10, None),  # 10 + 3 − 1 = 12
    ([3, 1, 13], 10, "12"),  # one more in force than the years allow
    ([0, 1, 0], 1, None),  # excerpt 036's row 0/1/0: the one file in force was repealed
])
def test_cross_year_valid_count(current, previous_in_force, expected):
    t2_prev, t2_cur = copy.deepcopy(T2_2021), copy.deepcopy(T2_2021)
    t2_prev["art20_1.normative"] = [2, 0, previous_in_force]
    t2_cur["art20_1.normative"] = current
    prev = parse_report(build(year=2022, t2=t2_prev))
    cur = parse_report(build(year=2023, t2=t2_cur))
    found = [f for f in crossyear_findings([prev, cur])[1] if f.rule == "crossyear.valid_count"]
    if expected is None:
        assert found == []
    else:
        assert [(f.severity, f.where) for f in found] == [("warning", "二 / 第二十条第（一）项 / 行政规范性文件 / 现行有效件数")]
        assert f"= {expected} 件" in found[0].message
    # a 2019-layout previous year counts other things (对外公开总数): never compared
    assert not [f for f in crossyear_findings([parse_report(build("2019", 2020)), parse_report(build(year=2021))])[1]
                if f.rule == "crossyear.valid_count"]


# --- checker ---------------------------------------------------------------------------------------------


def test_check_file_and_json_shape(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text(build(signed="2023年1月4日"), encoding="utf-8")
    result = check_file(path)
    data = result.to_json()
    assert list(data) == ["file", "agency", "year", "format", "findings"]
    assert data["agency"] == AGENCY and data["year"] == 2023 and data["format"] == "2021"
    assert data["findings"] == [{"rule": "date.before_year_end", "severity": "error",
                                 "message": "落款日期 2023-01-04 不晚于报告年度结束日 2023-12-31", "where": "落款"}]


def test_unreadable_file_is_an_error_not_a_traceback(tmp_path):
    results = check_many([tmp_path / "missing.pdf", tmp_path])
    assert all(r.error and "\n" not in r.error and r.findings == [] for r in results)
    assert "error" in results[0].to_json()


def test_overrides_win(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text(build(), encoding="utf-8")
    result = check_file(path, agency="另一个局", year=2023, kind="department")
    assert (result.agency, result.year) == ("另一个局", 2023)


_LONG_OVERVIEW = (
    "{a}坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻落实党中央、国务院关于政务公开工作的决策部署，"
    "围绕中心工作，以完善信息公开制度、推进公开平台建设为抓手，全面推动政务公开工作提质增效。全年收到政府信息公开申请{n}件。\n"
    "（一）主动公开。{a}通过门户网站主动公开政策文件、通知公告、规划计划等各类政府信息，及时发布政策解读，"
    "围绕群众关心关注的热点问题做好回应，持续提升主动公开的针对性和实效性。\n"
    "（二）依申请公开。健全依申请公开工作机制，规范受理、登记、审核、答复、归档等环节，严格按照法定时限答复，"
    "提高答复文书的规范性，依法保障申请人的合法权益。\n"
    "（三）政府信息管理。建立健全信息发布审核制度，严格执行先审后发，做好保密审查，及时清理过期失效信息，"
    "确保发布信息准确、规范、安全。\n"
    "（四）政府信息公开平台建设。加强门户网站和政务新媒体日常管理，定期开展巡查，及时更新栏目内容，"
    "确保平台安全稳定运行。\n"
    "（五）监督保障。将政务公开工作纳入年度目标考核，落实工作责任制，积极参加上级组织的业务培训。"
)
