"""Bytes to text for plain-text and HTML documents (also used by the crawler).

Chinese government pages come in UTF-8 and in GBK/GB2312, often with no declaration and sometimes with a
wrong one (a GBK page served as ``charset=utf-8``, or a Java server's default ``ISO-8859-1``).  Generic
detectors are unreliable here: charset-normalizer names short GBK pages big5hkscs or cp949 and returns
garbage.  The rules, in order:

1. a byte-order mark wins;
2. a declaration (HTTP header first, then the document's own) is honoured when the bytes decode under
   it.  Two exceptions: bytes declared as GB* that are valid multi-byte UTF-8 are UTF-8 (GB18030 decodes
   almost any byte string, so "it decoded" proves nothing); bytes declared as a Western single-byte
   charset that are valid UTF-8, or decode as Chinese under GB18030, are re-decoded accordingly;
3. with no usable declaration: valid UTF-8 is UTF-8; otherwise bytes that decode as Chinese text under
   GB18030 (a superset of GBK and GB2312) are GB18030; an incomplete last character (a cut-off
   download) is tolerated for both;
4. only what is neither is handed to charset-normalizer (non-Chinese pages, e.g. a Latin-1 error page).
"""

from __future__ import annotations

import codecs
import re

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Labels seen in the wild that Python does not know, mapped to what they mean.
_ALIASES = {"x-gbk": "gbk", "gb_2312": "gb2312", "x-gb2312": "gb2312", "utf8mb4": "utf-8", "unicode": "utf-8",
            "x-user-defined": "windows-1252"}
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "cp936", "hz"}
_WESTERN = {"ascii", "latin-1", "iso8859-1", "cp1252"}
_CHINESE_CHAR = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef\u2010-\u2027\u00b7]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def codec_name(label: str | None) -> str | None:
    """Python's canonical codec name for a charset label, or None for an unknown or empty label."""
    if not label:
        return None
    label = label.strip().strip("'\"").lower()
    label = _ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def charset_from_content_type(content_type: str | None) -> str | None:
    """The ``charset`` parameter of an HTTP Content-Type value, if any."""
    if not content_type:
        return None
    match = re.search(r"charset\s*=\s*[\"']?([^\"';,\s]+)", content_type, re.I)
    return match.group(1) if match else None


def decode_text(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode ``data``; return ``(text, encoding)`` where encoding is the Python codec actually used."""
    return decode_with_declarations(data, [declared])


def decode_with_declarations(data: bytes, declared: list[str | None]) -> tuple[str, str]:
    """Like decode_text with several declarations in priority order (HTTP header, then <meta>)."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(name, errors="replace"), name
    for label in declared:
        codec = codec_name(label)
        if codec:
            decoded = _try_declared(data, codec)
            if decoded is not None:
                return decoded
    return _guess(data)


def _try_declared(data: bytes, codec: str) -> tuple[str, str] | None:
    if codec == "utf-8":
        return _strict(data, "utf-8") or _tolerant(data, "utf-8")
    if codec in _GB_FAMILY:
        utf8 = _strict(data, "utf-8")
        if utf8 is not None and _NON_ASCII.search(utf8[0]):
            return utf8
        # GB18030 is a superset of GB2312 and GBK: pages labelled GB2312 routinely use GBK characters.
        return _strict(data, "gb18030") or _tolerant(data, "gb18030")
    if codec in _WESTERN:
        if data.isascii():
            return data.decode("ascii"), codec
        utf8 = _strict(data, "utf-8")
        if utf8 is not None:
            return utf8
        gb = _strict(data, "gb18030")
        if gb is not None and _looks_chinese(gb[0]):
            return gb
        return data.decode(codec, errors="replace"), codec
    return _strict(data, codec)


def _guess(data: bytes) -> tuple[str, str]:
    for attempt in (
        lambda: _strict(data, "utf-8"),
        lambda: _tolerant(data, "utf-8"),
        lambda: _chinese(_strict(data, "gb18030")),
        lambda: _chinese(_tolerant(data, "gb18030")),
        lambda: _normalizer(data),
    ):
        decoded = attempt()
        if decoded is not None:
            return decoded
    return data.decode("utf-8", errors="replace"), "utf-8"


def _strict(data: bytes, codec: str) -> tuple[str, str] | None:
    try:
        return data.decode(codec), codec
    except (UnicodeDecodeError, LookupError):
        return None


def _tolerant(data: bytes, codec: str) -> tuple[str, str] | None:
    """Decode bytes whose only damage is an incomplete last character (a cut-off download)."""
    decoder = codecs.getincrementaldecoder(codec)()
    try:
        text = decoder.decode(data, final=False)
    except UnicodeDecodeError:
        return None
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return text + "\ufffd", codec
    return text, codec


def _chinese(decoded: tuple[str, str] | None) -> tuple[str, str] | None:
    return decoded if decoded is not None and _looks_chinese(decoded[0]) else None


def _looks_chinese(text: str) -> bool:
    """Most non-ASCII characters are CJK ideographs or Chinese punctuation."""
    non_ascii = len(_NON_ASCII.findall(text))
    return non_ascii > 0 and len(_CHINESE_CHAR.findall(text)) >= 0.8 * non_ascii


def _normalizer(data: bytes) -> tuple[str, str] | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        return None
    return str(best), codec_name(best.encoding) or best.encoding
