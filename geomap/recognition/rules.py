"""The rule sources of place mentions, merged in order of precedence by an overlap policy:

- ``compound_mentions`` (geomap.compounds): borders, coasts, parts of regions, airspace;
- ``model_mentions``: spaCy NER entities labelled GPE, LOC or FAC, with "City, Country" split in two;
- ``settlement_mentions``: names that a settlement noun calls a place ("the village of X", "X town",
  "X, a village in ..."), whether or not the model or the gazetteer knows them;
- ``gazetteer_mentions``: capitalised names the model missed or mislabelled (the seed's "Stavanger",
  tagged DATE) that the gazetteer knows and whose context says place ("in X", "X, Norway");
- ``feature_mentions``: names of features or sites the gazetteer lacks ("the Kodori Gorge");
- ``demonym_mentions``: "Russian", "the Georgian Interior Ministry".
The learned recognizer reads their output as features; ``all_mentions`` is the rules' own answer."""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Optional

from spacy.tokens import Doc

from ..candidates import Gazetteer
from ..compounds import compound_mentions
from ..models import Mention, Occupied
from ..names import name_key
from .context import (
    feature_name, ground_stormed, listed_after, place_context, plural_after, said_place, settlement_frame)
from .evidence import accept
from .filters import OverlapPolicy, drop_person_names, merge
from .metonymy import mark_metonyms
from .runs import Capitals, Stretch
from ..tokens import Entity, Tokens
from .words import FRAMED, MAX_NAME_TOKENS, NOT_PLACES, PLACE_LABELS


def all_mentions(doc: Doc, gazetteer: Gazetteer, overlap: Optional[OverlapPolicy] = None,
                 capitals: Optional[Capitals] = None) -> list[Mention]:
    """Every place mention in ``doc``, of every role (literal, modifier, demonym), by position.

    The sources come in order of precedence, each weighed by ``overlap`` against those before it:
    compounds, the model's places, settlements, the gazetteer's, features, then demonyms ("Russian").
    A modifier and a demonym are asked for separately, so a demonym is weighed against the mentions
    that are not modifiers; ``select`` settles the two when both are asked for. ``capitals``: the doc's
    ``Capitals`` where the caller has worked them out.
    """
    overlap = overlap or merge
    capitals = capitals or Capitals.of(doc)
    tokens = capitals.tokens
    model = [checked(m, gazetteer) for m in model_mentions(doc, tokens)]
    # a name that holds "and" before the model's pieces of it ("Trinidad" of "Trinidad and Tobago")
    model = overlap(joined_mentions(gazetteer, capitals), [m for m in model if m is not None])
    found = overlap(compound_mentions(doc, gazetteer, model, capitals.text), model)
    found = overlap(found, settlement_mentions(doc, gazetteer, found, capitals))
    found = overlap(found, gazetteer_mentions(doc, gazetteer, found, capitals))
    found = overlap(found, feature_mentions(doc, gazetteer, found, capitals))
    named = overlap([m for m in found if m.role != "modifier"], demonym_mentions(doc, gazetteer, tokens))
    kept = set(found)
    return drop_person_names(doc, sorted(found + [m for m in named if m not in kept], key=lambda m: (m.start, m.end)),
                             gazetteer, tokens)


# "the City of Montreal": the model's span takes in the unit's word, the gazetteer knows the town
UNIT_OF = re.compile(r"^(?:[Tt]he\s+)?(?:City|Town|Village|Borough|Township|Municipality)\s+of\s+")


def checked(mention: Mention, gazetteer: Gazetteer) -> Optional[Mention]:
    """A model mention as the gazetteer sees it: a demonym the model called a place ("Angolan") gets
    that role; a name with digits the gazetteer does not know ("H5N1") is dropped; "the City of
    Montreal" that it does not know is Montreal."""
    found = gazetteer.lookup(mention.text)
    unit = UNIT_OF.match(mention.text)
    if not found and unit and gazetteer.lookup(mention.text[unit.end():]):
        start = mention.start + unit.end()
        return replace(mention, start=start, text=mention.text[unit.end():])
    if found and all(c.matched == "demonym" for c in found):
        return replace(mention, role="demonym")
    if not found and any(ch.isdigit() for ch in mention.text):
        return None
    return mention


