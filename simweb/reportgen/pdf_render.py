"""PDF renderings: a text-layer PDF with ruled tables, and a scanned one without text.

The text PDF uses reportlab's built-in CID font STSong-Light (no font file embedded, pdfplumber
reads it exactly) and draws every table with GRID lines and the official merged cells, so table
extraction finds real tables.  The scanned PDF is the same layout typeset with WenQuanYi Zen Hei
(embedded, so a rasteriser can draw it), rasterised page by page and put back as images only:
what a scanner produces, and what the checker must report as content.no_text.
"""

from __future__ import annotations

import io
import threading
from xml.sax.saxutils import escape

import pypdfium2
from reportlab import rl_config
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .layout import COLUMN_WIDTHS_MM, Block, Grid

# Streams stay binary, as a scanner's or Word's PDF has them, not ASCII85 text: reportlab encodes ASCII85
# in pure Python (its C accelerator is a package apart), a third of the time a scanned report took.
rl_config.useA85 = 0

TEXT_FONT = "STSong-Light"
SCAN_FONT = "WenQuanYiZenHei"
SCAN_FONT_FILE = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
SCAN_DPI = 110


def _font(name: str) -> str:
    if name not in pdfmetrics.getRegisteredFontNames():
        if name == TEXT_FONT:
            pdfmetrics.registerFont(UnicodeCIDFont(TEXT_FONT))
        else:
            pdfmetrics.registerFont(TTFont(SCAN_FONT, SCAN_FONT_FILE, subfontIndex=0))
    return name


def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = dict(fontName=font, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", fontSize=16, leading=24, alignment=TA_CENTER, spaceAfter=10, **base),
        "heading": ParagraphStyle("heading", fontSize=11.5, leading=18, spaceBefore=6, spaceAfter=3, **base),
        "para": ParagraphStyle("para", fontSize=10.5, leading=17, firstLineIndent=21, spaceAfter=2, **base),
        "sign": ParagraphStyle("sign", fontSize=10.5, leading=17, alignment=TA_RIGHT, **base),
        "cell": ParagraphStyle("cell", fontSize=7.5, leading=9.5, alignment=TA_CENTER, **base),
        "label": ParagraphStyle("label", fontSize=7.5, leading=9.5, **base),
    }


def _table(grid: Grid, styles: dict, font: str) -> Table:
    data = []
    commands = [("GRID", (0, 0), (-1, -1), 0.5, "black"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("FONTNAME", (0, 0), (-1, -1), font), ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2)]
    for r, placed in enumerate(grid.placed()):
        row = []
        for c, (cell, origin, _) in enumerate(placed):
            if not origin:
                row.append("")
                continue
            row.append(Paragraph(escape(cell.text), styles["label" if cell.label and grid.name != "四" else "cell"]))
            if cell.rowspan > 1 or cell.colspan > 1:
                commands.append(("SPAN", (c, r), (c + cell.colspan - 1, r + cell.rowspan - 1)))
        data.append(row)
    return Table(data, colWidths=[w * mm for w in COLUMN_WIDTHS_MM[grid.name]], style=TableStyle(commands))


def _pdf(title: str, author: str, blocks: list[Block], font: str) -> bytes:
    styles = _styles(_font(font))
    story = []
    for block in blocks:
        if block.kind == "table":
            story += [Spacer(1, 2 * mm), _table(block.grid, styles, font), Spacer(1, 3 * mm)]
        else:
            story.append(Paragraph(escape(block.text), styles[block.kind]))
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=22 * mm,
                            bottomMargin=20 * mm, title=title, author=author, invariant=1)
    doc.build(story)
    return buf.getvalue()


def text_pdf(title: str, author: str, blocks: list[Block]) -> bytes:
    return _pdf(title, author, blocks, TEXT_FONT)


_PDFIUM = threading.Lock()
"""PDFium is not thread-safe, and the simulated web renders documents in a thread pool (simweb.content):
two scanned PDFs rendered at once crashed the whole process (a segfault in libpdfium)."""


def scanned_pdf(title: str, author: str, blocks: list[Block]) -> bytes:
    text = _pdf(title, author, blocks, SCAN_FONT)
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4, invariant=1)
    width, height = A4
    with _PDFIUM:
        source = pypdfium2.PdfDocument(text)
        try:
            images = [page.render(scale=SCAN_DPI / 72, grayscale=True).to_pil().convert("L") for page in source]
        finally:
            source.close()
    for image in images:
        jpeg = io.BytesIO()
        image.save(jpeg, format="JPEG", quality=70)
        jpeg.seek(0)
        pdf.drawImage(ImageReader(jpeg), 0, 0, width=width, height=height)
        pdf.showPage()
    pdf.save()
    return out.getvalue()
