"""Name tables for fictional regions, departments and townships.

Real county sites name units in a few stable ways (site-archetypes.md §2.3, §5 A2): a full name
(青川县商务局), a county-prefixed short form used in titles (县商务局), a bare short form used in
unit directories (商务局), and a pinyin-initial slug used in paths (swj).  The tables below carry
those forms explicitly so generated paths and titles look like the real ones without a pinyin
library.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DeptName:
    full: str  # name after the region prefix, e.g. "人力资源和社会保障局"
    short: str  # common abbreviation, e.g. "人社局"
    slug: str  # pinyin initials used in paths, e.g. "rsj"


# Roughly the order in which county portals list their departments.  The government office comes
# first because it also publishes its own report besides compiling the government's.
DEPARTMENTS: tuple[DeptName, ...] = (
    DeptName("人民政府办公室", "政府办", "zfb"),
    DeptName("发展和改革局", "发改局", "fgj"),
    DeptName("教育局", "教育局", "jyj"),
    DeptName("科学技术局", "科技局", "kjj"),
    DeptName("工业和信息化局", "工信局", "gxj"),
    DeptName("公安局", "公安局", "gaj"),
    DeptName("民政局", "民政局", "mzj"),
    DeptName("司法局", "司法局", "sfj"),
    DeptName("财政局", "财政局", "czj"),
    DeptName("人力资源和社会保障局", "人社局", "rsj"),
    DeptName("自然资源局", "自然资源局", "zrzyj"),
    DeptName("住房和城乡建设局", "住建局", "zjj"),
    DeptName("交通运输局", "交通运输局", "jtysj"),
    DeptName("水利局", "水利局", "slj"),
    DeptName("农业农村局", "农业农村局", "nyncj"),
    DeptName("商务局", "商务局", "swj"),
    DeptName("文化和旅游局", "文旅局", "wlj"),
    DeptName("卫生健康局", "卫健局", "wjj"),
    DeptName("退役军人事务局", "退役军人局", "tyjrswj"),
    DeptName("应急管理局", "应急局", "yjglj"),
    DeptName("审计局", "审计局", "sjj"),
    DeptName("市场监督管理局", "市场监管局", "scjgj"),
    DeptName("统计局", "统计局", "tjj"),
    DeptName("医疗保障局", "医保局", "ybj"),
    DeptName("林业局", "林业局", "lyj"),
    DeptName("信访局", "信访局", "xfj"),
    DeptName("政务服务管理局", "政务服务局", "zwfwj"),
    DeptName("城市管理局", "城管局", "cgj"),
    DeptName("乡村振兴局", "乡村振兴局", "xczxj"),
    DeptName("民族宗教事务局", "民宗局", "mzzjj"),
    DeptName("投资促进局", "投促局", "tcj"),
    DeptName("数据资源管理局", "数据局", "sjzyj"),
    DeptName("机关事务服务中心", "机关事务中心", "jgswzx"),
    DeptName("粮食和物资储备局", "粮储局", "lcj"),
    DeptName("体育局", "体育局", "tyj"),
    DeptName("档案馆", "档案馆", "dag"),
    DeptName("地方金融监督管理局", "金融局", "jrj"),
    DeptName("国有资产监督管理局", "国资局", "gzj"),
    DeptName("人民防空办公室", "人防办", "rfb"),
    DeptName("生态环境分局", "生态环境分局", "sthjfj"),
    DeptName("气象局", "气象局", "qxj"),
    DeptName("供销合作社联合社", "供销社", "gxs"),
    DeptName("融媒体中心", "融媒体中心", "rmtzx"),
    DeptName("残疾人联合会", "残联", "cl"),
    DeptName("消防救援大队", "消防大队", "xfjydd"),
    DeptName("税务局", "税务局", "swuj"),
    DeptName("经济开发区管理委员会", "经开区管委会", "jkqgwh"),
    DeptName("行政审批局", "行政审批局", "xzspj"),
    DeptName("综合行政执法局", "综合执法局", "zhxzzfj"),
    DeptName("住房公积金管理中心", "公积金中心", "gjjzx"),
    DeptName("不动产登记中心", "不动产中心", "bdczx"),
    DeptName("社会保险事业管理局", "社保局", "sbj"),
    DeptName("水务局", "水务局", "swj2"),
    DeptName("畜牧兽医局", "畜牧局", "xmj"),
    DeptName("文物局", "文物局", "wwj"),
    DeptName("总工会", "总工会", "zgh"),
    DeptName("妇女联合会", "妇联", "fl"),
    DeptName("科学技术协会", "科协", "kx"),
    DeptName("工商业联合会", "工商联", "gsl"),
    DeptName("红十字会", "红十字会", "hszh"),
    DeptName("交通运输综合行政执法大队", "交通执法大队", "jtzfdd"),
    DeptName("自然资源执法监察大队", "国土执法大队", "gtzfdd"),
)

# Characters for place names, with the pinyin initial used to build path slugs.
PLACE_CHARS: tuple[tuple[str, str], ...] = tuple(
    (c, i)
    for c, i in (
        ("青", "q"), ("川", "c"), ("木", "m"), ("场", "c"), ("石", "s"), ("桥", "q"), ("河", "h"),
        ("山", "s"), ("阳", "y"), ("城", "c"), ("东", "d"), ("西", "x"), ("南", "n"), ("北", "b"),
        ("新", "x"), ("安", "a"), ("平", "p"), ("林", "l"), ("江", "j"), ("湖", "h"), ("溪", "x"),
        ("龙", "l"), ("凤", "f"), ("金", "j"), ("银", "y"), ("马", "m"), ("牛", "n"), ("白", "b"),
        ("黄", "h"), ("红", "h"), ("柳", "l"), ("杨", "y"), ("桃", "t"), ("花", "h"), ("松", "s"),
        ("竹", "z"), ("梅", "m"), ("兰", "l"), ("泉", "q"), ("水", "s"), ("田", "t"), ("庄", "z"),
        ("坪", "p"), ("岭", "l"), ("岗", "g"), ("塘", "t"), ("口", "k"), ("坝", "b"), ("渡", "d"),
        ("关", "g"), ("堡", "b"), ("寨", "z"), ("营", "y"), ("铺", "p"), ("集", "j"), ("店", "d"),
        ("沟", "g"), ("岩", "y"), ("峰", "f"), ("云", "y"), ("星", "x"), ("泰", "t"), ("丰", "f"),
        ("福", "f"), ("宁", "n"), ("和", "h"), ("兴", "x"), ("盛", "s"), ("华", "h"), ("昌", "c"),
        ("隆", "l"), ("永", "y"), ("清", "q"), ("德", "d"), ("仁", "r"), ("义", "y"), ("文", "w"),
        ("武", "w"), ("乐", "l"), ("康", "k"), ("寿", "s"), ("吉", "j"), ("庆", "q"), ("太", "t"),
        ("明", "m"), ("光", "g"), ("荣", "r"), ("高", "g"), ("双", "s"), ("古", "g"), ("三", "s"),
        ("九", "j"), ("潭", "t"), ("湾", "w"), ("洲", "z"), ("滩", "t"), ("陵", "l"), ("峪", "y"),
    )
)

PROVINCES: tuple[str, ...] = ("江南省", "云岭省", "河东省", "岭西省", "湘中省", "淮北省")
"""Fictional provinces: the higher-level reports reposted in county lists name one of these."""

_INITIAL = dict(PLACE_CHARS)


def initials(name: str) -> str:
    """The pinyin initials of a generated place name (青川县 → "qc"): the letters path slugs are
    built from (大余县 /dyxxxgk/, 大兴区 dxqzf69).  Characters outside PLACE_CHARS add nothing."""
    return "".join(_INITIAL.get(c, "") for c in name)


def site_code(name: str, level: str) -> str:
    """A county's site code as Jiangsu platforms build them: the pinyin initials of the place name
    plus x (县) or q (区), as 如皋市 is `rgs` in `/rgsrsj/` (如皋市人社局) and 南通市 `nts` in `/ntsjyj/`."""
    place = name.removesuffix(level)
    return "".join(_INITIAL.get(c, "x") for c in place) + ("x" if level == "县" else "q")
