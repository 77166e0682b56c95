"""Step 3: number the happenings in reading order ("other mentions" last) and label each: who did
what, where, when, 3–12 words of the text's own, cut by whole constituents (``wording``)."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Optional

from spacy.tokens import Token

from ..models import OTHER, Event, Place
from .index import ACTOR_LABELS, DATE_WORDS, DocIndex, subject_of
from .linker import is_trigger
from .merge import Happening, light_noun
from .mood import eventive
from .wording import (clause, clitic_names, complements_of, is_dateline, noun_phrase, pronoun_names, render,
                      strip_edges)

UNITS = {"week", "month", "year", "weekend", "morning", "evening", "night", "day", "decade", "century"}
RELATIVE_DATE_WORDS = {"last", "this", "next", "earlier", "later", "ago", "previous", "coming", "past"}
MIN_LABEL_WORDS = 3
MAX_LABEL_WORDS = 12


def numbered_events(index: DocIndex, happenings: list[Happening], places: list[Place],
                    linked: list[Optional[Token]]) -> tuple[list[Event], list[int]]:
    events: list[Event] = []
    which = [-1] * len(places)
    for number, h in enumerate(happenings, start=1):
        main = label_trigger(index, h.lead or h.triggers)
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
    """Who did what, then where and when, in the text's own words cut by whole constituents (wording):
    "Turkey has shelled a city in northeastern Syria, Tuesday", "NATO parliamentary meeting in
    Stavanger, Oct. 12, 2015". MIN_LABEL_WORDS to MAX_LABEL_WORDS words: the fullest phrasing that
    fits, dropping the place or the date before a modifier (``phrasings``), never words from the middle."""
    trigger = head_of_chain(label_trigger(index, h.lead or h.triggers))
    dates = date_tokens(index, h)
    where = frozenset(i for k in h.places if index.spans[k] is not None
                      for i in range(index.spans[k].start, index.spans[k].end))
    noun = trigger.pos_ not in {"VERB", "AUX"}
    short = ""
    for what in phrasings(index, trigger, where, dates):
        place = place_words(index, h, places, what)
        date = label_date(h.date) if h.date and h.date not in what else None
        # an event noun takes its place as the text would ("fire in Joliet"); a clause, after a comma
        head = (f"{what} in {place}" if noun else f"{what}, {place}") if place else what
        for parts in ((head, date), (what, date), (head, None), (what, None)):
            label = ", ".join(p for p in parts if p)
            if len(label.split()) <= MAX_LABEL_WORDS:
                if len(label.split()) >= MIN_LABEL_WORDS:
                    return label
                short = short or label
    return short or trigger.text


def phrasings(index: DocIndex, trigger: Token, where: frozenset, dates: frozenset):
    """The trigger's phrase from the fullest to the barest, then fuller ones for a label that would be too
    short: every prepositional phrase of the verb ("overturned on Highway 5"), the leading article kept."""
    if trigger.pos_ in {"VERB", "AUX"}:
        options = [dict(level=0), dict(level=1), dict(level=2), dict(level=2, complements=False),
                   dict(level=2, complements=False, objects=False), dict(level=1, adjuncts=True)]
    else:
        options = [dict(level=0), dict(level=1), dict(level=2)]
    for option in options:
        yield phrase_of(index, trigger, where, dates, article=True, **option)
    yield phrase_of(index, trigger, where, dates, article=False, level=0)


def label_date(date: str) -> Optional[str]:
    """A date a reader can place: 'Tuesday', 'Oct. 3-4', 'last week', 'in 1959'; not an age or a length
    ('60', 'a year', 'the past few days')."""
    words = [w.lower().strip(".,") for w in date.split()]
    named = any(w in DATE_WORDS and w not in UNITS for w in words) or any(w.isdigit() and len(w) == 4 for w in words)
    relative = any(w in RELATIVE_DATE_WORDS for w in words) and any(w.rstrip("s") in UNITS for w in words)
    return date if named or relative else None


def head_of_chain(trigger: Token) -> Token:
    """The verb a complement hangs from, for the label ("offered to help", not "help")."""
    while trigger.pos_ == "VERB" and trigger.head.pos_ == "VERB" and trigger.head.i != trigger.i and \
            trigger in complements_of(trigger.head):
        trigger = trigger.head
    return trigger


def phrase_of(index: DocIndex, trigger: Token, where: frozenset, dates: frozenset, article: bool,
              level: int, **clause_options) -> str:
    doc = index.doc
    if trigger.pos_ in {"VERB", "AUX"}:
        tokens = clause(trigger, level, where, dates, **clause_options)
    else:
        tokens = noun_phrase(trigger, level, frozenset(), dates)
    article = article and trigger.pos_ != "VERB"
    kept = strip_edges(doc, [i for i in tokens if not is_dateline(doc[i])], article)
    names = pronoun_names(doc, kept)
    kept = strip_edges(doc, [i for i in kept if names.get(i) != ""], article)
    return render(doc, kept, {**clitic_names(doc, kept), **names})


def date_tokens(index: DocIndex, h: Happening) -> frozenset:
    """The tokens of the happening's date where its triggers' sentences write it: said after the place,
    not inside the phrase."""
    if not h.date or label_date(h.date) is None:
        return frozenset()   # a length or an age stays where it is ("spent seven days searching")
    sents = {index.sent_of[t.i] for t in h.triggers}
    return frozenset(i for n in sents for ent in index.dates[n] if ent.text == h.date
                     for i in range(ent.start, ent.end))


def label_trigger(index: DocIndex, triggers: Sequence[Token]) -> Token:
    """The word that best says what happened: a verb with a named subject ("Russian jets infiltrated"),
    else an event noun with its own actor ("NATO parliamentary meeting"), else the first trigger;
    saying and what tells no happening (mood) last."""
    return min(triggers, key=lambda t: (label_weight(index, t), t.i))


def label_weight(index: DocIndex, t: Token) -> float:
    if not eventive(index, t):
        return 3
    if t.pos_ in {"NOUN", "PROPN"}:
        has_actor = any(c.dep_ in {"compound", "amod", "poss", "nmod"} and c.ent_type_ in ACTOR_LABELS for c in t.lefts)
        return 1 if has_actor else 2
    subject = subject_of(t)
    named = subject is not None and subject.pos_ != "PRON" and not is_trigger(subject)
    if named and t.dep_ not in {"xcomp", "ccomp", "advcl"}:
        return 1.5 if light_noun(t) is not None else 0
    return 2


def place_words(index: DocIndex, h: Happening, places: list[Place], label: str) -> str:
    """Where, when the label does not say it: the happening's first named place in its trigger's
    sentence (else its first), as the text names it unless that is a description or a dateline
    ("the country's sovereign air space", "BEIRUT": its resolved name). Nothing when the label names
    one of its places."""
    named = [k for k in h.places if places[k].name and places[k].mention.role != "demonym"]
    if any(places[k].name in label or is_name(places[k].mention.text) and places[k].mention.text in label
           for k in named):
        return ""
    sents = {index.sent_of[t.i] for t in h.triggers}
    spans = {k: index.spans[k] for k in named if index.spans[k] is not None}
    in_sentence = [k for k in spans if index.sent_of[spans[k].start] in sents and not is_dateline(spans[k][0])]
    k = next(iter(in_sentence + named), None)
    if k is None:
        return ""
    text = places[k].mention.text
    return text if is_name(text) and not text.isupper() else places[k].name


def is_name(text: str) -> bool:
    return text[:1].isupper() and "’" not in text and "'" not in text
