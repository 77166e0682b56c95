"""Batch processing: many documents in, one GeoDataFrame per chunk out, written as it arrives.

``read_documents`` streams ``(doc_id, text)`` pairs from a folder of .txt files, JSON Lines, CSV,
Parquet or standard input; ``geoparse_batch`` geoparses them chunk by chunk (in worker processes with
``workers > 1``), and ``write_batch`` writes each chunk to GeoParquet, GeoJSON Lines, GeoPackage or
GeoJSON, resumably: a rerun skips the documents already done and retries the ones that failed.
Nothing holds more than a few chunks in memory.
"""
from __future__ import annotations

import csv
import itertools
import json
import os
import sys
import time
import warnings
from collections import deque
from contextlib import contextmanager
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import Iterable, Iterator, Optional, Union

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .errors import InputError
from .export import feature_texts
from .inputs import as_text
from .pipeline import geoparse

JSONL_SUFFIXES = {".jsonl", ".ndjson"}
STRING_COLUMNS = ["doc_id", "mention", "name", "kind", "feature", "country_code", "event", "event_date",
                  "event_actors", "source", "role", "sentence"]
BOOL_COLUMNS = ["approximate", "metonym"]
OUTPUT_SUFFIXES = (".parquet", ".geojsonl", ".gpkg", ".geojson")

MAX_ARRAY_BYTES = 2**31 - 1  # an Arrow binary array has 32-bit offsets


# ---------------------------------------------------------------- input

def read_documents(source: Union[str, os.PathLike], *, text_col: str = "text",
                   id_col: Optional[str] = None) -> Iterator[tuple[str, Union[str, InputError]]]:
    """Stream ``(doc_id, text)`` pairs from ``source``.

    ``source`` is a folder of ``.txt`` files (id: the file name without suffix, in sorted order), a
    JSON Lines (``.jsonl``/``.ndjson``), CSV (``.csv``) or Parquet (``.parquet``) file with a
    ``text_col`` column, or ``-`` for JSON Lines on standard input. Without ``id_col`` the id is the
    0-based row number. A document that cannot be read (not UTF-8, binary, not text) is yielded with
    an ``InputError`` instance in place of its text, so that the others still come out. A missing
    source or text (or id) column raises InputError at once.
    """
    return _primed(_sources(source, text_col, id_col))


def _primed(rows: Iterator) -> Iterator:
    """Read the first document now, so that a missing column or unreadable source raises at once."""
    try:
        first = next(rows)
    except StopIteration:
        return iter(())
    return itertools.chain([first], rows)


def _sources(source, text_col: str, id_col: Optional[str]) -> Iterator:
    if str(source) == "-":
        return _jsonl_rows(sys.stdin.buffer if hasattr(sys.stdin, "buffer") else sys.stdin,
                           "standard input", text_col, id_col)
    path = Path(source)
    if path.is_dir():
        return _folder_rows(path)
    if not path.exists():
        raise InputError(f"{path}: no such file or folder")
    suffix = path.suffix.lower()
    try:
        if suffix in JSONL_SUFFIXES:
            return _jsonl_rows(path.open("rb"), str(path), text_col, id_col)
        if suffix == ".csv":
            return _csv_rows(path, text_col, id_col)
        if suffix == ".parquet":
            return _parquet_rows(path, text_col, id_col)
    except OSError as err:
        raise InputError(f"{path}: cannot read it ({err.strerror or err})") from None
    raise InputError(f"{path}: unsupported input; give a folder of .txt files, or a .jsonl, .ndjson, .csv "
                     "or .parquet file, or - for JSON Lines on standard input")


def _document(text) -> Union[str, InputError]:
    try:
        return as_text(text)
    except InputError as err:
        return err


def _folder_rows(path: Path):
    files = sorted(p for p in path.iterdir() if p.suffix == ".txt" and p.is_file())
    for file in files:
        try:
            yield file.stem, _document(file.read_bytes())
        except OSError as err:
            yield file.stem, InputError(f"cannot read {file.name}: {err.strerror or err}")


