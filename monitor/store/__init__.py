"""The evidence store (SQLite): regions, agencies, reports, every document version, every look.

`Store.open(path)` creates or migrates the database.  The crawler writes through the `Store` methods
only; the judge (monitor.status), the export and the dashboard read through them.  See store.py for why
rows are only ever added or widened, and schema.py for the tables.  `Store` is composed of core.py
(connection, migrations, transactions), reads.py and writes.py (the crawl's writes); values.py checks and
converts the values they take.
"""

from monitor.store.errors import StoreError, UnknownAgency, UnknownRun
from monitor.store.reads import trusted_look
from monitor.store.store import Store
from monitor.store.values import normalize_name
from monitor.store.vocab import (
    DATE_SOURCES,
    DOC_TYPES,
    FAILURE_CLASSES,
    FORMATS,
    OUR_FAILURES,
    OUTCOMES,
    PUBLICATION_DATE_SOURCES,
    SCOPES,
    SEVERITIES,
)
from monitor.store.writes import DocumentVersion

__all__ = [
    "DATE_SOURCES",
    "DOC_TYPES",
    "FAILURE_CLASSES",
    "FORMATS",
    "OUR_FAILURES",
    "OUTCOMES",
    "PUBLICATION_DATE_SOURCES",
    "SCOPES",
    "SEVERITIES",
    "DocumentVersion",
    "Store",
    "StoreError",
    "UnknownAgency",
    "UnknownRun",
    "normalize_name",
    "trusted_look",
]
