"""The statistics period statement ("本报告所列数据统计期限自Y年1月1日起至Y年12月31日止").

Searched in the compact text, because PDF line breaks split the statement anywhere
("…自2024 年1 月1 日\\n起至2024 年12 月31 日止").  Every wording seen in the seeds, the real reports
and the national template is a date range introduced by a word that says what it is; the words and
the ranges vary independently, so they are two patterns, not a list of sentences:

* what it is (`_KEY`): 统计期限 (the template), 统计时限, 统计限 (real excerpt 025, a typo), 统计周期
  (real 016: "本年度报告中所列数据的统计周期为2024年1月1日至12月31日"), 统计数据的时间范围 (practice
  world: "本年度报告统计数据的时间范围为2023年1月1日至2023年12月31日"), 报告期, 涵盖 (real 020:
  "本报告内容涵盖2025年1月1日至12月31日期间的政府信息公开工作情况");
* the range (`_RANGE`): 自/从/为 … 起至/至/到/—/-/~ … 止, the end year optional ("自2024年1月1日起至
  12月31日止", real 021), full- or half-width digits and dashes (NFKC has made them one), dotted or
  ISO dates ("2023.1.1-2023.12.31"), dates in Chinese numerals ("二〇二三年一月一日至十二月三十一日"),
  months without days ("2023年1月至12月") and a year alone ("统计期限为2023年度").

A statement whose dates cannot be read (excerpt 024: "自202011日起,至20201231日止"; excerpt 060:
"至202020年12月31日止") is still a statement: it is kept as text so the rule can call it wrong rather
than missing.  A range without such a word is a statement only when it spans a whole calendar year
("2013年1月1日至12月31日期间我局办公室未收到…", real 043): shorter ranges without one are activities
("3月1日至5月31日开展专项行动"), not the statistics period.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

_KEY = re.compile(
    r"统计(?:期限|时限|期间|时间|区间|范围|周期|截止时间|年度|限)|数据(?:的)?(?:统计)?(?:期限|时限|期间|时间范围|时间|区间|范围|周期)"
    r"|时间范围|起止时间|报告期|所列数据|涵盖")
_Y = r"(?<!\d)\d{4}(?!\d)"
_M = r"(?<!\d)\d{1,2}(?!\d)"
_CJK_DATE = re.compile(r"([〇零○一二三四五六七八九]{4})年|((?:十[一二]?|[一二三四五六七八九]))月|"
                       r"((?:三十[一]?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九]))日")
_DIGIT = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0", "○": "0"}


def _date(p: str, year_optional: bool = False) -> str:
    year = rf"(?:(?P<{p}y>{_Y})(?:年|[./-]))"
    month = rf"(?P<{p}m>{_M})(?:月份?|[./-])"
    day = rf"(?:(?P<{p}d>{_M})(?:日|号)?)"
    return (f"{year}{'?' if year_optional else ''}{month}{day}?")


_DASH = r"(?:至|到|止至|[-—–―~〜]+)"
_RANGE = re.compile(
    rf"(?:自|从|由|为|是|:)?{_date('a')}(?:起|开始)?[,，、]?{_DASH}{_date('b', True)}(?:止|结束|期间)?")
_YEAR_ONLY = re.compile(rf"(?:为|是|:)?(?P<y>{_Y})年(?:度|全年)?(?![\d年月])")
_JANUARY = re.compile(r"(?<!\d)\d{4}(?:年|[./-])0?1(?:月|[./-])")
_NEAR = 40  # characters between the word and the dates ("本报告中所列数据的统计期限自" is 12)
_SENTENCE_END = re.compile(r"[。；;!！?？]")
_UNTIL = re.compile(rf"(?:为|是|:)?(?:截至|截止(?:到|至)?)(?P<y>{_Y})年(?P<m>{_M})月(?P<d>{_M})日")
_TO = re.compile(r"(?<!截)[至到]|止")
_SPAN_WORD = re.compile(r"期限|时限|期间|范围|周期|时间|区间|限")
_CJK_HINT = re.compile(r"[〇零○][〇零○一二三四五六七八九]*年|[一二三四五六七八九十]月")


@dataclass(frozen=True)
class PeriodStatement:
    text: str
    dates: tuple[dt.date, dt.date] | None  # None: a period is stated but its dates cannot be read
    keyed: bool  # introduced by a word saying it is the statistics period


def find_periods(compact: str) -> list[PeriodStatement]:
    """Every statistics-period statement in the compact text, in order of appearance."""
    text = _CJK_DATE.sub(_cjk_to_digits, compact) if _CJK_HINT.search(compact) else compact
    found: list[tuple[int, int, PeriodStatement]] = []
    taken = -1
    for key in _KEY.finditer(text):
        if key.start() < taken:
            continue
        window_end = _sentence_end(text, key.end(), key.end() + _NEAR + 30)
        window = text[key.end():window_end]
        m = _RANGE.search(window)
        y = _YEAR_ONLY.match(window) or _YEAR_ONLY.match(window, 1)
        if m and m.start() <= _NEAR:
            end, dates = key.end() + m.end(), _dates(m)
        elif y and _SPAN_WORD.search(key.group()):
            year = int(y.group("y"))
            end, dates = key.end() + y.end(), (dt.date(year, 1, 1), dt.date(year, 12, 31))
        elif (u := _UNTIL.match(window)) and _SPAN_WORD.search(key.group()):
            # "数据统计时间截至2023年12月31日": the year up to that day
            end, dates = key.end() + u.end(), _until(u)
        elif re.search(r"\d{4}", window[:_NEAR]) and _TO.search(window) and _SPAN_WORD.search(key.group()):
            end, dates = window_end, None  # dates written so that they cannot be read
        else:
            continue
        found.append((key.start(), end, PeriodStatement(text[key.start():end], dates, True)))
        taken = end
    for hint in _JANUARY.finditer(text):  # a whole-year range starts in January: look only there
        m = _RANGE.match(text, hint.start())
        if not m:
            continue
        dates = _dates(m)
        if _whole_year(dates) and not any(a <= m.start() < b for a, b, _ in found):
            found.append((m.start(), m.end(), PeriodStatement(m.group(), dates, False)))
    return [s for _, _, s in sorted(found, key=lambda f: f[0])]


def find_period(compact: str, year: int | None = None) -> tuple[tuple[dt.date, dt.date] | None, str | None]:
    """The statement the rule judges, as ((start, end), text), (None, text) when unreadable, (None, None)
    when no period is stated at all.  A keyed statement wins over a bare whole-year range; of keyed
    statements, one that is not the report year's 1 January – 31 December wins (any wrong statement
    is a defect, a later correct one does not undo it)."""
    return choose_period(find_periods(compact), year)


def choose_period(statements: list[PeriodStatement], year: int | None) -> tuple[tuple[dt.date, dt.date] | None, str | None]:
    """find_period on statements already found."""
    keyed = [s for s in statements if s.keyed]
    if keyed:
        want = (dt.date(year, 1, 1), dt.date(year, 12, 31)) if year else None
        wrong = [s for s in keyed if s.dates is None or (want and s.dates != want) or (not want and not _whole_year(s.dates))]
        chosen = wrong[0] if wrong else keyed[0]
        return chosen.dates, chosen.text
    if statements:
        return statements[0].dates, statements[0].text
    return None, None


def period_year(statements: list[PeriodStatement]) -> int | None:
    """The year a whole-year statement names (the report year when nothing else says it)."""
    return next((s.dates[0].year for s in statements if s.keyed and _whole_year(s.dates)), None)


def _sentence_end(text: str, start: int, limit: int) -> int:
    m = _SENTENCE_END.search(text, start, limit)
    return m.start() if m else min(limit, len(text))


def _dates(m: re.Match) -> tuple[dt.date, dt.date] | None:
    try:
        ay, am = int(m.group("ay")), int(m.group("am"))
        by = int(m.group("by")) if m.group("by") else ay
        bm = int(m.group("bm"))
        ad = int(m.group("ad")) if m.group("ad") else 1
        bd = int(m.group("bd")) if m.group("bd") else calendar.monthrange(by, bm)[1]
        return dt.date(ay, am, ad), dt.date(by, bm, bd)
    except (ValueError, calendar.IllegalMonthError):
        return None


def _until(m: re.Match) -> tuple[dt.date, dt.date] | None:
    try:
        end = dt.date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    except ValueError:
        return None
    return dt.date(end.year, 1, 1), end


def _whole_year(dates: tuple[dt.date, dt.date] | None) -> bool:
    return bool(dates) and dates[0].year == dates[1].year and (dates[0].month, dates[0].day, dates[1].month,
                                                               dates[1].day) == (1, 1, 12, 31)


def _cjk_to_digits(m: re.Match) -> str:
    if m.group(1):
        return "".join(_DIGIT[c] for c in m.group(1)) + "年"
    word = m.group(2) or m.group(3)
    tens, _, ones = word.rpartition("十")
    if "十" in word:
        value = (_CJK_VALUE.get(tens, 1) if tens else 1) * 10 + (_CJK_VALUE.get(ones, 0) if ones else 0)
    else:
        value = _CJK_VALUE[word]
    return f"{value}{'月' if m.group(2) else '日'}"


_CJK_VALUE = {c: i for i, c in enumerate("〇一二三四五六七八九")}
