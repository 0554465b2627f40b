"""monitor.extract: real documents built here (reportlab PDFs, python-docx, LibreOffice .doc, GBK HTML).

Expected values come from what each test wrote into its document (or from the fixture files and the
national format in monitor/formats.py), never from the extractor's own output.
"""

from __future__ import annotations

import html
import io
import json
import os
import random
import re
import shutil
import signal
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw
from reportlab.lib import colors
from reportlab.lib import pdfencrypt
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from monitor import formats
from monitor.extract import ExtractError, Extracted, decode_text, extract_bytes, extract_file, sniff_type
from monitor.extract import limits
from monitor.extract.doc import _antiword
from monitor.extract.limits import run_bounded
from monitor.extract.pdf_worker import WORKER

FIXTURES = Path(__file__).parent / "fixtures"
FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
BODY = ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=16, wordWrap="CJK", firstLineIndent=21)
CELL = ParagraphStyle("cell", fontName=FONT, fontSize=7, leading=9, wordWrap="CJK")
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

SECTIONS = [f"{n}、{t}" for n, t in zip(formats.SECTION_NUMERALS, formats.SECTION_TITLES)]
T2_ROWS = [
    ["第二十条第（一）项", "", "", ""],
    ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
    ["规章", "0", "0", "0"],
    ["行政规范性文件", "2", "", "15"],  # a blank cell must stay blank
]


# --------------------------------------------------------------------------------------------------
# Builders


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def rows_of(text: str) -> list[list[str]]:
    return [line.split("\t") for line in text.split("\n") if "\t" in line]


def pdf_table(rows, spans=(), widths=None, paragraphs=False) -> Table:
    data = [[Paragraph(html.escape(c), CELL) if paragraphs and c else c for c in row] for row in rows]
    table = Table(data, colWidths=widths)
    style = [("FONTNAME", (0, 0), (-1, -1), FONT), ("FONTSIZE", (0, 0), (-1, -1), 8),
             ("GRID", (0, 0), (-1, -1), 0.5, colors.black)]
    style += [("SPAN", a, b) for a, b in spans]
    table.setStyle(TableStyle(style))
    return table


def write_pdf(path: Path, story: list) -> Path:
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    return path


def report_pdf(path: Path) -> Path:
    """Three pages: narrative, table 二 (merged header), a table with row spans, page breaks between."""
    from reportlab.platypus import PageBreak

    story = [
        Paragraph("某某区商务局2023年政府信息公开工作年度报告", BODY),
        Paragraph(SECTIONS[0], BODY),
        Paragraph("本报告所列数据的统计期限自2023年1月1日起至2023年12月31日止，" + "本机关持续推进政务公开工作，" * 6
                  + "全年主动公开政府信息135条。", BODY),
        Paragraph(SECTIONS[1], BODY),
        pdf_table(T2_ROWS, spans=[((0, 0), (-1, 0))]),
        PageBreak(),
        Paragraph(SECTIONS[2], BODY),
        pdf_table([
            ["三、本年度办理结果", "（一）予以公开", "", "5"],
            ["", "（三）不予公开", "1.属于国家秘密", "0"],
            ["", "", "2.其他法律行政法规禁止公开", ""],
        ], spans=[((0, 0), (0, 2)), ((1, 0), (2, 0)), ((1, 1), (1, 2))]),
        Paragraph(SECTIONS[3], BODY),
        PageBreak(),
        Paragraph(SECTIONS[4], BODY),
        Paragraph("一是公开内容不够丰富。二是解读形式单一。", BODY),
        Paragraph(SECTIONS[5], BODY),
        Paragraph("无。", BODY),
    ]
    return write_pdf(path, story)


def image_only_pdf(path: Path) -> Path:
    image = Image.new("RGB", (600, 300), "white")
    draw = ImageDraw.Draw(image)
    for y in range(40, 280, 30):
        draw.line((40, y, 560, y), fill="black", width=3)  # a "scanned" page: pixels only
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    c = canvas.Canvas(str(path), pagesize=A4)
    c.drawImage(ImageReader(buffer), 50, 400, width=500, height=250)
    c.showPage()
    c.save()
    return path


def encrypted_pdf(path: Path, user_password: str) -> Path:
    c = canvas.Canvas(str(path), encrypt=pdfencrypt.StandardEncryption(user_password, ownerPassword="owner"))
    c.setFont(FONT, 12)
    c.drawString(72, 700, "一、总体情况 本年度主动公开信息135条")
    c.save()
    return path


def blocks_of(text: str) -> list[tuple[str, object]]:
    """A fixture text as blocks: ('p', line) or ('table', rows) for runs of tab-separated lines."""
    blocks: list[tuple[str, object]] = []
    for line in text.splitlines():
        if "\t" in line:
            if blocks and blocks[-1][0] == "table":
                blocks[-1][1].append(line.split("\t"))
            else:
                blocks.append(("table", [line.split("\t")]))
        elif line.strip():
            blocks.append(("p", line.strip()))
    return blocks


