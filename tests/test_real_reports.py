"""Real published reports (tests/fixtures/real-reports, index.json has a reader's notes).

Ground truth is the reader's notes: who published, which year, which format group, the table 三
balance figures and table 四 figures they quote, and the defects they found.  Where a note reports a
defect, a test says whether we catch it; defects we do not catch are strict xfails, so the list of
known gaps stays honest (an XPASS fails the run and asks for the test to become a plain assertion).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from monitor import formats
from monitor.checker import check_file, check_many
from monitor.explain import known_rules

ROOT = Path(__file__).parent / "fixtures" / "real-reports"
INDEX = json.loads((ROOT / "index.json").read_text(encoding="utf-8"))
COMPLETE = [e["file"] for e in INDEX["complete"]]
EXCERPTS = [e["file"] for e in INDEX["excerpts"]]

_cache: dict[str, object] = {}


def check(name: str):
    if name not in _cache:
        path = ROOT / name if (ROOT / name).exists() else ROOT / "excerpts" / name
        result = check_file(path)
        assert result.error is None, result.error
        _cache[name] = result
    return _cache[name]


def rules(name: str) -> set[str]:
    return {f.rule for f in check(name).findings if f.severity in ("error", "warning")}


def where(name: str, rule: str) -> list[str]:
    return [f.where for f in check(name).findings if f.rule == rule]


def t3_total(name: str, key: str) -> int:
    return check(name).report.t3.rows[key].cells[6].value


def t4_values(name: str) -> list[list[int]]:
    rows = check(name).report.t4.rows
    return [[c.value for c in rows[k].cells] for k in ("review", "direct", "after_review")]


# Agency as the report itself writes it (the notes' name where they differ: 004 is OCR'd as 沐阳,
# 014 calls itself 上海市科委 in its title).
IDENTITY = {
    "002.txt": ("淮安市洪泽区人民政府", 2024, "2021"),
    "004.txt": ("沐阳县人民政府", 2025, "2021"),
    "005.txt": ("平潭综合实验区", 2022, "2021"),
    "006.txt": ("平潭综合实验区", 2019, "2019"),
    "008.txt": ("平潭综合实验区", 2021, "2021"),
    "009.txt": ("平潭综合实验区", 2023, "2021"),
    "010.txt": ("平潭综合实验区", 2024, "2021"),
    "011.txt": ("平潭综合实验区", 2025, "2021"),
    "012.txt": ("平潭综合实验区", 2018, "pre2019"),
    "014.txt": ("上海市科委", 2024, "2021"),
    "015.txt": ("上海市人民政府办公厅", 2025, "2021"),
    "043.txt": ("平潭综合实验区地方税务局", 2013, "pre2019"),
}


def test_every_complete_report_is_listed():
    assert sorted(IDENTITY) == sorted(COMPLETE)


@pytest.mark.parametrize("name", COMPLETE)
def test_agency_year_format(name):
    result = check(name)
    entry = next(e for e in INDEX["complete"] if e["file"] == name)
    assert result.year == entry["report_year"]
    assert result.format == entry["format_group"].replace("pre-2019", "pre2019")
    assert (result.agency, result.year, result.format) == IDENTITY[name]


@pytest.mark.parametrize("name", COMPLETE)
def test_no_identity_error_where_the_tables_are_consistent(name):
    """Every complete report's notes call its tables consistent (balances, table 四 sums)."""
    assert not {r for r in rules(name) if r.startswith("identity.")}


# (new, carried, total, carry_next) in the 总计 column, as quoted in the notes.
BALANCES = {
    "002.txt": (95, 0, 95, 0),
    "004.txt": (713, 36, 718, 31),
    "005.txt": (74, 1, 75, 0),
    "006.txt": (23, 0, 23, 0),
    "008.txt": (70, 0, 69, 1),
    "009.txt": (81, 0, 81, 0),
    "010.txt": (218, 0, 218, 0),
    "011.txt": (154, 0, 148, 6),
    "015.txt": (1295, 189, 1191, 293),
}


@pytest.mark.parametrize("name", sorted(BALANCES))
def test_table_three_balance_figures(name):
    got = tuple(t3_total(name, k) for k in ("new", "carried", "total", "carry_next"))
    assert got == BALANCES[name]
    assert got[0] + got[1] == got[2] + got[3]


