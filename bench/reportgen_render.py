"""Benchmark: how long the report generator takes per spec and per output format.

Run: .venv/bin/python bench/reportgen_render.py [N]   (N specs per format, default 20)

'doc' is measured three ways: the first conversion of the process (soffice also creates its
profile), later conversions of new documents (cold cache), and repeated renders (cache hits).
Two renderings are also timed against the obvious alternative, in the same run: 'docx' with each
table layout merged once and copied against merging every table again ('docx, merged each time'),
and 'pdf-image' with binary streams against reportlab's pure-Python ASCII85 ('pdf-image, ASCII85').
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from simweb.reportgen import make_spec, render  # noqa: E402
from reportlab import rl_config  # noqa: E402

from simweb.reportgen import docx_render  # noqa: E402
from simweb.reportgen.docx_render import docx_to_doc  # noqa: E402


def timed(fn, *args) -> float:
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


def _merging_each_time(spec) -> None:
    docx_render._SKELETONS.clear()
    render(spec, "docx")


def main(n: int) -> None:
    specs = [make_spec(seed, size=("zero", "typical", "large")[seed % 3], kind="department") for seed in range(n)]
    rows = [("make_spec", [timed(make_spec, seed) for seed in range(n)])]
    for fmt in ("txt", "txt-cells", "html", "pdf", "pdf-image", "docx"):
        rows.append((fmt, [timed(render, spec, fmt) for spec in specs]))
    rows.append(("docx, merged each time", [timed(_merging_each_time, spec) for spec in specs]))
    rl_config.useA85 = 1
    rows.append(("pdf-image, ASCII85", [timed(render, spec, "pdf-image") for spec in specs]))
    rl_config.useA85 = 0
    docx_files = [render(spec, "docx") for spec in specs[: max(3, n // 4)]]
    with tempfile.TemporaryDirectory() as cache:
        first = timed(docx_to_doc, docx_files[0], Path(cache))
        cold = [timed(docx_to_doc, data, Path(cache)) for data in docx_files[1:]]
        cached = [timed(docx_to_doc, data, Path(cache)) for data in docx_files]
    rows += [("doc first (profile)", [first]), ("doc cold", cold), ("doc cached", cached)]
    print(f"{'what':<24}{'n':>4}{'median ms':>12}{'max ms':>10}")
    for name, times in rows:
        print(f"{name:<24}{len(times):>4}{statistics.median(times) * 1000:>12.1f}{max(times) * 1000:>10.1f}")
    median = {name: statistics.median(times) for name, times in rows}
    print(f"docx: {median['docx, merged each time'] / median['docx']:.2f}x faster than merging each time; "
          f"pdf-image: {median['pdf-image, ASCII85'] / median['pdf-image']:.2f}x faster than ASCII85")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
