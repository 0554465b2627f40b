"""The six statutory section headings: found, in order, correctly numbered.

A heading is recognised by its *title* (with the variants real reports use), not by its numeral:
"四、政府信息公开平台建设" inside section 一 (seed 003) and the table rows "四、结转下年度继续办理"
must not count as section 四.  Titles listed in a preamble sentence ("本报告由总体情况、主动公开政府
信息情况……组成") are not headings either: a heading starts a line or follows the end of a sentence,
and carries a numeral unless it stands alone on its line.
"""

from __future__ import annotations

import re

from monitor.formats import PRE2019_SECTION_TITLES, SECTION_NUMERALS, SECTION_TITLES
from monitor.model import Section

NUMERALS = "一二三四五六七八九十"

TITLE_PATTERNS: tuple[str, ...] = (
    r"总体情况|工作基本情况|基本情况|总体概况|工作概述|主要工作概述|概述",
    r"主动公开政府信息(?:的)?(?:工作)?(?:情况)?",
    r"收到和处理政府信息公开申请(?:的)?(?:情况)?|收到和处理政府信息公开",
    r"(?:因)?政府信息公开(?:申请|工作)?(?:被申请)?(?:的)?行政法?复议|(?:被申请)?行政复议[、和及与](?:提起)?行政诉讼",
    r"(?:政府信息公开工作)?存在的?(?:主要)?问题(?:及|和|与)(?:改进|整改)|存在的主要问题|主要问题(?:及|和|与)改进",
    r"其[他它]需要报告的?事项",
)

# A numbered heading may follow anything (flattened pages glue it to the previous cell: "…432.52元三、
# 收到和处理…"), but not another numeral or 第.  Sub-items follow a line start or a sentence end.
_BEFORE = r"(?<![^\s。；;:：!！?？\d|#*\-)）])"
_TAIL = r"(?:[^\n。]{0,12}?情况)?"
_NUMERAL = re.compile(rf"(?:[{NUMERALS}]{{1,2}}|[1-9])\s*[、.,]\s*")
"""A numeral and its separator; `_numerals` drops those inside a longer number (三十一、, 12.) — checked in
Python rather than by a lookbehind, which the regex engine would try at every position of the text."""
_TITLE_AT = [re.compile(rf"(?:{p}){_TAIL}") for p in TITLE_PATTERNS]
_TITLE_FIRST = frozenset("总工基主概收因政被行存其")
"""Every title of TITLE_PATTERNS starts with one of these: other numerals and lines are skipped at once."""
_SHORT_LINE = re.compile(r"^[ \t#*\-•·]*、?[ \t]*(?=\S)(?P<line>[^\n]{2,48})$", re.M)
MAX_AFTER_BARE_TITLE = 8
_SUBITEM = re.compile(
    rf"{_BEFORE}[ \t#*\-•·]*(?P<num>[{NUMERALS}])、(?!本年新收|上年结转|本年度办理结果|结转下年度)(?P<rest>[^\n。]{{0,24}})"
)


# Reports under the 2007 regulation: a numbered heading whose first words name the part.
PRE2019_KEYS: tuple[str, ...] = (
    r"概述|总体情况|基本情况|工作概况",
    r"主动公开",
    r"依申请",
    r"收费|减免",
    r"行政复议|行政诉讼",
    r"问题|改进",
)
_PRE2019_AT = [re.compile(rf"[^\n。，,；;:：]{{0,24}}?(?:{k})[^\n。，,；;:：]{{0,16}}?(?:情况|措施|概述)?") for k in PRE2019_KEYS]


