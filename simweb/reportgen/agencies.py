"""Agency names and the words a report uses to refer to its agency.

Real reports refer to themselves as 我局 / 我委 / 我办 / 我镇 / 我县 and to their area as 全县 /
全区 / 全镇; a 局 report that says 全镇 was copied from a township (seed 002).  Everything here is
derived from the agency's full name, so a caller-supplied name gets consistent wording too.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

# (city, county-level unit).  Districts are named with their city prefix, as their sites do
# ("广元市利州区审计局"); counties stand alone ("青川县商务局").
PLACES: tuple[tuple[str, str], ...] = (
    ("广元市", "青川县"), ("广元市", "利州区"), ("攀枝花市", "西区"), ("周口市", "西华县"),
    ("洛阳市", "瀍河回族区"), ("临汾市", "尧都区"), ("南通市", "海门区"), ("淮安市", "洪泽区"),
    ("宿迁市", "沭阳县"), ("杭州市", "余杭区"), ("温州市", "乐清市"), ("武威市", "凉州区"),
    ("铜川市", "耀州区"), ("株洲市", "攸县"), ("延安市", "富县"), ("安康市", "平利县"),
    ("天水市", "甘谷县"), ("南昌市", "进贤县"), ("恩施州", "来凤县"), ("铜陵市", "郊区"),
    ("赣州市", "兴国县"), ("临夏州", "永靖县"), ("贵阳市", "开阳县"), ("襄阳市", "南漳县"),
    ("济宁市", "微山县"), ("荆门市", "京山市"), ("九江市", "湖口县"), ("张掖市", "甘州区"),
    ("大同市", "天镇县"), ("宝鸡市", "凤县"), ("台州市", "仙居县"), ("衢州市", "龙游县"),
    ("绍兴市", "越城区"), ("重庆市", "荣昌区"), ("莆田市", "城厢区"), ("咸宁市", "咸安区"),
    ("吉林市", "舒兰市"), ("朔州市", "怀仁市"), ("南京市", "高淳区"), ("怀化市", "鹤城区"),
    ("岳阳市", "平江县"), ("邯郸市", "肥乡区"), ("宜宾市", "屏山县"), ("遵义市", "湄潭县"),
    ("曲靖市", "陆良县"), ("桂林市", "阳朔县"), ("赤峰市", "宁城县"), ("商丘市", "柘城县"),
    ("聊城市", "茌平区"), ("盐城市", "建湖县"), ("六安市", "霍山县"), ("抚州市", "南丰县"),
    ("梅州市", "蕉岭县"), ("玉林市", "博白县"), ("保定市", "涞源县"), ("黄冈市", "英山县"),
)

# (department name, short self-reference, topic key)
DEPARTMENTS: tuple[tuple[str, str, str], ...] = (
    ("商务局", "我局", "commerce"), ("审计局", "我局", "audit"), ("卫生健康局", "我局", "health"),
    ("卫生健康委员会", "我委", "health"), ("教育局", "我局", "education"), ("财政局", "我局", "finance"),
    ("人力资源和社会保障局", "我局", "labour"), ("自然资源局", "我局", "land"),
    ("住房和城乡建设局", "我局", "housing"), ("交通运输局", "我局", "transport"),
    ("农业农村局", "我局", "agriculture"), ("水利局", "我局", "water"),
    ("市场监督管理局", "我局", "market"), ("民政局", "我局", "civil"), ("司法局", "我局", "justice"),
    ("文化和旅游局", "我局", "culture"), ("应急管理局", "我局", "emergency"), ("统计局", "我局", "statistics"),
    ("医疗保障局", "我局", "medical_insurance"), ("退役军人事务局", "我局", "veterans"),
    ("林业局", "我局", "forestry"), ("发展和改革局", "我局", "development"),
    ("发展和改革委员会", "我委", "development"), ("科学技术局", "我局", "science"),
    ("工业和信息化局", "我局", "industry"), ("城市管理局", "我局", "urban"),
    ("政务服务和大数据管理局", "我局", "services"), ("信访局", "我局", "petitions"),
    ("人民政府办公室", "我办", "office"), ("生态环境分局", "我局", "environment"),
)

TOWNS: tuple[str, ...] = (
    "乔庄", "青溪", "木鱼", "东河", "城关", "桃园", "长河", "良村", "两城", "常太", "河包", "冯三", "武安",
    "中埠", "永安", "正阳", "底张", "北杜", "厚桥", "东湖", "官洲", "二郎", "张义", "横山", "白塔", "新集",
    "黄坪", "石门", "沙河", "柳林", "龙泉", "清水", "马鞍", "双桥", "金山", "花园", "杨柳", "古城",
)

TOPICS: dict[str, tuple[str, ...]] = {
    "commerce": ("稳外贸稳外资", "促进消费", "招商引资", "电子商务进农村", "市场保供"),
    "audit": ("审计结果公告", "经济责任审计", "审计整改", "财政收支审计", "政府投资项目审计"),
    "health": ("疫苗接种", "医疗机构监管", "公共卫生服务", "健康促进", "院前急救"),
    "education": ("招生入学", "教育收费", "校园安全", "教师招聘", "学生资助"),
    "finance": ("预决算公开", "惠民惠农财政补贴", "政府债务", "政府采购", "财政资金直达"),
    "labour": ("就业创业", "社会保险", "根治欠薪", "职业技能培训", "人才引进"),
    "land": ("土地征收", "国土空间规划", "不动产登记", "矿业权出让", "耕地保护"),
    "housing": ("保障性住房", "老旧小区改造", "建筑市场监管", "房地产市场", "城镇燃气安全"),
    "transport": ("农村公路建设", "道路运输许可", "交通执法", "公交服务", "工程招投标"),
    "agriculture": ("惠农补贴", "高标准农田建设", "农产品质量安全", "乡村振兴", "动物防疫"),
    "water": ("河长制", "水利工程建设", "防汛抗旱", "农村饮水安全", "水资源管理"),
    "market": ("食品安全抽检", "双随机、一公开", "市场主体登记", "特种设备安全", "价格监管"),
    "civil": ("社会救助", "养老服务", "殡葬管理", "婚姻登记", "社会组织管理"),
    "justice": ("法治宣传", "公共法律服务", "人民调解", "行政复议", "社区矫正"),
    "culture": ("公共文化服务", "文物保护", "旅游市场监管", "文化市场执法", "非遗保护"),
    "emergency": ("安全生产", "防灾减灾", "应急救援", "危险化学品监管", "森林防火"),
    "statistics": ("统计数据发布", "经济普查", "统计执法", "统计调查制度", "统计分析"),
    "medical_insurance": ("医保待遇", "医保基金监管", "药品集中采购", "异地就医", "医保参保"),
    "veterans": ("优抚政策", "退役军人安置", "双拥工作", "褒扬纪念", "就业创业扶持"),
    "forestry": ("林长制", "森林资源保护", "林业有害生物防治", "国土绿化", "野生动植物保护"),
    "development": ("重大建设项目", "价格管理", "项目审批", "粮食储备", "节能审查"),
    "science": ("科技项目", "科技型企业培育", "科技成果转化", "科普工作", "人才引育"),
    "industry": ("工业经济运行", "中小企业发展", "技术改造", "数字经济", "节能降耗"),
    "urban": ("市容环境整治", "城市管理执法", "垃圾分类", "市政设施维护", "违法建设治理"),
    "services": ("政务服务事项", "一网通办", "营商环境", "公共资源交易", "数据共享"),
    "petitions": ("信访事项办理", "阳光信访", "矛盾纠纷化解", "信访法治化", "领导接访"),
    "office": ("政府常务会议", "重大决策", "政策解读", "人大建议和政协提案办理", "政务公开"),
    "environment": ("环境质量", "环评审批", "污染防治", "环境执法", "排污许可"),
    "government": ("重大建设项目", "财政预决算", "乡村振兴", "公共资源配置", "民生实事"),
    "township": ("村务公开", "惠民惠农补贴", "乡村振兴", "人居环境整治", "基层治理"),
}


@dataclass(frozen=True)
class AgencyWords:
    """How one agency's report refers to itself, its area and its superiors."""

    we: str  # 我局 / 我委 / 我办 / 我镇 / 我县
    area: str  # 全局 / 全镇 / 全县 …
    leaders: str  # 县委、县政府 / 镇党委、镇政府 …
    portal: str  # where the agency publishes
    topics: tuple[str, ...]
    short: str  # how the narrative names the agency (区商务局, 青溪镇, 县政府)


