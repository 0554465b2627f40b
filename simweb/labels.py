"""How a region's site names its 年报 navigation: the 年报 column, the unit groups, the year folders.

Real county sites do not agree on these words, and a crawler that recognises a few of them only
finds the reports behind those few (issue 10: a group labelled 「县政府部门」 matched no pattern and
its 35 reports were never requested).  So every region draws its own set, once, from the labels seen
on real sites; the set is the site's, whatever CMS serves it, and every page of the site uses it: the
portal (unit directory sections, central year and group links, the unit page's 年报 link), column
headings and breadcrumbs.

Pools are evidence only; each entry says where it was seen (site-archetypes.md §§, report-format.md
§6, /work/shared/real-reports excerpts by number, issue 10).  `{level}` is the region's 县 or 区.
Some labels only fit one level: a 区 names its towns 街道, a 县 its 乡镇.

Drawn from `Region.rng("labels")`: the same seed gives the same labels in every process, and the
draw shifts no other choice of the world.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from simweb.seeding import seeded_rng

# (label template, levels it fits) — levels "" means both.
GROUP_POOLS: dict[str, tuple[tuple[str, str], ...]] = {
    "gov": (
        ("本级政府", ""),  # report-format §6 「本级政府 / 部门 / 乡镇(街道)」; site-archetypes §2.1
        ("{level}政府", ""),  # §2.1 group slug `qzf` (区政府); 重庆 `qzf_` channels (§1.3)
        ("{level}本级", ""),  # §2.1 广州 `sbj` (市本级)
        ("{level}级", ""),  # 富县 `/zfxxgk/zfxxgknb/xj/` (县级), real-reports excerpt 046
    ),
    "bm": (
        ("部门", ""),  # §5 A1: directory sections 部门 and 乡镇街道
        ("{level}政府部门", ""),  # issue 10 (「县政府部门」); 重庆 `qzfbm_` = 区政府部门 (§1.3)
        ("{level}政府工作部门", ""),  # 深圳龙岗 `qzfgzbm` (report-format §6); 耀州 `nbqzfgzbm` (excerpt 024)
        ("{level}直部门", ""),  # 城厢 `2023nzfxxgkndbg/qzbm/` = 区直部门 (§2.1)
        ("{level}直单位", ""),  # 「市直单位」 of county-level cities (issue 10 brief); the 县/区 form
        ("部门年报", ""),  # 杨凌 `gknb/bmnb` 公开年报/部门年报 (report-format §6, excerpt 017); 甘州 `bmnb2023` (excerpt 037)
        ("部门政务公开", ""),  # 宁波江北 「信息公开部门目录 > 部门政务公开」 (§2.1)
        ("部门公开信息", ""),  # 江西 「部门公开信息 > 科教文卫体部门 > 县卫健委」 (§1.8)
        ("工作部门", ""),  # 吉林/舒兰 `gzbm` channels (§1.3, excerpt 066)
    ),
    "xzjd": (
        ("乡镇街道", ""),  # §5 A1 directory section; Hanweb 「政务公开 > 乡镇街道 > 下各镇」 (§1.1)
        ("乡镇（街道）", ""),  # report-format §6 「乡镇(街道)」
        ("镇街", ""),  # 白云 `zj` = 镇街 (§1.4); 重庆 `qzfjz_` = 镇街 (§1.3)
        ("街道", "区"),  # 海珠 `/zwgk/zfxxgknb/jd/` (§1.4, excerpt 030)
        ("街道办事处", "区"),  # 长春南关 `ngqztjdbsc` (§1.3); issue 10 brief
        ("乡镇", "县"),  # 南漳 `gknb/nbzl/xz` (excerpt 061); VSB 云南 sites
        ("乡镇年报", ""),  # issue 10 brief; the 杨凌 `bmnb` counterpart
        ("乡镇信息公开", ""),  # 江西 「乡镇信息公开 > 吉村镇政府 > 年度报告」 (§1.8, §2.1)
        ("街乡镇", "区"),  # Beijing districts' 街乡镇 sub-trees (§1.9, §6)
    ),
}

# The 年报 column's own name (site-archetypes §2.2 "Column labels", all ten).
COLUMN_POOL: tuple[str, ...] = (
    "政府信息公开年报",
    "政府信息公开工作年度报告",
    "政府信息公开年度报告",
    "政府信息公开年度报告专栏",
    "信息公开年报",
    "信息公开年度报告",
    "信息公开工作年度报告",
    "年度报告",
    "公开年报",
    "政府信息公开年度工作报告",
    "年报",
)

# How a year folder is named in links and breadcrumbs (§2.2 "Year folders": `2023`, `2023n`,
# `2018nb`, `2023nzfxxgkndbg`; 「2023年度」 in Hanweb 年报查询 boxes and central columns (§1.1);
# 「2018年」 tabs on 平昌 (§1.6)).
YEAR_POOL: tuple[str, ...] = ("{y}年度", "{y}年", "{y}", "{y}年报", "{y}年政府信息公开年度报告")


@dataclass(frozen=True)
class Labels:
    """One site's words for its 年报 navigation."""

    groups: dict[str, str]  # gov | bm | xzjd → the group's name (directory section, central sub-column)
    column: str  # the 年报 column's name (unit pages, the 政府信息公开 page, the central root)
    year_style: str  # a YEAR_POOL template

    def year(self, year: int) -> str:
        return self.year_style.format(y=year)

    def to_json(self) -> dict[str, Any]:
        return {"groups": dict(self.groups), "column": self.column, "year": self.year_style}


def fits(level: str, only: str) -> bool:
    return not only or only == level


@lru_cache(maxsize=4096)
def labels_for(seed: int, level: str) -> Labels:
    """The labels of a region with this seed and level (县 | 区)."""
    rng = seeded_rng(seed, "labels")
    groups = {
        group: rng.choice([t for t, only in pool if fits(level, only)]).format(level=level)
        for group, pool in GROUP_POOLS.items()
    }
    return Labels(groups=groups, column=rng.choice(COLUMN_POOL), year_style=rng.choice(YEAR_POOL))