def find_sections(text: str, pre2019: bool = False) -> list[Section]:
    """Locate the six headings (of the 2007-regulation parts when `pre2019`)."""
    cands: list[tuple[int, int, int, str, str | None]] = []  # (start, end, index, heading, numeral)
    # Numbered headings: find the numerals first (a few hundred), then try each title right after.
    for m in _numerals(text):
        numeral = m.group().rstrip(" \t\n、.,")
        if pre2019 and numeral.isdigit():
            continue
        if not pre2019 and text[m.end():m.end() + 1] not in _TITLE_FIRST:
            continue
        for idx, pattern in enumerate(_PRE2019_AT if pre2019 else _TITLE_AT):
            t = pattern.match(text, m.end())
            if t and numeral.isdigit() and not _alone_on_line(text, t.end()):
                # 「2.主动公开政府信息的主要类型情况：…」 (excerpt 057) is a sub-item of 一; a section
                # numbered with Arabic digits (「1、 总体情况」, excerpt 031) stands alone on its line.
                continue
            if t:
                cands.append((m.start(), t.end(), idx, text[m.start():t.end()], numeral))
    if not pre2019:  # unnumbered headings standing alone on a short line
        for m in _SHORT_LINE.finditer(text):
            if text[m.start("line")] not in _TITLE_FIRST:
                continue
            for idx, pattern in enumerate(_TITLE_AT):
                t = pattern.match(text, m.start("line"))
                if t and m.end() - t.end() <= MAX_AFTER_BARE_TITLE:
                    cands.append((t.start(), t.end(), idx, t.group(), None))
    cands.sort()
    chain = _chain(cands, check_numerals=not pre2019)
    titles = PRE2019_SECTION_TITLES if pre2019 else SECTION_TITLES
    sections = [Section(i, titles[i]) for i in range(6)]
    for start, end, idx, heading, numeral in chain:
        _fill(sections[idx], start, end, heading, numeral, True)
    taken = {c[0] for c in chain}
    for start, end, idx, heading, numeral in cands:  # out of order: found, but not where it belongs
        if not sections[idx].found and start not in taken:
            _fill(sections[idx], start, end, heading, numeral, False)
    found = sorted((s for s in sections if s.found), key=lambda s: s.start)
    for a, b in zip(found, found[1:] + [None]):
        a.end = b.start if b else len(text)
    return sections


def _numerals(text: str):
    for m in _NUMERAL.finditer(text):
        before = text[m.start() - 1] if m.start() else ""
        if before and (before in NUMERALS or before == "第" if m.group()[0] in NUMERALS else before.isdigit() or before == "."):
            continue
        yield m


def _alone_on_line(text: str, end: int) -> bool:
    nl = text.find("\n", end)
    return (len(text) if nl < 0 else nl) - end <= MAX_AFTER_BARE_TITLE


def _fill(sec: Section, start: int, end: int, heading: str, numeral: str | None, in_order: bool) -> None:
    sec.found, sec.start, sec.body_start, sec.heading, sec.numeral, sec.in_order = (
        True, start, end, heading, numeral, in_order)


def _chain(cands, check_numerals: bool = True):
    """Longest chain of headings with increasing section index; correct numerals break ties."""
    n = len(cands)
    best = [0] * n
    prev = [-1] * n
    for i, (s, e, idx, _, num) in enumerate(cands):
        w = 4 + (0 if not check_numerals else 2 if num == SECTION_NUMERALS[idx] else 1 if num is None else 0)
        best[i] = w
        for j in range(i):
            # ">=": of equally good chains prefer the later headings (a preamble may list the titles)
            if cands[j][1] <= s and cands[j][2] < idx and best[j] + w >= best[i]:
                best[i], prev[i] = best[j] + w, j
    if not n:
        return []
    i = max(range(n), key=lambda k: (best[k], k))
    out = []
    while i >= 0:
        out.append(cands[i])
        i = prev[i]
    return out[::-1]


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


def extra_numbering(text: str, sections: list[Section], skip: list[tuple[int, int]]) -> list[tuple[int, str]]:
    """Sub-items inside a section numbered with the top-level numerals 一、二、… (seed 003), as
    (section index, "一、主动公开")."""
    heads = {s.start for s in sections if s.found}
    out = []
    for sec in sections:
        if not sec.found:
            continue
        for m in _SUBITEM.finditer(text, sec.body_start, sec.end):
            if m.start("num") in heads or _inside(m.start("num"), skip):
                continue
            out.append((sec.index, f"{m.group('num')}、{m.group('rest')[:12]}"))
    return out
