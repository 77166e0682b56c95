"""Toponym recognition: which spans of the text name places.

Five sources, merged by an overlap policy (by default ``merge``: each in this order, a later one only
where the earlier found nothing; demonyms last):
- ``compound_mentions`` (geomap.compounds): borders, coasts, parts of regions, airspace;
- ``model_mentions``: spaCy NER entities labelled GPE, LOC or FAC, with "City, Country" split in two;
- ``settlement_mentions``: names that a settlement noun calls a place ("the village of X", "X town",
  "X, a village in ..."), whether or not the model or the gazetteer knows them;
- ``gazetteer_mentions``: capitalised names the model missed or mislabelled (the seed's "Stavanger",
  tagged DATE) that the gazetteer knows and whose context says place ("in X", "X, Norway");
- ``feature_mentions``: names of features or sites the gazetteer lacks ("the Kodori Gorge").
A name the document uses for a person ("Sen. Ben Nelson ... Nelson said") is dropped by
``drop_person_names``, wherever it came from.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Callable, Iterable, Optional

from spacy.tokens import Doc, Span

from .candidates import Gazetteer
from .compounds import compound_mentions, is_region
from .models import Mention, Occupied
from .names import ARABIC_ARTICLES, DATELINE, is_acronym, name_key, without_article, word_list

PLACE_LABELS = {"GPE", "LOC", "FAC"}
LOCATIVE_PREPOSITIONS = word_list("locative_prepositions.txt")   # "in Stavanger"
TOWN_NOUNS = word_list("town_nouns.txt")            # "Gainesville residents", "Dublin Mayor ..."
NOT_PLACES = word_list("not_places.txt")            # "May", "General": gazetteer names, seldom places
DISEASE_WORDS = word_list("disease_words.txt")      # "Marburg virus", "Rift Valley fever"
DISEASE_NAMES = word_list("disease_names.txt")      # in news, the disease, not the river or forest
GENERIC_WORDS = word_list("generic_words.txt")      # "the Centre said"
METONYMIC_VERBS = word_list("metonymic_verbs.txt")  # "Moscow warned": the subject is a government
FIRST_NAMES = word_list("first_names.txt")          # "Ben Nelson": the name after a first name is a surname
TITLES = word_list("titles.txt")                    # "Sen. Nelson", "Mr. Farrin"
INSTITUTION_WORDS = word_list("institution_words.txt")  # "the Athens Police Department": Athens is named
DIRECTIONS = word_list("direction_adjectives.txt") | {"downtown", "nearby"}  # "in northern Tulkarm"
# nouns that say what kind of place a name is: "the town of Taji", "Damboa town"
SETTLEMENT_NOUNS = frozenset({"city", "town", "village", "township", "district", "province", "governorate",
                              "county", "suburb", "neighborhood", "neighbourhood", "municipality", "port",
                              "settlement"})
# verbs whose object is a place: "troops captured Manbij", "shelled Jaba", "patrolled Kakata"
TERRITORIAL_VERBS = frozenset({"capture", "recapture", "seize", "storm", "shell", "bomb", "besiege", "overrun",
                               "liberate", "invade", "occupy", "patrol", "evacuate", "raze"})
# of those, the verbs whose object is never a person: their object is a place even unknown ("stormed Mar’e")
GROUND_VERBS = frozenset({"storm", "shell", "besiege", "overrun", "raze", "invade", "occupy"})
# "the villages of Kafr Saghir", "the outskirts of Aleppo", "northeast of Karmah"
OF_PLACE_WORDS = SETTLEMENT_NOUNS | {w + "s" for w in SETTLEMENT_NOUNS} | {
    "cities", "counties", "outskirts", "countryside", "vicinity", "streets", "environs", "outside", "slums", "outpost",
    "enclave", "north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest"}
# lower-case nouns that, right after a name, say it is a settlement or part of one: "Sontyo village"
FRAME_NOUNS = SETTLEMENT_NOUNS | {w + "s" for w in SETTLEMENT_NOUNS} | {
    "countryside", "camp", "neighborhoods", "region", "enclave"}
FEATURE_HEADS = word_list("feature_heads.txt")   # "the Kodori Gorge", "the Hayyan Gas Fields"
FRAMED = "FRAMED"   # the label of a mention found by its settlement noun (framed_mentions)
PROMINENT_REGION = 1_000_000  # a province this populous keeps its name even if a person shares it
DOTTED = re.compile(r"^(?:[A-Z]\.){2,}$")   # U.S., U.K., N.Y.
# a word of a name: letters, with apostrophes inside ("Ma’an"); whether it has a capital is checked apart
NAME_WORD = re.compile(r"^[^\W\d_]+(?:[’'][^\W\d_]+)*$")
MIN_POPULATION = 1000  # a bare gazetteer name in context must be at least a small town
BIG_CITY = 100_000    # a city this large is meant by its name without further context
MAX_NAME_TOKENS = 6
SPELLING_SIMILARITY = 85   # rapidfuzz ratio of name keys: "Jarablus"/"Jarābulus" 94, "Kobani"/"Mkoani" 83


OverlapPolicy = Callable[[list[Mention], Iterable[Mention]], list[Mention]]


def find_mentions(doc: Doc, gazetteer: Gazetteer, *, modifiers: bool = False,
                  demonyms: bool = False) -> list[Mention]:
    """All place mentions in ``doc``, sorted by position, none overlapping another.

    With ``modifiers``, places named inside an organisation's name ("the Ohio Department of
    Health") are mentions too, with role ``modifier``; with ``demonyms``, "Russian jets" is a
    mention of Russia with role ``demonym``. The same logic as the ``geomap_places`` spaCy component
    (geomap.component), which keeps the mentions of every role.
    """
    found = select(all_mentions(doc, gazetteer), modifiers=modifiers, demonyms=demonyms)
    return finish(doc, found)


def all_mentions(doc: Doc, gazetteer: Gazetteer, overlap: Optional[OverlapPolicy] = None) -> list[Mention]:
    """Every place mention in ``doc``, of every role (literal, modifier, demonym), by position.

    The sources come in order of precedence, each weighed by ``overlap`` against those before it:
    compounds, the model's places, settlements, the gazetteer's, features, then demonyms ("Russian").
    A modifier and a demonym are asked for separately, so a demonym is weighed against the mentions
    that are not modifiers; ``select`` settles the two when both are asked for.
    """
    overlap = overlap or merge
    model = [checked(m, gazetteer) for m in model_mentions(doc)]
    model = [m for m in model if m is not None]
    found = overlap(compound_mentions(doc, gazetteer, model), model)
    found = overlap(found, settlement_mentions(doc, gazetteer, found))
    found = overlap(found, gazetteer_mentions(doc, gazetteer, found))
    found = overlap(found, feature_mentions(doc, gazetteer, found))
    named = overlap([m for m in found if m.role != "modifier"], demonym_mentions(doc, gazetteer))
    kept = set(found)
    return drop_person_names(doc, sorted(found + [m for m in named if m not in kept], key=lambda m: (m.start, m.end)),
                             gazetteer)


def drop_person_names(doc: Doc, mentions: list[Mention], gazetteer: Gazetteer) -> list[Mention]:
    """Names the document uses for a person, not a place: one sense per name per document.

    A name is a person's where it follows a title ("Sen. Nelson", "Mr. Farrin") or a first name
    ("Rick Farrin"), or ends a name the model calls a PERSON ("Mikheil Saakashvili"); every bare
    mention of that name then goes ("Saakashvili said"), unless a preposition or a "Town, Region" pair
    says place ("in Ripley", "Ripley, Miss.") or the name is a country, a continent or a populous
    province ("Georgia" stays Georgia although a "Georgia Smith" is quoted). Compounds and demonyms
    are left alone.
    """
    spans = {m: doc.char_span(m.start, m.end, alignment_mode="expand") for m in mentions}
    persons = {name_key(ent[-1].text) for ent in doc.ents if ent.label_ == "PERSON" and len(ent) > 1
               and ent[-1].is_alpha}
    for m, span in spans.items():
        if span is not None and len(span) and person_cue(span, mentions, m):
            persons.add(name_key(m.text))
    if not persons:
        return mentions
    return [m for m in mentions if m.compound or m.role == "demonym" or m.label == FRAMED or spans[m] is None
            or not len(spans[m])
            or name_key(m.text) not in persons or locative_before(spans[m]) or paired(spans[m], gazetteer)
            or prominent_region(m.text, gazetteer)]


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


def prominent_region(name: str, gazetteer: Gazetteer) -> bool:
    """A country, continent or province of a million people or more, by its own name."""
    return any(c.matched in ("name", "folded", "abbreviation") and (
        c.is_country or c.feature == "CONT" or (c.feature == "ADM1" and c.population >= PROMINENT_REGION))
        for c in gazetteer.lookup(name))


def select(mentions: list[Mention], *, modifiers: bool, demonyms: bool,
           overlap: Optional[OverlapPolicy] = None) -> list[Mention]:
    """The mentions of the roles asked for: literal always, modifiers and demonyms on request."""
    kept = [m for m in mentions if (modifiers or m.role != "modifier") and (demonyms or m.role != "demonym")]
    if modifiers and demonyms:  # a demonym entity over a modifier: the modifier came first
        kept = (overlap or merge)([m for m in kept if m.label != "NORP"], [m for m in kept if m.label == "NORP"])
    return kept


def finish(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """Names used for a disease dropped, metonyms marked."""
    return [mark_metonym(doc, m) for m in drop_disease_names(doc, mentions)]


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


def demonym_mentions(doc: Doc, gazetteer: Gazetteer) -> list[Mention]:
    """NORP entities that are a country's demonym ("Russian", "Syrians"), and the demonym that starts an
    organisation's name ("the Russian Foreign Ministry", "the Georgian Interior Ministry")."""
    out = []
    for ent in doc.ents:
        if ent.label_ == "NORP":
            span = ent
        elif ent.label_ == "ORG":
            first = ent[1:] if ent[0].lower_ == "the" else ent
            span = first[:1] if len(first) > 1 else None
        else:
            span = None
        if span is not None and any(c.matched == "demonym" for c in gazetteer.lookup(span.text)):
            out.append(Mention(span.start_char, span.end_char, span.text, "NORP", role="demonym"))
    return out


