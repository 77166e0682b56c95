"""Batch processing: many documents in, one GeoDataFrame per chunk out, written as it arrives.

``read_documents`` (``readers``) streams ``(text, doc_id)`` pairs from a folder of .txt, .html and .pdf
files, JSON Lines, CSV, Parquet or standard input; ``geoparse_batch`` geoparses them chunk by chunk through
``geomap.runner`` (here, in worker processes with ``workers > 1``, or on a Dask cluster), and
``write_batch`` writes each chunk (``writers``) to GeoParquet, GeoJSON Lines, GeoPackage or GeoJSON,
resumably: a rerun skips the documents already done and retries the ones that failed. Workers send
back places with geometry keys; this process attaches the shapes when it makes a chunk's frame.
Nothing holds more than a few chunks in memory.
"""
from __future__ import annotations

import json
import os
import time
import warnings
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Optional, Union

from ..errors import Failure, InputError
from ..parser import Geoparser, Parsed
from ..runner import DEFAULT_CHUNK_SIZE, map_chunks, process_pool
from .readers import read_documents
from .writers import OUTPUT_SUFFIXES, FailureTable, open_output, read_done, read_output

if TYPE_CHECKING:
    import geopandas as gpd

# GeoPandas (with pandas, pyarrow and pyproj: ~0.35 s of CPU) is imported where the first chunk's frame is made:
# forked workers never need it, and this process then imports it while they parse, not before they start.

__all__ = ["geoparse_batch", "write_batch", "read_documents", "read_output", "OUTPUT_SUFFIXES"]

STRING_COLUMNS = ["doc_id", "mention", "name", "kind", "feature", "country_code", "event", "event_role",
                  "event_date", "event_actors", "found_by", "role", "sentence", "source"]
BOOL_COLUMNS = ["approximate", "metonym"]


def geoparse_batch(texts_or_pairs: Iterable, *, workers: int = 1, chunk_size: int = DEFAULT_CHUNK_SIZE,
                   progress: bool = False, scheduler: Optional[str] = None, geoparser: Optional[Geoparser] = None,
                   **geoparse_options) -> Iterator[gpd.GeoDataFrame]:
    """Geoparse many documents, yielding one GeoDataFrame per chunk of ``chunk_size`` documents.

    Each item is a text (its id is its running number) or a ``(text, doc_id)`` pair, spaCy's
    ``as_tuples`` order (see ``text_and_id``); the text may be an ``InputError`` (as ``read_documents``
    yields for an unreadable document). Each frame has the columns of
    ``geoparse`` with ``doc_id`` (str) first, and ``doc`` is the document's number in the whole input.
    A document that fails is left out and listed in its chunk's ``gdf.attrs["failures"]`` as a
    ``Failure(doc, doc_id, stage, error)``. ``workers > 1`` geoparses chunks in that many processes (forked
    from this one once the model is loaded, on Linux; elsewhere each loads its own); ``scheduler="tcp://host:port"`` runs the chunks on a Dask distributed cluster
    instead. Chunks still come out in input order. ``progress=True`` shows a progress bar. ``geoparser``
    is the ``Geoparser`` to use (default: the one behind ``geomap.geoparse``); ``geoparse_options``
    (``country_hint``, ``modifiers``, ``demonyms``) are passed to it.
    """
    items = numbered(texts_or_pairs)
    for _, gdf in chunk_frames(items, geoparser, workers, chunk_size, progress, scheduler, geoparse_options):
        yield gdf


def numbered(texts_or_pairs: Iterable) -> Iterator[tuple[int, str, object]]:
    """``(doc, doc_id, text)`` items: a bare text's id is its number."""
    for number, item in enumerate(texts_or_pairs):
        text, doc_id = text_and_id(item, number)
        yield number, str(doc_id), text


TEXTS = (str, bytes, bytearray, memoryview, InputError)   # what a document's text can be


def text_and_id(item, number: int) -> tuple:
    """``(text, doc_id)`` of one input item: a bare text's id is ``number``. A pair is ``(text, doc_id)``;
    the old order, ``(doc_id, text)``, is still read, with a DeprecationWarning, where it cannot be
    mistaken: a first item that can be no text (``(7, "...")``; None can be a missing text) before a
    text, or an ``InputError`` second. Two strings are always ``(text, doc_id)``."""
    if not isinstance(item, tuple):
        return item, number
    text, doc_id = item
    if isinstance(doc_id, InputError) or (
            text is not None and not isinstance(text, TEXTS) and isinstance(doc_id, TEXTS)):
        warnings.warn("(doc_id, text) pairs are deprecated: give (text, doc_id), spaCy's as_tuples order",
                      DeprecationWarning, stacklevel=4)
        text, doc_id = doc_id, text
    return text, doc_id


def chunk_frames(items: Iterable[tuple[int, str, object]], geoparser: Optional[Geoparser], workers: int,
                 chunk_size: int, progress: bool, scheduler: Optional[str],
                 options: dict) -> Iterator[tuple[list[Parsed], gpd.GeoDataFrame]]:
    """(each chunk's Parsed results, its frame), in input order."""
    if geoparser is None:
        from ..pipeline import default_geoparser
        geoparser = default_geoparser()
    with executor_for(workers, scheduler, geoparser) as (executor, window), progress_bar(progress) as bar:
        places = failures = 0
        for results, shapes in map_chunks(geoparser, items, executor, chunk_size=chunk_size, window=window,
                                          **options):
            gdf = chunk_frame(results, geoparser.gazetteer, shapes)
            places, failures = places + len(gdf), failures + len(gdf.attrs["failures"])
            if bar is not None:
                bar.update(len(results))
                bar.set_postfix(places=places, failures=failures, refresh=False)
            yield results, gdf


