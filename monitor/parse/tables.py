"""Tables 二, 三 and 四: where they are, which layout they use, and their cells.

Each table is read the same way: find the row labels (monitor.parse.anchors), then read the cells
between one label and the next (monitor.parse.cells).  The layout is decided by what the table
contains — column headers such as 本年新制作数量 / 本年制发件数 and a single （六）其他处理 row versus
three （六） sub-rows — never by the report year, so an outdated template is visible as such.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from itertools import product

from monitor import formats
from monitor.model import Cell, CellKind, RowStatus, Table, TableRow
from monitor.parse.anchors import Anchor, LabelSpec, best_chain, candidates, fuzzy_fill, label_spec
from monitor.parse.cells import (MAX_SPLITS, Token, block_sum_check, classify, first_cluster, no_check,
                                 row_sum_check, splits, tokens)
from monitor.parse.textutil import Compact

T3_NCOLS = len(formats.T3_COLUMNS)
T4_BLOCK = len(formats.T4_COLUMNS)
T4_NCELLS = T4_BLOCK * len(formats.T4_BLOCKS)

_PREFIX = re.compile(r"^(?:[一二三四五六七八九十]、|（[一二三四五六七八九十]）|\d+\.)")


def _nfkc(s: str) -> str:
    return unicodedata.normalize("NFKC", s)


def _t3_rows() -> list[formats.Row]:
    seen: dict[str, formats.Row] = {}
    for row in formats.FORMAT_2019.t3_rows + formats.FORMAT_2021.t3_rows:
        seen.setdefault(row.key, row)
    order = ["new", "carried"] + [r.key for r in formats.T3_RESULT_ROWS_COMMON] + ["r6"] + [
        r.key for r in formats.T3_OTHER_2021] + ["total", "carry_next"]
    return [seen[k] for k in order]


T3_ROWS = _t3_rows()
T3_ORDER = [r.key for r in T3_ROWS]
T3_INDEX = {k: i for i, k in enumerate(T3_ORDER)}
T3_LABELS = {r.key: r.label for r in T3_ROWS}
_T3_2021_ONLY = {r.key for r in formats.T3_OTHER_2021}


def _t3_spec(row: formats.Row) -> LabelSpec:
    core = _PREFIX.sub("", row.label)
    if row.key == "total":
        # bare 「总计」 too (a report without numbering); the column header 「总计」 comes before every row
        aliases = [("（七）总计", 3), ("七）总计", 2), ("总计", 1)]
        fuzzy = ["（七）总计"]
    elif row.key == "r6_3":
        # 「3.其他」 as numbered in every style (「3、其他」, 「(3)其他」, 「③其他」 = 「3其他」 after NFKC) or bare
        aliases = [("3.其他", 2), ("3、其他", 2), ("(3)其他", 2), ("3其他", 2), ("其他", 1)]
        fuzzy = ["3.其他"]
    else:
        aliases = [(core, 3)] + [(a, 2 if len(a) >= 4 else 1) for a in row.aliases]
        # Short labels are matched approximately only with their numbering: "予以公开" alone is
        # too close to "不予公开".
        fuzzy = [core if len(core) >= 6 else row.label] + [a for a in row.aliases if len(a) >= 6]
    number = re.match(r"([1-9])\.", row.label)
    return label_spec(row.key, [(_nfkc(a), w) for a, w in aliases], [_nfkc(f) for f in fuzzy],
                      number.group(1) if number else "")


T3_SPECS = {r.key: _t3_spec(r) for r in T3_ROWS}
MIN_T3_ROWS = 3

# Table 二: row labels (shared by both formats), block headers, and layout markers.
_T2_ROWS: dict[str, str] = {
    "rules": r"规章",
    "normative": r"(?:行政)?规范性文件",
    "licensing": r"行政许可",
    "other_services": r"其他对外管理服务事项",
    "penalty": r"行政处罚",
    "coercion": r"行政强制",
    "fees": r"行政事业性收费",
    "procurement": r"政府集中采购",
}
_T2_ROW_RE = {k: re.compile(p) for k, p in _T2_ROWS.items()}
_T2_BLOCK = re.compile(r"第二十条第\(?([一二三四五六七八九十])\)?项")
_T2_HEADER = re.compile(r"信息内容")
_T2_MARKERS = {
    "2019": re.compile(r"本年新制作数量|本年新公开数量|对外公开总数量|上一年项目数量|本年增/减|(?<!本年)处理决定数量"
                       r"|采购项目数量|采购总金额|其他对外管理服务事项|第二十条第\(?九\)?项"),
    "2021": re.compile(r"本年制发件数|本年废止件数|现行有效件数|本年处理决定数量|本年收费金额"),
}
_YEAR_NOTE = re.compile(r"\((?:19|20)\d{2}年?度?\)")
T4_MARK = re.compile(r"结果维持|结果纠正|尚未审结")
_T4_WORDS = re.compile(r"复议|诉讼|结果|维持|纠正|审结|总计|起诉|其他|尚未|注")
_T4_TAIL = re.compile(r"^(?P<head>.*(?:总计|审结|维持|纠正|结果|起诉))(?P<digits>\d+)$")


def t2_row_key(layout: str, row_key: str) -> str | None:
    for block in formats.FORMATS[layout].t2:
        if any(r.key == row_key for r in block.rows):
            return f"{block.key}.{row_key}"
    return None


def t2_block(layout: str, key: str) -> tuple[formats.T2Block, formats.Row]:
    block_key, row_key = key.split(".")
    for block in formats.FORMATS[layout].t2:
        if block.key == block_key:
            return block, next(r for r in block.rows if r.key == row_key)
    raise KeyError(key)


def t2_expected(layout: str) -> tuple[str, ...]:
    return tuple(f"{b.key}.{r.key}" for b in formats.FORMATS[layout].t2 for r in b.rows)


# --- reading one row ----------------------------------------------------------------------------


def read_row(text: str, key: str, label: str, gap: tuple[int, int], ncols: int, check,
             found_as: str = "", fuzzy: bool = False, text_cells: bool = False) -> TableRow:
    """The cells in text[gap] for a row of `ncols` columns (see RowStatus for the outcomes).

    `text_cells`: words in their own cells right after the label are cell values ("若干" where a
    count belongs), not the rest of the label — safe for table 二, whose labels are short and exact."""
    if PLAIN_ROWS_FIRST:
        plain = plain_cells(text, gap, ncols)
        if plain is not None:
            return TableRow(key, label, plain, RowStatus.OK, found_as, fuzzy)
    toks = tokens(text, gap[0], gap[1])
    cluster = _word_cells(toks, gap[0], ncols) if text_cells else first_cluster(toks)[0]
    row = TableRow(key, label, [], RowStatus.SHORT, found_as, fuzzy)
    if not any(t.kind == "V" for t in cluster):
        if cluster or _empty_cells(text[gap[0]:gap[1]]):
            row.cells, row.status = [Cell(CellKind.EMPTY, "")] * ncols, RowStatus.BLANK
        return row
    cells = [t.cell for t in cluster]
    while len(cells) > ncols and cells[-1].kind is CellKind.EMPTY:
        cells.pop()
    while len(cells) > ncols and cells[0].kind is CellKind.EMPTY:
        cells.pop(0)
    row.cells = cells
    if len(cells) == ncols:
        row.status = RowStatus.OK
    elif len(cells) > ncols:
        row.status = RowStatus.LONG
    elif _one_piece(cluster):
        _resplit(row, cells, ncols, check)
    return row


PLAIN_ROWS_FIRST = True
"""Try `plain_cells` before the general reader (bench/check_bench.py switches it off to measure the
general reader against it in the same run)."""
_CELL_SEP = re.compile(r"[\t|]")
_PLAIN_KINDS = (CellKind.ZERO, CellKind.NUMERIC, CellKind.NA)


def plain_cells(text: str, gap: tuple[int, int], ncols: int) -> list[Cell] | None:
    """The common shape, read without tokenising: the label's line holds exactly `ncols` cells of numbers
    (or placeholders, or blanks between them) after the label, and nothing but whitespace follows until
    the next label.  Gives what the general reader gives for that shape, else None (use the general one)."""
    start, end = gap
    nl = text.find("\n", start, end)
    if nl >= 0 and not _ends_row(text[nl:end]):
        return None
    pieces = _CELL_SEP.split(text[start: nl if nl >= 0 else end])
    if pieces and pieces[0].isspace():
        pieces = pieces[1:]  # padding after the label, inside the label's own cell
    lo, hi = 0, len(pieces)
    while lo < hi and pieces[lo] == "":
        lo += 1
    while hi > lo and pieces[hi - 1] == "":
        hi -= 1
    if hi - lo != ncols:
        return None
    cells = []
    for piece in pieces[lo:hi]:
        if piece == "":
            cells.append(_BLANK)
            continue
        word = piece.strip()
        if not word or " " in word:
            return None
        cell = classify(word)
        if cell.kind not in _PLAIN_KINDS:
            return None
        cells.append(cell)
    return cells


_WORDS = re.compile(r"[^\s|]+")


def _ends_row(rest: str) -> bool:
    """What follows the label's line cannot continue its cells: nothing, or words (the next label's
    numbering or group, 「二、」 「(三)不予公开」) that the general reader would stop at too."""
    words = _WORDS.findall(rest, 0, 80)[:2]
    if not words:
        return True
    first = words[0]
    if first[0].isdigit() or classify(first).kind is not CellKind.TEXT:
        return False
    return len(first) > 2 or len(words) == 1 or classify(words[1]).kind is CellKind.TEXT


_BLANK = Cell(CellKind.EMPTY, "")
_EMPTY_LINE = re.compile(r"^[\t| ]*[\t|][\t| ]*$", re.M)
MAX_WORD_CELL = 6


def _empty_cells(gap: str) -> bool:
    """The label is followed by cells, all empty: separators on its own line ("label\t\t\t") or
    lines holding nothing but a tab (one cell per line)."""
    first = gap.split("\n", 1)[0]
    return "\t" in first or "|" in first or bool(_EMPTY_LINE.search(gap))


_WORDLIKE = re.compile(r"[\u4e00-\u9fffA-Za-z]")


def _word_cells(toks: list[Token], label_piece: int, ncols: int) -> list[Token]:
    """Table 二: a short word alone in its cell is a cell value ("待统计" where a count belongs);
    the rest of the label, longer text and words after a full row (a truncated next label) are not."""
    pieces: dict[int, int] = {}
    for t in toks:
        pieces[t.piece] = pieces.get(t.piece, 0) + 1
    out: list[Token] = []
    for t in toks:
        if len(out) >= ncols and t.kind == "T":
            break
        if t.kind != "T":
            out.append(t)
        elif (t.piece != label_piece and pieces[t.piece] == 1 and len(t.text) <= MAX_WORD_CELL
              and _WORDLIKE.search(t.text)):
            out.append(Token("V", t.text, t.start, Cell(CellKind.TEXT, t.text), t.piece))
        elif any(x.kind == "V" for x in out):
            break
    return out


def _one_piece(cluster: list[Token]) -> bool:
    """All values were written in one cell: digits run together (or only spaced), so cutting them
    again is legitimate.  Values in separate cells are separate numbers — a short row lost a cell."""
    return len({t.piece for t in cluster if t.kind == "V"}) == 1


def _resplit(row: TableRow, cells: list[Cell], ncols: int, check) -> None:
    """Digits printed without separators: cut them again where the row's constraint allows."""
    if not cells or any(not c.is_number or c.value < 0 for c in cells):
        return
    raws = [c.raw for c in cells]
    last, frac, unit = raws[-1], "", cells[-1].unit
    if unit:
        last = last[: -len(unit)].strip()
    if "." in last:
        last, frac = last.split(".", 1)
        frac = "." + frac
    parts = raws[:-1] + [last]
    if any(not p.isdigit() for p in parts) or all(len(p) == 1 for p in parts):
        return
    sols = splits(parts, ncols, check if not frac else no_check)
    row.digits = "".join(raws)
    if len(sols) == 1:
        vals = list(sols[0])
        row.cells = [_num_cell(v) for v in vals[:-1]] + [_num_cell(vals[-1], frac, unit)]
        row.status = RowStatus.RESPLIT
    elif sols:
        row.status, row.splits = RowStatus.AMBIGUOUS, sols


