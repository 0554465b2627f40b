"""The narrative of a report: preamble, the six sections' paragraphs, 落款.

Paragraphs are assembled from the banks of sentences in `sentence_bank`, with slots for the
agency's own words (我局/全镇, its topics, its portal), so two agencies' reports share little
text: the checker's `content.copied` rule must stay silent on two different clean reports.  One
`random.Random` drives every choice, so the same seed gives the same text.

The narrative states numbers in these phrasings only (the parser's text.table_mismatch regexes can
rely on them; N is always the table's 总计 column):
  * 收到政府信息公开申请N件 / 新收政府信息公开申请N件      — 三 一、本年新收 总计
  * 上年结转N件                                          — 三 二、上年结转 总计
  * 办结N件                                              — 三 （七）总计 总计
  * 结转下年度继续办理N件                                — 三 四、结转下年度 总计
  * 予以公开N件 / 部分公开N件 / 不予公开N件 / 无法提供N件 / 不予处理N件 / 其他处理N件
                                                         — the result row (group sum) 总计
  * 未收到政府信息公开申请                              — 一、本年新收 总计 = 0 (and 上年结转 = 0)
  * 被申请行政复议N件，被提起行政诉讼M件                 — 四: 行政复议 总计; 直接起诉 + 复议后起诉 总计
  * 未发生…行政复议、行政诉讼                            — every 四 总计 = 0
Other numbers (信息N条, 会议N次, 人大建议N件) refer to nothing in the tables.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from monitor.formats import PRE2019_SECTION_TITLES, SECTION_NUMERALS, SECTION_TITLES

from .agencies import AgencyWords
from .sentence_bank import (
    ACTIVE,
    ACTIVE_GOVERNMENT,
    ACTIVE_TOWNSHIP,
    MANAGEMENT,
    NOTICE_2019,
    NOTICE_2021,
    ON_REQUEST,
    OPENINGS,
    ORDINALS,
    OVERSIGHT,
    OVERSIGHT_GOVERNMENT,
    PAREN_NUMERALS,
    PLATFORM,
    PROBLEMS_AND_MEASURES,
    PUBLISHED_SENTENCES,
    SECTION_FIVE_VARIANT,
    SUBITEMS,
    spirit,
)


@dataclass(frozen=True)
class Context:
    agency: str
    kind: str
    year: int
    layout: str  # table layout written: 2019 / 2021 / pre2019 (also decides which notice is cited)
    words: AgencyWords


def _slots(rng: random.Random, ctx: Context) -> dict:
    topics = list(ctx.words.topics)
    rng.shuffle(topics)
    guide = ("坚持以习近平新时代中国特色社会主义思想为指导" if ctx.year >= 2017
             else f"在{ctx.words.leaders}的正确领导下")
    return {
        "year": ctx.year, "agency": ctx.agency, "we": ctx.words.we, "short": ctx.words.short,
        "area": ctx.words.area, "leaders": ctx.words.leaders, "portal": ctx.words.portal,
        "topic1": topics[0], "topic2": topics[1], "topic3": topics[2], "spirit": spirit(ctx.year),
        "guide": guide,
    }


def _pick(rng: random.Random, bank: tuple[str, ...], k: int, slots: dict) -> list[str]:
    return [s.format(**slots) for s in rng.sample(bank, k)]


# ------------------------------------------------------------------------------------ preamble

def period_sentence(rng: random.Random, start: date, end: date) -> str:
    """The statistics-period sentence, in the wordings real reports use (monitor.parse.period): the
    template's, 统计时限 / 统计周期 / 统计数据的时间范围, a dash instead of 至, the end year left out."""
    y1, m1, d1, y2, m2, d2 = start.year, start.month, start.day, end.year, end.month, end.day
    if (start, end) == (date(start.year, 1, 1), date(start.year, 12, 31)):
        return rng.choice((
            f"本报告所列数据统计期限自{y1}年1月1日起至{y1}年12月31日止。",
            f"本报告中所列数据的统计期限自{y1}年1月1日起至{y1}年12月31日止。",
            f"所列数据统计期限为{y1}年1月1日至{y1}年12月31日。",
            f"本年度报告中所列数据统计期限为{y1}年1月1日至12月31日。",
            f"本年度报告统计数据的时间范围为{y1}年1月1日至{y1}年12月31日。",
            f"报告中所列数据统计时限为{y1}年1月1日—{y1}年12月31日。",
            f"本年度报告中所列数据的统计周期为{y1}年1月1日至12月31日。",
        ))
    return rng.choice((
        f"本报告所列数据统计期限自{y1}年{m1}月{d1}日起至{y2}年{m2}月{d2}日止。",
        f"本年度报告统计数据的时间范围为{y1}年{m1}月{d1}日至{y2}年{m2}月{d2}日。",
        f"报告中所列数据统计时限为{y1}年{m1}月{d1}日—{y2}年{m2}月{d2}日。",
    ))


