"""Reading the cells that follow a row label, whatever the layout.

Between one row label and the next, a report's text holds that row's cells in one of many shapes:
tab-joined on one line (seeds 000/003, extracted HTML/PDF/DOCX), one per line behind a tab (seeds
001/004), "|"-separated (Markdown conversions), one per line without markers (PDF text layers), or
digits printed without any separator (pingtan pages: "713000074").  Mixed in are header words, OCR
debris, the next row's numbering ("2."), group labels ("（三）不予公开") and page numbers.

`tokens()` turns such a stretch into VALUE / BLANK / TEXT tokens; `first_cluster()` takes the run of
values that belongs to the row.  Two empty-cell conventions meet here: an empty string between two
separators is a covered position of a spanned cell (the extraction contract), so it is dropped at the
edges of a row; a cell holding only padding (NBSP, U+3000, spaces) was written as a blank on purpose,
so it is a BLANK cell.  An empty string *between* two values on one line is a blank cell too: a spanned
cell cannot sit in the middle of a row of counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Callable

from monitor.model import Cell, CellKind

NUM = r"[-−]?\d{1,3}(?:,\d{3})+(?:\.\d+)?|[-−]?\d+(?:\.\d+)?"
UNITS = r"万元|元|万|件|条|个|项|次|人次"
_VALUE = re.compile(rf"^(?P<num>{NUM})\s*(?P<unit>{UNITS})?$")
_NA = re.compile(r"^(?:/+|\\|-+|—+|–+|―+|无|暂无|不适用|N/?A|×)$", re.I)
_GLUED = re.compile(r"^(?P<num>\d+(?:\.\d+)?)(?P<rest>[\u3400-\u9fff(\[〔【“\"].*)$")
_UNIT_START = re.compile(rf"(?:{UNITS})")
_STRAY = re.compile(r"^[、，,；;]+(?=\d)")
_MD_RULE = re.compile(r"^:?-{3,}:?$")
_SPLIT = re.compile(r"[\t|\n]")
_WORD = re.compile(r"\S+")
_TRAILING_PREFIX = re.compile(r"(?:[1-9]\.|\([一二三四五六七八]\)|[一二三四]、)\s*$")


@dataclass(frozen=True)
class Token:
    kind: str  # "V" value or placeholder, "B" blank cell, "T" text
    text: str
    start: int  # absolute offset in the normalised text
    cell: Cell | None = None
    piece: int = -1  # tokens of one cell (between two separators) share this number


@lru_cache(maxsize=8192)
def classify(text: str) -> Cell:
    """One cell's content as a typed Cell (blank is EMPTY, never a zero).  Cached: tables repeat
    the same few strings ("0") thousands of times."""
    s = _STRAY.sub("", text.strip())  # 「、0」: the label's last comma wrapped into the value's cell (PDF)
    if not s:
        return Cell(CellKind.EMPTY, text)
    m = _VALUE.match(s)
    if m:
        num = m.group("num").replace(",", "").replace("−", "-")
        try:
            value: int | Decimal = int(num) if "." not in num else Decimal(num)
        except (ValueError, InvalidOperation):
            return Cell(CellKind.TEXT, s)
        kind = CellKind.ZERO if value == 0 else CellKind.NUMERIC
        return Cell(kind, s, value, m.group("unit"))
    if _NA.match(s):
        return Cell(CellKind.NA, s)
    return Cell(CellKind.TEXT, s)


def tokens(text: str, start: int, end: int, strip_next_prefix: bool = True) -> list[Token]:
    """Tokens of text[start:end] (offsets stay absolute)."""
    seg = text[start:end]
    if strip_next_prefix:
        m = _TRAILING_PREFIX.search(seg, max(0, len(seg) - 12))
        if m:
            seg = seg[: m.start()]
    out: list[Token] = []
    pos = 0
    for ln, line in enumerate(seg.split("\n")):
        line_tokens: list[tuple[int, Token | None]] = []  # None marks an empty piece
        piece_pos = pos
        for pn, piece in enumerate(_SPLIT.split(line)):
            at = start + piece_pos
            piece_pos += len(piece) + 1
            if piece == "":
                line_tokens.append((at, None))
                continue
            s = piece.strip()
            if not s and ln == pn == 0:
                continue  # padding after the label, inside the label's own cell
            if not s:
                line_tokens.append((at, Token("B", piece, at, Cell(CellKind.EMPTY, piece))))
                continue
            if _MD_RULE.match(s):
                continue
            piece_id = at
            for m in _WORD.finditer(piece):
                line_tokens.extend((at + m.start(), t) for t in _sub_tokens(m.group(), at + m.start(), piece_id))
        pos += len(line) + 1
        out.extend(_resolve_line(line_tokens))
    return out


def _sub_tokens(sub: str, at: int, piece: int) -> list[Token]:
    cell = classify(sub)
    if cell.kind is not CellKind.TEXT:
        return [Token("V", sub, at, cell, piece)]
    m = _GLUED.match(sub)
    if m and not m.group("rest").startswith(("年", "月", "日")):
        u = _UNIT_START.match(m.group("rest"))
        num = m.group("num") + (u.group() if u else "")
        rest = m.group("rest")[len(u.group()) if u else 0:]
        out = [Token("V", num, at, classify(num), piece)]
        return out + ([Token("T", rest, at + len(num), None, piece)] if rest else [])
    return [Token("T", sub, at, None, piece)]


def _resolve_line(items: list[tuple[int, Token | None]]) -> list[Token]:
    """Drop the empty pieces of a line, except those between two values (blank cells).  A line of
    words and padding without any value is a header: its padded cells are not blank values."""
    values = [i for i, (_, t) in enumerate(items) if t is not None and t.kind == "V"]
    if not values and any(t is not None and t.kind == "T" for _, t in items):
        return [t for _, t in items if t is not None and t.kind == "T"]
    out = []
    for i, (at, t) in enumerate(items):
        if t is not None:
            out.append(t)
        elif values and values[0] < i < values[-1]:
            out.append(Token("B", "", at, Cell(CellKind.EMPTY, "")))
    return out


def first_cluster(toks: list[Token], max_text: int = 2) -> tuple[list[Token], list[Token]]:
    """The run of value/blank tokens that belongs to the row, and the tokens after it.

    Text before the first value is the rest of the label or noise.  A short word between two values
    (at most `max_text` characters, e.g. "五") is kept as a TEXT cell, so a word where a count belongs
    is reported instead of silently shifting the columns; longer text ends the run.
    """
    i = 0
    while i < len(toks) and toks[i].kind == "T":
        i += 1
    cluster: list[Token] = []
    j = i
    while j < len(toks):
        t = toks[j]
        if t.kind in ("V", "B"):
            cluster.append(t)
            j += 1
            continue
        if len(t.text) <= max_text and j + 1 < len(toks) and toks[j + 1].kind == "V":
            cluster.append(Token("V", t.text, t.start, Cell(CellKind.TEXT, t.text)))
            j += 1
            continue
        break
    return cluster, toks[j:]


def text_runs(toks: list[Token]) -> list[tuple[int, int, str, bool]]:
    """Consecutive TEXT tokens joined: (start, end, compact text, followed by a value or blank)."""
    runs: list[tuple[int, int, str, bool]] = []
    cur: list[Token] = []
    for t in toks + [Token("V", "", -1)]:
        if t.kind == "T":
            cur.append(t)
            continue
        if cur:
            last = cur[-1]
            runs.append((cur[0].start, last.start + len(last.text), "".join(x.text for x in cur), t.start >= 0))
            cur = []
    return runs


# --- digits printed without separators -------------------------------------------------------------

Check = Callable[[list[int]], bool]
MAX_SPLITS = 64


def splits(parts: list[str], n: int, ok: Check, max_len: int = 7) -> list[tuple[int, ...]]:
    """Every way to cut the digit strings `parts` into `n` integers that `ok` accepts.

    A number never has a leading zero ("0" alone is fine) and never crosses a boundary that was in
    the text.  `ok` sees the prefix of values built so far, so row and block sums prune early.
    Stops after MAX_SPLITS results (the caller only needs to know "one" or "several").
    """
    if not parts or any(not p.isdigit() for p in parts):
        return []
    total = sum(len(p) for p in parts)
    if total < n:
        return []
    results: list[tuple[int, ...]] = []
    values: list[int] = []

    def walk(pi: int, ci: int) -> None:
        if len(results) >= MAX_SPLITS:
            return
        if pi == len(parts):
            if len(values) == n:
                results.append(tuple(values))
            return
        s = parts[pi]
        remaining_digits = len(s) - ci + sum(len(p) for p in parts[pi + 1:])
        remaining_parts = n - len(values)
        if remaining_parts <= 0 or remaining_digits < remaining_parts:
            return
        if remaining_digits > remaining_parts * max_len:
            return
        longest = 1 if s[ci] == "0" else min(max_len, len(s) - ci)
        for length in range(1, longest + 1):
            values.append(int(s[ci: ci + length]))
            if ok(values):
                nci = ci + length
                if nci == len(s):
                    walk(pi + 1, 0)
                else:
                    walk(pi, nci)
            values.pop()

    walk(0, 0)
    return results


def row_sum_check(ncols: int) -> Check:
    """Table 三: the last column is the sum of the six applicant columns."""

    def ok(vals: list[int]) -> bool:
        if len(vals) < ncols:
            return True
        return sum(vals[: ncols - 1]) == vals[ncols - 1]

    return ok


def block_sum_check(block: int) -> Check:
    """Table 四: in every block of five, 维持+纠正+其他+尚未审结 = 总计."""

    def ok(vals: list[int]) -> bool:
        if len(vals) % block or not vals:
            return True
        b = vals[-block:]
        return sum(b[:-1]) == b[-1]

    return ok


def no_check(vals: list[int]) -> bool:
    return True
