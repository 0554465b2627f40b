"""Presence, completeness and cell values of tables 二, 三 and 四 (table.*).

Blank is never zero (report-format.md §3): an empty cell or a placeholder such as "/" where a count
belongs is table.blank, whatever the narrative says.  A row with fewer cells than columns is
table.incomplete and is kept out of every identity, because its numbers can no longer be assigned to
columns.  Digits printed without separators are reported as info (re-split) so a reader knows the
figures were reconstructed.
"""

from __future__ import annotations

from monitor import formats
from monitor.model import Cell, CellKind, Finding, Report, RowStatus, Table, TableRow
from monitor.parse.tables import t2_block
from monitor.rules.base import ERROR, INFO, Context, finding, row_name, t2_where, t3_label

_NO_IDENTITY = {"二": "", "三": "，不参与勾稽核对", "四": "，不参与勾稽核对"}
_MISSING_NAMES = {"二": "主动公开政府信息情况", "三": "收到和处理政府信息公开申请情况", "四": "行政复议、行政诉讼情况"}


def check(report: Report, ctx: Context) -> list[Finding]:
    tables = (report.t2, report.t3, report.t4)
    if report.format == "pre2019" or not any(t.present for t in tables):
        return []
    out: list[Finding] = []
    for t in tables:
        if not t.present:
            out.append(finding("table.missing", ERROR, f"缺少表{t.name}（{_MISSING_NAMES[t.name]}统计表）", t.name))
    required = formats.required_format(report.year) if report.year and report.year >= 2019 else "2021"
    if report.t2.present:
        out += _check_t2(report.t2, report.t2.layout or required)
    if report.t3.present:
        out += _check_rows(report.t3, report.t3.columns)
    if report.t4.present:
        out += _check_rows(report.t4, report.t4.columns)
    return out


# --- table 二 ------------------------------------------------------------------------------------


def _check_t2(table: Table, layout: str) -> list[Finding]:
    out: list[Finding] = []
    missing = table.missing_rows
    if missing:
        names = "；".join(f"第二十条第（{t2_block(layout, k)[0].item}）项“{t2_block(layout, k)[1].label}”" for k in missing)
        out.append(finding("table.incomplete", ERROR, f"表二缺少 {len(missing)} 行：{names}", "二"))
    concatenated = []
    for key, row in table.rows.items():
        block, frow = t2_block(layout, key)
        where = t2_where(layout, key)
        out += _row_shape(row, "二", len(block.columns), where, f"“{frow.label}”（第二十条第（{block.item}）项）")
        if row.status in (RowStatus.RESPLIT, RowStatus.AMBIGUOUS):
            concatenated.append(row)
        if row.status not in (RowStatus.OK, RowStatus.RESPLIT):
            continue
        for col, cell in enumerate(row.cells[: len(block.columns)]):
            if type(cell.value) is int and cell.value >= 0:
                continue  # a count, as it should be
            money = col in block.money_columns
            signed = col in block.signed_columns
            out += _cell_value(cell, "二", key, col, t2_where(layout, key, col), f"“{frow.label}”{block.columns[col]}",
                               money=money, signed=signed)
    out += _concatenated(table, concatenated)
    return out


# --- tables 三 and 四 -----------------------------------------------------------------------------


def _check_rows(table: Table, columns: tuple[str, ...]) -> list[Finding]:
    """Tables 三 and 四: every cell is a non-negative integer count."""
    out: list[Finding] = []
    name = table.name
    if table.all_blank:
        n = sum(len(r.cells) for r in table.rows.values())
        return [finding("table.blank", ERROR,
                        f"表{name}全部为空白：{n} 个应填数字的单元格均未填写（空白不等于0）", name)] + _missing(table)
    out += _missing(table)
    concatenated = []
    ncols = len(columns) if name == "三" else len(formats.T4_COLUMNS)
    for key, row in table.rows.items():
        label = row_name(row)
        where = f"{name} / {label}"
        if key == "all":
            ncols = len(formats.T4_COLUMNS) * len(formats.T4_BLOCKS)
        out += _row_shape(row, name, ncols, where, f"“{label}”")
        if row.status in (RowStatus.RESPLIT, RowStatus.AMBIGUOUS):
            concatenated.append(row)
        if row.status not in (RowStatus.OK, RowStatus.RESPLIT):
            continue
        blanks = []
        for col, cell in enumerate(row.cells[:ncols]):
            if type(cell.value) is int and cell.value >= 0:
                continue  # a count, as it should be (most cells: no finding to build)
            if cell.kind is CellKind.EMPTY or cell.kind is CellKind.NA:
                blanks.append((col, cell))
                continue
            out += _cell_value(cell, name, key, col, f"{where} / {columns[col % len(columns)]}",
                               f"“{label}”{columns[col % len(columns)]}", money=False, signed=False)
        if blanks:
            cols = "、".join(columns[c % len(columns)] + (f"（“{cell.raw}”）" if cell.kind is CellKind.NA else "")
                            for c, cell in blanks)
            out.append(finding("table.blank", ERROR, f"表{name}“{label}”有 {len(blanks)} 个单元格未填数字：{cols}", where,
                               [(name, key, c) for c, _ in blanks]))
    out += _concatenated(table, concatenated)
    return out