def mark_metonym(doc: Doc, mention: Mention) -> Mention:
    """'Moscow warned', 'Brussels decided': a place that speaks or acts for its government or people."""
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if mention.compound or span is None or not len(span):
        return mention
    root = span.root
    if root.dep_ in ("nsubj", "nsubjpass") and root.head.lemma_ in METONYMIC_VERBS:
        return replace(mention, metonym=True)
    return mention


def drop_disease_names(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """'West Nile virus', 'Marburg fever': once a document uses a place name for a disease, the bare
    name means the disease there too (one sense per document), unless a preposition says place."""
    text = doc.text  # spaCy joins the tokens on every .text: read it once
    diseases = {name_key(m.text) for m in mentions if followed_by_disease_word(text, m)} | DISEASE_NAMES
    out = []
    for m in mentions:
        if followed_by_disease_word(text, m):
            continue
        if name_key(m.text) in diseases:
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None or not locative_before(span):
                continue
        out.append(m)
    return out


def followed_by_disease_word(text: str, mention: Mention) -> bool:
    following = text[mention.end:mention.end + 40].replace("-", " ").split()
    if not following:
        return False
    word = following[0].lower().strip(".,;:!?\"'’()[]")
    return word.removesuffix("'s").removesuffix("’s") in DISEASE_WORDS


def merge(kept: list[Mention], extra: Iterable[Mention]) -> list[Mention]:
    """``kept`` plus each mention of ``extra`` that overlaps none of them."""
    out = list(kept)
    occupied = Occupied((k.start, k.end) for k in out)
    for mention in extra:
        if not occupied.overlaps(mention.start, mention.end):
            out.append(mention)
            occupied.add(mention.start, mention.end)
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
            span = ent.doc[piece[0].i:piece[-1].i + 1]
            out.append(Mention(span.start_char, span.end_char, span.text, ent.label_))
    return out


def gazetteer_mentions(doc: Doc, gazetteer: Gazetteer, found: list[Mention]) -> list[Mention]:
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
    taken = Occupied((m.start, m.end) for m in found)
    placed = {name_key(m.text) for m in found if m.role == "literal" and not m.compound and said_place(doc, m, gazetteer)}
    out = []
    runs = capitalised_runs(doc)
    for second in (False, True):   # the second pass: names the first found to be places
        for run in runs:
            for span in sub_runs(run):
                if taken.overlaps(span.start_char, span.end_char):
                    continue
                role = accept(span, gazetteer, named=second and name_key(span.text) in placed)
                if role:
                    out.append(Mention(span.start_char, span.end_char, span.text, "GAZ", role=role))
                    taken.add(span.start_char, span.end_char)
                    if role == "literal" and place_context(span, gazetteer):
                        placed.add(name_key(span.text))
    return sorted(out, key=lambda m: m.start)


def settlement_mentions(doc: Doc, gazetteer: Gazetteer, found: list[Mention]) -> list[Mention]:
    """Names the words around them call a settlement or a part of one ("the village of Ma’an", "Sontyo
    village", "Garam, a village", "the villages of Burd and Mujaymir", "the Al-Assad and Minyan
    suburbs"): places whether or not the model or the gazetteer knows them. They come before the
    gazetteer's names, which would take a known word inside them ("Khan" of "the town of Khan Touman").
    Resolution finds them in the gazetteer when it can; a village it lacks keeps its row, without
    coordinates, rather than vanish from the text's places."""
    framed = []
    listed = None   # the framed run that the run being read may start a list of ("X and Y suburbs")
    for run in reversed(capitalised_runs(doc)):
        joined = listed is not None and all(t.lower_ in {",", "and", "or"} for t in doc[run.end:listed.start])
        if joined or settlement_frame(run) or listed_after(run, said=settlement_frame):
            framed.append(run)
        listed = run if joined or plural_after(run) else None
    return framed_mentions(framed[::-1], gazetteer, found)


def feature_mentions(doc: Doc, gazetteer: Gazetteer, found: list[Mention]) -> list[Mention]:
    """Names of features or sites that the gazetteer lacks ("the Kodori Gorge", "the Hayyan Gas
    Fields"); after the gazetteer's names, so that a place it knows inside one keeps its own mention
    ("the Da Nang International Airport")."""
    runs = [run for run in capitalised_runs(doc) if feature_name(run) or ground_stormed(run)]
    return framed_mentions(runs, gazetteer, found)


def ground_stormed(span: Span) -> bool:
    """The whole object of a verb only ground takes ("stormed Mar’e", "shelled Kafr Sousah", whatever
    the model calls them), unless the model says organisation ("stormed the Parliament")."""
    root = span.root
    return territory_taken(span) and root.head.lemma_.lower() in GROUND_VERBS and root.ent_type_ not in {"ORG", "NORP"}


def framed_mentions(runs: list[Span], gazetteer: Gazetteer, found: list[Mention]) -> list[Mention]:
    """Mentions (label FRAMED) for the runs that overlap no mention found before, are no demonym
    ("Syrian towns", "the Sikh area") and are short enough to be a name."""
    taken = Occupied((m.start, m.end) for m in found)
    out = []
    for run in runs:
        if len(run) > MAX_NAME_TOKENS or run[0].lower_ in NOT_PLACES or \
                taken.overlaps(run.start_char, run.end_char) or \
                all(t.ent_type_ == "NORP" for t in run) or \
                any(c.matched == "demonym" for c in gazetteer.lookup(run.text)):
            continue
        out.append(Mention(run.start_char, run.end_char, run.text, FRAMED))
    return out


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


def said_place(doc: Doc, mention: Mention, gazetteer: Gazetteer) -> bool:
    """The text itself says the mention is a place: "in Mansfield", "Mansfield, Ohio"."""
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    return span is not None and len(span) > 0 and place_context(span, gazetteer)


def place_context(span: Span, gazetteer: Gazetteer) -> bool:
    """The words around the span say place: "in Stavanger", "Stavanger, Norway", "Gainesville residents"."""
    return locative_before(span) or paired(span, gazetteer) or at_dateline(span)


def accept(span: Span, gazetteer: Gazetteer, *, named: bool = False) -> Optional[str]:
    """The span's role ('literal' or 'modifier') if the evidence says it names a place, else None.
    ``named``: the document already names this place by the same name."""
    place = place_class(span, gazetteer)
    if place is None:
        return None
    ent, relation = covering_entity(span)
    if relation == "inside" and (inner_locative(span, ent) or runs_on(span, ent)):
        relation = None   # "the Children's Hospital of Manitoba in Winnipeg": the model ran past the place
    if relation == "inside":  # only a region, or a town heading an institution, inside a non-person name
        if ent.label_ in ("PERSON", "WORK_OF_ART"):
            return None
        # a town's institution ("the Athens Police Department") when the town is a city or the text
        # says elsewhere that the name is a place: "Supreme Court" is no town's court
        town_named = institution_of(span, ent) and (place == "city" or named)
        return "modifier" if place == "region" or town_named else None
    if place == "region":
        return "literal"
    context = place_context(span, gazetteer) or named
    if place == "city":
        return "literal" if context or ent is None or ent.label_ != "PERSON" else None
    return "literal" if context else None  # a town needs "in Town" or "Town, Region"


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


def place_class(span: Span, gazetteer: Gazetteer) -> Optional[str]:
    """'region' (country, province, sea...), 'city' (100,000 people or more), 'town', or None.

    Only trustworthy matches count as evidence: a place's own name (any case or accents), a curated
    abbreviation, or an alias of a country, continent, macro-region or physical feature. GeoNames'
    alternate names of towns include noise ("D" for Detroit, "Lu" for Luzhou) that would turn common
    words into places. An acronym must match in capitals ("UN" is not Un, India).
    """
    text = span.text
    if len(span) == 1 and span[0].lower_ in GENERIC_WORDS:
        return None
    acronym = is_acronym(text)
    best = None
    for c in gazetteer.lookup(text):
        trusted = c.matched in ("name", "folded") or (c.matched == "abbreviation" and (
            c.feature != "ADM1" or written_abbreviation(span))) or (
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


def written_abbreviation(span: Span) -> bool:
    """The span is written as a province's abbreviation: with its full stops ("Miss.", "N.Y."; "Miss
    Cordiner" is a title) or in capitals ("NSW", "SC"), where a two-letter code needs a "Town, PA" pair
    ("the PA system")."""
    text = span.text
    if "." in text or (span.end < len(span.doc) and span.doc[span.end].text == "."):
        return True
    if not text.isupper():
        return False
    return len(text) > 2 or paired_after_town(span)


def paired_after_town(span: Span) -> bool:
    """'Pittsburgh, PA': a capitalised word and a comma right before the span."""
    doc = span.doc
    return span.start >= 2 and doc[span.start - 1].text == "," and doc[span.start - 2].text[:1].isupper()


def covering_entity(span: Span) -> tuple[Optional[Span], Optional[str]]:
    """The model's entity over the span, and whether the span is 'equal' to it or 'inside' it.

    Read from the tokens' IOB tags rather than by scanning doc.ents: this runs for every capitalised
    run and its sub-runs."""
    doc = span.doc
    token = next((t for t in span if t.ent_iob_ != "O"), None)
    if token is None:
        return None, None
    start = token.i
    while doc[start].ent_iob_ == "I" and start > 0:
        start -= 1
    end = start + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
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


def dateline_tokens(doc: Doc) -> tuple[int, ...]:
    """Indexes of the tokens of the document's datelines (worked out once per document); the tagger
    often reads a dateline's capitals as something else."""
    if "geomap_datelines" not in doc.user_data:
        out = set()
        for match in DATELINE.finditer(doc.text):
            span = doc.char_span(match.start(1), match.end(1), alignment_mode="expand")
            if span is not None:
                out.update(range(span.start, span.end))
        doc.user_data["geomap_datelines"] = tuple(sorted(out))   # DocBin can store a tuple
    return doc.user_data["geomap_datelines"]


def at_dateline(span: Span) -> bool:
    return span.text.isupper() and span.start in dateline_tokens(span.doc)


def capitalised_runs(doc: Doc) -> list[Span]:
    """Maximal runs of capitalised proper nouns, joined across hyphens ("Saxony-Anhalt"), and the
    words of datelines; worked out once per document (three sources read them)."""
    if "geomap_runs" not in doc.user_data:
        doc.user_data["geomap_runs"] = tuple((run.start, run.end) for run in find_capitalised_runs(doc))
    return [doc[start:end] for start, end in doc.user_data["geomap_runs"]]


def find_capitalised_runs(doc: Doc) -> list[Span]:
    """Maximal runs of capitalised proper nouns, joined across hyphens ("Saxony-Anhalt"), and the
    words of datelines."""
    runs, start = [], None
    datelines = dateline_tokens(doc)
    for token in doc:
        word = (token.text[0].isupper() and NAME_WORD.match(token.text) or DOTTED.match(token.text)) and \
            token.lower_ not in NOT_PLACES and (token.pos_ == "PROPN" or token.ent_type_ != "" or token.i in datelines)
        hyphen = token.text in {"-", "–"} and start is not None and token.i + 1 < len(doc) and \
            not token.whitespace_ and doc[token.i + 1].text[:1].isupper()
        word = word or article_before_name(token)
        if (word or hyphen) and start is None:
            start = token.i
        elif not (word or hyphen) and start is not None:
            runs.append(doc[start:token.i])
            start = None
    if start is not None:
        runs.append(doc[start:len(doc)])
    return [run for run in runs if is_name_end(run[-1])]


def is_name_end(token) -> bool:
    """A word a name can start or end with: not a hyphen."""
    return bool(NAME_WORD.match(token.text) or DOTTED.match(token.text))


def article_before_name(token) -> bool:
    """Arabic's article in lower case, hyphened to a name: the "al" of "al-Hazm"."""
    doc = token.doc
    return token.lower_ in ARABIC_ARTICLES and token.text.islower() and not token.whitespace_ and \
        token.i + 2 < len(doc) and doc[token.i + 1].text == "-" and not doc[token.i + 1].whitespace_ and \
        doc[token.i + 2].text[:1].isupper()


def sub_runs(run: Span) -> Iterable[Span]:
    """The run, then shorter and shorter pieces of it, left to right; hyphen pieces are not split."""
    for size in range(min(len(run), MAX_NAME_TOKENS), 0, -1):
        for start in range(run.start, run.end - size + 1):
            span = run.doc[start:start + size]
            if all(is_name_end(t) for t in (span[0], span[-1])):
                yield span


def mentions_from_spans(doc: Doc, spans: list[tuple[int, int]], gazetteer: Gazetteer) -> list[Mention]:
    """Mentions for spans a caller already found; a span that reads as a compound becomes one.

    Compounds are read in the whole text, so that "its border with Syria" knows what "its" is.
    """
    text = doc.text
    given = [Mention(start, end, text[start:end], "GIVEN") for start, end in spans]
    # the model's places count for "the country" too, as they do in find_mentions
    compounds = {(c.start, c.end): c for c in compound_mentions(doc, gazetteer, given + model_mentions(doc))}
    return [compounds.get((m.start, m.end), m) for m in given]
