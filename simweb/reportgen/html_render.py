"""HTML: the article body a CMS template wraps, and a standalone page.

The body uses only characters GBK can encode (the report text is written that way; the markup is
ASCII), because some simulated sites serve their pages in GBK.
"""

from __future__ import annotations

from html import escape

from .layout import Block, Grid

_STYLE = {
    "title": ' style="text-align:center;font-size:22px;font-weight:bold"',
    "heading": ' style="font-weight:bold"',
    "para": ' style="text-indent:2em"',
    "sign": ' style="text-align:right"',
}


def _table(grid: Grid) -> str:
    out = ['<table border="1" cellspacing="0" cellpadding="4" style="border-collapse:collapse;width:100%">']
    for row in grid.rows:
        out.append("<tr>")
        for cell in row:
            attrs = (f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else "") + (
                f' colspan="{cell.colspan}"' if cell.colspan > 1 else "")
            align = "" if cell.label else ' align="center"'
            out.append(f"<td{attrs}{align}>{escape(cell.text)}</td>")
        out.append("</tr>")
    out.append("</table>")
    return "".join(out)


def body(blocks: list[Block]) -> str:
    parts = []
    for block in blocks:
        if block.kind == "table":
            parts.append(_table(block.grid))
        else:
            parts.append(f"<p{_STYLE[block.kind]}>{escape(block.text)}</p>")
    return "\n".join(parts) + "\n"


def page(title: str, blocks: list[Block]) -> bytes:
    return (f'<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{escape(title)}</title>\n</head>\n<body>\n{body(blocks)}</body>\n</html>\n").encode("utf-8")
