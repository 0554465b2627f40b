"""HTML report pages: the article body as lines, its tables as tab-separated grids.

Government CMSs wrap the report in a known container (div#zoom on gkmlpt/JPaaS sites, div.TRS_Editor on
TRS WCM, #vsb_content / .v_news_content on VSB, or an <article>); when one is present only it is read,
so navigation, related-article lists and footers do not leak into the report text.  Otherwise the body
is read with the obvious chrome (script, style, nav, header, footer, ...) removed.

MIME web archives (.mht, often served as .doc by office systems) are unwrapped to their HTML part.

Tables: a table whose cells hold data becomes a grid honouring rowspan and colspan (monitor/extract/
cells.py).  A table that contains another table, has a single column, or has cells with whole
paragraphs of prose is a layout table: its cells are read as ordinary blocks, so only the innermost
data tables become grids and no text is emitted twice.
"""

from __future__ import annotations

import email
import re

import lxml.etree
import lxml.html

from monitor.extract import limits
from monitor.extract.cells import Cell, build_grid, clean_line, grid_lines, squeeze_cjk
from monitor.extract.encoding import charset_from_content_type, decode_with_declarations
from monitor.extract.result import ExtractError, Extracted
from monitor.extract.sniff import is_mhtml

_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_:.\-]+)", re.I)
_XML_ENCODING = re.compile(rb"^\s*<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9_.\-]+)", re.I)
_DECLARATION_WINDOW = 16384

# Content containers of the CMS families in ../shared/docs/site-archetypes.md, most specific first.
_CONTAINERS = (
    "//*[@id='zoom']",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' TRS_Editor ')]",
    "//*[@id='vsb_content']",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' v_news_content ')]",
    "//article",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' article-content ')]",
    "//*[@id='content']",
)
_NOISE = {
    "script", "style", "noscript", "template", "nav", "header", "footer", "iframe", "frame", "object",
    "embed", "select", "button", "textarea", "svg", "canvas", "audio", "video", "head",
}
_BLOCKS = {
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog",
    "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "form", "h1", "h2", "h3", "h4", "h5",
    "h6", "hgroup", "hr", "legend", "li", "main", "menu", "ol", "p", "section", "summary", "td", "th",
    "tr", "ul",
}
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
MAX_DEPTH = 200  # deeper markup is read as flat text instead of recursing
LAYOUT_CELL_CHARS = 400  # a cell longer than this is prose, so its table is layout
MIN_CONTAINER_SHARE = 0.2  # a content container holds at least this share of the body's text


def extract_html(data: bytes, content_type: str | None = None) -> Extracted:
    if len(data) > limits.HTML_MAX_BYTES:
        raise ExtractError(
            "too_large", f"The page is {len(data):,} bytes; HTML pages over {limits.HTML_MAX_BYTES:,} bytes "
            "are not read (report pages are well under 2 MB)."
        )
    if is_mhtml(data[:2048]):
        data, content_type = _unwrap_mhtml(data)
    text, encoding = decode_with_declarations(
        data, [charset_from_content_type(content_type), declared_charset(data)]
    )
    root = _parse(text)
    if root is None:
        return Extracted(text="", doc_type="html", encoding=encoding)
    title = _title(root)
    meta = _meta(root)
    for el in list(root.iter(*_NOISE, lxml.etree.Comment, lxml.etree.ProcessingInstruction)):
        if el.getparent() is not None:
            el.drop_tree()  # keeps the element's tail text in place
    lines = _Lines()
    _walk(_main_container(root), lines, 0)
    lines.end_line()
    return Extracted(text="\n".join(lines.lines), doc_type="html", encoding=encoding, title=title, meta=meta)


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares about itself (<meta charset>, http-equiv, or an XML declaration)."""
    head = data[:_DECLARATION_WINDOW]
    match = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    return match.group(1).decode("ascii") if match else None


def _unwrap_mhtml(data: bytes) -> tuple[bytes, str | None]:
    """The HTML part of a MIME web archive (transfer encoding undone) and its Content-Type."""
    message = email.message_from_bytes(data)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                return payload, part.get("Content-Type")
    raise ExtractError("corrupt", "The web archive (.mht) holds no HTML part.")


def _parse(text: str) -> lxml.html.HtmlElement | None:
    # Parse UTF-8 bytes with the encoding fixed: lxml refuses str input that carries an XML encoding
    # declaration, and a <meta charset> must not override the decoding already chosen.  huge_tree lifts
    # libxml2's nesting limit from 256 to 2048 levels: old pages with hundreds of unclosed <font> tags
    # nest that deep, and past the limit libxml2 silently drops the rest of the page.  The input size is
    # already bounded by max_bytes.
    parser = lxml.html.HTMLParser(encoding="utf-8", huge_tree=True)
    try:
        return lxml.html.document_fromstring(text.replace("\x00", "").encode("utf-8"), parser=parser)
    except (lxml.etree.ParserError, lxml.etree.XMLSyntaxError, ValueError):
        return None


def _title(root: lxml.html.HtmlElement) -> str | None:
    for xpath in ("//meta[translate(@name, 'ARTICLETIE', 'articletie')='articletitle']/@content",
                  "//title", "//h1"):
        for found in root.xpath(xpath):
            value = clean_line(found if isinstance(found, str) else found.text_content())
            if value:
                return value
    return None


def _meta(root: lxml.html.HtmlElement) -> dict[str, str]:
    meta: dict[str, str] = {}
    for el in root.iter("meta"):
        name, content = (el.get("name") or "").strip(), el.get("content")
        if name and content is not None:
            meta.setdefault(name, clean_line(content))
    return meta


def _main_container(root: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """The first known content container holding a fair share of the page's text, else the body.

    The share guard keeps a same-named widget (an id="zoom" font-size control, an empty #content
    wrapper) from swallowing the report.
    """
    body = root.find("body")
    body = body if body is not None else root
    total = len(body.text_content().strip())
    for xpath in _CONTAINERS:
        found = [(len(el.text_content().strip()), el) for el in root.xpath(xpath)]
        size, best = max(found, key=lambda pair: pair[0], default=(0, None))
        if best is not None and size and size >= MIN_CONTAINER_SHARE * total:
            return best
    return body


class _Lines:
    """Collects inline text into lines; block boundaries end the current line."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self._buf: list[str] = []

    def add(self, text: str | None) -> None:
        if text:
            self._buf.append(text)

    def end_line(self) -> None:
        if self._buf:
            line = squeeze_cjk(clean_line("".join(self._buf)))
            self._buf = []
            if line:
                self.lines.append(line)

    def extend(self, lines: list[str]) -> None:
        self.end_line()
        self.lines.extend(lines)


