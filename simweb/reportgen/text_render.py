"""Plain-text renderings, in the three shapes extracted reports arrive in.

* 'txt'       — seed 000: paragraphs separated by blank lines; a table row is one line of
                tab-separated cells, every grid position present (merged positions empty).
* 'txt-cells' — seeds 001/004 (Word's text export): one cell per line, each prefixed by a tab,
                a blank line after each row; a vertically merged cell repeats as an empty cell
                in the rows it covers, a horizontally merged one does not.
* 'txt-pipes' — real-reports excerpts: "cell | cell | cell |", every grid position present.
"""

from __future__ import annotations

from .layout import Block, Grid


def _matrix_rows(grid: Grid) -> list[list[str]]:
    return [[cell.text if origin else "" for cell, origin, _ in row] for row in grid.placed()]


def _word_rows(grid: Grid) -> list[list[str]]:
    rows = []
    for placed in grid.placed():
        cells, c = [], 0
        while c < len(placed):
            cell, origin, same_row = placed[c]
            if origin:
                cells.append(cell.text)
            elif not same_row:
                cells.append("")  # a vertically merged cell is still a cell of this row
            c += cell.colspan if origin or not same_row else 1
        rows.append(cells)
    return rows


def render_text(blocks: list[Block], style: str) -> bytes:
    lines: list[str] = []
    for block in blocks:
        if block.kind != "table":
            lines.append(block.text)
            if style == "txt":
                lines.append("")
            continue
        if style == "txt":
            lines += ["\t".join(r) for r in _matrix_rows(block.grid)]
            lines.append("")
        elif style == "txt-cells":
            for row in _word_rows(block.grid):
                lines += ["\t" + c for c in row]
                lines.append("")
        else:
            lines += [" | ".join(r) + " |" for r in _matrix_rows(block.grid)]
    return ("\n".join(lines).rstrip("\n") + "\n").encode("utf-8")