def preamble(rng: random.Random, ctx: Context, period: tuple[date, date] | None) -> list[str]:
    s = _slots(rng, ctx)
    if ctx.layout == "pre2019":
        parts = "、".join(PRE2019_SECTION_TITLES)
        basis = rng.choice((
            f"本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求，由{ctx.agency}编制。",
            f"根据《中华人民共和国政府信息公开条例》（以下简称《条例》）规定，特向社会公布{ctx.agency}{ctx.year}年度政府信息公开工作年度报告。",
        ))
        content = f"全文包括{parts}等六个部分。"
    else:
        notice = NOTICE_2021 if ctx.layout == "2021" else NOTICE_2019
        basis = rng.choice((
            f"本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和{notice}要求编制。",
            f"根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和{notice}有关规定，现公布{ctx.agency}{ctx.year}年政府信息公开工作年度报告。",
            f"本年度报告由{ctx.agency}依据《中华人民共和国政府信息公开条例》（国务院令第711号）和{notice}编制。",
            f"为深入贯彻落实《中华人民共和国政府信息公开条例》（以下简称《条例》），按照{notice}有关要求，{s['short']}编制了本年度报告。",
        ))
        content = rng.choice((
            "全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项等六部分内容。",
            "本报告由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项六个部分组成。",
            "报告共分六个部分：总体情况，主动公开政府信息情况，收到和处理政府信息公开申请情况，政府信息公开行政复议、行政诉讼情况，存在的主要问题及改进情况，其他需要报告的事项。",
        ))
    domain = "www." + "".join(rng.choice("abcdefghjklmnpqrstwxyz") for _ in range(rng.randint(2, 5))) + ".gov.cn"
    download = rng.choice((
        f"本报告电子版可在{s['portal']}（{domain}）查阅或下载。",
        f"本年度报告电子版可从{s['portal']}（{domain}）下载。",
        "",
    ))
    street = rng.choice(("人民路", "解放路", "政府街", "中山路", "滨江大道", "建设路", "新华街", "文化路", "行政中心"))
    address = f"{ctx.words.portal.replace('人民政府门户网站', '')}{street}{rng.randint(1, 199)}号"
    phone = f"0{rng.randint(310, 999)}-{rng.randint(2_000_000, 8_999_999)}"
    zipcode = f"{rng.randint(100_000, 850_000)}"
    contact = rng.choice((
        f"如对本报告有疑问，请与{ctx.agency}办公室联系（地址：{address}；邮编：{zipcode}；电话：{phone}）。",
        f"如对本年度报告有任何疑问，请联系{ctx.agency}（联系电话：{phone}；地址：{address}）。",
        f"如对本报告有疑问，请与{s['short']}政务公开工作领导小组办公室联系（电话：{phone}）。",
    ))
    text = basis + content + (period_sentence(rng, *period) if period else "") + download + contact
    return [text]


# ------------------------------------------------------------------------------------ section 一

def applications_sentence(rng: random.Random, figures: dict) -> str:
    # Every call draws the same random values whatever the figures, so two reports sharing a
    # narrative seed (make_pair, content.copied) keep identical wording after this sentence.
    variant, with_breakdown = rng.randrange(3), rng.random() < 0.5
    new, carried = figures["apps_new"], figures["apps_carried"]
    done, carry_next = figures["apps_done"], figures["apps_carry_next"]
    y = figures["year"]
    if new == 0 and carried == 0:
        return (f"{y}年，未收到政府信息公开申请。", "全年未收到政府信息公开申请。",
                "本年度未收到政府信息公开申请，亦无上年结转的申请。")[variant]
    if new == 0:
        text = f"本年度未收到新的政府信息公开申请，上年结转{carried}件"
    else:
        text = (f"全年共收到政府信息公开申请{new}件", f"{y}年共收到政府信息公开申请{new}件",
                f"本年度新收政府信息公开申请{new}件")[variant]
        if carried:
            text += f"，上年结转{carried}件"
    text += f"，办结{done}件"
    if carry_next:
        text += f"，结转下年度继续办理{carry_next}件"
    parts = [f"{label}{n}件" for label, n in figures["breakdown"].items() if n]
    if with_breakdown and parts:
        text += "。办结的申请中，" + "，".join(parts)
    return text + "。"


