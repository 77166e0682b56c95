"""geomap's own name tables: aliases.tsv (country names the sources lack), abbreviations.tsv (AP-style
state and province abbreviations) and demonyms.tsv (demonyms countryinfo lacks, and those of regions,
continents and macro-regions). Each adds names to places earlier steps added."""
from __future__ import annotations

from geomap.names import name_key

from ..common import Place, read_tsv
from ..writer import GazetteerWriter


def add_country_aliases(gaz: GazetteerWriter) -> dict[str, int]:
    rows = read_tsv("aliases.tsv")
    for row in rows:  # curated: short forms such as "UK" are meant
        gaz.country(row["country_code"], "aliases.tsv").names.setdefault(name_key(row["alias"]), "alias")
    return {"country aliases": len(rows)}


def region(gaz: GazetteerWriter, row: dict, where: str) -> Place:
    """The first-level region a table row names by country code and region name."""
    found = gaz.regions_by_key.get((row["country_code"], name_key(row["region"])))
    if found is None:
        raise SystemExit(f"{where}: no region {row['region']!r} in {row['country_code']}")
    return found


def add_region_abbreviations(gaz: GazetteerWriter) -> dict[str, int]:
    rows = read_tsv("abbreviations.tsv")
    for row in rows:
        region(gaz, row, "abbreviations.tsv").names[name_key(row["abbreviation"])] = "abbreviation"
    return {"abbreviations": len(rows)}


def add_demonyms(gaz: GazetteerWriter) -> dict[str, int]:
    """demonyms.tsv: a country's (region empty), a first-level region's, or a continent's or
    macro-region's (country code empty)."""
    wide = {name_key(p.name): p for p in gaz.places if p.feature in ("CONT", "RGN")}
    rows = read_tsv("demonyms.tsv")
    for row in rows:
        code, name = row["country_code"], row["region"]
        place = (wide.get(name_key(name)) if not code else gaz.regions_by_key.get((code, name_key(name))) if name
                 else gaz.country(code, "demonyms.tsv"))
        if place is None:
            raise SystemExit(f"demonyms.tsv: no region {name!r} in {code or 'the continents and macro-regions'}")
        place.add_names([row["demonym"]], "demonym")
    return {"demonyms": len(rows)}