def _num_cell(v: int, frac: str = "", unit: str | None = None) -> Cell:
    value: int | Decimal = Decimal(f"{v}{frac}") if frac else v
    return Cell(CellKind.ZERO if value == 0 else CellKind.NUMERIC, f"{v}{frac}{unit or ''}", value, unit)


# --- table 三 ------------------------------------------------------------------------------------


def read_t3(text: str, compact: Compact, region: tuple[int, int], required: str, tight: bool = False,
            grid: bool = False) -> Table:
    """Table 三 in `region`; `tight`: the region may start before the table (no heading 三 found),
    so the table's span starts at the line of its first row label; `grid`: see `grid_cells`."""
    table = Table("三", columns=formats.T3_COLUMNS)
    if region[1] <= region[0]:
        return table
    specs = [T3_SPECS[k] for k in T3_ORDER]
    chain = best_chain(candidates(compact, specs, *region), T3_INDEX)
    layout = _t3_layout({a.key for a in chain})
    fmt = formats.FORMATS[layout or (required if required in formats.FORMATS else "2021")]
    wanted = {r.key for r in fmt.t3_rows} - {a.key for a in chain}
    if layout is None:
        wanted |= {"r6"} | _T3_2021_ONLY
    chain = fuzzy_fill(text, chain, region, T3_ORDER, T3_SPECS, wanted, lead=not tight)
    layout = _t3_layout({a.key for a in chain})
    if layout == "2021":
        chain = [a for a in chain if a.key != "r6"]
    has_note = bool(compact.find("勾稽关系", *region) >= 0)
    if not chain:
        table.present = has_note
        table.span = region if has_note else None
        table.layout = None
        table.expected = tuple(r.key for r in fmt.t3_rows)
        return table
    fmt = formats.FORMATS[layout or (required if required in formats.FORMATS else "2021")]
    table.present, table.layout = True, layout
    table.expected = tuple(r.key for r in fmt.t3_rows)
    first = text.rfind("\n", region[0], chain[0].start) + 1 if tight else region[0]
    table.span = (max(region[0], first), region[1])
    check = row_sum_check(T3_NCOLS)
    for a, b in zip(chain, chain[1:] + [None]):
        gap = (a.end, b.start if b else region[1])
        cells = grid_cells(text, a.end, T3_NCOLS) if grid else None
        if cells is not None:
            status = RowStatus.BLANK if all(c.kind is CellKind.EMPTY for c in cells) else RowStatus.OK
            table.rows[a.key] = TableRow(a.key, T3_LABELS[a.key], cells, status, a.text, a.fuzzy)
        else:
            table.rows[a.key] = read_row(text, a.key, T3_LABELS[a.key], gap, T3_NCOLS, check, a.text, a.fuzzy)
    if not has_note and sum(_row_like(r) for r in table.rows.values()) < MIN_T3_ROWS:
        # Sentences ("上年结转8件……予以公开304件") name the rows but are not a table.
        return Table("三", columns=formats.T3_COLUMNS, expected=table.expected)
    if layout:
        _resolve_by_columns(table, formats.FORMATS[layout].t3_result_keys)
    return table


