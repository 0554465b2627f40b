"""The evidence store's schema, as ordered migrations.

Why migrations from day one: the database is the product's memory (when we looked, what we saw, which
bytes).  Later sessions will add columns and tables; they append a migration here and every existing
database upgrades itself on `Store.open`, without losing a row.  Never edit an applied migration: add
a new one.  sqlite-utils' `Migrations` records what ran in `_sqlite_migrations` (the schema version
table); `PRAGMA user_version` mirrors the count for tools that only look there.

Conventions: dates (the as-of day something was seen) are ISO `YYYY-MM-DD` text; instants (when a fetch
happened) are ISO 8601 timestamps with a UTC offset; JSON columns hold JSON text.  Column values that are
vocabularies are enforced with CHECK constraints so a typo in a caller fails loudly instead of becoming a
status nobody recognises.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from monitor.store.vocab import DATE_SOURCES, DOC_TYPES, FAILURE_CLASSES, FORMATS, OUTCOMES, SCOPES, SEVERITIES
from monitor.deadlines import KINDS

migrations = Migrations("nianbao")
MIGRATION_NAMES: list[str] = []
"""Every migration this version knows, in order (a database with others was written by a newer one)."""


def migration(name: str):
    """Register the next migration; names start with a sequence number so the order reads at a glance."""
    MIGRATION_NAMES.append(name)
    return migrations(name=name)


def _execute_script(db: Database, script: str) -> None:
    """Run `;`-separated statements one by one inside the migration's transaction (sqlite3's
    executescript would commit first)."""
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


def _in(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


_INITIAL = f"""
CREATE TABLE regions (
    name        TEXT PRIMARY KEY,
    portal_url  TEXT,
    config      TEXT NOT NULL DEFAULT '{{}}',
    updated_at  TEXT
);
CREATE TABLE agencies (
    id          INTEGER PRIMARY KEY,
    region      TEXT NOT NULL REFERENCES regions(name),
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN {_in(KINDS)}),
    url         TEXT,
    aliases     TEXT NOT NULL DEFAULT '[]',
    first_seen  TEXT,
    last_seen   TEXT,
    UNIQUE (region, name)
);
CREATE TABLE crawl_runs (
    id           INTEGER PRIMARY KEY,
    region       TEXT NOT NULL REFERENCES regions(name),
    as_of        TEXT NOT NULL,
    started_at   TEXT NOT NULL,
    finished_at  TEXT,
    state        TEXT NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'finished', 'failed')),
    error        TEXT,
    stats        TEXT NOT NULL DEFAULT '{{}}',
    flags        TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE reports (
    id                   INTEGER PRIMARY KEY,
    region               TEXT NOT NULL REFERENCES regions(name),
    agency_id            INTEGER NOT NULL REFERENCES agencies(id),
    year                 INTEGER NOT NULL,
    title                TEXT,
    url                  TEXT NOT NULL,
    published_on         TEXT,
    published_on_source  TEXT CHECK (published_on_source IN {_in(DATE_SOURCES)}),
    format               TEXT CHECK (format IN {_in(FORMATS)}),
    first_seen           TEXT NOT NULL,
    last_seen            TEXT NOT NULL,
    first_run_id         INTEGER REFERENCES crawl_runs(id),
    last_run_id          INTEGER REFERENCES crawl_runs(id),
    UNIQUE (agency_id, year),
    CHECK ((published_on IS NULL) = (published_on_source IS NULL))
);
CREATE TABLE report_urls (
    report_id   INTEGER NOT NULL REFERENCES reports(id),
    url         TEXT NOT NULL,
    first_seen  TEXT NOT NULL,
    last_seen   TEXT NOT NULL,
    PRIMARY KEY (report_id, url)
);
CREATE TABLE report_dates (
    report_id     INTEGER NOT NULL REFERENCES reports(id),
    published_on  TEXT NOT NULL,
    source        TEXT NOT NULL CHECK (source IN {_in(DATE_SOURCES)}),
    first_seen    TEXT NOT NULL,
    last_seen     TEXT NOT NULL,
    PRIMARY KEY (report_id, published_on, source)
);
CREATE TABLE documents (
    id            INTEGER PRIMARY KEY,
    report_id     INTEGER NOT NULL REFERENCES reports(id),
    url           TEXT NOT NULL,
    type          TEXT NOT NULL CHECK (type IN {_in(DOC_TYPES)}),
    sha256        TEXT NOT NULL CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),
    size          INTEGER CHECK (size >= 0),
    warc_path     TEXT,
    warc_offset   INTEGER CHECK (warc_offset >= 0),
    fetched_at    TEXT,
    first_seen    TEXT NOT NULL,
    last_seen     TEXT NOT NULL,
    first_run_id  INTEGER REFERENCES crawl_runs(id),
    last_run_id   INTEGER REFERENCES crawl_runs(id),
    UNIQUE (report_id, url, sha256)
);
CREATE TABLE document_sightings (
    document_id  INTEGER NOT NULL REFERENCES documents(id),
    run_id       INTEGER NOT NULL REFERENCES crawl_runs(id),
    seen_on      TEXT NOT NULL,
    PRIMARY KEY (document_id, run_id)
);
CREATE TABLE observations (
    id           INTEGER PRIMARY KEY,
    run_id       INTEGER NOT NULL REFERENCES crawl_runs(id),
    agency_id    INTEGER NOT NULL REFERENCES agencies(id),
    year         INTEGER NOT NULL,
    observed_on  TEXT NOT NULL,
    outcome      TEXT NOT NULL CHECK (outcome IN {_in(OUTCOMES)}),
    report_id    INTEGER REFERENCES reports(id),
    reason       TEXT CHECK (reason IN {_in(FAILURE_CLASSES)}),
    detail       TEXT,
    UNIQUE (run_id, agency_id, year),
    CHECK ((outcome = 'could_not_look') = (reason IS NOT NULL)),
    CHECK ((outcome = 'found') = (report_id IS NOT NULL))
);
CREATE TABLE findings (
    id            INTEGER PRIMARY KEY,
    fingerprint   TEXT NOT NULL UNIQUE,
    scope         TEXT NOT NULL CHECK (scope IN {_in(SCOPES)}),
    region        TEXT NOT NULL REFERENCES regions(name),
    agency_id     INTEGER REFERENCES agencies(id),
    year          INTEGER,
    report_id     INTEGER REFERENCES reports(id),
    document_id   INTEGER REFERENCES documents(id),
    rule          TEXT NOT NULL CHECK (rule GLOB '?*.?*'),
    severity      TEXT NOT NULL CHECK (severity IN {_in(SEVERITIES)}),
    message       TEXT NOT NULL,
    location      TEXT NOT NULL DEFAULT '',
    cells         TEXT NOT NULL DEFAULT '[]',
    first_seen    TEXT NOT NULL,
    last_seen     TEXT NOT NULL,
    resolved_on   TEXT,
    first_run_id  INTEGER REFERENCES crawl_runs(id),
    last_run_id   INTEGER REFERENCES crawl_runs(id)
);
CREATE TABLE fetch_failures (
    id             INTEGER PRIMARY KEY,
    run_id         INTEGER NOT NULL REFERENCES crawl_runs(id),
    region         TEXT NOT NULL REFERENCES regions(name),
    url            TEXT NOT NULL,
    failure_class  TEXT NOT NULL CHECK (failure_class IN {_in(FAILURE_CLASSES)}),
    http_status    INTEGER,
    detail         TEXT,
    observed_on    TEXT NOT NULL,
    first_at       TEXT NOT NULL,
    last_at        TEXT NOT NULL,
    attempts       INTEGER NOT NULL DEFAULT 1,
    UNIQUE (run_id, url, failure_class)
);
CREATE INDEX idx_agencies_region ON agencies(region);
CREATE INDEX idx_runs_region ON crawl_runs(region, as_of);
CREATE INDEX idx_reports_region_year ON reports(region, year);
CREATE INDEX idx_documents_report ON documents(report_id);
CREATE INDEX idx_sightings_run ON document_sightings(run_id);
CREATE INDEX idx_observations_agency_year ON observations(agency_id, year, observed_on);
CREATE INDEX idx_findings_report ON findings(report_id);
CREATE INDEX idx_findings_document ON findings(document_id);
CREATE INDEX idx_findings_region ON findings(region, scope);
CREATE INDEX idx_failures_run ON fetch_failures(run_id);
"""


@migration("0001_initial")
def m0001_initial(db: Database) -> None:
    _execute_script(db, _INITIAL)


_CROSS_REPORT_INDEX = """
CREATE TABLE crossreport_documents (
    document_id  INTEGER PRIMARY KEY REFERENCES documents(id),
    report_id    INTEGER NOT NULL REFERENCES reports(id),
    carried      INTEGER,
    carry_next   INTEGER,
    signature    BLOB,
    scheme       TEXT NOT NULL
);
CREATE INDEX idx_crossreport_documents_report ON crossreport_documents(report_id);
CREATE TABLE crossreport_bands (
    band         INTEGER NOT NULL,
    bucket       INTEGER NOT NULL,
    document_id  INTEGER NOT NULL REFERENCES documents(id),
    PRIMARY KEY (band, bucket, document_id)
) WITHOUT ROWID;
CREATE INDEX idx_crossreport_bands_document ON crossreport_bands(document_id);
"""


@migration("0002_cross_report_index")
def m0002_cross_report_index(db: Database) -> None:
    """What the rules across reports need of each checked document version (monitor.crossreport): table 三's
    上年结转 and 结转下年度 totals (NULL: not read reliably) and the MinHash of the masked narrative (NULL: too
    short), with its LSH band buckets so a new report finds its near-duplicates without reading the others.
    `scheme` names the MinHash/LSH parameters; signatures of another scheme are never compared."""
    _execute_script(db, _CROSS_REPORT_INDEX)


_DOCUMENT_TABLES = """
CREATE TABLE document_tables (
    document_id  INTEGER PRIMARY KEY REFERENCES documents(id),
    run_id       INTEGER NOT NULL REFERENCES crawl_runs(id),
    tables       TEXT CHECK (tables IS NULL OR json_valid(tables))
);
"""


@migration("0003_document_tables")
def m0003_document_tables(db: Database) -> None:
    """The statistics tables (二, 三, 四) the checker read from each document version, cell by cell, so the
    dashboard draws a report's tables with its findings' cells marked without reading the archived file
    again (extracting and parsing every document on every build was most of a build's time).  `tables` is
    JSON ``{"format", "year", "tables": {"二"|"三"|"四": {"present": bool, "rows": {row key: [cell text]}}}}``,
    NULL when the version holds no table the parser could read (not a report, unreadable, no table);
    `run_id` is the run whose check stored it (a later check of the same bytes replaces it).  Versions
    recorded before this migration have no row: readers parse their archived copy instead."""
    _execute_script(db, _DOCUMENT_TABLES)


_LISTINGS = """
CREATE TABLE listings (
    run_id   INTEGER NOT NULL REFERENCES crawl_runs(id),
    region   TEXT NOT NULL REFERENCES regions(name),
    key      TEXT NOT NULL,
    request  TEXT NOT NULL,
    owner    TEXT,
    context  TEXT NOT NULL DEFAULT '{}',
    rows     TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (run_id, key)
) WITHOUT ROWID;
CREATE INDEX idx_listings_region ON listings(region, run_id);
"""


@migration("0004_listings")
def m0004_listings(db: Database) -> None:
    """The listing pages a crawl read — what it asked for (`request`: URL, method, body, headers, the
    adapter that parses the answer, whether it needed a browser), on whose behalf (`owner`: a unit's full
    name, NULL for a central column; `context`: where the page sits in the site) and the report rows it
    listed (`rows`: URL, title, shown date).  A listing-first re-check (crawlers.recheck_plan) reads only
    these pages instead of walking the site again from the portal."""
    _execute_script(db, _LISTINGS)


@migration("0005_crossreport_valid_counts")
def m0005_crossreport_valid_counts(db: Database) -> None:
    """Table 二 (一)'s 本年制发 / 本年废止 / 现行有效 of 规章 and 行政规范性文件 per checked document version,
    for crossyear.valid_count (monitor.rules.crossyear.valid_values): JSON ``{"rules"|"normative": [issued,
    repealed, in_force]}``, NULL when the version has no reliably read 2021-layout row."""
    db.execute("ALTER TABLE crossreport_documents ADD COLUMN valid_counts TEXT "
               "CHECK (valid_counts IS NULL OR json_valid(valid_counts))")


@migration("0006_region_portals")
def m0006_region_portals(db: Database) -> None:
    """A region is its portal, not its host (monitor.portals): `portal_key` (host:port plus the portal's path
    prefix) is how a crawl given only a portal URL finds its region, so two counties hosted under prefixes of
    one provincial platform are two regions; `hosts` lists the other hosts the region was seen to own (its
    disclosure subdomain, a files host), so they stay in its scope.  Existing regions get the key of the
    portal they were crawled from."""
    from monitor.portals import portal_key

    columns = db["regions"].columns_dict  # a database rolled back by dropping tables keeps its columns
    if "portal_key" not in columns:
        db.execute("ALTER TABLE regions ADD COLUMN portal_key TEXT")
    if "hosts" not in columns:
        db.execute("ALTER TABLE regions ADD COLUMN hosts TEXT NOT NULL DEFAULT '[]'")
    for name, url in db.execute("SELECT name, portal_url FROM regions WHERE portal_url IS NOT NULL").fetchall():
        db.execute("UPDATE regions SET portal_key = ? WHERE name = ?", [portal_key(url), name])
    db.execute("CREATE INDEX IF NOT EXISTS idx_regions_portal_key ON regions(portal_key)")