def reviews_sentence(rng: random.Random, figures: dict) -> str:
    variant = rng.randrange(3)
    reviews, lawsuits = figures["reviews"], figures["lawsuits"]
    if reviews == 0 and lawsuits == 0:
        return ("全年未发生因政府信息公开引起的行政复议、行政诉讼。",
                "本年度未发生政府信息公开行政复议、行政诉讼案件。",
                "未发生因政府信息公开工作引发的行政复议、行政诉讼情况。")[variant]
    return f"全年因政府信息公开工作被申请行政复议{reviews}件，被提起行政诉讼{lawsuits}件。"


def _subitem(rng: random.Random, label: str, sentences: list[str], inline: bool) -> list[str]:
    body = "".join(sentences)
    return [f"{label}。{body}"] if inline else [label, body]


def section_one(rng: random.Random, ctx: Context, figures: dict, *, plain_numbering: bool) -> list[str]:
    s = dict(_slots(rng, ctx), published=figures["published"])
    paragraphs = [rng.choice(OPENINGS).format(**s)]
    suffix = rng.randrange(3)
    inline = rng.random() < 0.5
    active = [rng.choice(PUBLISHED_SENTENCES).format(**s)] + _pick(rng, ACTIVE, rng.randint(2, 3), s)
    if ctx.kind == "government":
        active += _pick(rng, ACTIVE_GOVERNMENT, 1, s)
    elif ctx.kind == "township":
        active += _pick(rng, ACTIVE_TOWNSHIP, 1, s)
    on_request = _pick(rng, ON_REQUEST, rng.randint(1, 2), s)
    on_request.insert(rng.randint(0, 1), applications_sentence(rng, figures))
    on_request.append(reviews_sentence(rng, figures))
    oversight = _pick(rng, OVERSIGHT, rng.randint(2, 3), s)
    if ctx.kind in ("government", "township"):
        oversight.append(OVERSIGHT_GOVERNMENT.format(**s))
    bodies = (active, on_request, _pick(rng, MANAGEMENT, rng.randint(2, 3), s),
              _pick(rng, PLATFORM, rng.randint(2, 3), s), oversight)
    for i, (names, body) in enumerate(zip(SUBITEMS, bodies)):
        number = f"{SECTION_NUMERALS[i]}、" if plain_numbering else PAREN_NUMERALS[i]
        paragraphs += _subitem(rng, number + names[suffix], body, inline)
    return paragraphs


# ------------------------------------------------------------------------------------ section 五

def section_five(rng: random.Random, ctx: Context) -> list[str]:
    s = _slots(rng, ctx)
    chosen = rng.sample(PROBLEMS_AND_MEASURES, rng.randint(2, 4))
    problems = [p.format(**s) for p, _ in chosen]
    measures = [m.format(**s) for _, m in chosen]
    intro = rng.choice((
        f"{ctx.year}年，{s['short']}政府信息公开工作取得了一定成效，但仍存在一些不足：",
        "对照新形势新要求，我们的工作还存在一些差距：",
        f"{ctx.year}年{s['we']}政府信息公开工作虽然取得了一定成绩，但还存在以下问题：",
    ))
    outro = rng.choice((f"下一步，{s['we']}将重点做好以下工作：", "针对上述问题，将采取以下改进措施：",
                        f"针对存在的问题，{s['we']}将从以下方面加以改进："))
    style = rng.randrange(3)
    if style == 0:
        return ["（一）存在的主要问题",
                intro + "；".join(o + p for o, p in zip(ORDINALS, problems)) + "。",
                "（二）改进措施",
                outro + "；".join(o + m for o, m in zip(ORDINALS, measures)) + "。"]
    if style == 1:
        return ([rng.choice(("（一）主要问题", "（一）存在问题"))]
                + [f"{i}.{p}。" for i, p in enumerate(problems, 1)]
                + [rng.choice(("（二）改进措施", "（二）改进情况"))]
                + [f"{i}.{m}。" for i, m in enumerate(measures, 1)])
    return [intro + "；".join(o + p for o, p in zip(ORDINALS, problems)) + "。",
            outro + "；".join(o + m for o, m in zip(ORDINALS, measures)) + "。"]


def trivial_problems(rng: random.Random, ctx: Context) -> list[str]:
    return [rng.choice(("无。", f"{ctx.words.we}政府信息公开工作还存在一些不足，今后将继续改进。",
                        "存在的问题：无。", "工作中还存在一些不足，下一步将进一步加强。"))]


