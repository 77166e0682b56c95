"""What the words around a span say: place ("in X", "X, Norway", "the village of X"), a person ("Sen. X"), or an
entity the span sits in. Predicates over spaCy spans, shared by the rules and the learned recognizer's features."""
from __future__ import annotations

from typing import Callable, Optional

from spacy.tokens import Doc, Span

from ..candidates import Gazetteer
from ..compounds import is_region
from ..models import Mention
from ..names import DATELINE
from .words import (
    DIRECTIONS, FEATURE_HEADS, FIRST_NAMES, FRAME_NOUNS, GROUND_VERBS, INSTITUTION_WORDS, LOCATIVE_PREPOSITIONS,
    OF_PLACE_WORDS, SETTLEMENT_NOUNS, TERRITORIAL_VERBS, TITLES, TOWN_NOUNS)


def person_cue(span: Span, mentions: list[Mention], mention: Mention) -> bool:
    """The word before the span is a title ("Sen.", "Gov.") or a capitalised first name that is not
    itself part of a place mention ("Ben Nelson", not "Austin, Nelson")."""
    doc = span.doc
    i = span.start - 1
    if i < 0:
        return False
    before = doc[i]
    word = before.lower_.rstrip(".")
    if word in TITLES and before.text[:1].isupper():
        return True
    if word in FIRST_NAMES and before.is_alpha and before.text[:1].isupper() and before.whitespace_:
        start = before.idx
        return not any(m.start <= start < m.end for m in mentions if m is not mention)
    return False


def ground_stormed(span: Span) -> bool:
    """The whole object of a verb only ground takes ("stormed Mar’e", "shelled Kafr Sousah", whatever
    the model calls them), unless the model says organisation ("stormed the Parliament")."""
    root = span.root
    return territory_taken(span) and root.head.lemma_.lower() in GROUND_VERBS and root.ent_type_ not in {"ORG", "NORP"}


def settlement_frame(span: Span) -> bool:
    """A settlement noun frames the name: "the town of X", "X village", "X, a village", "the regional
    capital, X"."""
    return settlement_of(span) or settlement_after(span) or settlement_apposition(span)


def settlement_of(span: Span) -> bool:
    """'the villages of X', 'the outskirts of X': the name right after a settlement's noun and 'of'."""
    doc, i = span.doc, word_before(span.doc, span.start)
    if i >= 0 and doc[i].lower_ == "the":
        i = word_before(doc, i)
    return i >= 1 and doc[i].lower_ == "of" and doc[word_before(doc, i)].lower_ in OF_PLACE_WORDS


def word_before(doc: Doc, i: int) -> int:
    """The index of the word before token i, past runs of spaces ("the town of  Dhuluiya")."""
    i -= 1
    while i >= 0 and doc[i].is_space:
        i -= 1
    return i


def settlement_after(span: Span) -> bool:
    """'Sontyo village', 'the Sweida countryside', 'the Sheikh Lufti area': a lower-case settlement noun
    right after the name, heading its phrase ('the Gainesville city council' is the council's); 'area'
    only after 'the' ('Tampa area residents' is not one)."""
    doc = span.doc
    after = doc[span.end] if span.end < len(doc) else None
    if after is None or after.dep_ == "compound":
        return False
    if after.text in {"area", "areas"}:
        return span.start > 0 and doc[span.start - 1].lower_ == "the"
    return after.text in FRAME_NOUNS


def plural_after(span: Span) -> bool:
    """A plural settlement noun after the name: the names before it are settlements too ("the Al-Assad
    and Minyan suburbs")."""
    doc = span.doc
    return span.end < len(doc) and doc[span.end].text in FRAME_NOUNS and doc[span.end].text.endswith("s") \
        and settlement_after(span)


def feature_name(span: Span) -> bool:
    """After 'the', a name ending in a word for a feature or a site ("the Kodori Gorge", "the strategic
    Sheikh Sa’eed Hill"); without 'the' it may be a person's ('Lauryn Hill')."""
    doc = span.doc
    if len(span) < 2 or span[-1].text not in FEATURE_HEADS:
        return False
    i = span.start - 1
    while i >= span.start - 2 and i >= 0 and doc[i].is_lower and doc[i].lower_ != "the" and \
            doc[i].pos_ not in {"VERB", "AUX", "ADP", "PRON", "DET"}:
        i -= 1   # "the strategic Sheikh Sa’eed Hill"
    return i >= 0 and doc[i].lower_ == "the"


