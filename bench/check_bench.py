"""Checker throughput: reports per second for text, HTML, PDF and DOCX inputs.

Goal: >= 200 text reports/s on one core.  For PDFs the figure that matters is the ratio against bare
pdfplumber text extraction of the same files in the same run (the floor any PDF checker pays), because
absolute seconds on these shared machines are noisy.

    .venv/bin/python bench/check_bench.py [--n 200]
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
from simweb.reportgen import make_spec, render  # noqa: E402

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


def bare_pdfplumber(path: Path) -> None:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="reports per input type (PDF/DOCX use n/4)")
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
            if fmt == "pdf":
                bare, _ = timed(bare_pdfplumber, paths)
                print(f"{'':6} bare pdfplumber extract_text: {bare:.2f} s ({n / bare:.1f}/s); "
                      f"checker / bare = {seconds / bare:.2f}x")


if __name__ == "__main__":
    main()
