"""Agency names by the naming rule alone: cleaning, telling an agency from another government,
expanding short names (区商务局 → 青川县商务局), the kind of agency, abbreviations, the region.

No unit directory is needed here; `Directory` builds on these rules.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

CJK = "\u4e00-\u9fff"

# A place name with its level at the start of a name: 红金市, 河北省, 广西壮族自治区, 宁田县.
PLACE_PREFIX = re.compile(rf"^[{CJK}]{{2,8}}?(?:省|自治区|自治州|市|州|盟|地区|县|区|旗)")
# Zones and bodies whose names end in 区 without being another government.
ZONE_WORDS = re.compile(r"管委会|管理委员会|开发区|经开区|高新区|新区|园区|景区|工业区|保税区")
TOWNSHIP = re.compile(rf"^([{CJK}]{{1,8}}?)(镇|乡|街道|苏木)(人民政府|政府|办事处|办)?$")
AGENCY_END = re.compile(
    r"(局|委|办|室|政府|办事处|街道|镇|乡|苏木|中心|所|馆|院|会|站|队|处|社|台|委员会|分局|县|区|市|旗)$"
)
LEVEL_CHARS = "县区市旗"


def clean_name(text: str) -> str:
    """An agency name without spaces, quotes or decoration."""
    return re.sub(r"[\s\u3000\xa0《》「」“”\"'()（）]", "", text or "")


def looks_like_agency(name: str) -> bool:
    return 2 <= len(name) <= 40 and bool(AGENCY_END.search(name)) and not re.search(r"\d|首页|年报|信息公开|网站|目录|栏目", name)


def is_foreign(name: str, region: str | None) -> bool:
    """True when `name` is another government (or one of its bodies): 红金市, 河北省, 宁田县商务局.
    Short forms (区商务局, 商务局, 木场镇) and zones (经开区管委会) are not foreign."""
    if not region or not name:
        return False
    name = clean_name(name)
    if region in name or name in (f"{region}人民政府",) or name[0] in LEVEL_CHARS:
        return False
    m = PLACE_PREFIX.match(name)
    return bool(m) and not ZONE_WORDS.search(name)


def expand_name(name: str, region: str | None) -> str:
    """The full name by the naming rule when no directory knows better: 区商务局/商务局 → 青川县商务局,
    木场镇 → 青川县木场镇人民政府, 城关街道 → 青川县城关街道办事处, 县政府 → 青川县人民政府."""
    name = clean_name(name)
    if not region or not name:
        return name
    level = region[-1]
    if region in name:
        name = name[name.index(region) + len(region) :]
        if name in ("", "政府", "人民政府"):
            return f"{region}人民政府"
    elif is_foreign(name, region):
        return name
    elif name in (f"{level}政府", f"{level}人民政府", "政府", "人民政府"):
        return f"{region}人民政府"
    elif name[0] == level and len(name) > 2:
        name = name[1:]
    m = TOWNSHIP.match(name)
    if m:
        suffix = "办事处" if m.group(2) == "街道" else "人民政府"
        return f"{region}{m.group(1)}{m.group(2)}{suffix}"
    return f"{region}{name}"


def agency_kind(name: str, region: str | None = None) -> str:
    """government (the region's 人民政府 itself) | township (乡镇/街道) | department (the rest)."""
    name = clean_name(name)
    if re.search(r"(镇|乡|街道|苏木)(人民政府|政府|办事处|办)?$", name):
        return "township"
    if name.endswith("人民政府") or (region and name in (region, f"{region}政府")):
        if region is None or name in (f"{region}人民政府", region, f"{region}政府"):
            return "government"
    return "department"


def is_abbreviation(short: str, full: str) -> bool:
    """人社局 ⊂ 人力资源和社会保障局, 政府办 ⊂ 人民政府办公室: an in-order subsequence ending in the tail."""
    if len(short) < 2 or short == full or short[-1] not in full[-3:]:
        return False
    it = iter(full)
    return all(ch in it for ch in short)


def infer_region(texts: Iterable[str]) -> str | None:
    """The region's name from page texts such as 「青川县人民政府门户网站」 (the most frequent one)."""
    counts: Counter[str] = Counter()
    for text in texts:
        for m in re.finditer(rf"([{CJK}]{{2,8}}?(?:自治县|自治旗|县|区|市|旗))人民政府", text or ""):
            counts[m.group(1)] += 1
    return counts.most_common(1)[0][0] if counts else None
