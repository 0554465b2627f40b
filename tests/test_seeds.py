"""The five seed reports: the checker must report exactly the defects report-format.md §5 lists.

Each seed is checked through the real file path (monitor.extract reads the .txt).  The SET of rule ids
reported as error or warning must equal the expectation; info findings are commentary.  Where a seed
has several findings of one rule, the test also pins where they point, so a right answer for the wrong
reason (e.g. table.incomplete for table 四 in seed 002) fails.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.checker import check_file

SEEDS = Path(__file__).parent / "fixtures" / "seeds"


def _seed(prefix: str):
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    result = check_file(path)
    assert result.error is None
    return result


def _rules(result) -> set[str]:
    return {f.rule for f in result.findings if f.severity in ("error", "warning")}


def _where(result, rule: str) -> list[str]:
    return [f.where for f in result.findings if f.rule == rule]


@pytest.mark.parametrize("prefix,agency,year,fmt", [
    ("000", "攀枝花市西区商务局", 2020, "2019"),
    ("001", "南通市海门区商务局", 2020, "2019"),
    ("002", "西华县商务局", 2021, "2021"),
    ("003", "瀍河回族区商务局", 2023, "2021"),
    ("004", "尧都区商务局", 2020, "2019"),
])
def test_agency_year_format(prefix, agency, year, fmt):
    result = _seed(prefix)
    assert (result.agency, result.year, result.format) == (agency, year, fmt)


def test_seed_000():
    """Wrong period end year, signed 2020-01-04, heading 三 lost with the first rows of table 三,
    table 二 cut after 行政处罚; no identity can be checked with those rows missing."""
    result = _seed("000")
    assert _rules(result) == {"period.wrong", "date.before_year_end", "structure.section_missing", "table.incomplete"}
    assert _where(result, "structure.section_missing") == ["三"]
    assert sorted(_where(result, "table.incomplete")) == ["三", "二"]
    t2 = next(f for f in result.findings if f.rule == "table.incomplete" and f.where == "二")
    assert all(name in t2.message for name in ("行政强制", "行政事业性收费", "政府集中采购"))
    assert "2021年12月31日" in next(f.message for f in result.findings if f.rule == "period.wrong")


def test_seed_001():
    """Tables 三 and 四 entirely blank: blank is not zero, and a blank never contradicts the text."""
    result = _seed("001")
    assert _rules(result) == {"table.blank", "period.missing"}
    assert sorted(_where(result, "table.blank")) == ["三", "四"]
    assert next(f for f in result.findings if f.rule == "period.missing").severity == "warning"
    procurement = result.report.t2.rows["art20_9.procurement"]
    assert procurement.cells[1].unit == "万元" and str(procurement.cells[1].value) == "83.8778"


def test_seed_002():
    """−5 repealed, table 二 truncated after （六）, sections 三 and 四 (and table 三) missing,
    township boilerplate in a 局's report.  Table 四 keeps its 15 values under a partial header, so
    it is complete."""
    result = _seed("002")
    assert _rules(result) == {"table.negative", "table.incomplete", "structure.section_missing", "table.missing",
                              "content.copied", "period.missing"}
    assert sorted(_where(result, "structure.section_missing")) == ["三", "四"]
    assert _where(result, "table.missing") == ["三"]
    assert _where(result, "table.incomplete") == ["二"]
    assert _where(result, "table.negative") == ["二 / 第二十条第（一）项 / 行政规范性文件 / 本年废止件数"]
    copied = next(f for f in result.findings if f.rule == "content.copied")
    assert "全乡" in copied.message and "全镇" in copied.message
    assert [len(r.cells) for r in result.report.t4.rows.values()] == [5, 5, 5]


def test_seed_003():
    """OCR noise everywhere, yet only the real defects: sub-items of 一 numbered 一、二、…, and
    （七）总计 with 6 values for 7 columns (kept out of every identity)."""
    result = _seed("003")
    assert _rules(result) == {"structure.numbering", "table.incomplete", "period.missing"}
    assert _where(result, "table.incomplete") == ["三 / （七）总计"]
    assert _where(result, "structure.numbering") == ["一"]
    rows = result.report.t3.rows
    assert len(rows) == 25  # every row found, including the OCR-garbled labels
    assert rows["carried"].fuzzy and rows["carry_next"].fuzzy


def test_seed_004():
    result = _seed("004")
    assert [(f.rule, f.severity) for f in result.findings if f.severity != "info"] == [("period.missing", "warning")]
