"""make_spec: one report's ground truth from a seed, with optional injected defects.

Order matters and is fixed: numbers first, then the defects that alter table values (so the
narrative, written next, cites the printed figures), then the narrative, then the defects that
remove or move things.  Separate random streams for numbers, text and defect targets keep a
defect from changing anything but what it targets.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import date

from monitor.formats import FORMATS, SECTION_NUMERALS, T3_TOTAL_COL, required_format

from . import defects as dfx
from . import narrative, numbers
from .agencies import random_agency, words_for
from .spec import FIRST_YEAR, KINDS, LABEL_STYLES, SIZES, ReportSpec

TABLE_NEEDS = {
    "table.negative": {"二"}, "table.non_numeric": {"二"},
    "identity.t3_balance": {"三"}, "identity.t3_total": {"三"}, "identity.t3_row": {"三"},
    "identity.t4_total": {"四"}, "text.table_mismatch": {"三", "sec一"},
    "structure.numbering": {"sec一"}, "content.problems_trivial": {"sec五"},
}
"""What a defect needs to stay visible: a table, or a section's body."""

SECTION_KEYS = ("sec一", "二", "三", "四", "sec五", "sec六")
"""What dropping section i removes (sections 二–四 carry their tables)."""
PRE2019_SECTION_KEYS = ("sec一", "old二", "old三", "old四", "old五", "sec五")
"""The same for an old-style report, whose problems section is the sixth."""


def title_of(agency: str, year: int) -> str:
    return f"{agency}{year}年政府信息公开工作年度报告"


def signing_date(rng: random.Random, kind: str, year: int) -> date:
    """A 落款 date after the year and before the usual deadline for this kind of agency."""
    if kind == "government" or year < 2019:
        return date(year + 1, rng.randint(1, 3), rng.randint(10, 25))
    return date(year + 1, 1, rng.randint(5, 28))


def _figures(year: int, t3: dict, t4: list, layout: str, published: int) -> dict:
    if not t3:  # pre2019: no table, the narrative's own numbers
        return {"year": year, "published": published}
    total = T3_TOTAL_COL

    def group(prefix: str) -> int:
        return sum(v[total] for k, v in t3.items() if k == prefix or k.startswith(prefix + "_"))

    return {
        "year": year, "published": published,
        "apps_new": t3["new"][total], "apps_carried": t3["carried"][total],
        "apps_done": t3["total"][total], "apps_carry_next": t3["carry_next"][total],
        "reviews": t4[4], "lawsuits": t4[9] + t4[14],
        "breakdown": {"予以公开": group("r1"), "部分公开": group("r2"), "不予公开": group("r3"),
                      "无法提供": group("r4"), "不予处理": group("r5"), "其他处理": group("r6")},
    }


def _pre2019_figures(rng: random.Random, year: int, size: str, published: int) -> dict:
    if size == "zero":
        new = 0
    else:
        new = rng.randint(1, 25) if size == "typical" else rng.randint(80, 1500)
    t4 = numbers.make_t4(rng, size)
    done = {"予以公开": 0, "部分公开": 0, "不予公开": 0, "无法提供": 0, "不予处理": 0}
    for k in rng.choices(list(done), (0.55, 0.1, 0.05, 0.25, 0.05), k=new):
        done[k] += 1
    return {"year": year, "published": published, "apps_new": new, "apps_carried": 0, "apps_done": new,
            "apps_carry_next": 0, "reviews": t4[4], "lawsuits": t4[9] + t4[14], "breakdown": done}


def _check_args(kind: str, size: str, year: int, layout: str, required: str, wanted: list[str]) -> None:
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    if size not in SIZES:
        raise ValueError(f"size must be one of {SIZES}, not {size!r}")
    if year < FIRST_YEAR:
        raise ValueError(f"no annual reports before {FIRST_YEAR}")
    for rule in wanted:
        if rule in dfx.MULTI_DOCUMENT:
            raise ValueError(f"{rule} involves two documents: use make_pair")
        if rule not in dfx.DEFECTS:
            raise ValueError(f"unknown defect {rule!r}")
    if layout != required and not (layout == "2019" and required == "2021"):
        raise ValueError(f"format {layout!r} cannot be written for a {year} report (requires {required!r})")
    if required == "pre2019" and set(wanted) - dfx.PRE2019_DEFECTS:
        raise ValueError(f"defects {sorted(set(wanted) - dfx.PRE2019_DEFECTS)} need a 2019+ report")
    if "format.outdated" in wanted and required != "2021":
        raise ValueError("format.outdated needs a report year of 2021 or later")
    if {"period.missing", "period.wrong"} <= set(wanted):
        raise ValueError("period.missing and period.wrong exclude each other")
    if "format.unknown" in wanted and len(set(wanted) & (set(TABLE_NEEDS) | {
            "table.missing", "table.blank", "table.incomplete", "format.outdated"}) - {
            "structure.numbering", "content.problems_trivial"}):
        raise ValueError("format.unknown leaves no table for the other table defects")