def settlement_apposition(span: Span) -> bool:
    """'Garam, a village sharing ...' and 'the regional capital, Grozny': the name beside a noun phrase
    headed by a settlement noun, after a comma; not a person's ("Tim Whitley, a city official")."""
    doc = span.doc
    if span.end + 2 < len(doc) and doc[span.end].text == "," and doc[span.end + 1].lower_ in {"a", "an", "the"} \
            and span.root.ent_type_ != "PERSON":   # "Tim Whitley, a city official"
        for token in doc[span.end + 2:span.end + 5]:
            if token.text in FRAME_NOUNS or token.text == "capital":
                after = doc[token.i + 1] if token.i + 1 < len(doc) else None
                # the noun heads the phrase: "a village sharing ...", not "a city official"
                return after is None or after.pos_ != "NOUN" or after.text.endswith("ing")
            if token.pos_ not in {"ADJ", "ADV"}:
                break
    if span.start >= 2 and doc[span.start - 1].text == ",":
        noun = doc[span.start - 2]
        return (noun.text in FRAME_NOUNS or noun.text == "capital") and \
            any(t.lower_ in {"a", "an", "the"} for t in doc[max(noun.i - 4, 0):noun.i])
    return False


def said_place(doc: Doc, mention: Mention, gazetteer: Gazetteer, datelines: Optional[frozenset[int]] = None) -> bool:
    """The text itself says the mention is a place: "in Mansfield", "Mansfield, Ohio". ``datelines``:
    the doc's ``dateline_tokens`` where the caller has them."""
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if span is None or not len(span):
        return False
    return place_context(span, gazetteer, dateline_tokens(doc) if datelines is None else datelines)


def place_context(span: Span, gazetteer: Gazetteer, datelines: frozenset[int]) -> bool:
    """The words around the span say place: "in Stavanger", "Stavanger, Norway", "Gainesville residents",
    or it is a dateline's ("BEIRUT (AP) —"; ``datelines``: the doc's ``dateline_tokens``)."""
    return locative_before(span) or paired(span, gazetteer) or at_dateline(span, datelines)


def inner_locative(span: Span, ent: Span) -> bool:
    """A locative preposition inside the entity, right before the span: "X Hospital in Winnipeg"; in
    lower case ("Turkish Armed Forces Over Time" is a title)."""
    i = span.start - 1
    return i > ent.start and span.end == ent.end and span.doc[i].text in LOCATIVE_PREPOSITIONS


def runs_on(span: Span, ent: Span) -> bool:
    """The entity goes on past the name in lower-case words only ("Aleppo for the ninth consecutive
    day", called a WORK_OF_ART): no name holds the place, the model ran on."""
    rest = [t for t in ent if not span.start <= t.i < span.end]
    return bool(rest) and span.start == ent.start and all(t.is_lower or t.is_punct or t.like_num for t in rest)


def institution_of(span: Span, ent: Span) -> bool:
    """The entity is an institution of the place the span names: the span starts it ("the Athens
    Police Department", "Gainesville City Council") or ends it after "of" ("the University of
    Cincinnati", "the Port of Los Angeles")."""
    doc = ent.doc
    first = ent.start + (ent[0].lower_ == "the")
    if span.start == first:
        return any(t.lower_ in INSTITUTION_WORDS for t in doc[span.end:ent.end])
    return span.end == ent.end and span.start > first and doc[span.start - 1].lower_ == "of" and \
        any(t.lower_ in INSTITUTION_WORDS for t in doc[first:span.start - 1])


LONGEST_ENTITY = 24   # tokens: longer than any place's or institution's name


def covering_entity(span: Span) -> tuple[Optional[Span], Optional[str]]:
    """The model's entity over the span, and whether the span is 'equal' to it or 'inside' it.

    Read from the tokens' IOB tags rather than by scanning doc.ents: this runs for every capitalised
    run and its sub-runs."""
    doc = span.doc
    token = next((t for t in span if t.ent_iob_ != "O"), None)
    if token is None:
        return None, None
    # an entity longer than LONGEST_ENTITY tokens is the model running on ("Aleppo Aleppo Aleppo ...",
    # a list it tagged as one name): read only that far around the span, so each call stays short
    start, floor = token.i, max(0, span.start - LONGEST_ENTITY)
    while doc[start].ent_iob_ == "I" and start > floor:
        start -= 1
    end, ceiling = start + 1, min(len(doc), span.end + LONGEST_ENTITY)
    while end < ceiling and doc[end].ent_iob_ == "I":
        end += 1
    ent = doc[start:end]
    ent.label_ = token.ent_type_
    equal = start == span.start and end == span.end
    return ent, "equal" if equal else "inside"