def test_014_balance_with_a_blank_total_cell():
    """34+2 = 35+1; the 结转 row's 总计 cell is empty in the source: that is table.blank, and the
    自然人 column still balances (32+2 = 33+1)."""
    rows = check("014.txt").report.t3.rows
    assert (t3_total("014.txt", "new"), t3_total("014.txt", "carried"), t3_total("014.txt", "total")) == (34, 2, 35)
    assert rows["carry_next"].cells[0].value == 1 and rows["carry_next"].cells[6].value is None
    assert where("014.txt", "table.blank") == ["三 / 四、结转下年度继续办理"]


def test_011_carry_over_split_by_applicant():
    """6 carried over: 4 natural persons, 2 商业企业."""
    assert [c.value for c in check("011.txt").report.t3.rows["carry_next"].cells] == [4, 2, 0, 0, 0, 0, 6]


T4_QUOTED = {
    "002.txt": [[1, 1, 0, 0, 2], [1, 0, 0, 0, 1], [2, 0, 1, 0, 3]],
    "004.txt": [[27, 10, 9, 15, 61], [3, 0, 0, 0, 3], [8, 0, 1, 1, 10]],
    "010.txt": [[2, 1, 3, 1, 7], [0, 0, 0, 0, 0], [13, 2, 4, 0, 19]],
    "015.txt": [[40, 0, 10, 5, 55], [2, 0, 4, 6, 12], [6, 0, 9, 7, 22]],
}


@pytest.mark.parametrize("name", sorted(T4_QUOTED))
def test_table_four_figures(name):
    assert t4_values(name) == T4_QUOTED[name]


def test_002_format_mix_and_narrative_mismatch():
    """2021 table 二 with the 2019 single （六） row in table 三; the text's 17 applications (the
    district office alone) against the table's 95 (district-wide) is reported as a warning."""
    assert where("002.txt", "format.outdated") == ["三"]
    mismatch = [f for f in check("002.txt").findings if f.rule == "text.table_mismatch"]
    assert len(mismatch) == 1 and mismatch[0].severity == "warning" and "17" in mismatch[0].message
    assert rules("002.txt") == {"format.outdated", "text.table_mismatch"}


def test_004_clean_despite_a_restructured_table():
    """OCR moved rows into tables with wrong headers; the numbers are consistent and the narrative's
    受理749件 counts new + carried (713 + 36), which is not a contradiction."""
    assert rules("004.txt") == set()


@pytest.mark.parametrize("name", ["005.txt", "006.txt", "008.txt", "009.txt", "010.txt", "011.txt"])
def test_concatenated_digits_are_resplit_and_said_so(name):
    info = [f for f in check(name).findings if f.rule == "table.concatenated"]
    assert info and all(f.severity == "info" for f in info)
    assert any(f.where == "三" for f in info)


def test_008_seventeen_digits_for_fifteen_cells():
    """The notes call '10203120001200000' ambiguous; the 维持+纠正+其他+尚未审结 = 总计 constraint of
    each block leaves exactly one split."""
    assert t4_values("008.txt") == [[1, 0, 2, 0, 3], [12, 0, 0, 0, 12], [0, 0, 0, 0, 0]]
    assert str(check("008.txt").report.t2.rows["art20_8.fees"].cells[0].value) == "24252.311082"


def test_009_regulations_in_force_text_against_table():
    """Text says 现行有效 393, the table's '77132470' cannot hold 393 however it is split."""
    found = [f for f in check("009.txt").findings if f.rule == "text.table_mismatch"]
    assert [f.where for f in found] == ["二 / 第二十条第（一）项 / 行政规范性文件 / 现行有效件数"]
    assert "393" in found[0].message


def test_010_ambiguous_row_is_not_guessed():
    """'6233440' is 62/3/3440 or 62/33/440 (or more): reported as info, not read."""
    info = [f for f in check("010.txt").findings if f.rule == "table.concatenated" and f.where == "二"]
    assert any("6233440" in f.message for f in info)
    assert "text.table_mismatch" not in rules("010.txt")


def test_014_numbering_defects():
    """Narrative sections 一…六 with other titles, then the table sections renumbered 一、二、三, the
    problems part without a heading and 其他需要报告的事项 numbered 五."""
    assert set(where("014.txt", "structure.section_order")) == {"二", "三", "四", "六"}
    assert where("014.txt", "structure.section_missing") == ["五"]
    assert where("014.txt", "structure.numbering") == ["一"]


