"""The report's statistics tables (二/三/四) as the report page draws them, offending cells marked.

A finding such as identity.t3_balance names the cells it is about (Finding.cells: table, row key,
column).  An official understands it at once when she sees those cells highlighted in the table as the
agency printed it, with the explanation beside them; a finding about a whole table (table.missing, a
table left entirely blank) puts its number on that table.  The crawl keeps the cells the checker read
with each document version (Store.record_document_tables), so the page shows exactly what was checked;
versions recorded before the store kept them are read again from the archived copy with the same
extractor and parser (`parse_document`).  Rows and columns are laid out from monitor.formats, so a row
the report lacks still shows (as missing).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from monitor import formats
from monitor.extract import ExtractError, extract_bytes
from monitor.model import CellKind
from monitor.parse import parse_report
from monitor.parse.cells import classify
from monitor.store.doc_tables import report_tables

log = logging.getLogger(__name__)

TABLE_TITLES = {
    "二": "表二 主动公开政府信息情况",
    "三": "表三 收到和处理政府信息公开申请情况",
    "四": "表四 政府信息公开行政复议、行政诉讼情况",
}


@dataclass
class CellView:
    text: str
    marks: list[int] = field(default_factory=list)  # numbers of the findings pointing here


@dataclass
class RowView:
    key: str
    label: str
    cells: list[CellView]
    heading: bool = False  # a group heading (e.g. （三）不予公开) that holds no numbers
    missing: bool = False  # the format requires the row; the report does not have it
    label_marks: list[int] = field(default_factory=list)  # findings about the row as a whole


@dataclass
class BlockView:
    caption: str
    columns: list[str]
    rows: list[RowView]


@dataclass
class TableView:
    name: str
    title: str
    present: bool
    blocks: list[BlockView]
    marks: list[int] = field(default_factory=list)  # findings about the table as a whole

    @property
    def blank_cells(self) -> int:
        """Cells of the rows the report has that hold no number: blank, or a placeholder such as 「/」 or
        「无」 (KIROGOVCOMPARE counts these per table; blank is not zero, report-format.md §3)."""
        return sum(1 for block in self.blocks for row in block.rows if not row.heading and not row.missing
                   for cell in row.cells if classify(cell.text).kind in (CellKind.EMPTY, CellKind.NA))


def parse_document(payload: bytes, url: str, *, year: int, agency: str, kind: str, title: str | None) -> dict | None:
    """The statistics tables of an archived document, in the shape the store keeps them (JSON-able, so
    they can be cached and computed in another process), or None when its text cannot be extracted or it
    has no table.  Only for versions recorded before the store kept the tables the checker read."""
    name = urlsplit(url).path.rsplit("/", 1)[-1] or None
    try:
        extracted = extract_bytes(payload, name)
    except ExtractError as exc:
        log.info("cannot re-read %s for its tables: %s", url, exc)
        return None
    report = parse_report(
        extracted.text, year=year, agency=agency, kind=kind, title=title or extracted.title,
        has_text_layer=extracted.has_text_layer, doc_type=extracted.doc_type,
    )
    return report_tables(report)


def parse_job(job: tuple[bytes, str, int, str, str, str | None]) -> dict | None:
    """parse_document for a process pool (one picklable argument)."""
    payload, url, year, agency, kind, title = job
    return parse_document(payload, url, year=year, agency=agency, kind=kind, title=title)


def table_views(
    parsed: dict, marks: list[tuple[int, list[tuple[str, str, int]]]], table_marks: list[tuple[int, str]] = ()
) -> list[TableView]:
    """Tables 二, 三, 四 of a parsed document; `marks` is [(finding number, its cells)] to highlight,
    `table_marks` [(finding number, table name)] for findings about a whole table."""
    layout = parsed["format"]
    if layout not in formats.FORMATS:
        layout = formats.required_format(parsed["year"] or 2021)
    fmt = formats.FORMATS.get(layout, formats.FORMAT_2021)
    t = parsed["tables"]
    views = [_t2(t["二"], fmt), _t3(t["三"], fmt), _t4(t["四"])]
    for number, cells in marks:
        for table, row_key, column in cells:
            _mark(views, table, row_key, column, number)
    for number, table in table_marks:
        for view in views:
            if view.name == table and number not in view.marks:
                view.marks.append(number)
    return views


def _row(table: dict, key: str, label: str, ncols: int) -> RowView:
    raw = table["rows"].get(key)
    if raw is None:
        return RowView(key, label, [CellView("") for _ in range(ncols)], missing=table["present"])
    cells = [CellView(text) for text in raw[:ncols]]
    cells += [CellView("") for _ in range(ncols - len(cells))]
    return RowView(key, label, cells)


def _t2(table: dict, fmt: formats.ReportFormat) -> TableView:
    blocks = [
        BlockView(
            f"第二十条第（{block.item}）项",
            list(block.columns),
            [_row(table, f"{block.key}.{r.key}", r.label, len(block.columns)) for r in block.rows],
        )
        for block in fmt.t2
    ]
    return TableView("二", TABLE_TITLES["二"], table["present"], blocks)


def _t3(table: dict, fmt: formats.ReportFormat) -> TableView:
    rows: list[RowView] = []
    ncols = len(formats.T3_COLUMNS)
    headed: set[str] = set()
    for r in fmt.t3_rows:
        group = r.key.split("_")[0]
        if r.key == "r1":
            rows.append(RowView("results", "三、本年度办理结果", [], heading=True))
        if group in formats.T3_GROUPS and group != r.key and group not in headed:
            headed.add(group)
            rows.append(RowView(group, formats.T3_GROUPS[group], [], heading=True))
        rows.append(_row(table, r.key, r.label, ncols))
    return TableView("三", TABLE_TITLES["三"], table["present"], [BlockView("", list(formats.T3_COLUMNS), rows)])


def _t4(table: dict) -> TableView:
    rows = [
        _row(table, key, label, len(formats.T4_COLUMNS)) for key, label in zip(formats.T4_BLOCK_KEYS, formats.T4_BLOCKS)
    ]
    return TableView("四", TABLE_TITLES["四"], table["present"], [BlockView("", list(formats.T4_COLUMNS), rows)])


def _mark(views: list[TableView], table: str, row_key: str, column: int, number: int) -> None:
    for view in views:
        if view.name != table:
            continue
        for block in view.blocks:
            for row in block.rows:
                if row.key != row_key or row.heading:
                    continue
                if 0 <= column < len(row.cells):
                    if number not in row.cells[column].marks:
                        row.cells[column].marks.append(number)
                elif number not in row.label_marks:
                    row.label_marks.append(number)
