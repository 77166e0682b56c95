"""Writers: one output format each, chunk after chunk, resumable; thin over geopandas' and pyogrio's
public writers (GeoParquet, GeoPackage) and ``export.feature_texts`` (GeoJSON, GeoJSON Lines).
Also the side files of a batch: the done list and the failures table."""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator

import numpy as np
import shapely

from ..errors import Failure, InputError

if TYPE_CHECKING:   # GeoPandas is imported where a frame is read or written (see geomap.batch)
    import geopandas as gpd

OUTPUT_SUFFIXES = (".parquet", ".geojsonl", ".gpkg", ".geojson")
# A GeoParquet part holds every row's own WKB copy (countries named in row after row), and to_parquet
# briefly needs several times that: a chunk's rows go into parts of about this much geometry, cut between
# documents (100 seed stories, 211 MB of row WKB: +600 MB peak in one part, +155 MB in 32 MB parts).
PART_GEOMETRY_BYTES = 32 * 2**20


class FailureTable:
    """The side table of failed documents, as ``Failure`` records: kept in memory (no texts), rewritten
    whole when it changes. Documents that failed before and are processed again leave it unless they
    fail again."""

    def __init__(self, path: Path):
        self.path = path
        self.table: dict[str, Failure] = {}
        if path.exists():
            for record in self._records():
                failure = Failure(**{field: record.get(field) for field in Failure._fields})
                self.table[failure.doc_id] = failure

    def _records(self) -> Iterator[dict]:
        if self.path.suffix == ".parquet":
            import pyarrow.parquet as pq
            yield from pq.read_table(self.path).to_pylist()
        else:
            lines = self.path.read_text(encoding="utf-8").splitlines()
            yield from (json.loads(line) for line in lines if line.strip())

    def update(self, processed: Iterable[str], failures: list[Failure]) -> None:
        changed = bool(failures)
        for doc_id in processed:
            changed |= self.table.pop(doc_id, None) is not None
        self.table.update((failure.doc_id, failure) for failure in failures)
        if changed:
            self.save()

    def save(self) -> None:
        temporary = self.path.with_name(self.path.name + ".tmp")
        records = [failure._asdict() for failure in self.table.values()]
        if self.path.suffix == ".parquet":
            import pyarrow as pa
            import pyarrow.parquet as pq
            schema = pa.schema([("doc", pa.int64()), ("doc_id", pa.string()), ("stage", pa.string()),
                                ("error", pa.string())])
            pq.write_table(pa.Table.from_pylist(records, schema=schema), temporary)
        else:
            with temporary.open("w", encoding="utf-8") as handle:
                handle.writelines(json.dumps(record, ensure_ascii=False) + "\n" for record in records)
        os.replace(temporary, self.path)


def read_done(path: Path) -> set[str]:
    if not path.exists():
        return set()
    done = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            done.add(json.loads(line))
        except ValueError:  # a line cut short by a crash
            pass
    return done


class Writer:
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


class ParquetWriter(Writer):
    """A folder of GeoParquet parts, each written by ``GeoDataFrame.to_parquet``: part-00000.parquet…"""

    def __init__(self, out: Path):
        super().__init__(out)
        out.mkdir(parents=True, exist_ok=True)
        for stale in out.glob("*.tmp"):
            stale.unlink()
        self.parts = sorted(out.glob("part-*.parquet"))
        self.next = 1 + max((int(p.stem.split("-")[1]) for p in self.parts if p.stem.split("-")[1].isdigit()),
                            default=-1)

    def written_ids(self, done):
        # a part is written whole (renamed into place) and holds whole documents, so every id in it is done
        import pyarrow.parquet as pq
        ids = set()
        for part in self.parts:
            ids.update(pq.read_table(part, columns=["doc_id"]).column("doc_id").to_pylist())
        return ids

    def write(self, gdf):
        for rows in document_slices(gdf, PART_GEOMETRY_BYTES):
            part = gdf.iloc[rows]
            part.attrs = {}  # the failures live in the side table, not in every part
            path = self.out / f"part-{self.next:05d}.parquet"
            temporary = path.with_name(path.name + ".tmp")
            part.to_parquet(temporary, index=False)
            os.replace(temporary, path)
            self.next += 1


def document_slices(gdf: gpd.GeoDataFrame, budget: int) -> Iterator[slice]:
    """Row slices of ``gdf`` with about ``budget`` bytes of WKB each, never splitting a document (so a
    part that reached the disk holds its documents whole). Rows are in document order."""
    if not len(gdf):
        return
    sizes = 16 * shapely.get_num_coordinates(np.asarray(gdf.geometry.array))  # a WKB coordinate pair
    docs = gdf["doc"].to_numpy()
    start, size = 0, 0
    for row in range(len(gdf)):
        if row > start and size >= budget and docs[row] != docs[row - 1]:
            yield slice(start, row)
            start, size = row, 0
        size += int(sizes[row])
    yield slice(start, len(gdf))


