"""The module-level calls: thin wrappers over one shared ``Geoparser`` (see geomap.parser)."""
from __future__ import annotations

from functools import lru_cache
from typing import Iterable, Optional, Sequence, Union

from .parser import Geoparser, Text


@lru_cache(maxsize=1)
def default_geoparser() -> Geoparser:
    """The Geoparser behind ``geomap.geoparse`` and ``geomap.resolve``: default parts, made on first use.
    Build your own ``Geoparser(...)`` to choose the model, gazetteer, ranker, cache or error policy."""
    return Geoparser()


def _geoparser(gazetteer) -> Geoparser:
    return default_geoparser() if gazetteer is None else Geoparser(gazetteer=gazetteer)


def geoparse(text_or_list: Union[Text, Iterable[Text]], *, country_hint: Optional[str] = None,
             modifiers: bool = False, demonyms: bool = False, gazetteer=None, near=None):
    """Find, resolve and type every place in one text or a list of texts (``Geoparser.parse``).

    Returns one row per place mention; ``doc`` is the index of the text in the list (0 for one
    text). ``modifiers=True`` adds places named inside organisations' names ("the Ohio Department
    of Health"), with role ``modifier``; ``demonyms=True`` adds "Russian jets" as a mention of Russia,
    with role ``demonym``. A single text raises InputError (bad input) or StageError (an internal
    fault, naming the stage); in a list, a failed document is skipped with a warning and listed in
    ``gdf.attrs["failures"]`` as a ``Failure(doc, doc_id, stage, error)``; the others still come out.
    ``near="Macon, Georgia"`` (or a (lat, lon) pair) says where the texts come from, a local paper's
    home: of several towns of one name, the one near it or in its province is preferred.
    """
    return _geoparser(gazetteer).parse(text_or_list, country_hint=country_hint, modifiers=modifiers,
                                       demonyms=demonyms, near=near)


def resolve(text: Text, spans: Sequence[tuple[int, int]], *, country_hint: Optional[str] = None, gazetteer=None,
            near=None):
    """Resolve place names the caller already found: exactly one row per ``(start, end)`` span, in order.

    A span that cannot be placed keeps its row, with no geometry and null lat/lon.
    """
    return _geoparser(gazetteer).resolve(text, spans, country_hint=country_hint, near=near)


def geoparse_file(path, *, gazetteer=None, **geoparse_options):
    """Geoparse one file: plain text, a web page (.html, .htm: its main text) or a PDF (its text layer),
    as ``geomap.documents.read_document`` reads it; ``geoparse_options`` are ``geoparse``'s.

    The frame's ``attrs`` keep what its offsets refer to: ``text`` (the extracted text), and ``title``,
    ``date``, ``url`` and ``kind`` (``text``, ``html`` or ``pdf``). Raises InputError for a file that
    cannot be read (missing, too large, a PDF without a text layer, a page without main text).
    """
    from .documents import read_document, with_document
    document = read_document(path)
    return with_document(_geoparser(gazetteer).parse(document.text, **geoparse_options), document)
