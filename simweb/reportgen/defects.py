"""Injectable defects: what each one changes, and what the checker must then report.

Each defect is minimal: it breaks one rule and nothing else, so a test can demand that the checker
reports exactly `spec.expected_rules`.  Where a defect cannot help taking something else with it
(dropping section 三 drops table 三), the companion rule is part of the expectation and is named
in the description below.  Targets (which table, row, column, section) are drawn from the seed and
recorded in `spec.details[rule]`.
"""

from __future__ import annotations

import random

from monitor.formats import FORMATS, T3_TOTAL_COL

DEFECTS: dict[str, str] = {
    "structure.section_missing":
        "One of the six sections (heading and body) is dropped; the others keep their numerals, so the "
        "numbering has a gap (not a section_order finding). Dropping 二, 三 or 四 drops that section's "
        "table too, so the expectation is {structure.section_missing, table.missing}; dropping 一, 五 or 六 "
        "expects structure.section_missing alone (a missing 五 is not also content.problems_trivial). "
        "details: {'section': '三'}.",
    "structure.section_order":
        "Two adjacent sections among 二…六 swap places, each keeping its own numeral, heading, body and "
        "table (the text reads 一、二、四、三、五、六). details: {'swapped': ('三', '四')}.",
    "structure.numbering":
        "Section 一's five sub-items are numbered 一、二、三、四、五、 (the top-level style) instead of "
        "（一）…（五） — two numbering systems, as in seed 003. The six real section headings are intact.",
    "format.outdated":
        "A report for 2021 or later written with the 2019 (〔2019〕60号) tables: 本年新制作数量 columns, "
        "（九）政府集中采购 block, a single （六）其他处理 row in table 三; the preamble cites 60号 "
        "(as the 底张街道 2023 report does). The tables are complete and consistent in that layout. "
        "spec.format == '2019'. Passing format='2019' for a 2021+ year injects this defect.",
    "format.unknown":
        "No tables at all: the six headings remain and sections 二/三/四 state their figures in sentences "
        "instead. Expect format.unknown alone (not table.missing for each table). spec.format == 'unknown'.",
    "table.missing":
        "One table (二, 三 or 四) is dropped; its section heading (and any text) stays. The narrative "
        "still states the application/review figures, which can then not be compared (no "
        "text.table_mismatch). details: {'table': '三'}.",
    "table.incomplete":
        "Required rows are dropped from one table: 2–3 all-zero rows of table 三 (so every identity "
        "still holds on the rows present), or from table 二 one row or a whole 第二十条 block other than "
        "第（一）项. "
        "details: {'table': '三', 'rows': ['r3_1', 'r5_4']} or {'table': '二', 'block': 'art20_8', "
        "'rows': [...]}.",
    "table.blank":
        "Every value cell of table 三 or 四 is empty (blank, not zero), as in seed 001; the narrative keeps "
        "its numbers, which cannot be compared with blanks (no text.table_mismatch, no identity "
        "finding). details: {'table': '四'}.",
    "table.non_numeric":
        "One count cell of table 二 (never a money or signed column) holds text, e.g. 若干 / 不详; no "
        "identity involves table 二 and the narrative does not cite it. details: {'block', 'row', "
        "'column', 'value'}.",
    "table.negative":
        "One count cell of table 二 that must be >= 0 is negative (2021: 行政规范性文件 本年废止件数 = -5 "
        "as in seed 002; 2019: a 本年新制作数量 or 处理决定数量, never the signed 本年增/减). details as "
        "for table.non_numeric.",
    "identity.t3_balance":
        "四、结转下年度继续办理 is changed by ±1 in one applicant column and in its 总计 cell, so T3-BAL "
        "breaks in that column and in 总计; T3-SUM and T3-ROW still hold. The narrative cites the printed "
        "结转 figure. details: {'column': c, 'delta': d}.",
    "identity.t3_total":
        "One result row is changed by ±1 in one applicant column and in its 总计 cell, so （七）总计 ≠ "
        "sum of the result rows in that column and in 总计 (T3-SUM); T3-ROW and T3-BAL hold. "
        "details: {'row': key, 'column': c, 'delta': d}.",
    "identity.t3_row":
        "1 moves between the 总计 cells of two result rows (one +1, one -1), so both rows' 总计 ≠ sum of "
        "their six applicant cells (T3-ROW); column sums and the balance still hold. When every result "
        "row is zero (size 'zero'), 1 is instead added to one applicant column of 一、本年新收, of "
        "（一）予以公开 and of （七）总计 without touching their 总计 cells: three rows break T3-ROW, "
        "T3-SUM and T3-BAL still hold. details: {'rows': [...], 'column'?: c}.",
    "identity.t4_total":
        "One table 四 block's 总计 is off by one (T4-SUM); the narrative cites the printed 总计. "
        "details: {'block': 'review'|'direct'|'after_review', 'delta': d}.",
    "period.missing":
        "The preamble has no statistics-period sentence. spec.period is None.",
    "period.wrong":
        "The statistics period is stated but is not 1 January – 31 December of the report year "
        "(end year Y+1 as in seed 000, or start year Y-1). spec.period holds the stated dates.",
    "date.before_year_end":
        "The 落款 date lies inside the report year (Y-12-xx, or Y-01-0x as in seed 000). "
        "spec.signed_on holds it.",
    "text.table_mismatch":
        "Section 一 states a number of new applications (收到政府信息公开申请N件) different from table 三 "
        "一、本年新收 总计; every other narrative figure agrees. spec.figures['apps_new'] is the stated N. "
        "details: {'stated': N, 'table': M}.",
    "content.no_text":
        "Only renderable as 'pdf-image' (pages as images, no text layer); any other format raises "
        "ValueError. Note that ANY spec rendered as 'pdf-image' expects {content.no_text} alone "
        "(see expected_rules_for).",
    "content.problems_trivial":
        "Section 五 is reduced to one line: 无。 or a single boilerplate sentence.",
}

