"""The byte-bounded LRU behind the gazetteer's shape cache."""
import pytest
import shapely
from shapely.geometry import Point, box

from geomap.lru import BYTES_PER_COORDINATE, ByteLRU, geometry_bytes


def sized(max_bytes):
    return ByteLRU(max_bytes, size=len)   # values are strings: a string's size is its length


def test_keeps_what_fits_and_drops_the_least_recently_used():
    cache = sized(10)
    cache.put("a", "aaaa")
    cache.put("b", "bbbb")
    assert cache.get_or_make("a", lambda: pytest.fail("kept, not made again")) == "aaaa"   # a is now the newest
    cache.put("c", "cccc")   # 12 bytes: b, the least recently used, goes
    assert "b" not in cache and "a" in cache and "c" in cache and cache.bytes == 8


def test_makes_each_value_once_while_kept():
    cache, made = sized(100), []
    for _ in range(3):
        assert cache.get_or_make("k", lambda: made.append(1) or "value") == "value"
    assert made == [1]


def test_a_value_larger_than_the_bound_is_returned_but_not_kept():
    cache = sized(5)
    cache.put("small", "ab")
    assert cache.get_or_make("big", lambda: "x" * 6) == "x" * 6
    assert "big" not in cache and "small" in cache and cache.bytes == 2


def test_a_value_put_again_is_counted_once():
    cache = sized(10)
    cache.put("a", "aaaa")
    cache.put("a", "aaaaaa")
    assert cache.bytes == 6 and len(cache) == 1
    cache.clear()
    assert cache.bytes == 0 and len(cache) == 0


def test_a_geometry_costs_by_its_coordinates():
    square, point = box(0, 0, 1, 1), Point(0, 0)
    assert geometry_bytes(square) - geometry_bytes(point) == 4 * BYTES_PER_COORDINATE   # 5 against 1
    entry = geometry_bytes(None)   # what a tuple of shapes costs: its shapes, in one entry
    assert geometry_bytes((square, None, point)) == geometry_bytes(square) + geometry_bytes(point) - entry
    assert geometry_bytes(None) > 0   # a kept None (a place without a polygon) is an entry too
    assert geometry_bytes(shapely.MultiPoint([(0, 0)] * 1000)) > 1000 * BYTES_PER_COORDINATE


def test_a_negative_bound_is_refused():
    with pytest.raises(ValueError, match="max_bytes"):
        ByteLRU(-1)
