"""The report generator: its specs obey the national formats, its defects break exactly what they
claim, and every rendering carries the spec.

Identities are recomputed here from the spec and monitor.formats (report-format.md §3), never by
calling the generator's own helpers, so a generator bug cannot hide behind its own arithmetic.
"""

from __future__ import annotations

import io
import itertools
import re
import subprocess
import sys
import textwrap
from datetime import date
from decimal import Decimal
from pathlib import Path

import docx
import pdfplumber
import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.formats import FORMATS, SECTION_TITLES, T3_NOTE, T3_TOTAL_COL, required_format
from simweb.reportgen import (
    DEFECTS, MULTI_DOCUMENT, RENDER_FORMATS, expected_rules_for, make_pair, make_spec, render, render_html_body,
)
from simweb.reportgen.docx_render import docx_to_doc

KINDS = ("department", "government", "township")
SIZES = ("zero", "typical", "large")
IDENTITY_RULES = ("identity.t3_balance", "identity.t3_total", "identity.t3_row", "identity.t4_total")


# ----------------------------------------------------------------------------- independent checks


def broken_identities(spec) -> set[str]:
    """Which §3 identities fail in the spec's tables (cells that are not ints are not checkable)."""
    broken: set[str] = set()
    if spec.format not in FORMATS:
        return broken
    fmt, t3, t4 = FORMATS[spec.format], spec.t3, spec.t4
    if t3 and all(type(v) is int for row in t3.values() for v in row):
        results = [r.key for r in fmt.t3_rows if r.key.startswith("r") and r.key in t3]
        for c in range(7):
            if t3["new"][c] + t3["carried"][c] != t3["total"][c] + t3["carry_next"][c]:
                broken.add("identity.t3_balance")
            if t3["total"][c] != sum(t3[k][c] for k in results):
                broken.add("identity.t3_total")
        if any(sum(row[:6]) != row[6] for row in t3.values()):
            broken.add("identity.t3_row")
    if t4 and all(type(v) is int for v in t4):
        if any(sum(t4[b * 5:b * 5 + 4]) != t4[b * 5 + 4] for b in range(3)):
            broken.add("identity.t4_total")
    return broken


def value_problems(spec) -> set[str]:
    """table.negative / table.non_numeric / table.blank as a checker would see them in the spec."""
    found: set[str] = set()
    if spec.format in FORMATS:
        for block in FORMATS[spec.format].t2:
            for row_key, cells in spec.t2.get(block.key, {}).items():
                for i, v in enumerate(cells):
                    if i in block.money_columns:
                        assert isinstance(v, (Decimal, str)), (block.key, row_key, v)
                    elif isinstance(v, str):
                        found.add("table.non_numeric")
                    elif v < 0 and i not in block.signed_columns:
                        found.add("table.negative")
    t3_cells = [v for row in spec.t3.values() for v in row]
    for cells in (t3_cells, list(spec.t4)):
        if cells and all(v == "" for v in cells):
            found.add("table.blank")
        if any(type(v) is int and v < 0 for v in cells):
            found.add("table.negative")
    return found


def narrative(spec) -> str:
    return "".join(spec.preamble + [p for _, _, ps in spec.sections for p in ps])


def shingles(text: str, k: int = 5) -> set[str]:
    return {text[i:i + k] for i in range(len(text) - k + 1)}


def jaccard(a, b) -> float:
    x, y = shingles(narrative(a)), shingles(narrative(b))
    return len(x & y) / len(x | y)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


# ----------------------------------------------------------------------------- clean specs

CLEAN_GRID = list(itertools.product(range(4), KINDS, (2012, 2019, 2020, 2021, 2023), SIZES))


