"""Run a Geoparser over many documents, in this process or on any ``concurrent.futures.Executor``.

Documents go out in chunks; results come back in input order, with at most ``window`` chunks in
flight, so memory stays flat however long the input; on an executor a chunk goes out in pieces of a
spaCy batch (``pieces``), so that the workers share its uneven work and finish together. A process
pool, a thread pool or Dask's ``client.get_executor()`` all fit. Results are ``Parsed`` records whose
places carry geometry keys, not shapes, so a chunk's trip back is small; the caller attaches geometry
when it makes its output.

``process_pool`` forks its workers from this process once the geoparser is loaded (Linux), so that they
share the model's pages, or starts them clean (spawn) where fork is unsafe; see ``ForkedPool``.
"""
from __future__ import annotations

import ctypes
import gc
import os
import pickle
import sys
from collections import deque
from concurrent.futures import Executor, ProcessPoolExecutor
from functools import lru_cache
from importlib import import_module
from itertools import islice
from multiprocessing import get_context
from typing import Any, Iterable, Iterator, NamedTuple, Optional

from .errors import InputError
from .parser import DEFAULT_BATCH_SIZE, Geoparser, Parsed

DEFAULT_CHUNK_SIZE = 100
LOOKED_UP = ("point", "place")  # shape keys any process turns into shapes cheaply; the others are computed
# macOS's system libraries are not fork-safe (Python spawns there by default), Windows has no fork
FORK = sys.platform.startswith("linux")
# What a forking process parses first, so that every part a document needs is loaded before the fork
WARM_UP = "Troops from Turkey moved into northern Syria on Monday, near Aleppo."
# and what the stages import only where a document needs it (a distance, a misspelling), imported before
# the fork too: else each worker imported its own copy (geopy and rapidfuzz, ~80 ms of CPU a worker)
NEEDED_LATER = ("geopy.distance", "rapidfuzz.fuzz", "rapidfuzz.process")


class Chunk(NamedTuple):
    """A chunk's Parsed results, in input order, and the WKB of the computed shapes (borders, coasts,
    parts) its places name, as a worker made them: a coast made again where the output is written
    would cost that process every country's polygon (+1 GB measured). Empty when run in-process,
    where the shape cache already has them."""

    results: list
    shapes: dict


def chunks(items: Iterable, size: int) -> Iterator[list]:
    if size < 1:
        raise ValueError("chunk_size must be at least 1")
    items = iter(items)
    while chunk := list(islice(items, size)):
        yield chunk


def process_pool(workers: int, geoparser: Optional[Geoparser] = None) -> ProcessPoolExecutor:
    """``workers`` processes for ``geoparser``'s chunks: forked from this one where fork is safe (see
    ``ForkedPool``), else started clean (spawn), each loading its own model from the geoparser's
    pickled state (``Shipped``). Without a geoparser, always spawned."""
    if geoparser is not None and FORK:
        return ForkedPool(workers, geoparser)
    return ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"))


class ForkedPool(ProcessPoolExecutor):
    """Workers forked from this process after ``geoparser`` has loaded its model, gazetteer, ranker and
    recognizer, and parsed a sentence: each worker uses that geoparser as it is, so the model is loaded
    once and its pages (the weights, the vocabulary) are shared copy-on-write. Against spawned workers,
    on 400 to 1,200 news articles: about 100 MB less private memory and 50 MB less PSS a worker (most of
    a worker's memory is its batches, not the model), and no start-up (Python, imports, the model: about
    2 s of CPU a worker). Two things would undo the sharing or the safety, and are dealt with before the
    fork:

    - SQLite connections: a connection must not be used, nor closed, across fork(). The gazetteer (and
      its geocode cache) closes its connections here; a worker opens its own on first use, and would
      leave alone any it inherited (``Gazetteer.db``).
    - The garbage collector: a collection writes to every object it scans, which copies the object's
      page into the worker. ``gc.freeze()`` moves everything loaded so far out of the collector's sight
      (in the workers; this process unfreezes once they are forked).

    Every worker is forked at once, when the pool starts, while this process runs no other thread of
    its own (forking a process whose other threads hold locks can leave those locks held in the child).
    """

    def __init__(self, workers: int, geoparser: Geoparser):
        parse_items(geoparser, [(0, 0, WARM_UP)], {})
        for module in NEEDED_LATER:
            import_module(module)
        geoparser.gazetteer.close()
        gc.collect()
        gc.freeze()
        try:
            super().__init__(max_workers=workers, mp_context=get_context("fork"), initializer=adopt,
                             initargs=(geoparser,))
            self.submit(os.getpid).result()   # a fork pool forks every worker at its first task
        finally:
            gc.unfreeze()
        self.geoparser = geoparser


