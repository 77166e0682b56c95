"""Events v1: each place belongs to the happening its clause reports.

The trigger is the nearest verb that governs the mention in the dependency parse (the sentence
root when none does); its label reads "subject verb object" ("Stoltenberg attends meeting").
Events with the same label are one event. Places with no parse get the event "other mentions".
"""
from __future__ import annotations

from typing import Optional

from spacy.tokens import Doc, Token

from .models import Event, Place

OTHER = "other mentions"
MAX_LABEL_WORDS = 8
SUBJECT_DEPS = {"nsubj", "nsubjpass"}
OBJECT_DEPS = {"dobj", "attr", "oprd"}


def assign_events(doc: Doc, places: list[Place]) -> tuple[list[Event], list[int]]:
    """Events in reading order, and the index of each place's event."""
    by_label: dict[str, int] = {}
    triggers: list[Optional[Token]] = []
    members: list[list[int]] = []
    which = []
    for i, place in enumerate(places):
        span = doc.char_span(place.mention.start, place.mention.end, alignment_mode="expand")
        trigger = governing_verb(span.root) if span is not None and len(span) else None
        label = describe(trigger) if trigger is not None else OTHER
        if label not in by_label:
            by_label[label] = len(triggers)
            triggers.append(trigger)
            members.append([])
        members[by_label[label]].append(i)
        which.append(by_label[label])
    events = [
        Event(id=n + 1, label=label,
              trigger_start=triggers[n].idx if triggers[n] is not None else None,
              trigger_end=triggers[n].idx + len(triggers[n].text) if triggers[n] is not None else None,
              place_indexes=tuple(members[n]))
        for label, n in by_label.items()
    ]
    return events, which


def governing_verb(token: Token) -> Token:
    """The first verb above ``token`` in the parse, or its sentence's root."""
    node = token
    while node.head.i != node.i:  # spaCy makes a new Token object on every access: compare indexes
        node = node.head
        if node.pos_ == "VERB":
            return node
    return node


def describe(trigger: Token) -> str:
    """'Stoltenberg attends meeting': who, the trigger, and what, from the trigger's children."""
    if trigger.pos_ not in {"VERB", "AUX"}:
        words = [t.text for t in trigger.sent if not t.is_punct][:MAX_LABEL_WORDS]
        return " ".join(words) or OTHER
    subject = next((c for c in trigger.children if c.dep_ in SUBJECT_DEPS), None)
    obj = next((c for c in trigger.children if c.dep_ in OBJECT_DEPS), None)
    words = [phrase(subject), trigger.text, phrase(obj)]
    return " ".join(w for w in words if w)


def phrase(token: Optional[Token]) -> str:
    """A head noun with its compound and adjective modifiers: 'parliamentary meeting'."""
    if token is None:
        return ""
    if token.pos_ == "PRON":
        return token.text
    mods = [c for c in token.lefts if c.dep_ in {"compound", "amod", "poss"} and c.is_alpha]
    words = [m.text for m in mods][-3:] + [token.text]
    return " ".join(words)
