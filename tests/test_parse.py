"""The parser's pieces on small texts in the shapes real reports take (see the seeds and real reports
for where each shape comes from)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitor import formats
from monitor.checker import check_text
from monitor.model import CellKind, RowStatus
from monitor.parse import parse_report
from monitor.parse.cells import block_sum_check, classify, no_check, row_sum_check, splits, tokens
from monitor.parse.header import agency_kind, find_own_date, find_title, read_metadata
from monitor.parse.period import find_period
from monitor.parse.sections import find_sections
from monitor.parse.textutil import Compact, compact_str, normalize

# --- text ---------------------------------------------------------------------------------------------


def test_normalize_removes_page_numbers_and_widens_nothing():
    text = normalize("第二十条第（一）项\n- 4 -\n规章\n— 1 —\n０\u3000\n第 3 页 共 5 页\n行政许可")
    assert text == "第二十条第(一)项\n\n规章\n\n0 \n\n行政许可"


def test_compact_maps_back_to_offsets():
    text = "一、本年\t新收政府\t信息公开申请数量\t0"
    c = Compact(text)
    i = c.find("本年新收政府信息公开申请数量")
    start, end = c.span(i, i + len("本年新收政府信息公开申请数量"))
    assert text[start:end] == "本年\t新收政府\t信息公开申请数量"


# --- cells --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("raw,kind,value,unit", [
    ("0", CellKind.ZERO, 0, None), ("12", CellKind.NUMERIC, 12, None), ("-5", CellKind.NUMERIC, -5, None),
    ("1,234", CellKind.NUMERIC, 1234, None), ("83.8778万元", CellKind.NUMERIC, Decimal("83.8778"), "万元"),
    ("0.00", CellKind.ZERO, Decimal("0.00"), None), ("", CellKind.EMPTY, None, None), ("  ", CellKind.EMPTY, None, None),
    ("/", CellKind.NA, None, None), ("-", CellKind.NA, None, None), ("—", CellKind.NA, None, None),
    ("无", CellKind.NA, None, None), ("不适用", CellKind.NA, None, None), ("若干", CellKind.TEXT, None, None),
])
def test_classify(raw, kind, value, unit):
    cell = classify(raw)
    assert (cell.kind, cell.value, cell.unit) == (kind, value, unit)


def _kinds(text: str) -> list[tuple[str, str]]:
    text = normalize(text)
    return [(t.kind, t.text) for t in tokens(text, 0, len(text), strip_next_prefix=False)]


def test_padding_is_a_blank_cell_but_an_empty_position_is_not():
    # one cell per line: NBSP / U+3000 padding is a blank written on purpose (seed 001)
    assert _kinds("\n\t\u00a0\n\t\u3000\n\t0") == [("B", " "), ("B", " "), ("V", "0")]
    # tab rows: covered positions at the edges vanish, an empty cell between values is blank
    assert _kinds("\t\t0\t\t5\t\t") == [("V", "0"), ("B", ""), ("V", "5")]
    # a header line's padding is not a row of blanks
    assert _kinds("结果维持 |  | 总计 |  |") == [("T", "结果维持"), ("T", "总计")]


def test_digits_glued_to_the_next_label():
    assert _kinds("8100009（三）不予公开") == [("V", "8100009"), ("T", "(三)不予公开")]
    assert _kinds("8件,办结") == [("V", "8件"), ("T", ",办结")]
    assert _kinds("数据1") == [("T", "数据1")]


def test_splits_with_row_sum():
    assert splits(["713000074"], 7, row_sum_check(7)) == [(71, 3, 0, 0, 0, 0, 74)]
    assert splits(["230", "000023"], 7, row_sum_check(7)) == [(23, 0, 0, 0, 0, 0, 23)]
    assert sorted(splits(["270020130"], 7, row_sum_check(7))) == [(2, 7, 0, 0, 20, 1, 30), (27, 0, 0, 2, 0, 1, 30)]
    assert splits(["1234"], 7, row_sum_check(7)) == []  # too few digits


def test_splits_with_block_sums_and_without_constraint():
    assert splits(["21317000001324019"], 15, block_sum_check(5)) == [
        (2, 1, 3, 1, 7, 0, 0, 0, 0, 0, 13, 2, 4, 0, 19)]
    assert splits(["000"], 3, no_check) == [(0, 0, 0)]
    assert len(splits(["8855698"], 3, no_check)) > 1
    assert all(not str(v).startswith("0") or v == 0 for s in splits(["10203"], 3, no_check) for v in s)


# --- title, kind, dates ----------------------------------------------------------------------------


@pytest.mark.parametrize("text,agency,year", [
    ("瀍河回族区商务局 2023 年政府信息公开工作年度报\n\n告\n\n一、总体情况", "瀍河回族区商务局", 2023),
    ("南通市海门区商务局2020年政府信息公开\n\n工作年度报告\n\n一、总体情况", "南通市海门区商务局", 2020),
    ("\n\n攀枝花市西区商务局\n\n2020 年政府信息公开工作年度报告\n\n2020 年，区商务局……", "攀枝花市西区商务局", 2020),
    ("2022年湖口县卫生健康委员会信息公开年报\n一、总体情况", "湖口县卫生健康委员会", 2022),
    ("正文\n2024 年上海市科委政府信息公开工作\n年度报告\n根据……", "上海市科委", 2024),
    ("# 沐阳县人民政府 2025 年 政府信息公开工作年度报告\n", "沐阳县人民政府", 2025),
])
def test_title(text, agency, year):
    title, got_agency, got_year = find_title(normalize(text), {})
    assert (got_agency, got_year) == (agency, year)
    assert title.endswith(("报告", "年报", "年度报"))


def test_metadata_header_title_and_dates():
    text = normalize("标题: 平潭综合实验区2022年度政府信息公开工作年度报告\n发布时间: 2023-02-20 15:07\n文号: \n正文……")
    meta = read_metadata(text)
    assert find_title(text, meta)[1:] == ("平潭综合实验区", 2022)
    report = parse_report(text)
    assert report.published_on == dt.date(2023, 2, 20)


@pytest.mark.parametrize("agency,kind", [("西华县商务局", "department"), ("淮安市洪泽区人民政府", "government"),
                                         ("陆良县沙河镇人民政府", "township"), ("广州市海珠区官洲街道办事处", "township"),
                                         ("甘谷县人民政府办公室", "department"), (None, None)])
def test_agency_kind(agency, kind):
    assert agency_kind(agency) == kind


def test_own_date_at_the_end_or_under_the_title():
    assert find_own_date("正文。\n\n攀枝花市西区商务局\n\n2020年1月4日\n")[0] == dt.date(2020, 1, 4)
    assert find_own_date("# 标题\n\n沐阳县人民政府\n(2026年1月23日)\n\n正文。")[0] == dt.date(2026, 1, 23)
    assert find_own_date("截至2020年12月31日，我局主动公开信息318条。\n六、其他需要报告的事项\n无。")[0] is None


# --- period ---------------------------------------------------------------------------------------


Y23 = (dt.date(2023, 1, 1), dt.date(2023, 12, 31))


@pytest.mark.parametrize("text,period", [
    # seeds, real reports and the national template
    ("报告中所列数据统计期限自2024 年1 月1 日\n起至2024 年12 月31 日止。", (dt.date(2024, 1, 1), dt.date(2024, 12, 31))),
    ("本报告所列数据统计期限为2023年1月1日至12月31日。", Y23),
    ("所列数据统计期限自2022年1月1日起，至2022年12月31日止", (dt.date(2022, 1, 1), dt.date(2022, 12, 31))),
    ("统计期限自 2020 年 1 月 1 日至 2021 年 12 月 31 日止", (dt.date(2020, 1, 1), dt.date(2021, 12, 31))),  # seed 000
    ("本报告中所列数据的统计限自2020年1月1日至2020年12月31日止", (dt.date(2020, 1, 1), dt.date(2020, 12, 31))),  # 025
    ("本年度报告中所列数据的统计周期为2024年1月1日至12月31日", (dt.date(2024, 1, 1), dt.date(2024, 12, 31))),  # 016
    ("本报告所列数据统计期限从2025年1月1日至2025年12月31日止", (dt.date(2025, 1, 1), dt.date(2025, 12, 31))),  # 020
    ("报告中所列数据统计期限为2022年1月1日到12月31日", (dt.date(2022, 1, 1), dt.date(2022, 12, 31))),
    ("本报告内容涵盖2025年1月1日至12月31日期间的政府信息公开工作情况", (dt.date(2025, 1, 1), dt.date(2025, 12, 31))),
    ("2013年1月1日至12月31日期间我局办公室未收到政府信息公开申请", (dt.date(2013, 1, 1), dt.date(2013, 12, 31))),  # 043
    # the practice world's wordings
    ("本年度报告统计数据的时间范围为2023年1月1日至2023年12月31日。", Y23),
    ("报告中所列数据统计时限为2023年1月1日至2023年12月31日。", Y23),
    ("本年度报告统计数据的时间范围为2022年2月1日至2023年1月31日。", (dt.date(2022, 2, 1), dt.date(2023, 1, 31))),
    # common variants: dashes, full-width digits, dotted dates, Chinese numerals, months, a year alone
    ("本报告所列数据统计时限为2023年1月1日—2023年12月31日", Y23),
    ("统计期限：2023年1月1日－12月31日", Y23),
    ("本报告中所列数据统计期限为２０２３年１月１日至１２月３１日。", Y23),
    ("统计期限：2023.1.1-2023.12.31", Y23),
    ("数据统计期限为2023-01-01至2023-12-31", Y23),
    ("本报告所列数据统计期限为二〇二三年一月一日至十二月三十一日。", Y23),
    ("本报告所列数据的统计期限为2023年1月至12月", Y23),
    ("本报告所列数据统计期限为2023年度。", Y23),
    ("数据统计时间截至2023年12月31日。", Y23),
])
def test_period(text, period):
    assert find_period(compact_str(normalize(text)))[0] == period


@pytest.mark.parametrize("text", [
    "所列数据的统计期限自202011日起,至20201231日止。",  # excerpt 024
    "本报告中所列数据的统计期限自2020年1月1日起至202020年12月31日止",  # excerpt 060
])
def test_period_stated_but_unreadable(text):
    dates, statement = find_period(compact_str(normalize(text)))
    assert dates is None and statement and statement.startswith("统计期限")


@pytest.mark.parametrize("text", [
    "截至2020年12月31日，我局主动公开信息318条。",
    "2023年3月1日至5月31日，开展政务公开专项行动。",  # an activity, not the statistics period
    "咨询电话：0736-8179340。",
])
def test_no_period_statement(text):
    assert find_period(compact_str(normalize(text))) == (None, None)


def test_a_wrong_statement_is_not_undone_by_a_right_one():
    text = compact_str("统计期限为2023年1月1日至2023年12月31日。另：统计期限为2022年2月1日至2023年1月31日。")
    assert find_period(text, 2023)[0] == (dt.date(2022, 2, 1), dt.date(2023, 1, 31))


# --- sections ---------------------------------------------------------------------------------------


def test_sections_ignore_preamble_lists_sub_items_and_table_rows():
    text = normalize(
        "本报告由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况等组成。\n"
        "一、总体情况\n- 四、政府信息公开平台建设。通过公众号公开。\n二、主动公开政府信息情况\n表\n"
        "三、收到和处理政府信息公开申请情况\n四、结转下年度继续办理\t0\t0\n"
        "四、政府信息公开行政复议、行政诉讼情况\n表\n五、存在的主要问题及改进情况\n问题。\n六、其他需要报告的事项\n无。")
    secs = find_sections(text)
    assert all(s.found and s.in_order for s in secs)
    assert text[secs[3].start:].startswith("四、政府信息公开行政复议")
    assert [s.numeral for s in secs] == list(formats.SECTION_NUMERALS)


def test_heading_glued_to_a_table_cell_and_arabic_numbering():
    secs = find_sections("政府集中采购135753944.52元三、收到和处理政府信息公开申请情况（本列")
    assert secs[2].found
    secs = find_sections("1、总体情况\n正文")
    assert secs[0].found and secs[0].numeral == "1"


# --- tables in every layout -------------------------------------------------------------------------

T3_ROWS = [r for r in formats.FORMAT_2021.t3_rows]
VALUES = {"new": [5, 1, 0, 0, 0, 0, 6], "r1": [5, 1, 0, 0, 0, 0, 6], "total": [5, 1, 0, 0, 0, 0, 6]}


def _row_values(key):
    return VALUES.get(key, [0] * 7)


def _layout(kind: str) -> str:
    out = ["三、收到和处理政府信息公开申请情况", formats.T3_NOTE]
    for row in T3_ROWS:
        vals = [str(v) for v in _row_values(row.key)]
        if kind == "tabs":
            out.append(f"\t{row.label}\t" + "\t".join(vals))
        elif kind == "cells":
            out += ["", f"\t{row.label}"] + [f"\t{v}" for v in vals]
        elif kind == "pipes":
            out.append(f"| {row.label} | " + " | ".join(vals) + " |")
        elif kind == "pdf":
            out += [row.label[:9], row.label[9:]] if len(row.label) > 12 else [row.label]
            out += vals
        elif kind == "glued":
            out.append(row.label + "".join(vals))
    out.append("四、政府信息公开行政复议、行政诉讼情况")
    return "\n".join(out)


@pytest.mark.parametrize("kind", ["tabs", "cells", "pipes", "pdf", "glued"])
def test_table_three_in_every_layout(kind):
    report = parse_report("某局2023年政府信息公开工作年度报告\n" + _layout(kind))
    t3 = report.t3
    assert t3.present and t3.layout == "2021" and not t3.missing_rows
    for key, row in t3.rows.items():
        assert [c.value for c in row.cells] == _row_values(key), key
        assert row.status is (RowStatus.RESPLIT if kind == "glued" else RowStatus.OK)


def test_ocr_noise_in_labels_is_matched_approximately():
    text = _layout("tabs").replace("二、上年结转政府信息公开申请数量", "二、上年\tE结转政府(信息公开申请数量").replace(
        "四、结转下年度继续办理", "四、结转\t专下年度继续\t续办理")
    rows = parse_report("某局2023年政府信息公开工作年度报告\n" + text).t3.rows
    assert rows["carried"].fuzzy and rows["carried"].status is RowStatus.OK
    assert rows["carry_next"].fuzzy and rows["carry_next"].status is RowStatus.OK


def test_a_lost_cell_makes_a_short_row():
    text = _layout("tabs").replace("（七）总计\t5\t1", "（七）总计\t\t\t1")
    row = parse_report("某局2023年政府信息公开工作年度报告\n" + text).t3.rows["total"]
    assert row.status is RowStatus.SHORT and len(row.cells) == 6


def test_table_two_layout_from_broken_column_headers():
    t2_2019 = ("二、主动公开政府信息情况\n\t第二十条第（一）项\n\n\t信息内容\n\t本年新\n制作数量\n\t本年新\n公开数量\n"
               "\t对外公开总数量\n\n\t规章\n\t0\n\t0\n\t0\n")
    report = parse_report("某局2020年政府信息公开工作年度报告\n" + t2_2019)
    assert report.t2.layout == "2019"
    assert [c.value for c in report.t2.rows["art20_1.rules"].cells] == [0, 0, 0]
    t2_2021 = "二、主动公开政府信息情况\n第二十条第(一)项\n信息内容 | 本年(2023)制发件数 | 本年(2023)废止件数 | 现行有效件数 |\n规章 | 0 | 1 | 0 |"
    assert parse_report("某局2023年政府信息公开工作年度报告\n" + t2_2021).t2.layout == "2021"


def test_single_other_row_means_the_2019_table_three():
    text = _layout("tabs")
    lines = [ln for ln in text.split("\n") if "申请人" not in ln or "（六）" in ln]
    old = [r.label for r in formats.T3_OTHER_2021]
    text = "\n".join(ln for ln in lines if not any(label in ln for label in old))
    text = text.replace("（七）总计", "（六）其他处理\t0\t0\t0\t0\t0\t0\t0\n\t（七）总计")
    t3 = parse_report("某局2024年政府信息公开工作年度报告\n" + text).t3
    assert t3.layout == "2019" and not t3.missing_rows


def test_sentences_naming_rows_are_not_a_table():
    text = ("三、收到和处理政府信息公开申请情况\n全年共收到政府信息公开申请789件，上年结转8件，结转下年度继续办理9件。"
            "办结的申请中，予以公开304件，部分公开68件，其他处理20件。\n四、政府信息公开行政复议、行政诉讼情况\n无。")
    assert not parse_report("某局2020年政府信息公开工作年度报告\n" + text).t3.present


def test_extracted_grid_tells_a_blank_cell_from_a_lost_one():
    """HTML/DOCX/PDF tables arrive as complete grids: an empty last cell is a blank 总计, not a lost
    cell; the same line in a plain-text report (seed 003's OCR) is a short row."""
    line = "一、本年新收政府信息公开申请数量\t1\t\t0\t0\t0\t0\t"
    text = f"某局2023年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n{formats.T3_NOTE}\n{line}\n"
    grid = parse_report(text, doc_type="html").t3.rows["new"]
    assert [c.kind for c in grid.cells] == [CellKind.NUMERIC, CellKind.EMPTY] + [CellKind.ZERO] * 4 + [CellKind.EMPTY]
    assert parse_report(text, doc_type="txt").t3.rows["new"].status is RowStatus.SHORT


_FRAGMENTS = [ln for p in sorted((Path(__file__).parent / "fixtures").rglob("*.txt"))
              for ln in p.read_text(encoding="utf-8").split("\n") if ln.strip()]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=60), st.sampled_from(["\n", "\t", "", " | "]),
       st.text(alphabet="0123456789\t\n 一二三四、()总计结转./|-", max_size=200))
def test_any_mix_of_report_fragments_parses(lines, sep, noise):
    """Shuffled pieces of real reports (and digit/label noise) never raise, and every row read as
    aligned has exactly one cell per column."""
    result = check_text(sep.join(lines) + noise)
    assert all(f.severity in ("error", "warning", "info") for f in result.findings)
    widths = {"二": None, "三": len(formats.T3_COLUMNS), "四": len(formats.T4_COLUMNS)}
    for table in (result.report.t2, result.report.t3, result.report.t4):
        for row in table.rows.values():
            if row.status in (RowStatus.OK, RowStatus.RESPLIT, RowStatus.BLANK) and widths[table.name]:
                assert len(row.cells) == widths[table.name]
