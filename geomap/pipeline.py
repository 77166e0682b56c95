"""The public calls: text in, a GeoDataFrame of places out. Each stage lives in its own module."""
from __future__ import annotations

import warnings
from typing import Iterable, Optional, Sequence, Union

import geopandas as gpd
from spacy.tokens import Doc

from .candidates import Gazetteer, default_gazetteer
from .errors import InputError
from .happenings import assign_events
from .export import to_geodataframe
from .geometry import build_place
from .inputs import as_text
from .mentions import find_mentions, mentions_from_spans
from .models import Mention
from .nlp import load_pipeline
from .resolution import resolve_mentions

Text = Union[str, bytes]


def geoparse(text_or_list: Union[Text, Iterable[Text]], *, country_hint: Optional[str] = None,
             modifiers: bool = False, demonyms: bool = False,
             gazetteer: Optional[Gazetteer] = None) -> gpd.GeoDataFrame:
    """Find, resolve and type every place in one text or a list of texts.

    Returns one row per place mention; ``doc`` is the index of the text in the list (0 for one
    text). ``modifiers=True`` adds places named inside organisations' names ("the Ohio Department
    of Health"), with role ``modifier``; ``demonyms=True`` adds "Russian jets" as a mention of Russia,
    with role ``demonym``. A single bad text raises InputError; in a list, a bad text
    is skipped with a warning and listed in ``gdf.attrs["errors"]``, and the others still come out.
    """
    gazetteer = gazetteer or default_gazetteer()
    single = isinstance(text_or_list, (str, bytes, bytearray))
    raw = [text_or_list] if single else list(text_or_list)
    texts, errors = [], {}
    for i, item in enumerate(raw):
        try:
            texts.append(as_text(item))
        except InputError as err:
            if single:
                raise
            errors[i] = str(err)
            texts.append("")
    for i, message in errors.items():
        warnings.warn(f"document {i} skipped: {message}", stacklevel=2)
    rows = []
    for i, doc in enumerate(load_pipeline().pipe(texts, batch_size=16)):
        mentions = find_mentions(doc, gazetteer, modifiers=modifiers, demonyms=demonyms)
        rows.extend((i, place, event) for place, event in locate(doc, mentions, gazetteer, country_hint))
    gdf = to_geodataframe(rows)
    gdf.attrs["errors"] = errors
    return gdf


def resolve(text: Text, spans: Sequence[tuple[int, int]], *, country_hint: Optional[str] = None,
            gazetteer: Optional[Gazetteer] = None) -> gpd.GeoDataFrame:
    """Resolve place names the caller already found: exactly one row per ``(start, end)`` span, in order.

    A span that cannot be placed keeps its row, with no geometry and null lat/lon.
    """
    gazetteer = gazetteer or default_gazetteer()
    text = as_text(text)
    spans = [check_span(span, len(text)) for span in spans]
    doc = load_pipeline()(text)
    mentions = mentions_from_spans(doc, spans, gazetteer)
    return to_geodataframe([(0, place, event) for place, event in locate(doc, mentions, gazetteer, country_hint)])


def check_span(span, length: int) -> tuple[int, int]:
    try:
        start, end = (int(x) for x in span)
    except (TypeError, ValueError):
        raise InputError(f"a span must be a pair of character offsets, got {span!r}") from None
    if not 0 <= start < end <= length:
        raise InputError(f"span ({start}, {end}) is outside the text (0 to {length})")
    return start, end


def locate(doc: Doc, mentions: list[Mention], gazetteer: Gazetteer, country_hint: Optional[str]):
    """Resolve, build geometry and assign events: the stages after recognition, shared by both calls."""
    resolutions = resolve_mentions(doc.text, mentions, gazetteer, country_hint=country_hint)
    places = [build_place(m, r, gazetteer, sentence_of(doc, m)) for m, r in zip(mentions, resolutions)]
    events, which = assign_events(doc, places)
    return [(place, events[which[i]]) for i, place in enumerate(places)]


def sentence_of(doc: Doc, mention: Mention) -> str:
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    return span.sent.text.strip() if span is not None and len(span) else ""
