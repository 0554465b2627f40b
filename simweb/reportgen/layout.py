"""The document model every renderer writes: a list of blocks, tables as merged-cell grids.

Tables follow the official templates' merged cells (table 三: "三、本年度办理结果" spanning every
result row, "（三）不予公开" spanning its 8 sub-rows, "申请人情况" over 7 columns, "法人或其他组织"
over 5; table 四: "行政复议" over 5 columns, "行政诉讼" over 10 with two sub-blocks).  A grid is kept
in the HTML model — each row lists the cells that start in it — because HTML, DOCX and PDF all
express merges that way; the text renderers flatten it.  Rows absent from the spec (table.incomplete)
are left out and the spans shrink with them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from monitor.formats import (
    FORMATS, SECTION_TITLES, T3_COLUMNS, T3_GROUPS, T3_NOTE, T4_COLUMNS,
)

from .spec import ReportSpec


@dataclass(frozen=True)
class Cell:
    text: str
    rowspan: int = 1
    colspan: int = 1
    label: bool = False  # header or row label (not a value cell)


@dataclass(frozen=True)
class Grid:
    name: str  # 二 / 三 / 四
    ncols: int
    rows: tuple[tuple[Cell, ...], ...]
    page_break_after: int | None = None  # text renderings print a page number after this row (paged)
    fused: bool = False  # text renderings glue each row label to its first value (fused)

    def placed(self) -> list[list[tuple[Cell, bool, bool] | None]]:
        """Every grid position: (cell, is_origin, same_row_as_origin), row by row."""
        out: list[list] = [[None] * self.ncols for _ in self.rows]
        for r, row in enumerate(self.rows):
            c = 0
            for cell in row:
                while out[r][c] is not None:
                    c += 1
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        out[r + dr][c + dc] = (cell, dr == 0 and dc == 0, dr == 0)
                c += cell.colspan
        return out


COLUMN_WIDTHS_MM: dict[str, tuple[float, ...]] = {
    "二": (50, 38, 38, 38),
    "三": (11, 19, 52) + (12,) * 7,
    "四": (11,) * 15,
}
"""Column widths of each table on an A4 page, as the templates lay them out (wide label columns)."""


@dataclass(frozen=True)
class Block:
    kind: str  # title | para | heading | table | sign
    text: str = ""
    grid: Grid | None = None


def cell_text(value: object) -> str:
    """How a table value is printed: ints as digits, Decimals without exponent, text as is."""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


_NUMBERED = re.compile(r"^(?P<n>[1-9])\.(?P<rest>.+)$")
_GROUP = re.compile(r"^（(?P<n>[一二三四五六七])）(?P<rest>.+)$")
_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
TYPO = ("其他法律行政法规禁止公开", "其他法律行政止公开")
WRAP_AT = 4


def printed_label(label: str, style: str) -> str:
    """A row label of monitor.formats as a report printing it in `style` (spec.LABEL_STYLES) shows it."""
    m, g = _NUMBERED.match(label), _GROUP.match(label)
    if style == "comma" and m:
        return f"{m['n']}、{m['rest']}"
    if style == "fullwidth" and m:
        return f"{m['n'].translate(_FULLWIDTH)}．{m['rest']}"
    if style == "paren" and m:
        return f"（{m['n']}）{m['rest']}"
    if style == "circled" and m:
        return chr(0x2460 + int(m["n"]) - 1) + m["rest"]
    if style == "bare":
        return (m or g)["rest"] if m or g else label
    if style == "fused" and m:
        return m["n"] + m["rest"]
    if style == "typo":
        return label.replace(*TYPO)
    if style == "wrapped" and len(label) > WRAP_AT + 1:
        return label[:WRAP_AT] + "\n" + label[WRAP_AT:]
    return label


def t2_grid(spec: ReportSpec) -> Grid:
    rows: list[tuple[Cell, ...]] = []
    for block in FORMATS[spec.format].t2:
        present = spec.t2.get(block.key)
        if present is None:
            continue
        rows.append((Cell(f"第二十条第（{block.item}）项", colspan=4, label=True),))
        widths = [1] * len(block.columns)
        widths[-1] = 4 - len(block.columns)
        rows.append((Cell("信息内容", label=True),)
                    + tuple(Cell(col, colspan=w, label=True) for col, w in zip(block.columns, widths)))
        for row in block.rows:
            if row.key in present:
                values = present[row.key]
                rows.append((Cell(printed_label(row.label, spec.labels), label=True),)
                            + tuple(Cell(cell_text(v), colspan=w) for v, w in zip(values, widths)))
    return Grid("二", 4, tuple(rows), fused=spec.labels == "fused")


def t3_grid(spec: ReportSpec) -> Grid:
    fmt = FORMATS[spec.format]
    t3 = spec.t3
    header = (
        (Cell(T3_NOTE, rowspan=3, colspan=3, label=True), Cell("申请人情况", colspan=7, label=True)),
        (Cell(T3_COLUMNS[0], rowspan=2, label=True), Cell("法人或其他组织", colspan=5, label=True),
         Cell(T3_COLUMNS[6], rowspan=2, label=True)),
        tuple(Cell(c, label=True) for c in T3_COLUMNS[1:6]),
    )

    def values(key: str) -> tuple[Cell, ...]:
        return tuple(Cell(cell_text(v)) for v in t3[key])

    rows: list[tuple[Cell, ...]] = []
    for key in ("new", "carried"):
        if key in t3:
            rows.append((Cell(printed_label(fmt.t3_row(key).label, spec.labels), colspan=3, label=True),)
                        + values(key))
    result_keys = [r.key for r in fmt.t3_rows if (r.key.startswith("r") or r.key == "total") and r.key in t3]
    group_sizes: dict[str, int] = {}
    for key in result_keys:
        group = key.split("_")[0]
        if "_" in key:
            group_sizes[group] = group_sizes.get(group, 0) + 1
    seen_groups: set[str] = set()
    for i, key in enumerate(result_keys):
        lead: tuple[Cell, ...] = ()
        if i == 0:
            lead = (Cell("三、本年度办理结果", rowspan=len(result_keys), label=True),)
        label = printed_label(fmt.t3_row(key).label, spec.labels)
        if "_" in key:
            group = key.split("_")[0]
            if group not in seen_groups:
                seen_groups.add(group)
                lead += (Cell(printed_label(T3_GROUPS[group], spec.labels), rowspan=group_sizes[group], label=True),)
            rows.append(lead + (Cell(label, label=True),) + values(key))
        else:
            rows.append(lead + (Cell(label, colspan=2, label=True),) + values(key))
    if "carry_next" in t3:
        rows.append((Cell(printed_label(fmt.t3_row("carry_next").label, spec.labels), colspan=3, label=True),)
                    + values("carry_next"))
    page_break = len(header) + len(rows) // 2 if spec.labels == "paged" else None
    return Grid("三", 10, header + tuple(rows), page_break, spec.labels == "fused")


def t4_grid(spec: ReportSpec) -> Grid:
    return Grid("四", 15, (
        (Cell("行政复议", colspan=5, label=True), Cell("行政诉讼", colspan=10, label=True)),
        tuple(Cell(c, rowspan=2, label=True) for c in T4_COLUMNS)
        + (Cell("未经复议直接起诉", colspan=5, label=True), Cell("复议后起诉", colspan=5, label=True)),
        tuple(Cell(c, label=True) for c in T4_COLUMNS * 2),
        tuple(Cell(cell_text(v)) for v in spec.t4),
    ))


def blocks(spec: ReportSpec) -> list[Block]:
    """The report, top to bottom.  Tables sit right after the paragraphs of their section,
    wherever that section ended up (section_order defect)."""
    out = [Block("title", spec.title)]
    out += [Block("para", p) for p in spec.preamble]
    tables = {}
    if spec.format in FORMATS:
        if spec.t2:
            tables[SECTION_TITLES[1]] = t2_grid(spec)
        if spec.t3:
            tables[SECTION_TITLES[2]] = t3_grid(spec)
        if spec.t4:
            tables[SECTION_TITLES[3]] = t4_grid(spec)
    for numeral, heading, paragraphs in spec.sections:
        out.append(Block("heading", f"{numeral}、{heading}"))
        out += [Block("para", p) for p in paragraphs]
        if heading in tables:
            out.append(Block("table", grid=tables[heading]))
    if spec.signed_on is not None:  # 落款: agency and date, or nothing at all
        d = spec.signed_on
        out.append(Block("sign", spec.agency))
        out.append(Block("sign", f"{d.year}年{d.month}月{d.day}日"))
    return out
