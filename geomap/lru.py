"""A least-recently-used cache bounded by the bytes of what it holds, not by how many things.

Shapes differ in size by four orders of magnitude (a town's square, Canada's coast): a cache of 2,048 of
them is a few kilobytes or tens of megabytes depending on the corpus. ``ByteLRU`` evicts the least recently
used entries until the sizes it was told add up to at most ``max_bytes``; an entry larger than that on its
own is returned but not kept.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Callable, Generic, Hashable, TypeVar

import shapely

V = TypeVar("V")

# GEOS keeps about 27 bytes a coordinate (three doubles, and the rings around them), measured on the
# gazetteer's country polygons; the rest of a geometry, and of an entry, is a few hundred bytes.
BYTES_PER_COORDINATE = 28
BYTES_PER_GEOMETRY = 512
BYTES_PER_ENTRY = 128


def geometry_bytes(value) -> int:
    """About what a cache entry holds: a shapely geometry, None, or a tuple of geometries."""
    geometries = [g for g in (value if isinstance(value, tuple) else (value,)) if g is not None]
    coordinates = int(shapely.get_num_coordinates(geometries).sum()) if geometries else 0
    return BYTES_PER_ENTRY + BYTES_PER_GEOMETRY * len(geometries) + BYTES_PER_COORDINATE * coordinates


class ByteLRU(Generic[V]):
    """``get_or_make(key, make)``: the value kept for ``key``, else ``make()``, kept if it fits. Safe
    from several threads (two may make the same value at once; one is kept)."""

    def __init__(self, max_bytes: int, size: Callable[[V], int] = geometry_bytes):
        if max_bytes < 0:
            raise ValueError("max_bytes must not be negative")
        self.max_bytes = max_bytes
        self.size = size
        self.bytes = 0
        self._entries: OrderedDict[Hashable, tuple[V, int]] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_make(self, key: Hashable, make: Callable[[], V]) -> V:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
                return entry[0]
        value = make()   # outside the lock: making a shape may ask this cache for others
        self.put(key, value)
        return value

    def put(self, key: Hashable, value: V) -> None:
        size = self.size(value)
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self.bytes -= old[1]
            if size > self.max_bytes:
                return
            self._entries[key] = (value, size)
            self.bytes += size
            while self.bytes > self.max_bytes:
                _, (_, evicted) = self._entries.popitem(last=False)
                self.bytes -= evicted

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._entries

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.bytes = 0
