"""The static dashboard, built from a realistic history (tests/dashboard_history.py), read back as HTML.

Ground truth: the statuses stated in dashboard_history.TRUTH_2023 / STATUS_2022, the generator's spec
(which cell an injected defect broke), the bytes archived in the WARC files, and the store's findings.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from lxml import html as lxml_html

from monitor.checker import check_file
from monitor.dashboard import build_dashboard
from monitor.dashboard.collect import region_slug
from monitor.explain import STATUS_LABELS, explain
from monitor.formats import FORMAT_2021
from monitor.status import judge, stored_findings
from monitor.store import Store
from monitor.store.doc_tables import report_tables
from simweb.reportgen import make_spec, render
from tests.dashboard_history import (
    AGENCIES, AS_OF, EVIL_AGENCY, EVIL_DOC_URL, EVIL_MESSAGE, EVIL_TITLE, EVIL_URL, REGION, STATUS_2022, TRUTH_2023,
    Archive, build_history,
)

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("history")
    db = build_history(folder)
    out = folder / "dashboard"
    with Store.open(db) as store:
        result = build_dashboard(store, out, date.fromisoformat(AS_OF))
    return db, out, result


def page(path: Path):
    return lxml_html.fromstring(path.read_bytes())


def report_page(out: Path, db: Path, agency: str, year: int) -> Path:
    with Store.open(db) as store:
        rep = next(r for r in store.reports() if r["agency"] == agency and r["year"] == year)
    return out / "report" / f"{rep['id']}.html"


def test_overview_counts_follow_the_judge(site):
    _, out, _ = site
    region = page(out / "region" / f"{region_slug(REGION)}.html")
    for year, truth in ((2023, {a: t.status for a, t in TRUTH_2023.items()}), (2022, STATUS_2022)):
        row = region.xpath(f"//table[contains(@class,'summary')]//tr[th/a[normalize-space()='{year}年度']]")[0]
        cells = [c.text_content().strip() for c in row.xpath("td")]
        expected = Counter(truth.values())
        assert cells[0] == str(len(truth))
        assert cells[1:6] == [str(expected[s]) for s in ("on_time", "late", "missing", "pending", "unknown")]
    index = page(out / "index.html")
    row = index.xpath("//table[contains(@class,'summary')]/tbody/tr")[0]
    assert row.xpath("th/a")[0].text_content() == REGION
    assert row.xpath("td")[0].text_content() == "2023年度"


def test_well_formed_share_counts_reports_without_errors(site):
    db, out, _ = site
    with Store.open(db) as store:
        published = [r for r in store.reports(as_of=AS_OF) if r["year"] == 2022]
        with_errors = {f["report_id"] or _report_of(store, f["document_id"]) for f in store.findings(as_of=AS_OF)
                       if f["severity"] == "error"}
    clean = sum(r["id"] not in with_errors for r in published)
    region = page(out / "region" / f"{region_slug(REGION)}.html")
    row = region.xpath("//table[contains(@class,'summary')]//tr[th/a[normalize-space()='2022年度']]")[0]
    assert row.xpath("td")[6].text_content().startswith(f"{clean}/{len(published)}")


def _report_of(store: Store, document_id: int) -> int:
    return next(d["report_id"] for d in store.documents() if d["id"] == document_id)


def test_agency_table_has_every_agency_with_its_status(site):
    _, out, _ = site
    table = page(out / "region" / f"{region_slug(REGION)}-2023.html")
    rows = table.xpath("//table[@id='agency-table']/tbody/tr")
    got = {r.get("data-name"): (r.get("data-status"), r.get("data-kind")) for r in rows}
    assert got == {a: (t.status, AGENCIES[a]) for a, t in TRUTH_2023.items()}
    for row in rows:
        assert row.xpath(".//span[contains(@class,'badge')]")[0].text == STATUS_LABELS[row.get("data-status")]
    headers = table.xpath("//table[@id='agency-table']/thead//th")
    assert headers and all(th.get("scope") == "col" for th in headers)


def test_agency_page_shows_history_across_years(site):
    db, out, _ = site
    with Store.open(db) as store:
        agency = store.find_agency(REGION, "示例区财政局")
    doc = page(out / "agency" / f"{agency['id']}.html")
    rows = doc.xpath("//table[contains(@class,'history')]/tbody/tr")
    years = [r.xpath("th")[0].text_content() for r in rows]
    assert years == ["2023年度", "2022年度"]
    badges = [r.xpath(".//span[contains(@class,'badge')]")[0].text for r in rows]
    assert badges == [STATUS_LABELS[TRUTH_2023["示例区财政局"].status], STATUS_LABELS[STATUS_2022["示例区财政局"]]]


def test_report_page_marks_the_cells_the_defect_broke(site):
    db, out, _ = site
    doc = page(report_page(out, db, "示例区商务局", 2023))
    spec = make_spec(int(hashlib.sha1("示例区商务局2023".encode()).hexdigest()[:6], 16), agency="示例区商务局",
                     kind="department", year=2023, defects=("identity.t3_balance",))
    column = spec.details["identity.t3_balance"]["column"]
    t3 = next(t for t in doc.xpath("//table[contains(@class,'report-table')]")
              if t.xpath("thead//th")[1].text_content() == "自然人")
    flagged = {(row.xpath("th")[0].text.strip(), i)
               for row in t3.xpath("tbody/tr[not(contains(@class,'group'))]")
               for i, td in enumerate(row.xpath("td")) if "flag" in (td.get("class") or "")}
    # 一 + 二 ≠ （七）总计 + 四 in the broken column: those four rows are marked there.
    labels = {r.key: r.label for r in FORMAT_2021.t3_rows}
    assert {label for label, i in flagged if i == column} == {labels[k] for k in ("new", "carried", "total", "carry_next")}
    title = explain("identity.t3_balance").title
    assert any(title in li.text_content() for li in doc.xpath("//li[contains(@class,'finding')]"))
    assert explain("identity.t3_balance").meaning in doc.text_content()


def test_every_current_finding_is_on_its_report_page(site):
    db, out, _ = site
    with Store.open(db) as store:
        findings = stored_findings(store, AS_OF)
    assert findings
    for f in findings:
        text = page(out / "report" / f"{f.report_id}.html").text_content()
        assert f.message in text and explain(f.rule).title in text, (f.rule, f.report_id)


def test_publication_findings_are_explained(site):
    db, out, _ = site
    text = page(report_page(out, db, "示例区财政局", 2023)).text_content()
    assert explain("publication.late").title in text and "2024年1月31日" in text
    changed = page(report_page(out, db, "示例区人力资源和社会保障局", 2023))
    assert explain("publication.changed").title in changed.text_content()
    assert len(changed.xpath("//table[contains(@class,'documents')]/tbody/tr")) == 2  # both versions kept
    removed = page(report_page(out, db, "示例区住房和城乡建设局", 2023)).text_content()
    assert explain("publication.removed").title in removed and "已不在网站上" in removed
    with Store.open(db) as store:
        missing = store.find_agency(REGION, "示例区卫生健康委员会")
    text = page(out / "agency" / f"{missing['id']}.html").text_content()
    assert explain("publication.missing").title in text


def test_archived_copies_are_the_fetched_bytes(site):
    db, out, result = site
    with Store.open(db) as store:
        docs = store.documents()
    assert result.evidence_files == len(docs) and result.evidence_missing == 0
    for doc in docs:
        if doc["type"] == "html":
            viewer = page(out / "evidence" / f"{doc['sha256']}.html")
            frame = viewer.xpath("//iframe")[0]
            assert frame.get("sandbox") == ""
            assert hashlib.sha256(frame.get("srcdoc").encode("utf-8")).hexdigest() == doc["sha256"]
        else:
            data = (out / "evidence" / f"{doc['sha256']}.{doc['type']}").read_bytes()
            assert hashlib.sha256(data).hexdigest() == doc["sha256"]


def test_a_lost_warc_is_said_plainly(site, tmp_path):
    db, _, _ = site
    lost = tmp_path / "lost"
    lost.mkdir()
    copy = lost / "monitor.db"
    copy.write_bytes(db.read_bytes())  # the WARC files stay behind
    with Store.open(copy) as store:
        result = build_dashboard(store, lost / "out", date.fromisoformat(AS_OF))
        assert result.evidence_files == 0 and result.evidence_missing == len(store.documents())
    text = page(report_page(lost / "out", copy, "示例区教育局", 2023)).text_content()
    assert "不在本机" in text
    assert not [p for p in (lost / "out" / "evidence").rglob("*") if p.is_file()]


def test_crawled_strings_are_escaped_everywhere(site):
    _, out, _ = site
    pages = list(out.rglob("*.html"))
    for path in pages:
        doc = page(path)
        for script in doc.xpath("//script"):
            assert script.get("src", "").endswith("static/table.js") and not (script.text or "").strip(), path
        for el in doc.iter():
            if not isinstance(el.tag, str):
                continue
            assert not [a for a in el.attrib if a.lower().startswith("on")], (path, el.tag, el.attrib)
            for attr in ("href", "src"):
                assert not el.get(attr, "").strip().lower().startswith("javascript:"), path
        assert not doc.xpath("//img"), path
    text = "".join(page(p).text_content() for p in pages)
    for hostile in (EVIL_AGENCY, EVIL_TITLE, EVIL_URL, EVIL_DOC_URL, EVIL_MESSAGE):
        assert hostile in text  # shown as text, not swallowed


def test_every_internal_link_resolves(site):
    _, out, _ = site
    for path in out.rglob("*.html"):
        for el in page(path).xpath("//*[@href or @src]"):
            target = el.get("href") or el.get("src")
            parts = urlsplit(target)
            if parts.scheme in ("http", "https") or (not parts.path and parts.fragment):
                continue
            assert not parts.scheme, (path, target)
            assert (path.parent / unquote(parts.path)).resolve().is_file(), (path, target)


def test_chart_has_a_dot_per_published_report(site):
    _, out, _ = site
    region = page(out / "region" / f"{region_slug(REGION)}.html")
    charts = region.xpath("//svg[contains(@class,'pubchart')]")
    published_2023 = sum(t.status in ("on_time", "late") for t in TRUTH_2023.values())
    published_2022 = sum(s in ("on_time", "late") for s in STATUS_2022.values())
    assert [len(c.xpath(".//circle")) for c in charts] == [published_2023, published_2022]
    late = sum(t.status == "late" for t in TRUTH_2023.values())
    assert len(charts[0].xpath(".//circle[contains(@class,'dot-late')]")) == late
    assert len(charts[0].xpath(".//line[contains(@class,'deadline')]")) == 2  # 1月31日 and 3月31日


def test_downloads_match_the_judge(site):
    db, out, _ = site
    data = json.loads((out / "downloads" / "export.json").read_text(encoding="utf-8"))
    with Store.open(db) as store:
        statuses = judge(store, AS_OF)
    assert {(s["agency"], s["year"]): s["status"] for s in data["statuses"]} == {
        (s.agency, s.year): s.status for s in statuses}
    with (out / "downloads" / "csv" / "statuses.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted((r["agency"], r["year"], r["status"]) for r in rows) == sorted(
        (s.agency, str(s.year), s.status) for s in statuses)


def test_pages_declare_chinese_and_load_only_local_files(site):
    _, out, _ = site
    for path in out.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert re.search(r'<html lang="zh-CN">', text), path
        assert "Content-Security-Policy" in text
        doc = page(path)
        for el in doc.xpath("//link[@href] | //script[@src]"):
            assert not urlsplit(el.get("href") or el.get("src")).scheme, path


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "monitor", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)


def test_cli_writes_the_dashboard_and_rejects_bad_input(site, tmp_path):
    db, _, _ = site
    done = _cli("dashboard", "--db", str(db), "--out", str(tmp_path / "d"), "--as-of", AS_OF)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "d" / "index.html").as_uri() in done.stdout
    for args, needle in (
        (("--db", str(tmp_path / "none.db"), "--out", str(tmp_path / "x")), "no database"),
        (("--db", str(db), "--out", str(db)), "not a folder"),
        (("--db", str(ROOT / "pyproject.toml"), "--out", str(tmp_path / "x")), "cannot open the database"),
        (("--db", str(db), "--out", str(tmp_path / "x"), "--as-of", "2024-02-30"), "not a date"),
    ):
        done = _cli("dashboard", *args)
        assert done.returncode == 2 and needle in done.stderr and "Traceback" not in done.stderr, done.stderr
        assert len(done.stderr.strip().splitlines()) == 1


def _before_document_tables(db: Path) -> None:
    """Turn `db` into a database as crawls wrote it before the store kept the checker's tables: the tables
    of migration 0003_document_tables and later ones (and the columns they add) dropped, those migrations not
    applied yet."""
    import sqlite_utils

    from monitor.store.schema import MIGRATION_NAMES, migrations

    fresh = sqlite_utils.Database(memory=True)
    migrations.apply(fresh, stop_before="0003_document_tables")
    later = MIGRATION_NAMES[MIGRATION_NAMES.index("0003_document_tables"):]
    old = sqlite_utils.Database(db)
    for table in set(old.table_names()) - set(fresh.table_names()):
        old[table].drop()
    for table in set(old.table_names()) & set(fresh.table_names()):  # columns later migrations added
        added = set(old[table].columns_dict) - set(fresh[table].columns_dict)
        for index in old[table].indexes:  # and their indexes
            if set(index.columns) & added:
                old.execute(f"DROP INDEX {index.name}")
        if added:
            old[table].transform(drop=added)
    old.execute(f"DELETE FROM _sqlite_migrations WHERE name IN ({','.join('?' * len(later))})", later)
    old.execute(f"PRAGMA user_version = {len(MIGRATION_NAMES) - len(later)}")
    old.conn.commit()
    old.close()


def test_stored_tables_are_drawn_without_parsing_and_old_databases_render_the_same(site, tmp_path):
    db, out, _ = site
    with Store.open(db) as store:
        assert len(store.document_tables(d["id"] for d in store.documents())) == len(store.documents())
    assert not (out / "evidence" / "tables").exists()  # every reading came from the store: nothing parsed
    old_db = build_history(tmp_path / "old", keep_tables=False)
    _before_document_tables(old_db)
    with Store.open(old_db) as store:  # upgrades it; its versions have no stored reading
        assert store.document_tables(d["id"] for d in store.documents()) == {}
        build_dashboard(store, tmp_path / "old" / "dashboard", date.fromisoformat(AS_OF))
    assert list((tmp_path / "old" / "dashboard" / "evidence" / "tables").iterdir())  # parsed from the archive
    pages = sorted(p.relative_to(out) for p in out.rglob("*.html"))
    assert pages == sorted(p.relative_to(tmp_path / "old" / "dashboard")
                           for p in (tmp_path / "old" / "dashboard").rglob("*.html"))
    marked = 0
    for rel in pages:
        ours = (out / rel).read_bytes()
        assert ours == (tmp_path / "old" / "dashboard" / rel).read_bytes(), rel
        marked += b'class="report-table"' in ours
    assert marked >= 3  # 商务局 (cells), 人社局 (cells), 财政局 (a blank table)


def _table_section(doc, name: str):
    """The report page's section of table 二/三/四 (by the title monitor.dashboard.tables gives it)."""
    from monitor.dashboard.tables import TABLE_TITLES

    return next(s for s in doc.xpath("//section[contains(@class,'table-block')]")
                if s.xpath("h3")[0].text_content().startswith(TABLE_TITLES[name]))


