"""What the narrative says about the figures of the tables, as claims with a topic.

A number in a sentence can only contradict a table when both speak of the same thing.  The sentence
「未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况」 holds the words 未…申请, yet it says
nothing about applications: it is about 表四.  So the narrative is cut into clauses (at ，。；：, PDF line
breaks already removed), each clause gets its topic from the words in it, and only then are its
numbers read.  Topics and the table cells they speak of:

=================  ===========================================  ================================================
topic              table cell                                   pattern, with a real example
=================  ===========================================  ================================================
apps.new           三 一、本年新收 总计 (or 一+二: many reports   verb 收到/受理/新收/接收/接到 … 申请 … N件:
                   count carried-over ones as "received")       「2022年,全区收到政府信息公开申请75件」 (real 005);
                                                                「全县全年共受理政府信息公开申请749件」 = 713 new +
                                                                36 carried (real 004); N before the noun:
                                                                「本街道共收到12件信息依申请公开」 (excerpt 034)
apps.none          三 一、本年新收 总计 = 0                     negation + verb … 申请, no 复议/诉讼 in the clause:
                                                                「本年度未收到公民、法人或其他组织提出的政府信息
                                                                公开申请」 (seed 001)
apps.carried       三 二、上年结转 总计                         「上年结转政府信息公开申请2件」 (real 014)
apps.carry_next    三 四、结转下年度继续办理 总计               「剩余2件结转下年度继续办理」 (excerpt 034)
review             四 行政复议 总计                             「因政府信息公开引发行政复议2件、行政诉讼0件」
                                                                (excerpt 034); 「行政复议案件2件」 (real 005)
suit               四 直接起诉 + 复议后起诉 总计                「行政诉讼案件7件」 (real 009); 「行政诉讼9起」
                                                                (real 011)
review/suit none   the 总计 of the kinds named = 0              negation before 复议/诉讼: 「未发生因政府信息公开
                                                                工作被申请行政复议、提起行政诉讼的情况」 (practice
                                                                world, report-format.md §3 TXT); 「无涉及政府信息
                                                                公开行政复议、诉讼案件」 (excerpt 069)
t2.issued          二 (一) 行政规范性文件 本年制发件数 (2021)    「动态更新本年度制发的规范性文件88件」 (real 005)
t2.repealed        二 (一) 行政规范性文件 本年废止件数 (2021)    「制发行政规范性文件…件，废止N件」 (the generator's
                                                                sentence for a report without tables)
t2.in_force        二 (一) 行政规范性文件 现行有效件数 (2021)    「集中公开现行有效行政规范性文件698件」 (real 005);
                                                                「现行有效行政规范性文件393件」 (real 009)
t2.penalty etc.    二 (五)/(六) 处理决定数量                    「本年度内单位行政处罚处理决定数量39件」
                                                                (excerpt 064)
t2.fees            二 (八) 本年收费金额（万元） (2021)            「收取行政事业性收费12.5万元」; a clause about
                                                                信息处理费 (「收取政府信息公开信息处理费0元」,
                                                                real 002) is a different fee and never compared
=================  ===========================================  ================================================

A clause is skipped when it cannot be about the whole table figure: a part of the total (其中, 线上/线下,
纸质, 网上, 邮寄…: 「受理线上信息公开申请65件」, excerpt 051), a comparison (同比, 较上年), another year
than the report's (「结转至2026年6件」 is about the next year's report), corrections rather than cases
(纠错, 败诉: 「未发生因依申请公开被行政复议纠错或行政诉讼败诉情形」, real 015), or a verb that is not
"received" (办理, 答复: 「共办理并答复信息公开申请3件、纸质申请36件」, excerpt 036).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

_CLAUSE = re.compile(r"[，,。；;：:！!？?]")
_NEG = r"(?:未|没有|无|暂无|均未|尚未|不存在|零)"
_UNIT = r"(?:件|个|份|条|起|宗|项|次)"
_PART = re.compile(r"其中|线上|线下|网上|网络|纸质|书面|信函|邮寄|当面|现场|邮件|平台|自然人|法人|涉及|占|同比|较上年|较去年|上一年|去年|比上年|分别")
_DIGITS = re.compile(r"\d")
_CANDIDATE = re.compile(r"\d|未|没有|无|零|不存在")
_BAD = re.compile(r"纠错|败诉|纠正|撤销|确认违法|被复议机关|复议机关")
_YEAR = re.compile(r"(?<!\d)(\d{4})年")
_CASES = re.compile(r"复议|诉讼")

_APPS_NEW = (
    re.compile(r"(?:收到|受理|新收|接收|接到)[^\d复诉]{0,24}?(?:申请|依申请公开)(?:信息|事项)?(?:共计|合计|总数|数量|共|为|是|达)*(\d+)" + _UNIT),
    re.compile(r"(?:收到|受理|新收|接收|接到)(?:共|各类)?(\d+)" + _UNIT + r"[^\d]{0,10}?(?:申请|依申请公开)"),
)
_APPS_NONE = re.compile(_NEG + r"[^\d]{0,6}?(?:收到|受理|接到|接收)[^\d]{0,24}?申请(?!人)")
_CARRIED = re.compile(r"上年(?:度)?结转(?:政府信息公开)?(?:申请)?(?:共|为)?(\d+)件")
_CARRY_NEXT = re.compile(r"结转(?:至|到)?下(?:一)?年度?(?:继续办理|办理)?(?:的)?(?:申请)?(?:共|为)?(\d+)件|(\d+)件结转下年度")
_REVIEW = re.compile(r"行政复议(?:案件|申请)?(?:共|总数|数量|为|是)*(\d+)(?:件|起|宗)")
_SUIT = re.compile(r"行政诉讼(?:案件)?(?:共|总数|数量|为|是)*(\d+)(?:件|起|宗)")
_BOTH_ZERO = re.compile(r"行政复议[、和及与]行政诉讼(?:案件)?(?:均|共)?(?:为)?(?:0|零)(?:件|起)")
_CASE_WORD = {"review": re.compile(r"复议"), "suit": re.compile(r"诉讼")}
_NEG_RE = re.compile(_NEG)
_T2 = (
    ("t2.in_force", re.compile(r"现行有效(?:的)?(?:行政)?规范性文件(?:共|为)?(\d+)件")),
    ("t2.issued", re.compile(r"制发(?:的)?(?:行政)?规范性文件(?:共|为)?(\d+)件")),
    ("t2.repealed", re.compile(r"废止(?:的)?(?:行政)?规范性文件(?:共|为)?(\d+)件|规范性文件[^\d]{0,6}?废止(\d+)件")),
    ("t2.licensing", re.compile(r"行政许可(?:处理)?决定(?:数量)?(?:共|为)?(\d+)(?:件|个|项)")),
    ("t2.penalty", re.compile(r"行政处罚(?:处理)?决定(?:数量)?(?:共|为)?(\d+)(?:件|个|项)")),
    ("t2.coercion", re.compile(r"行政强制(?:处理)?决定(?:数量)?(?:共|为)?(\d+)(?:件|个|项)")),
)
_REPEALED_AFTER = re.compile(r"^废止(\d+)件$")
_FEES = re.compile(r"行政事业性收费(?:金额)?(?:共计|合计|共|为)?(\d+(?:\.\d+)?)万元")
_FEE_WORDS = re.compile(r"收费")


@dataclass(frozen=True)
class Claim:
    topic: str  # see the module docstring
    value: int | Decimal
    text: str  # the clause as written (compact), for the message


def clauses(compact: str) -> list[str]:
    return [c for c in _CLAUSE.split(compact) if c]


def claims(compact: str, year: int | None = None) -> list[Claim]:
    """Every claim of the narrative (compact text, without the tables), in order."""
    out: list[Claim] = []
    context = ""  # the previous clause: 「规范性文件…88件，废止5件」 keeps its subject
    for clause in clauses(compact):
        if not _CANDIDATE.search(clause):  # neither a number nor a negation: nothing to claim
            context = clause
            continue
        if _other_year(clause, year) or (_PART.search(clause) and _DIGITS.search(clause)):
            context = clause
            continue
        out.extend(_clause_claims(clause, context))
        context = clause
    return out


def mentions_fees(compact: str) -> bool:
    """The narrative says something about 收费 (行政事业性收费, 收费项目, 收费情况 …)."""
    return bool(_FEE_WORDS.search(compact))


def _other_year(clause: str, year: int | None) -> bool:
    return year is not None and any(int(y) != year for y in _YEAR.findall(clause))


def _clause_claims(clause: str, context: str) -> list[Claim]:
    out: list[Claim] = []
    if _CASES.search(clause):
        if _BAD.search(clause):
            return out
        if _BOTH_ZERO.search(clause):
            return [Claim("review", 0, clause), Claim("suit", 0, clause)]
        counted = set()
        for topic, pattern in (("review", _REVIEW), ("suit", _SUIT)):
            m = pattern.search(clause)
            if m:
                out.append(Claim(topic, int(m.group(1)), clause))
                counted.add(topic)
        for topic, word in _CASE_WORD.items():
            w = word.search(clause)
            if topic not in counted and w and _NEG_RE.search(clause, 0, w.start()):
                out.append(Claim(topic, 0, clause))
        return out
    if "申请" in clause and "审批" not in clause and "答复" not in clause and "办理" not in clause:
        for pattern in _APPS_NEW:
            m = pattern.search(clause)
            if m:
                out.append(Claim("apps.new", int(m.group(1)), clause))
                break
        else:
            if _APPS_NONE.search(clause):
                out.append(Claim("apps.none", 0, clause))
    for topic, pattern in (("apps.carried", _CARRIED), ("apps.carry_next", _CARRY_NEXT)):
        m = pattern.search(clause)
        if m:
            out.append(Claim(topic, int(next(g for g in m.groups() if g)), clause))
    for topic, pattern in _T2:
        m = pattern.search(clause)
        if m:
            out.append(Claim(topic, int(next(g for g in m.groups() if g)), clause))
    m = _REPEALED_AFTER.match(clause)
    if m and "规范性文件" in context:  # 「制发行政规范性文件3件，废止1件」: the subject is in the clause before
        out.append(Claim("t2.repealed", int(m.group(1)), context + "，" + clause))
    m = _FEES.search(clause)
    if m:
        out.append(Claim("t2.fees", Decimal(m.group(1)), clause))
    return out