def make_spec(seed: int, *, agency: str | None = None, kind: str = "department", year: int = 2023,
              format: str | None = None, defects: Iterable[str] = (), size: str = "typical",
              labels: str = "official") -> ReportSpec:
    """One report of `agency` (default: drawn from the seed) for `year`, with `defects` injected and
    table row labels printed in the style `labels` (spec.LABEL_STYLES)."""
    if labels not in LABEL_STYLES:
        raise ValueError(f"labels must be one of {LABEL_STYLES}, not {labels!r}")
    spec = build(seed, agency=agency, kind=kind, year=year, format=format, defects=defects, size=size)
    spec.labels = labels
    return spec


def build(seed: int, *, agency: str | None, kind: str, year: int, format: str | None, defects: Iterable[str],
          size: str, narrative_seed: int | None = None, tweak_t3=None) -> ReportSpec:
    """make_spec with two hooks for make_pair: `narrative_seed` drives the wording alone (two
    reports sharing it read alike), and `tweak_t3(t3)` edits the clean table 三 before the
    narrative is written (it must keep the identities)."""
    wanted = list(dict.fromkeys(defects))
    required = required_format(year)
    layout = format or required
    _check_args(kind, size, year, layout, required, wanted)
    if layout != required or "format.outdated" in wanted:
        layout = "2019"
        if "format.outdated" not in wanted:
            wanted.append("format.outdated")
    agency = agency or random_agency(random.Random(f"{seed}|agency|{kind}"), kind)
    num_rng = random.Random(f"{seed}|{agency}|{year}|numbers")
    text_rng = random.Random(f"{seed}|{agency}|{year}|text" if narrative_seed is None
                             else f"{narrative_seed}|{kind}|shared-text")
    defect_rng = random.Random(f"{seed}|{agency}|{year}|defects")
    details: dict[str, dict] = {}
    companions: set[str] = set()

    published = numbers.published_items(num_rng, size)
    if layout == "pre2019":
        t2, t3, t4 = {}, {}, []
        figures = _pre2019_figures(num_rng, year, size, published)
    else:
        t2 = numbers.make_t2(num_rng, layout, agency, year, size)
        t3 = numbers.make_t3(num_rng, layout, agency, year, size)
        t4 = numbers.make_t4(num_rng, size)
        if tweak_t3 is not None:
            tweak_t3(t3)
        # ----- defects on values: before the narrative, which cites the printed figures
        if "table.negative" in wanted:
            details["table.negative"] = dfx.negative_cell(defect_rng, t2, layout)
        if "table.non_numeric" in wanted:
            taken = details.get("table.negative")
            for _ in range(20):
                probe = {b: {r: list(v) for r, v in rows.items()} for b, rows in t2.items()}
                info = dfx.non_numeric_cell(defect_rng, probe, layout)
                if not taken or (info["block"], info["row"], info["column"]) != (
                        taken["block"], taken["row"], taken["column"]):
                    t2 = probe
                    details["table.non_numeric"] = info
                    break
        if "identity.t3_balance" in wanted:
            details["identity.t3_balance"] = dfx.t3_balance(defect_rng, t3)
        if "identity.t3_total" in wanted:
            details["identity.t3_total"] = dfx.t3_total(defect_rng, t3, layout)
        if "identity.t3_row" in wanted:
            details["identity.t3_row"] = dfx.t3_row(defect_rng, t3, layout)
        if "identity.t4_total" in wanted:
            details["identity.t4_total"] = dfx.t4_total(defect_rng, t4)
        figures = _figures(year, t3, t4, layout, published)
    if "text.table_mismatch" in wanted:
        actual = figures["apps_new"]
        stated = actual + defect_rng.randint(1, 5) if actual < 3 or defect_rng.random() < 0.5 \
            else actual - defect_rng.randint(1, min(actual - 1, 5))
        figures["apps_new"] = stated
        details["text.table_mismatch"] = {"stated": stated, "table": actual}

    # ----- narrative
    ctx = narrative.Context(agency, kind, year, layout, words_for(agency, kind))
    period = (date(year, 1, 1), date(year, 12, 31))
    if "period.missing" in wanted:
        period = None
    elif "period.wrong" in wanted:
        period = (date(year, 1, 1), date(year + 1, 12, 31)) if defect_rng.random() < 0.7 \
            else (date(year - 1, 1, 1), date(year, 12, 31))
        details["period.wrong"] = {"stated": period}
    preamble = narrative.preamble(text_rng, ctx, period)
    if layout == "pre2019":
        sections = narrative.pre2019_sections(text_rng, ctx, figures)
    else:
        t2_text = narrative.t2_as_text(ctx, t2, layout) if "format.unknown" in wanted else None
        sections = narrative.sections(text_rng, ctx, figures, plain_numbering="structure.numbering" in wanted,
                                      t2_text=t2_text)
    if "content.problems_trivial" in wanted:
        five = 5 if layout == "pre2019" else 4
        n, h, _ = sections[five]
        sections[five] = (n, h, narrative.trivial_problems(defect_rng, ctx))

    # ----- defects on structure
    needs = set().union(*(TABLE_NEEDS.get(r, set()) for r in wanted))
    removed: set[str] = set()
    if "format.unknown" in wanted:
        t2, t3, t4, layout = {}, {}, [], "unknown"
    if "table.incomplete" in wanted:
        altered = {(d["block"], d["row"]) for r, d in details.items() if r in ("table.negative", "table.non_numeric")}
        table = defect_rng.choice(["二", "三"])
        details["table.incomplete"] = dfx.incomplete_rows(defect_rng, table, t2, t3, layout, altered)
        removed.add(table)
    for rule, choices in (("table.blank", ["三", "四"]), ("table.missing", ["二", "三", "四"])):
        if rule not in wanted:
            continue
        free = [t for t in choices if t not in needs | removed]
        if not free:
            raise ValueError(f"{rule}: every table is needed by another defect in {wanted}")
        table = defect_rng.choice(free)
        removed.add(table)
        details[rule] = {"table": table}
        if rule == "table.missing":
            t2, t3, t4 = (({} if table == "二" else t2), ({} if table == "三" else t3), ([] if table == "四" else t4))
        elif table == "三":
            t3 = {k: [""] * len(v) for k, v in t3.items()}
        else:
            t4 = [""] * len(t4)
    if "structure.section_missing" in wanted:
        keys = PRE2019_SECTION_KEYS if layout == "pre2019" else SECTION_KEYS
        free = [i for i, key in enumerate(keys) if key not in needs | removed]
        if not free:
            raise ValueError(f"structure.section_missing: every section is needed by another defect in {wanted}")
        i = defect_rng.choice(free)
        details["structure.section_missing"] = {"section": SECTION_NUMERALS[i]}
        if layout in FORMATS and keys[i] in ("二", "三", "四"):
            companions.add("table.missing")
            t2, t3, t4 = ({} if i == 1 else t2), ({} if i == 2 else t3), ([] if i == 3 else t4)
        del sections[i]
    if "structure.section_order" in wanted:
        pairs = [(a, a + 1) for a in range(1, len(sections) - 1)]
        a, b = defect_rng.choice(pairs)
        details["structure.section_order"] = {"swapped": (sections[a][0], sections[b][0])}
        sections[a], sections[b] = sections[b], sections[a]

    sign_rng = random.Random(f"{seed}|{agency}|{year}|signed")
    signed_on = signing_date(sign_rng, kind, year)
    if "date.before_year_end" in wanted:
        signed_on = date(year, 12, defect_rng.randint(10, 30)) if defect_rng.random() < 0.6 \
            else date(year, 1, defect_rng.randint(2, 9))
        details["date.before_year_end"] = {"signed_on": signed_on}

    return ReportSpec(
        agency=agency, kind=kind, year=year, format=layout, title=title_of(agency, year), t2=t2, t3=t3, t4=t4,
        sections=sections, period=period, signed_on=signed_on, defects=tuple(wanted),
        expected_rules=frozenset(wanted) | companions, seed=seed, size=size, preamble=preamble,
        figures=figures, details=details,
    )


def expected_rules_for(spec: ReportSpec, fmt: str) -> frozenset:
    """What the checker must report for `spec` rendered as `fmt`: a scanned PDF shows nothing but
    the absence of text."""
    if fmt == "pdf-image":
        return frozenset({"content.no_text"})
    return spec.expected_rules - {"content.no_text"}
