"""Persistent geocode cache: results of expensive lookups, shared by all of a user's processes.

A small SQLite file in WAL mode, so that several processes can read and write it at once.
Entries are keyed by (namespace, key); the namespace is the gazetteer's version, so a
rebuilt gazetteer never sees stale results. The cache is an optimisation and must never
break a run: a damaged file is rebuilt, and an unusable location turns the cache into a
no-op for the process, with one warning.
"""
from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
import warnings
from pathlib import Path
from typing import Any, Callable, TypeVar

import platformdirs

T = TypeVar("T")

SCHEMA_VERSION = 1
FILENAME = "geocode-cache.sqlite"
_BUSY_TIMEOUT_S = 5.0
_MISS = object()
# SQLite primary result codes (the low byte of an extended code).
_CORRUPT, _NOTADB = 11, 26
_BUSY, _LOCKED = 5, 6
# Connections inherited through fork(): the child must neither use nor close them (SQLite
# forbids carrying a connection across fork), so they are kept here, out of the GC's reach.
_INHERITED: list[sqlite3.Connection] = []


class CacheWarning(RuntimeWarning):
    """The cache is off for this process (unwritable folder, full disk): results are still correct."""


class _Unusable(Exception):
    """The file is a database, but not one of ours (unknown schema)."""


def default_path() -> Path:
    """The per-user cache file; GEOMAP_CACHE_DIR moves its folder (tests, CI, shared caches)."""
    folder = os.environ.get("GEOMAP_CACHE_DIR") or platformdirs.user_cache_dir("geomap")
    return Path(folder) / FILENAME


def _set_wal(conn: sqlite3.Connection) -> None:
    """Switch to WAL, retrying: the switch needs an exclusive lock and SQLite's busy handler
    does not wait for it, so two processes opening a new file at once would otherwise fail."""
    deadline = time.monotonic() + _BUSY_TIMEOUT_S
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if _code(exc) != _BUSY or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _code(exc: BaseException) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


