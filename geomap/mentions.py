"""Toponym recognition: which spans of the text name places.

Three sources, merged with a fixed precedence (compound borders, then the model, then the gazetteer):
- ``model_mentions``: spaCy NER entities labelled GPE, LOC or FAC, with "City, Country" split in two;
- ``border_mentions``: "the Syria-Turkey border", "its southern border with Syria", "the border
  between Turkey and Syria" as one mention whose parts are the two regions;
- ``gazetteer_mentions``: capitalised names the model missed or mislabelled (the seed's "Stavanger",
  tagged DATE) that the gazetteer knows and whose context says place ("in X", "X, Norway").
"""
from __future__ import annotations

import re
from typing import Iterable, Optional

from spacy.tokens import Doc, Span

from .candidates import Gazetteer
from .models import Mention

PLACE_LABELS = {"GPE", "LOC", "FAC"}
# Entities a capitalised run inside of is a name of something else ("Jordan" in "Jordan Peterson").
OTHER_NAME_LABELS = {"PERSON", "ORG", "NORP", "WORK_OF_ART", "EVENT", "PRODUCT", "LAW", "LANGUAGE"}
LOCATIVE_PREPOSITIONS = {
    "in", "at", "from", "near", "to", "into", "outside", "across", "toward", "towards", "via",
    "around", "through", "within", "over", "along", "inside", "between", "throughout",
}
# Capitalised words that are gazetteer names somewhere but almost never places in news.
NOT_PLACES = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
    "dec", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "president",
    "minister", "secretary", "general", "mr", "mrs", "ms", "dr", "i", "a", "the", "god", "state", "city",
}
MIN_POPULATION = 1000  # a bare gazetteer name in context must be at least a small town

_NAME = r"[A-Z][\w'’.]*(?:\s(?:of\s|de\s)?[A-Z][\w'’.]*)*"
_DIRECTION = r"north(?:ern)?|south(?:ern)?|east(?:ern)?|west(?:ern)?|north-?east(?:ern)?|north-?west(?:ern)?|south-?east(?:ern)?|south-?west(?:ern)?"
_BORDER_WORD = r"border|frontier|boundary"
BORDER_PATTERNS = (
    # the Syria-Turkey border, the Turkey/Syria frontier
    re.compile(rf"(?P<a>{_NAME})\s?[-–—/]\s?(?P<b>{_NAME})\s+(?:(?P<dir>{_DIRECTION})\s+)?(?:{_BORDER_WORD})s?\b"),
    # Turkey's southern border with Syria, its border with Syria
    re.compile(rf"(?:(?P<a>{_NAME})['’]s?\s+|(?P<pronoun>\b(?:its|their|the)\s+))(?:(?P<dir>{_DIRECTION})\s+)?"
               rf"(?:{_BORDER_WORD})\s+(?:with|between\s+it\s+and)\s+(?P<b>{_NAME})"),
    # the border between Turkey and Syria
    re.compile(rf"(?:{_BORDER_WORD})\s+between\s+(?P<a>{_NAME})\s+and\s+(?P<b>{_NAME})"),
)


def find_mentions(doc: Doc, gazetteer: Gazetteer) -> list[Mention]:
    """All place mentions in ``doc``, sorted by position, none overlapping another."""
    model = model_mentions(doc)
    borders = border_mentions(doc.text, gazetteer, model)
    found = merge(borders, model)
    found = merge(found, gazetteer_mentions(doc, gazetteer, found))
    return found


def merge(kept: list[Mention], extra: Iterable[Mention]) -> list[Mention]:
    """``kept`` plus each mention of ``extra`` that overlaps none of them."""
    out = list(kept)
    for mention in extra:
        if not any(mention.start < k.end and k.start < mention.end for k in out):
            out.append(mention)
    return sorted(out, key=lambda m: (m.start, m.end))


def model_mentions(doc: Doc) -> list[Mention]:
    out = []
    for ent in doc.ents:
        if ent.label_ in PLACE_LABELS:
            out.extend(split_pairs(ent))
    return out


def split_pairs(ent: Span) -> list[Mention]:
    """'Stavanger, Norway' is two places: split an entity at its commas."""
    pieces, current = [], []
    for token in ent:
        if token.text == ",":
            pieces.append(current)
            current = []
        else:
            current.append(token)
    pieces.append(current)
    out = []
    for piece in pieces:
        piece = [t for t in piece if not (t.lower_ == "the" and t.i == piece[0].i)]
        if piece:
            start, end = piece[0].idx, piece[-1].idx + len(piece[-1].text)
            out.append(Mention(start, end, ent.doc.text[start:end], ent.label_))
    return out


