"""Step 3: number the happenings in reading order ("other mentions" last) and label each: who did
what (where, when), 2–12 words."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Optional

from spacy.tokens import Token

from ..models import OTHER, Event, Place
from .index import ACTOR_LABELS, SUBJECT_DEPS, DocIndex, subject_of
from .linker import is_trigger, lemma_of, word_lists
from .merge import Happening, light_noun

MAX_LABEL_WORDS = 12
OBJECT_DEPS = {"dobj", "dative", "attr", "oprd"}


def numbered_events(index: DocIndex, happenings: list[Happening], places: list[Place],
                    linked: list[Optional[Token]]) -> tuple[list[Event], list[int]]:
    events: list[Event] = []
    which = [-1] * len(places)
    for number, h in enumerate(happenings, start=1):
        main = label_trigger(h.lead or h.triggers)
        events.append(Event(id=number, label=describe(index, h, places), trigger_start=main.idx,
                            trigger_end=main.idx + len(main.text), place_indexes=tuple(sorted(h.places)),
                            date=h.date, actors=h.actors))
        for k in h.places:
            which[k] = len(events) - 1
    others = tuple(k for k in range(len(places)) if linked[k] is None)
    if others:
        events.append(Event(id=len(happenings) + 1, label=OTHER, trigger_start=None, trigger_end=None,
                            place_indexes=others))
        for k in others:
            which[k] = len(events) - 1
    return events, which


def with_row_triggers(events: list[Event], which: list[int],
                      linked: list[Optional[Token]]) -> tuple[list[Event], list[int]]:
    """A copy of the event, with its own trigger, for each place linked by another word than the
    event's main one (export reads a row's trigger from its Event)."""
    events, which = list(events), list(which)
    variants: dict[tuple[int, int], int] = {}
    for k, trigger in enumerate(linked):
        if trigger is None or events[which[k]].trigger_start == trigger.idx:
            continue
        key = (events[which[k]].id, trigger.i)
        if key not in variants:
            variants[key] = len(events)
            events.append(replace(events[which[k]], trigger_start=trigger.idx,
                                  trigger_end=trigger.idx + len(trigger.text)))
        which[k] = variants[key]
    return events, which


def describe(index: DocIndex, h: Happening, places: list[Place]) -> str:
    """Who did what (where, when): 'Russian jets infiltrated Turkey airspace, Oct. 3-4',
    'NATO parliamentary meeting, Stavanger, Oct. 12, 2015'. At most MAX_LABEL_WORDS words."""
    trigger = label_trigger(h.lead or h.triggers)
    what = verb_phrase(index, trigger, places) if trigger.pos_ == "VERB" else noun_phrase(index, trigger, places)
    words = what.split()[:MAX_LABEL_WORDS - len((h.date or "").split())]
    label = " ".join(words) or trigger.text
    where = place_words(h, places, label)
    if where and len(label.split()) + len(where.split()) + len((h.date or "").split()) <= MAX_LABEL_WORDS:
        label += f", {where}"
    return f"{label}, {h.date}" if h.date else label


def label_trigger(triggers: Sequence[Token]) -> Token:
    """The word that best says what happened: a verb with a named subject ("Russian jets infiltrated"),
    else an event noun with its own actor ("NATO parliamentary meeting"), else the first trigger;
    speech verbs last."""
    return min(triggers, key=lambda t: (label_weight(t), t.i))


def label_weight(t: Token) -> float:
    if t.pos_ == "VERB" and lemma_of(t) in word_lists()["speech"]:
        return 3
    if t.pos_ in {"NOUN", "PROPN"}:
        has_actor = any(c.dep_ in {"compound", "amod", "poss", "nmod"} and c.ent_type_ in ACTOR_LABELS for c in t.lefts)
        return 1 if has_actor else 2
    subject = subject_of(t)
    named = subject is not None and subject.pos_ != "PRON" and not is_trigger(subject)
    if named and t.dep_ not in {"xcomp", "ccomp", "advcl"}:
        return 1.5 if light_noun(t) is not None else 0
    return 2


def verb_phrase(index: DocIndex, verb: Token, places: list[Place]) -> str:
    """'NATO offered to help Turkey defend Turkey–Syria border', 'ships docked', 'Erdoğan issuing
    Moscow warning'."""
    words = [phrase(index, subject_of(verb), places), verb.text] + objects_of(index, verb, places)
    return " ".join(w for w in words + complement_words(index, verb, places, depth=2) if w)


def objects_of(index: DocIndex, verb: Token, places: list[Place]) -> list[str]:
    return [phrase(index, o, places) for o in verb.children if o.dep_ in OBJECT_DEPS][:2]


def complement_words(index: DocIndex, verb: Token, places: list[Place], depth: int) -> list[str]:
    """What a control verb's complement adds: 'to help Turkey defend Turkey–Syria border'."""
    complement = next((c for c in verb.children if c.pos_ == "VERB" and
                       (c.dep_ in {"xcomp", "ccomp"} or c.dep_ == "advcl" and has_to(c))), None)
    if complement is None or depth == 0 or lemma_of(verb) not in word_lists()["control"] | {"help"} \
            and complement.dep_ != "xcomp" and not has_to(complement):
        return []
    subject = next((c for c in complement.children if c.dep_ in SUBJECT_DEPS), None)
    words = ["to"] if has_to(complement) else []
    words += [phrase(index, subject, places), complement.text] + objects_of(index, complement, places)
    return words + complement_words(index, complement, places, depth - 1)


def has_to(verb: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def noun_phrase(index: DocIndex, noun: Token, places: list[Place]) -> str:
    """'NATO parliamentary meeting', 'Russian violations of Turkey airspace'."""
    words = [phrase(index, noun, places)]
    of = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    target = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
    if target is not None and index.place_at.get(target.i) is not None:
        words += ["of", phrase(index, target, places)]
    return " ".join(words)


def phrase(index: DocIndex, token: Optional[Token], places: list[Place]) -> str:
    """A head noun with its compound, adjective and possessor words; a place mention is given by its
    resolved name ("the country's sovereign air space" -> "Turkey airspace")."""
    if token is None:
        return ""
    k = index.place_at.get(token.i)
    if k is not None and places[k].name and places[k].mention.role != "demonym":
        return places[k].name
    if token.pos_ == "PRON":
        return "" if token.lower_ in {"it", "they", "them"} else token.text
    if token.i in index.actor_at and index.actor_at[token.i].root.i == token.i:
        return index.actor_at[token.i].text   # "Jens Stoltenberg", not "NATO Secretary-General Jens Stoltenberg"
    mods = [c for c in token.lefts if c.dep_ in {"compound", "amod", "poss", "nmod"} and c.is_alpha
            and c.pos_ != "PRON"]
    return " ".join([m.text for m in mods][-3:] + [token.text])


def place_words(h: Happening, places: list[Place], label: str) -> str:
    """The happening's first named place that the label does not already name, as the text names it
    unless that is a description ("the country's sovereign air space": its resolved name)."""
    named = [places[k] for k in h.places if places[k].name and places[k].mention.role != "demonym"]
    for place in named:
        if place.name not in label and place.mention.text not in label:
            text = place.mention.text
            return text if text[:1].isupper() and "’" not in text and "'" not in text else place.name
    return ""
