"""After the sources: names used for a person or a disease dropped, metonyms marked, roles selected,
overlaps settled."""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Callable, Iterable, Optional

from spacy.tokens import Doc

from ..candidates import Gazetteer
from ..models import Mention, Occupied
from ..names import name_key
from .context import locative_before, paired, person_cue
from .evidence import prominent_region
from .metonymy import mark_metonyms
from ..tokens import Tokens
from .words import DISEASE_NAMES, DISEASE_WORDS, FRAMED


OverlapPolicy = Callable[[list[Mention], Iterable[Mention]], list[Mention]]


def drop_person_names(doc: Doc, mentions: list[Mention], gazetteer: Gazetteer,
                      tokens: Optional[Tokens] = None) -> list[Mention]:
    """Names the document uses for a person, not a place: one sense per name per document.

    A name is a person's where it follows a title ("Sen. Nelson", "Mr. Farrin") or a first name
    ("Rick Farrin"), or ends a name the model calls a PERSON ("Mikheil Saakashvili"); every bare
    mention of that name then goes ("Saakashvili said"), unless a preposition or a "Town, Region" pair
    says place ("in Ripley", "Ripley, Miss.") or the name is a country, a continent or a populous
    province ("Georgia" stays Georgia although a "Georgia Smith" is quoted). Compounds and demonyms
    are left alone. ``tokens``: the doc's ``Tokens``, where the caller has them.
    """
    tokens = Tokens(doc) if tokens is None else tokens
    spans = {m: tokens.token_span(m.start, m.end) for m in mentions}
    spans = {m: span for m, span in spans.items() if span is not None and span[0] < span[1]}   # those with tokens
    persons = {name_key(tokens.text[ent.end - 1]) for ent in tokens.entities if ent.label == "PERSON"
               and ent.end - ent.start > 1 and tokens.is_alpha[ent.end - 1]}
    for m, span in spans.items():
        if person_cue(tokens, span[0], mentions, m):
            persons.add(name_key(m.text))
    if not persons:
        return mentions
    return [m for m in mentions if m.compound or m.role == "demonym" or m.label == FRAMED or m not in spans
            or name_key(m.text) not in persons or locative_before(tokens, *spans[m])
            or paired(tokens, *spans[m], gazetteer) or prominent_region(m.text, gazetteer)]


def select(mentions: list[Mention], *, modifiers: bool, demonyms: bool,
           overlap: Optional[OverlapPolicy] = None) -> list[Mention]:
    """The mentions of the roles asked for: literal always, modifiers and demonyms on request."""
    kept = [m for m in mentions if (modifiers or m.role != "modifier") and (demonyms or m.role != "demonym")]
    if modifiers and demonyms:  # a demonym entity over a modifier: the modifier came first
        kept = (overlap or merge)([m for m in kept if m.label != "NORP"], [m for m in kept if m.label == "NORP"])
    return kept


def finish(doc: Doc, mentions: list[Mention], gazetteer: Optional[Gazetteer] = None) -> list[Mention]:
    """Spans ended where their names do (``name_ends``), names used for a disease dropped, metonyms marked
    (geomap.recognition.metonymy)."""
    tokens = Tokens(doc)
    mentions = name_ends(tokens.doc_text, mentions)
    return mark_metonyms(doc, drop_disease_names(doc, mentions, tokens), gazetteer, tokens=tokens)


def name_ends(text: str, mentions: list[Mention]) -> list[Mention]:
    """The mentions, each ending where its name does: initials with their last full stop (``with_final_stop``),
    and no era after a year (``is_era``). The last step of the rules and of the learned recognizer alike."""
    return [with_final_stop(text, m) for m in mentions if not is_era(text, m)]


# initials that lack their last full stop: "U.S", "W.Va", "South L.A"
DOTTED_TAIL = re.compile(r"(?:^|[\s.])[A-Za-z]\.[A-Za-z]{1,3}$")


def with_final_stop(text: str, mention: Mention) -> Mention:
    """A mention of initials with the full stop that ends them: where a sentence ends with "U.S." or "W.Va.",
    spaCy may split the stop off as the sentence's, and the span would end at "U.S"."""
    end = mention.end
    if end < len(text) and text[end] == "." and not mention.compound and DOTTED_TAIL.search(mention.text):
        return replace(mention, end=end + 1, text=text[mention.start:end + 1])
    return mention


# an era after a year: "100 B.C.", "476 A.D."; "B.C." alone is British Columbia
ERA = re.compile(r"(?:B\.?C|A\.?D|B\.?C\.?E|C\.?E)\.?")
YEAR_BEFORE = re.compile(r"\d\s*$")


def is_era(text: str, mention: Mention) -> bool:
    """A mention that is the era of the year written just before it, not a place."""
    return ERA.fullmatch(mention.text) is not None and YEAR_BEFORE.search(text, max(0, mention.start - 8),
                                                                          mention.start) is not None


def drop_disease_names(doc: Doc, mentions: list[Mention], tokens: Optional[Tokens] = None) -> list[Mention]:
    """'West Nile virus', 'Marburg fever': once a document uses a place name for a disease, the bare
    name means the disease there too (one sense per document), unless a preposition says place.
    ``tokens``: the doc's ``Tokens``, where the caller has them."""
    tokens = Tokens(doc) if tokens is None else tokens
    text = tokens.doc_text
    diseases = {name_key(m.text) for m in mentions if followed_by_disease_word(text, m)} | DISEASE_NAMES
    out = []
    for m in mentions:
        if followed_by_disease_word(text, m):
            continue
        if name_key(m.text) in diseases:
            span = tokens.token_span(m.start, m.end)
            if span is None or not locative_before(tokens, *span):
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