def border_mentions(text: str, gazetteer: Gazetteer, places: list[Mention]) -> list[Mention]:
    """Compound borders whose two sides are regions the gazetteer knows."""
    out = []
    for pattern in BORDER_PATTERNS:
        for match in pattern.finditer(text):
            group = match.groupdict()
            a, b = group["a"], group["b"]
            if a is None:  # "its border with Syria": its = the last region named before it
                a = last_region_before(match.start(), places, text, gazetteer)
            a = region_within(a, gazetteer, from_end=True)
            b = region_within(b, gazetteer, from_end=False)
            if not (a and b):
                continue
            if group.get("pronoun"):  # "its southern border with Syria" starts at "southern"
                start = match.start("dir") if group.get("dir") else match.end("pronoun")
            elif match.start("a") == match.start():  # starts at the first region, trimmed
                start = match.start("a") + group["a"].rindex(a)
            else:
                start = match.start()
            # when the second side ends the match, drop words captured after it ("Syria Monday")
            end = match.start("b") + len(b) if match.end("b") == match.end() else match.end()
            direction = group["dir"].lower().replace("-", "") if group.get("dir") else None
            out.append(Mention(start, end, text[start:end], "BORDER", (a, b), direction))
    return merge([], out)


def region_within(name: Optional[str], gazetteer: Gazetteer, *, from_end: bool) -> Optional[str]:
    """The longest run of words at one end of ``name`` that names a region.

    The pattern's capitalised run may take in a sentence-initial word ("In Syria-Turkey border"),
    so the first side is read from its end and the second from its start.
    """
    if not name:
        return None
    words = name.strip().rstrip(".'’").removesuffix("'s").removesuffix("’s").split()
    for size in range(len(words), 0, -1):
        part = " ".join(words[-size:] if from_end else words[:size])
        if is_region(part, gazetteer):
            return part
    return None


def is_region(name: str, gazetteer: Gazetteer) -> bool:
    """A country, province or other area: a side of a border can be named by its demonym ("Turkish")."""
    return any(c.kind == "region" for c in gazetteer.lookup(name))


def last_region_before(offset: int, places: list[Mention], text: str, gazetteer: Gazetteer) -> Optional[str]:
    # Only the same sentence-ish window: a pronoun rarely reaches further back than 200 characters.
    for mention in sorted(places, key=lambda m: -m.start):
        if mention.end <= offset and offset - mention.end < 200 and is_region(mention.text, gazetteer):
            return mention.text
    return None


def gazetteer_mentions(doc: Doc, gazetteer: Gazetteer, found: list[Mention]) -> list[Mention]:
    """Capitalised names the model missed that the gazetteer knows, where the context says place.

    A name the model tagged as a person or organisation on its own ("Herat" as ORG) needs the
    stronger context of a locative preposition ("in Herat"); a name inside a longer one ("Jordan"
    in "Jordan Peterson") is never a place.
    """
    runs = [run for run in capitalised_runs(doc) if other_name(run) != "longer"]
    known = {run.start: run for run in runs if is_known_place(run.text, gazetteer)}
    out = []
    for run in known.values():
        before = doc[run.start - 1] if run.start > 0 else None
        after_comma = run.end < len(doc) and doc[run.end].text == ","
        next_run = known.get(run.end + 1) if after_comma else None
        prev_run = next((r for r in known.values() if r.end == run.start - 1), None) \
            if before is not None and before.text == "," else None
        locative = before is not None and before.lower_ in LOCATIVE_PREPOSITIONS
        # "Stavanger, Norway": a name followed by a region, or the region after a known place
        paired = (next_run is not None and is_region(next_run.text, gazetteer)) or \
                 (prev_run is not None and is_region(run.text, gazetteer))
        if locative or (paired and other_name(run) is None):
            out.append(Mention(run.start_char, run.end_char, run.text, "GAZ"))
    return merge([], [m for m in out if not any(m.start < f.end and f.start < m.end for f in found)])


def capitalised_runs(doc: Doc) -> list[Span]:
    runs, start = [], None
    for token in doc:
        capital = token.is_alpha and token.text[0].isupper() and token.lower_ not in NOT_PLACES
        if capital and start is None:
            start = token.i
        elif not capital and start is not None:
            runs.append(doc[start:token.i])
            start = None
    if start is not None:
        runs.append(doc[start:len(doc)])
    return runs


def other_name(run: Span) -> Optional[str]:
    """'longer' when the run is part of a longer non-place name, 'same' when the model gave the run
    itself a person or organisation label, else None."""
    for token in run:
        if token.ent_type_ in OTHER_NAME_LABELS:
            ent = next(e for e in run.doc.ents if e.start <= token.i < e.end)
            if ent.start < run.start or ent.end > run.end:
                return "longer"
            if ent.label_ in {"PERSON", "ORG"}:
                return "same"
    return None


def is_known_place(name: str, gazetteer: Gazetteer) -> bool:
    """A name, not a demonym, of a region or of a town of some size."""
    return any((c.kind == "region" or c.population >= MIN_POPULATION) and c.matched != "demonym"
               for c in gazetteer.lookup(name))


def mentions_from_spans(text: str, spans: list[tuple[int, int]], gazetteer: Gazetteer) -> list[Mention]:
    """Mentions for spans a caller already found; a span that reads as a border becomes one.

    Borders are read in the whole text, so that "its border with Syria" knows what "its" is.
    """
    given = [Mention(start, end, text[start:end], "GIVEN") for start, end in spans]
    borders = {(b.start, b.end): b for b in border_mentions(text, gazetteer, given)}
    return [borders.get((m.start, m.end), m) for m in given]