def demonym_mentions(doc: Doc, gazetteer: Gazetteer, tokens: Optional[Tokens] = None) -> list[Mention]:
    """NORP entities that are a country's demonym ("Russian", "Syrians"), and the demonym that starts an
    organisation's name ("the Russian Foreign Ministry", "the Georgian Interior Ministry")."""
    tokens = Tokens(doc) if tokens is None else tokens
    out = []
    for ent in tokens.entities:
        if ent.label == "NORP":
            span = ent.start, ent.end
        elif ent.label == "ORG":
            first = ent.start + (tokens.lower[ent.start] == "the")
            span = (first, first + 1) if ent.end - first > 1 else None
        else:
            span = None
        if span is not None:
            text = tokens.span_text(*span)
            if any(c.matched == "demonym" for c in gazetteer.lookup(text)):
                out.append(Mention(tokens.start_char[span[0]], tokens.end_char[span[1] - 1], text, "NORP",
                                   role="demonym"))
    return out


def model_mentions(doc: Doc, tokens: Optional[Tokens] = None) -> list[Mention]:
    tokens = Tokens(doc) if tokens is None else tokens
    out = []
    for ent in tokens.entities:
        if ent.label in PLACE_LABELS:
            out.extend(split_pairs(tokens, ent))
    return out


def split_pairs(tokens: Tokens, ent: Entity) -> list[Mention]:
    """'Stavanger, Norway' is two places: split an entity at its commas."""
    return [Mention(tokens.start_char[start], tokens.end_char[end - 1], tokens.span_text(start, end), ent.label)
            for start, end in entity_pieces(tokens, ent)]


def entity_pieces(tokens: Tokens, ent: Entity) -> list[Stretch]:
    """An entity's pieces between commas ("Stavanger, Norway"), each without a leading 'the' or a trailing
    conjunction (the model's "St. Kitts and" of "St. Kitts and Nevis")."""
    pieces, start = [], ent.start
    for i in range(ent.start, ent.end):
        if tokens.text[i] == ",":
            pieces.append((start, i))
            start = i + 1
    pieces.append((start, ent.end))
    out = []
    for start, end in pieces:
        if start < end and tokens.lower[start] == "the":
            start += 1
        while end > start and tokens.lower[end - 1] in ("and", "&"):
            end -= 1
        if start < end:
            out.append((start, end))
    return out


def joined_mentions(gazetteer: Gazetteer, capitals: Capitals) -> list[Mention]:
    """Names the gazetteer knows that hold "and" between two runs ("Trinidad and Tobago", "Newfoundland and
    Labrador"), weighed as the gazetteer's other names are (``accept``), longest first, none overlapping. The
    model's labels split such names ("Trinidad" GPE, "Tobago" ORG), so the role is read from the words: a
    modifier where a capitalised word goes on with the name ("the Trinidad and Tobago Football Association")."""
    tokens, out = capitals.tokens, []
    taken = Occupied()
    spans = sorted(capitals.joined, key=lambda span: (span[0] - span[1], span[0]))
    for start, end in spans:
        start_char, end_char = tokens.start_char[start], tokens.end_char[end - 1]
        text = tokens.span_text(start, end)
        if taken.overlaps(start_char, end_char) or not gazetteer.lookup(text):
            continue
        if accept(tokens, start, end, gazetteer, capitals.datelines):
            goes_on = end < tokens.length and tokens.text[end][:1].isupper()
            out.append(Mention(start_char, end_char, text, "GAZ", role="modifier" if goes_on else "literal"))
            taken.add(start_char, end_char)
    return sorted(out, key=lambda m: m.start)


