"""The narrative against the tables (text.*).

* text.table_mismatch (warning) — a claim of the narrative (monitor.parse.narrative: applications,
  行政复议 / 行政诉讼, the 2021 table 二 规范性文件 and decision counts, fees) differs from the table cell
  it speaks of.  Only like is compared with like: the claim's topic names its cell.  When several
  claims speak of one cell and one of them agrees, the others are read as partial counts (a district
  office's own applications beside the district's, real 002 is the exception that disagrees
  everywhere) and nothing is reported.  Blank cells never contradict anything: a blank is not a zero
  (seed 001).  For a row whose digits were printed without separators, the narrative contradicts it
  only if no possible split holds the stated number (real 009: 393 现行有效 vs "77132470").
* text.fees_unmentioned (info) — table 二 (八) 行政事业性收费 is above zero while the narrative never
  speaks of 收费 (KIROGOVCOMPARE's check): fees an agency charges deserve a word in the report.
"""

from __future__ import annotations

from decimal import Decimal

from monitor import formats
from monitor.model import Finding, Report, RowStatus, TableRow
from monitor.parse.cells import MAX_SPLITS
from monitor.parse.narrative import Claim, claims, mentions_fees
from monitor.parse.textutil import compact_str
from monitor.rules.base import INFO, WARNING, Context, finding, number

TOTAL = formats.T3_TOTAL_COL
_T3_CELLS = {  # topic -> (row key, what the message calls it)
    "apps.new": ("new", "本年新收申请"),
    "apps.none": ("new", "本年新收申请"),
    "apps.carried": ("carried", "上年结转申请"),
    "apps.carry_next": ("carry_next", "结转下年度继续办理的申请"),
}
_T3_WHERE = {k: f"三 / {formats.FORMAT_2021.t3_row(row).label}" for k, (row, _) in _T3_CELLS.items()}
_T2_CELLS = {  # topic -> (row key, column in 2021, column in 2019 or None, name)
    "t2.issued": ("art20_1.normative", 0, None, "本年制发件数"),
    "t2.repealed": ("art20_1.normative", 1, None, "本年废止件数"),
    "t2.in_force": ("art20_1.normative", 2, None, "现行有效件数"),
    "t2.licensing": ("art20_5.licensing", 0, 2, "处理决定数量"),
    "t2.penalty": ("art20_6.penalty", 0, 2, "处理决定数量"),
    "t2.coercion": ("art20_6.coercion", 0, 2, "处理决定数量"),
    "t2.fees": ("art20_8.fees", 0, None, "本年收费金额（单位：万元）"),
}


def check(report: Report, ctx: Context) -> list[Finding]:
    if report.format == "pre2019":
        return []
    text = compact_str(report.narrative)
    by_topic: dict[str, list[Claim]] = {}
    for claim in claims(text, report.year):
        by_topic.setdefault(claim.topic, []).append(claim)
    out: list[Finding] = []
    for topic, said in by_topic.items():
        judge = _t3 if topic.startswith("apps.") else _t4 if topic in ("review", "suit") else _t2
        verdicts = [judge(report, c) for c in said]
        if verdicts and all(v is not None for v in verdicts):
            out.append(verdicts[0])
    out += _fees_unmentioned(report, text)
    return out


def _t3(report: Report, claim: Claim) -> Finding | None:
    """None when the table agrees with the claim or cannot say (row missing, blank, misaligned)."""
    rows = report.t3.rows
    key, name = _T3_CELLS[claim.topic]
    value = number(rows.get(key), TOTAL)
    if value is None:
        return None
    accepted = {value}
    extra = ""
    if claim.topic == "apps.new":
        # Reports often count the carried-over applications in "收到/受理 N 件" (real 004: 受理749 =
        # 713 new + 36 carried; real 005: 收到75 = 74 + 1), so both readings are accepted.
        carried = number(rows.get("carried"), TOTAL)
        if carried:
            accepted.add(value + carried)
            extra = f"（加上年结转共 {value + carried} 件）"
    if claim.value in accepted:
        return None
    return finding("text.table_mismatch", WARNING, f"正文称“{claim.text}”，表三{name}为 {value} 件{extra}",
                   _T3_WHERE[claim.topic], [("三", key, TOTAL)])


def _t4(report: Report, claim: Claim) -> Finding | None:
    rows = report.t4.rows
    if claim.topic == "review":
        value, keys, kind = number(rows.get("review"), 4), ["review"], "行政复议"
    else:
        direct, after = number(rows.get("direct"), 4), number(rows.get("after_review"), 4)
        value = None if direct is None or after is None else direct + after
        keys, kind = ["direct", "after_review"], "行政诉讼"
    if value is None or value == claim.value:
        return None
    return finding("text.table_mismatch", WARNING, f"正文称“{claim.text}”，表四{kind}总计为 {value} 件",
                   f"四 / {kind}", [("四", k, 4) for k in keys])


def _t2(report: Report, claim: Claim) -> Finding | None:
    key, col21, col19, name = _T2_CELLS[claim.topic]
    col = {"2021": col21, "2019": col19}.get(report.t2.layout or "")
    row = report.t2.rows.get(key)
    if col is None or row is None:
        return None
    shown = _possible(row, col)
    if shown is None or claim.value in shown:
        return None
    if row.status is RowStatus.AMBIGUOUS:
        table = "、".join(str(v) for v in sorted(shown))
        how = f"（数字未分隔“{row.digits}”，任何拆分都不含 {claim.value}）"
    else:
        table, how = str(next(iter(shown))), ""
    block_key, row_key = key.split(".")
    block = next(b for b in formats.FORMATS[report.t2.layout].t2 if b.key == block_key)
    label = next(r.label for r in block.rows if r.key == row_key)
    where = f"二 / 第二十条第（{block.item}）项 / {label} / {block.columns[col]}"
    return finding("text.table_mismatch", WARNING, f"正文称“{claim.text}”，表二{label}{name}为 {table}{how}",
                   where, [("二", key, col)])


def _possible(row: TableRow, col: int) -> set[int | Decimal] | None:
    """The values the cell can hold: one when read normally, several for an ambiguous split."""
    if row.status is RowStatus.AMBIGUOUS:
        if len(row.splits) >= MAX_SPLITS:  # the list was cut short: the stated number may be missing
            return None
        return {s[col] for s in row.splits if col < len(s)}
    if not row.reliable or col >= len(row.cells) or not row.cells[col].is_number:
        return None
    return {row.cells[col].value}


def _fees_unmentioned(report: Report, text: str) -> list[Finding]:
    layout = report.t2.layout
    row = report.t2.rows.get("art20_8.fees")
    if layout not in formats.FORMATS or row is None or not row.reliable:
        return []
    amounts = [c.value for c in row.cells if c.is_number]
    # 2021: the amount in 万元; 2019: 上一年项目数量 and 本年增/减 (items charged for at all)
    charged = amounts and (amounts[0] > 0 if layout == "2021" else sum(amounts) > 0)
    if not charged or mentions_fees(text):
        return []
    shown = f"{amounts[0]} 万元" if layout == "2021" else f"{amounts[0]} 项"
    block = next(b for b in formats.FORMATS[layout].t2 if b.key == "art20_8")
    return [finding("text.fees_unmentioned", INFO,
                    f"表二“行政事业性收费”为 {shown}，正文却未提及任何收费情况",
                    f"二 / 第二十条第（{block.item}）项 / 行政事业性收费", [("二", "art20_8.fees", 0)])]
