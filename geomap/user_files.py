"""Reading a file of places for ``geomap gazetteer add``: any vector file GDAL reads (through pyogrio), or a
CSV with longitude and latitude columns, as a GeoDataFrame in EPSG:4326. Every problem is a UserDataError
that names the file and, where it is one row's, the row (counted from 1, the first after a CSV's header)."""
from __future__ import annotations

import csv
import math
from pathlib import Path
from typing import Optional

from .errors import UserDataError

LON_COLUMNS = ("lon", "lng", "longitude", "x")
LAT_COLUMNS = ("lat", "latitude", "y")
CSV_SUFFIXES = (".csv", ".tsv")


def read_places_file(path: Path, *, lon: Optional[str] = None, lat: Optional[str] = None,
                     layer: Optional[str] = None):
    """The file as a GeoDataFrame in EPSG:4326; a CSV's points from its ``lon`` and ``lat`` columns (default:
    the first column called lon, lng, longitude or x, and lat, latitude or y, in any case)."""
    path = Path(path)
    if not path.exists():
        raise UserDataError(f"{path}: no such file")
    if path.suffix.lower() in CSV_SUFFIXES:
        return read_csv(path, lon, lat)
    return read_vector(path, layer)


def read_vector(path: Path, layer: Optional[str]):
    import geopandas
    import pyogrio
    import pyproj
    try:
        layers = [name for name, _ in pyogrio.list_layers(path)]
        if layer is None and len(layers) > 1:
            raise UserDataError(f"{path}: has {len(layers)} layers ({', '.join(layers)}): choose one with --layer")
        frame = pyogrio.read_dataframe(path, layer=layer)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as err:
        raise UserDataError(f"{path}: cannot read it as a vector file ({first_line(err)})") from None
    if not isinstance(frame, geopandas.GeoDataFrame):
        raise UserDataError(f"{path}: has no geometry (a CSV needs a .csv name and lon/lat columns)")
    if frame.crs is None:
        if len(frame) and not frame.geometry.isna().all() and not looks_like_degrees(frame.total_bounds):
            raise UserDataError(f"{path}: has no coordinate system and its coordinates are not degrees")
        return frame.set_crs(4326)
    if frame.crs.to_epsg() == 4326:
        return frame
    try:
        return frame.to_crs(4326)
    except pyproj.exceptions.ProjError as err:  # CRSError too
        raise UserDataError(f"{path}: cannot reproject it from {frame.crs.name} to EPSG:4326 ({err})") from None


def read_csv(path: Path, lon: Optional[str], lat: Optional[str]):
    """A CSV (comma, semicolon or tab separated, a header row first) with one point a row."""
    import geopandas
    import pandas
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            sample = f.read(65536)
            f.seek(0)
            reader = csv.reader(f, csv_dialect(sample))
            columns = next(reader, [])
            rows = [dict(zip(columns, cells)) for cells in reader if any(cell.strip() for cell in cells)]
    except (UnicodeDecodeError, csv.Error) as err:
        raise UserDataError(f"{path}: cannot read it as a UTF-8 CSV ({err})") from None
    lon = lon or find_column(columns, LON_COLUMNS)
    lat = lat or find_column(columns, LAT_COLUMNS)
    if lon is None or lat is None:
        raise UserDataError(f"{path}: no coordinate columns (lon/lng/longitude/x and lat/latitude/y, or --lon and "
                            f"--lat); its columns are {listed(columns)}")
    for column in (lon, lat):
        require_field(path, column, columns)
    points = [row_point(path, number, row, lon, lat) for number, row in enumerate(rows, start=1)]
    geometry = geopandas.points_from_xy([x for x, _ in points], [y for _, y in points])
    return geopandas.GeoDataFrame(pandas.DataFrame(rows, columns=columns), geometry=geometry, crs=4326)


def csv_dialect(sample: str):
    """Comma, semicolon or tab, as the file's first lines suggest; a comma when they say nothing."""
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        return csv.excel


def row_point(path: Path, number: int, row: dict, lon: str, lat: str) -> tuple[float, float]:
    try:
        x, y = float(row.get(lon, "")), float(row.get(lat, ""))
    except ValueError:
        raise UserDataError(f"{path}: row {number} has coordinates that are not numbers "
                            f"({lon}={row.get(lon, '')!r}, {lat}={row.get(lat, '')!r})") from None
    if not (math.isfinite(x) and math.isfinite(y) and looks_like_degrees((x, y, x, y))):
        raise UserDataError(f"{path}: row {number} has coordinates outside longitude/latitude ({x}, {y})")
    return x, y


def find_column(columns: list[str], wanted: tuple[str, ...]) -> Optional[str]:
    by_lower = {c.strip().lower(): c for c in columns}
    return next((by_lower[w] for w in wanted if w in by_lower), None)


def require_field(path: Path, name: Optional[str], columns) -> None:
    if name is not None and name not in columns:
        raise UserDataError(f"{path}: no field {name!r}; its fields are {listed(columns)}")


def listed(columns) -> str:
    return ", ".join(c for c in columns if c != "geometry") or "none"


def looks_like_degrees(bounds) -> bool:
    west, south, east, north = bounds
    return -180 <= west <= east <= 180 and -90 <= south <= north <= 90


def first_line(err: BaseException) -> str:
    """GDAL's reason without its advice on drivers."""
    message = str(err).strip().splitlines()[0].split("; It might help")[0] if str(err).strip() else ""
    return message.rstrip(".") or type(err).__name__
