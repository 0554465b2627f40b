"""Table grids and whitespace: the one place that decides how a cell and a line of text look.

Every extractor (HTML, DOCX, DOC, PDF) hands its tables to ``grid_lines`` so that all formats obey the
same contract: one table row per line, cells joined by "\\t", a spanned cell written once at its
top-left position and the other positions it covers left as empty strings, every row of a table
padded to the same width, blank cells kept blank.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Zero-width characters that break matching ("总\u200b计") and mean nothing in these documents.
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
# Everything that renders as a blank on the page, including the full-width space used for indents.
_SPACES = re.compile(r"[\s\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_LINE_BREAKS = re.compile(r"\r\n|[\r\n\u2028\u2029\x0b\x0c\x85]")
_CJK = r"\u2e80-\u2fdf\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}]) (?=[{_CJK}])")
_ASCII_WORD_END = re.compile(r"[A-Za-z0-9]$")
_ASCII_WORD_START = re.compile(r"^[A-Za-z0-9]")

# Bounds a hostile table cannot exceed (HTML allows colspan up to 1000 and rowspan up to 65534).
MAX_COLSPAN = 1000
MAX_GRID_CELLS = 2_000_000


def join_wrapped(pieces: list[str]) -> str:
    """Join the visual lines of one logical line: nothing between CJK text, a space between words."""
    out = ""
    for piece in pieces:
        if not piece:
            continue
        if out and _ASCII_WORD_END.search(out) and _ASCII_WORD_START.search(piece):
            out += " "
        out += piece
    return out


def clean_line(text: str) -> str:
    """One narrative line: zero-width characters removed, blank runs collapsed, ends stripped."""
    return _SPACES.sub(" ", text.translate(_ZERO_WIDTH)).strip()


def squeeze_cjk(text: str) -> str:
    """Remove single spaces between two CJK characters (source-formatting or alignment padding)."""
    return _SPACE_BETWEEN_CJK.sub("", text)


def clean_cell(text: str) -> str:
    """One table cell on one line.

    Inner line breaks (<br>, paragraphs, PDF wrapping) disappear between CJK characters and become a
    space between words; full-width and other spaces collapse, and spaces between two CJK characters
    ("结 果 维 持", "自 然 人": alignment padding) are removed so labels match the template text.
    """
    pieces = [clean_line(p) for p in _LINE_BREAKS.split(text.translate(_ZERO_WIDTH))]
    return squeeze_cjk(join_wrapped(pieces))


@dataclass
class Cell:
    text: str
    rowspan: int = 1
    colspan: int = 1


def build_grid(rows: list[list[Cell]]) -> list[list[str]]:
    """Place cells with row/column spans on a rectangular grid (the HTML table model).

    A cell occupies the first free column of its row; its text goes to its top-left position and the
    positions it covers are "".  Rowspans are clipped at the last row, as browsers do, and absurd spans
    are clipped so that a hostile table cannot allocate an unbounded grid.

    Columns in which no cell starts are dropped: they only hold covered positions, so removing them
    loses nothing.  Word tables are full of them (a border a few twips off its neighbour adds a grid
    column that every row spans), and without this the same table would come out with a different
    width from a .docx, from its .doc and from a PDF of it.
    """
    n_rows = len(rows)
    placed: dict[tuple[int, int], str] = {}
    starts: set[int] = set()
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while (r, c) in placed:
                c += 1
            colspan = min(max(cell.colspan, 1), MAX_COLSPAN)
            rowspan = min(max(cell.rowspan, 1), n_rows - r)
            if len(placed) + colspan * rowspan > MAX_GRID_CELLS:
                colspan = rowspan = 1
            for dr in range(rowspan):
                for dc in range(colspan):
                    placed.setdefault((r + dr, c + dc), "")
            placed[(r, c)] = cell.text
            starts.add(c)
            c += colspan
    columns = sorted(starts)
    return [[placed.get((r, c), "") for c in columns] for r in range(n_rows)]


def place_by_edges(rows: list[list[tuple[float, str]]], edges: list[float]) -> list[list[str]]:
    """Grid of a table whose cells are known by the x position where they start (PDF, antiword).

    ``edges`` are the table's column edges (``merge_edges``); a cell lands in the column whose edge
    is nearest its start, positions nobody starts in stay "", and columns in which no cell starts are
    dropped, as in ``build_grid``.
    """
    placed = [[(nearest_edge(edges, x), text) for x, text in row] for row in rows]
    starts = sorted({c for row in placed for c, _ in row})
    column = {c: k for k, c in enumerate(starts)}
    grid = [[""] * len(starts) for _ in placed]
    for r, row in enumerate(placed):
        for c, text in row:
            k = column[c]
            grid[r][k] = f"{grid[r][k]} {text}".strip() if grid[r][k] else text
    return grid


def merge_edges(a: list[float], b: list[float], tolerance: float) -> list[float]:
    """Union of two sets of column edges; edges closer than ``tolerance`` are the same edge."""
    merged = sorted(a)
    for edge in b:
        if not any(abs(edge - m) <= tolerance for m in merged):
            merged.append(edge)
    return sorted(merged)


def edges_compatible(a: list[float], b: list[float], tolerance: float) -> bool:
    """One edge set contains the other: the rows belong to one grid (some of them with merged cells)."""
    def within(outer: list[float], inner: list[float]) -> bool:
        return all(any(abs(x - y) <= tolerance for y in outer) for x in inner)

    return within(a, b) or within(b, a)


def nearest_edge(edges: list[float], x: float) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - x))


def grid_lines(grid: list[list[str]]) -> list[str]:
    """Rows of a grid as tab-joined lines, padded to the table width; rows with no text are dropped."""
    width = max((len(row) for row in grid), default=0)
    lines = []
    for row in grid:
        cells = [clean_cell(c) for c in row] + [""] * (width - len(row))
        if any(cells):
            lines.append("\t".join(cells))
    return lines