def test_015_lost_heading_and_garbled_first_row():
    assert where("015.txt", "structure.section_missing") == ["五"]
    incomplete = where("015.txt", "table.incomplete")
    assert "二 / 第二十条第（一）项 / 规章" in incomplete  # '规章 | 22 | 235': the 废止 cell is lost


def test_pre2019_reports_are_checked_for_the_old_parts_only():
    assert not {r for r in rules("012.txt") | rules("043.txt") if r.startswith(("table.", "format.", "identity."))}
    assert where("012.txt", "structure.section_missing") == ["政府信息公开的收费及减免情况"]
    assert "政府信息公开工作存在的主要问题及改进情况" in where("043.txt", "structure.section_missing")


@pytest.mark.xfail(strict=True, reason="not detected: boilerplate naming another place (《今日定安》, 全市地税系统) "
                                       "needs a gazetteer of place names")
def test_043_boilerplate_from_another_county():
    assert "content.copied" in rules("043.txt")


@pytest.mark.xfail(strict=True, reason="not detected: 办结 (171) > 受理 (117) concerns 审批事项, outside the tables")
def test_043_more_done_than_received():
    assert "text.table_mismatch" in rules("043.txt")


def test_pingtan_series_carry_over_is_consistent():
    """Six years of one agency checked together: every 上年结转 equals the previous 结转下年度."""
    names = ["006.txt", "008.txt", "005.txt", "009.txt", "010.txt", "011.txt"]
    results = check_many([ROOT / n for n in names])
    assert not [f for r in results for f in r.findings if f.rule in ("crossyear.carry", "content.copied")]


# --- excerpts (first ~1.5k characters of a page) --------------------------------------------------------

EXCERPT_NOTES = {e["file"]: e for e in INDEX["excerpts"]}
NUMERALS = "一二三四五六"
TABLE_SECTION = {"二": 1, "三": 2, "四": 3}

MIDDLE_PAGES = {"019.txt"}
"""Excerpts that do not start at the report's start (019: "flipbook page 9 of 2020年报_审计局")."""

NOTED_DEFECTS = {"024.txt", "032.txt", "048.txt", "051.txt", "056.txt", "059.txt", "060.txt", "067.txt", "068.txt",
                 "031.txt", "063.txt"}
"""Excerpts whose notes name a defect: the nine marked DEFECT, 031 ("NON-STANDARD headings": section 一
numbered 1、) and 063 (no year anywhere).  Each has its own test below."""

CLEAN_EXCERPTS = sorted(set(EXCERPT_NOTES) - NOTED_DEFECTS)


def cut_off(result, finding, name: str) -> bool:
    """A finding about what lies beyond the excerpt's end (the page was cut at ~1.5k characters), or
    before its start for a middle page: a section after the last one present, a table of the section
    the text ends in or of a later one, rows of the last table, no table at all when the text ends
    before section 四."""
    report = result.report
    titles = formats.PRE2019_SECTION_TITLES if report.format == "pre2019" else NUMERALS
    found = [sec.index for sec in report.sections if sec.found]
    last, first = max(found, default=-1), min(found, default=6)
    rule, where = finding.rule, finding.where.split(" / ")[0]
    if rule == "structure.section_missing" and where in titles:
        index = titles.index(where)
        return index > last or (name in MIDDLE_PAGES and index < first)
    if rule == "table.missing":
        return TABLE_SECTION[where] >= last or (name in MIDDLE_PAGES and TABLE_SECTION[where] < first)
    if rule == "format.unknown":
        return last < 3
    if rule == "content.problems_trivial":
        return last == 4
    if rule in ("table.incomplete", "table.blank") and where in TABLE_SECTION:
        table = {"二": report.t2, "三": report.t3, "四": report.t4}[where]
        later = [t for t in (report.t2, report.t3, report.t4) if t.present and t.span and table.span
                 and t.span[0] > table.span[0]]
        return not later
    return False


def errors_within(name: str) -> list[tuple[str, str]]:
    result = check(name)
    return [(f.rule, f.where) for f in result.findings if f.severity == "error" and not cut_off(result, f, name)]


@pytest.mark.parametrize("name", EXCERPTS)
def test_excerpt_year(name):
    """The notes give the year of every excerpt but 063; it is read even without a title (022 starts at
    一、总体情况), from a flipbook page title (019), from Traditional characters (039, 049, 053)."""
    assert check(name).year == EXCERPT_NOTES[name]["report_year"]


