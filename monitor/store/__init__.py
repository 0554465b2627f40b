"""The evidence store (SQLite): regions, agencies, reports, every document version, every look.

`Store.open(path)` creates or migrates the database.  The crawler writes through the `Store` methods
only; the judge (monitor.status), the export and the dashboard read through them.  See store.py for why
rows are only ever added or widened, and schema.py for the tables.  `Store` is composed of core.py
(connection, migrations, transactions), reads.py and the crawl's writes (writes.py: reports, documents,
findings; agency_writes.py, run_writes.py, look_writes.py); values.py checks and converts the values they
take; doc_tables.py is the shape a document's statistics tables are kept in.
"""

from monitor.store.doc_tables import report_tables
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
    "report_tables",
    "UnknownRun",
    "normalize_name",
    "trusted_look",
]