_ADOPTED: Optional[Geoparser] = None   # in a forked worker: its parent's geoparser


def adopt(geoparser: Geoparser) -> None:
    """A forked worker's start: the geoparser it inherited is the one it runs."""
    global _ADOPTED
    _ADOPTED = geoparser


def parse_items(geoparser: Geoparser, chunk: list[tuple[int, Any, Any]], options: dict) -> list[Parsed]:
    """One Parsed per item, in order. An item whose text is already an ``InputError`` (a reader could
    not read it) fails with that error; the others are geoparsed in spaCy batches of the geoparser's
    usual size (a whole chunk in one batch gave the same documents for twice the memory: +330 MB for a
    hundred news articles against +150 MB for sixteen)."""
    readable = [item for item in chunk if not isinstance(item[2], InputError)]
    parsed = iter(geoparser._parse_documents(readable, **options))
    return [Parsed.failed(doc, doc_id, text) if isinstance(text, InputError) else next(parsed)
            for doc, doc_id, text in chunk]


class Shipped:
    """A Geoparser on its way to an executor's workers. Pickled, it is its Geoparser's state, made once
    per run, and a worker process unpickles each state once (not once per chunk, which would open a
    gazetteer, and fill its caches, for every chunk); an executor that does not pickle (a thread pool)
    hands the object itself over."""

    def __init__(self, geoparser: Geoparser):
        self.geoparser = geoparser
        self._state: Optional[bytes] = None

    def __reduce__(self):
        if self._state is None:
            self._state = pickle.dumps(self.geoparser)
        return shipped_from_state, (self._state,)


def shipped_from_state(state: bytes) -> Shipped:
    return Shipped(worker_geoparser(state))


@lru_cache(maxsize=4)
def worker_geoparser(state: bytes) -> Geoparser:
    """The Geoparser a pickled state describes, one per process."""
    return pickle.loads(state)


def parse_chunk(shipped: Shipped, chunk: list[tuple[int, Any, Any]], options: dict) -> Chunk:
    """One chunk in a worker: its Parsed results, exceptions dropped (the Failure record says it all,
    and an exception need not survive pickling), with its computed shapes."""
    return parse_chunk_with(shipped.geoparser, chunk, options)


def parse_adopted_chunk(chunk: list[tuple[int, Any, Any]], options: dict) -> Chunk:
    """One chunk in a forked worker, with the geoparser it inherited (see ``ForkedPool``)."""
    return parse_chunk_with(_ADOPTED, chunk, options)


def parse_chunk_with(geoparser: Geoparser, chunk: list[tuple[int, Any, Any]], options: dict) -> Chunk:
    results = [parsed._replace(error=None) for parsed in parse_items(geoparser, chunk, options)]
    shapes = computed_shapes(results, geoparser.gazetteer)
    WORKER_TRIMMER.parsed(len(chunk))
    return Chunk(results, shapes)


@lru_cache(maxsize=1)
def _malloc_trim():
    try:
        return ctypes.CDLL(None).malloc_trim   # glibc's; other C libraries have none, or need none
    except (AttributeError, OSError):
        return None