@pytest.mark.parametrize("name", EXCERPTS)
def test_excerpts_are_read_as_the_notes_describe(name):
    """Format as the notes group it where the excerpt reaches the tables' column headers or rows (else
    nothing tells it: 063 is cut inside the header 「本年制发件」), and every finding names a known rule."""
    result = check(name)
    notes = EXCERPT_NOTES[name]
    group = notes["format_group"].replace("pre-2019", "pre2019")
    if result.report.t2.layout or result.report.t3.layout:
        assert result.format == group
    elif group == "pre2019" and notes["report_year"] and notes["report_year"] < 2019:
        assert result.format == "pre2019"
    else:
        assert result.format == "unknown"
    known = set(known_rules())
    assert all(f.rule in known and f.severity in ("error", "warning", "info") for f in result.findings)


@pytest.mark.parametrize("name", CLEAN_EXCERPTS)
def test_no_error_within_a_clean_excerpt(name):
    """Where the notes name no defect, every error is about what the cut removed."""
    assert errors_within(name) == []


def test_excerpt_defects_we_catch():
    assert errors_within("024.txt") == [("structure.section_order", "二"), ("period.wrong", "统计期限")]
    assert "自202011日起" in next(f.message for f in check("024.txt").findings if f.rule == "period.wrong")
    assert errors_within("032.txt") == [("format.outdated", "二")]  # 2023 report on the 2019 template
    assert "三 / 7.属于行政执法案卷" in where("048.txt", "table.incomplete")  # 6 cells where 7 belong
    assert errors_within("060.txt") == [("period.wrong", "统计期限")]  # '202020年12月31日'
    assert errors_within("031.txt") == [("structure.section_order", "一")]  # '1、 总体情况'
    assert errors_within("063.txt") == [("structure.title", "标题")]  # no year anywhere


def _mentions(name: str, *words: str) -> bool:
    return any(all(w in f.message + f.where for w in words) for f in check(name).findings)


MISSED = [  # (excerpt, what a finding would show if we caught it, why we do not)
    ("024.txt", lambda: _mentions("024.txt", "人大建议"),
     "a non-standard sub-item of 一 ((六)人大建议和政协提案) is not a rule"),
    ("032.txt", lambda: any(f.where == "正文" and "60号" in f.message for f in check("032.txt").findings),
     "the citation of 〔2019〕60号 in a 2023 preamble is not reported on its own (the tables are: format.outdated)"),
    ("048.txt", lambda: any(f.rule.startswith("content.") and f.where == "一" for f in check("048.txt").findings),
     "section 一 holding only the boilerplate preamble is not a rule"),
    ("051.txt", lambda: "content.copied" in rules("051.txt"),
     "「全市」 in a county report (a city template) and the doubled 「民意征集民意征集」 need a gazetteer and a "
     "language model"),
    ("056.txt", lambda: any(f.where.startswith("二") for f in check("056.txt").findings if f.severity != "info"),
     "table 二 headers cut to 「本年新」 (the values still line up), 一 retitled 工作基本情况 holding only the "
     "preamble: not rules"),
    ("059.txt", lambda: _mentions("059.txt", "前言"),
     "a preamble announcing five parts without 复议/诉讼 is not a rule (the cut hides whether section 四 exists)"),
    ("060.txt", lambda: _mentions("060.txt", "索引号"),
     "the broken 索引号 '/2021-None' is page metadata, and a one-paragraph 一 is not a rule"),
    ("067.txt", lambda: _mentions("067.txt", "前言"),
     "a 2022 preamble listing the pre-2019 parts (咨询处理, 支出与收费) is not a rule (the text ends inside 一)"),
    ("068.txt", lambda: _mentions("068.txt", "前言"),
     "a preamble listing 咨询和投诉 without 其他需要报告的事项, placed inside 一, is not a rule"),
]


@pytest.mark.parametrize("name,caught", [
    pytest.param(name, caught, id=name, marks=pytest.mark.xfail(strict=True, reason=f"not detected: {reason}"))
    for name, caught, reason in MISSED])
def test_excerpt_defects_we_miss(name, caught):
    assert caught()


@pytest.mark.xfail(strict=True, reason="not detected: the notes' '一是…三是…三是' numbering slip in section 五")
def test_009_ordinal_slip():
    assert "structure.numbering" in rules("009.txt")


@pytest.mark.xfail(strict=True, reason="not detected: the notes' numbering jump 一是→三是 inside a paragraph")
def test_043_ordinal_jump():
    assert "structure.numbering" in rules("043.txt")