@pytest.mark.parametrize("seed,kind,year,size", CLEAN_GRID)
def test_clean_spec_is_clean(seed, kind, year, size):
    spec = make_spec(seed, kind=kind, year=year, size=size)
    assert spec.expected_rules == frozenset() and spec.defects == ()
    assert spec.format == required_format(year)
    assert spec.title == f"{spec.agency}{year}年政府信息公开工作年度报告"
    assert spec.period == (date(year, 1, 1), date(year, 12, 31))
    assert spec.signed_on > date(year, 12, 31)
    assert broken_identities(spec) == set()
    assert value_problems(spec) == set()
    assert len(spec.sections) == 6
    if spec.format == "pre2019":
        assert not spec.has_tables
        return
    assert [h for _, h, _ in spec.sections][:4] == list(SECTION_TITLES[:4])
    fmt = FORMATS[spec.format]
    assert list(spec.t3) == [r.key for r in fmt.t3_rows]
    assert all(len(v) == 7 for v in spec.t3.values()) and len(spec.t4) == 15
    assert {b.key for b in fmt.t2} == set(spec.t2)
    if size == "zero":
        assert all(v == 0 for row in spec.t3.values() for v in row) and all(v == 0 for v in spec.t4)
    # the narrative states the table's figures
    text = narrative(spec)
    new = spec.t3["new"][T3_TOTAL_COL]
    if new:
        assert re.search(rf"(收到|新收)政府信息公开申请{new}件", text)
    elif spec.t3["carried"][T3_TOTAL_COL] == 0:
        assert "未收到政府信息公开申请" in text
    reviews, lawsuits = spec.t4[4], spec.t4[9] + spec.t4[14]
    if reviews or lawsuits:
        assert f"被申请行政复议{reviews}件，被提起行政诉讼{lawsuits}件" in text
    else:
        assert re.search("未发生.*行政复议、行政诉讼", text)
    five = spec.sections[4][2]
    assert len("".join(five)) > 80


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10**9), year=st.integers(2008, 2030), size=st.sampled_from(SIZES),
       kind=st.sampled_from(KINDS))
def test_property_clean_identities_hold(seed, year, size, kind):
    spec = make_spec(seed, kind=kind, year=year, size=size)
    assert broken_identities(spec) == set()
    assert value_problems(spec) == set()
    assert spec.period == (date(year, 1, 1), date(year, 12, 31)) and spec.signed_on.year == year + 1


def test_consecutive_years_of_one_agency_agree():
    """X-CARRY, X-VALID and X-PROJ (report-format.md §3) hold between clean reports of one agency,
    whatever seeds were used for each year."""
    agency = "青川县商务局"
    for year, size in itertools.product((2020, 2022, 2024), ("typical", "large")):
        before = make_spec(11, agency=agency, year=year - 1, size=size)
        after = make_spec(97, agency=agency, year=year, size=size)
        assert after.t3["carried"] == before.t3["carry_next"]
        mixed = make_spec(5, agency=agency, year=year, size="large" if size == "typical" else "typical")
        assert mixed.t3["carried"] == before.t3["carry_next"]  # carry-over does not depend on size
        if before.format == after.format == "2021":
            made, repealed, valid = after.t2["art20_1"]["normative"]
            assert valid == before.t2["art20_1"]["normative"][2] + made - repealed
        if before.format == after.format == "2019":
            for block, row in (("art20_5", "licensing"), ("art20_6", "penalty"), ("art20_8", "fees")):
                assert after.t2[block][row][0] == before.t2[block][row][0] + before.t2[block][row][1]


def test_clean_reports_of_different_agencies_are_not_alike():
    for kind in KINDS:
        specs = [make_spec(seed, kind=kind, size="zero") for seed in range(12)]
        assert max(jaccard(a, b) for a, b in itertools.combinations(specs, 2)) < 0.5
    same_agency = [make_spec(seed, agency="西华县商务局", year=2021 + seed) for seed in range(4)]
    assert max(jaccard(a, b) for a, b in itertools.combinations(same_agency, 2)) < 0.5


# ----------------------------------------------------------------------------- defects


@pytest.mark.parametrize("rule", IDENTITY_RULES)
@pytest.mark.parametrize("seed,size,year", [(s, z, y) for s in range(5) for z in SIZES for y in (2020, 2023)])
def test_identity_defect_breaks_exactly_its_identity(rule, seed, size, year):
    spec = make_spec(seed, size=size, year=year, defects=[rule])
    assert broken_identities(spec) == {rule}
    assert value_problems(spec) == set()
    assert spec.expected_rules == {rule}


