"""What the words around a span say: place ("in X", "X, Norway", "the village of X"), a person ("Sen. X"), or an
entity the span sits in. Predicates over a doc's ``Tokens`` and a span of them (token indexes ``start`` to
``end``, exclusive), shared by the rules and the learned recognizer's features."""
from __future__ import annotations

from typing import Callable, Optional

from spacy.tokens import Doc

from ..candidates import Gazetteer
from ..compounds import is_region
from ..models import Mention
from ..names import dateline_matches
from ..tokens import Entity, Tokens
from .words import (
    DIRECTIONS, FEATURE_HEADS, FIRST_NAMES, FRAME_NOUNS, GROUND_VERBS, INSTITUTION_WORDS, LOCATIVE_PREPOSITIONS,
    OF_PLACE_WORDS, SETTLEMENT_NOUNS, TERRITORIAL_VERBS, TITLES, TOWN_NOUNS)

ARTICLES = {"a", "an", "the"}


def person_cue(tokens: Tokens, start: int, mentions: list[Mention], mention: Mention) -> bool:
    """The word before the span at ``start`` is a title ("Sen.", "Gov.") or a capitalised first name that is
    not itself part of a place mention ("Ben Nelson", not "Austin, Nelson")."""
    i = start - 1
    if i < 0:
        return False
    text = tokens.text[i]
    word = tokens.lower[i].rstrip(".")
    if word in TITLES and text[:1].isupper():
        return True
    if word in FIRST_NAMES and tokens.is_alpha[i] and text[:1].isupper() and tokens.whitespace[i]:
        first = tokens.start_char[i]
        return not any(m.start <= first < m.end for m in mentions if m is not mention)
    return False


def ground_stormed(tokens: Tokens, start: int, end: int) -> bool:
    """The whole object of a verb only ground takes ("stormed Mar’e", "shelled Kafr Sousah", whatever
    the model calls them), unless the model says organisation ("stormed the Parliament")."""
    root = tokens.root(start, end)
    return territory_taken(tokens, start, end) and tokens.lemma[tokens.head[root]].lower() in GROUND_VERBS and \
        tokens.ent_type[root] not in {"ORG", "NORP"}


def settlement_frame(tokens: Tokens, start: int, end: int) -> bool:
    """A settlement noun frames the name: "the town of X", "X village", "X, a village", "the regional
    capital, X"."""
    return settlement_of(tokens, start, end) or settlement_after(tokens, start, end) or \
        settlement_apposition(tokens, start, end)


def settlement_of(tokens: Tokens, start: int, end: int) -> bool:
    """'the villages of X', 'the outskirts of X': the name right after a settlement's noun and 'of'."""
    lower, i = tokens.lower, word_before(tokens, start)
    if i >= 0 and lower[i] == "the":
        i = word_before(tokens, i)
    return i >= 1 and lower[i] == "of" and lower[word_before(tokens, i)] in OF_PLACE_WORDS


def word_before(tokens: Tokens, i: int) -> int:
    """The index of the word before token i, past runs of spaces ("the town of  Dhuluiya")."""
    i -= 1
    while i >= 0 and tokens.is_space[i]:
        i -= 1
    return i


def settlement_after(tokens: Tokens, start: int, end: int) -> bool:
    """'Sontyo village', 'the Sweida countryside', 'the Sheikh Lufti area': a lower-case settlement noun
    right after the name, heading its phrase ('the Gainesville city council' is the council's); 'area'
    only after 'the' ('Tampa area residents' is not one)."""
    if end >= tokens.length or tokens.dep[end] == "compound":
        return False
    after = tokens.text[end]
    if after in {"area", "areas"}:
        return start > 0 and tokens.lower[start - 1] == "the"
    return after in FRAME_NOUNS


def plural_after(tokens: Tokens, start: int, end: int) -> bool:
    """A plural settlement noun after the name: the names before it are settlements too ("the Al-Assad
    and Minyan suburbs")."""
    return end < tokens.length and tokens.text[end] in FRAME_NOUNS and tokens.text[end].endswith("s") \
        and settlement_after(tokens, start, end)


def feature_name(tokens: Tokens, start: int, end: int) -> bool:
    """After 'the', a name ending in a word for a feature or a site ("the Kodori Gorge", "the strategic
    Sheikh Sa’eed Hill"); without 'the' it may be a person's ('Lauryn Hill')."""
    if end - start < 2 or tokens.text[end - 1] not in FEATURE_HEADS:
        return False
    lower = tokens.lower
    i = start - 1
    while i >= start - 2 and i >= 0 and tokens.is_lower[i] and lower[i] != "the" and \
            tokens.pos[i] not in {"VERB", "AUX", "ADP", "PRON", "DET"}:
        i -= 1   # "the strategic Sheikh Sa’eed Hill"
    return i >= 0 and lower[i] == "the"


