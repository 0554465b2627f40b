"""The evidence store (SQLite): regions, agencies, reports, every document version, every look.

`Store.open(path)` creates or migrates the database.  The crawler writes through the `Store` methods
only; the judge (monitor.status), the export and the dashboard read through them.  See store.py for why
rows are only ever added or widened, and schema.py for the tables.
"""

from monitor.store.store import (
    DocumentVersion,
    Store,
    StoreError,
    UnknownAgency,
    UnknownRun,
    normalize_name,
    trusted_look,
)
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
