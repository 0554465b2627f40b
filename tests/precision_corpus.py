"""Clean reports written by others and by us, checked as the crawl would check them: finding precision.

Three sets, each with its own ground truth that the reports are clean:

* the practice world (../shared/worlds/practice-1, written apart from us): every report of truth.json with
  no injected rule, fetched from its own stdlib server at its truth URL (the attachment when it has
  one) and checked with the agency, kind, year and publication date the crawl would know.  This
  measures the checker, not discovery, so using the truth URLs is fair;
* the real reports whose reader's notes name no defect (tests/fixtures/real-reports, complete ones);
* reports of our generator (simweb.reportgen) built clean, in every text input type.

`tally` counts the findings per clean report by (rule, severity); tests/test_precision.py holds them to
the acceptance limits and bench/check_bench.py prints them.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from monitor.checker import CheckResult, check_file, check_text
from monitor.extract import extract_bytes

ROOT = Path(__file__).resolve().parent.parent
PRACTICE = ROOT.parent / "shared" / "worlds" / "practice-1"
REAL = ROOT / "tests" / "fixtures" / "real-reports"
PRACTICE_TODAY = "2024-02-20"

REAL_CLEAN = ("004.txt", "005.txt", "006.txt", "008.txt", "010.txt", "011.txt")
"""Complete real reports whose notes name no defect of the report itself (OCR, conversion and
concatenated-cell artefacts are the extraction's, not the agency's).  The others: 002 (format mix, text
vs table), 009 (text vs table), 014 (numbering), 015 (section 五 lost), 043 (many), 012 (no
收费及减免 part, which the 2007 regulation requires: see test_real_reports)."""

GENERATED_FORMATS = ("txt", "txt-cells", "txt-pipes", "html", "docx")


@dataclass
class Checked:
    set: str
    name: str
    result: CheckResult


def practice_available() -> bool:
    return (PRACTICE / "server.py").exists() and (PRACTICE / "truth.json").exists()


@contextmanager
def practice_server() -> Iterator[str]:
    """The practice world's own server on a free loopback port; yields its base URL."""
    with tempfile.TemporaryDirectory() as tmp:
        port_file = Path(tmp) / "port"
        proc = subprocess.Popen([sys.executable, str(PRACTICE / "server.py"), "--port", "0", "--today",
                                 PRACTICE_TODAY, "--port-file", str(port_file), "--quiet"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 20
            while not (port_file.exists() and port_file.read_text().strip()):
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("the practice world's server did not start")
                time.sleep(0.05)
            yield f"http://127.0.0.1:{port_file.read_text().strip()}"
        finally:
            proc.terminate()
            proc.wait(timeout=10)


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read()


def practice_clean() -> list[Checked]:
    """Every clean report of the practice world, checked from what its server serves."""
    truth = json.loads((PRACTICE / "truth.json").read_text(encoding="utf-8"))
    out = []
    with practice_server() as base:
        for report in truth["reports"]:
            if report["rules"]:
                continue
            # A report taken down before "today" is served on the days it was up.
            removed = report.get("removed_on")
            day = report["visible_from"] if removed and removed <= PRACTICE_TODAY else PRACTICE_TODAY
            _get(f"{base}/__clock?today={day}")
            url = report["document_urls"][0] if report["document_urls"] else report["url"]
            name = url.rsplit("/", 1)[-1].split("?")[0] if report["document_urls"] else None
            doc = extract_bytes(_get(base + url), name)
            result = check_text(doc.text, file=url, year=report["year"], agency=report["agency"],
                                kind=report["kind"], published_on=dt.date.fromisoformat(report["published_on"]),
                                title=doc.title or report["title"], has_text_layer=doc.has_text_layer,
                                doc_type=doc.doc_type)
            result.findings = [f for f in result.findings if f.rule not in report["tolerated_rules"]]
            out.append(Checked("practice", report["id"], result))
    return out


def real_clean() -> list[Checked]:
    return [Checked("real", name, check_file(REAL / name)) for name in REAL_CLEAN]


def generated_clean(n: int = 30, formats: tuple[str, ...] = GENERATED_FORMATS) -> list[Checked]:
    from simweb.reportgen import make_spec, render

    suffix = {"txt": ".txt", "txt-cells": ".txt", "txt-pipes": ".txt", "html": ".html", "docx": ".docx",
              "pdf": ".pdf", "doc": ".doc"}
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(n):
            spec = make_spec(20_000 + i, year=2019 + i % 7, size=("zero", "typical", "large")[i % 3])
            for fmt in formats:
                path = Path(tmp) / f"{i}-{fmt}{suffix[fmt]}"
                path.write_bytes(render(spec, fmt))
                out.append(Checked("generated", f"{spec.seed}-{fmt}", check_file(path)))
    return out


def tally(checked: list[Checked]) -> Counter:
    """(rule, severity) → number of findings over the reports."""
    return Counter((f.rule, f.severity) for c in checked for f in c.result.findings)


def per_report(checked: list[Checked]) -> list[str]:
    """Lines "rule severity: findings per clean report" for a set, most frequent first."""
    counts = tally(checked)
    n = max(1, len(checked))
    return [f"{rule} {severity}: {count / n:.3f}" for (rule, severity), count in counts.most_common()]