def test_t3_balance_changes_only_carry_next():
    clean = make_spec(3)
    spec = make_spec(3, defects=["identity.t3_balance"])
    changed = {k for k in clean.t3 if clean.t3[k] != spec.t3[k]}
    assert changed == {"carry_next"}
    c, d = spec.details["identity.t3_balance"]["column"], spec.details["identity.t3_balance"]["delta"]
    assert spec.t3["carry_next"][c] - clean.t3["carry_next"][c] == d
    assert spec.t3["carry_next"][T3_TOTAL_COL] - clean.t3["carry_next"][T3_TOTAL_COL] == d
    # the narrative cites the printed figure, so no text/table mismatch comes with it
    printed = spec.t3["carry_next"][T3_TOTAL_COL]
    assert (f"结转下年度继续办理{printed}件" in narrative(spec)) == (printed > 0)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("layout_year", [2020, 2023])
def test_value_defects(seed, layout_year):
    for rule in ("table.negative", "table.non_numeric"):
        spec = make_spec(seed, year=layout_year, defects=[rule])
        assert value_problems(spec) == {rule}, rule
        assert broken_identities(spec) == set()
    spec = make_spec(seed, year=layout_year, defects=["table.blank"])
    assert value_problems(spec) == {"table.blank"}
    table = spec.details["table.blank"]["table"]
    blank = list(spec.t4) if table == "四" else [v for row in spec.t3.values() for v in row]
    assert blank and set(blank) == {""}
    # the narrative still has the figures: they cannot contradict blanks
    assert spec.figures == make_spec(seed, year=layout_year).figures


def test_negative_2021_is_repealed_count_and_2019_never_signed_column():
    spec = make_spec(4, year=2023, defects=["table.negative"])
    assert spec.t2["art20_1"]["normative"][1] < 0
    for seed in range(10):
        spec = make_spec(seed, year=2020, defects=["table.negative"])
        d = spec.details["table.negative"]
        assert d["column"] not in FORMATS["2019"].t2[[b.key for b in FORMATS["2019"].t2].index(d["block"])].signed_columns


@pytest.mark.parametrize("seed", range(8))
def test_table_missing_and_incomplete(seed):
    spec = make_spec(seed, defects=["table.missing"])
    table = spec.details["table.missing"]["table"]
    present = {"二": bool(spec.t2), "三": bool(spec.t3), "四": bool(spec.t4)}
    assert [t for t, p in present.items() if not p] == [table]
    assert [h for _, h, _ in spec.sections] == list(SECTION_TITLES[:4]) + [spec.sections[4][1], SECTION_TITLES[5]]

    spec = make_spec(seed, size="large", defects=["table.incomplete"])
    fmt = FORMATS[spec.format]
    details = spec.details["table.incomplete"]
    if details["table"] == "三":
        missing = [r.key for r in fmt.t3_rows if r.key not in spec.t3]
        assert missing == details["rows"] and len(missing) >= 2
        assert all(all(v == 0 for v in make_spec(seed, size="large").t3[k]) for k in missing)
    else:
        block = next(b for b in fmt.t2 if b.key == details["block"])
        assert set(details["rows"]) == {r.key for r in block.rows} - set(spec.t2.get(block.key, {}))
    assert broken_identities(spec) == set() and value_problems(spec) == set()
    assert spec.expected_rules == {"table.incomplete"}


@pytest.mark.parametrize("seed", range(12))
def test_structure_defects(seed):
    spec = make_spec(seed, defects=["structure.section_missing"])
    gone = spec.details["structure.section_missing"]["section"]
    assert [n for n, _, _ in spec.sections] == [n for n in "一二三四五六" if n != gone]
    companion = {"table.missing"} if gone in "二三四" else set()
    assert spec.expected_rules == {"structure.section_missing"} | companion
    if gone in "二三四":
        assert not {"二": spec.t2, "三": spec.t3, "四": spec.t4}[gone]

    spec = make_spec(seed, defects=["structure.section_order"])
    numerals = [n for n, _, _ in spec.sections]
    assert sorted(numerals, key="一二三四五六".index) == list("一二三四五六") and numerals != list("一二三四五六")
    assert numerals[0] == "一"

    spec = make_spec(seed, defects=["structure.numbering"])
    one = "\n".join(spec.sections[0][2])
    assert re.search(r"^一、", one, re.M) and re.search(r"^五、监督保障", one, re.M)
    assert "（一）" not in one