def _jsonl_rows(stream, name: str, text_col: str, id_col: Optional[str]):
    """JSON Lines, one object a line. The first object must have the text (and id) field; a later
    line that is not an object with that field is one failed document."""
    first = True
    try:
        row = -1
        for number, line in enumerate(stream, 1):
            if not line.strip():
                continue
            row += 1
            try:
                record = json.loads(line)
            except ValueError as err:
                record = None
                problem = f"line {number} is not JSON: {err}"
            else:
                problem = None if isinstance(record, dict) else f"line {number} is not a JSON object"
            if first and isinstance(record, dict):
                for column in filter(None, (text_col, id_col)):
                    if column not in record:
                        raise InputError(f"{name}: no {column!r} field (fields: {', '.join(record) or 'none'})")
            first = False
            doc_id = str(row)
            if isinstance(record, dict) and id_col is not None:
                if record.get(id_col) is None:
                    problem = problem or f"line {number} has no {id_col!r}"
                else:
                    doc_id = str(record[id_col])
            if problem is None and text_col not in record:
                problem = f"line {number} has no {text_col!r} field"
            yield doc_id, InputError(problem) if problem else _document(record[text_col])
    finally:
        if stream is not sys.stdin and stream is not getattr(sys.stdin, "buffer", None):
            stream.close()


def _csv_rows(path: Path, text_col: str, id_col: Optional[str]):
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # a C long everywhere
    handle = path.open(newline="", encoding="utf-8-sig")
    try:
        reader = csv.DictReader(handle)
        fields = reader.fieldnames or []
    except UnicodeDecodeError:
        handle.close()
        raise InputError(f"{path}: not valid UTF-8") from None
    for column in filter(None, (text_col, id_col)):
        if column not in fields:
            handle.close()
            raise InputError(f"{path}: no {column!r} column (columns: {', '.join(fields) or 'none'})")

    def rows():
        with handle:
            try:
                for row, record in enumerate(reader):
                    doc_id = str(record[id_col]) if id_col else str(row)
                    yield doc_id, _document(record[text_col] if record[text_col] is not None else "")
            except (UnicodeDecodeError, csv.Error) as err:
                raise InputError(f"{path}: cannot read it: {err}") from None
    return rows()


def _parquet_rows(path: Path, text_col: str, id_col: Optional[str]):
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except Exception as err:  # pyarrow raises its own errors for a file that is not Parquet
        raise InputError(f"{path}: not a readable Parquet file ({err})") from None
    names = parquet.schema_arrow.names
    for column in filter(None, (text_col, id_col)):
        if column not in names:
            raise InputError(f"{path}: no {column!r} column (columns: {', '.join(names) or 'none'})")
    columns = [text_col] + ([id_col] if id_col and id_col != text_col else [])

    def rows():
        row = 0
        for batch in parquet.iter_batches(batch_size=1024, columns=columns):
            texts = batch.column(text_col).to_pylist()
            ids = batch.column(id_col).to_pylist() if id_col else range(row, row + len(texts))
            for doc_id, text in zip(ids, texts):
                yield str(doc_id), _document(text)
            row += len(texts)
    return rows()


# ---------------------------------------------------------------- geoparsing

def _parse_chunk(items: list[tuple[int, str, object]], options: dict):
    """Geoparse one chunk: ``items`` are (doc number, doc id, text or error). Top level, so that a
    spawned worker process can run it. Returns the chunk's frame and its [(doc_id, message)]."""
    failures = {}
    texts = []
    for i, (_, doc_id, text) in enumerate(items):
        if isinstance(text, BaseException):
            failures[i] = str(text)
            texts.append("")
        else:
            texts.append(text)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            gdf = geoparse(texts, **options)
            failures.update({f.doc: f.error for f in gdf.attrs.get("failures", [])})
        except Exception:  # one document broke the pipeline: find it, keep the others
            frames = []
            for i, text in enumerate(texts):
                if i in failures:
                    continue
                try:
                    one = geoparse([text], **options)
                except Exception as err:
                    failures[i] = str(err) if isinstance(err, InputError) else f"{type(err).__name__}: {err}"
                    continue
                one["doc"] = i
                frames.append(one)
            gdf = geoparse([], **options) if not frames else gpd.GeoDataFrame(
                pd.concat(frames, ignore_index=True), geometry="geometry", crs="EPSG:4326")
    gdf = gdf[~gdf["doc"].isin(list(failures))].reset_index(drop=True)
    numbers = [number for number, _, _ in items]
    ids = [doc_id for _, doc_id, _ in items]
    gdf.insert(0, "doc_id", [ids[i] for i in gdf["doc"]])
    gdf["doc"] = [numbers[i] for i in gdf["doc"]]
    gdf = _normalise(gdf)
    return gdf, [(ids[i], message) for i, message in sorted(failures.items())]


