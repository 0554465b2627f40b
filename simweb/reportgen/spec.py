"""The report specification: everything a rendered report says, as data.

A `ReportSpec` is the ground truth of one generated report.  Renderers turn it into bytes without
making any decision of their own, so a test can compute what the checker must find from the spec
alone (tables, stated period, 落款 date, injected defects) and compare it with what the checker
says about any rendering of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

KINDS: tuple[str, ...] = ("government", "department", "township")
SIZES: tuple[str, ...] = ("zero", "typical", "large")
LAYOUTS: tuple[str, ...] = ("2019", "2021", "pre2019", "unknown")
"""Table layouts a spec can carry.  'unknown' only results from the `format.unknown` defect."""


LABEL_STYLES: tuple[str, ...] = ("official", "comma", "fullwidth", "paren", "circled", "bare", "fused", "typo",
                                 "wrapped", "paged")
"""How table row labels are printed.  Real reports rarely copy the template's "1." numbering: 「3、其他」
(comma), 「１．属于国家秘密」 (fullwidth), 「（1）」 (paren), 「①」 (circled), no number at all (bare),
the number glued to the label and the label to its first value (fused: 「1属于国家秘密0」), the real typo
「其他法律行政止公开」 (real 002; typo), labels wrapped inside their cell so the rest follows the values
(「（六）其」 … 「他处理」; wrapped), and a page number 「- 4 -」 printed between two rows of table 三 (paged,
real 002)."""


FIRST_YEAR = 2008
"""First report year under the 2007 regulation (in force 2008-05-01)."""

@dataclass
class ReportSpec:
    agency: str
    kind: str  # government | department | township
    year: int
    format: str  # table layout written: 2019 | 2021 | pre2019 | unknown (format.unknown: no tables)
    title: str
    t2: dict
    t3: dict
    """{row_key: [7 cells]}; a cell is int | Decimal | str ("" = blank, "/" or "无" = NA, other text)."""
    t4: list
    sections: list
    period: tuple | None
    signed_on: date | None
    defects: tuple
    expected_rules: frozenset
    seed: int
    size: str = "typical"
    labels: str = "official"  # one of LABEL_STYLES
    preamble: list = field(default_factory=list)
    """Paragraphs between the title and 一、总体情况 (legal basis, statistics period, contact)."""
    figures: dict = field(default_factory=dict)
    """The numbers the narrative states: year, published (信息N条, in no table), apps_new,
    apps_carried, apps_done, apps_carry_next, reviews, lawsuits, and breakdown {予以公开: n, …}
    (result groups).  Equal to the tables' 总计 column in a clean report."""
    details: dict = field(default_factory=dict)
    """Per injected rule id: what exactly was changed (table, row key, column, section …)."""

    @property
    def has_tables(self) -> bool:
        return bool(self.t2 or self.t3 or self.t4)