@pytest.mark.parametrize("seed", range(6))
def test_format_defects(seed):
    spec = make_spec(seed, year=2022, defects=["format.outdated"])
    assert spec.format == "2019" and "art20_9" in spec.t2 and "r6" in spec.t3
    assert broken_identities(spec) == set() and spec.expected_rules == {"format.outdated"}
    assert make_spec(seed, year=2022, format="2019").expected_rules == {"format.outdated"}

    spec = make_spec(seed, defects=["format.unknown"])
    assert spec.format == "unknown" and not spec.has_tables
    assert all(spec.sections[i][2] for i in (1, 2, 3))  # sections 二–四 speak in words
    document = docx.Document(io.BytesIO(render(spec, "docx")))
    assert len(document.tables) == 0


@pytest.mark.parametrize("seed", range(10))
def test_period_date_text_and_problems_defects(seed):
    year = 2021 + seed % 3
    assert make_spec(seed, year=year, defects=["period.missing"]).period is None
    assert "统计期限" not in render(make_spec(seed, year=year, defects=["period.missing"]), "txt").decode()
    start, end = make_spec(seed, year=year, defects=["period.wrong"]).period
    assert (start, end) != (date(year, 1, 1), date(year, 12, 31))
    assert f"{end.year}年12月31日" in render(make_spec(seed, year=year, defects=["period.wrong"]), "txt").decode()
    signed = make_spec(seed, year=year, defects=["date.before_year_end"]).signed_on
    assert signed.year == year
    assert f"{year}年{signed.month}月{signed.day}日" in render(
        make_spec(seed, year=year, defects=["date.before_year_end"]), "txt").decode()

    for size in ("zero", "typical"):
        spec = make_spec(seed, year=year, size=size, defects=["text.table_mismatch"])
        stated, table = spec.details["text.table_mismatch"]["stated"], spec.t3["new"][T3_TOTAL_COL]
        assert stated != table and re.search(rf"(收到|新收)政府信息公开申请{stated}件", narrative(spec))
        assert not re.search(rf"(收到|新收)政府信息公开申请{table}件", narrative(spec))
        assert broken_identities(spec) == set()

    spec = make_spec(seed, year=year, defects=["content.problems_trivial"])
    assert len("".join(spec.sections[4][2])) < 40


def test_defect_catalogue_and_combinations():
    assert set(DEFECTS).isdisjoint(MULTI_DOCUMENT)
    spec = make_spec(1, defects=["period.missing", "date.before_year_end", "identity.t4_total",
                                 "table.missing", "structure.section_missing"])
    assert {"period.missing", "date.before_year_end", "identity.t4_total", "table.missing",
            "structure.section_missing"} <= spec.expected_rules
    assert spec.t4 and broken_identities(spec) == {"identity.t4_total"}  # table 四 was needed: kept
    for bad in (dict(defects=["content.copied"]), dict(defects=["no.such"]), dict(kind="ministry"),
                dict(size="huge"), dict(year=2005), dict(year=2020, defects=["format.outdated"]),
                dict(year=2015, defects=["identity.t3_row"]), dict(defects=["period.missing", "period.wrong"]),
                dict(defects=["format.unknown", "identity.t3_total"]), dict(year=2020, format="2021")):
        with pytest.raises(ValueError):
            make_spec(1, **bad)


def test_pre2019_report():
    spec = make_spec(8, year=2016, kind="government", defects=["content.problems_trivial", "period.wrong"])
    assert spec.format == "pre2019" and not spec.has_tables
    assert [h for _, h, _ in spec.sections][0] == "概述"
    assert len("".join(spec.sections[5][2])) < 40
    text = render(spec, "txt").decode()
    assert "收费及减免" in text and "第二十条" not in text


# ----------------------------------------------------------------------------- pairs


