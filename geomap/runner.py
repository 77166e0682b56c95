"""Run a Geoparser over many documents on any ``concurrent.futures.Executor``.

Documents go out in chunks; results come back in input order, with at most ``window`` chunks in
flight, so memory stays flat however long the input. A process pool, a thread pool or Dask's
``client.get_executor()`` all fit.
"""
from __future__ import annotations

from collections import deque
from concurrent.futures import Executor
from itertools import islice
from typing import Any, Iterable, Iterator, Optional

from .parser import Geoparser, Parsed


def chunks(items: Iterable, size: int) -> Iterator[list]:
    items = iter(items)
    while chunk := list(islice(items, size)):
        yield chunk


def parse_chunk(geoparser: Geoparser, chunk: list[tuple[int, Any, Any]], options: dict) -> list[Parsed]:
    """One chunk in a worker: its Parsed results, exceptions dropped (the Failure record says it all,
    and an exception need not survive pickling)."""
    return [parsed._replace(error=None) for parsed in geoparser.parse_documents(chunk, **options)]


def run_chunks(geoparser: Geoparser, items: Iterable[tuple[int, Any, Any]], executor: Executor, *,
               chunk_size: int = 100, window: Optional[int] = None, **options) -> Iterator[Parsed]:
    """``(doc, doc_id, text)`` items in; one Parsed per item out, in input order."""
    window = window or 2 * (getattr(executor, "_max_workers", None) or 2)
    pending: deque = deque()
    for chunk in chunks(items, chunk_size):
        pending.append(executor.submit(parse_chunk, geoparser, chunk, options))
        if len(pending) >= window:
            yield from pending.popleft().result()
    while pending:
        yield from pending.popleft().result()
