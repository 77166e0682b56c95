"""Candidate generation: name lookups in the offline gazetteer (read-only SQLite).

A lookup tries, in order, and stops at the first that finds something: the folded name (exact,
alias, abbreviation or demonym as stored), the name with one abbreviation written out or shortened
("St." / "Saint", "Mt." / "Mount"), and, only when asked, a fuzzy match against prominent places
for misspellings. Each candidate says how it matched.

A loose lookup (``lookup(name, True)``: resolving a mention already recognised as a place) also
returns second-order units by their short name ("Gwinnett" for Gwinnett County), as aliases; a strict
one does not, since "Jackson", "Franklin" or "Smith" alone is no evidence of a place.
"""
from __future__ import annotations

import hashlib
import importlib.resources
import os
import sqlite3
import threading
from functools import lru_cache
from pathlib import Path
from typing import Optional

import platformdirs
import shapely
from shapely.geometry.base import BaseGeometry

from .cache import default_cache
from .errors import GazetteerError
from .lru import ByteLRU
from .models import Candidate
from .names import SPELLING_SIMILARITY, article_variants, key_variants, name_key

_COLUMNS = ("p.id, p.geonameid, p.name, p.kind, p.feature, p.country_code, p.admin1, p.population, p.lat, p.lon,"
            " p.west, p.south, p.east, p.north")
# Fuzzy matching only reaches places a misspelling is likely to mean, and only longer names.
FUZZY_MIN_POPULATION = 15_000
FUZZY_MIN_LENGTH = 5
DISPLAY_TOLERANCE_DEG = 0.02
# Every stored shape takes about 30 MB once read (17 MB as WKB): a process keeps at most this much of
# them, and of the borders, coasts and parts made from them.
SHAPE_CACHE_BYTES = 64 * 2**20
# Connections inherited through fork(): a child must neither use nor close them, so they are kept here.
_INHERITED: list[sqlite3.Connection] = []


def packaged_gazetteer_path() -> Path:
    return Path(str(importlib.resources.files("geomap").joinpath("data").joinpath("gazetteer.sqlite")))


def user_gazetteer_path() -> Path:
    """Where `geomap gazetteer build` writes, and where geomap looks first."""
    return Path(platformdirs.user_data_dir("geomap")) / "gazetteer.sqlite"


def default_path() -> Path:
    """$GEOMAP_GAZETTEER, else one the user built, else the gazetteer that ships with the package."""
    override = os.environ.get("GEOMAP_GAZETTEER")
    if override:
        return Path(override)
    built = user_gazetteer_path()
    return built if built.is_file() else packaged_gazetteer_path()