class GeocodeCache:
    """JSON values by string key in one namespace; opened on first use, one connection per thread."""

    def __init__(self, path: str | os.PathLike[str] | None = None, *, namespace: str = "default"):
        self.path = Path(path) if path is not None else default_path()
        self.namespace = namespace
        self.disabled = False
        self._local = threading.local()
        self._generation = 0  # bumped by close() and rebuilds: every thread then reopens

    def _conn(self) -> sqlite3.Connection:
        """This thread's connection, reopened after fork() (the pid differs) or a rebuild."""
        loc = self._local
        conn = getattr(loc, "conn", None)
        if conn is not None and loc.pid == os.getpid() and loc.generation == self._generation:
            return conn
        self._drop(conn)
        conn = self._open()
        loc.conn, loc.pid, loc.generation = conn, os.getpid(), self._generation
        return conn

    def _drop(self, conn: sqlite3.Connection | None) -> None:
        """Forget this thread's connection: closed if this process opened it, else left alone."""
        if conn is not None:
            if self._local.pid == os.getpid():
                conn.close()
            else:
                _INHERITED.append(conn)
        self._local.conn = None

    def _open(self) -> sqlite3.Connection:
        """Connect and prepare; the caller (_run) handles every failure."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=_BUSY_TIMEOUT_S, isolation_level=None)
        try:
            _set_wal(conn)
            conn.execute("PRAGMA synchronous=NORMAL")
            self._ensure_schema(conn)
        except BaseException:
            conn.close()
            raise
        return conn

    @staticmethod
    def _ensure_schema(conn: sqlite3.Connection) -> None:
        """Create the table in a new file; any other schema is _Unusable (and rebuilt)."""
        if conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
            return
        conn.execute("BEGIN IMMEDIATE")  # another process may be creating it right now
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version == 0 and conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0:
                conn.execute("CREATE TABLE entries (namespace TEXT NOT NULL, key TEXT NOT NULL,"
                             " value TEXT NOT NULL, PRIMARY KEY (namespace, key)) WITHOUT ROWID")
                conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            elif version != SCHEMA_VERSION:
                raise _Unusable(f"not a geocode cache (user_version={version})")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    def _remove_files(self) -> None:
        """Delete the database and its WAL files; every thread's connection then reopens."""
        self._generation += 1
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)

    def _run(self, op: Callable[[sqlite3.Connection], T], default: T) -> T:
        """Run one statement; storage failures give `default`, never an exception."""
        for attempt in range(2):
            if self.disabled:
                return default
            try:
                return op(self._conn())
            except (sqlite3.InterfaceError, sqlite3.ProgrammingError):
                raise  # a caller's bug (e.g. a key of the wrong type), not a storage failure
            except (sqlite3.Error, _Unusable) as exc:
                code = _code(exc)
                if code in (_BUSY, _LOCKED):
                    return default  # held past the busy timeout: skip this one, keep the cache
                if attempt == 0 and (isinstance(exc, _Unusable) or code in (_CORRUPT, _NOTADB)):
                    try:  # damaged or foreign file: delete it, make it anew, retry once
                        self.close()
                        self._remove_files()
                        continue
                    except OSError as err:
                        self._disable(err)
                        return default
                self._disable(exc)
            except OSError as exc:
                self._disable(exc)
        return default

    def _disable(self, exc: BaseException) -> None:
        self.disabled = True
        warnings.warn(f"geocode cache disabled for this run ({self.path}): {exc}", CacheWarning, stacklevel=4)

    def get(self, key: str, default: Any = None) -> Any:
        """The value stored for `key` in this namespace, or `default`."""
        row = self._run(lambda c: c.execute(
            "SELECT value FROM entries WHERE namespace = ? AND key = ?", (self.namespace, key)).fetchone(), None)
        if row is None:
            return default
        try:
            return json.loads(row[0])
        except ValueError:
            return default

    def put(self, key: str, value: Any) -> None:
        """Store `value` (must be JSON-serialisable: TypeError otherwise); storage errors are swallowed."""
        text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
        self._run(lambda c: c.execute(
            "INSERT OR REPLACE INTO entries (namespace, key, value) VALUES (?, ?, ?)", (self.namespace, key, text)), None)

    def get_or_compute(self, key: str, compute: Callable[[], T]) -> T:
        """The cached value, or compute(), stored and returned even when storing fails."""
        hit = self.get(key, _MISS)
        if hit is not _MISS:
            return hit
        value = compute()
        self.put(key, value)
        return value

    def info(self) -> dict[str, Any]:
        """Where the cache is and what it holds; `entries` counts every namespace."""
        rows: list[tuple[str, int]] = []
        if os.path.exists(self.path):  # reporting must not create the file
            rows = self._run(lambda c: c.execute("SELECT namespace, count(*) FROM entries GROUP BY 1").fetchall(), [])
        size = sum(_size(f"{self.path}{suffix}") for suffix in ("", "-wal"))
        namespaces = dict(rows)
        return {"path": str(self.path), "entries": sum(namespaces.values()), "bytes": size,
                "namespace": self.namespace, "namespaces": namespaces, "disabled": self.disabled}

    def clear(self) -> int:
        """Remove every entry of every namespace; returns how many were removed."""
        if not os.path.exists(self.path):
            return 0
        return self._run(lambda c: c.execute("DELETE FROM entries").rowcount, 0)

    def close(self) -> None:
        """Close this thread's connection; other threads' close on their next use or exit."""
        self._generation += 1
        self._drop(getattr(self._local, "conn", None))


class NullCache:
    """Same interface, stores nothing: for --no-cache and GEOMAP_NO_CACHE=1."""

    path = None
    disabled = True

    def __init__(self, path: Any = None, *, namespace: str = "default"):
        self.namespace = namespace

    def get(self, key: str, default: Any = None) -> Any:
        return default

    def put(self, key: str, value: Any) -> None:
        json.dumps(value)  # same contract as GeocodeCache: a bad value fails here too

    def get_or_compute(self, key: str, compute: Callable[[], T]) -> T:
        return compute()

    def info(self) -> dict[str, Any]:
        return {"path": None, "entries": 0, "bytes": 0, "namespace": self.namespace, "namespaces": {}, "disabled": True}

    def clear(self) -> int:
        return 0

    def close(self) -> None:
        pass


def default_cache(namespace: str) -> GeocodeCache | NullCache:
    """The per-user cache for this gazetteer namespace, or a NullCache when GEOMAP_NO_CACHE=1."""
    if os.environ.get("GEOMAP_NO_CACHE", "").strip().lower() in ("1", "true", "yes", "on"):
        return NullCache(namespace=namespace)
    return GeocodeCache(namespace=namespace)
