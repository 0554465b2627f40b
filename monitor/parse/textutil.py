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
from bisect import bisect_right
from functools import lru_cache
from itertools import accumulate

_PAGE_NUMBER = re.compile(r"^[ \t]*(?:[-—–]+[ \t]*\d{1,3}[ \t]*[-—–]+|第[ \t]*\d{1,3}[ \t]*页(?:[ \t]*共[ \t]*\d{1,3}[ \t]*页)?)[ \t]*$", re.M)
_FULLWIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
"""NFKC of the full-width ASCII forms and the ideographic space, the only compatibility characters of most
reports: mapping them first and checking leaves the (slower) full NFKC to the texts that need it."""
_FULLWIDTH_RUNS = re.compile("[\uff01-\uff5e\u3000]+")
"""Where _FULLWIDTH applies: translating only these runs is three times faster than translating the whole
text, whose other characters (the Chinese) would each cost a dictionary lookup."""
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SEPARATORS = re.compile(r"[^\s|]+")
_SEPARATOR_RUNS = re.compile(r"([\s|]+)")  # captured: split() keeps the separators between the runs


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
    text = _FULLWIDTH_RUNS.sub(_fold_fullwidth, text)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    if _TRADITIONAL.search(text):
        text = _t2s().convert(_PINYIN.sub("", text))
    return _PAGE_NUMBER.sub("", text)


def _fold_fullwidth(run: re.Match) -> str:
    return run[0].translate(_FULLWIDTH)


def compact_str(text: str) -> str:
    """`text` without whitespace and cell separators (for comparing labels)."""
    return "".join(_SEPARATORS.findall(text))


class Compact:
    """The text without whitespace and "|", with a map back to offsets in the text.

    The map is kept per run of kept characters (a word, a cell), not per character: a report has a
    few hundred runs and thousands of characters, and the parser builds one Compact per report."""

    def __init__(self, text: str):
        # Kept runs and the separators between them alternate: [run, separators, run, …, run].  The first
        # and last run may be empty (the text starts or ends with separators); empty runs are dropped.
        parts = _SEPARATOR_RUNS.split(text)
        offsets = list(accumulate(map(len, parts), initial=0))
        first, last = (0 if parts[0] else 2), (len(parts) if parts[-1] else len(parts) - 1)
        runs = parts[first:last:2]
        self.text = "".join(runs)
        self._starts = array("i", offsets[first:last:2])  # original offset of each run
        self._cstarts = array("i", accumulate(map(len, runs), initial=0))[:-1]  # compact offset of each run
        self.length = len(text)

    def to_compact(self, offset: int) -> int:
        """Index of the first compact character at or after `offset` in the original text."""
        k = bisect_right(self._starts, offset) - 1
        if k < 0:
            return 0
        run_end = self._starts[k] + (self._cstarts[k + 1] if k + 1 < len(self._cstarts) else len(self.text)) - self._cstarts[k]
        if offset < run_end:
            return self._cstarts[k] + offset - self._starts[k]
        return self._cstarts[k + 1] if k + 1 < len(self._cstarts) else len(self.text)

    def to_original(self, index: int) -> int:
        """Original offset of compact character `index` (the text length past the end)."""
        if index >= len(self.text):
            return self.length
        k = bisect_right(self._cstarts, index) - 1
        return self._starts[k] + index - self._cstarts[k]

    def adjacent(self, a: int, b: int) -> bool:
        """Compact characters a..b (inclusive) stand next to each other in the text, nothing between."""
        return self.to_original(b) - self.to_original(a) == b - a

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original [start, end) covering compact characters [start, end)."""
        if end <= start:
            o = self.to_original(start)
            return o, o
        return self.to_original(start), self.to_original(end - 1) + 1

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
