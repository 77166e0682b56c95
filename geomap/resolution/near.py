"""The user's prior: where the documents come from ("Macon, Georgia" for a paper published there).

No corpus says where its papers are published, so this evidence is not learned: its weights are set
by hand, as strong as a "Town, Province" pair in the text, and only ever added to local places (a
town, a county, a province), never to countries, which the text itself names.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional

from ..models import Candidate
from .context import NEARBY_KM

NEAR_TOWN_WEIGHT = 3.0      # a town or county within NEARBY_KM of the place given
NEAR_PROVINCE_WEIGHT = 2.0  # a town, county or province in the province of the place given


@dataclass(frozen=True, slots=True)
class Near:
    """The place the documents come from: a point (a town, or coordinates) or a region."""
    name: str
    lat: float
    lon: float
    country_code: Optional[str] = None
    admin1: Optional[str] = None
    kind: str = "point"   # point: nearness counts; region: being inside its province or country counts

    @classmethod
    def of_candidate(cls, candidate: Candidate) -> "Near":
        kind = "point" if candidate.kind == "point" or candidate.feature == "ADM2" else "region"
        admin1 = None if candidate.is_country else candidate.admin1
        return cls(candidate.name, candidate.lat, candidate.lon, candidate.country_code, admin1, kind)

    @classmethod
    def of_point(cls, lat: float, lon: float) -> "Near":
        lat, lon = float(lat), float(lon)
        if not (-90 <= lat <= 90 and -180 <= lon <= 180) or math.isnan(lat) or math.isnan(lon):
            raise ValueError(f"near: ({lat}, {lon}) is not a (latitude, longitude) pair")
        return cls(f"{lat:.4f}, {lon:.4f}", lat, lon)

    def km_to(self, lat: float, lon: float) -> float:
        from geopy.distance import great_circle
        return great_circle((self.lat, self.lon), (lat, lon)).km

    def weight(self, candidate: Candidate) -> float:
        """What the prior adds to a candidate's weight (the country is left to ``country_hint``)."""
        if candidate.is_country or candidate.feature in ("CONT", "RGN"):
            return 0.0
        local_point = candidate.kind == "point" or candidate.feature == "ADM2"
        out = 0.0
        # a degree of latitude is 111 km everywhere: most candidates are ruled out before geopy is asked
        if self.kind == "point" and local_point and abs(candidate.lat - self.lat) * 111.0 <= NEARBY_KM and \
                self.km_to(candidate.lat, candidate.lon) <= NEARBY_KM:
            out += NEAR_TOWN_WEIGHT
        if self.admin1 and candidate.country_code == self.country_code and candidate.admin1 == self.admin1:
            out += NEAR_PROVINCE_WEIGHT
        return out
