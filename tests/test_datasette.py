"""Datasette over the evidence database: labels and canned queries answer the officials' questions with
the judge's own statuses (ground truth: tests/dashboard_history.py)."""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path

import pytest
from datasette.app import Datasette

from monitor.explain import STATUS_LABELS, explain
from monitor.status import stored_findings
from monitor.store import Store
from tests.dashboard_history import AS_OF, REGION, STATUS_2022, TRUTH_2023, build_history



@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return build_history(tmp_path_factory.mktemp("history"))


def get(db: Path, *paths: str):
    async def run():
        ds = Datasette([str(db)])  # the plugin comes from the package's entry point
        await ds.invoke_startup()
        out = []
        for path in paths:
            response = await ds.client.get(path)
            assert response.status_code == 200, (path, response.text[:500])
            out.append(response.json() if ".json" in path else response.text)
        return out

    return asyncio.run(run())


def test_overdue_agencies_are_the_judges(db):
    rows, one_region = get(
        db,
        f"/monitor/overdue_agencies.json?as_of={AS_OF}&region=&_shape=array",
        f"/monitor/overdue_agencies.json?as_of={AS_OF}&region=nowhere&_shape=array",
    )
    expected = {(a, 2023, STATUS_LABELS[t.status]) for a, t in TRUTH_2023.items() if t.status in ("late", "missing")}
    expected |= {(a, 2022, STATUS_LABELS[s]) for a, s in STATUS_2022.items() if s in ("late", "missing")}
    assert {(r["机关"], r["报告年度"], r["状态"]) for r in rows} == expected
    assert {r["地区"] for r in rows} == {REGION}
    assert one_region == []


def test_overdue_counts_per_region_and_year(db):
    (rows,) = get(db, f"/monitor/overdue_counts.json?as_of={AS_OF}&_shape=array")
    by_year = {r["报告年度"]: r for r in rows}
    truth = Counter(t.status for t in TRUTH_2023.values())
    row = by_year[2023]
    assert (row["机关数"], row["按时发布"], row["逾期发布"], row["逾期未发布"], row["未到期"], row["无法判断"]) == (
        len(TRUTH_2023), truth["on_time"], truth["late"], truth["missing"], truth["pending"], truth["unknown"])


@pytest.mark.parametrize("rule", ["identity.t3_balance", "identity.t4_total", "period.missing"])
def test_reports_failing_a_rule(db, rule):
    (rows,) = get(db, f"/monitor/reports_failing_rule.json?rule={rule}&_shape=array")
    with Store.open(db) as store:
        current = [f for f in stored_findings(store, AS_OF) if f.rule == rule]
    assert current, rule
    assert sorted((r["机关"], r["报告年度"], r["具体情况"]) for r in rows) == sorted(
        (f.agency, f.year, f.message) for f in current)
    assert {r["问题"] for r in rows} == {explain(rule).title}
    defective = {a for a, t in TRUTH_2023.items() if rule in t.defects}
    assert {r["机关"] for r in rows} == defective


def test_tables_and_columns_are_labelled(db):
    metadata, findings_page, queries = get(db, "/-/metadata.json", "/monitor/findings", "/monitor.json")
    assert metadata["title"].startswith("年报哨兵")
    assert "检查规则编号" in findings_page  # column description
    assert "检查发现的问题" in findings_page  # table description
    names = {q["name"] for q in queries["queries"]}
    assert {"overdue_agencies", "overdue_counts", "reports_failing_rule", "rules_summary"} <= names