# ------------------------------------------------------------------------------------ section 六

def section_six(rng: random.Random, ctx: Context) -> list[str]:
    we, y = ctx.words.we, ctx.year
    fee = rng.choice((f"本年度{we}未收取政府信息公开信息处理费。", f"{y}年度，{we}未发生收取信息处理费的情况。",
                      f"依据《政府信息公开信息处理费管理办法》，本年度{we}未收取信息处理费。")
                     if y >= 2021 else (f"本年度{we}未收取政府信息公开相关费用。",))
    extra = rng.choice(("", "无其他需要报告的事项。", f"{y}年度政务公开工作要点明确的各项任务已按要求落实。"))
    paragraphs = [fee + extra] if extra or rng.random() < 0.5 else ["无。"]
    if ctx.kind == "government":
        paragraphs.append(f"{y}年，{we}承办人大代表建议{rng.randint(20, 160)}件、政协委员提案"
                          f"{rng.randint(20, 200)}件，均已按时办结，办理结果已按规定公开。")
    return paragraphs


# ------------------------------------------------------------------------------------ sections 二–四 as text

def t2_as_text(ctx: Context, t2: dict, layout: str) -> str:
    """Table 二's content as a sentence, for a report that gives no tables (format.unknown)."""
    we, y = ctx.words.we, ctx.year
    if layout == "2021":
        made, repealed, valid = t2["art20_1"]["normative"]
        return (f"{y}年，{we}制发行政规范性文件{made}件，废止{repealed}件，现行有效{valid}件；"
                f"作出行政许可决定{t2['art20_5']['licensing'][0]}个，行政处罚决定{t2['art20_6']['penalty'][0]}个，"
                f"行政强制决定{t2['art20_6']['coercion'][0]}个；收取行政事业性收费{t2['art20_8']['fees'][0]}万元。")
    made, published, total = t2["art20_1"]["normative"]
    return (f"{y}年，{we}新制作规范性文件{made}份，新公开{published}份，对外公开总数{total}份；"
            f"作出行政许可处理决定{t2['art20_5']['licensing'][2]}个，行政处罚处理决定{t2['art20_6']['penalty'][2]}个；"
            f"政府集中采购项目{t2['art20_9']['procurement'][0]}个。")


def sections(rng: random.Random, ctx: Context, figures: dict, *, plain_numbering: bool = False,
             t2_text: str | None = None) -> list[tuple[str, str, list[str]]]:
    """The six sections of a 2019/2021 report.  Sections 二–四 hold only their tables, unless
    `t2_text` is given: then they state their figures in words (the format.unknown defect)."""
    one = section_one(rng, ctx, figures, plain_numbering=plain_numbering)
    five = section_five(rng, ctx)
    six = section_six(rng, ctx)
    two = three = four = []
    if t2_text is not None:
        two = [t2_text]
        three = [applications_sentence(rng, figures)]
        four = [reviews_sentence(rng, figures)]
    five_title = SECTION_FIVE_VARIANT if rng.random() < 0.15 else SECTION_TITLES[4]
    titles = SECTION_TITLES[:4] + (five_title, SECTION_TITLES[5])
    return [(n, t, p) for n, t, p in zip(SECTION_NUMERALS, titles, (one, two, three, four, five, six))]


def pre2019_sections(rng: random.Random, ctx: Context, figures: dict) -> list[tuple[str, str, list[str]]]:
    s = dict(_slots(rng, ctx), published=figures["published"])
    overview = ([rng.choice(OPENINGS).format(**s)] + ["".join(_pick(rng, OVERSIGHT, 3, s))]
                + ["".join(_pick(rng, MANAGEMENT, 2, s))])
    active = [rng.choice(PUBLISHED_SENTENCES).format(**s) + "".join(_pick(rng, ACTIVE, 2, s)),
              "".join(_pick(rng, PLATFORM, 2, s))]
    on_request = [applications_sentence(rng, figures)
                  + "".join(_pick(rng, ON_REQUEST, 2, s))]
    fees = [rng.choice((f"{ctx.year}年，{ctx.words.we}在政府信息公开工作中未收取任何费用，无减免情况。",
                        "本年度未向申请人收取检索、复制、邮寄等费用，不涉及费用减免。"))]
    reviews = [reviews_sentence(rng, figures)]
    problems = section_five(rng, ctx)
    bodies = (overview, active, on_request, fees, reviews, problems)
    return [(n, t, p) for n, t, p in zip(SECTION_NUMERALS, PRE2019_SECTION_TITLES, bodies)]
