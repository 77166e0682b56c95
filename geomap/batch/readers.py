"""Readers: a folder of .txt, .html and .pdf files, JSON Lines, CSV, Parquet or standard input, as a
stream of ``(text, doc_id)`` pairs (spaCy's ``as_tuples`` order); a document that cannot be read comes with an
``InputError`` for its text."""
from __future__ import annotations

import csv
import itertools
import json
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Iterator, Optional, Union

from ..errors import InputError
from ..inputs import as_text

JSONL_SUFFIXES = {".jsonl", ".ndjson"}


def read_documents(source: Union[str, os.PathLike], *, text_col: str = "text",
                   id_col: Optional[str] = None) -> Iterator[tuple[Union[str, InputError], str]]:
    """Stream ``(text, doc_id)`` pairs from ``source``.

    ``source`` is a folder of ``.txt``, ``.html``/``.htm`` and ``.pdf`` files (read by
    ``geomap.documents.read_document``; id: the file name without suffix, in sorted order), a
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
    """The folder's .txt, .html, .htm and .pdf files, in sorted order, each read as geomap.documents
    reads it. The id is the name without suffix, or the whole name where two files share it (a.txt,
    a.pdf), so that no two documents have one id."""
    from ..documents import documents_in, read_document
    files = documents_in(path)
    stems = Counter(file.stem for file in files)
    for file in files:
        doc_id = file.stem if stems[file.stem] == 1 else file.name
        try:
            yield read_document(file).text, doc_id
        except InputError as err:
            yield err, doc_id


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
            yield (InputError(problem) if problem else _document(record[text_col])), doc_id
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
                    yield _document(record[text_col] if record[text_col] is not None else ""), doc_id
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
                yield _document(text), str(doc_id)
            row += len(texts)
    return rows()
