"""The crawl, status and export commands as a user meets them: exit 2 with one line for bad input, and
output that is the judge's and the export's own data (interface.md), on a real SQLite store."""

from __future__ import annotations

import csv
import json
from datetime import date

import pytest

from monitor.cli import main
from monitor.export import export_data
from monitor.status import judge
from monitor.store import Store

REGION = "示例区"
AS_OF = "2024-06-01"
H = "a" * 64


@pytest.fixture
def db(tmp_path):
    """A store as a crawl leaves it: one agency on time, one never found, seen in a finished run."""
    path = tmp_path / "data" / "monitor.db"
    with Store.open(path) as store:
        store.upsert_region(REGION, "http://www.example.gov.cn/", {"name": REGION, "years": "2023"})
        store.upsert_agency(REGION, "示例区商务局", "department")
        store.upsert_agency(REGION, "示例区财政局", "department")
        run = store.start_run(REGION, AS_OF)
        rid = store.record_report(run, "示例区商务局", 2023, "http://www.example.gov.cn/nb/1.html",
                                  title="示例区商务局2023年政府信息公开工作年度报告", published_on="2024-01-20",
                                  published_on_source="header", format="2021")
        store.record_document(run, rid, "http://www.example.gov.cn/nb/1.html", "html", H)
        store.record_observation(run, "示例区财政局", 2023, "not_found")
        store.finish_run(run)
    return path


def one_line_error(capsys) -> str:
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "Traceback" not in err
    return err


def exit_code(argv: list[str]) -> int:
    """main()'s status, whether the error came from argparse (SystemExit) or from the command."""
    try:
        return main(argv)
    except SystemExit as exc:
        return int(exc.code)


@pytest.mark.parametrize("argv", [
    ["crawl", "ftp://example.gov.cn/"],
    ["crawl", "not a url"],
    ["crawl", "http://www.example.gov.cn/", "--years", "20x"],
    ["crawl", "http://www.example.gov.cn/", "--years", "2030", "--as-of", AS_OF],
    ["crawl", "http://www.example.gov.cn/", "--as-of", "2024-13-01"],
    ["crawl", "http://www.example.gov.cn/", "--setting", "lowercase=1"],
    ["status", "--as-of", "yesterday"],
    ["export", "--format", "xml"],
])
def test_bad_arguments_exit_2_with_one_line(argv, tmp_path, capsys):
    assert exit_code([*argv, "--db", str(tmp_path / "m.db")]) == 2
    assert one_line_error(capsys)


def test_crawl_refuses_a_database_that_is_not_one(tmp_path, capsys):
    bogus = tmp_path / "notes.db"
    bogus.write_text("these are my notes, not a database\n" * 100)
    assert main(["crawl", "http://www.example.gov.cn/", "--db", str(bogus), "--as-of", AS_OF]) == 2
    assert "cannot open the database" in one_line_error(capsys)
    assert bogus.read_text().startswith("these are my notes")


def test_status_and_export_need_an_existing_database(tmp_path, capsys):
    for argv in (["status"], ["export"]):
        assert main([*argv, "--db", str(tmp_path / "none.db")]) == 2
        assert "no database" in one_line_error(capsys)
    assert not (tmp_path / "none.db").exists()


def test_status_prints_the_judge_s_statuses(db, capsys):
    assert main(["status", "--db", str(db), "--as-of", AS_OF, "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    with Store.open(db) as store:
        assert printed == [s.to_json() for s in judge(store, date.fromisoformat(AS_OF))]
    assert {(s["agency"], s["status"]) for s in printed} == {("示例区商务局", "on_time"), ("示例区财政局", "missing")}

    assert main(["status", "--db", str(db), "--as-of", AS_OF]) == 0
    out = capsys.readouterr().out
    assert "示例区商务局" in out and "按时 on_time" in out and "未发布 missing" in out
    assert out.strip().splitlines()[-1] == "on_time 1, late 0, missing 1, pending 0, unknown 0"

    assert main(["status", "--db", str(db), "--region", "别的区"]) == 2
    assert "unknown region" in one_line_error(capsys)


def test_export_json_to_stdout_or_file_and_csv_to_a_folder(db, tmp_path, capsys):
    assert main(["export", "--db", str(db), "--as-of", AS_OF]) == 0
    printed = json.loads(capsys.readouterr().out)
    with Store.open(db) as store:
        assert printed == json.loads(json.dumps(export_data(store, AS_OF), ensure_ascii=False))
    assert {"as_of", "agencies", "reports", "statuses"} <= set(printed)

    out = tmp_path / "out" / "export.json"
    assert main(["export", "--db", str(db), "--as-of", AS_OF, "--out", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8")) == printed
    assert capsys.readouterr().err.startswith("wrote ")

    assert main(["export", "--db", str(db), "--format", "csv"]) == 2
    assert "--out" in one_line_error(capsys)
    folder = tmp_path / "csv"
    assert main(["export", "--db", str(db), "--as-of", AS_OF, "--format", "csv", "--out", str(folder)]) == 0
    assert capsys.readouterr().err.startswith("wrote ")
    with (folder / "statuses.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert {(r["agency"], r["status"]) for r in rows} == {("示例区商务局", "on_time"), ("示例区财政局", "missing")}
    assert main(["export", "--db", str(db), "--out", str(folder)]) == 2  # JSON into a folder
    one_line_error(capsys)