def _row_like(row: TableRow) -> bool:
    """Cells in the shape of a table row: several cells, or cells without a counting word (件, 条)."""
    if row.status is RowStatus.BLANK:
        return True
    return len(row.cells) >= 2 or any(c.is_number and not c.unit for c in row.cells)


def grid_cells(text: str, label_end: int, ncols: int) -> list[Cell] | None:
    """Positional reading of a row from an extracted table (HTML, DOCX, DOC, PDF).

    monitor.extract writes every table row on one line with all grid positions present (covered
    positions and blank cells alike are empty strings), so the last `ncols` cells of the label's line
    are the row's values and an empty one is a blank cell — not a lost one.  Returns None when the line
    does not hold a label followed by `ncols` cells (the text is not such a grid)."""
    start = text.rfind("\n", 0, label_end) + 1
    end = text.find("\n", label_end)
    line = text[start: end if end >= 0 else len(text)]
    cells = line.split("\t")
    label_cell = text.count("\t", start, label_end)
    if len(cells) - label_cell - 1 < ncols:
        return None
    return [classify(c) for c in cells[-ncols:]]


MAX_COMBINATIONS = 4096


def _resolve_by_columns(table: Table, result_keys: tuple[str, ...]) -> None:
    """Rows with several possible splits (real 008: "270020130" = 2/7/0/0/20/1/30 or 27/0/0/2/0/1/30):
    keep the one combination under which every column still balances (T3-SUM and T3-BAL), if exactly
    one does.  Columns that cannot be computed (blank, missing or misaligned rows) do not vote."""
    amb = [r for r in table.rows.values() if r.status is RowStatus.AMBIGUOUS and len(r.splits) < MAX_SPLITS]
    if not amb:
        return
    n = 1
    for r in amb:
        n *= len(r.splits)
    if n > MAX_COMBINATIONS:
        return
    fixed = {k: r for k, r in table.rows.items() if r.reliable and r.status is not RowStatus.BLANK}
    equations = [(("total",), result_keys), (("new", "carried"), ("total", "carry_next"))]
    usable = [(lhs, rhs) for lhs, rhs in equations
              if all(k in fixed or any(r.key == k for r in amb) for k in lhs + rhs)
              and any(r.key in lhs + rhs for r in amb)]
    if len({r.key for r in amb} - {k for lhs, rhs in usable for k in lhs + rhs}):
        return  # some ambiguous row takes part in no equation: nothing can decide it
    fits = []
    for combo in product(*(r.splits for r in amb)):
        chosen = {r.key: vals for r, vals in zip(amb, combo)}
        if all(_balances(lhs, rhs, fixed, chosen) for lhs, rhs in usable):
            fits.append(chosen)
            if len(fits) > 1:
                return
    if len(fits) == 1:
        for r in amb:
            r.cells = [_num_cell(v) for v in fits[0][r.key]]
            r.status, r.splits = RowStatus.RESPLIT, []


