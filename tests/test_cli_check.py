"""`python -m monitor check` as a user runs it: a real subprocess, real files, the interface.md contract."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SEEDS = Path(__file__).parent / "fixtures" / "seeds"
ROOT = Path(__file__).resolve().parent.parent


def run_check(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "monitor", "check", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def test_json_shape_and_exit_zero_for_readable_files():
    seeds = sorted(SEEDS.glob("*.txt"))
    proc = run_check("--json", *map(str, seeds))
    assert proc.returncode == 0, proc.stderr
    results = json.loads(proc.stdout)
    assert [r["file"] for r in results] == [str(s) for s in seeds]
    for result in results:
        assert set(result) >= {"file", "agency", "year", "format", "findings"}
        assert result["format"] in {"2019", "2021", "pre2019", "unknown"}
        for finding in result["findings"]:
            assert set(finding) >= {"rule", "severity", "message", "where"}
            assert finding["severity"] in {"error", "warning", "info"}
    by_seed = {Path(r["file"]).name[:3]: r for r in results}
    assert {f["rule"] for f in by_seed["000"]["findings"]} == {
        "period.wrong", "date.before_year_end", "structure.section_missing", "table.incomplete"}
    assert not [f for f in by_seed["004"]["findings"] if f["severity"] == "error"]


def test_unreadable_file_exits_2_but_reports_the_others(tmp_path):
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    seed = next(SEEDS.glob("004_*.txt"))
    proc = run_check("--json", str(tmp_path / "missing.txt"), str(empty), str(seed))
    assert proc.returncode == 2
    results = json.loads(proc.stdout)
    assert [bool(r.get("error")) for r in results] == [True, True, False]
    assert results[2]["agency"] == "尧都区商务局"
    assert "Traceback" not in proc.stderr
    assert len([line for line in proc.stderr.splitlines() if line.startswith("error:")]) == 2


def test_human_output_names_agency_and_rules():
    seed = next(SEEDS.glob("000_*.txt"))
    proc = run_check(str(seed))
    assert proc.returncode == 0
    assert "攀枝花市西区商务局" in proc.stdout
    assert "period.wrong" in proc.stdout and "错误" in proc.stdout


def test_overrides_and_bad_arguments(tmp_path):
    seed = next(SEEDS.glob("004_*.txt"))
    proc = run_check("--json", "--year", "2022", "--agency", "某某区商务局", str(seed))
    result = json.loads(proc.stdout)[0]
    assert (result["agency"], result["year"]) == ("某某区商务局", 2022)
    # A 2022 report with the 2019 layout is outdated.
    assert "format.outdated" in {f["rule"] for f in result["findings"]}
    for bad in (["--kind", "ministry", str(seed)], ["--published-on", "2024-13-01", str(seed)], []):
        proc = run_check(*bad)
        assert proc.returncode == 2
        assert "Traceback" not in proc.stderr and proc.stderr.strip().count("\n") <= 1


def test_hostile_inputs_never_trace(tmp_path):
    import os
    random_bytes = tmp_path / "noise.bin"
    random_bytes.write_bytes(os.urandom(20000))
    truncated = tmp_path / "cut.pdf"
    truncated.write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog")
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as fh:
        fh.truncate(100 * 1024 * 1024)
    not_report = tmp_path / "menu.html"
    not_report.write_text("<html><body><h1>机关食堂本周菜单</h1><p>周一：米饭、红烧肉、青菜豆腐汤。周二：面条、清蒸鱼、凉拌黄瓜。周三：饺子。</p></body></html>", encoding="utf-8")
    proc = run_check("--json", *(str(p) for p in (random_bytes, truncated, huge, not_report)))
    assert "Traceback" not in proc.stderr
    results = json.loads(proc.stdout)
    assert results[1]["error"] and results[2]["error"]
    assert [f["rule"] for f in results[3]["findings"]] == ["content.not_report"]
