"""Backups. SQLite: a consistent copy of the live database with SQLite's online backup API, safe while
the app is serving. PostgreSQL: ``pg_dump``/``pg_restore`` (docs/operations.md)."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from webapp.extensions import db


class BackupError(RuntimeError):
    pass


def sqlite_file() -> Path:
    """The file of the app's SQLite database (the backup API needs a file, not memory)."""
    url = db.engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise BackupError("the backup command copies a SQLite database file; "
                          "for PostgreSQL use pg_dump (see docs/operations.md)")
    return Path(url.database)


def backup_sqlite(target: Path) -> int:
    """Copy the live database into ``target`` page by page, consistently; returns the number of pages.

    Writers keep working meanwhile: the backup restarts from the changed pages, as SQLite documents.
    The copy is checked with ``PRAGMA integrity_check`` before it is kept.
    """
    source_path = sqlite_file()
    if target.exists():
        raise BackupError(f"{target} exists: choose a new file name")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True, timeout=30)
    copy = sqlite3.connect(partial)
    try:
        source.backup(copy, pages=1024)
        (result,) = copy.execute("PRAGMA integrity_check").fetchone()
        if result != "ok":
            raise BackupError(f"the copy failed its integrity check: {result}")
        (pages,) = copy.execute("PRAGMA page_count").fetchone()
    finally:
        copy.close()
        source.close()
    partial.rename(target)
    return pages
