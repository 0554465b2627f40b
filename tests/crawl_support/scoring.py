"""Scoring a crawl's store against the simulated web's manifest (the ground truth), per region.

A stored report is matched to a manifest report by URL (its canonical URL or any URL it was seen at,
against the manifest's canonical and duplicate URLs).  Recall counts manifest reports (visible, in the
requested years) that some stored report matches; precision counts stored reports that match a manifest
report no other stored report matched (noise and duplicates both count against it).  Attribution, year
and shown date are judged on matched reports: the stored agency, year and publication date must equal the
manifest's (when a page shows no date, the date in its URL/list is what a reader can see).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Score:
    region: str
    family: str
    encoding: str
    expected: int = 0
    stored: int = 0
    matched: int = 0
    agency_ok: int = 0
    year_ok: int = 0
    date_ok: int = 0
    missed: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        return self.matched / self.stored if self.stored else 1.0

    def line(self) -> str:
        return (f"{self.family:15} {self.encoding:10} reports {self.expected:3}  recall {self.recall:6.1%}  "
                f"precision {self.precision:6.1%}  agency {self.agency_ok}/{self.matched}  year {self.year_ok}/{self.matched}"
                f"  date {self.date_ok}/{self.matched}")


def score_region(region: dict[str, Any], stored: list[dict[str, Any]], urls: dict[int, list[str]],
                 years: set[int]) -> Score:
    score = Score(region["name"], region["family"], region["encoding"])
    truth = [r for r in region["reports"] if r["visible"] and r["year"] in years]
    score.expected = len(truth)
    by_url = {u: r for r in region["reports"] if r.get("urls") for u in r["urls"]}
    score.stored = len(stored)
    claimed: set[str] = set()
    for rep in stored:
        seen = [rep["url"], *urls.get(rep["id"], [])]
        hits = {by_url[u]["id"]: by_url[u] for u in seen if u in by_url}
        if len(hits) != 1:
            score.unmatched.append(f"{rep['agency']} {rep['year']} {rep['url']} → {sorted(hits) or 'no manifest report'}")
            continue
        (truth_id, want), = hits.items()
        if truth_id in claimed or want["year"] not in years or not want["visible"]:
            score.unmatched.append(f"{rep['agency']} {rep['year']} {rep['url']} duplicates {truth_id}")
            continue
        claimed.add(truth_id)
        score.matched += 1
        score.agency_ok += rep["agency"] == want["agency"]
        score.year_ok += rep["year"] == want["year"]
        expected_date = want["shown_date"] or want["url_date"]
        score.date_ok += rep["published_on"] == expected_date
        if rep["agency"] != want["agency"] or rep["year"] != want["year"] or rep["published_on"] != expected_date:
            score.wrong.append(f"{want['id']}: stored {rep['agency']} {rep['year']} {rep['published_on']}, "
                               f"truth {want['agency']} {want['year']} {expected_date}")
    score.missed = [f"{r['id']} {r['agency']} {r['year']} {r['canonical_url']}" for r in truth if r["id"] not in claimed]
    return score