@pytest.mark.parametrize("variant", ["agency", "year"])
@pytest.mark.parametrize("kind", KINDS)
def test_pair_content_copied(variant, kind):
    for seed in range(3):
        first, second = make_pair(seed, rule="content.copied", kind=kind, variant=variant)
        assert second.defects == ("content.copied",) and first.expected_rules == second.expected_rules == frozenset()
        assert (first.agency != second.agency) if variant == "agency" else (second.year == first.year + 1)
        assert jaccard(first, second) > 0.75
        assert broken_identities(first) == broken_identities(second) == set()
        if variant == "agency":  # re-filled with its own name: nothing says where it came from
            assert first.agency not in narrative(second)


def test_pair_crossyear_carry():
    for seed, size in itertools.product(range(4), SIZES):
        first, second = make_pair(seed, rule="crossyear.carry", size=size)
        assert (first.agency, first.year + 1) == (second.agency, second.year)
        assert second.t3["carried"][T3_TOTAL_COL] != first.t3["carry_next"][T3_TOTAL_COL]
        assert broken_identities(first) == broken_identities(second) == set()
        assert second.expected_rules == frozenset() and second.defects == ("crossyear.carry",)
    with pytest.raises(ValueError):
        make_pair(1, rule="crossyear.carry", year=2019)


# ----------------------------------------------------------------------------- rendering


def test_determinism():
    for seed, defects in ((1, ()), (2, ("table.blank",)), (3, ("structure.section_order", "period.wrong"))):
        a, b = make_spec(seed, defects=defects), make_spec(seed, defects=defects)
        assert a == b
        for fmt in ("txt", "txt-cells", "txt-pipes", "html", "docx"):
            assert render(a, fmt) == render(b, fmt), fmt
    assert render(make_spec(1), "txt") != render(make_spec(2), "txt")


def test_html_body_is_gbk_encodable():
    rules = sorted(set(DEFECTS) - {"content.no_text"})
    for seed in range(200):
        year = 2010 + seed % 16
        defects = [rules[seed % len(rules)]] if year >= 2021 and seed % 3 == 0 else []
        spec = make_spec(seed, kind=KINDS[seed % 3], year=year, size=SIZES[seed % 3], defects=defects)
        render_html_body(spec).encode("gbk")


def test_html_has_official_merged_cells():
    for year, result_rows in ((2020, 20), (2023, 22)):
        soup = BeautifulSoup(render(make_spec(5, year=year), "html").decode("utf-8"), "lxml")
        assert len(soup.find_all("table")) == 3

        def span(text, attr):
            cell = soup.find("td", string=text)
            return int(cell.get(attr, 1))

        assert span("三、本年度办理结果", "rowspan") == result_rows
        assert span("（三）不予公开", "rowspan") == 8
        assert span("申请人情况", "colspan") == 7
        assert span("法人或其他组织", "colspan") == 5
        assert span("行政复议", "colspan") == 5
        assert span("行政诉讼", "colspan") == 10
        assert span("未经复议直接起诉", "colspan") == 5
        assert span("（六）其他处理", "rowspan" if year >= 2021 else "colspan") == (3 if year >= 2021 else 2)


def test_text_renderings_carry_table_rows():
    spec = make_spec(9, size="large")
    total = spec.t3["new"]
    tab = render(spec, "txt").decode()
    assert "一、本年新收政府信息公开申请数量\t\t\t" + "\t".join(map(str, total)) in tab
    pipes = render(spec, "txt-pipes").decode()
    assert "一、本年新收政府信息公开申请数量 |  |  | " + " | ".join(map(str, total)) + " |" in pipes
    cells = render(spec, "txt-cells").decode()
    assert "\t一、本年新收政府信息公开申请数量\n" + "".join(f"\t{v}\n" for v in total) in cells
    # a vertically merged label leaves an empty cell in the rows below it (Word's export)
    assert "\t\n\t（二）部分公开" in cells


def test_pdf_text_layer_has_title_and_tables():
    spec = make_spec(12, size="large", kind="government")
    with pdfplumber.open(io.BytesIO(render(spec, "pdf"))) as pdf:
        text = squash("".join(page.extract_text() or "" for page in pdf.pages))
        rows = [[squash(c or "") for c in row] for page in pdf.pages for t in page.extract_tables() for row in t]
    assert spec.title in text
    new_row = next(r for r in rows if r and r[0] == "一、本年新收政府信息公开申请数量")
    assert [c for c in new_row if c] [1:] == [str(v) for v in spec.t3["new"]]
    assert any(r[:1] == ["行政许可"] for r in rows)
    assert [str(v) for v in spec.t4] in rows


