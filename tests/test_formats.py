"""monitor/formats.py against the national templates as typed by hand from report-format.md §2
(tests/fixtures/national-formats/report-format-s2.yaml).  The parser, the rules and the report
generator all read formats.py, so a wrong label there would pass every generated-report test: this
test is the independent check."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from monitor import formats

DOC = yaml.safe_load((Path(__file__).parent / "fixtures" / "national-formats" / "report-format-s2.yaml")
                     .read_text(encoding="utf-8"))


@pytest.mark.parametrize("year,key", sorted(DOC["applies_to"].items()))
def test_year_to_format(year, key):
    assert formats.required_format(year) == key


def test_section_titles():
    assert list(formats.SECTION_TITLES) == DOC["sections"]


@pytest.mark.parametrize("key", ["2019", "2021"])
def test_table_two(key):
    got = [{"item": b.item, "columns": list(b.columns), "rows": [r.label for r in b.rows]}
           for b in formats.FORMATS[key].t2]
    assert got == DOC[key]["t2"]


@pytest.mark.parametrize("key", ["2019", "2021"])
def test_table_three_rows(key):
    want = []
    for label in DOC["t3"]["rows"]:
        want += DOC[key]["t3_other"] if label == "OTHER" else [label]
    assert [r.label for r in formats.FORMATS[key].t3_rows] == want
    assert len(want) == DOC[key]["t3_numeric_rows"]


def test_table_three_columns_groups_and_note():
    assert list(formats.T3_COLUMNS) == DOC["t3"]["columns"]
    assert list(formats.T3_GROUPS.values()) == DOC["t3"]["groups"]
    assert formats.T3_NOTE == DOC["t3"]["note"]


def test_table_four():
    assert list(formats.T4_COLUMNS) == DOC["t4"]["columns"]
    assert [b.replace("行政诉讼（", "").rstrip("）") for b in formats.T4_BLOCKS] == DOC["t4"]["blocks"]
    assert len(formats.T4_COLUMNS) * len(formats.T4_BLOCKS) == 15