def _parse_chunk_packed(items: list[tuple[int, str, object]], options: dict):
    """``_parse_chunk`` for a worker process: its frame packed for the trip back (see ``_pack``)."""
    gdf, failures = _parse_chunk(items, options)
    return _pack(gdf), failures


def _distinct_geometries(values: np.ndarray) -> tuple[list[int], np.ndarray]:
    """The row of each distinct geometry object's first use, and each row's index into those rows.

    Rows share objects: the gazetteer hands out one polygon per region, so a chunk names the same
    country polygons (tens of thousands of vertices each) in row after row."""
    first, index, seen = [], [], {}
    for row, geometry in enumerate(values):
        number = seen.setdefault(id(geometry), len(first))
        if number == len(first):
            first.append(row)
        index.append(number)
    return first, np.asarray(index, dtype=np.int64)


def _pack(gdf: gpd.GeoDataFrame) -> tuple:
    """A chunk's frame for pickling with each distinct geometry once: pickling the frame itself writes
    every row's polygon (a 100-document chunk of the benchmark's stories came to 220 MB)."""
    values = np.asarray(gdf.geometry.array)
    first, index = _distinct_geometries(values)
    attributes = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
    return attributes, shapely.to_wkb(values[first]), index, gdf.attrs


def _unpacked(result: tuple) -> tuple:
    """A worker's (packed frame, failures) as ``_parse_chunk`` returns them."""
    packed, failures = result
    return _unpack(packed), failures


def _unpack(packed: tuple) -> gpd.GeoDataFrame:
    """The frame ``_pack`` packed; rows that shared a geometry share it again."""
    attributes, wkb, index, attrs = packed
    gdf = gpd.GeoDataFrame(attributes, geometry=shapely.from_wkb(wkb)[index], crs="EPSG:4326")
    gdf.attrs = attrs
    return gdf


