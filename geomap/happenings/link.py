"""Step 1: link each place to the trigger (a verb or an event noun) whose happening took place there, or
to none ("other mentions"). The trained linker (``linker``) scores the verbs; the parse decides settings
("at the summit in Oslo"), reported speech and participants; ``mood`` says whether a trigger's clause tells
a happening at all."""
from __future__ import annotations

from typing import Optional

from spacy.tokens import Token

from ..models import Place
from ..vocabulary import EVENT_PREPOSITIONS
from .index import SUBJECT_DEPS, DocIndex
from .linker import candidates, default_linker, is_event_verb, is_trigger, lemma_of, word_lists
from .mood import realis

ARGUMENT_DEPS = SUBJECT_DEPS | {"dobj", "dative"}
NESTING_PREPS = {"in", "by"}        # "killed in fighting", "wounded by shelling" (not "during": a setting)
SETTING_PREPS = {"at", "during", "amid", "amidst"}
REPORT_DEPS = {"ccomp", "parataxis"}


def link_places(index: DocIndex, places: list[Place]) -> list[Optional[Token]]:
    """Each place's trigger; a place set beside another ("Stavanger, Norway", "Germany and France")
    takes that place's."""
    linked: dict[int, Optional[Token]] = {}

    def link(k: int, seen: frozenset) -> Optional[Token]:
        if k not in linked:
            anchor = anchor_place(index, k)
            linked[k] = link(anchor, seen | {k}) if anchor is not None and anchor not in seen else \
                link_place(index, k)
        return linked[k]
    return [link(k, frozenset()) for k in range(len(places))]


def anchor_place(index: DocIndex, k: int) -> Optional[int]:
    span = index.spans[k]
    if span is None or not len(span) or span.root.dep_ not in {"appos", "conj", "npadvmod", "compound"}:
        return None
    anchor = index.place_at.get(span.root.head.i)
    return anchor if anchor != k else None


def link_place(index: DocIndex, k: int) -> Optional[Token]:
    """The trigger whose happening took place at the place, or None ("other mentions")."""
    span = index.spans[k]
    if span is None or not len(span):
        return None
    # the linker's verb first (the data it learnt from marks verbs); an event noun over the place when
    # no verb is linked ("Floods in Bangladesh")
    noun = governing_noun(index, span.root)
    if noun is not None and is_setting(noun) and not within_setting(noun):
        return noun if realis(index, noun) else None
    linker = default_linker()
    verbs = index.verbs[index.sent_of[span.start]]
    # the place's preferred verb (linker.preference: the selector's choice among the verbs the
    # locator finds plausible); the locator's probability there says whether it is its location at all
    scored = [(p, t) for p, _, t in
              linker.best(candidates(index.doc, index.ancestry, span, verbs, index.place_tokens))]
    if not scored:
        return noun if noun is not None and realis(index, noun) else None
    prob, best = scored[0]
    reported = reported_clause(index, span.root, best)
    if reported is not None:   # a place inside what is said belongs to what is said, not to the saying
        inside = [(p, t) for p, t in scored if t.i != best.i and reported.i in index.ancestry.chain(t.i)]
        prob, best = inside[0] if inside else (0.0, best)
    if prob >= linker.threshold and realis(index, best):
        return best
    if noun is not None and realis(index, noun):
        return noun
    return participant_of(index, span.root)


def governing_noun(index: DocIndex, root: Token) -> Optional[Token]:
    """The event noun the place modifies before any verb ("meeting in Stavanger", "violations of
    Turkey's airspace"), unless that noun completes a verb ("killed in fighting in Aleppo": killed)."""
    for i in index.ancestry.chain(root.i)[1:]:
        token = index.doc[i]
        if token.pos_ in {"VERB", "AUX"}:
            return None
        if token.pos_ in {"NOUN", "PROPN"} and is_trigger(token) and i not in index.place_tokens:
            nested = token.head.pos_ == "ADP" and lemma_of(token.head) in NESTING_PREPS and \
                is_event_verb(token.head.head)
            return None if nested else token
    return None


def is_setting(noun: Token) -> bool:
    """An event noun that is the setting of another ("at the summit in Holmestrand", "during a meeting
    in Stavanger", "amid activity on the border"): a place in it is where the setting happened."""
    return noun.head.pos_ == "ADP" and lemma_of(noun.head) in SETTING_PREPS


def within_setting(noun: Token) -> bool:
    """A happening verb set in the setting noun ("were killed during raids over Palmyra", "was shot at
    a rally in Tijuana"): the place is where the verb's happening took place too, and the linker weighs
    that verb as usual. A verb that says no happening of its own keeps the place with the setting ("made
    the offer during a meeting in Stavanger": a light verb; "said at a summit in Oslo": speech)."""
    verb = noun.head.head
    words = word_lists()
    return verb.pos_ == "VERB" and is_event_verb(verb) and lemma_of(verb) not in words["light"] \
        and lemma_of(verb) not in words["speech"]


def participant_of(index: DocIndex, root: Token) -> Optional[Token]:
    """The verb right above the place when the place is its subject or object ("Leaders from Germany
    met", "Russia claimed") or a locative phrase of it ("docked at Tartus"): the parse says it belongs
    there even where the linker, which learnt verbs of political events, doubts a rarer verb."""
    chain = index.ancestry.chain(root.i)
    for below, i in zip(chain, chain[1:]):
        token = index.doc[i]
        if token.pos_ in {"VERB", "AUX"}:
            link = index.doc[below]
            attached = link.dep_ in ARGUMENT_DEPS or link.dep_ == "prep" and lemma_of(link) in EVENT_PREPOSITIONS
            return token if attached and is_event_verb(token) and realis(index, token) else None
    return None


def reported_clause(index: DocIndex, root: Token, trigger: Token) -> Optional[Token]:
    """The clause a speech verb reports when the place lies inside it ("Turkey is a strong ally,"
    Stoltenberg told Reuters): its head token, else None."""
    if lemma_of(trigger) not in word_lists()["speech"]:
        return None
    chain = index.ancestry.chain(root.i)
    if trigger.i not in chain:
        return None
    below = index.doc[chain[chain.index(trigger.i) - 1]] if chain.index(trigger.i) else None
    return below if below is not None and below.dep_ in REPORT_DEPS else None
