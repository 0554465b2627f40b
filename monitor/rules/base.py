"""What every rule family shares: severities, the check context, and readable names for places.

Severity policy (interface.md): an *error* breaches the national format or its arithmetic; a
*warning* is doubtful (the reader should look); an *info* explains what the checker did (e.g. it
re-split digits printed without separators).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from monitor import formats
from monitor.model import Finding, RowStatus, TableRow

ERROR, WARNING, INFO = "error", "warning", "info"


@dataclass(frozen=True)
class Context:
    published_on: dt.date | None = None  # publication date from the web page (overrides the text's)


def finding(rule: str, severity: str, message: str, where: str = "", cells=()) -> Finding:
    return Finding(rule, severity, message, where, tuple(cells))


_PAREN_NOTE = re.compile(r"（[^）]*）$")


def row_name(row: TableRow | str, table: str = "三") -> str:
    """A short Chinese name for a row: "（二）部分公开", "1.属于国家秘密", "行政许可"."""
    label = row.label if isinstance(row, TableRow) else row
    if table == "三" and label.startswith("（二）"):
        label = _PAREN_NOTE.sub("", label)
    return label


def t3_label(key: str) -> str:
    for fmt in (formats.FORMAT_2021, formats.FORMAT_2019):
        for row in fmt.t3_rows:
            if row.key == key:
                return row_name(row.label)
    return key


def t2_where(layout: str, key: str, column: int | None = None) -> str:
    """"二 / 第二十条第（一）项 / 行政规范性文件 / 本年废止件数"."""
    block_key, row_key = key.split(".")
    block = next(b for b in formats.FORMATS[layout].t2 if b.key == block_key)
    row = next(r for r in block.rows if r.key == row_key)
    parts = ["二", f"第二十条第（{block.item}）项", row.label]
    if column is not None and column < len(block.columns):
        parts.append(block.columns[column])
    return " / ".join(parts)


_RELIABLE = frozenset({RowStatus.OK, RowStatus.RESPLIT, RowStatus.BLANK})  # TableRow.reliable, inlined


def number(row: TableRow | None, col: int) -> int | None:
    """An integer count usable in an identity, or None (missing row, misaligned row, non-number).
    Called for every cell of every identity: written without the model's properties."""
    if row is None or row.status not in _RELIABLE or col >= len(row.cells):
        return None
    value = row.cells[col].value
    return value if type(value) is int else None