def expected_lines(blocks) -> list[tuple[str, ...]]:
    """What any extractor must give back, compared whitespace-insensitively, one tuple per line."""
    out = []
    for kind, value in blocks:
        if kind == "p":
            out.append((squash(value),))
        else:
            width = max(len(r) for r in value)
            for row in value:
                cells = [squash(c) for c in row] + [""] * (width - len(row))
                if any(cells):
                    out.append(tuple(cells))
    return out


def actual_lines(text: str) -> list[tuple[str, ...]]:
    return [tuple(squash(c) for c in line.split("\t")) for line in text.split("\n") if line.strip()]


def blocks_to_html(blocks, encoding: str = "utf-8") -> bytes:
    parts = [f'<html><head><meta charset="{encoding}"><title>年报</title></head><body>',
             '<div class="nav">首页 &gt; 政府信息公开 &gt; 年报</div><div id="zoom">']
    for kind, value in blocks:
        if kind == "p":
            parts.append(f"<p>　　{html.escape(value)}</p>")
        else:
            parts.append('<table border="1">')
            for row in value:
                parts.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>")
            parts.append("</table>")
    parts.append('</div><div class="footer">主办单位：某某区人民政府办公室</div></body></html>')
    return "\n".join(parts).encode(encoding, errors="xmlcharrefreplace")


def blocks_to_docx(blocks) -> bytes:
    document = docx.Document()
    for kind, value in blocks:
        if kind == "p":
            document.add_paragraph(value)
        else:
            width = max(len(r) for r in value)
            table = document.add_table(rows=len(value), cols=width)
            for r, row in enumerate(value):
                for c, cell in enumerate(row):
                    if cell:
                        table.cell(r, c).text = cell
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def merged_docx() -> docx.Document:
    """Paragraph, table 二 with a merged header, a table with a vertical and a horizontal merge."""
    document = docx.Document()
    document.core_properties.title = "某某区商务局2023年政府信息公开工作年度报告"
    document.add_paragraph(SECTIONS[0])
    document.add_paragraph("本年度主动公开政府信息135条。")
    document.add_paragraph(SECTIONS[1])
    table = document.add_table(rows=4, cols=4)
    table.style = "Table Grid"
    for r, row in enumerate(T2_ROWS):
        for c, value in enumerate(row):
            if value:
                table.cell(r, c).text = value
    table.cell(0, 0).merge(table.cell(0, 3))
    document.add_paragraph(SECTIONS[2])
    t3 = document.add_table(rows=3, cols=4)
    t3.style = "Table Grid"
    t3.cell(0, 0).text = "三、本年度办理结果"
    t3.cell(0, 1).text = "（一）予以公开"
    t3.cell(0, 3).text = "5"
    t3.cell(1, 1).text = "（三）不予公开"
    t3.cell(1, 2).text = "1.属于国家秘密"
    t3.cell(1, 3).text = "0"
    t3.cell(2, 2).text = "2.其他法律行政法规禁止公开"
    t3.cell(0, 0).merge(t3.cell(2, 0))
    t3.cell(0, 1).merge(t3.cell(0, 2))
    t3.cell(1, 1).merge(t3.cell(2, 1))
    document.add_paragraph(SECTIONS[3])
    return document


MERGED_T3 = [
    ["三、本年度办理结果", "（一）予以公开", "", "5"],
    ["", "（三）不予公开", "1.属于国家秘密", "0"],
    ["", "", "2.其他法律行政法规禁止公开", ""],
]


def docx_bytes(document: docx.Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def soffice_convert(source: Path, target_ext: str, outdir: Path) -> Path:
    profile = outdir / f"profile-{target_ext}"
    subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation={profile.as_uri()}", "--convert-to",
                    target_ext, "--outdir", str(outdir), str(source)], check=True, capture_output=True,
                   timeout=120)
    return outdir / f"{source.stem}.{target_ext}"


# --------------------------------------------------------------------------------------------------
# PDF


def test_pdf_tables_become_tab_rows_and_narrative_stays_in_order(tmp_path):
    result = extract_file(report_pdf(tmp_path / "report.pdf"))
    assert (result.doc_type, result.pages, result.has_text_layer) == ("pdf", 3, True)
    lines = result.text.split("\n")
    assert ["规章", "0", "0", "0"] in rows_of(result.text)
    assert ["行政规范性文件", "2", "", "15"] in rows_of(result.text)
    assert ["第二十条第（一）项", "", "", ""] in rows_of(result.text)
    for row in MERGED_T3[:2]:
        assert row in rows_of(result.text)
    # The paragraph wrapped over several PDF lines comes back as one line.
    assert "本报告所列数据的统计期限自2023年1月1日起至2023年12月31日止，" + "本机关持续推进政务公开工作，" * 6 \
        + "全年主动公开政府信息135条。" in lines
    # Headings in reading order, table text not repeated as narrative.
    positions = [lines.index(s) for s in SECTIONS]
    assert positions == sorted(positions)
    assert result.text.count("本年制发件数") == 1
    assert lines.index(SECTIONS[1]) < lines.index("规章\t0\t0\t0") < lines.index(SECTIONS[2])
    assert result.meta["Producer"].startswith("ReportLab")