def _missing(table: Table) -> list[Finding]:
    missing = table.missing_rows
    if not missing or (table.name == "四" and "all" in table.rows):
        return []
    if table.name == "四":
        return [finding("table.incomplete", ERROR, "表四缺少行政复议、行政诉讼的数据行", "四")]
    labels = [t3_label(k) for k in missing]
    shown = "、".join(labels[:6]) + (f"等 {len(labels)} 行" if len(labels) > 6 else "")
    note = "；无法核对勾稽关系" if {"new", "carried", "total", "carry_next"} & set(missing) else ""
    return [finding("table.incomplete", ERROR, f"表三缺少 {len(missing)} 行：{shown}{note}", "三",
                    [("三", k, -1) for k in missing])]


# --- shared ----------------------------------------------------------------------------------------


def _row_shape(row: TableRow, name: str, ncols: int, where: str, label: str) -> list[Finding]:
    if row.status is RowStatus.SHORT:
        got = len(row.cells)
        if name == "四" and row.key == "all":
            msg = f"表四只读到 {got} 个数值，应有 {ncols} 个（行政复议、未经复议直接起诉、复议后起诉各5列），单元格缺失或错位"
        else:
            msg = f"表{name}{label}只有 {got} 个数值，应有 {ncols} 个（单元格缺失或错位）" + _NO_IDENTITY[name]
        return [finding("table.incomplete", ERROR, msg, where, [(name, row.key, -1)])]
    if row.status is RowStatus.LONG:
        return [finding("table.incomplete", ERROR,
                        f"表{name}{label}读到 {len(row.cells)} 个数值，多于 {ncols} 列（行与数值错位）" + _NO_IDENTITY[name],
                        where, [(name, row.key, -1)])]
    if row.status is RowStatus.BLANK and name == "二":
        return [finding("table.blank", ERROR, f"表二{label}未填写数字（空白不等于0）", where, [(name, row.key, -1)])]
    if row.status is RowStatus.BLANK:
        return [finding("table.blank", ERROR, f"表{name}{label}整行空白（空白不等于0）", where, [(name, row.key, -1)])]
    return []


def _cell_value(cell: Cell, table: str, key: str, col: int, where: str, label: str, *, money: bool,
                signed: bool) -> list[Finding]:
    ref = [(table, key, col)]
    if cell.kind in (CellKind.EMPTY, CellKind.NA):
        shown = f"为“{cell.raw}”" if cell.kind is CellKind.NA else "为空白"
        return [finding("table.blank", ERROR, f"表{table}{label}{shown}，应填写数字", where, ref)]
    if cell.kind is CellKind.TEXT:
        return [finding("table.non_numeric", ERROR, f"表{table}{label}为“{cell.raw}”，不是数字", where, ref)]
    if cell.value < 0 and not signed:
        return [finding("table.negative", ERROR, f"表{table}{label}为 {cell.value}，不能为负数", where, ref)]
    if not money and not cell.is_int:
        return [finding("table.non_numeric", ERROR, f"表{table}{label}为 {cell.raw}，件数应为整数", where, ref)]
    return []


def _concatenated(table: Table, rows: list[TableRow]) -> list[Finding]:
    if not rows:
        return []
    resplit = [r for r in rows if r.status is RowStatus.RESPLIT]
    ambiguous = [r for r in rows if r.status is RowStatus.AMBIGUOUS]
    out = []
    if resplit:
        how = "按合计关系（总计=各列之和）" if table.name == "三" else "按各栏合计" if table.name == "四" else "按位数"
        out.append(finding("table.concatenated", INFO,
                           f"表{table.name}有 {len(resplit)} 行数字未分隔（如“{resplit[0].digits}”），已{how}唯一拆分",
                           table.name))
    if ambiguous:
        shown = "、".join(f"{row_name(r)}“{r.digits}”" for r in ambiguous[:4])
        out.append(finding("table.concatenated", INFO,
                           f"表{table.name}有 {len(ambiguous)} 行数字未分隔且可有多种拆分，未予核对：{shown}",
                           table.name, [(table.name, r.key, -1) for r in ambiguous]))
    return out
