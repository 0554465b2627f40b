"""The checker against the report generator: every rule, every input type.

Ground truth is the generator's spec: a report built to break one rule must make the checker report
exactly that rule (plus the companions the generator documents in DEFECTS), whatever form the report
takes; a clean report must give no error and no warning.  These are the checker's real acceptance tests
beyond the five seeds, because real reports come as text, HTML, PDF, DOCX and DOC.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitor.checker import check_file, check_many
from simweb.reportgen import DEFECTS, expected_rules_for, make_pair, make_spec, render, render_docs
from simweb.reportgen.spec import LABEL_STYLES

SUFFIX = {"txt": ".txt", "txt-cells": ".txt", "txt-pipes": ".txt", "html": ".html", "pdf": ".pdf",
          "pdf-image": ".pdf", "docx": ".docx", "doc": ".doc"}
TEXT_FORMATS = ("txt", "txt-cells", "txt-pipes", "html", "pdf", "docx", "doc")
SINGLE_DOCUMENT_RULES = sorted(rule for rule in DEFECTS if rule != "content.no_text")
CLEAN_YEARS = (2020, 2023)


def _rule_spec(rule):
    return make_spec(7, defects=[rule], year=2022)


def _clean_spec(year):
    return make_spec(11, year=year)


@pytest.fixture(scope="module")
def doc_results(tmp_path_factory):
    """Every .doc of the module, written and checked at once (CheckResult by repr(spec)).

    Checked side by side, their conversions share soffice starts (monitor.extract.soffice batches the
    files asked for together), where one test at a time would pay a start of its own for each."""
    specs = [*map(_rule_spec, SINGLE_DOCUMENT_RULES), *map(_clean_spec, CLEAN_YEARS)]
    folder = tmp_path_factory.mktemp("doc")
    paths = [folder / f"{n}.doc" for n in range(len(specs))]
    for path, data in zip(paths, render_docs(specs)):
        path.write_bytes(data)
    with ThreadPoolExecutor(len(paths)) as pool:
        return {repr(spec): result for spec, result in zip(specs, pool.map(check_file, paths))}


@pytest.fixture
def check(tmp_path, doc_results):
    """check(spec, fmt): the checker's result on the spec rendered in that form, read from a file."""

    def run(spec, fmt):
        if fmt == "doc":
            result = doc_results[repr(spec)]
        else:
            path = tmp_path / f"{spec.seed}-{fmt}{SUFFIX[fmt]}"
            path.write_bytes(render(spec, fmt))
            result = check_file(path)
        assert result.error is None, result.error
        return result

    return run


def _reported(result) -> set[str]:
    """Rule ids reported as error or warning (info findings are commentary, not verdicts)."""
    return {f.rule for f in result.findings if f.severity in ("error", "warning")}


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
@pytest.mark.parametrize("rule", SINGLE_DOCUMENT_RULES)
def test_each_rule_fires_on_its_defect(check, rule, fmt):
    spec = _rule_spec(rule)
    result = check(spec, fmt)
    assert _reported(result) == set(expected_rules_for(spec, fmt)), [
        (f.rule, f.where, f.message) for f in result.findings]


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
@pytest.mark.parametrize("year", CLEAN_YEARS)
def test_clean_report_is_silent(check, fmt, year):
    spec = _clean_spec(year)
    result = check(spec, fmt)
    assert _reported(result) == set(), [(f.rule, f.where, f.message) for f in result.findings]
    assert result.agency == spec.agency
    assert result.year == spec.year
    assert result.format == spec.format


@pytest.mark.parametrize("fmt", ("txt", "txt-cells", "txt-pipes", "html", "pdf", "docx"))
@pytest.mark.parametrize("labels", LABEL_STYLES)
def test_row_labels_as_printed(check, labels, fmt):
    """「3、其他」, 「（六）其」/「他处理」, 「①」, 「１．」, no numbers, labels glued to their numbers and values,
    the typo 「其他法律行政止公开」, a page number inside table 三: the clean report stays silent, and
    every row is found where the template puts it."""
    for year in (2020, 2023):
        spec = make_spec(11, year=year, labels=labels)
        result = check(spec, fmt)
        assert _reported(result) == set(), [(f.rule, f.where, f.message) for f in result.findings]
        assert result.format == spec.format
        assert sorted(result.report.t3.rows) == sorted(spec.t3)


@pytest.mark.parametrize("labels", LABEL_STYLES)
@pytest.mark.parametrize("rule", ["identity.t3_total", "table.incomplete", "table.blank"])
def test_row_label_styles_still_catch_table_defects(check, labels, rule):
    spec = make_spec(8, defects=[rule], year=2022, labels=labels)
    result = check(spec, "txt")
    assert _reported(result) == set(expected_rules_for(spec, "txt")), [
        (f.rule, f.where, f.message) for f in result.findings]


def test_scanned_pdf_has_no_text(check):
    spec = make_spec(5, defects=["content.no_text"])
    result = check(spec, "pdf-image")
    assert _reported(result) == {"content.no_text"}


@pytest.mark.parametrize("rule,variant", [("content.copied", "agency"), ("content.copied", "year"),
                                          ("crossyear.carry", "agency"), ("crossyear.valid_count", "agency")])
def test_multi_document_rules(tmp_path, rule, variant):
    first, second = make_pair(3, rule=rule, variant=variant)
    paths = []
    for i, spec in enumerate((first, second)):
        path = tmp_path / f"{i}.txt"
        path.write_bytes(render(spec, "txt"))
        paths.append(path)
    results = check_many(paths)
    assert _reported(results[1]) == {rule}, [(f.rule, f.message) for f in results[1].findings]
    # Each alone is clean: the finding comes only from the pair.
    for path in paths:
        assert _reported(check_many([path])[0]) == set()


def test_different_clean_reports_are_not_copies(tmp_path):
    paths = []
    for seed in range(6):
        spec = make_spec(100 + seed, year=2023)
        path = tmp_path / f"{seed}.txt"
        path.write_bytes(render(spec, "txt"))
        paths.append(path)
    assert all("content.copied" not in _reported(r) for r in check_many(paths))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10**6), year=st.integers(2019, 2025), size=st.sampled_from(["zero", "typical", "large"]),
       fmt=st.sampled_from(["txt", "txt-cells", "txt-pipes", "html"]))
def test_property_clean_reports_never_error(check, seed, year, size, fmt):
    spec = make_spec(seed, year=year, size=size)
    result = check(spec, fmt)
    assert not [f for f in result.findings if f.severity == "error"], [
        (f.rule, f.where, f.message) for f in result.findings]