def _walk(el: lxml.html.HtmlElement, out: _Lines, depth: int) -> None:
    tag = el.tag.lower() if isinstance(el.tag, str) else ""
    if tag == "br":
        out.end_line()
        return
    if not tag or _hidden(el):
        return
    if tag == "table":
        _table(el, out, depth)
        return
    if tag == "pre":
        out.extend([line for line in (clean_line(s) for s in el.text_content().splitlines()) if line])
        return
    block = tag in _BLOCKS
    if block:
        out.end_line()
    if depth > MAX_DEPTH:
        out.add(el.text_content())
    else:
        out.add(el.text)
        for child in el:
            _walk(child, out, depth + 1)
            out.add(child.tail)
    if block:
        out.end_line()


def _hidden(el: lxml.html.HtmlElement) -> bool:
    return el.get("hidden") is not None or bool(_HIDDEN_STYLE.search(el.get("style") or ""))


def _table(table: lxml.html.HtmlElement, out: _Lines, depth: int) -> None:
    out.end_line()
    rows = [[cell for cell in tr if isinstance(cell.tag, str) and cell.tag.lower() in ("td", "th")
             and not _hidden(cell)] for tr in _own_rows(table)]
    for caption in table.findall("caption"):
        _walk(caption, out, depth + 1)
    nested = any(t is not table for t in table.iter("table"))
    if not nested and depth <= MAX_DEPTH:
        texts = [[_cell_text(cell, depth) for cell in row] for row in rows]
        grid = build_grid([[Cell(t, _span(c, "rowspan"), _span(c, "colspan")) for t, c in zip(tr, row)]
                           for tr, row in zip(texts, rows)])
        width = max((len(r) for r in grid), default=0)
        if width > 1 and all(len(t) <= LAYOUT_CELL_CHARS for tr in texts for t in tr):
            out.extend(grid_lines(grid))
            return
    for row in rows:  # layout table: its cells are ordinary blocks
        for cell in row:
            _walk(cell, out, depth + 1)
            out.end_line()


def _own_rows(table: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """The <tr>s of this table, not of tables nested in it (thead/tbody/tfoot or malformed wrappers)."""
    return [tr for tr in table.iter("tr") if next(tr.iterancestors("table"), None) is table]


def _cell_text(cell: lxml.html.HtmlElement, depth: int) -> str:
    """The cell's lines, joined by newlines (grid_lines puts them on one line)."""
    lines = _Lines()
    _walk_children(cell, lines, depth + 1)
    lines.end_line()
    return "\n".join(lines.lines)


def _walk_children(el: lxml.html.HtmlElement, out: _Lines, depth: int) -> None:
    out.add(el.text)
    for child in el:
        _walk(child, out, depth)
        out.add(child.tail)


def _span(cell: lxml.html.HtmlElement, attr: str) -> int:
    """rowspan/colspan as browsers read them: leading digits, default 1; rowspan=0 means 'to the end'."""
    match = re.match(r"\s*(\d+)", cell.get(attr) or "")
    if not match:
        return 1
    value = int(match.group(1)[:7])
    if value == 0:
        return 1_000_000 if attr == "rowspan" else 1
    return value
