"""The store's exceptions: a refused write is a StoreError whose message says why."""

from __future__ import annotations


class StoreError(Exception):
    """A write the store refuses; the message says why (callers turn it into a finding or a log line)."""


class UnknownAgency(StoreError, LookupError):
    pass


class UnknownRun(StoreError, LookupError):
    pass
