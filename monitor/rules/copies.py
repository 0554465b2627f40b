"""Near-duplicate narratives across reports (content.copied, a warning).

At 150,000 reports a year, comparing every pair is out of the question.  Each report's narrative is
reduced to a MinHash signature of its character 5-grams — after masking digits and the agency's own
name, so that a template filled in by another agency, or last year's text with this year's numbers,
still looks identical — and an LSH index returns only the candidates that probably exceed the
threshold; each candidate is then confirmed on the signatures themselves.  The index is incremental
(`CopyIndex.add`), so the store can keep one per region or per year and feed reports as they arrive;
signatures serialise to bytes for storage.

Two documents of the same agency and the same year are the same report (e.g. one page and its PDF),
never a copy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Hashable, Iterable

from datasketch import LeanMinHash, MinHash, MinHashLSH

from monitor.model import Finding, Report
from monitor.parse.textutil import compact_str
from monitor.rules.base import WARNING, finding

NUM_PERM = 128
SHINGLE = 5
THRESHOLD = 0.8
MIN_CHARS = 300  # narratives shorter than this (excerpts, empty reports) say too little to compare
SEED = 1

_DIGITS = re.compile(r"\d+(?:\.\d+)?")
_PUNCT = re.compile(r"[\s\W_]+")
_LEVELS = re.compile(r"(?<=[省市区县旗州盟])")


@dataclass(frozen=True)
class Match:
    key: Hashable
    other: Hashable
    similarity: float  # estimated Jaccard similarity of the masked narratives


def masked_text(report: Report) -> str:
    """The narrative with numbers and the agency's names removed, as one run of characters."""
    text = compact_str(report.narrative)
    for name in _names(report.agency):
        text = text.replace(name, "@")
    text = _DIGITS.sub("#", text)
    return _PUNCT.sub("", text)


def _names(agency: str | None) -> list[str]:
    """"攀枝花市西区商务局" → itself, "西区商务局", "商务局": the ways a report names itself."""
    if not agency:
        return []
    parts = [p for p in _LEVELS.split(agency) if p]
    names = {"".join(parts[i:]) for i in range(len(parts))}
    return sorted((n for n in names if len(n) >= 3), key=len, reverse=True)


def signature(report: Report) -> LeanMinHash | None:
    """MinHash of the masked narrative's 5-grams, or None when the narrative is too short."""
    text = masked_text(report)
    if len(text) < MIN_CHARS:
        return None
    shingles = {text[i:i + SHINGLE].encode("utf-8") for i in range(len(text) - SHINGLE + 1)}
    m = MinHash(num_perm=NUM_PERM, seed=SEED)
    m.update_batch(list(shingles))
    return LeanMinHash(m)


def signature_to_bytes(sig: LeanMinHash) -> bytes:
    buf = bytearray(sig.bytesize())
    sig.serialize(buf)
    return bytes(buf)


def signature_from_bytes(data: bytes) -> LeanMinHash:
    return LeanMinHash.deserialize(bytearray(data))


class CopyIndex:
    """An incremental LSH index of report signatures."""

    def __init__(self, threshold: float = THRESHOLD):
        self.threshold = threshold
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._sigs: dict[Hashable, LeanMinHash] = {}
        self._ids: dict[Hashable, tuple[str, int | None]] = {}

    def add(self, key: Hashable, sig: LeanMinHash | None, agency: str | None, year: int | None) -> list[Match]:
        """Index `sig` under `key` and return the earlier reports it nearly duplicates."""
        if sig is None or key in self._sigs:
            return []
        ident = identity(agency, year)
        candidates = ((other, self._sigs[other], self._ids[other]) for other in self._lsh.query(sig))
        matches = confirm(key, sig, ident, candidates, self.threshold)
        self._lsh.insert(key, sig)
        self._sigs[key] = sig
        self._ids[key] = ident
        return matches


def identity(agency: str | None, year: int | None) -> tuple[str, int | None]:
    """Who reported for which year: documents with the same (named) identity are one report, never copies."""
    return (compact_str(agency or ""), year)


def confirm(key: Hashable, sig: LeanMinHash, ident: tuple[str, int | None],
            candidates: Iterable[tuple[Hashable, LeanMinHash, tuple[str, int | None]]],
            threshold: float = THRESHOLD) -> list[Match]:
    """The LSH candidates (key, signature, identity) that really nearly duplicate `sig`.  Shared with the
    store's persistent index (monitor.crossreport), whose candidates come from SQLite instead of memory."""
    matches = []
    for other, other_sig, other_ident in candidates:
        if other_ident == ident and ident[0]:
            continue  # the same agency's report for the same year, in another document
        sim = sig.jaccard(other_sig)
        if sim >= threshold:
            matches.append(Match(key, other, sim))
    return matches


def copied_findings(reports: list[Report | None], threshold: float = THRESHOLD) -> list[list[Finding]]:
    """content.copied for every report that nearly duplicates another one in the list."""
    index = CopyIndex(threshold)
    out: list[list[Finding]] = [[] for _ in reports]
    for i, report in enumerate(reports):
        if report is None:
            continue
        for m in index.add(i, signature(report), report.agency, report.year):
            j = m.other
            out[i].append(_finding(reports[j], m.similarity))
            out[j].append(_finding(report, m.similarity))
    return out


def _finding(other: Report, similarity: float) -> Finding:
    return copied_finding(other.agency, other.year, similarity)


def copied_finding(agency: str | None, year: int | None, similarity: float) -> Finding:
    """content.copied about a report that nearly duplicates `agency`'s report for `year`."""
    who = agency or "另一机关"
    year = f"{year}年度" if year else ""
    return finding("content.copied", WARNING,
                   f"正文与{who}{year}报告高度雷同（去除数字和机关名称后相似度约 {similarity:.0%}）", "正文")
