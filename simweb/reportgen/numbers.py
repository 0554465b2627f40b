"""The numbers of tables 二, 三 and 四, consistent by construction.

Table 三 is built backwards from its identities: the applications received (一) and carried in (二)
minus those carried out (四) give the cases finished per column, which are then spread over the
result rows; the 总计 column is the sum of the six applicant columns.  So T3-BAL, T3-SUM and T3-ROW
hold exactly, and T4-SUM holds because each block's 总计 is the sum of its four outcomes.

Quantities that link one year to the next (applications carried over, 现行有效件数, 2019 project
counts, cumulative published documents) are not drawn from the report's seed but from a hash of
(agency, year, size): any two reports of one agency for consecutive years — whatever seeds the
caller used — then agree (X-CARRY, X-VALID, X-PROJ of report-format.md §3).  X-CARRY holds between
any two non-'zero' sizes; X-VALID and X-PROJ need the same size in both years.  A 'zero' report
carries nothing in or out, so next to a non-zero year it breaks X-CARRY whenever that year's carry
is not zero: give an agency one size for all its years when carry-over must stay consistent.
"""

from __future__ import annotations

import random
from decimal import Decimal

from monitor.formats import FORMATS, T3_TOTAL_COL

APPLICANT_WEIGHTS = (0.80, 0.11, 0.006, 0.012, 0.045, 0.027)

RESULT_WEIGHTS: dict[str, float] = {
    "r1": 0.36, "r2": 0.08,
    "r3_1": 0.0, "r3_2": 0.01, "r3_3": 0.005, "r3_4": 0.02, "r3_5": 0.02, "r3_6": 0.02, "r3_7": 0.01,
    "r3_8": 0.03,
    "r4_1": 0.28, "r4_2": 0.04, "r4_3": 0.02,
    "r5_1": 0.02, "r5_2": 0.02, "r5_3": 0.005, "r5_4": 0.0, "r5_5": 0.005,
    "r6": 0.03, "r6_1": 0.02, "r6_2": 0.0, "r6_3": 0.015,
}
"""Share of finished cases per result row.  国家秘密 and 大量反复申请 stay at zero so that every
table has all-zero rows (real tables do; the table.incomplete defect drops such rows)."""

T4_OUTCOME_WEIGHTS = (0.6, 0.12, 0.13, 0.15)  # 维持, 纠正, 其他, 尚未审结


def _linked_rng(*parts: object) -> random.Random:
    return random.Random("|".join(str(p) for p in parts))


def carry_vector(agency: str, year: int, size: str) -> list[int]:
    """Applications of `year` carried into the next year, per applicant column (6 values).

    The same for sizes 'typical' and 'large', so that consecutive reports of one agency agree
    even when their sizes differ; a 'zero' report has nothing to carry."""
    if size == "zero":
        return [0] * 6
    rng = _linked_rng("carry", agency, year)
    return [rng.choice((0, 0, 0, 1, 1, 2, 3, 5, 8)), rng.choice((0, 0, 0, 1, 2)), 0, 0,
            rng.choice((0, 0, 0, 0, 1)), 0]


def in_force_normative(agency: str, year: int, size: str) -> int:
    """行政规范性文件 现行有效件数 at the end of `year` (2021 format)."""
    if size == "zero":
        return 0
    rng = _linked_rng("valid", agency, year, size)
    return rng.randint(0, 12) if size == "typical" else rng.randint(20, 150)


def published_normative(agency: str, year: int, size: str) -> int:
    """规范性文件 newly published in `year` (2019 format 本年新公开数量)."""
    if size == "zero":
        return 0
    rng = _linked_rng("published", agency, year, size)
    return rng.choice((0, 0, 1, 2, 3)) if size == "typical" else rng.randint(5, 40)


def cumulative_normative(agency: str, year: int, size: str) -> int:
    """规范性文件 对外公开总数量 at the end of `year`: a running sum, so it never decreases."""
    return sum(published_normative(agency, y, size) for y in range(2008, year + 1))