def settlement_apposition(tokens: Tokens, start: int, end: int) -> bool:
    """'Garam, a village sharing ...' and 'the regional capital, Grozny': the name beside a noun phrase
    headed by a settlement noun, after a comma; not a person's ("Tim Whitley, a city official")."""
    text, length = tokens.text, tokens.length
    if end + 2 < length and text[end] == "," and tokens.lower[end + 1] in ARTICLES \
            and tokens.ent_type[tokens.root(start, end)] != "PERSON":   # "Tim Whitley, a city official"
        for i in range(end + 2, min(end + 5, length)):
            if text[i] in FRAME_NOUNS or text[i] == "capital":
                # the noun heads the phrase: "a village sharing ...", not "a city official"
                return i + 1 >= length or tokens.pos[i + 1] != "NOUN" or text[i + 1].endswith("ing")
            if tokens.pos[i] not in {"ADJ", "ADV"}:
                break
    if start >= 2 and text[start - 1] == ",":
        noun = start - 2
        return (text[noun] in FRAME_NOUNS or text[noun] == "capital") and \
            any(word in ARTICLES for word in tokens.lower[max(noun - 4, 0):noun])
    return False


def said_place(doc: Doc, mention: Mention, gazetteer: Gazetteer, datelines: Optional[frozenset[int]] = None,
               tokens: Optional[Tokens] = None) -> bool:
    """The text itself says the mention is a place: "in Mansfield", "Mansfield, Ohio". ``datelines``:
    the doc's ``dateline_tokens``, and ``tokens`` its ``Tokens``, where the caller has them."""
    tokens = Tokens(doc) if tokens is None else tokens
    span = tokens.token_span(mention.start, mention.end)
    if span is None or span[0] == span[1]:
        return False
    datelines = dateline_tokens(doc, tokens.doc_text) if datelines is None else datelines
    return place_context(tokens, *span, gazetteer, datelines)


def place_context(tokens: Tokens, start: int, end: int, gazetteer: Gazetteer, datelines: frozenset[int]) -> bool:
    """The words around the span say place: "in Stavanger", "Stavanger, Norway", "Gainesville residents",
    or it is a dateline's ("BEIRUT (AP) —"; ``datelines``: the doc's ``dateline_tokens``)."""
    return locative_before(tokens, start, end) or paired(tokens, start, end, gazetteer) or \
        at_dateline(tokens, start, end, datelines)


def inner_locative(tokens: Tokens, start: int, end: int, ent: Entity) -> bool:
    """A locative preposition inside the entity, right before the span: "X Hospital in Winnipeg"; in
    lower case ("Turkish Armed Forces Over Time" is a title)."""
    i = start - 1
    return i > ent.start and end == ent.end and tokens.text[i] in LOCATIVE_PREPOSITIONS


def runs_on(tokens: Tokens, start: int, end: int, ent: Entity) -> bool:
    """The entity goes on past the name in lower-case words only ("Aleppo for the ninth consecutive
    day", called a WORK_OF_ART): no name holds the place, the model ran on."""
    rest = [i for i in range(ent.start, ent.end) if not start <= i < end]
    return bool(rest) and start == ent.start and \
        all(tokens.is_lower[i] or tokens.is_punct[i] or tokens.like_num[i] for i in rest)


def institution_of(tokens: Tokens, start: int, end: int, ent: Entity) -> bool:
    """The entity is an institution of the place the span names: the span starts it ("the Athens
    Police Department", "Gainesville City Council") or ends it after "of" ("the University of
    Cincinnati", "the Port of Los Angeles")."""
    lower = tokens.lower
    first = ent.start + (lower[ent.start] == "the")
    if start == first:
        return any(word in INSTITUTION_WORDS for word in lower[end:ent.end])
    return end == ent.end and start > first and lower[start - 1] == "of" and \
        any(word in INSTITUTION_WORDS for word in lower[first:start - 1])


LONGEST_ENTITY = 24   # tokens: longer than any place's or institution's name


def covering_entity(tokens: Tokens, start: int, end: int) -> tuple[Optional[Entity], Optional[str]]:
    """The model's entity over the span, and whether the span is 'equal' to it or 'inside' it.

    Read from the tokens' IOB tags rather than by scanning doc.ents: this runs for every capitalised
    run and its sub-runs."""
    iob = tokens.ent_iob
    token = next((i for i in range(start, end) if iob[i] != "O"), None)
    if token is None:
        return None, None
    # an entity longer than LONGEST_ENTITY tokens is the model running on ("Aleppo Aleppo Aleppo ...",
    # a list it tagged as one name): read only that far around the span, so each call stays short
    first, floor = token, max(0, start - LONGEST_ENTITY)
    while iob[first] == "I" and first > floor:
        first -= 1
    last, ceiling = first + 1, min(tokens.length, end + LONGEST_ENTITY)
    while last < ceiling and iob[last] == "I":
        last += 1
    equal = first == start and last == end
    return Entity(first, last, tokens.ent_type[token]), "equal" if equal else "inside"


