"""Macro-regions (Middle East, Balkans, Sahel, EU ...): geomap's macroregions.tsv, each the union of its
member countries."""
from __future__ import annotations

from ..common import Place, read_tsv
from ..geometry import union
from ..writer import GazetteerWriter


def add_macroregions(gaz: GazetteerWriter) -> dict[str, int]:
    rows = read_tsv("macroregions.tsv")
    for row in rows:
        codes = [c.strip() for c in row["countries"].split(",") if c.strip()]
        members = [gaz.country(c, f"macroregions.tsv ({row['name']})") for c in codes]
        place = gaz.add(Place(
            name=row["name"], feature="RGN", lat=float(row["lat"]), lon=float(row["lon"]), source="geomap",
            population=sum(m.population for m in members), shape=union([m.shape for m in members]),
        ))
        place.add_curated_names(row["aliases"].split("|"))
    return {"macro-regions": len(rows)}