def locative_before(span: Span) -> bool:
    """Words around the name say place: "in Stavanger", "in the Danube Delta", "in northern Tulkarm",
    "the town of Taji", "the outskirts of Aleppo", "Damboa town", or it follows such a name in a list."""
    return locative_words(span) or listed_after(span)


def locative_words(span: Span) -> bool:
    doc, i = span.doc, span.start - 1
    if territory_taken(span):
        return True
    if settlement_of(span) or i >= 1 and doc[i].lower_ == "of" and (doc[i - 1].lower_ in TOWN_NOUNS
                                                                    or residence(doc, i)):
        return True
    if i >= 0 and doc[i].lower_ in DIRECTIONS:
        i -= 1
    if i >= 0 and doc[i].lower_ == "the":
        i -= 1
    return i >= 0 and doc[i].lower_ in LOCATIVE_PREPOSITIONS or noun_after(span)


def residence(doc: Doc, of: int) -> bool:
    """'Paul Block Jr., 49, of Waterloo': a person's age, then where they live."""
    return of >= 2 and doc[of - 1].text == "," and doc[of - 2].like_num


def territory_taken(span: Span) -> bool:
    """The name is the whole object of a verb of taking or holding ground: "troops captured Manbij",
    "shelled Jaba" (not "capturing the Best in Show award")."""
    root = span.root
    rest = [c for c in root.children if not span.start <= c.i < span.end and c.dep_ not in {"punct", "appos"}]
    return root.dep_ == "dobj" and root.head.lemma_.lower() in TERRITORIAL_VERBS and not rest


def noun_after(span: Span) -> bool:
    """A lower-case settlement noun right after the name ("Damboa town", "Hasakah province"), or a
    town's noun ("Gainesville residents", "the Dublin area", "Dublin Mayor ...")."""
    after = span.doc[span.end] if span.end < len(span.doc) else None
    return after is not None and (after.text in SETTLEMENT_NOUNS or after.lower_ in TOWN_NOUNS)


def listed_after(span: Span, names: int = 4, said: Callable[[Span], bool] = None) -> bool:
    """The name ends a list ("and", "or", commas before) whose first name has locative words (or what
    ``said`` looks for): "the villages of Kafr Saghir and Babinnis", "in Samashki, Bamut and Shali". Not
    after a bare comma ("In Boston, Warren said") nor "between" ("ties between Bush and Steele")."""
    said = said or locative_words
    doc, end = span.doc, span.start
    for n in range(names):
        if end < 2 or doc[end - 1].lower_ not in ({"and", "or"} if n == 0 else {"and", "or", ","}):
            return False
        start = end - 1
        while start > 0 and doc[start - 1].is_alpha and doc[start - 1].text[:1].isupper():
            start -= 1
        if start == end - 1:
            return False
        if said(doc[start:end - 1]):
            return not relation_between(doc[start:end - 1])
        end = start
    return False


def relation_between(span: Span) -> bool:
    """'between X': a relation of two things, as often people as places."""
    i = span.start - 1
    if i >= 0 and span.doc[i].lower_ == "the":
        i -= 1
    return i >= 0 and span.doc[i].lower_ == "between"


def paired(span: Span, gazetteer: Gazetteer) -> bool:
    """'Stavanger, Norway' and 'Sukoharjo, Central Java': a town next to a region, after a comma."""
    doc = span.doc
    after = doc[span.end + 1:span.end + 4] if span.end + 1 < len(doc) and doc[span.end].text == "," else None
    if after is not None:
        for size in range(len(after), 0, -1):
            if is_region(after[:size].text, gazetteer):
                return True
    return False


def dateline_tokens(doc: Doc, text: Optional[str] = None) -> frozenset[int]:
    """Indexes of the tokens of the document's datelines; the tagger often reads a dateline's capitals
    as something else. A scan of the whole text: work it out once per call (``runs.Capitals``)."""
    out = set()
    for match in DATELINE.finditer(doc.text if text is None else text):
        span = doc.char_span(match.start(1), match.end(1), alignment_mode="expand")
        if span is not None:
            out.update(range(span.start, span.end))
    return frozenset(out)


def at_dateline(span: Span, datelines: frozenset[int]) -> bool:
    return span.text.isupper() and span.start in datelines