def chunk_frame(results: list[Parsed], gazetteer, shapes: Optional[dict] = None) -> gpd.GeoDataFrame:
    """A chunk's places with their geometry attached and ``doc_id`` first; its failures in attrs.
    ``shapes``: WKB of computed shapes by key, as a worker sent them (see ``runner.Chunk``)."""
    from ..export import to_geodataframe
    ids = {parsed.doc: parsed.doc_id for parsed in results}
    gdf = to_geodataframe([row for parsed in results for row in parsed.rows], gazetteer, known=shapes)
    gdf.insert(0, "doc_id", [ids[doc] for doc in gdf["doc"]])
    gdf = normalise(gdf)
    gdf.attrs["failures"] = [parsed.failure for parsed in results if parsed.failure is not None]
    return gdf


def normalise(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The same dtypes in every chunk, empty or not, so that the parts of a dataset share one schema."""
    for column in STRING_COLUMNS:
        gdf[column] = gdf[column].astype("str")
    for column in BOOL_COLUMNS:
        gdf[column] = gdf[column].astype(bool)
    gdf["doc"] = gdf["doc"].astype("int64")
    return gdf


@contextmanager
def executor_for(workers: int, scheduler: Optional[str], geoparser: Optional[Geoparser] = None):
    """(the executor to run chunks on, how many chunks to keep in flight): a Dask cluster's, a local
    process pool's (forked from this process with ``geoparser`` loaded, where fork is safe), or none
    (this process) for one worker."""
    if scheduler:
        with dask_executor(scheduler) as (executor, slots):
            yield executor, 2 * slots
    elif workers <= 1:
        yield None, 1
    else:
        with process_pool(workers, geoparser) as pool:
            yield pool, 2 * workers


@contextmanager
def dask_executor(scheduler: str):
    """A concurrent.futures executor on a Dask distributed cluster, and how many tasks it runs at once.
    Results come back to this process, which writes them: the workers need no shared file system."""
    try:
        from distributed import Client
    except ImportError:
        raise InputError("--scheduler needs Dask: pip install 'dask[distributed]'") from None
    try:
        client = Client(scheduler, timeout="30s")
    except OSError as err:
        raise InputError(f"cannot reach the Dask scheduler at {scheduler}: {err}") from None
    try:
        slots = max(1, sum(client.nthreads().values()))
        yield client.get_executor(pure=False), slots
    finally:
        client.close()


def progress_bar(show: bool):
    if not show:
        return nullcontext()
    from tqdm import tqdm
    return tqdm(unit="docs", desc="geoparsing", dynamic_ncols=True)


def write_batch(source, out: Union[str, os.PathLike], *, workers: Optional[int] = None, text_col: str = "text",
                id_col: Optional[str] = None, chunk_size: int = DEFAULT_CHUNK_SIZE, quiet: bool = False,
                scheduler: Optional[str] = None, geoparser: Optional[Geoparser] = None,
                on_failure: Optional[Callable[[Failure], None]] = None, **geoparse_options) -> dict:
    """Geoparse every document of ``source`` and write the places to ``out``, chunk by chunk.

    ``source`` is what ``read_documents`` reads (a folder, .jsonl, .csv, .parquet, ``-``) or an iterable of
    texts or ``(text, doc_id)`` pairs. The format of ``out`` follows its suffix: ``.parquet`` (or none) a
    folder of GeoParquet parts plus ``_failures.parquet``; ``.geojsonl`` one Feature a line; ``.gpkg`` a
    GeoPackage layer ``places``; ``.geojson`` one FeatureCollection. Failed documents go to
    ``<out>.failures.jsonl`` (or the folder's ``_failures.parquet``) as ``Failure`` records (``doc``,
    ``doc_id``, ``stage``, ``error``), and to ``on_failure`` as they happen.

    Resumable: the ids of documents done (written, or with no places) are listed in ``<out>.done``
    (``_done.txt`` in a Parquet folder); a rerun skips them and retries the failures. Returns
    ``{"documents", "skipped", "places", "failures", "seconds"}`` for this run.
    """
    began = time.perf_counter()
    out = Path(out)
    if isinstance(source, (str, os.PathLike)):
        documents = read_documents(source, text_col=text_col, id_col=id_col)
    else:
        documents = (text_and_id(item, n) for n, item in enumerate(source))
    writer, done_path, failures_path = open_output(out)
    done = read_done(done_path)
    done |= writer.written_ids(done)
    failure_table = FailureTable(failures_path)
    summary = {"documents": 0, "skipped": 0, "places": 0, "failures": 0}

    def todo():
        for number, (text, doc_id) in enumerate(documents):
            doc_id = str(doc_id)
            if doc_id in done:
                summary["skipped"] += 1
            else:
                done.add(doc_id)  # a duplicate id later in the input is not processed twice
                yield number, doc_id, text

    workers = (os.cpu_count() or 1) if workers is None else workers
    try:
        with done_path.open("a", encoding="utf-8") as done_file:
            for results, gdf in chunk_frames(todo(), geoparser, workers, chunk_size, not quiet, scheduler,
                                             geoparse_options):
                failures = gdf.attrs["failures"]
                processed = [parsed.doc_id for parsed in results]
                writer.write(gdf)
                done_file.writelines(json.dumps(parsed.doc_id) + "\n" for parsed in results if parsed.failure is None)
                done_file.flush()
                failure_table.update(processed, failures)
                for failure in failures if on_failure else ():
                    on_failure(failure)
                summary["documents"] += len(processed)
                summary["places"] += len(gdf)
                summary["failures"] += len(failures)
    finally:
        writer.close()
    summary["seconds"] = round(time.perf_counter() - began, 3)
    return summary