def gazetteer_mentions(doc: Doc, gazetteer: Gazetteer, found: list[Mention],
                       capitals: Optional[Capitals] = None) -> list[Mention]:
    """Names the model missed or mislabelled that the gazetteer knows, where the evidence says place.

    Every run of capitalised proper nouns is looked up, with its sub-runs (longest first), so that
    "Ohio" is found in "the Ohio Department of Health". How much evidence a match needs depends on
    what it would be (``place_class``): a country, province, sea or other region needs none; a large
    city needs none unless the model called it a person; a town needs a locative preposition ("in
    Stavanger") or a "Town, Region" pair. A region inside an organisation's name is a modifier, and so
    is a town that starts the name of a town's institution ("the Athens Police Department").
    One sense per name per document: once the text says a name is a place ("in Mansfield",
    "Mansfield, Ohio"), its other mentions need no more evidence ("Mansfield's patrol program").
    """
    capitals = capitals or Capitals.of(doc)
    datelines, tokens = capitals.datelines, capitals.tokens
    taken = Occupied((m.start, m.end) for m in found)
    placed = {name_key(m.text) for m in found
              if m.role == "literal" and not m.compound and said_place(doc, m, gazetteer, datelines, tokens)}
    out = []
    for second in (False, True):   # the second pass: names the first found to be places
        for pieces in capitals.pieces:
            for start, end in pieces:
                start_char, end_char = tokens.start_char[start], tokens.end_char[end - 1]
                if taken.overlaps(start_char, end_char):
                    continue
                text = tokens.span_text(start, end)
                named = second and name_key(text) in placed
                if second and not named:
                    continue   # the first pass weighed it on the same evidence (``taken`` only grows)
                role = accept(tokens, start, end, gazetteer, datelines, named=named)
                if role:
                    out.append(Mention(start_char, end_char, text, "GAZ", role=role))
                    taken.add(start_char, end_char)
                    if role == "literal" and place_context(tokens, start, end, gazetteer, datelines):
                        placed.add(name_key(text))
    return sorted(out, key=lambda m: m.start)


def settlement_mentions(doc: Doc, gazetteer: Gazetteer, found: list[Mention], capitals: Capitals) -> list[Mention]:
    """Names the words around them call a settlement or a part of one ("the village of Ma’an", "Sontyo
    village", "Garam, a village", "the villages of Burd and Mujaymir", "the Al-Assad and Minyan
    suburbs"): places whether or not the model or the gazetteer knows them. They come before the
    gazetteer's names, which would take a known word inside them ("Khan" of "the town of Khan Touman").
    Resolution finds them in the gazetteer when it can; a village it lacks keeps its row, without
    coordinates, rather than vanish from the text's places."""
    tokens = capitals.tokens
    framed = []
    listed = None   # the framed run that the run being read may start a list of ("X and Y suburbs")
    for run in reversed(capitals.runs):
        joined = listed is not None and all(word in {",", "and", "or"} for word in tokens.lower[run[1]:listed[0]])
        if joined or settlement_frame(tokens, *run) or listed_after(tokens, *run, said=settlement_frame):
            framed.append(run)
        listed = run if joined or plural_after(tokens, *run) else None
    return framed_mentions(tokens, framed[::-1], gazetteer, found)


def feature_mentions(doc: Doc, gazetteer: Gazetteer, found: list[Mention], capitals: Capitals) -> list[Mention]:
    """Names of features or sites that the gazetteer lacks ("the Kodori Gorge", "the Hayyan Gas
    Fields"); after the gazetteer's names, so that a place it knows inside one keeps its own mention
    ("the Da Nang International Airport")."""
    tokens = capitals.tokens
    runs = [run for run in capitals.runs if feature_name(tokens, *run) or ground_stormed(tokens, *run)]
    return framed_mentions(tokens, runs, gazetteer, found)


def framed_mentions(tokens: Tokens, runs: list[Stretch], gazetteer: Gazetteer, found: list[Mention]) -> list[Mention]:
    """Mentions (label FRAMED) for the runs that overlap no mention found before, are no demonym
    ("Syrian towns", "the Sikh area") and are short enough to be a name."""
    taken = Occupied((m.start, m.end) for m in found)
    out = []
    for start, end in runs:
        start_char, end_char, text = tokens.start_char[start], tokens.end_char[end - 1], tokens.span_text(start, end)
        if end - start > MAX_NAME_TOKENS or tokens.lower[start] in NOT_PLACES or \
                taken.overlaps(start_char, end_char) or \
                all(label == "NORP" for label in tokens.ent_type[start:end]) or \
                any(c.matched == "demonym" for c in gazetteer.lookup(text)):
            continue
        out.append(Mention(start_char, end_char, text, FRAMED))
    return out


def mentions_from_spans(doc: Doc, spans: list[tuple[int, int]], gazetteer: Gazetteer) -> list[Mention]:
    """Mentions for spans a caller already found; a span that reads as a compound becomes one.

    Compounds are read in the whole text, so that "its border with Syria" knows what "its" is.
    """
    text = doc.text
    given = [Mention(start, end, text[start:end], "GIVEN") for start, end in spans]
    # the model's places count for "the country" too, as they do in find_mentions
    compounds = {(c.start, c.end): c for c in compound_mentions(doc, gazetteer, given + model_mentions(doc))}
    return mark_metonyms(doc, [compounds.get((m.start, m.end), m) for m in given], gazetteer)