class GeoJSONLinesWriter(Writer):
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
        from ..export import feature_texts
        if len(gdf):
            with self.out.open("a", encoding="utf-8") as handle:
                for feature in feature_texts(gdf):
                    handle.write(feature + "\n")


class GeoPackageWriter(Writer):
    """A GeoPackage layer ``places``, appended chunk by chunk (each chunk in one transaction)."""

    def written_ids(self, done):
        if not self.out.exists():
            return set()
        import pyogrio
        if "places" not in {name for name, _ in pyogrio.list_layers(self.out)}:
            return set()
        frame = pyogrio.read_dataframe(self.out, layer="places", columns=["doc_id"], read_geometry=False)
        return set(frame["doc_id"].astype(str))

    def write(self, gdf):
        if len(gdf):
            import pyogrio
            pyogrio.write_dataframe(gdf, self.out, layer="places", driver="GPKG", append=self.out.exists(),
                                    geometry_type="Unknown")


class GeoJSONWriter(Writer):
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
        from ..export import feature_texts
        if len(gdf):
            with self.out.open("a", encoding="utf-8") as handle:
                for feature in feature_texts(gdf):
                    handle.write(("" if self.count == 0 else ",\n") + feature)
                    self.count += 1

    def close(self):
        with self.out.open("a", encoding="utf-8") as handle:
            handle.write(self.FOOTER)


WRITERS = {".geojsonl": GeoJSONLinesWriter, ".gpkg": GeoPackageWriter, ".geojson": GeoJSONWriter}


def open_output(out: Path) -> tuple[Writer, Path, Path]:
    """The writer for ``out`` (by its suffix), its done list and its failures table."""
    suffix = out.suffix.lower()
    if suffix in (".parquet", ""):
        return ParquetWriter(out), out / "_done.txt", out / "_failures.parquet"
    if suffix not in WRITERS:
        raise InputError(f"{out}: unsupported output; end it in {', '.join(OUTPUT_SUFFIXES)}")
    if out.is_dir():
        raise InputError(f"{out}: is a folder")
    out.parent.mkdir(parents=True, exist_ok=True)
    return WRITERS[suffix](out), out.with_name(out.name + ".done"), out.with_name(out.name + ".failures.jsonl")


def read_output(out: Path) -> gpd.GeoDataFrame:
    """The places a batch wrote to ``out`` (any of ``OUTPUT_SUFFIXES``; a .parquet folder or one part),
    as one GeoDataFrame in EPSG:4326 with the columns of ``geoparse`` and ``doc_id``."""
    import geopandas as gpd
    out = Path(out)
    suffix = out.suffix.lower()
    if not out.exists():
        raise InputError(f"{out}: no such file or folder")
    if suffix == ".parquet" or out.is_dir():
        # the folder as one dataset: its side files (_done.txt, _failures.parquet) start with "_" and are skipped
        gdf = gpd.read_parquet(out) if out.is_file() or any(out.glob("part-*.parquet")) else None
        if gdf is None:
            raise InputError(f"{out}: no GeoParquet parts (part-*.parquet) in this folder")
    elif suffix == ".gpkg":
        gdf = gpd.read_file(out, layer="places")
    elif suffix in (".geojsonl", ".geojson"):
        gdf = _read_features(out)
    else:
        raise InputError(f"{out}: not a batch output; give a .parquet folder, .geojsonl, .gpkg or .geojson")
    if "doc_id" in gdf.columns:
        gdf["doc_id"] = gdf["doc_id"].astype(str)
    return gdf.set_crs("EPSG:4326", allow_override=True) if gdf.crs is None else gdf.to_crs("EPSG:4326")


def _read_features(out: Path) -> gpd.GeoDataFrame:
    """GeoJSON Lines, or the FeatureCollection the batch writes (one Feature a line between a header and a
    footer, or any FeatureCollection). Read with json rather than GDAL, which guesses a type per column."""
    import geopandas as gpd

    from ..export import COLUMNS, EXTENT_COLUMNS
    text = out.read_text(encoding="utf-8")
    if out.suffix.lower() == ".geojson":
        features = json.loads(text)["features"]
    else:
        features = [json.loads(line) for line in text.splitlines() if line.strip()]
    seen = dict.fromkeys(key for feature in features for key in feature["properties"])
    # a row without an extent was written without the extent columns (export.feature_texts): put them back
    known = [c for c in ("doc_id", *COLUMNS) if c in seen or (bool(features) and c in EXTENT_COLUMNS)]
    columns = known + [c for c in seen if c not in known]
    return gpd.GeoDataFrame.from_features(features, crs="EPSG:4326", columns=columns + ["geometry"])
