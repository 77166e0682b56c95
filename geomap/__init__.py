"""geomap: an offline geoparser. News text in; places out, typed and grouped by event.

    >>> import geomap
    >>> gdf = geomap.geoparse("NATO met in Stavanger, Norway.")
    >>> geomap.to_geojson(gdf, "places.geojson"); geomap.render_map(gdf, "map.html")
    >>> geomap.render_corpus_map("places.parquet", "corpus.html")   # what `geomap batch` wrote

``import geomap`` is cheap: spaCy, GeoPandas and Folium load when a call first needs them.
"""
from importlib import import_module

from .errors import Failure, GazetteerError, GeomapError, InputError, StageError, TooLongError

# public name -> the module that defines it, imported on first use (PEP 562)
_LAZY = {
    "Geoparser": "parser", "geoparse": "pipeline", "resolve": "pipeline", "default_geoparser": "pipeline",
    "geoparse_file": "pipeline",
    "geoparse_batch": "batch", "events": "export", "to_geojson": "export", "render_map": "mapping",
    "render_corpus_map": "corpus_map",
    # the parts a Geoparser is built from (README, "A Geoparser of your own")
    "Gazetteer": "candidates", "Ranker": "resolution", "NullCache": "cache",
}

__all__ = ["Geoparser", "geoparse", "geoparse_file", "geoparse_batch", "resolve", "events", "to_geojson",
           "render_map", "render_corpus_map", "default_geoparser", "GeomapError", "InputError", "TooLongError",
           "StageError", "GazetteerError", "Failure", "Gazetteer", "Ranker", "NullCache"]
__version__ = "0.1.0"


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'geomap' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
