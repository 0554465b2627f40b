"""Finding row labels in order, in spite of noise, repeats and missing rows.

A label can occur more than once in a table region (a Markdown heading and the row below it, a column
header that repeats a row name, a label printed twice across a page break), and some labels are absent
(truncated tables) or garbled by OCR.  The search therefore works in three steps:

1. every exact occurrence of an alias is a candidate (searched in the whitespace-blind compact text, all
   aliases in one pattern: where two overlap, the longer wins);
2. the heaviest chain of candidates whose rows *and* positions both increase is kept — so a stray
   "总计" in a header cannot pull the table apart, and the order of the template decides;
3. rows still missing between two kept labels are looked for with approximate matching
   (rapidfuzz), only inside that gap and only in text that is followed by cells, so the cost stays
   linear and noise elsewhere in the report cannot be mistaken for a label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from monitor.parse.cells import text_runs, tokens
from monitor.parse.textutil import Compact, compact_str


@dataclass(frozen=True)
class LabelSpec:
    key: str
    weights: tuple[tuple[str, int], ...]  # alias -> weight
    fuzzy: tuple[str, ...]  # compact labels for approximate matching
    number: str = ""  # the row's own numbering digit ("2" for 2.其他法律行政法规禁止公开), if any
    numbering: re.Pattern | None = None  # that digit as printed before the label: 2 2. 2、 (2)


@dataclass(frozen=True)
class Anchor:
    key: str
    start: int  # offsets in the normalised text
    end: int
    text: str
    weight: int
    fuzzy: bool = False


def label_spec(key: str, aliases: list[tuple[str, int]], fuzzy: list[str], number: str = "") -> LabelSpec:
    """aliases: (text, weight); longer aliases first so the alternation prefers them."""
    best: dict[str, int] = {}
    for a, w in aliases:  # an alias listed twice keeps its highest weight
        best[compact_str(a)] = max(w, best.get(compact_str(a), 0))
    norm = sorted(best.items(), key=lambda aw: (-len(aw[0]), aw[0]))
    numbering = re.compile(rf"(?:\({number}\)|{number}[.、]?)$") if number else None
    return LabelSpec(key, tuple(norm), tuple(compact_str(f) for f in fuzzy), number, numbering)


def candidates(compact: Compact, specs: list[LabelSpec], start: int, end: int) -> list[Anchor]:
    """Every alias occurrence between original offsets [start, end), searched with one pattern for all
    specs (where aliases of two rows overlap, the longer one wins: 「其他法律…」 is never 「其他」)."""
    pattern, owners = _union(tuple(specs))
    by_key = {spec.key: spec for spec in specs}
    out: list[Anchor] = []
    for m in compact.finditer(pattern, start, end):
        for key, weight in owners[m.group()]:
            first = _numbered_from(compact, by_key[key], m.start(), start)
            a, b = compact.span(first, m.end())
            out.append(Anchor(key, a, b, m.group(), weight))
    out.sort(key=lambda x: (x.start, -x.weight))
    return out


@lru_cache(maxsize=16)
def _union(specs: tuple[LabelSpec, ...]) -> tuple[re.Pattern, dict[str, list[tuple[str, int]]]]:
    owners: dict[str, list[tuple[str, int]]] = {}
    for spec in specs:
        for alias, weight in spec.weights:
            owners.setdefault(alias, []).append((spec.key, weight))
    ordered = sorted(owners, key=lambda a: (-len(a), a))
    return re.compile("|".join(re.escape(a) for a in ordered)), owners


def _numbered_from(compact: Compact, spec: LabelSpec, at: int, floor: int) -> int:
    """Where the label starts when its own number is printed right before it, touching it: 「2其他法律…」
    (「②」 after NFKC, or a number glued to the label) must not end the previous row as a value "2"."""
    if spec.numbering is None or at == 0:
        return at
    lo = max(0, at - 3)
    m = spec.numbering.search(compact.text, lo, at)
    if not m:
        return at
    first = m.start()
    touching = compact.adjacent(first, at)
    return first if touching and compact.to_original(first) >= floor else at


def best_chain(cands: list[Anchor], order: dict[str, int]) -> list[Anchor]:
    """Heaviest sequence with increasing template order and non-overlapping increasing positions."""
    n = len(cands)
    if not n:
        return []
    starts = [c.start for c in cands]
    ends = [c.end for c in cands]
    orders = [order[c.key] for c in cands]
    best = [c.weight for c in cands]
    prev = [-1] * n
    for i in range(n):
        start, oi, w = starts[i], orders[i], best[i]
        top, arg = w, -1
        for j in range(i):
            if ends[j] <= start and orders[j] < oi and best[j] + w > top:
                top, arg = best[j] + w, j
        best[i], prev[i] = top, arg
    i = max(range(n), key=lambda k: (best[k], -k))
    chain = []
    while i >= 0:
        chain.append(cands[i])
        i = prev[i]
    chain.reverse()
    return _pull_late(chain, cands)


def _pull_late(chain: list[Anchor], cands: list[Anchor]) -> list[Anchor]:
    """Move each label to its last occurrence before the next kept label (closest to its cells)."""
    by_key: dict[str, list[Anchor]] = {}
    for c in cands:
        by_key.setdefault(c.key, []).append(c)
    out = list(chain)
    for k in range(len(out) - 1, -1, -1):
        lo = out[k - 1].end if k else -1
        hi = out[k + 1].start if k + 1 < len(out) else 1 << 60
        kept = out[k]
        same = [c for c in by_key[kept.key] if c.weight >= kept.weight
                and c.start >= lo and c.end <= hi and c.start >= kept.start]
        if same:
            out[k] = max(same, key=lambda c: c.start)
    return out


def fuzzy_fill(text: str, chain: list[Anchor], region: tuple[int, int], order: list[str],
               specs: dict[str, LabelSpec], wanted: set[str], threshold: float = 80.0,
               lead: bool = True) -> list[Anchor]:
    """Add approximate matches for rows of `wanted` that the chain lacks, gap by gap.

    `lead`: also search before the first exact label (False when the region may start before the
    table, e.g. inside the previous table because a heading is missing)."""
    pos = {k: i for i, k in enumerate(order)}
    bounds = [None] + chain + [None]
    added: list[Anchor] = []
    for left, right in zip(bounds, bounds[1:]):
        lo_i = pos[left.key] + 1 if left else 0
        hi_i = pos[right.key] if right else len(order)
        missing = [k for k in order[lo_i:hi_i] if k in wanted and specs[k].fuzzy]
        if not missing or (left is None and not lead):
            continue
        g0 = left.end if left else region[0]
        g1 = right.start if right else region[1]
        if g1 <= g0:
            continue
        runs = [r for r in text_runs(tokens(text, g0, g1, strip_next_prefix=False)) if r[3]]
        ri = 0
        for key in missing:
            for j in range(ri, len(runs)):
                start, end, run, _ = runs[j]
                if _score(run, specs[key].fuzzy) >= threshold:
                    added.append(Anchor(key, start, end, run, 1, fuzzy=True))
                    ri = j + 1
                    break
    return sorted(chain + added, key=lambda a: a.start)


def _score(run: str, labels: tuple[str, ...]) -> float:
    best = 0.0
    for label in labels:
        if len(run) < max(2, len(label) // 2):
            continue
        best = max(best, fuzz.partial_ratio(label, run))
    return best
