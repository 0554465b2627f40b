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
    rows = []
    for placed in grid.placed():
        row = [cell.text if origin else "" for cell, origin, _ in placed]
        if grid.fused:
            row = _fused(row, placed)
        rows.append(row)
    return rows


def _fused(row: list[str], placed) -> list[str]:
    """The row label glued to the row's first value (「1属于国家秘密0」): no separator between them.  The
    label moves to the value's position, so the line keeps every grid position."""
    for i in range(len(row) - 1):
        cell, _, _ = placed[i]
        nxt, nxt_origin, _ = placed[i + 1]
        if cell.label and not nxt.label and nxt_origin:
            j = max((k for k in range(i + 1) if row[k]), default=None)
            if j is None:
                return row
            glued = row[j] + row[i + 1]
            return row[:j] + [""] + row[j + 1:i + 1] + [glued] + row[i + 2:]
    return row


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


def _with_page_number(lines: list[str], grid: Grid, per_row: int = 1) -> list[str]:
    """The page number a PDF prints where the table crosses a page (real 002: 「- 4 -」)."""
    if grid.page_break_after is None:
        return lines
    at = (grid.page_break_after + 1) * per_row
    return lines[:at] + ["- 4 -"] + lines[at:]


def render_text(blocks: list[Block], style: str) -> bytes:
    lines: list[str] = []
    for block in blocks:
        if block.kind != "table":
            lines.append(block.text)
            if style == "txt":
                lines.append("")
            continue
        if style == "txt":
            lines += _with_page_number(["\t".join(r) for r in _matrix_rows(block.grid)], block.grid)
            lines.append("")
        elif style == "txt-cells":
            rows = [["\t" + c for c in row] + [""] for row in _word_rows(block.grid)]
            if block.grid.page_break_after is not None:
                rows[block.grid.page_break_after].append("- 4 -")
            lines += [line for row in rows for line in row]
        else:
            lines += _with_page_number([" | ".join(r) + " |" for r in _matrix_rows(block.grid)], block.grid)
    return ("\n".join(lines).rstrip("\n") + "\n").encode("utf-8")
