"""The geocode cache on real files: round trips, namespaces, concurrency, damage, fork."""
import multiprocessing
import os
import sqlite3
import subprocess
import sys
import threading
import warnings

import platformdirs
import pytest

from geomap.cache import CacheWarning, GeocodeCache, NullCache, default_cache

VALUES = [None, True, 0, -7, 2.5, "", "Bruxelles – Brussel", [], {}, [[12, "exact"], [40, "fuzzy"]],
          {"a": [1, {"b": None}], "ü": "ø"}]


@pytest.fixture
def cache(tmp_path):
    c = GeocodeCache(tmp_path / "cache.sqlite", namespace="gaz-1")
    yield c
    c.close()


def test_round_trip_of_json_values(cache):
    for i, value in enumerate(VALUES):
        cache.put(f"k{i}", value)
    assert [cache.get(f"k{i}", "MISSING") for i in range(len(VALUES))] == VALUES
    cache.put("k0", "replaced")
    assert cache.get("k0") == "replaced"


def test_miss_gives_the_default(cache):
    assert cache.get("fuzzy\x1fbrusels") is None
    assert cache.get("fuzzy\x1fbrusels", []) == []


def test_get_or_compute_computes_once(cache):
    calls = []

    def compute():
        calls.append(1)
        return [[7, "fuzzy"]]

    assert cache.get_or_compute("fuzzy\x1fbrusels", compute) == [[7, "fuzzy"]]
    assert cache.get_or_compute("fuzzy\x1fbrusels", compute) == [[7, "fuzzy"]]
    assert len(calls) == 1
    # A cached None is a hit, not a miss.
    assert cache.get_or_compute("none", lambda: None) is None
    assert cache.get_or_compute("none", lambda: pytest.fail("recomputed")) is None


def test_non_json_value_is_a_type_error(cache):
    with pytest.raises(TypeError):
        cache.put("k", {1, 2})


def test_namespaces_are_isolated_and_clear_counts_all(tmp_path):
    path = tmp_path / "cache.sqlite"
    old, new = GeocodeCache(path, namespace="v1"), GeocodeCache(path, namespace="v2")
    old.put("paris", [1])
    old.put("rome", [2])
    new.put("paris", [3])
    assert new.get("rome") is None and new.get("paris") == [3] and old.get("paris") == [1]
    info = new.info()
    assert info["path"] == str(path) and info["namespace"] == "v2"
    assert info["entries"] == 3 and info["namespaces"] == {"v1": 2, "v2": 1}
    assert info["bytes"] > 0 and info["disabled"] is False
    assert new.clear() == 3
    assert old.get("paris") is None
    assert new.info()["entries"] == 0 and new.info()["namespaces"] == {}
    assert new.clear() == 0
    old.close()
    new.close()


def test_lazy_open_and_info_do_not_create_files(tmp_path):
    c = GeocodeCache(tmp_path / "sub" / "cache.sqlite")
    assert c.info()["entries"] == 0 and c.clear() == 0
    assert not (tmp_path / "sub").exists()


def test_persists_across_objects(tmp_path):
    path = tmp_path / "cache.sqlite"
    first = GeocodeCache(path, namespace="n")
    first.put("k", {"v": 1})
    first.close()
    second = GeocodeCache(path, namespace="n")
    assert second.get("k") == {"v": 1}
    with sqlite3.connect(path) as conn:  # the file really is what the brief promises
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    second.close()


WRITER = """
import sys, warnings
warnings.simplefilter("error")
from geomap.cache import GeocodeCache
c = GeocodeCache(sys.argv[1], namespace="n")
print("ready", flush=True)
sys.stdin.readline()  # start gate: both processes write at the same moment
for i in range(500):
    c.put(f"{sys.argv[2]}{i}", [i, sys.argv[2]])
print("done", flush=True)
"""


def test_two_processes_writing_at_once(tmp_path):
    path = tmp_path / "cache.sqlite"
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), tag], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for tag in "ab"]
    for p in procs:
        assert p.stdout.readline().strip() == "ready", p.communicate()[1]
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
    for p in procs:
        out, err = p.communicate(timeout=60)
        assert p.returncode == 0 and out.strip() == "done", err
    c = GeocodeCache(path, namespace="n")
    assert c.info()["entries"] == 1000
    assert all(c.get(f"{t}{i}") == [i, t] for t in "ab" for i in range(500))
    c.close()