def _balances(lhs, rhs, fixed, chosen) -> bool:
    for c in range(T3_NCOLS):
        sides = []
        for keys in (lhs, rhs):
            total = 0
            for k in keys:
                if k in chosen:
                    total += chosen[k][c]
                    continue
                cell = fixed[k].cells[c] if c < len(fixed[k].cells) else None
                if cell is None or not cell.is_int:
                    total = None
                    break
                total += cell.value
            sides.append(total)
        if None not in sides and sides[0] != sides[1]:
            return False
    return True


def _t3_layout(keys: set[str]) -> str | None:
    if keys & _T3_2021_ONLY:
        return "2021"
    if "r6" in keys:
        return "2019"
    return None


# --- table 二 ------------------------------------------------------------------------------------


def find_t2_start(compact: Compact, start: int, end: int) -> int | None:
    for m in compact.finditer(_T2_BLOCK, start, end):
        return compact.to_original(m.start())
    return None


def read_t2(text: str, compact: Compact, region: tuple[int, int], required: str) -> Table:
    table = Table("二")
    a0, a1 = region
    if a1 <= a0:
        return table
    table.present, table.span = True, region
    ca, cb = compact.to_compact(a0), compact.to_compact(a1)
    seg = _YEAR_NOTE.sub("", compact.text[ca:cb])  # "本年(2023)制发件数" (excerpt 036)
    score = {k: len(p.findall(seg)) for k, p in _T2_MARKERS.items()}
    anchors: list[Anchor] = []
    for key, pat in _T2_ROW_RE.items():
        for m in pat.finditer(compact.text, ca, cb):
            s, e = compact.span(m.start(), m.end())
            anchors.append(Anchor(key, s, e, m.group(), 1))
    for pat in (_T2_BLOCK, _T2_HEADER):
        for m in pat.finditer(compact.text, ca, cb):
            s, e = compact.span(m.start(), m.end())
            anchors.append(Anchor("", s, e, m.group(), 0))
    anchors.sort(key=lambda x: x.start)
    keys = {a.key for a in anchors}
    if "other_services" in keys or "procurement" in keys:
        score["2019"] += 2
    if score["2019"] > score["2021"]:
        layout = "2019"
    elif score["2021"] > score["2019"]:
        layout = "2021"
    else:
        layout = required if required in formats.FORMATS else None
    table.layout = layout
    fmt_key = layout or "2021"
    table.expected = t2_expected(fmt_key)
    for a, b in zip(anchors, anchors[1:] + [None]):
        if not a.key:
            continue
        key = t2_row_key(fmt_key, a.key)
        if key is None:
            continue
        block, row = t2_block(fmt_key, key)
        gap = (a.end, b.start if b else a1)
        found = read_row(text, key, row.label, gap, len(block.columns), no_check, a.text, text_cells=True)
        prev = table.rows.get(key)
        if prev is None or (prev.status is not RowStatus.OK and found.status is RowStatus.OK):
            table.rows[key] = found
    return table