def test_pdf_rows_with_a_blank_row_keep_equal_cell_counts(tmp_path):
    result = extract_file(report_pdf(tmp_path / "report.pdf"))
    t3 = [row for row in rows_of(result.text) if len(row) == 4 and row[0] in ("三、本年度办理结果", "")]
    assert t3 == MERGED_T3


def test_image_only_pdf_has_no_text_layer(tmp_path):
    result = extract_file(image_only_pdf(tmp_path / "scan.pdf"))
    assert (result.text, result.has_text_layer, result.pages, result.doc_type) == ("", False, 1, "pdf")


def test_pdf_with_user_password_is_encrypted(tmp_path):
    with pytest.raises(ExtractError) as err:
        extract_file(encrypted_pdf(tmp_path / "locked.pdf", "secret"))
    assert err.value.code == "encrypted"


def test_pdf_with_only_an_owner_password_is_read(tmp_path):
    # Opens with the empty user password; pdfminer cannot map this encrypted CID font, pdfium can.
    result = extract_file(encrypted_pdf(tmp_path / "restricted.pdf", ""))
    assert result.text == "一、总体情况 本年度主动公开信息135条"


def test_truncated_pdf_is_corrupt(tmp_path):
    data = report_pdf(tmp_path / "report.pdf").read_bytes()
    with pytest.raises(ExtractError) as err:
        extract_bytes(data[: len(data) // 3], "cut.pdf")
    assert err.value.code == "corrupt"


def test_pdf_layout_budget_spent_falls_back_to_plain_text(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "PDF_SOFT_BUDGET", 0.0)
    result = extract_file(report_pdf(tmp_path / "report.pdf"))
    for heading in SECTIONS:
        assert heading in result.text.split("\n")
    assert "\t" not in result.text  # pdfium text only: no table structure, but nothing lost
    assert "行政规范性文件 2 15" in result.text


def test_pdf_worker_killed_at_hard_timeout(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "PDF_HARD_TIMEOUT", 0.0)
    with pytest.raises(ExtractError) as err:
        extract_file(report_pdf(tmp_path / "report.pdf"))
    assert err.value.code == "timeout"


def test_pdf_worker_is_replaced_after_a_crash_and_a_timeout(tmp_path, monkeypatch):
    path = report_pdf(tmp_path / "report.pdf")
    extract_file(path)
    os.killpg(WORKER._proc.pid, signal.SIGKILL)  # dies between two documents
    assert SECTIONS[5] in extract_file(path).text.split("\n")
    with monkeypatch.context() as patch:
        patch.setattr(limits, "PDF_HARD_TIMEOUT", 0.0)
        with pytest.raises(ExtractError):
            extract_file(path)
    assert SECTIONS[5] in extract_file(path).text.split("\n")


def test_pdf_page_limit_reads_first_pages_but_reports_the_count(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "PDF_MAX_PAGES", 1)
    result = extract_file(report_pdf(tmp_path / "report.pdf"))
    assert result.pages == 3
    assert SECTIONS[1] in result.text and SECTIONS[2] not in result.text


def test_pdf_page_too_dense_to_lay_out_keeps_its_text(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "PDF_MAX_PAGE_CHARS", 10)
    result = extract_file(report_pdf(tmp_path / "report.pdf"))
    assert "\t" not in result.text and SECTIONS[5] in result.text


def test_seed_report_round_trips_through_pdf(tmp_path):
    text = (FIXTURES / "seeds" / "002_be4f22ab9d97ff02.txt").read_text(encoding="utf-8")
    blocks = blocks_of(text)
    story = []
    for kind, value in blocks:
        if kind == "p":
            story.append(Paragraph(html.escape(value), BODY))
        else:
            width = max(len(r) for r in value)
            rows = [r + [""] * (width - len(r)) for r in value]
            story.append(pdf_table(rows, widths=[480 / width] * width, paragraphs=True))
    result = extract_file(write_pdf(tmp_path / "seed.pdf", story))
    assert actual_lines(result.text) == expected_lines(blocks)


# --------------------------------------------------------------------------------------------------
# DOCX


def test_docx_merged_cells_and_document_order():
    result = extract_bytes(docx_bytes(merged_docx()), "report.docx")
    lines = result.text.split("\n")
    assert result.doc_type == "docx"
    assert result.title == "某某区商务局2023年政府信息公开工作年度报告"
    assert lines == [SECTIONS[0], "本年度主动公开政府信息135条。", SECTIONS[1]] \
        + ["\t".join(r) for r in T2_ROWS] + [SECTIONS[2]] + ["\t".join(r) for r in MERGED_T3] + [SECTIONS[3]]


def test_docx_text_in_smart_tags_and_revisions():
    document = docx.Document()
    p = document.add_paragraph("统计期限自")
    p._p.append(parse_xml(
        f'<w:smartTag {nsdecls("w")} w:uri="urn:schemas-microsoft-com:office:smarttags" w:element="chsdate">'
        "<w:r><w:t>2023年1月1日</w:t></w:r></w:smartTag>"))
    p._p.append(parse_xml(f'<w:ins {nsdecls("w")} w:id="1" w:author="a"><w:r><w:t>起至</w:t></w:r></w:ins>'))
    p._p.append(parse_xml(f'<w:del {nsdecls("w")} w:id="2" w:author="a"><w:r><w:delText>删除</w:delText></w:r></w:del>'))
    p.add_run("2023年12月31日止。")
    assert extract_bytes(docx_bytes(document), "a.docx").text == "统计期限自2023年1月1日起至2023年12月31日止。"


def test_docx_nested_table_is_read_once():
    document = docx.Document()
    outer = document.add_table(rows=1, cols=1)
    outer.cell(0, 0).paragraphs[0].text = "附表"
    inner = outer.cell(0, 0).add_table(rows=2, cols=2)
    for r, row in enumerate([["规章", "0"], ["行政规范性文件", "3"]]):
        for c, value in enumerate(row):
            inner.cell(r, c).text = value
    result = extract_bytes(docx_bytes(document), "a.docx")
    assert result.text.split("\n") == ["附表", "规章\t0", "行政规范性文件\t3"]


def test_docx_zip_bomb_is_refused_before_inflating(tmp_path):
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1 << 22)
            for _ in range(256):  # 1 GiB of zeros, about 4 MB on disk
                member.write(chunk)
    with pytest.raises(ExtractError) as err:
        extract_file(path)
    assert err.value.code == "zip_bomb"


def test_docx_that_is_not_a_word_zip_is_corrupt():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(ExtractError) as err:
        extract_bytes(buffer.getvalue(), "report.docx")
    assert err.value.code == "corrupt"
    truncated = docx_bytes(merged_docx())[:3000]
    with pytest.raises(ExtractError) as err:
        extract_bytes(truncated, "report.docx")
    assert err.value.code == "corrupt"


# --------------------------------------------------------------------------------------------------
# DOC / WPS (OLE2 Word binaries) and RTF


def wide_table_docx() -> docx.Document:
    """Table 四's shape: 15 narrow columns under merged headers (antiword cannot follow these)."""
    document = docx.Document()
    document.add_paragraph(SECTIONS[3])
    table = document.add_table(rows=3, cols=15)
    table.cell(0, 0).text, table.cell(0, 5).text = "行政复议", "行政诉讼"
    table.cell(0, 0).merge(table.cell(0, 4))
    table.cell(0, 5).merge(table.cell(0, 14))
    for c, label in enumerate(formats.T4_COLUMNS * 3):
        table.cell(1, c).text = label
    for c in range(15):
        table.cell(2, c).text = str(c % 5)
    document.add_paragraph(SECTIONS[4])
    return document


WIDE_TABLE_LINES = [SECTIONS[3], "行政复议\t\t\t\t\t行政诉讼" + "\t" * 9, "\t".join(formats.T4_COLUMNS * 3),
                    "\t".join(str(c % 5) for c in range(15)), SECTIONS[4]]
MERGED_DOC_LINES = [SECTIONS[0], "本年度主动公开政府信息135条。", SECTIONS[1]] + ["\t".join(r) for r in T2_ROWS] \
    + [SECTIONS[2]] + ["\t".join(r) for r in MERGED_T3] + [SECTIONS[3]]


@pytest.fixture(scope="module")
def word_binaries(tmp_path_factory):
    """.doc and .rtf files made by LibreOffice: the tests that use it are marked requires("soffice")."""
    folder = tmp_path_factory.mktemp("word")
    source = folder / "report.docx"
    source.write_bytes(docx_bytes(merged_docx()))
    wide = folder / "wide.docx"
    wide.write_bytes(docx_bytes(wide_table_docx()))
    return {"doc": soffice_convert(source, "doc", folder), "rtf": soffice_convert(source, "rtf", folder),
            "wide": soffice_convert(wide, "doc", folder)}


@pytest.mark.requires("soffice", "antiword")
def test_doc_via_antiword_keeps_paragraphs_and_merged_tables(word_binaries):
    assert _antiword(shutil.which("antiword"), word_binaries["doc"]) == MERGED_DOC_LINES
    result = extract_file(word_binaries["doc"])
    assert result.doc_type == "doc"
    assert result.text.split("\n") == MERGED_DOC_LINES


@pytest.mark.requires("soffice", "antiword")
def test_doc_table_antiword_cannot_follow_is_read_by_libreoffice(word_binaries):
    assert _antiword(shutil.which("antiword"), word_binaries["wide"]) is None  # it leaks "|" cells
    assert extract_file(word_binaries["wide"]).text.split("\n") == WIDE_TABLE_LINES


def test_docx_wide_merged_table():
    assert extract_bytes(docx_bytes(wide_table_docx()), "a.docx").text.split("\n") == WIDE_TABLE_LINES


@pytest.mark.requires("soffice")
def test_wps_named_ole_file_is_read_as_wps(word_binaries):
    result = extract_bytes(word_binaries["doc"].read_bytes(), "报告.wps")
    assert result.doc_type == "wps"
    assert ["规章", "0", "0", "0"] in rows_of(result.text)


@pytest.mark.requires("soffice")
def test_rtf_saved_as_doc_falls_back_to_libreoffice(word_binaries):
    result = extract_bytes(word_binaries["rtf"].read_bytes(), "report.doc")
    assert result.doc_type == "doc"
    lines = result.text.split("\n")
    for heading in SECTIONS[:4]:
        assert heading in lines
    # LibreOffice joins the two adjacent tables into one grid; cells keep their text and order.
    squeezed = [[c for c in row if c] for row in rows_of(result.text)]
    assert ["规章", "0", "0", "0"] in squeezed
    assert ["三、本年度办理结果", "（一）予以公开", "5"] in squeezed
    assert len({len(row) for row in rows_of(result.text)}) == 1


@pytest.mark.requires("antiword", "soffice")
def test_unreadable_ole_file_is_corrupt_not_garbage():
    data = bytes.fromhex("d0cf11e0a1b11ae1") + random.Random(1).randbytes(4096)
    with pytest.raises(ExtractError) as err:
        extract_bytes(data, "broken.doc")
    assert err.value.code == "corrupt"


def test_doc_without_converters_names_the_debian_package(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    data = bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 512
    with pytest.raises(ExtractError) as err:
        extract_bytes(data, "a.doc")
    assert err.value.code == "unsupported"
    assert "antiword" in err.value.message and "libreoffice-writer-nogui" in err.value.message


# --------------------------------------------------------------------------------------------------
# HTML


def t3_html(values) -> tuple[str, list[list[str]]]:
    """Table 三 laid out as the official 2021 template, and the grid it must become."""
    fmt = formats.FORMAT_2021
    grid: list[list[str]] = []
    rows = [
        '<tr><td colspan="3" rowspan="3">' + formats.T3_NOTE + '</td><td colspan="7">申请人情况</td></tr>',
        '<tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td><td rowspan="2">总计</td></tr>',
        "<tr>" + "".join(f"<td>{c}</td>" for c in formats.T3_COLUMNS[1:6]) + "</tr>",
    ]
    grid += [[formats.T3_NOTE, "", "", "申请人情况"] + [""] * 6,
             ["", "", "", "自然人", "法人或其他组织", "", "", "", "", "总计"],
             ["", "", "", ""] + list(formats.T3_COLUMNS[1:6]) + [""]]

    def numbers(key):
        cells = values[key]
        return "".join(f"<td>{v}</td>" for v in cells), list(cells)

    for row in formats.T3_HEAD_ROWS:
        tds, cells = numbers(row.key)
        rows.append(f'<tr><td colspan="3">{row.label}</td>{tds}</tr>')
        grid.append([row.label, "", ""] + cells)
    result_rows = [r for r in fmt.t3_rows if r.key.startswith("r") or r.key == "total"]
    groups = {"r3": 8, "r4": 3, "r5": 5, "r6": 3}
    for i, row in enumerate(result_rows):
        tds, cells = numbers(row.key)
        first = i == 0
        lead = f'<td rowspan="{len(result_rows)}">三、本年度办理结果</td>' if first else ""
        label_cells = ["三、本年度办理结果" if first else ""]
        group = row.key.split("_")[0]
        if "_" in row.key:
            start = row.key.endswith("_1")
            head = f'<td rowspan="{groups[group]}">{formats.T3_GROUPS[group]}</td>' if start else ""
            rows.append(f"<tr>{lead}{head}<td>{row.label}</td>{tds}</tr>")
            label_cells += [formats.T3_GROUPS[group] if start else "", row.label]
        else:
            rows.append(f'<tr>{lead}<td colspan="2">{row.label}</td>{tds}</tr>')
            label_cells += [row.label, ""]
        grid.append(label_cells + cells)
    tds, cells = numbers("carry_next")
    rows.append(f'<tr><td colspan="3">四、结转下年度继续办理</td>{tds}</tr>')
    grid.append(["四、结转下年度继续办理", "", ""] + cells)
    return '<table border="1" cellspacing="0">' + "\n".join(rows) + "</table>", grid


def test_html_table_three_rowspans_and_colspans_become_a_grid():
    rng = random.Random(3)
    keys = [r.key for r in formats.FORMAT_2021.t3_rows]
    values = {k: [str(rng.randint(0, 99)) for _ in range(7)] for k in keys}
    values["r3_8"][2] = ""  # blank stays blank
    table, grid = t3_html(values)
    page = (f'<html><head><meta charset="utf-8"><title>2023年年报</title></head><body>'
            f'<div id="zoom"><p>{SECTIONS[2]}</p>{table}<p>{SECTIONS[3]}</p></div></body></html>')
    result = extract_bytes(page.encode("utf-8"), "t3.html")
    lines = result.text.split("\n")
    assert lines[0] == SECTIONS[2] and lines[-1] == SECTIONS[3]
    assert [line.split("\t") for line in lines[1:-1]] == grid
    assert len(grid) == 3 + 2 + 22 + 1
    assert all(len(row) == 10 for row in grid)


def test_html_main_container_and_noise():
    page = """<!DOCTYPE html><html><head>
    <meta http-equiv="Content-Type" content="text/html; charset=utf-8">
    <meta name="ArticleTitle" content="某某区商务局2023年政府信息公开工作年度报告">
    <meta name="PubDate" content="2024-01-16 10:00"><meta name="ContentSource" content="某某区商务局">
    <title>某某区商务局2023年政府信息公开工作年度报告_某某区人民政府</title>
    <style>p { color: red }</style><script>var countPage = 2;</script></head>
    <body><header>某某区人民政府 网站首页</header><nav>政务公开 | 政务服务</nav>
    <div class="TRS_Editor"><p>一、总体情况<br/>　　本年度主动公开信息<b>135</b>条。</p>
    <div style="display:none">隐藏文字</div><script>document.write("x")</script>
    <table><tr><td><table border="1"><tr><td>规章</td><td>0</td></tr>
    <tr><td>行政规范性<br>文件</td><td>3</td></tr></table></td></tr></table></div>
    <div class="related">相关文章：另一篇报告</div><footer>版权所有</footer></body></html>"""
    result = extract_bytes(page.encode("utf-8"), "a.html")
    assert result.text.split("\n") == ["一、总体情况", "本年度主动公开信息135条。", "规章\t0", "行政规范性文件\t3"]
    assert result.title == "某某区商务局2023年政府信息公开工作年度报告"
    assert result.meta == {"ArticleTitle": "某某区商务局2023年政府信息公开工作年度报告",
                           "PubDate": "2024-01-16 10:00", "ContentSource": "某某区商务局"}


def test_html_without_container_reads_body_without_chrome():
    page = ("<html><head><title>年报</title></head><body><nav>导航</nav><h1>2023年年报</h1>"
            "<div><p>一、总体情况</p><ul><li>（一）主动公开</li><li>（二）依申请公开</li></ul></div>"
            "<footer>网站地图</footer></body></html>")
    result = extract_bytes(page.encode("utf-8"), None, "text/html")
    assert result.text.split("\n") == ["2023年年报", "一、总体情况", "（一）主动公开", "（二）依申请公开"]
    assert result.title == "年报"


def test_html_container_that_is_only_a_widget_is_ignored():
    page = ('<html><body><div id="zoom">字号：大 中 小</div><div class="main"><p>' + SECTIONS[0] + "</p><p>"
            + "本年度主动公开政府信息135条。" * 5 + "</p></div></body></html>")
    lines = extract_bytes(page.encode("utf-8"), "a.html").text.split("\n")
    assert SECTIONS[0] in lines and "本年度主动公开政府信息135条。" * 5 in lines


def test_mht_web_archive_saved_as_doc():
    import quopri

    page = f'<html><head><meta charset="gb2312"></head><body><p>{SECTIONS[0]}</p><table><tr><td>规章</td>' \
           "<td>0</td></tr></table></body></html>"
    body = quopri.encodestring(page.encode("gbk")).decode("ascii")
    data = ("MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"b1\"\r\n\r\n--b1\r\n"
            "Content-Type: text/html; charset=\"gb2312\"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
            f"{body}\r\n--b1--\r\n").encode("ascii")
    result = extract_bytes(data, "report.doc", "application/msword")
    assert (result.doc_type, result.text) == ("html", f"{SECTIONS[0]}\n规章\t0")


def test_html_hostile_spans_and_depth_do_not_blow_up():
    spans = '<table><tr><td colspan="99999999" rowspan="0">a</td><td>b</td></tr><tr><td>c</td></tr></table>'
    deep = "<font>" * 1500 + "深层文字"  # never closed, as on old FrontPage-made pages
    result = extract_bytes(f"<html><body>{spans}{deep}</body></html>".encode(), "x.html")
    assert "深层文字" in result.text
    rows = rows_of(result.text)
    assert rows[0][0] == "a" and rows[0][-1] == "b" and len({len(r) for r in rows}) == 1


# --------------------------------------------------------------------------------------------------
# Encodings

SHORT = "年度报告"  # under 15 characters: charset-normalizer guesses big5hkscs/cp949 here
LONG = "一、总体情况\n本年度，区商务局认真贯彻落实《中华人民共和国政府信息公开条例》，主动公开政府信息135条。" * 5
RARE = "𠀀䶮𫭢"  # GB18030 four-byte characters that GBK lacks


@pytest.mark.parametrize("text", [SHORT, LONG], ids=["short", "long"])
def test_gbk_bytes_declared_undeclared_and_mislabelled(text):
    data = text.encode("gbk")
    assert decode_text(data) == (text, "gb18030")
    assert decode_text(data, "GBK") == (text, "gb18030")
    assert decode_text(data, "gb2312") == (text, "gb18030")
    assert decode_text(data, "utf-8") == (text, "gb18030")  # served with a wrong charset=utf-8
    assert decode_text(data, "iso-8859-1") == (text, "gb18030")  # Java servers' default label


@pytest.mark.parametrize("text", [SHORT, LONG], ids=["short", "long"])
def test_utf8_with_and_without_bom_and_mislabelled_as_gbk(text):
    assert decode_text(text.encode("utf-8")) == (text, "utf-8")
    assert decode_text(b"\xef\xbb\xbf" + text.encode("utf-8")) == (text, "utf-8")
    assert decode_text(text.encode("utf-8"), "gb2312") == (text, "utf-8")
    assert decode_text("\ufeff".encode("utf-16-le") + text.encode("utf-16-le")) == (text, "utf-16-le")


def test_gb18030_four_byte_characters():
    text = SHORT + RARE
    assert decode_text(text.encode("gb18030")) == (text, "gb18030")
    assert decode_text(text.encode("gb18030"), "gb2312") == (text, "gb18030")


def test_cut_off_download_keeps_everything_but_the_broken_character():
    assert decode_text(LONG.encode("utf-8")[:-1]) == (LONG[:-1] + "\ufffd", "utf-8")
    assert decode_text(LONG.encode("gbk")[:-1]) == (LONG[:-1] + "\ufffd", "gb18030")


def test_non_chinese_page_is_left_to_charset_normalizer():
    text = "Страница не найдена. Запрошенный документ отсутствует на сервере. " * 3
    assert decode_text(text.encode("cp1251"))[0] == text


def test_html_charset_from_meta_header_and_wrong_header():
    page = f'<html><head><meta charset="gb2312"><title>{SHORT}</title></head><body><p>{LONG}</p></body></html>'
    data = page.encode("gbk")
    for content_type in (None, "text/html; charset=utf-8", "text/html;charset=GBK"):
        result = extract_bytes(data, "a.html", content_type)
        assert (result.title, result.encoding) == (SHORT, "gb18030")
        assert squash(result.text) == squash(LONG)
    bare = f"<html><body><p>{SHORT}</p></body></html>".encode("gbk")  # short and undeclared
    assert extract_bytes(bare, "a.html").text == SHORT
    xhtml = f'<?xml version="1.0" encoding="gbk"?><html><body><p>{SHORT}</p></body></html>'.encode("gbk")
    assert extract_bytes(xhtml, "a.xhtml").text == SHORT


# --------------------------------------------------------------------------------------------------
# Plain text, sniffing, limits


def test_txt_newlines_normalised_tabs_and_pipes_kept():
    raw = "一、总体情况\r\n规章\t0\t0\t0\r| 行政许可 | 3 |\n\n六、其他需要报告的事项\r\n"
    result = extract_bytes(raw.encode("gbk"), "a.txt")
    assert result.text == "一、总体情况\n规章\t0\t0\t0\n| 行政许可 | 3 |\n\n六、其他需要报告的事项\n"
    assert (result.doc_type, result.encoding, result.title) == ("txt", "gb18030", None)


@pytest.mark.parametrize("path", sorted((FIXTURES / "seeds").glob("*.txt"))
                         + sorted((FIXTURES / "real-reports").rglob("*.txt")), ids=lambda p: p.name)
def test_fixture_files_round_trip(path):
    raw = path.read_bytes().decode("utf-8")
    result = extract_file(path)
    assert (result.doc_type, result.encoding) == ("txt", "utf-8")
    assert result.text == raw.replace("\r\n", "\n").replace("\r", "\n")


def complete_fixtures() -> list[Path]:
    index = json.loads((FIXTURES / "real-reports" / "index.json").read_text(encoding="utf-8"))
    return sorted((FIXTURES / "seeds").glob("*.txt")) + [
        FIXTURES / "real-reports" / entry["file"] for entry in index["complete"] if entry["is_complete"]]


@pytest.mark.parametrize("path", complete_fixtures(), ids=lambda p: p.name)
def test_complete_reports_round_trip_through_docx_and_html(path):
    """Each complete report, rewritten as .docx and as a GBK page (tab lines as tables), comes back."""
    raw = path.read_text(encoding="utf-8")
    blocks = blocks_of(raw)
    headings = [h for h in SECTIONS if squash(h) in squash(raw)]
    for result in (extract_bytes(blocks_to_docx(blocks), "report.docx"),
                   extract_bytes(blocks_to_html(blocks, "gbk"), "report.html")):
        assert actual_lines(result.text) == expected_lines(blocks)
        assert all(squash(h) in squash(result.text) for h in headings)


@pytest.mark.parametrize(("data", "name", "ctype", "expected"), [
    (b"%PDF-1.7\n...", "report.doc", None, "pdf"),
    (b"<!DOCTYPE html><html><body>x</body></html>", "report.doc", "application/msword", "html"),
    (bytes.fromhex("d0cf11e0a1b11ae1") + "WordDocument".encode("utf-16-le"), "x.wps", None, "wps"),
    (bytes.fromhex("d0cf11e0a1b11ae1") + "WordDocument".encode("utf-16-le"), None, None, "doc"),
    (bytes.fromhex("d0cf11e0a1b11ae1") + "Workbook".encode("utf-16-le"), "x.xls", None, "unsupported"),
    (b"{\\rtf1\\ansi text}", "report.doc", None, "doc"),
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 20, "report.pdf", None, "unsupported"),
    ("一、总体情况\n规章\t0".encode("gbk"), None, None, "txt"),
    (b"<p>a</p><p>b</p><br><div>c</div>", None, None, "html"),
    ("一、总体情况".encode("utf-8"), "download", "text/html; charset=utf-8", "html"),
])
def test_sniff_type(data, name, ctype, expected):
    assert sniff_type(data, name, ctype) == expected


def test_sniff_docx_by_content_not_name():
    data = docx_bytes(merged_docx())
    assert sniff_type(data, None, "application/octet-stream") == "docx"
    assert sniff_type(data, "report.pdf") == "docx"
    assert extract_bytes(data, "downfile.jsp").doc_type == "docx"


def test_size_limits(tmp_path):
    big = tmp_path / "big.pdf"
    with open(big, "wb") as handle:
        handle.truncate(100 * 1024 * 1024)  # sparse: no disk space, no read
    with pytest.raises(ExtractError) as err:
        extract_file(big)
    assert err.value.code == "too_large"
    with pytest.raises(ExtractError) as err:
        extract_bytes(b"x" * 101, "a.txt", max_bytes=100)
    assert err.value.code == "too_large"
    empty = tmp_path / "empty.html"
    empty.touch()
    for call in (lambda: extract_file(empty), lambda: extract_bytes(b"", "a.pdf")):
        with pytest.raises(ExtractError) as err:
            call()
        assert err.value.code == "empty"


def test_paths_that_cannot_be_read(tmp_path):
    for path in (tmp_path / "missing.pdf", tmp_path):
        with pytest.raises(ExtractError) as err:
            extract_file(path)
        assert err.value.code == "unreadable" and str(path) in err.value.message


@pytest.mark.parametrize("name", [None, "a.pdf", "a.docx", "a.doc", "a.wps", "a.html", "a.txt"])
def test_random_bytes_never_raise_anything_but_extract_error(name):
    rng = random.Random(name or "none")
    for size in (1, 100, 5000):
        data = rng.randbytes(size)
        try:
            result = extract_bytes(data, name)
        except ExtractError as exc:
            assert exc.code in ("unsupported", "corrupt") and exc.message
        else:
            assert isinstance(result, Extracted) and result.doc_type in ("txt", "html")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(min_size=1, max_size=3000), name=st.sampled_from([None, "a.html", "a.txt", "a.htm"]))
def test_arbitrary_bytes_as_text_or_html(data, name):
    try:
        result = extract_bytes(data, name)
    except ExtractError as exc:
        assert exc.code in ("unsupported", "corrupt")
    else:
        assert isinstance(result.text, str)


def test_run_bounded_kills_the_whole_process_group():
    done = run_bounded(["sh", "-c", "sleep 30 & echo $!; wait"], timeout=0.5)
    assert done.timed_out
    child = int(done.stdout.split()[0])
    assert _gone_within(child, seconds=5)


def _gone_within(pid: int, seconds: float) -> bool:
    """The process no longer runs (reaped, or a zombie/dead entry awaiting its reaper)."""
    import time

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            return True
        if state in ("Z", "X"):
            return True
        time.sleep(0.05)
    return False