def locative_before(tokens: Tokens, start: int, end: int) -> bool:
    """Words around the name say place: "in Stavanger", "in the Danube Delta", "in northern Tulkarm",
    "the town of Taji", "the outskirts of Aleppo", "Damboa town", or it follows such a name in a list."""
    return locative_words(tokens, start, end) or listed_after(tokens, start, end)


def locative_words(tokens: Tokens, start: int, end: int) -> bool:
    lower, i = tokens.lower, start - 1
    if territory_taken(tokens, start, end):
        return True
    if settlement_of(tokens, start, end) or i >= 1 and lower[i] == "of" and (lower[i - 1] in TOWN_NOUNS
                                                                             or residence(tokens, i)):
        return True
    if i >= 0 and lower[i] in DIRECTIONS:
        i -= 1
    if i >= 0 and lower[i] == "the":
        i -= 1
    return i >= 0 and lower[i] in LOCATIVE_PREPOSITIONS or noun_after(tokens, start, end)


def residence(tokens: Tokens, of: int) -> bool:
    """'Paul Block Jr., 49, of Waterloo': a person's age, then where they live."""
    return of >= 2 and tokens.text[of - 1] == "," and tokens.like_num[of - 2]


def territory_taken(tokens: Tokens, start: int, end: int) -> bool:
    """The name is the whole object of a verb of taking or holding ground: "troops captured Manbij",
    "shelled Jaba" (not "capturing the Best in Show award")."""
    root = tokens.root(start, end)
    dep = tokens.dep
    return dep[root] == "dobj" and tokens.lemma[tokens.head[root]].lower() in TERRITORIAL_VERBS and \
        not any(not start <= child < end and dep[child] not in {"punct", "appos"} for child in tokens.children[root])


def noun_after(tokens: Tokens, start: int, end: int) -> bool:
    """A lower-case settlement noun right after the name ("Damboa town", "Hasakah province"), or a
    town's noun ("Gainesville residents", "the Dublin area", "Dublin Mayor ...")."""
    return end < tokens.length and (tokens.text[end] in SETTLEMENT_NOUNS or tokens.lower[end] in TOWN_NOUNS)


def listed_after(tokens: Tokens, start: int, end: int, names: int = 4,
                 said: Callable[[Tokens, int, int], bool] = None) -> bool:
    """The name ends a list ("and", "or", commas before) whose first name has locative words (or what
    ``said`` looks for): "the villages of Kafr Saghir and Babinnis", "in Samashki, Bamut and Shali". Not
    after a bare comma ("In Boston, Warren said") nor "between" ("ties between Bush and Steele")."""
    said = said or locative_words
    text, lower, is_alpha = tokens.text, tokens.lower, tokens.is_alpha
    last = start   # where the name after the one looked for starts
    for n in range(names):
        if last < 2 or lower[last - 1] not in ({"and", "or"} if n == 0 else {"and", "or", ","}):
            return False
        first = last - 1
        while first > 0 and is_alpha[first - 1] and text[first - 1][:1].isupper():
            first -= 1
        if first == last - 1:
            return False
        if said(tokens, first, last - 1):
            return not relation_between(tokens, first)
        last = first
    return False


def relation_between(tokens: Tokens, start: int) -> bool:
    """'between X': a relation of two things, as often people as places."""
    i = start - 1
    if i >= 0 and tokens.lower[i] == "the":
        i -= 1
    return i >= 0 and tokens.lower[i] == "between"


def paired(tokens: Tokens, start: int, end: int, gazetteer: Gazetteer) -> bool:
    """'Stavanger, Norway' and 'Sukoharjo, Central Java': a town next to a region, after a comma."""
    if end + 1 < tokens.length and tokens.text[end] == ",":
        first = end + 1
        for size in range(min(end + 4, tokens.length) - first, 0, -1):
            if is_region(tokens.span_text(first, first + size), gazetteer):
                return True
    return False


def dateline_tokens(doc: Doc, text: Optional[str] = None) -> frozenset[int]:
    """Indexes of the tokens of the document's datelines; the tagger often reads a dateline's capitals
    as something else. A scan of the whole text: work it out once per call (``runs.Capitals``)."""
    out = set()
    for match in dateline_matches(doc.text if text is None else text):
        span = doc.char_span(match.start(1), match.end(1), alignment_mode="expand")
        if span is not None:
            out.update(range(span.start, span.end))
    return frozenset(out)


def at_dateline(tokens: Tokens, start: int, end: int, datelines: frozenset[int]) -> bool:
    return start in datelines and tokens.span_text(start, end).isupper()
