"""Converting and checking the values the store reads and writes: days, instants, JSON columns, names.

Every write validates its arguments the same way (a bad value is a StoreError with a message, never a
traceback from SQLite), and every read decodes the same JSON columns.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timezone
from typing import Any

from monitor.deadlines import FIRST_REPORT_YEAR
from monitor.store.errors import StoreError
from monitor.store.vocab import DATE_SOURCES, SEVERITIES

_WHITESPACE = re.compile(r"\s+")


def normalize_name(name: str) -> str:
    """Agency names compare without whitespace ("瀍河回族区 商务局" is "瀍河回族区商务局")."""
    return _WHITESPACE.sub("", name)


_JSON_COLUMNS = ("config", "aliases", "stats", "flags", "cells", "run_flags", "hosts")


def _decode(row: dict[str, Any]) -> dict[str, Any]:
    for key in _JSON_COLUMNS:
        if isinstance(row.get(key), str):
            row[key] = json.loads(row[key])
    return row


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=_json_default)


def _json_default(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    return str(value)


def _sql_in(values: Iterable[str]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in sorted(values)) + ")"


def _best_date(rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The shown date to believe: the most trusted source; within it, the date seen first."""
    if not rows:
        return None
    return min(rows, key=lambda d: (DATE_SOURCES.index(d["source"]), d["first_seen"], d["published_on"]))


def _finding_fields(finding: Any) -> dict[str, Any]:
    def get(name: str, default: Any = None) -> Any:
        if isinstance(finding, Mapping):
            return finding.get(name, default)
        return getattr(finding, name, default)

    rule, severity, message = get("rule"), get("severity"), get("message")
    if not isinstance(rule, str) or "." not in rule.strip("."):
        raise StoreError(f"a finding needs a rule id like 'identity.t3_balance' (got {rule!r})")
    _choice(severity, SEVERITIES, "severity")
    if not isinstance(message, str) or not message:
        raise StoreError(f"finding {rule}: a message is required")
    location = get("where", get("location")) or ""
    cells = get("cells") or []
    return {"rule": rule, "severity": severity, "message": message, "location": str(location), "cells": cells}


def _fingerprint(target: Mapping[str, Any], fields: Mapping[str, Any]) -> str:
    """Stable identity of a finding: what it is about, which rule, where, and what it says."""
    key = [
        target["scope"],
        target["agency_id"],
        target["year"],
        target["report_id"],
        target["document_id"],
        fields["rule"],
        fields["location"],
        fields["message"],
    ]
    return hashlib.sha256(json.dumps(key, ensure_ascii=False).encode()).hexdigest()


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise StoreError(f"{what} must be a non-empty string (got {value!r})")
    return value.strip()


def _choice(value: Any, allowed: Iterable[str], what: str) -> None:
    allowed = tuple(allowed)
    if value not in allowed:
        raise StoreError(f"{what} must be one of {', '.join(allowed)} (got {value!r})")


def _check_year(year: Any, day: str) -> None:
    if type(year) is not int or not FIRST_REPORT_YEAR <= year <= int(day[:4]):
        raise StoreError(f"report year must be an integer from {FIRST_REPORT_YEAR} to {day[:4]} (got {year!r})")


def _day(value: date | str) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(value).isoformat()
    except (TypeError, ValueError):
        raise StoreError(f"expected a date YYYY-MM-DD (got {value!r})") from None


def _day_or_none(value: date | str | None) -> str | None:
    return None if value is None else _day(value)


def _instant(value: datetime | str | None) -> str:
    """A timestamp for bookkeeping (when a run started, a fetch happened): never used to judge."""
    if value is None:
        value = datetime.now(timezone.utc)
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            raise StoreError(f"expected an ISO 8601 timestamp (got {value!r})") from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.isoformat(timespec="seconds")