def random_agency(rng: random.Random, kind: str) -> str:
    city, county = rng.choice(PLACES)
    prefix = city + county if county.endswith("区") else county
    if kind == "government":
        return prefix + "人民政府"
    if kind == "township":
        town = rng.choice(TOWNS)
        suffix = rng.choice(("镇人民政府", "镇人民政府", "乡人民政府", "街道办事处"))
        return county + town + suffix
    name, _, _ = rng.choice(DEPARTMENTS)
    return prefix + name


def sibling_agency(rng: random.Random, agency: str, kind: str) -> str:
    """The same kind of agency elsewhere: the same department, town type or government of another
    county (what a report copied from a neighbour was written for)."""
    county = _county_part(agency)
    local = agency.split(county, 1)[1] if county and county in agency else agency
    while True:
        city, other = rng.choice(PLACES)
        if other == county:
            continue
        if kind == "township":
            return other + rng.choice(TOWNS) + next(
                (s for s in ("镇人民政府", "乡人民政府", "街道办事处") if local.endswith(s)), "镇人民政府")
        prefix = city + other if other.endswith("区") else other
        return prefix + ("人民政府" if kind == "government" else local)


def _county_part(agency: str) -> str:
    """The county-level unit inside a full agency name ('' when none is recognisable)."""
    for _, county in PLACES:
        if county in agency:
            return county
    for marker in ("县", "区", "市"):
        pos = agency.find(marker)
        if pos > 0:
            return agency[: pos + 1]
    return ""


def words_for(agency: str, kind: str) -> AgencyWords:
    county = _county_part(agency)
    level = county[-1] if county else "县"  # 县 / 区 / 市
    portal = f"{county or agency}人民政府门户网站"
    if kind == "government" or agency.endswith(f"{level}人民政府"):
        return AgencyWords(f"我{level}", f"全{level}", "市委、市政府", portal, TOPICS["government"],
                           f"{level}政府")
    if kind == "township":
        local = agency.split(county, 1)[1] if county else agency
        if "街道" in local:
            we, area, unit = "我街道", "辖区", "街道"
        elif "乡" in local:
            we, area, unit = "我乡", "全乡", "乡"
        else:
            we, area, unit = "我镇", "全镇", "镇"
        town = local.replace("人民政府", "").replace("办事处", "")
        return AgencyWords(we, area, f"{unit}党委、{unit}政府", portal, TOPICS["township"], town or agency)
    for name, we, topic in DEPARTMENTS:
        if agency.endswith(name):
            return AgencyWords(we, "全" + we[1:], f"{level}委、{level}政府", portal, TOPICS[topic],
                               level + name)
    return AgencyWords("我单位", "全单位", f"{level}委、{level}政府", portal, TOPICS["government"], "本单位")
