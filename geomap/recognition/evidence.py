"""What the gazetteer says of a span: how trustworthy a match, what kind of place, and whether the evidence
suffices for the rules to call it a place."""
from __future__ import annotations

from functools import lru_cache
from typing import Optional

from ..candidates import Gazetteer
from ..models import NAMED, TRUSTED
from ..names import is_acronym, name_key, without_article
from .context import covering_entity, inner_locative, institution_of, place_context, runs_on
from ..tokens import Tokens
from .words import BIG_CITY, GENERIC_WORDS, MIN_POPULATION, PROMINENT_REGION, SPELLING_SIMILARITY


def prominent_region(name: str, gazetteer: Gazetteer) -> bool:
    """A country, continent or province of a million people or more, by its own name."""
    return any(c.matched in TRUSTED and (
        c.is_country or c.feature == "CONT" or (c.feature == "ADM1" and c.population >= PROMINENT_REGION))
        for c in gazetteer.lookup(name))


def accept(tokens: Tokens, start: int, end: int, gazetteer: Gazetteer, datelines: frozenset[int], *,
           named: bool = False) -> Optional[str]:
    """The span's role ('literal' or 'modifier') if the evidence says it names a place, else None.
    ``named``: the document already names this place by the same name; ``datelines``: the doc's
    dateline tokens."""
    place = place_class(tokens, start, end, gazetteer)
    if place is None:
        return None
    ent, relation = covering_entity(tokens, start, end)
    if relation == "inside" and (inner_locative(tokens, start, end, ent) or runs_on(tokens, start, end, ent)):
        relation = None   # "the Children's Hospital of Manitoba in Winnipeg": the model ran past the place
    if relation == "inside":  # only a region, or a town heading an institution, inside a non-person name
        if ent.label in ("PERSON", "WORK_OF_ART"):
            return None
        # a town's institution ("the Athens Police Department") when the town is a city or the text
        # says elsewhere that the name is a place: "Supreme Court" is no town's court
        town_named = institution_of(tokens, start, end, ent) and (place == "city" or named)
        return "modifier" if place == "region" or town_named else None
    if place == "region":
        return "literal"
    context = place_context(tokens, start, end, gazetteer, datelines) or named
    if place == "city":
        return "literal" if context or ent is None or ent.label != "PERSON" else None
    return "literal" if context else None  # a town needs "in Town" or "Town, Region"


def place_class(tokens: Tokens, start: int, end: int, gazetteer: Gazetteer) -> Optional[str]:
    """'region' (country, province, sea...), 'city' (100,000 people or more), 'town', or None.

    Only trustworthy matches count as evidence: a place's own name (any case or accents), a curated
    abbreviation, or an alias of a country, continent, macro-region or physical feature. GeoNames'
    alternate names of towns include noise ("D" for Detroit, "Lu" for Luzhou) that would turn common
    words into places. An acronym must match in capitals ("UN" is not Un, India).
    """
    if end - start == 1 and tokens.lower[start] in GENERIC_WORDS:
        return None
    written, unwritten = place_classes(tokens.span_text(start, end), gazetteer)
    if written == unwritten:   # most names: no province's abbreviation among the matches
        return written
    return written if written_abbreviation(tokens, start, end) else unwritten


@lru_cache(maxsize=65536)   # names recur, within a document and across documents
def place_classes(text: str, gazetteer: Gazetteer) -> tuple[Optional[str], Optional[str]]:
    """``place_class`` of a span of this text, where it is written as a province's abbreviation and where not:
    the rest of the answer depends on the text alone."""
    return name_class(text, gazetteer, abbreviation=True), name_class(text, gazetteer, abbreviation=False)


def name_class(text: str, gazetteer: Gazetteer, *, abbreviation: bool) -> Optional[str]:
    acronym = is_acronym(text)
    best = None
    for c in gazetteer.lookup(text):
        trusted = c.matched in NAMED or (c.matched == "abbreviation" and (c.feature != "ADM1" or abbreviation)) or (
            c.matched == "alias" and (not c.feature.startswith(("PPL", "AIRP")) or spelling_of(text, c.name)))
        if not trusted or (acronym and c.matched == "folded"):
            continue
        if c.kind == "region":
            return "region"
        if c.population >= BIG_CITY or c.feature == "PPLC":
            best = "city"
        elif (c.population >= MIN_POPULATION or c.feature.startswith("PPLA")) and best is None:
            best = "town"  # GeoNames has no population for some district seats
    return best


def spelling_of(text: str, name: str) -> bool:
    """The text is another transliteration of the place's own name ("Tal Abyad" for Tall Abyaḑ,
    "Jarablus" for Jarābulus), not one of the noisy short aliases ("D" for Detroit)."""
    from rapidfuzz import fuzz
    key = without_article(name_key(text))
    # short words and capitals ("SUV", "TOUR") are too close to too many names to be a spelling; the
    # article is left out of both ("Hasakah" for Al Ḩasakah)
    return len(key) >= 6 and not text.isupper() and \
        fuzz.ratio(key, without_article(name_key(name))) >= SPELLING_SIMILARITY


def written_abbreviation(tokens: Tokens, start: int, end: int) -> bool:
    """The span is written as a province's abbreviation: with its full stops ("Miss.", "N.Y."; "Miss
    Cordiner" is a title) or in capitals ("NSW", "SC"), where a two-letter code needs a "Town, PA" pair
    ("the PA system")."""
    text = tokens.span_text(start, end)
    if "." in text or (end < tokens.length and tokens.text[end] == "."):
        return True
    if not text.isupper():
        return False
    return len(text) > 2 or paired_after_town(tokens, start)


def paired_after_town(tokens: Tokens, start: int) -> bool:
    """'Pittsburgh, PA': a capitalised word and a comma right before the span at ``start``."""
    return start >= 2 and tokens.text[start - 1] == "," and tokens.text[start - 2][:1].isupper()
