"""Extraction time per document type (monitor.extract), with the bare libraries as reference.

PDF: the full extraction (pypdfium2 pass + pdfplumber tables and lines, in the worker process) against
pdfplumber ``extract_text`` and pypdfium2 text alone, in this process, on the same 3-page report.  DOC:
antiword (a document it follows) and the LibreOffice fallback (the generator's .doc, on whose tables
antiword loses rows).  Median of --n runs after one warm-up.

    .venv/bin/python bench/extract_bench.py [--n 20]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import docx  # noqa: E402
import pdfplumber  # noqa: E402
import pypdfium2  # noqa: E402

from monitor.extract import extract_bytes, extract_file  # noqa: E402
from monitor.extract.doc import _antiword  # noqa: E402  (the antiword step alone, for reference)
from simweb.reportgen import make_spec, render  # noqa: E402


def median_seconds(fn, n: int) -> float:
    fn()
    times = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def three_page_spec():
    for seed in range(1000, 1100):
        spec = make_spec(seed, year=2023, size="typical")
        if len(pypdfium2.PdfDocument(render(spec, "pdf"))) == 3:
            return spec
    raise SystemExit("no 3-page report among seeds 1000-1099")


def pdfplumber_text(path: Path) -> None:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()


def pdfium_text(path: Path) -> None:
    pdf = pypdfium2.PdfDocument(path)
    for page in pdf:
        page.get_textpage().get_text_range()
    pdf.close()


def antiword_readable_doc(folder: Path) -> Path:
    """A .doc antiword follows: a few paragraphs and a four-column table (antiword loses tables with
    eight or more narrow columns, like tables 三 and 四, and extraction falls back to LibreOffice)."""
    import subprocess

    document = docx.Document()
    for i in range(6):
        document.add_paragraph(f"（{i + 1}）本年度主动公开政府信息135条，依申请公开办结12件。")
    table = document.add_table(rows=5, cols=4)
    for r in range(5):
        for c in range(4):
            table.cell(r, c).text = str(r * c) if c else f"第{r + 1}行"
    source = folder / "word.docx"
    document.save(source)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation={(folder / 'p').as_uri()}",
                    "--convert-to", "doc", "--outdir", str(folder), str(source)], check=True,
                   capture_output=True)
    return folder / "word.doc"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20, help="timed runs per measurement")
    args = parser.parse_args()
    spec = three_page_spec()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = {}
        for fmt, ext in (("pdf", "pdf"), ("docx", "docx"), ("html", "html"), ("doc", "doc")):
            files[fmt] = folder / f"report.{ext}"
            files[fmt].write_bytes(render(spec, fmt))
        files["word-doc"] = antiword_readable_doc(folder)

        start = time.perf_counter()
        extract_file(files["pdf"])
        cold = time.perf_counter() - start
        rows = [
            ("pdf 3 pages: extract_file (worker warm)", median_seconds(lambda: extract_file(files["pdf"]), args.n)),
            ("pdf 3 pages: extract_file, first call (starts worker)", cold),
            ("pdf 3 pages: bare pdfplumber extract_text", median_seconds(lambda: pdfplumber_text(files["pdf"]), args.n)),
            ("pdf 3 pages: bare pypdfium2 text only", median_seconds(lambda: pdfium_text(files["pdf"]), args.n)),
            ("docx: extract_file", median_seconds(lambda: extract_file(files["docx"]), args.n)),
            ("html: extract_bytes", median_seconds(
                lambda: extract_bytes(files["html"].read_bytes(), "report.html"), args.n)),
            ("doc (antiword-readable): extract_file via antiword",
             median_seconds(lambda: extract_file(files["word-doc"]), args.n)),
            ("doc (antiword-readable): antiword -x db alone",
             median_seconds(lambda: _antiword("antiword", files["word-doc"]), args.n)),
            ("doc (LibreOffice-written): extract_file via LibreOffice fallback",
             median_seconds(lambda: extract_file(files["doc"]), max(3, args.n // 5))),
        ]
    width = max(len(name) for name, _ in rows)
    for name, seconds in rows:
        print(f"{name:<{width}}  {seconds * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
