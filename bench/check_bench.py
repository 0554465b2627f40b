"""Checker throughput (reports per second for text, HTML, PDF and DOCX inputs) and finding precision.

Goal: >= 500 text reports/s on one core (CPU time of this process, best of --repeat passes: the
machine is shared, so wall time is noisy).  For text the same run also times the general row reader
alone (monitor.parse.tables.PLAIN_ROWS_FIRST off: every row tokenised, as the checker did before the
plain-row path) and prints the ratio.  For PDFs the figure that matters is the ratio against bare
pdfplumber text extraction of the same files in the same run (the floor any PDF checker pays).

Precision: findings per clean report by rule and severity, over the practice world's clean reports,
the real reports whose notes name no defect and generated clean reports (tests/precision_corpus.py;
tests/test_precision.py holds the limits).

    .venv/bin/python bench/check_bench.py [--n 200] [--repeat 3] [--no-precision]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pdfplumber  # noqa: E402

from monitor.checker import check_file  # noqa: E402
from monitor.parse import tables  # noqa: E402
from simweb.reportgen import make_spec, render  # noqa: E402
from tests import precision_corpus  # noqa: E402

SUFFIX = {"txt": ".txt", "html": ".html", "pdf": ".pdf", "docx": ".docx"}


def write_corpus(folder: Path, fmt: str, n: int) -> list[Path]:
    paths = []
    for i in range(n):
        spec = make_spec(1000 + i, year=2021 + i % 3, size="typical")
        path = folder / f"r{i:04d}{SUFFIX[fmt]}"
        path.write_bytes(render(spec, fmt))
        paths.append(path)
    return paths


def timed(fn, paths: list[Path]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process): CPU time is the steadier figure on a busy machine,
    but PDF extraction runs in a worker process, so for PDFs only the wall time is meaningful."""
    wall, cpu = time.perf_counter(), time.process_time()
    for path in paths:
        fn(path)
    return time.perf_counter() - wall, time.process_time() - cpu


def best_cpu(fn, paths: list[Path], repeat: int) -> float:
    """Reports per CPU second, best of `repeat` passes."""
    return max(len(paths) / max(timed(fn, paths)[1], 1e-9) for _ in range(repeat))


def text_speed(paths: list[Path], repeat: int) -> None:
    fast = best_cpu(check_file, paths, repeat)
    tables.PLAIN_ROWS_FIRST = False
    try:
        general = best_cpu(check_file, paths, repeat)
    finally:
        tables.PLAIN_ROWS_FIRST = True
    print(f"{'':6} txt, best of {repeat} passes: {fast:.0f} reports/cpu s (goal >= 500); general row reader "
          f"alone: {general:.0f}/s; ratio {fast / general:.2f}x")


def precision() -> None:
    sets = [("generated", precision_corpus.generated_clean()), ("real", precision_corpus.real_clean())]
    if precision_corpus.practice_available():
        sets.insert(0, ("practice", precision_corpus.practice_clean()))
    print("\nfindings per clean report, by rule and severity")
    for name, checked in sets:
        lines = precision_corpus.per_report(checked)
        print(f"  {name} ({len(checked)} clean reports): " + ("; ".join(lines) if lines else "none"))


def bare_pdfplumber(path: Path) -> None:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="reports per input type (PDF/DOCX use n/4)")
    parser.add_argument("--repeat", type=int, default=3, help="passes over the text corpus (the best counts)")
    parser.add_argument("--no-precision", action="store_true", help="skip the precision figures")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        print(f"{'input':6} {'files':>6} {'wall s':>8} {'reports/s':>10} {'cpu s':>8} {'per cpu s':>10}")
        for fmt in ("txt", "html", "pdf", "docx"):
            n = args.n if fmt in ("txt", "html") else max(10, args.n // 4)
            folder = root / fmt
            folder.mkdir()
            paths = write_corpus(folder, fmt, n)
            check_file(paths[0])  # warm-up: imports, regex compilation
            seconds, cpu = timed(check_file, paths)
            print(f"{fmt:6} {n:>6} {seconds:>8.2f} {n / seconds:>10.1f} {cpu:>8.2f} {n / cpu:>10.1f}")
            if fmt == "txt":
                text_speed(paths, args.repeat)
            if fmt == "pdf":
                bare, _ = timed(bare_pdfplumber, paths)
                print(f"{'':6} bare pdfplumber extract_text: {bare:.2f} s ({n / bare:.1f}/s); "
                      f"checker / bare = {seconds / bare:.2f}x")
    if not args.no_precision:
        precision()


if __name__ == "__main__":
    main()