# --- table 四 ------------------------------------------------------------------------------------


def _split_header_tails(toks: list[Token]) -> list[Token]:
    """"…尚未审结总计110024001510102": the values glued to the last column header."""
    out = []
    for t in toks:
        m = _T4_TAIL.match(t.text) if t.kind == "T" else None
        if m:
            at = t.start + len(m.group("head"))
            out += [Token("T", m.group("head"), t.start, None, t.piece),
                    Token("V", m.group("digits"), at, classify(m.group("digits")), t.piece)]
        else:
            out.append(t)
    return out


def _grid_t4(text: str, region: tuple[int, int]) -> list[Cell] | None:
    """The data row of an extracted table 四: the first line of the region with at least 15 cells,
    holding values (or nothing) and no words."""
    for line in text[region[0]:region[1]].split("\n"):
        cells = line.split("\t")
        if len(cells) < T4_NCELLS:
            continue
        typed = [classify(c) for c in cells[-T4_NCELLS:]]
        if all(c.kind is not CellKind.TEXT for c in typed) and any(c.kind is not CellKind.EMPTY for c in typed):
            return typed
    return None


_DIGIT = re.compile(r"\d")


def _plain_t4(text: str, compact: Compact, region: tuple[int, int]) -> list[Cell] | None:
    """The common shape of table 四, read like plain_cells: after the column headers, the first line with a
    digit holds the 15 counts, one per cell; else None (the general reader decides)."""
    m = next(compact.finditer(T4_MARK, *region), None)
    if m is None:
        return None
    at = compact.to_original(m.start())
    line_end = text.find("\n", at, region[1])
    if line_end < 0 or _DIGIT.search(text, text.rfind("\n", 0, at) + 1, line_end):
        return None
    d = _DIGIT.search(text, line_end, region[1])
    if d is None:
        return None
    start = text.rfind("\n", 0, d.start()) + 1
    end = text.find("\n", d.start(), region[1])
    pieces = [p.strip() for p in _CELL_SEP.split(text[start: end if end >= 0 else region[1]])]
    while pieces and not pieces[0]:
        pieces.pop(0)
    while pieces and not pieces[-1]:
        pieces.pop()
    if len(pieces) != T4_NCELLS:
        return None
    cells = [classify(p) for p in pieces]
    if any(c.kind not in (CellKind.ZERO, CellKind.NUMERIC) or " " in p for c, p in zip(cells, pieces)):
        return None
    return cells


