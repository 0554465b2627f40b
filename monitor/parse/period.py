"""The statistics period statement ("本报告所列数据统计期限自Y年1月1日起至Y年12月31日止").

Searched in the compact text, because PDF line breaks split the statement anywhere
("…自2024 年1 月1 日\\n起至2024 年12 月31 日止").  A statement whose dates cannot be read (excerpt 024:
"自202011日起,至20201231日止") is still a statement: it is kept as text so the rule can call it wrong
rather than missing.
"""

from __future__ import annotations

import datetime as dt
import re

_KEY = r"(?:统计(?:期限|时限|期间|时间|区间|范围|周期|截止时间)|数据(?:统计)?(?:期限|时限|期间|时间)|统计限|所列数据)"
_DATE = r"(?P<{p}y>\d{{4}})年(?P<{p}m>\d{{1,2}})月(?P<{p}d>\d{{1,2}})日"
_END = r"(?:(?P<by>\d{4})年)?(?P<bm>\d{1,2})月(?P<bd>\d{1,2})日"
_RANGE = re.compile(
    _KEY + r"[^。；;]{0,30}?" + _DATE.format(p="a") + r"(?:起|开始)?[,，]?(?:至|到|止至|-|—|~|～)" + _END
)
_STATEMENT = re.compile(_KEY + r"[^。；;]{0,60}")


def find_period(compact: str) -> tuple[tuple[dt.date, dt.date] | None, str | None]:
    """((start, end), statement) or (None, statement) when unreadable, or (None, None) when absent."""
    m = _RANGE.search(compact)
    if m:
        try:
            ay = int(m.group("ay"))
            start = dt.date(ay, int(m.group("am")), int(m.group("ad")))
            by = int(m.group("by")) if m.group("by") else ay
            end = dt.date(by, int(m.group("bm")), int(m.group("bd")))
            return (start, end), m.group(0)
        except ValueError:
            return None, m.group(0)
    for m in _STATEMENT.finditer(compact):
        if re.search(r"\d{4}", m.group(0)) and re.search(r"[至到止]", m.group(0)):
            return None, m.group(0)
    return None, None