def release_freed_memory() -> None:
    """Hand the pages a chunk freed back to the system. glibc's malloc keeps freed memory for reuse,
    fragmented, so a worker's RSS grew with every chunk's spaCy batches and GEOS buffers (to 866 MB
    PSS at 1,200 documents, with 220 MB in use); trimmed after each chunk, it stays flat."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


class HeapTrimmer:
    """Calls ``release_freed_memory`` once every ``documents`` parsed, as after each whole chunk: after
    every piece of 16, the pages handed back were faulted in again at once (0.4 s more system time a worker
    on 400 LGL articles). Each worker process has its own (``WORKER_TRIMMER``)."""

    def __init__(self, documents: int = DEFAULT_CHUNK_SIZE, release=None):
        self.documents = documents
        self.release = release or release_freed_memory
        self.untrimmed = 0   # documents parsed since the last trim

    def parsed(self, count: int) -> None:
        self.untrimmed += count
        if self.untrimmed >= self.documents:
            self.untrimmed = 0
            self.release()


WORKER_TRIMMER = HeapTrimmer()


def computed_shapes(results: list[Parsed], gazetteer) -> dict:
    import shapely

    from .geometry import shape_of
    keys = {place.geometry for parsed in results for _, place, _ in parsed.rows
            if place.geometry is not None and place.geometry[0] not in LOOKED_UP}
    return {key: shapely.to_wkb(shape_of(key, gazetteer)) for key in keys}


def pieces(chunk: list[tuple[int, Any, Any]], batch_size: int) -> list[list]:
    """The chunk cut after every ``batch_size`` readable items: the spaCy batches the geoparser makes of
    each piece are the ones it makes of the whole chunk (``parse_items``), the same documents together."""
    cut, piece, readable = [], [], 0
    for item in chunk:
        piece.append(item)
        if not isinstance(item[2], InputError):
            readable += 1
            if readable % batch_size == 0:
                cut.append(piece)
                piece = []
    return cut + [piece] if piece else cut


def merged(parts: list[Chunk]) -> Chunk:
    """A chunk's pieces' results, in order, as one Chunk."""
    return Chunk([parsed for part in parts for parsed in part.results],
                 {key: wkb for part in parts for key, wkb in part.shapes.items()})


def map_chunks(geoparser: Geoparser, items: Iterable[tuple[int, Any, Any]], executor: Optional[Executor] = None, *,
               chunk_size: int = DEFAULT_CHUNK_SIZE, window: int = 4, **options) -> Iterator[Chunk]:
    """``(doc, doc_id, text)`` items in; each chunk's results out, in input order. Without an
    executor the chunks run here, one after another. On one, each chunk goes out in pieces of one spaCy
    batch, each taken by whichever worker is free: 400 LGL articles in whole chunks of 100 cost 7.4, 6.8,
    10.7 (Canada's coast) and 7.0 s of CPU, and left one of two workers parsing alone for 3 s at the end."""
    if executor is None:
        for chunk in chunks(items, chunk_size):
            results = parse_items(geoparser, chunk, options)
            release_freed_memory()
            yield Chunk(results, {})
        return
    if getattr(executor, "geoparser", None) is geoparser:   # forked with it: nothing to ship
        task, first = parse_adopted_chunk, ()
    else:
        task, first = parse_chunk, (Shipped(geoparser),)
    batch_size = options.get("batch_size", DEFAULT_BATCH_SIZE)
    pending: deque = deque()   # each chunk's futures, one per piece
    for chunk in chunks(items, chunk_size):
        pending.append([executor.submit(task, *first, piece, options) for piece in pieces(chunk, batch_size)])
        if len(pending) >= max(1, window):
            yield merged([future.result() for future in pending.popleft()])
    while pending:
        yield merged([future.result() for future in pending.popleft()])


def run_chunks(geoparser: Geoparser, items: Iterable[tuple[int, Any, Any]], executor: Optional[Executor] = None, *,
               chunk_size: int = DEFAULT_CHUNK_SIZE, window: int = 4, **options) -> Iterator[Parsed]:
    """``(doc, doc_id, text)`` items in; one Parsed per item out, in input order."""
    for chunk in map_chunks(geoparser, items, executor, chunk_size=chunk_size, window=window, **options):
        yield from chunk.results
