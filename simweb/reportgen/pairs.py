"""Pairs of reports that together show a rule no single report can: copied text, broken carry-over."""

from __future__ import annotations

import random

from monitor.formats import T3_TOTAL_COL

from .agencies import random_agency, sibling_agency
from .generate import build
from .spec import ReportSpec

PAIR_RULES = ("content.copied", "crossyear.carry", "crossyear.valid_count")


def make_pair(seed: int, *, rule: str, agency: str | None = None, kind: str = "department", year: int = 2023,
              size: str = "typical", variant: str = "agency") -> tuple[ReportSpec, ReportSpec]:
    """(first, second): each clean on its own; together they show `rule`, recorded in the second's
    `defects` (its `expected_rules` stay empty: the rule needs both documents).

    content.copied, variant 'agency': the second is another agency of the same kind and year
    (the same department of another county) whose narrative is the first's, re-filled with its own
    name and numbers.  Variant 'year': the same agency's report for `year` copies its report for
    `year - 1`.
    crossyear.carry: the agency's reports for `year - 1` and `year`; the second's 二、上年结转 exceeds
    the first's 结转下年度继续办理 by 1–3 (自然人 and 总计), balanced by as many more 予以公开 cases.
    crossyear.valid_count: the agency's 2021-layout reports for `year - 1` and `year`; the second's
    行政规范性文件 现行有效 is 1–3 above last year's 现行有效 + 本年制发 − 本年废止.
    (No sentence of the narrative states these counts when the tables are there, so the edit keeps the
    text true.)  Two reports of one agency in consecutive years otherwise carry 现行有效 on exactly.
    """
    if rule not in PAIR_RULES:
        raise ValueError(f"make_pair knows {PAIR_RULES}, not {rule!r}")
    if variant not in ("agency", "year"):
        raise ValueError(f"variant must be 'agency' or 'year', not {variant!r}")
    rng = random.Random(f"{seed}|pair|{rule}|{variant}")
    agency = agency or random_agency(random.Random(f"{seed}|agency|{kind}"), kind)
    common = dict(kind=kind, format=None, defects=(), size=size)
    if rule == "content.copied":
        if variant == "agency":
            first = build(seed, agency=agency, year=year, narrative_seed=seed, **common)
            other = sibling_agency(rng, agency, kind)
            second = build(seed + 1, agency=other, year=year, narrative_seed=seed, **common)
        else:
            first = build(seed, agency=agency, year=year - 1, narrative_seed=seed, **common)
            second = build(seed + 1, agency=agency, year=year, narrative_seed=seed, **common)
        second.details["content.copied"] = {"source": (first.agency, first.year)}
    elif rule == "crossyear.valid_count":
        first = build(seed, agency=agency, year=year - 1, **common)
        second = build(seed + 1, agency=agency, year=year, **common)
        if first.format != "2021" or second.format != "2021":
            raise ValueError("crossyear.valid_count needs the 2021 table 二 in both years (report year 2022 or later)")
        # numbers.make_t2 carries 现行有效 on from year to year (in_force_normative): break it by `shift`
        shift = rng.randint(1, 3)
        second.t2["art20_1"]["normative"][2] += shift
        second.details["crossyear.valid_count"] = {"row": "normative", "shift": shift,
                                                   "previous_in_force": first.t2["art20_1"]["normative"][2]}
    else:
        first = build(seed, agency=agency, year=year - 1, **common)
        if not first.t3:
            raise ValueError("crossyear.carry needs table 三 in both years (report year 2020 or later)")
        shift = rng.randint(1, 3)

        def more_carried(t3: dict) -> None:
            for key in ("carried", "r1", "total"):
                t3[key][0] += shift
                t3[key][T3_TOTAL_COL] += shift

        second = build(seed + 1, agency=agency, year=year, tweak_t3=more_carried, **common)
        second.details["crossyear.carry"] = {"carried": second.t3["carried"][T3_TOTAL_COL],
                                             "previous_carry_next": first.t3["carry_next"][T3_TOTAL_COL]}
    second.defects = (rule,)
    return first, second