def test_threads_share_one_cache(cache):
    def work(t):
        for i in range(100):
            cache.put(f"{t}-{i}", i)
            assert cache.get_or_compute(f"{t}-{i}", lambda: -1) == i

    threads = [threading.Thread(target=work, args=(t,)) for t in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert cache.info()["entries"] == 400


def _assert_recovers(path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # recovery is silent: no warning, no exception
        c = GeocodeCache(path, namespace="n")
        for i in range(50):
            c.get(f"k{i}")
        c.put("k", [1, "x"])
        assert c.get("k") == [1, "x"]
        assert c.info()["disabled"] is False
        c.close()
    again = GeocodeCache(path, namespace="n")
    assert again.get("k") == [1, "x"]
    again.close()


def test_random_bytes_file_is_rebuilt(tmp_path):
    path = tmp_path / "cache.sqlite"
    path.write_bytes(os.urandom(20000))
    _assert_recovers(path)


def test_empty_file_is_rebuilt(tmp_path):
    path = tmp_path / "cache.sqlite"
    path.touch()
    _assert_recovers(path)


def _filled_cache(tmp_path):
    """A closed cache file of 300 entries, and its size."""
    path = tmp_path / "cache.sqlite"
    c = GeocodeCache(path, namespace="n")
    for i in range(300):
        c.put(f"k{i}", ["x" * 50, i])
    c.close()
    return path, path.stat().st_size


def test_truncated_file_is_rebuilt(tmp_path):
    path, size = _filled_cache(tmp_path)
    assert size >= 8 * 4096 and not (tmp_path / "cache.sqlite-wal").exists()
    with open(path, "r+b") as f:
        f.truncate(size // 2)
    _assert_recovers(path)


def test_damage_found_after_opening_is_rebuilt(tmp_path):
    path, size = _filled_cache(tmp_path)
    with open(path, "r+b") as f:  # header, schema and root page intact: opening succeeds
        f.seek(2 * 4096)
        f.write(os.urandom(size - 3 * 4096))
    c = GeocodeCache(path, namespace="n")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert c.get("k7", "miss") == "miss"
    with sqlite3.connect(path) as conn:  # the file was made anew, not left damaged
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM entries").fetchone()[0] == 0
    conn.close()
    c.put("k", 1)
    assert c.get("k") == 1
    c.close()


def test_unknown_schema_is_rebuilt(tmp_path):
    path = tmp_path / "cache.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE entries (x)")
        conn.execute("PRAGMA user_version=99")
    conn.close()
    _assert_recovers(path)


def test_unwritable_location_degrades_to_noop(tmp_path):
    (tmp_path / "afile").write_text("not a folder")
    c = GeocodeCache(tmp_path / "afile" / "cache.sqlite")
    with pytest.warns(CacheWarning):
        assert c.get_or_compute("k", lambda: [1, "exact"]) == [1, "exact"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # one warning only, then a quiet no-op
        c.put("k", 1)
        assert c.get("k", "miss") == "miss"
        assert c.get_or_compute("k", lambda: 2) == 2
        assert c.info()["disabled"] is True and c.clear() == 0


def test_full_database_degrades_to_noop(cache):
    cache.put("small", 1)
    conn = cache._conn()  # SQLite's own SQLITE_FULL, as on a full disk: cap the file at its size
    conn.execute(f"PRAGMA max_page_count={conn.execute('PRAGMA page_count').fetchone()[0]}")
    with pytest.warns(CacheWarning, match="full"):
        assert cache.get_or_compute("big", lambda: ["x" * 100_000]) == ["x" * 100_000]
    assert cache.get("small") is None and cache.info()["disabled"] is True


def _child(cache, inherited_id, conn):
    try:
        assert cache.get("parent") == 1
        cache.put("child", 2)
        assert cache.get("child") == 2
        assert id(cache._local.conn) != inherited_id  # the parent's connection was not reused
        conn.send("ok")
    except BaseException as exc:  # report instead of dying silently
        conn.send(repr(exc))


@pytest.mark.skipif(sys.platform == "win32", reason="no fork on Windows")
def test_works_after_fork(cache):
    cache.put("parent", 1)  # opens the connection in the parent
    inherited = cache._local.conn
    ctx = multiprocessing.get_context("fork")
    mine, theirs = ctx.Pipe()
    child = ctx.Process(target=_child, args=(cache, id(inherited), theirs))
    child.start()
    assert mine.poll(20), "child did not answer"
    assert mine.recv() == "ok"
    child.join(10)
    assert child.exitcode == 0
    assert cache._local.conn is inherited
    assert cache.get("child") == 2
    cache.put("after", 3)
    assert cache.get("after") == 3


def test_env_no_cache(monkeypatch):
    monkeypatch.setenv("GEOMAP_NO_CACHE", "1")
    c = default_cache("gaz-1")
    assert isinstance(c, NullCache)
    c.put("k", 1)
    assert c.get("k") is None and c.get_or_compute("k", lambda: 5) == 5
    assert c.info()["path"] is None and c.info()["disabled"] is True and c.info()["entries"] == 0
    assert c.clear() == 0


def test_env_cache_dir(monkeypatch, tmp_path):
    monkeypatch.delenv("GEOMAP_NO_CACHE", raising=False)
    monkeypatch.setenv("GEOMAP_CACHE_DIR", str(tmp_path / "cachedir"))
    c = default_cache("gaz-1")
    assert isinstance(c, GeocodeCache) and c.namespace == "gaz-1"
    assert c.path == tmp_path / "cachedir" / "geocode-cache.sqlite"
    c.put("k", 1)
    assert c.path.is_file() and c.get("k") == 1
    c.close()


def test_default_folder_is_the_user_cache_dir(monkeypatch):
    monkeypatch.delenv("GEOMAP_CACHE_DIR", raising=False)
    c = GeocodeCache()  # no I/O until first use, so this touches nothing
    assert str(c.path.parent) == platformdirs.user_cache_dir("geomap")
    assert c.path.name == "geocode-cache.sqlite"
