"""geomap's exceptions: one root, each subclass also the builtin a caller would expect."""


class GeomapError(Exception):
    """Root of every error geomap raises on purpose."""


class InputError(GeomapError, ValueError):
    """The text cannot be geoparsed: binary, not UTF-8, or too long."""


class GazetteerError(GeomapError, RuntimeError):
    """The gazetteer file is missing or unreadable."""
