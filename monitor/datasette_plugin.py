"""Datasette plugin for the evidence database: labels, canned queries, and the judge as SQL functions.

    datasette data/monitor.db

Registered as a `datasette` entry point in pyproject.toml, so plain `datasette` finds it once the project
is installed (`./run setup`).

Why functions and not a table of statuses: whether an agency is late or missing is decided by the judge
(monitor.status) from the whole history — deadlines per kind and region, trusted and untrusted looks,
backdated dates.  Re-deriving that in SQL would drift from the dashboard; `nb_statuses(as_of[, region])`
returns the judge's own answer as JSON, which the canned queries read with json_each.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import yaml
from datasette import hookimpl

from monitor.explain import STATUS_LABELS, explain

METADATA = Path(__file__).resolve().parents[1] / "data" / "datasette-metadata.yml"


@hookimpl
def get_metadata(datasette, key, database, table):
    return yaml.safe_load(METADATA.read_text(encoding="utf-8"))


@hookimpl
def prepare_connection(conn, database, datasette):
    db = datasette.databases.get(database)
    path = getattr(db, "path", None)
    conn.create_function("nb_rule_title", 1, lambda rule: explain(rule).title if rule else None, deterministic=True)
    conn.create_function("nb_status_label", 1, lambda status: STATUS_LABELS.get(status, status), deterministic=True)
    if path:
        conn.create_function("nb_statuses", 1, lambda as_of: statuses_json(path, as_of))
        conn.create_function("nb_statuses", 2, lambda as_of, region: statuses_json(path, as_of, region or None))


def statuses_json(path: str, as_of: str, region: str | None = None) -> str:
    """The judge's statuses on `as_of` as a JSON list (read through a read-only connection of our own)."""
    from sqlite_utils import Database

    from monitor.status import judge
    from monitor.store import Store

    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        store = Store(Database(conn), Path(path))
        rows = judge(store, as_of, region)
    finally:
        conn.close()
    keys = ("region", "agency", "kind", "year", "due", "status", "published_on", "first_seen", "reason")
    return json.dumps([{k: s.to_json()[k] for k in keys} for s in rows], ensure_ascii=False)
