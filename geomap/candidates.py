"""Candidate generation: name lookups in the offline gazetteer (read-only SQLite)."""
from __future__ import annotations

import importlib.resources
import sqlite3
import threading
from functools import lru_cache
from pathlib import Path
from typing import Optional

import shapely
from shapely.geometry.base import BaseGeometry

from .errors import GazetteerError
from .models import Candidate
from .names import name_key

_COLUMNS = "p.id, p.geonameid, p.name, p.kind, p.feature, p.country_code, p.admin1, p.population, p.lat, p.lon"


def default_path() -> Path:
    return Path(str(importlib.resources.files("geomap").joinpath("data").joinpath("gazetteer.sqlite")))


class Gazetteer:
    """Read-only access to the gazetteer file, opened on first use (one connection per thread)."""

    def __init__(self, path: Optional[Path] = None):
        self.path = Path(path) if path else default_path()
        self._local = threading.local()
        self.lookup = lru_cache(maxsize=65536)(self._lookup)
        self.shape = lru_cache(maxsize=1024)(self._shape)

    @property
    def db(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            if not self.path.is_file():
                raise GazetteerError(f"gazetteer not found at {self.path}: run python gazetteer/build.py")
            # immutable=1: the file never changes at run time, so SQLite skips locking.
            conn = sqlite3.connect(f"file:{self.path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
            self._local.conn = conn
        return conn

    def _lookup(self, name: str) -> tuple[Candidate, ...]:
        """Every place whose name or alias folds to the same key as ``name``."""
        key = name_key(name)
        if not key:
            return ()
        rows = self.db.execute(
            f"SELECT {_COLUMNS}, n.how FROM names n JOIN places p ON p.id = n.place_id WHERE n.key = ?"
            " ORDER BY p.id",
            (key,),
        ).fetchall()
        return tuple(Candidate(*row) for row in rows)

    def knows(self, name: str) -> bool:
        return bool(self.lookup(name))

    def country(self, code: str) -> Optional[Candidate]:
        row = self.db.execute(
            f"SELECT {_COLUMNS}, 'name' FROM places p WHERE p.country_code = ? AND p.feature LIKE 'PCL%'", (code,)
        ).fetchone()
        return Candidate(*row) if row else None

    def _shape(self, place_id: int) -> Optional[BaseGeometry]:
        """The region's polygon at analysis precision, or None for places stored as points."""
        row = self.db.execute("SELECT wkb FROM shapes WHERE place_id = ?", (place_id,)).fetchone()
        return shapely.from_wkb(row[0]) if row else None

    def count(self) -> dict[str, int]:
        return dict(self.db.execute("SELECT feature, COUNT(*) FROM places GROUP BY feature ORDER BY feature"))


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    return Gazetteer()
