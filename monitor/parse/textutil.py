"""Text normalisation and a whitespace-blind view of the text.

Real reports break labels anywhere: across lines ("本年新\\n制作数量"), across table cells
("一、本年\\t新收政府\\t信息公开申请数量"), with spaces between characters ("果 维 持").  Instead of
writing every pattern to tolerate that, the parser searches a *compact* copy of the text with all
whitespace and cell separators removed and maps hits back to offsets in the normalised text, where
the cells (and their separators) are still intact.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from bisect import bisect_left
from functools import lru_cache

_PAGE_NUMBER = re.compile(r"^[ \t]*(?:[-—–]+[ \t]*\d{1,3}[ \t]*[-—–]+|第[ \t]*\d{1,3}[ \t]*页(?:[ \t]*共[ \t]*\d{1,3}[ \t]*页)?)[ \t]*$", re.M)
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SEPARATORS = re.compile(r"[^\s|]+")


_TRADITIONAL = re.compile("[報開資機關國為與條數據務總體況請處規請於書會際貫運計劃發佈]")
"""Characters that exist only in Traditional Chinese: a page machine-converted to it (real excerpts
039, 049, 053) is turned back into Simplified before anything else reads it."""
_PINYIN = re.compile(r"(?<=[\u4e00-\u9fff])\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}\)")
"""Pinyin a spam mirror wrote after characters: 「機(jī)關(guān)」 (excerpt 039)."""


@lru_cache(maxsize=1)
def _t2s():
    import opencc  # a C++ converter: about 0.1 ms for a 20,000-character report

    return opencc.OpenCC("t2s")


def normalize(text: str) -> str:
    """NFKC (full-width brackets, digits and spaces become ASCII), one newline style, no page numbers,
    Simplified characters.

    NFKC turns NBSP and U+3000 into a plain space: a cell that held only padding stays a
    whitespace-only cell, which the cell reader tells apart from an empty covered position.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLE.sub("", text)
    text = unicodedata.normalize("NFKC", text)
    if _TRADITIONAL.search(text):
        text = _t2s().convert(_PINYIN.sub("", text))
    return _PAGE_NUMBER.sub("", text)


def compact_str(text: str) -> str:
    """`text` without whitespace and cell separators (for comparing labels)."""
    return "".join(_SEPARATORS.findall(text))


class Compact:
    """The text without whitespace and "|", with the offset of every kept character."""

    def __init__(self, text: str):
        parts: list[str] = []
        pos = array("i")
        for m in _SEPARATORS.finditer(text):
            parts.append(m.group())
            pos.extend(range(m.start(), m.end()))
        self.text = "".join(parts)
        self.pos = pos
        self.length = len(text)

    def to_compact(self, offset: int) -> int:
        """Index of the first compact character at or after `offset` in the original text."""
        return bisect_left(self.pos, offset)

    def to_original(self, index: int) -> int:
        """Original offset of compact character `index` (the text length past the end)."""
        return self.pos[index] if index < len(self.pos) else self.length

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original [start, end) covering compact characters [start, end)."""
        if end <= start:
            o = self.to_original(start)
            return o, o
        return self.to_original(start), self.pos[end - 1] + 1

    def finditer(self, pattern: re.Pattern, start: int = 0, end: int | None = None):
        """Matches of `pattern` in the compact text between original offsets [start, end)."""
        cs = self.to_compact(start)
        ce = len(self.text) if end is None else self.to_compact(end)
        return pattern.finditer(self.text, cs, ce)

    def find(self, needle: str, start: int = 0, end: int | None = None) -> int:
        """Compact index of `needle` between original offsets, or -1."""
        cs = self.to_compact(start)
        ce = len(self.text) if end is None else self.to_compact(end)
        return self.text.find(needle, cs, ce)
