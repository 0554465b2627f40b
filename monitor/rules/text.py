"""Numbers in the narrative against the tables (text.table_mismatch, a warning).

Only statements with a clear counterpart in a table are compared: applications received (table 三
一, also accepted as 一+二 because many reports count the carried-over ones), "no applications",
行政复议 / 行政诉讼 counts or "none", and the 2021 table 二 现行有效 / 制发 规范性文件 counts.
Blank cells never contradict anything: a blank is not a zero (seed 001).  For a table 二 row whose
digits were printed without separators, the narrative contradicts it only if no possible split holds
the stated number (real 009: 393 现行有效 vs "77132470").
"""

from __future__ import annotations

import re

from monitor.model import Finding, Report, RowStatus, TableRow
from monitor.parse.cells import MAX_SPLITS
from monitor.parse.textutil import compact_str
from monitor.rules.base import WARNING, Context, finding, number

_NEG = r"(?:未|没有|无|均未|暂无|尚未)"
_BAD = re.compile(r"纠错|败诉|纠正|撤销|确认违法|被复议机关")
APPS = re.compile(r"(?:收到|受理|新收|接收|接到)[^。；;，,]{0,12}?(?:政府信息公开|信息公开|依申请公开)(?:的)?申请"
                  r"(?:共|数量?|总数|合计)?(?:为|是)?(\d+)(?:件|个|份|条)")
NO_APPS = re.compile(_NEG + r"(?:收到|受理|接到|接收|发生)[^。；;]{0,20}?(?<!依)申请")
REVIEWS = (re.compile(r"行政复议(?:案件|申请)?(?:共|总?数量?)?(?:为|是)?(\d+)(?:件|起|宗)"),
           re.compile(r"(\d+)(?:件|起|宗)[^。；;，,、\d]{0,16}?行政复议"))
SUITS = (re.compile(r"行政诉讼(?:案件)?(?:共|总?数量?)?(?:为|是)?(\d+)(?:件|起|宗)"),
         re.compile(r"(\d+)(?:件|起|宗)[^。；;，,、\d]{0,16}?行政诉讼"))
NONE_OF = re.compile(_NEG + r"(?:发生|收到|接到|出现|涉及)?[^。；;]{0,30}?(行政复议|行政诉讼)")
IN_FORCE = re.compile(r"现行有效(?:的)?(?:行政)?规范性文件(?:共|为)?(\d+)件")
ISSUED = re.compile(r"制发(?:的)?(?:行政)?规范性文件(?:共|为)?(\d+)件")


def check(report: Report, ctx: Context) -> list[Finding]:
    if report.format == "pre2019":
        return []
    text = compact_str(report.narrative)
    out: list[Finding] = []
    out += _applications(text, report)
    out += _cases(text, report)
    out += _regulations(text, report)
    return out


def _applications(text: str, report: Report) -> list[Finding]:
    rows = report.t3.rows
    new = number(rows.get("new"), 6)
    if new is None:
        return []
    carried = number(rows.get("carried"), 6)
    for m in APPS.finditer(text):
        n = int(m.group(1))
        # Reports often count the carried-over applications in "收到/受理 N 件" (real 004: 受理749 =
        # 713 new + 36 carried; real 005: 收到75 = 74 + 1), so both readings are accepted.
        accepted = {new} | ({new + carried} if carried is not None else set())
        if n not in accepted:
            return [finding("text.table_mismatch", WARNING,
                            f"正文称“{m.group(0)}”，表三本年新收申请为 {new} 件"
                            + (f"（加上年结转共 {new + carried} 件）" if carried else ""),
                            "三 / 一、本年新收政府信息公开申请数量", [("三", "new", 6)])]
    for m in NO_APPS.finditer(text):
        if "复议" in m.group(0) or "诉讼" in m.group(0) or _BAD.search(_clause(text, m)):
            continue
        if new > 0:
            return [finding("text.table_mismatch", WARNING, f"正文称“{m.group(0)}”，表三本年新收申请为 {new} 件",
                            "三 / 一、本年新收政府信息公开申请数量", [("三", "new", 6)])]
    return []


def _cases(text: str, report: Report) -> list[Finding]:
    rows = report.t4.rows
    totals = {
        "行政复议": number(rows.get("review"), 4),
        "行政诉讼": _sum(number(rows.get("direct"), 4), number(rows.get("after_review"), 4)),
    }
    out = []
    for kind, patterns in (("行政复议", REVIEWS), ("行政诉讼", SUITS)):
        table = totals[kind]
        if table is None:
            continue
        claim = _first_claim(text, patterns)
        if claim and claim[0] != table:
            out.append(_case_finding(kind, claim[1], table))
            continue
        for m in NONE_OF.finditer(text):
            if m.group(1) == kind and not _BAD.search(_clause(text, m)) and table > 0:
                out.append(_case_finding(kind, m.group(0), table))
                break
    return out


_CLAUSE_END = re.compile(r"[。；;，,]")


def _clause(text: str, m: re.Match) -> str:
    """The statement a match belongs to, up to the next punctuation ("未发生…行政复议纠错" is not "no 行政复议")."""
    end = _CLAUSE_END.search(text, m.end())
    return text[m.start(): end.start() if end else len(text)]


def _first_claim(text: str, patterns) -> tuple[int, str] | None:
    hits = [(m.start(), int(m.group(1)), m.group(0)) for p in patterns for m in p.finditer(text)
            if not _BAD.search(m.group(0))]
    if not hits:
        return None
    _, n, s = min(hits)
    return n, s


def _case_finding(kind: str, said: str, table: int) -> Finding:
    where = "四 / 行政复议" if kind == "行政复议" else "四 / 行政诉讼"
    keys = ["review"] if kind == "行政复议" else ["direct", "after_review"]
    return finding("text.table_mismatch", WARNING, f"正文称“{said}”，表四{kind}总计为 {table} 件", where,
                   [("四", k, 4) for k in keys])


def _regulations(text: str, report: Report) -> list[Finding]:
    if report.t2.layout != "2021":
        return []
    row = report.t2.rows.get("art20_1.normative")
    if row is None:
        return []
    out = []
    for pattern, col, name in ((ISSUED, 0, "本年制发件数"), (IN_FORCE, 2, "现行有效件数")):
        m = pattern.search(text)
        if not m:
            continue
        said = int(m.group(1))
        shown = _possible(row, col)
        if shown is not None and said not in shown:
            table = "、".join(str(v) for v in sorted(shown)) if row.status is RowStatus.AMBIGUOUS else str(next(iter(shown)))
            how = f"（数字未分隔“{row.digits}”，任何拆分都不含 {said}）" if row.status is RowStatus.AMBIGUOUS else ""
            out.append(finding("text.table_mismatch", WARNING,
                               f"正文称“{m.group(0)}”，表二行政规范性文件{name}为 {table}{how}",
                               f"二 / 第二十条第（一）项 / 行政规范性文件 / {name}", [("二", "art20_1.normative", col)]))
    return out


def _possible(row: TableRow, col: int) -> set[int] | None:
    """The values the cell can hold: one when read normally, several for an ambiguous split."""
    if row.status is RowStatus.AMBIGUOUS:
        if len(row.splits) >= MAX_SPLITS:  # the list was cut short: the stated number may be missing
            return None
        return {s[col] for s in row.splits}
    v = number(row, col)
    return None if v is None else {v}


def _sum(a: int | None, b: int | None) -> int | None:
    return None if a is None or b is None else a + b