def _normalise(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The same dtypes in every chunk, empty or not, so that the parts of a dataset share one schema."""
    for column in STRING_COLUMNS:
        gdf[column] = gdf[column].astype("str")
    for column in BOOL_COLUMNS:
        gdf[column] = gdf[column].astype(bool)
    gdf["doc"] = gdf["doc"].astype("int64")
    return gdf


def _pairs(texts_or_pairs: Iterable) -> Iterator[tuple[int, str, object]]:
    for number, item in enumerate(texts_or_pairs):
        if isinstance(item, tuple):
            doc_id, text = item
            yield number, str(doc_id), text
        else:
            yield number, str(number), item


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def _frames(items: Iterable[tuple[int, str, object]], workers: int, chunk_size: int, progress: bool,
            options: dict, scheduler: Optional[str] = None) -> Iterator[tuple[list[str], gpd.GeoDataFrame]]:
    """(the chunk's doc ids, its frame) for each chunk of ``items``, in input order.

    With ``scheduler`` (a Dask distributed address, "tcp://host:port"), chunks run on that cluster's
    workers through the client's concurrent.futures executor; results come back to this process,
    which writes them, so the workers need no shared file system."""
    if chunk_size < 1:
        raise ValueError("chunk_size must be at least 1")
    bar = None
    if progress:
        from tqdm import tqdm
        bar = tqdm(unit="docs", desc="geoparsing", dynamic_ncols=True)
    places = 0

    def finish(chunk, result):
        nonlocal places
        gdf, failures = result
        gdf.attrs["failures"] = failures
        places += len(gdf)
        if bar is not None:
            bar.update(len(chunk))
            bar.set_postfix(places=places, failures=len(failures), refresh=False)
        return [doc_id for _, doc_id, _ in chunk], gdf

    try:
        if scheduler:
            with _dask_executor(scheduler) as (pool, slots):
                yield from _in_order(pool, _chunks(items, chunk_size), 2 * slots, options, finish)
            return
        if workers <= 1:
            for chunk in _chunks(items, chunk_size):
                yield finish(chunk, _parse_chunk(chunk, options))
            return
        with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
            yield from _in_order(pool, _chunks(items, chunk_size), 2 * workers, options, finish)
    finally:
        if bar is not None:
            bar.close()


def _in_order(pool, chunks: Iterator[list], window: int, options: dict, finish):
    """A bounded window of chunks in flight, yielded in input order: flat memory, same order as one worker."""
    pending = deque()
    for chunk in chunks:
        pending.append((chunk, pool.submit(_parse_chunk_packed, chunk, options)))
        if len(pending) >= window:
            chunk, future = pending.popleft()
            yield finish(chunk, _unpacked(future.result()))
    while pending:
        chunk, future = pending.popleft()
        yield finish(chunk, _unpacked(future.result()))


@contextmanager
def _dask_executor(scheduler: str):
    """A concurrent.futures executor on a Dask distributed cluster, and how many tasks it runs at once."""
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


def geoparse_batch(texts_or_pairs: Iterable, *, workers: int = 1, chunk_size: int = 100, progress: bool = False,
                   scheduler: Optional[str] = None, **geoparse_options) -> Iterator[gpd.GeoDataFrame]:
    """Geoparse many documents, yielding one GeoDataFrame per chunk of ``chunk_size`` documents.

    Each item is a text (its id is its running number) or a ``(doc_id, text)`` pair; the text may be an
    ``InputError`` (as ``read_documents`` yields for an unreadable document). Each frame has the columns of
    ``geoparse`` with ``doc_id`` (str) first, and ``doc`` is the document's number in the whole input.
    A document that fails is left out and listed in its chunk's ``gdf.attrs["failures"]`` as
    ``(doc_id, message)``. ``workers > 1`` geoparses chunks in that many processes (each loads the spaCy
    model); ``scheduler="tcp://host:port"`` runs the chunks on a Dask distributed cluster instead. Chunks
    still come out in input order. ``progress=True`` shows a progress bar. ``geoparse_options`` (``country_hint``, ``modifiers``, ``demonyms``) are passed to ``geoparse``.
    """
    for _, gdf in _frames(_pairs(texts_or_pairs), workers, chunk_size, progress, geoparse_options, scheduler):
        yield gdf


# ---------------------------------------------------------------- output

class _Failures:
    """The side table of failed documents: kept in memory (ids and messages only), rewritten whole when
    it changes. Documents that failed before and are processed again leave it unless they fail again."""

    def __init__(self, path: Path):
        self.path = path
        self.table: dict[str, str] = {}
        if path.exists():
            if path.suffix == ".parquet":
                import pyarrow.parquet as pq
                data = pq.read_table(path).to_pydict()
                self.table = dict(zip(data["doc_id"], data["error"]))
            else:
                for line in path.read_text(encoding="utf-8").splitlines():
                    if line.strip():
                        record = json.loads(line)
                        self.table[record["doc_id"]] = record["error"]

    def update(self, processed: Iterable[str], failures: list[tuple[str, str]]) -> None:
        changed = bool(failures)
        for doc_id in processed:
            changed |= self.table.pop(doc_id, None) is not None
        self.table.update(failures)
        if changed:
            self.save()

    def save(self) -> None:
        temporary = self.path.with_name(self.path.name + ".tmp")
        if self.path.suffix == ".parquet":
            import pyarrow as pa
            import pyarrow.parquet as pq
            pq.write_table(pa.table({"doc_id": pa.array(list(self.table), pa.string()),
                                     "error": pa.array(list(self.table.values()), pa.string())}), temporary)
        else:
            with temporary.open("w", encoding="utf-8") as handle:
                for doc_id, error in self.table.items():
                    handle.write(json.dumps({"doc_id": doc_id, "error": error}, ensure_ascii=False) + "\n")
        os.replace(temporary, self.path)


def _read_done(path: Path) -> set[str]:
    if not path.exists():
        return set()
    done = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            done.add(json.loads(line))
        except ValueError:  # a line cut short by a crash
            pass
    return done


class _Writer:
    """One output format: the ids already written, then chunk after chunk, then close."""

    def __init__(self, out: Path):
        self.out = out

    def written_ids(self, done: set[str]) -> set[str]:
        """The ids of documents wholly in the output, given those the done list names."""
        return set()

    def write(self, gdf: gpd.GeoDataFrame) -> None:
        raise NotImplementedError

    def close(self) -> None:
        pass


class _ParquetWriter(_Writer):
    """A folder of GeoParquet parts, one per chunk with places: part-00000.parquet, part-00001.parquet…"""

    def __init__(self, out: Path):
        super().__init__(out)
        out.mkdir(parents=True, exist_ok=True)
        for stale in out.glob("*.tmp"):
            stale.unlink()
        self.parts = sorted(out.glob("part-*.parquet"))
        self.next = 1 + max((int(p.stem.split("-")[1]) for p in self.parts if p.stem.split("-")[1].isdigit()),
                            default=-1)

    def written_ids(self, done):  # a part is written whole (renamed into place), so every id in it is done
        import pyarrow.parquet as pq
        ids = set()
        for part in self.parts:
            ids.update(pq.read_table(part, columns=["doc_id"]).column("doc_id").to_pylist())
        return ids

    def write(self, gdf):
        if len(gdf):
            import pyarrow.parquet as pq
            path = self.out / f"part-{self.next:05d}.parquet"
            temporary = path.with_name(path.name + ".tmp")
            pq.write_table(_parquet_table(gdf), temporary, compression="snappy")
            os.replace(temporary, path)
            self.next += 1


def _parquet_table(gdf: gpd.GeoDataFrame):
    """The Arrow table ``gdf.to_parquet(index=False)`` writes, with each distinct geometry encoded to WKB
    once (see ``_distinct_geometries``): encoding every row's copy, then Arrow's ``take``, cost most of
    the writer's time and at their peak more memory than the spaCy model. Built with the helpers
    geopandas' own writer uses (geopandas is pinned); tests compare the two files."""
    import pyarrow as pa
    from geopandas.io._geoarrow import construct_wkb_array
    from geopandas.io.arrow import _create_metadata, _encode_metadata

    name = gdf.geometry.name
    values = np.asarray(gdf.geometry.array)
    first, index = _distinct_geometries(values)
    field, distinct = construct_wkb_array(values[first], field_name=name, crs=gdf.crs)
    attributes = pd.DataFrame(gdf.copy(deep=False))
    attributes[name] = None  # an Arrow null column, replaced below
    table = pa.Table.from_pandas(attributes, preserve_index=False)
    column = _repeated_binary(distinct.to_pylist(), index)
    table = table.set_column(table.schema.get_field_index(name), field, column)
    metadata = table.schema.metadata
    # the same set of geometries, so the same bounding box and geometry types as the whole column
    metadata[b"geo"] = _encode_metadata(_create_metadata(gdf.iloc[first], geometry_encoding={name: "WKB"}))
    if gdf.attrs:
        metadata["PANDAS_ATTRS"] = json.dumps(gdf.attrs)
    return table.replace_schema_metadata(metadata)


def _repeated_binary(values: list[Optional[bytes]], index: np.ndarray):
    """``values[index]`` as an Arrow binary column, each row's bytes copied once (Arrow's ``take`` grew
    its buffer to three times the column's size); in pieces under 2 GB."""
    import pyarrow as pa
    parts = [np.frombuffer(v, np.uint8) if v is not None else np.empty(0, np.uint8) for v in values]
    valid = np.array([v is not None for v in values], dtype=bool)
    pieces, rows, size = [], [], 0
    for row in index:
        if rows and size + len(parts[row]) > MAX_ARRAY_BYTES:
            pieces.append(_binary_array(parts, valid, rows))
            rows, size = [], 0
        rows.append(row)
        size += len(parts[row])
    pieces.append(_binary_array(parts, valid, rows))
    return pa.chunked_array(pieces, pa.binary())


def _binary_array(parts: list[np.ndarray], valid: np.ndarray, rows: list[int]):
    import pyarrow as pa
    offsets = np.zeros(len(rows) + 1, dtype=np.int32)
    np.cumsum([len(parts[row]) for row in rows], out=offsets[1:])
    data = np.concatenate([parts[row] for row in rows]) if rows else np.empty(0, np.uint8)
    mask = valid[rows]
    validity = None if mask.all() else pa.array(mask).buffers()[1]
    return pa.Array.from_buffers(pa.binary(), len(rows), [validity, pa.py_buffer(offsets), pa.py_buffer(data)])


class _GeoJSONLinesWriter(_Writer):
    """One RFC 7946 Feature a line. On resume the file is cut back to the documents the done list names:
    what follows them is a chunk a crash cut short (written before its ids reached the done list)."""

    def written_ids(self, done):
        ids = set()
        if not self.out.exists():
            return ids
        with self.out.open("rb+") as handle:
            good = 0
            for line in handle:
                if not line.endswith(b"\n"):
                    break  # a line cut short by a crash: drop it
                try:
                    doc_id = json.loads(line)["properties"]["doc_id"]
                except (ValueError, KeyError, TypeError):
                    break
                if doc_id not in done:
                    break
                ids.add(doc_id)
                good += len(line)
            handle.truncate(good)
        return ids

    def write(self, gdf):
        if len(gdf):
            with self.out.open("a", encoding="utf-8") as handle:
                for feature in feature_texts(gdf):
                    handle.write(feature + "\n")


class _GeoPackageWriter(_Writer):
    """A GeoPackage layer ``places``, appended chunk by chunk."""

    def written_ids(self, done):  # each chunk is appended in one transaction
        if not self.out.exists():
            return set()
        import pyogrio
        if "places" not in {name for name, _ in pyogrio.list_layers(self.out)}:
            return set()
        frame = pyogrio.read_dataframe(self.out, layer="places", columns=["doc_id"], read_geometry=False)
        return set(frame["doc_id"].astype(str))

    def write(self, gdf):
        if len(gdf):
            gdf.to_file(self.out, layer="places", driver="GPKG", mode="a" if self.out.exists() else "w",
                        geometry_type="Unknown")


class _GeoJSONWriter(_Writer):
    """A FeatureCollection written as it goes: a header line, one Feature a line separated by commas, and
    a footer on close. On resume the footer, and any features after the documents the done list names
    (a chunk a crash cut short), are cut off and writing goes on."""

    HEADER = '{"type":"FeatureCollection","features":[\n'
    FOOTER = "\n]}\n"

    def __init__(self, out: Path):
        super().__init__(out)
        self.count = 0

    def written_ids(self, done):
        ids = set()
        if not self.out.exists() or self.out.stat().st_size == 0:
            self.out.write_text(self.HEADER, encoding="utf-8")
            return ids
        with self.out.open("rb+") as handle:
            if handle.readline().decode("utf-8", "replace") != self.HEADER:
                raise InputError(f"{self.out}: not a GeoJSON file geomap batch wrote; cannot resume it")
            position = keep = handle.tell()
            for line in handle:
                body = line.rstrip(b"\r\n").rstrip(b",")
                try:
                    doc_id = json.loads(body)["properties"]["doc_id"]
                except (ValueError, KeyError, TypeError):
                    break  # the footer, or a feature cut short by a crash
                if doc_id not in done:
                    break
                ids.add(doc_id)
                keep = position + len(body)
                position += len(line)
                self.count += 1
            handle.truncate(keep)  # the end of the last whole feature, without separator or footer
        return ids

    def write(self, gdf):
        if len(gdf):
            with self.out.open("a", encoding="utf-8") as handle:
                for feature in feature_texts(gdf):
                    handle.write(("" if self.count == 0 else ",\n") + feature)
                    self.count += 1

    def close(self):
        with self.out.open("a", encoding="utf-8") as handle:
            handle.write(self.FOOTER)


def _writer_and_sidecars(out: Path) -> tuple[_Writer, Path, Path]:
    suffix = out.suffix.lower()
    if suffix in (".parquet", ""):
        return _ParquetWriter(out), out / "_done.txt", out / "_failures.parquet"
    writers = {".geojsonl": _GeoJSONLinesWriter, ".gpkg": _GeoPackageWriter, ".geojson": _GeoJSONWriter}
    if suffix not in writers:
        raise InputError(f"{out}: unsupported output; end it in {', '.join(OUTPUT_SUFFIXES)}")
    if out.is_dir():
        raise InputError(f"{out}: is a folder")
    out.parent.mkdir(parents=True, exist_ok=True)
    return (writers[suffix](out), out.with_name(out.name + ".done"),
            out.with_name(out.name + ".failures.jsonl"))


def write_batch(source, out: Union[str, os.PathLike], *, workers: Optional[int] = None, text_col: str = "text",
                id_col: Optional[str] = None, chunk_size: int = 100, quiet: bool = False,
                scheduler: Optional[str] = None, **geoparse_options) -> dict:
    """Geoparse every document of ``source`` and write the places to ``out``, chunk by chunk.

    ``source`` is what ``read_documents`` reads (a folder, .jsonl, .csv, .parquet, ``-``) or an iterable of
    texts or ``(doc_id, text)`` pairs. The format of ``out`` follows its suffix: ``.parquet`` (or none) a
    folder of GeoParquet parts plus ``_failures.parquet``; ``.geojsonl`` one Feature a line; ``.gpkg`` a
    GeoPackage layer ``places``; ``.geojson`` one FeatureCollection. Failed documents go to
    ``<out>.failures.jsonl`` (or the folder's ``_failures.parquet``), with ``doc_id`` and ``error``.

    Resumable: the ids of documents done (written, or with no places) are listed in ``<out>.done``
    (``_done.txt`` in a Parquet folder); a rerun skips them and retries the failures. Returns
    ``{"documents", "skipped", "places", "failures", "seconds"}`` for this run.
    """
    began = time.perf_counter()
    out = Path(out)
    if isinstance(source, (str, os.PathLike)):
        documents = read_documents(source, text_col=text_col, id_col=id_col)
    else:
        documents = (item if isinstance(item, tuple) else (str(n), item) for n, item in enumerate(source))
    writer, done_path, failures_path = _writer_and_sidecars(out)
    done = _read_done(done_path)
    done |= writer.written_ids(done)
    failure_table = _Failures(failures_path)
    summary = {"documents": 0, "skipped": 0, "places": 0, "failures": 0}

    def todo():
        for number, (doc_id, text) in enumerate(documents):
            doc_id = str(doc_id)
            if doc_id in done:
                summary["skipped"] += 1
            else:
                done.add(doc_id)  # a duplicate id later in the input is not processed twice
                yield number, doc_id, text

    workers = (os.cpu_count() or 1) if workers is None else workers
    try:
        with done_path.open("a", encoding="utf-8") as done_file:
            for processed, gdf in _frames(todo(), workers, chunk_size, not quiet, geoparse_options, scheduler):
                failures = gdf.attrs["failures"]
                failed = {doc_id for doc_id, _ in failures}
                writer.write(gdf)
                done_file.writelines(json.dumps(doc_id) + "\n" for doc_id in processed if doc_id not in failed)
                done_file.flush()
                failure_table.update(processed, failures)
                summary["documents"] += len(processed)
                summary["places"] += len(gdf)
                summary["failures"] += len(failures)
    finally:
        writer.close()
    summary["seconds"] = round(time.perf_counter() - began, 3)
    return summary