def test_a_blank_table_is_shown_with_its_finding(site):
    db, out, _ = site
    doc = page(report_page(out, db, "示例区财政局", 2023))
    seed = int(hashlib.sha1("示例区财政局2023".encode()).hexdigest()[:6], 16)
    spec = make_spec(seed, agency="示例区财政局", kind="department", year=2023, defects=("table.blank",))
    name = spec.details["table.blank"]["table"]
    finding = next(li for li in doc.xpath("//li[contains(@class,'finding')]")
                   if explain("table.blank").title in li.text_content())
    section = _table_section(doc, name)
    assert "flagged" in section.get("class")
    assert [a.get("href") for a in section.xpath("h3/a[contains(@class,'mark')]")] == [f"#{finding.get('id')}"]
    cells = section.xpath(".//table[contains(@class,'report-table')]/tbody/tr[not(contains(@class,'group'))]/td")
    assert cells and all(td.text_content().strip() == "（空白）" for td in cells)  # blank, not 0, as printed
    assert f"问题所在的表{name}已在下面用" in finding.text_content()
    # the count of blank-or-「/」 cells per table: every value cell of the blanked table, none elsewhere
    blank = len(spec.t3) * 7 if name == "三" else len(spec.t4)
    counts = {t: _table_section(doc, t).xpath(".//p[contains(@class,'blank-count')]")[0].text_content()
              for t in ("二", "三", "四")}
    assert counts == {t: f"空白或“/”等未填数字的格子：{blank if t == name else 0} 个" for t in ("二", "三", "四")}


