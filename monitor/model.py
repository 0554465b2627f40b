"""The parsed annual report and the findings about it, as plain data.

The parser (monitor.parse) fills a `Report`; the rules (monitor.rules) read it and return `Finding`s;
the checker, the store and the dashboard pass both around.  Keeping them as dataclasses without
behaviour means every consumer sees the same facts, and a rule can never disagree with the parser
about what a cell "really" contained.

Cell semantics follow report-format.md §3: a blank is never a zero.  A cell is ZERO, NUMERIC, EMPTY
(blank), NA (a placeholder such as "/" or "无") or TEXT (anything else, e.g. a word where a number
belongs).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum


class CellKind(str, Enum):
    ZERO = "zero"
    NUMERIC = "numeric"
    EMPTY = "empty"
    NA = "na"
    TEXT = "text"


@dataclass(frozen=True)
class Cell:
    kind: CellKind
    raw: str
    value: int | Decimal | None = None  # set for ZERO and NUMERIC
    unit: str | None = None  # e.g. "万元" when written in the cell

    @property
    def is_number(self) -> bool:
        return self.kind in (CellKind.ZERO, CellKind.NUMERIC)

    @property
    def is_int(self) -> bool:
        return self.is_number and isinstance(self.value, int)


class RowStatus(str, Enum):
    OK = "ok"  # exactly one value per column
    BLANK = "blank"  # a row without a single value (every cell blank)
    SHORT = "short"  # fewer cells than columns: a cell was lost, the row is misaligned
    LONG = "long"  # more values than columns: labels and values are out of step
    RESPLIT = "resplit"  # digits printed without separators, split again by the row's own constraint
    AMBIGUOUS = "ambiguous"  # digits printed without separators and more than one split is possible


@dataclass
class TableRow:
    key: str  # row key from monitor.formats (T2: "<block>.<row>", e.g. "art20_1.normative")
    label: str  # official label (monitor.formats)
    cells: list[Cell]
    status: RowStatus
    found_as: str = ""  # the text the label was recognised in (for messages and debugging)
    fuzzy: bool = False  # label recognised by approximate matching (OCR noise)
    digits: str = ""  # the concatenated digits, for RESPLIT / AMBIGUOUS rows
    splits: list[tuple[int, ...]] = field(default_factory=list)  # every split that fits, for AMBIGUOUS

    @property
    def reliable(self) -> bool:
        """Cells line up with the columns, so identities may use this row."""
        return self.status in (RowStatus.OK, RowStatus.RESPLIT, RowStatus.BLANK)


@dataclass
class Table:
    name: str  # "二" | "三" | "四"
    present: bool = False
    layout: str | None = None  # "2019" | "2021" (table 二 and 三); None when undecidable
    columns: tuple[str, ...] = ()
    rows: dict[str, TableRow] = field(default_factory=dict)
    expected: tuple[str, ...] = ()  # row keys the layout requires, in order
    span: tuple[int, int] | None = None  # character offsets in Report.text

    @property
    def missing_rows(self) -> list[str]:
        return [k for k in self.expected if k not in self.rows]

    @property
    def all_blank(self) -> bool:
        """Every row found holds no value at all (seed 001: tables 三 and 四 left empty)."""
        return bool(self.rows) and all(r.status is RowStatus.BLANK for r in self.rows.values())


@dataclass
class Section:
    index: int  # 0..5 for 一..六
    title: str  # official title (monitor.formats.SECTION_TITLES)
    found: bool = False
    start: int = -1  # offset of the heading in Report.text
    body_start: int = -1  # offset just after the heading
    end: int = -1  # offset where the next section (or the text) begins
    heading: str = ""  # the heading as written
    numeral: str | None = None  # the numeral written before the title (None: unnumbered)
    in_order: bool = True


@dataclass
class Report:
    text: str  # normalised text every offset refers to
    title: str = ""
    agency: str | None = None
    year: int | None = None
    year_source: str | None = None  # "given" | "title" | "body" | "period": where the year was read
    has_title_line: bool = False  # a title line names the report (with or without its year)
    kind: str | None = None  # "government" | "department" | "township"
    format: str = "unknown"  # "2019" | "2021" | "pre2019" | "unknown"
    sections: list[Section] = field(default_factory=list)
    extra_numbering: list[tuple[int, str]] = field(default_factory=list)  # (section, "一、…") sub-items
    t2: Table = field(default_factory=lambda: Table("二"))
    t3: Table = field(default_factory=lambda: Table("三"))
    t4: Table = field(default_factory=lambda: Table("四"))
    period: tuple[dt.date, dt.date] | None = None
    period_text: str | None = None  # the statement as written (also when it cannot be read as dates)
    own_date: dt.date | None = None  # 落款 / 成文日期
    own_date_text: str | None = None
    published_on: dt.date | None = None  # 发布日期 stated in a metadata header of the text
    has_text_layer: bool = True
    doc_type: str | None = None

    @property
    def problems_section(self) -> Section | None:
        """The part on problems and improvements (五, or the 2007-regulation equivalent)."""
        return next((s for s in self.sections if "问题" in s.title), None)

    @property
    def table_spans(self) -> list[tuple[int, int]]:
        return [t.span for t in (self.t2, self.t3, self.t4) if t.present and t.span]

    @property
    def narrative(self) -> str:
        """The text without the statistics tables: what the agency wrote in words."""
        spans = sorted(self.table_spans)
        out, pos = [], 0
        for a, b in spans:
            if a > pos:
                out.append(self.text[pos:a])
            pos = max(pos, b)
        out.append(self.text[pos:])
        return "\n".join(out)


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str  # "error" | "warning" | "info"
    message: str  # Chinese, shows the values involved
    where: str = ""  # "三 / 自然人", "二 / 第二十条第（一）项 / 行政规范性文件 / 本年废止件数"
    # Cells to highlight: (table "二"/"三"/"四", row key as in Table.rows, column index); column -1
    # means the row as a whole (a missing, short or blank row).
    cells: tuple[tuple[str, str, int], ...] = ()

    def to_json(self) -> dict:
        return {"rule": self.rule, "severity": self.severity, "message": self.message, "where": self.where}
