"""The narrative of a report: preamble, the six sections' paragraphs, 落款.

Paragraphs are assembled from banks of sentences with slots for the agency's own words (我局/全镇,
its topics, its portal), so two agencies' reports share little text: the checker's
`content.copied` rule must stay silent on two different clean reports.  One `random.Random` drives
every choice, so the same seed gives the same text.

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

NOTICE_2021 = ("《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》"
               "（国办公开办函〔2021〕30号）")
NOTICE_2019 = ("《国务院办公厅政府信息与政务公开办公室关于政府信息公开工作年度报告有关事项的通知》"
               "（国办公开办函〔2019〕60号）")

SECTION_FIVE_VARIANT = "政府信息公开工作存在的主要问题及改进情况"


@dataclass(frozen=True)
class Context:
    agency: str
    kind: str
    year: int
    layout: str  # table layout written: 2019 / 2021 / pre2019 (also decides which notice is cited)
    words: AgencyWords


def spirit(year: int) -> str:
    """The party-congress phrase a report of `year` cites (an older one marks copied text)."""
    if year <= 2012:
        return "党的十七大和十七届历次全会精神"
    if year <= 2016:
        return "党的十八大和十八届历次全会精神"
    if year <= 2018:
        return "党的十九大精神"
    return {2019: "党的十九大和十九届二中、三中、四中全会精神",
            2020: "党的十九大和十九届二中、三中、四中、五中全会精神",
            2021: "党的十九大和十九届历次全会精神",
            2022: "党的二十大精神", 2023: "党的二十大精神",
            2024: "党的二十大和二十届二中、三中全会精神"}.get(year, "党的二十大和二十届历次全会精神")


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
    if (start, end) == (date(start.year, 1, 1), date(start.year, 12, 31)):
        y = start.year
        return rng.choice((
            f"本报告所列数据统计期限自{y}年1月1日起至{y}年12月31日止。",
            f"本报告中所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。",
            f"所列数据统计期限为{y}年1月1日至{y}年12月31日。",
            f"本年度报告中所列数据统计期限为{y}年1月1日至12月31日。",
        ))
    return (f"本报告所列数据统计期限自{start.year}年{start.month}月{start.day}日起"
            f"至{end.year}年{end.month}月{end.day}日止。")


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

OPENINGS: tuple[str, ...] = (
    "{year}年，{short}{guide}，全面贯彻{spirit}，认真落实《中华人民共和国政府信息公开条例》，围绕{leaders}中心工作，以公开促落实、以公开促规范、以公开促服务，政务公开工作取得新成效。现将有关情况报告如下：",
    "{year}年，在{leaders}的坚强领导下，{we}深入贯彻{spirit}，严格落实《条例》各项规定，紧扣{topic1}等重点工作，不断加大政府信息公开力度，切实保障人民群众的知情权、参与权和监督权。",
    "{year}年，{we}{guide}，按照上级关于政务公开工作的部署要求，立足部门职能，健全工作机制，规范公开流程，政府信息公开工作依法有序推进。",
    "{year}年，{short}认真贯彻落实《条例》和上级关于政务公开工作的部署，坚持“以公开为常态、不公开为例外”，围绕{topic1}、{topic2}等工作深化信息公开，不断提升政务公开质量和实效。",
    "{year}年以来，{we}以群众需求为导向，把政务公开作为推进依法行政、优化服务的重要抓手，持续完善公开制度，拓宽公开渠道，丰富公开内容，各项工作有序开展。",
    "{year}年，{short}在{leaders}的正确领导下，以贯彻{spirit}为主线，聚焦{topic1}、{topic3}等社会关注事项，扎实推进决策、执行、管理、服务、结果公开，政府透明度进一步提高。",
    "{year}年，{we}紧紧围绕{area}中心工作，对标对表政务公开工作要点，压实工作责任，细化工作举措，推动政府信息公开工作规范化、制度化、常态化。",
    "{year}年，{short}坚持把政务公开与{topic2}等重点工作统筹谋划、一体推进，以规范促提升，以公开优服务，较好完成了年度政府信息公开各项任务。",
)

PUBLISHED_SENTENCES: tuple[str, ...] = (
    "{year}年，{we}通过{portal}主动公开政府信息{published}条。",
    "全年共主动公开各类政府信息{published}条，涵盖机构职能、政策文件、{topic1}、{topic2}等内容。",
    "{year}年度，{we}在{portal}发布政务信息{published}条，做到应公开尽公开。",
    "依托{portal}政府信息公开专栏，全年主动公开信息{published}条。",
    "全年累计发布各类政府信息{published}条，其中{topic1}方面的信息占比较高。",
)

ACTIVE: tuple[str, ...] = (
    "坚持“以公开为常态、不公开为例外”原则，严格落实公开属性源头认定机制。",
    "围绕{topic1}、{topic2}等社会关注事项，及时发布工作动态和政策措施，主动回应群众关切。",
    "对新出台的政策文件同步开展解读，采用图文、问答等形式提高政策知晓度。",
    "及时更新机构职能、领导分工、办公地址和联系方式等基础信息，确保公开内容准确完整。",
    "按照基层政务公开标准目录要求，持续做好财政预决算、权责清单、“双随机、一公开”等法定主动公开内容的发布。",
    "在{topic1}领域逐项梳理公开事项，细化公开标准和公开时限，推动重点领域信息公开常态化。",
    "结合{topic2}工作实际，编制发布办事指南和服务流程，方便群众查询办理。",
    "对群众关注度高的问题，通过网站、政务新媒体等渠道作出权威解答。",
    "坚持发布、解读、回应同步推进，提升主动公开的针对性和实效性。",
    "对照权责清单动态调整情况，及时更新公开行政权力事项及其运行流程。",
    "按规定时限公开部门预算、决算及“三公”经费情况说明，接受社会监督。",
    "将{topic3}有关政策、办事流程、监督电话等集中发布，方便群众查阅。",
)
ACTIVE_GOVERNMENT: tuple[str, ...] = (
    "及时公开政府常务会议、重大决策和政府工作报告等信息，重大行政决策事项均向社会公开征求意见。",
    "集中公开{area}重大建设项目批准和实施、公共资源配置、社会公益事业建设等重点领域信息。",
)
ACTIVE_TOWNSHIP: tuple[str, ...] = (
    "及时公开村务、财务和惠民惠农补贴发放等信息，做到公开内容群众看得到、看得懂。",
    "在村（社区）公开栏同步张贴政策文件和办事指南，打通政务公开“最后一公里”。",
)

ON_REQUEST: tuple[str, ...] = (
    "严格按照《条例》规定的程序和时限办理政府信息公开申请，做到登记、审核、答复、送达、归档全流程规范。",
    "进一步完善依申请公开工作机制，明确受理、承办、审核等各环节责任，提高答复质量。",
    "对申请人提出的申请，认真研判申请内容，依法依规作出答复，并告知救济途径。",
    "加强与申请人的沟通，对申请内容不明确的，及时一次性告知补正事项。",
    "畅通信函、网络、当面等申请渠道，在门户网站公布依申请公开受理机构、地址和联系方式。",
    "规范答复文书格式，做到答复依据充分、说理清楚、告知完整。",
    "建立依申请公开台账，对每一件申请实行全程跟踪管理，确保在法定期限内答复。",
    "注重从申请事项中分析群众关注热点，对具有普遍性的信息及时转为主动公开。",
    "对涉及第三方权益的申请，依法征求第三方意见，兼顾各方合法权益。",
    "组织业务人员学习依申请公开答复规范，提升依法答复能力。",
)

MANAGEMENT: tuple[str, ...] = (
    "严格落实政府信息公开保密审查制度，坚持“先审查、后公开”和“一事一审”原则。",
    "对本机关制发的规范性文件开展清理，在门户网站集中公开现行有效的规范性文件。",
    "建立健全信息发布“三审三校”机制，从严把好政治关、法律关、政策关、保密关、文字关。",
    "动态调整主动公开基本目录，结合职能变化及时更新公开事项。",
    "规范政府信息公开属性认定，在公文办理环节同步明确公开方式。",
    "做好政府信息公开指南的修订工作，方便公众了解公开方式和申请流程。",
    "加强历史信息的梳理归档，对过时失效信息及时标注或清理，确保信息准确有效。",
    "落实政府信息公开工作台账制度，对公开信息实行分类管理。",
    "加强个人信息保护，发布前对涉及个人隐私的内容进行脱敏处理。",
    "做好政策文件与解读材料同步组织、同步审签、同步部署。",
    "开展已公开信息自查，对错链、断链和内容不规范的问题及时整改。",
    "严格执行信息发布登记制度，做到发布有记录、审核有签字、责任可追溯。",
)

PLATFORM: tuple[str, ...] = (
    "依托{portal}政府信息公开专栏，规范设置机构信息、政策文件、{topic1}等栏目，提升信息查阅便利度。",
    "加强政务新媒体管理，坚持常态化更新，及时推送政策信息和工作动态。",
    "按照政府网站与政务新媒体检查指标要求开展常态化自查，及时整改发现的问题。",
    "完善政府信息公开专栏栏目设置，统一信息发布格式，做到分类科学、查找便捷。",
    "加强网站安全防护，落实网络安全责任制，确保平台安全稳定运行。",
    "优化站内检索功能，方便公众快速查找所需政府信息。",
    "在办公场所设置政务公开查阅点，为群众提供政府信息查阅服务。",
    "发挥政务服务热线和网上留言渠道作用，及时回应群众咨询。",
    "推进政务公开专区建设，提供政策咨询、信息查询等服务。",
    "积极运用短视频、图解等形式发布信息，增强信息传播效果。",
    "规范政务新媒体信息发布和互动交流，确保发布内容权威准确。",
    "对栏目内容进行全面梳理，对长期未更新的栏目进行整合优化。",
)

OVERSIGHT: tuple[str, ...] = (
    "成立由主要负责同志任组长、分管负责同志任副组长的政务公开工作领导小组，明确专人负责日常工作。",
    "将政务公开工作纳入年度目标考核，与业务工作同部署、同落实、同检查。",
    "组织开展政务公开业务培训，提高工作人员的业务能力和依法公开意识。",
    "主动接受社会监督，在门户网站公布监督电话，认真处理群众意见建议。",
    "定期开展政务公开工作自查，对发现的问题建立台账、限期整改。",
    "落实政务公开工作责任制，做到主要领导亲自抓、分管领导具体抓、专人负责落实。",
    "积极参加上级组织的政务公开业务培训，及时传达学习上级有关工作要求。",
    "建立政务公开工作通报制度，对工作推进情况进行督促检查。",
    "把政务公开工作列入重要议事日程，专题研究部署年度工作任务。",
    "配齐配强政务公开工作人员，保障工作经费，确保工作有序开展。",
)
OVERSIGHT_GOVERNMENT = ("将政务公开工作纳入{area}综合考核，组织开展社会评议，本年度未发生因政府信息公开工作"
                        "被责任追究的情况。")

SUBITEMS: tuple[tuple[str, ...], ...] = (
    ("主动公开", "主动公开情况", "主动公开方面"),
    ("依申请公开", "依申请公开情况", "依申请公开方面"),
    ("政府信息管理", "政府信息管理情况", "政府信息管理方面"),
    ("政府信息公开平台建设", "政府信息公开平台建设情况", "政府信息公开平台建设方面"),
    ("监督保障", "监督保障情况", "监督保障方面"),
)
PAREN_NUMERALS = ("（一）", "（二）", "（三）", "（四）", "（五）", "（六）")


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

PROBLEMS_AND_MEASURES: tuple[tuple[str, str], ...] = (
    ("政务公开工作人员多为兼职，业务能力有待进一步提升",
     "加强业务培训，组织工作人员系统学习《条例》及相关规定，提升业务水平"),
    ("主动公开的深度和广度还不够，{topic1}等领域信息公开不够细化",
     "围绕{topic1}、{topic2}等重点领域进一步细化公开内容，拓展公开深度"),
    ("政策解读形式较为单一，图解、视频等多样化解读较少",
     "丰富政策解读形式，更多运用图表图解、音视频等方式开展解读"),
    ("信息发布的时效性有待加强，个别栏目更新不够及时",
     "建立信息发布提醒机制，确保各栏目内容及时更新"),
    ("依申请公开答复的规范性有待进一步提高",
     "规范依申请公开办理流程，严格按照法定时限和文书格式答复"),
    ("政务新媒体互动回应不够及时，与群众的互动交流有待加强",
     "加强政务新媒体日常管理，提高互动回应的时效和质量"),
    ("公开内容与群众需求结合不够紧密，信息的实用性有待提升",
     "加强调查研究，聚焦群众关心关注的问题，提高公开信息的实用性"),
    ("政府信息管理还不够精细，历史信息清理不够及时",
     "定期开展已公开信息的梳理清理，确保信息准确有效"),
    ("政务公开宣传力度不够，群众对政府信息公开渠道的知晓度不高",
     "加大政务公开宣传力度，提高群众对公开渠道的知晓度"),
    ("部分股室对政务公开工作重视程度不够，主动提供公开信息的意识不强",
     "压实各股室公开责任，将信息报送情况纳入内部考核"),
    ("公开平台栏目设置与标准目录的衔接还不够紧密",
     "对照标准目录优化栏目设置，做到栏目规范、内容对应"),
    ("规范性文件清理和公开的动态更新机制还不够健全",
     "健全规范性文件动态更新机制，及时公开清理结果"),
    ("政策解读质量不高，存在简单重复文件内容的情况",
     "提高政策解读质量，突出解读重点，增强解读的针对性"),
    ("回应社会关切的主动性不够，对热点问题的解答不够深入",
     "完善回应关切工作机制，对热点问题及时发声、准确解答"),
    ("政务公开工作监督考核机制还需进一步完善",
     "完善监督考核机制，将政务公开纳入年度目标考核"),
)
ORDINALS = ("一是", "二是", "三是", "四是")


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
