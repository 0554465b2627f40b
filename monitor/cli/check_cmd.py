"""`check FILE... [--json]`: parse report files offline and print their findings.

Exit 0 when every file was read (whatever the findings), 2 when at least one file could not be read at all;
the other files are still reported.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from monitor.cli.common import add_db, iso_date

SEVERITY_LABEL = {"error": "错误", "warning": "警告", "info": "提示"}
SEVERITY_MARK = {"error": "✗", "warning": "!", "info": "·"}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("check", help="check annual-report files (.txt .html .pdf .docx .doc .wps) offline")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument("--json", action="store_true", help="print one JSON object per file, in a list")
    p.add_argument("--year", type=int, help="report year (default: read from the report)")
    p.add_argument("--agency", help="agency full name (default: read from the report)")
    p.add_argument("--kind", choices=("government", "department", "township"), help="agency kind")
    p.add_argument("--published-on", type=iso_date, metavar="YYYY-MM-DD",
                   help="publication date shown on the web page, checked by date.before_year_end")
    add_db(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from monitor.checker import check_many

    results = check_many(
        [str(f) for f in args.files],
        year=args.year, agency=args.agency, kind=args.kind, published_on=args.published_on,
    )
    if args.json:
        json.dump([r.to_json() for r in results], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for result in results:
            _print_human(result)
    unreadable = [r for r in results if r.error]
    for r in unreadable:
        print(f"error: {r.file}: {r.error}", file=sys.stderr)
    return 2 if unreadable else 0


def _print_human(result) -> None:
    print(result.file)
    if result.error:
        print(f"  无法读取 (unreadable): {result.error}")
        print()
        return
    year = f"{result.year} 年度" if result.year else "年度不明"
    print(f"  {result.agency or '机关不明'} · {year} · 格式 {result.format}")
    counts = {"error": 0, "warning": 0, "info": 0}
    for f in result.findings:
        counts[f.severity] += 1
        where = f" [{f.where}]" if f.where else ""
        print(f"  {SEVERITY_MARK[f.severity]} {SEVERITY_LABEL[f.severity]} {f.rule}{where} {f.message}")
    if not result.findings:
        print("  ✓ 未发现问题 (no findings)")
    print(f"  共 {len(result.findings)} 项：错误 {counts['error']}，警告 {counts['warning']}，提示 {counts['info']}")
    print()