def read_t4(text: str, compact: Compact, region: tuple[int, int], grid: bool = False) -> Table:
    table = Table("四", columns=formats.T4_COLUMNS)
    a0, a1 = region
    if a1 <= a0:
        return table
    plain = _plain_t4(text, compact, region) if PLAIN_ROWS_FIRST and not grid else None
    if plain is not None:
        table.present, table.span, table.expected = True, (a0, a1), formats.T4_BLOCK_KEYS
        for i, (key, label) in enumerate(zip(formats.T4_BLOCK_KEYS, formats.T4_BLOCKS)):
            table.rows[key] = TableRow(key, label, plain[i * T4_BLOCK:(i + 1) * T4_BLOCK], RowStatus.OK)
        return table
    toks = _split_header_tails(tokens(text, a0, a1, strip_next_prefix=False))
    marker = next((i for i, t in enumerate(toks) if t.kind == "T" and T4_MARK.search(t.text)), None)
    if marker is None and compact.find("行政复议", a0, a1) < 0:
        return table
    cells_t = []
    nvals = 0
    for t in toks[marker or 0:]:
        if t.kind in ("V", "B"):
            cells_t.append(t)
            nvals += t.kind == "V"
            continue
        if nvals >= T4_NCELLS:
            break
        if _T4_WORDS.search(t.text) or len(t.text) <= 4:
            continue
        if nvals:
            break
    table.present = True
    table.span = (a0, a1)
    table.expected = formats.T4_BLOCK_KEYS
    if not cells_t and marker is not None:
        # Column headers and no value: the data row is empty (or was dropped as empty by extraction).
        cells_t = [Token("B", "", a0, Cell(CellKind.EMPTY, ""))]
    if not cells_t:
        if marker is None:
            table.present = False
        return table
    raw = TableRow("all", "行政复议、行政诉讼", [], RowStatus.SHORT)
    grid_row = _grid_t4(text, region) if grid else None
    if grid_row is not None:
        raw.cells, raw.status = grid_row, RowStatus.OK
    elif not any(t.kind == "V" for t in cells_t):
        raw.cells, raw.status = [Cell(CellKind.EMPTY, "")] * T4_NCELLS, RowStatus.BLANK
    else:
        cells = [t.cell for t in cells_t]
        while len(cells) > T4_NCELLS and cells[-1].kind is CellKind.EMPTY:
            cells.pop()
        raw.cells = cells
        if len(cells) == T4_NCELLS:
            raw.status = RowStatus.OK
        elif len(cells) > T4_NCELLS:
            raw.status = RowStatus.LONG
        elif _one_piece(cells_t):
            _resplit(raw, cells, T4_NCELLS, block_sum_check(T4_BLOCK))
    if raw.status in (RowStatus.OK, RowStatus.RESPLIT, RowStatus.BLANK):
        for i, (key, label) in enumerate(zip(formats.T4_BLOCK_KEYS, formats.T4_BLOCKS)):
            table.rows[key] = TableRow(key, label, raw.cells[i * T4_BLOCK:(i + 1) * T4_BLOCK], raw.status,
                                       digits=raw.digits)
    else:
        table.rows["all"] = raw
    return table
