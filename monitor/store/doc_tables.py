"""The statistics tables of a document version as the store keeps them (migration 0003): the cells the
checker read, so the dashboard draws a report's tables without extracting and parsing the file again."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from monitor.store.errors import StoreError

TABLE_NAMES = ("二", "三", "四")


def report_tables(report: Any) -> dict[str, Any] | None:
    """The statistics tables of a parsed report (monitor.model.Report) as `record_document_tables` keeps
    them: {"format", "year", "tables": {name: {"present", "rows": {row key: [cell text as printed]}}}}, or
    None when it has none of tables 二, 三, 四."""
    tables = {t.name: {"present": t.present, "rows": {k: [c.raw for c in r.cells] for k, r in t.rows.items()}}
              for t in (report.t2, report.t3, report.t4)}
    if not any(t["present"] for t in tables.values()):
        return None
    return {"format": report.format, "year": report.year, "tables": tables}


def checked_tables(value: Any) -> Mapping[str, Any]:
    """`value` if it has the shape `report_tables` returns, else a StoreError saying what is wrong."""
    def bad(why: str) -> StoreError:
        return StoreError(f"document tables: {why}")

    if not isinstance(value, Mapping) or set(value) != {"format", "year", "tables"}:
        raise bad("expected a mapping with format, year and tables")
    if not isinstance(value["format"], str) or not (value["year"] is None or type(value["year"]) is int):
        raise bad(f"format must be text and year an integer or None (got {value['format']!r}, {value['year']!r})")
    tables = value["tables"]
    if not isinstance(tables, Mapping) or not set(tables) <= set(TABLE_NAMES):
        raise bad(f"tables are named {', '.join(TABLE_NAMES)}")
    for name, table in tables.items():
        if not isinstance(table, Mapping) or not isinstance(table.get("present"), bool) or not isinstance(
            table.get("rows"), Mapping
        ):
            raise bad(f"table {name} needs present (true/false) and rows")
        for key, cells in table["rows"].items():
            if not isinstance(key, str) or not isinstance(cells, list) or not all(isinstance(c, str) for c in cells):
                raise bad(f"table {name} row {key!r}: cells must be a list of text")
    return value
