"""Physical features and special areas (seas, straits, rivers, mountains, disputed areas ...): geomap's
features.tsv, stored with a representative point and a bounding box (no polygon)."""
from __future__ import annotations

from ..common import Place, read_tsv
from ..writer import GazetteerWriter


def add_features(gaz: GazetteerWriter) -> dict[str, int]:
    rows = read_tsv("features.tsv")
    for row in rows:
        countries = [c for c in row["countries"].split(",") if c]
        west, south, east, north = (float(row[k]) for k in ("west", "south", "east", "north"))
        place = gaz.add(Place(
            name=row["name"], feature=row["feature"], lat=float(row["lat"]), lon=float(row["lon"]),
            source="geomap", country_code=countries[0] if len(countries) == 1 else None,
            bbox=(west, south, east, north),
        ))
        place.add_curated_names(row["aliases"].split("|"))
    return {"features": len(rows)}
