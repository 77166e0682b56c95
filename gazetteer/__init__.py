"""geomap's gazetteer build recipe, installed as ``geomap.recipe`` (see build.py and SOURCES.md)."""
