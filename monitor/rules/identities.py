"""The arithmetic identities of tables 三 and 四 (report-format.md §3), tolerance 0 (identity.*).

An identity is checked only when every number it needs was read from a row whose cells line up with
the columns (TableRow.reliable) and is an integer count: a missing row, a misaligned row (seed 003's
（七）总计 with six values) or a blank cell makes the identity uncheckable, never false.  Rows whose
digits were re-split by the row-sum constraint satisfy T3-ROW by construction and are not re-tested.
"""

from __future__ import annotations

from monitor import formats
from monitor.model import Finding, Report, RowStatus
from monitor.rules.base import ERROR, Context, finding, number, row_name

COLS = formats.T3_COLUMNS
TOTAL = formats.T3_TOTAL_COL


def check(report: Report, ctx: Context) -> list[Finding]:
    if report.format == "pre2019":
        return []
    out: list[Finding] = []
    t3 = report.t3
    if t3.present:
        out += _t3_balance(t3)
        out += _t3_total(t3)
        out += _t3_rows(t3)
    if report.t4.present:
        out += _t4(report.t4)
    return out


_NONE = [None] * len(COLS)
_RELIABLE = (RowStatus.OK, RowStatus.RESPLIT, RowStatus.BLANK)


def _ints(row) -> list[int | None]:
    """The row's counts by column (None where a count cannot be used, as rules.base.number says), computed
    once per row."""
    if row is None or row.status not in _RELIABLE:
        return _NONE
    values = [c.value if type(c.value) is int else None for c in row.cells[:len(COLS)]]
    return values + _NONE[len(values):]


def _t3_balance(t3) -> list[Finding]:
    out = []
    new_r, carried_r, total_r, next_r = (_ints(t3.rows.get(k)) for k in ("new", "carried", "total", "carry_next"))
    for c, col in enumerate(COLS):
        new, carried, total, nxt = new_r[c], carried_r[c], total_r[c], next_r[c]
        if None in (new, carried, total, nxt):
            continue
        if new + carried != total + nxt:
            out.append(finding(
                "identity.t3_balance", ERROR,
                f"{col}: 一+二 ({new}+{carried}={new + carried}) ≠ （七）总计+四 ({total}+{nxt}={total + nxt})",
                f"三 / {col}", [("三", k, c) for k in ("new", "carried", "total", "carry_next")]))
    return out


def _t3_total(t3) -> list[Finding]:
    if t3.layout is None:
        return []
    keys = formats.FORMATS[t3.layout].t3_result_keys
    out = []
    total_r = _ints(t3.rows.get("total"))
    rows = [_ints(t3.rows.get(k)) for k in keys]
    for c, col in enumerate(COLS):
        total = total_r[c]
        parts = [r[c] for r in rows]
        if total is None or None in parts:
            continue
        s = sum(parts)
        if s != total:
            out.append(finding("identity.t3_total", ERROR,
                               f"{col}: （七）总计 ({total}) ≠ 各项办理结果之和 ({s})", f"三 / {col}",
                               [("三", k, c) for k in (*keys, "total")]))
    return out


def _t3_rows(t3) -> list[Finding]:
    out = []
    for key, row in t3.rows.items():
        if row.status is not RowStatus.OK:
            continue
        vals = _ints(row)
        if None in vals:
            continue
        s = sum(vals[:TOTAL])
        if s != vals[TOTAL]:
            label = row_name(row)
            out.append(finding("identity.t3_row", ERROR,
                               f"{label}: 总计 ({vals[TOTAL]}) ≠ 自然人与各类法人或其他组织之和 ({s})",
                               f"三 / {label}", [("三", key, c) for c in range(len(COLS))]))
    return out


def _t4(t4) -> list[Finding]:
    out = []
    n = len(formats.T4_COLUMNS)
    for key, row in t4.rows.items():
        if row.status is not RowStatus.OK:
            continue
        vals = [number(row, c) for c in range(n)]
        if None in vals:
            continue
        s = sum(vals[:-1])
        if s != vals[-1]:
            out.append(finding("identity.t4_total", ERROR,
                               f"{row.label}: 总计 ({vals[-1]}) ≠ 结果维持+结果纠正+其他结果+尚未审结 ({s})",
                               f"四 / {row.label}", [("四", key, c) for c in range(n)]))
    return out