class Gazetteer:
    """Read-only access to the gazetteer file, opened on first use (one connection per thread).

    ``shapes`` keeps the shapes read (``shape``) and made from them (``geomap.geometry.shape_of``), the
    least recently used dropped beyond ``shape_cache_bytes``. A connection never crosses a fork: a
    forked process opens its own, and leaves its parent's alone (SQLite forbids using or closing it);
    ``close()`` before forking leaves none to inherit.
    """

    def __init__(self, path: Optional[Path] = None, *, cache=None, shape_cache_bytes: int = SHAPE_CACHE_BYTES):
        self.path = Path(path) if path else default_path()
        self._local = threading.local()
        self._lock = threading.Lock()
        self._opened: list[sqlite3.Connection] = []   # by every thread of process _pid, for close()
        self._pid = os.getpid()
        self._generation = 0   # bumped by close(): every thread then reopens
        self._cache = cache
        self._fuzzy_keys: Optional[list[str]] = None
        self.lookup = lru_cache(maxsize=65536)(self._lookup)
        self.shapes = ByteLRU(shape_cache_bytes)

    @property
    def db(self) -> sqlite3.Connection:
        local = self._local
        conn = getattr(local, "conn", None)
        if conn is not None and local.generation == self._generation and self._pid == os.getpid():
            return conn
        if self._pid != os.getpid():   # a forked child: its parent's connections are not its own
            self._forget_inherited()
        conn = self._connect()
        with self._lock:
            self._opened.append(conn)
        local.conn, local.generation = conn, self._generation
        return conn

    def _connect(self) -> sqlite3.Connection:
        if not self.path.is_file():
            raise GazetteerError(f"gazetteer not found at {self.path}: run python gazetteer/build.py")
        # immutable=1: the file never changes at run time, so SQLite skips locking.
        conn = sqlite3.connect(f"file:{self.path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        try:
            conn.execute("SELECT 1 FROM names LIMIT 1")
        except sqlite3.DatabaseError as err:
            conn.close()
            raise GazetteerError(f"{self.path} is not a geomap gazetteer: {err}") from None
        return conn

    def _forget_inherited(self) -> None:
        """In a forked child: keep the parent's connections out of the GC's reach (closing one here
        would be using it), take a new lock (the parent's may have been held) and start afresh."""
        _INHERITED.extend(self._opened)
        self._lock, self._opened, self._pid = threading.Lock(), [], os.getpid()
        self._generation += 1

    def close(self) -> None:
        """Close every connection this process opened, in every thread; the next lookup opens a new one.
        The caches stay. Call it before forking, so that no child inherits an open connection."""
        if self._pid != os.getpid():
            self._forget_inherited()
            return
        with self._lock:
            opened, self._opened = self._opened, []
            self._generation += 1
        for conn in opened:
            conn.close()
        if self._cache is not None:
            self._cache.close()

    @property
    def cache(self):
        """The persistent geocode cache, namespaced by this gazetteer's identity."""
        if self._cache is None:
            self._cache = default_cache(namespace=self.fingerprint())
        return self._cache

    def fingerprint(self) -> str:
        """The file's identity: its path, size and time, and the revision that adding or removing a user's
        dataset writes (a rewrite can keep the size and fall within the file system's time resolution)."""
        stat = self.path.stat()
        revision = self.meta().get("revision", "")
        identity = f"{self.path.resolve()}:{stat.st_size}:{stat.st_mtime_ns}:{revision}"
        return hashlib.sha1(identity.encode()).hexdigest()[:16]

    # -- lookups -----------------------------------------------------------------------------
    def _lookup(self, name: str, fuzzy: bool = False) -> tuple[Candidate, ...]:
        """Every place the name can mean, the gazetteer's own order (countries first); ``fuzzy`` (a
        recognised mention) also allows misspellings and the short names of second-order units."""
        key = name_key(name)
        if not key:
            return ()
        found = self._shorts(self._by_key(key, name), fuzzy)
        if not found:
            for variant in key_variants(key):
                found = tuple(c.matched_as("abbreviation") for c in self._shorts(self._by_key(variant, name), fuzzy))
                if found:
                    break
        if not found:
            found = self._with_article(key, name, fuzzy)
        if not found and fuzzy:
            found = self._fuzzy(key, name)
        return found

    def _by_key(self, key: str, raw: str) -> tuple[Candidate, ...]:
        rows = self.db.execute(
            f"SELECT {_COLUMNS}, n.how, p.admin2, p.source FROM names n JOIN places p ON p.id = n.place_id WHERE n.key = ? ORDER BY p.id",
            (key,),
        ).fetchall()
        out = []
        for row in rows:
            candidate = Candidate(*row)
            if candidate.matched == "name" and candidate.name != raw.strip():
                candidate = candidate.matched_as("folded")  # same letters, other case or accents
            elif candidate.matched == "alias" and name_key(candidate.name) in key_variants(key):
                candidate = candidate.matched_as("folded")  # its own name abbreviated: "St. Paris", "Mt. Vernon"
            out.append(candidate)
        return tuple(out)

    def _with_article(self, key: str, raw: str, loose: bool) -> tuple[Candidate, ...]:
        """The places whose name is this one with Arabic's article in front ("Qamishli": Al Qāmishlī);
        their own name so matched counts as folded (one sense, written without the article)."""
        for variant in article_variants(key):
            found = tuple(c.matched_as("folded") if c.matched == "name" else c
                          for c in self._shorts(self._by_key(variant, raw), loose))
            if found:
                return found
        return ()

    @staticmethod
    def _shorts(found: tuple[Candidate, ...], loose: bool) -> tuple[Candidate, ...]:
        """Short names ("Fulton" for Fulton County) count as aliases in a loose lookup, else not at all."""
        if loose:
            return tuple(c.matched_as("alias") if c.matched == "short" else c for c in found)
        return tuple(c for c in found if c.matched != "short")

    def _fuzzy(self, key: str, raw: str) -> tuple[Candidate, ...]:
        """Misspellings ("Brussles"): the closest name of a prominent place, cached across runs."""
        if len(key) < FUZZY_MIN_LENGTH:
            return ()
        match = self.cache.get_or_compute(f"fuzzy\x1f{key}", lambda: self._closest_key(key))
        if not match:
            return ()
        return tuple(c.matched_as("fuzzy") for c in self._by_key(match, raw) if c.matched != "short")

    def _closest_key(self, key: str) -> Optional[str]:
        from rapidfuzz import fuzz, process
        if self._fuzzy_keys is None:
            self._fuzzy_keys = [k for (k,) in self.db.execute(
                "SELECT DISTINCT n.key FROM names n JOIN places p ON p.id = n.place_id "
                "WHERE (p.population >= ? OR p.kind = 'region') AND n.how NOT IN ('demonym', 'short') ORDER BY n.key",
                (FUZZY_MIN_POPULATION,))]
        best = process.extractOne(key, self._fuzzy_keys, scorer=fuzz.ratio, score_cutoff=SPELLING_SIMILARITY)
        return best[0] if best else None

    def knows(self, name: str) -> bool:
        return bool(self.lookup(name))

    def country(self, code: str) -> Optional[Candidate]:
        row = self.db.execute(
            f"SELECT {_COLUMNS}, 'name', p.admin2, p.source FROM places p WHERE p.country_code = ? AND p.feature LIKE 'PCL%'"
            " ORDER BY p.id LIMIT 1", (code,)
        ).fetchone()
        return Candidate(*row) if row else None

    # -- geometry ----------------------------------------------------------------------------
    def shape(self, place_id: int, precision: str = "analysis") -> Optional[BaseGeometry]:
        """The region's polygon, or None for places stored as points (kept in ``shapes``).

        ``analysis`` is the stored precision (about 200 m for countries, 1 km for provinces);
        ``display`` is simplified further for maps.
        """
        return self.shapes.get_or_make((place_id, precision), lambda: self._shape(place_id, precision))

    def _shape(self, place_id: int, precision: str) -> Optional[BaseGeometry]:
        if precision == "display":
            shape = self.shape(place_id)
            return None if shape is None else shapely.simplify(shape, DISPLAY_TOLERANCE_DEG, preserve_topology=True)
        row = self.db.execute("SELECT wkb FROM shapes WHERE place_id = ?", (place_id,)).fetchone()
        return shapely.from_wkb(row[0]) if row else None

    def coast(self, place_id: int) -> Optional[BaseGeometry]:
        """A country's boundary where it faces water, as the build drew it (``coasts``: see
        ``geomap.geometry.water_boundary``; Canada's is 4 s of CPU); None for any other place, and in a
        file built before the table was."""
        try:
            row = self.db.execute("SELECT wkb FROM coasts WHERE place_id = ?", (place_id,)).fetchone()
        except sqlite3.OperationalError:   # no such table
            return None
        return shapely.from_wkb(row[0]) if row else None

    def has_shape(self, place_id: int) -> bool:
        """Whether the region has a polygon, without decoding it (a worker need not hold polygons)."""
        return self.db.execute("SELECT 1 FROM shapes WHERE place_id = ?", (place_id,)).fetchone() is not None

    def extent(self, place_id: int) -> Optional[tuple[float, float, float, float]]:
        """(west, south, east, north) of a region stored without a polygon (a sea, a river), else None."""
        row = self.db.execute("SELECT west, south, east, north FROM places WHERE id = ?", (place_id,)).fetchone()
        return None if row is None or row[0] is None else tuple(row)

    def country_ids(self) -> list[int]:
        """The place ids of every country and dependency that has a polygon, in gazetteer order. Read from
        the shapes (8,000 rows; CROSS JOIN keeps SQLite from scanning the 470,000 places instead: 7 ms,
        not 36, of a cold `geomap map` that draws a coast)."""
        return [pid for (pid,) in self.db.execute(
            "SELECT p.id FROM shapes s CROSS JOIN places p ON p.id = s.place_id WHERE p.feature LIKE 'PCL%' "
            "ORDER BY p.id")]

    # -- facts -------------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        return dict(self.db.execute("SELECT feature, COUNT(*) FROM places GROUP BY feature ORDER BY feature"))

    def meta(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT key, value FROM meta ORDER BY key"))


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    return Gazetteer()