def test_pdf_image_has_no_text():
    spec = make_spec(13, defects=["content.no_text"])
    data = render(spec, "pdf-image")
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert pdf.pages and all(not page.chars for page in pdf.pages)
        assert all(page.images for page in pdf.pages)
    assert expected_rules_for(spec, "pdf-image") == {"content.no_text"}
    assert expected_rules_for(make_spec(13, defects=["period.missing"]), "pdf-image") == {"content.no_text"}
    assert expected_rules_for(make_spec(13, defects=["period.missing"]), "html") == {"period.missing"}
    with pytest.raises(ValueError):
        render(spec, "txt")
    with pytest.raises(ValueError):
        render(make_spec(13), "rtf")


def test_docx_tables():
    for year, n_tables in ((2020, 3), (2023, 3), (2016, 0)):
        spec = make_spec(14, year=year)
        document = docx.Document(io.BytesIO(render(spec, "docx")))
        assert len(document.tables) == n_tables
        assert document.paragraphs[0].text == spec.title
        if n_tables:
            t3 = document.tables[1]
            assert t3.cell(3, 0).text == "一、本年新收政府信息公开申请数量"
            assert [t3.cell(3, c).text for c in range(3, 10)] == [str(v) for v in spec.t3["new"]]
            results = 20 if year < 2021 else 22  # rows spanned by 三、本年度办理结果 (merged in Word)
            assert {t3.cell(r, 0).text for r in range(5, 5 + results)} == {"三、本年度办理结果"}
            assert t3.cell(5 + results, 0).text == "四、结转下年度继续办理"
            assert {t3.cell(r, c).text for r in range(3) for c in range(3)} == {T3_NOTE}


def test_doc_via_soffice_and_cache(tmp_path, monkeypatch):
    spec = make_spec(15)
    docx_bytes = render(spec, "docx")
    doc = docx_to_doc(docx_bytes, cache_dir=tmp_path)
    assert doc[:8] == bytes.fromhex("d0cf11e0a1b11ae1")  # OLE2 compound file: Word 97
    text = subprocess.run(["antiword", "-m", "UTF-8.txt", "-"], input=doc, capture_output=True,
                          check=True).stdout.decode("utf-8")
    assert spec.title in squash(text)
    assert len(list(tmp_path.glob("*.doc"))) == 1

    def no_soffice(*args, **kwargs):
        raise AssertionError("a cached conversion must not start soffice")

    monkeypatch.setattr(subprocess, "run", no_soffice)
    assert docx_to_doc(docx_bytes, cache_dir=tmp_path) == doc


def test_every_format_renders():
    spec = make_spec(16, kind="township", year=2020)
    for fmt in RENDER_FORMATS:
        if fmt == "doc":
            continue  # covered with its cache in test_doc_via_soffice_and_cache
        data = render(spec, fmt)
        assert len(data) > 1000, fmt


def test_scanned_pdfs_render_safely_from_many_threads():
    """The simulated web renders documents in a thread pool; PDFium is not thread-safe, and rendering
    scanned PDFs in parallel used to kill the whole process (SIGSEGV/SIGTRAP in libpdfium, about one run
    in three of this test).  Run in a child process so a crash fails the test instead of the worker."""
    script = textwrap.dedent("""
        import threading
        from simweb.reportgen import make_spec, render
        specs = [make_spec(i, defects=["content.no_text"]) for i in range(8)]
        want = [render(s, "pdf-image") for s in specs]
        bad = []
        def work(i):
            for _ in range(4):
                if render(specs[i], "pdf-image") != want[i]:
                    bad.append(i)
        threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        print("differing:", sorted(set(bad)))
    """)
    root = Path(__file__).resolve().parents[1]
    proc = subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, (proc.returncode, proc.stderr[-2000:])
    assert proc.stdout.strip() == "differing: []"