MULTI_DOCUMENT: dict[str, str] = {
    "content.copied":
        "make_pair: the second report's narrative is the first's, re-filled with its own agency name "
        "and numbers (variant 'agency': another agency of the same kind, same year; variant 'year': "
        "same agency, the following year). Each report alone is clean.",
    "crossyear.valid_count":
        "make_pair: 2021-layout reports of one agency for Y-1 and Y where Y's 行政规范性文件 现行有效件数 is 1–3 "
        "above Y-1's 现行有效 + Y's 本年制发 − 本年废止. Each report alone is clean.",
    "crossyear.carry":
        "make_pair: reports of one agency for Y-1 and Y where Y's 二、上年结转 ≠ Y-1's 结转下年度继续办理 "
        "(total column and one applicant column). Each report alone is clean.",
}

PRE2019_DEFECTS = frozenset({
    "structure.section_missing", "structure.section_order", "period.missing", "period.wrong",
    "date.before_year_end", "content.no_text", "content.problems_trivial",
})
"""Defects that make sense for an old-style report (no national tables, no sub-item numbering)."""

SECTION_OF_TABLE = {"二": 1, "三": 2, "四": 3}

# --------------------------------------------------------------------- defects on table values


def negative_cell(rng: random.Random, spec_t2: dict, layout: str) -> dict:
    if layout == "2021":
        target = ("art20_1", "normative", 1)
    else:
        target = rng.choice([("art20_1", "normative", 0), ("art20_5", "licensing", 2), ("art20_6", "penalty", 2)])
    block, row, col = target
    value = -rng.randint(1, 9)
    spec_t2[block][row][col] = value
    return {"block": block, "row": row, "column": col, "value": value}


def non_numeric_cell(rng: random.Random, spec_t2: dict, layout: str) -> dict:
    candidates = [("art20_1", "normative", 0), ("art20_6", "penalty", 0 if layout == "2021" else 2),
                  ("art20_5", "licensing", 0 if layout == "2021" else 2)]
    block, row, col = rng.choice(candidates)
    value = rng.choice(("若干", "不详", "待统计"))
    spec_t2[block][row][col] = value
    return {"block": block, "row": row, "column": col, "value": value}


def _delta(rng: random.Random, current: int) -> int:
    return -1 if current >= 1 and rng.random() < 0.5 else 1


def t3_balance(rng: random.Random, t3: dict) -> dict:
    c = rng.randrange(T3_TOTAL_COL)
    d = _delta(rng, t3["carry_next"][c])
    t3["carry_next"][c] += d
    t3["carry_next"][T3_TOTAL_COL] += d
    return {"column": c, "delta": d}


def t3_total(rng: random.Random, t3: dict, layout: str) -> dict:
    keys = [k for k in FORMATS[layout].t3_result_keys if k != "total"]
    key, c = rng.choice(keys), rng.randrange(T3_TOTAL_COL)
    d = _delta(rng, t3[key][c])
    t3[key][c] += d
    t3[key][T3_TOTAL_COL] += d
    return {"row": key, "column": c, "delta": d}


def t3_row(rng: random.Random, t3: dict, layout: str) -> dict:
    keys = [k for k in FORMATS[layout].t3_result_keys if k != "total"]
    donors = [k for k in keys if t3[k][T3_TOTAL_COL] >= 1]
    if donors:
        donor = rng.choice(donors)
        taker = rng.choice([k for k in keys if k != donor])
        t3[donor][T3_TOTAL_COL] -= 1
        t3[taker][T3_TOTAL_COL] += 1
        return {"rows": [donor, taker]}
    c = rng.randrange(T3_TOTAL_COL)
    for key in ("new", "r1", "total"):
        t3[key][c] += 1
    return {"rows": ["new", "r1", "total"], "column": c}


def t4_total(rng: random.Random, t4: list) -> dict:
    b = rng.randrange(3)
    d = _delta(rng, t4[b * 5 + 4])
    t4[b * 5 + 4] += d
    return {"block": ("review", "direct", "after_review")[b], "delta": d}


# --------------------------------------------------------------------- defects on structure


def incomplete_rows(rng: random.Random, table: str, t2: dict, t3: dict, layout: str, keep: set) -> dict:
    """Drop rows from `table`; `keep` are t2 (block, row) pairs another defect has altered."""
    if table == "三":
        zero_rows = [k for k in FORMATS[layout].t3_result_keys
                     if k != "total" and all(v == 0 for v in t3[k])]
        dropped = sorted(rng.sample(zero_rows, min(len(zero_rows), rng.randint(2, 3))))
        for key in dropped:
            del t3[key]
        return {"table": "三", "rows": dropped}
    blocks = [b for b in t2 if b != "art20_1" and not any((b, r) in keep for r in t2[b])]
    block = rng.choice(blocks)
    rows = list(t2[block])
    if len(rows) > 1 and rng.random() < 0.5:
        row = rows[-1]
        del t2[block][row]
        return {"table": "二", "block": block, "rows": [row]}
    del t2[block]
    return {"table": "二", "block": block, "rows": rows}
