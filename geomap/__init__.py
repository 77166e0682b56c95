"""geomap: an offline geoparser. News text in; places out, typed and grouped by event.

    >>> import geomap
    >>> gdf = geomap.geoparse("NATO met in Stavanger, Norway.")
    >>> geomap.to_geojson(gdf, "places.geojson"); geomap.render_map(gdf, "map.html")
"""
from .errors import GazetteerError, GeomapError, InputError
from .batch import geoparse_batch
from .happenings import events
from .export import to_geojson
from .mapping import render_map
from .pipeline import geoparse, resolve

__all__ = ["geoparse", "geoparse_batch", "resolve", "events", "to_geojson", "render_map", "GeomapError", "InputError",
           "GazetteerError"]
__version__ = "0.1.0"