def project_count(agency: str, key: str, year: int, size: str) -> int:
    """2019 format 上一年项目数量 of `year` (items listed at the end of year-1): a slow random walk,
    so that 本年增/减 (next year's count minus this one) stays small and is sometimes negative."""
    if size == "zero":
        return 0
    base_rng = _linked_rng("projects", agency, key, size)
    count = base_rng.randint(0, 60) if size == "typical" else base_rng.randint(50, 900)
    step = max(2, count // 10)
    for y in range(2008, year + 1):
        count = max(0, count + _linked_rng("projects", agency, key, y, size).randint(-step, step))
    return count


def _spread(rng: random.Random, total: int, weights: dict[str, float] | tuple) -> dict | list:
    keys = list(weights) if isinstance(weights, dict) else list(range(len(weights)))
    w = list(weights.values()) if isinstance(weights, dict) else list(weights)
    counts = {k: 0 for k in keys}
    for k in rng.choices(keys, w, k=total):
        counts[k] += 1
    return counts if isinstance(weights, dict) else [counts[k] for k in keys]


def make_t3(rng: random.Random, layout: str, agency: str, year: int, size: str) -> dict:
    fmt = FORMATS[layout]
    carried = carry_vector(agency, year - 1, size)
    carry_next = carry_vector(agency, year, size)
    if size == "zero":
        new = [0] * 6
    else:
        n = rng.randint(1, 25) if size == "typical" else rng.randint(80, 1500)
        new = _spread(rng, n, APPLICANT_WEIGHTS)
    new = [max(n, cn - c) for n, c, cn in zip(new, carried, carry_next)]
    done = [n + c - cn for n, c, cn in zip(new, carried, carry_next)]
    result_keys = fmt.t3_result_keys
    weights = {k: RESULT_WEIGHTS[k] for k in result_keys if k != "total"}
    per_col = [_spread(rng, d, weights) for d in done]
    t3: dict[str, list] = {}
    for row in fmt.t3_rows:
        if row.key == "new":
            cells = new
        elif row.key == "carried":
            cells = carried
        elif row.key == "total":
            cells = done
        elif row.key == "carry_next":
            cells = carry_next
        else:
            cells = [per_col[c][row.key] for c in range(6)]
        t3[row.key] = list(cells) + [sum(cells)]
    assert all(len(v) == T3_TOTAL_COL + 1 for v in t3.values())
    return t3


def make_t4(rng: random.Random, size: str) -> list:
    if size == "zero" or (size == "typical" and rng.random() < 0.75):
        totals = (0, 0, 0)
    elif size == "typical":
        totals = (rng.randint(0, 2), rng.randint(0, 1), rng.randint(0, 1))
    else:
        totals = (rng.randint(2, 30), rng.randint(0, 15), rng.randint(0, 10))
    cells: list[int] = []
    for total in totals:
        outcomes = _spread(rng, total, T4_OUTCOME_WEIGHTS)
        cells += outcomes + [total]
    return cells


def _money_wan(rng: random.Random, size: str) -> Decimal:
    """An amount in 万元 as real tables print it: 2 decimals for small bureaus, 4 for large ones."""
    if size == "zero" or (size == "typical" and rng.random() < 0.7):
        return Decimal(0)
    if size == "typical":
        return Decimal(rng.randint(1, 500_000)).scaleb(-2)
    return Decimal(rng.randint(100_000, 100_000_000)).scaleb(-4)


def _decisions(rng: random.Random, size: str, zero_share: float, typical_max: int, large: tuple) -> int:
    if size == "zero" or (size == "typical" and rng.random() < zero_share):
        return 0
    return rng.randint(1, typical_max) if size == "typical" else rng.randint(*large)


def make_t2(rng: random.Random, layout: str, agency: str, year: int, size: str) -> dict:
    if layout == "2021":
        valid, valid_before = in_force_normative(agency, year, size), in_force_normative(agency, year - 1, size)
        growth = valid - valid_before
        extra = 0 if size == "zero" else rng.randint(0, 3 if size == "typical" else 15)
        made = max(0, growth) + extra
        return {
            "art20_1": {"rules": [0, 0, 0], "normative": [made, made - growth, valid]},
            "art20_5": {"licensing": [_decisions(rng, size, 0.5, 800, (500, 30000))]},
            "art20_6": {
                "penalty": [_decisions(rng, size, 0.5, 300, (100, 5000))],
                "coercion": [_decisions(rng, size, 0.8, 20, (0, 300))],
            },
            "art20_8": {"fees": [_money_wan(rng, size)]},
        }
    published = published_normative(agency, year, size)
    made = published + (0 if size == "zero" else rng.choice((0, 0, 0, 1)))

    def projects(key: str, with_decisions: bool) -> list:
        now, nxt = project_count(agency, key, year, size), project_count(agency, key, year + 1, size)
        cells = [now, nxt - now]
        if with_decisions:
            cells.append(_decisions(rng, size, 0.4, 400, (200, 20000)))
        return cells

    purchases = 0 if size == "zero" else rng.randint(0, 12 if size == "typical" else 200)
    if purchases == 0:
        amount = "0"
    elif rng.random() < 0.8:
        amount = f"{Decimal(rng.randint(1_000, 2_000_000 * purchases)).scaleb(-4)}万元"
    else:
        amount = f"{rng.randint(5_000, 900_000)}元"
    return {
        "art20_1": {"rules": [0, 0, 0], "normative": [made, published, cumulative_normative(agency, year, size)]},
        "art20_5": {"licensing": projects("licensing", True), "other_services": projects("other_services", True)},
        "art20_6": {"penalty": projects("penalty", True), "coercion": projects("coercion", True)},
        "art20_8": {"fees": projects("fees", False)},
        "art20_9": {"procurement": [purchases, amount]},
    }


def published_items(rng: random.Random, size: str) -> int:
    """Items published proactively during the year (narrative only, no table holds it)."""
    if size == "zero":
        return rng.randint(10, 150)
    return rng.randint(30, 600) if size == "typical" else rng.randint(800, 30000)