def test_a_missing_table_is_said_to_be_absent_with_its_finding(tmp_path):
    spec = make_spec(5, agency="示例区商务局", kind="department", year=2023, defects=("table.missing",))
    name = spec.details["table.missing"]["table"]
    data = render(spec, "html")
    url = "http://127.0.0.1:9/xxgk/swj/2023.html"
    with Store.open(tmp_path / "monitor.db") as store:
        store.upsert_region(REGION, "http://127.0.0.1:9/", {"name": REGION, "years": "2023-"})
        store.upsert_agency(REGION, "示例区商务局", "department")
        run = store.start_run(REGION, AS_OF)
        rid = store.record_report(run, "示例区商务局", 2023, url, published_on="2024-01-15", published_on_source="meta")
        offset = Archive(tmp_path, "run.warc.gz").add(url, data, "text/html; charset=utf-8")
        doc_id = store.record_document(run, rid, url, "html", hashlib.sha256(data).hexdigest(), size=len(data),
                                       warc_path="run.warc.gz", warc_offset=offset).document_id
        (tmp_path / "nb.html").write_bytes(data)
        result = check_file(tmp_path / "nb.html", year=2023, agency="示例区商务局", kind="department")
        assert "table.missing" in {f.rule for f in result.findings}
        store.record_findings(run, result.findings, document_id=doc_id)
        store.record_document_tables(run, doc_id, report_tables(result.report))
        store.finish_run(run)
        build_dashboard(store, tmp_path / "out", date.fromisoformat(AS_OF))
    doc = page(tmp_path / "out" / "report" / f"{rid}.html")
    section = _table_section(doc, name)
    assert "报告中没有找到这张表" in section.text_content() and not section.xpath(".//table")
    finding = next(li for li in doc.xpath("//li[contains(@class,'finding')]")
                   if explain("table.missing").title in li.text_content())
    assert [a.get("href") for a in section.xpath("h3/a[contains(@class,'mark')]")] == [f"#{finding.get('id')}"]
    assert f"缺少表{name}" in section.text_content()  # the finding's message beside the absent table
    present = [t for t in ("二", "三", "四") if t != name]
    assert all(_table_section(doc, t).xpath(".//table[contains(@class,'report-table')]") for t in present)
