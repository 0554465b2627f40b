"""The store's core: opening the SQLite file (WAL, foreign keys), migrating it, transactions, queries.

The read and write methods live in monitor.store.reads and monitor.store.writes; monitor.store.store
composes them with this core into `Store`.
"""

from __future__ import annotations

import fcntl
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

from monitor.store.errors import StoreError
from monitor.store.schema import MIGRATION_NAMES, migrations
from monitor.store.values import _decode

if TYPE_CHECKING:
    from monitor.store.store import Store


@contextmanager
def _migration_lock(path: Path) -> Iterator[None]:
    """One migrating process at a time: crawls started together on a new database (the demo's regions,
    the scheduler's jobs) would otherwise both create the first tables and one fail with "table exists".
    An OS lock on a file beside the database, released when the migration is done."""
    with open(path.with_name(path.name + "-migrate.lock"), "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


class StoreCore:
    """The connection and its lifecycle: the base of `Store`."""

    # ------------------------------------------------------------------ lifecycle

    def __init__(self, db: Database, path: Path):
        self.db = db
        self.path = path
        self._run_dates: dict[int, tuple[str, str]] = {}

    @classmethod
    def open(cls, path: str | Path, timeout: float = 30.0) -> Store:
        """Open (creating and migrating as needed) the database at `path`, in WAL mode, foreign keys on.

        `timeout` is how long a writer waits for another writer's lock before failing.  A Store (like its
        sqlite3 connection) belongs to the thread that opened it; other threads open their own.  A file
        that is not SQLite, or a database migrated by a newer version of this program, is a StoreError.
        """
        path = Path(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(path), timeout=timeout)
            db = Database(conn)
            db.execute("PRAGMA foreign_keys = ON")
            db.enable_wal()
            # WAL with synchronous=NORMAL cannot corrupt the file; a power cut may lose the last commits,
            # which the next crawl re-records.  FULL would fsync on each of the crawl's many small commits.
            db.execute("PRAGMA synchronous = NORMAL")
            store = cls(db, path)
            with _migration_lock(path):
                store.migrate()
        except (OSError, sqlite3.DatabaseError) as exc:
            raise StoreError(f"{path}: cannot open the database ({exc})") from exc
        return store

    def migrate(self) -> None:
        unknown = [m.name for m in migrations.applied(self.db) if m.name not in MIGRATION_NAMES]
        if unknown:
            raise StoreError(
                f"{self.path}: the database has migrations this version does not know ({', '.join(unknown)}); "
                "it was written by a newer version of the program"
            )
        migrations.apply(self.db)
        version = len(migrations.applied(self.db))
        if self.db.execute("PRAGMA user_version").fetchone()[0] != version:
            self.db.execute(f"PRAGMA user_version = {version}")

    @property
    def schema_version(self) -> int:
        return len(migrations.applied(self.db))

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[Store]:
        """Group several writes into one transaction (each write is already atomic on its own)."""
        with self.db.atomic():
            yield self

    # ------------------------------------------------------------------ internals

    def _rows(self, sql: str, params: Any = None) -> list[dict[str, Any]]:
        return [_decode(row) for row in self.db.query(sql, params)]
