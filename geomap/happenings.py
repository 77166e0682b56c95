"""Events: which happening each place belongs to.

The trigger of a place is found by climbing the dependency parse from the mention: the first event
noun above it ("meeting in Stavanger", "violations of Turkey's airspace", "activity on the border"),
else the first verb, lifted through open complements to the verb that governs them ("NATO offered to
help Turkey defend its border": offered). An event noun used again later in the document is the same
event ("Russian violations of Turkey's airspace" … "the violations, which took place Oct. 3-4"); verbs
are one event when their labels match. Each event has a readable label (the noun phrase, or "subject
verb object"), the date expression near its trigger, and its actors (people, organisations and
demonyms attached to it). Places with no parse get the event "other mentions".
"""
from __future__ import annotations

from typing import Optional

import geopandas as gpd
import pandas as pd
import shapely
from spacy.tokens import Doc, Span, Token

from .models import Event, Place

OTHER = "other mentions"
MAX_LABEL_WORDS = 8
SUBJECT_DEPS = {"nsubj", "nsubjpass"}
OBJECT_DEPS = {"dobj", "attr", "oprd"}
RELATIVE_PRONOUNS = {"that", "which", "who", "whom", "whose"}
ACTOR_LABELS = {"PERSON", "ORG", "NORP"}
CONTROL_VERBS = {"help", "let", "make", "allow", "want", "try", "plan", "seek", "agree", "offer", "decide"}
DATE_WORDS = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
              "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
              "nov", "dec", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today",
              "yesterday", "tomorrow", "week", "month", "year", "weekend", "morning", "evening", "night"}
# Nouns that name a happening: a place attached to one locates it.
EVENT_NOUNS = {
    "meeting", "summit", "talks", "conference", "visit", "election", "vote", "referendum", "protest",
    "demonstration", "rally", "strike", "airstrike", "attack", "bombing", "raid", "offensive", "operation",
    "fighting", "clash", "battle", "war", "invasion", "occupation", "siege", "shelling", "violation",
    "incursion", "build-up", "buildup", "deployment", "activity", "exercise", "drill", "crash", "explosion",
    "blast", "fire", "flood", "flooding", "earthquake", "storm", "hurricane", "outbreak", "epidemic",
    "case", "death", "killing", "shooting", "arrest", "trial", "ceremony", "agreement", "deal", "ceasefire",
    "negotiation", "crisis", "accident", "evacuation", "landing", "launch", "test",
}


def assign_events(doc: Doc, places: list[Place]) -> tuple[list[Event], list[int]]:
    """Events in reading order, and the index of each place's event."""
    keys: dict[str, int] = {}
    found: list[dict] = []
    which = []
    for i, place in enumerate(places):
        span = doc.char_span(place.mention.start, place.mention.end, alignment_mode="expand")
        trigger = find_trigger(span.root) if span is not None and len(span) else None
        key = event_key(trigger)
        if key not in keys:
            keys[key] = len(found)
            found.append({"triggers": [], "places": []})
        event = found[keys[key]]
        if trigger is not None and all(t.i != trigger.i for t in event["triggers"]):
            event["triggers"].append(trigger)
        event["places"].append(i)
        which.append(keys[key])
    events = [make_event(n + 1, e["triggers"], e["places"]) for n, e in enumerate(found)]
    return events, which


def make_event(number: int, triggers: list[Token], members: list[int]) -> Event:
    if not triggers:
        return Event(id=number, label=OTHER, trigger_start=None, trigger_end=None, place_indexes=tuple(members))
    first = triggers[0]
    # an event noun said again elsewhere is the same happening: its date and actors count too
    mentions = same_noun_elsewhere(first) if event_key(first).startswith("noun:") else triggers
    date = next((d for d in (date_near(t) for t in mentions) if d), None)
    actors = tuple(dict.fromkeys(a for t in mentions for a in actors_of(t)))
    label = describe(first)
    return Event(id=number, label=f"{label}, {date}" if date else label, trigger_start=first.idx,
                 trigger_end=first.idx + len(first.text), place_indexes=tuple(members), date=date, actors=actors)


def same_noun_elsewhere(trigger: Token) -> list[Token]:
    lemma = trigger.lemma_.lower()
    return [trigger] + [t for t in trigger.doc if t.i != trigger.i and t.pos_ == "NOUN" and t.lemma_.lower() == lemma]


def find_trigger(token: Token) -> Token:
    """The event noun or verb that locates the place at ``token`` (the sentence root if none)."""
    node = token
    while node.head.i != node.i:  # spaCy makes a new Token object on every access: compare indexes
        node = node.head
        if node.pos_ == "NOUN" and node.lemma_.lower() in EVENT_NOUNS:
            return node
        if node.pos_ == "VERB":
            # "offered to help Turkey defend": complements of control verbs belong to the verb above them
            while node.head.i != node.i and node.head.pos_ == "VERB" and part_of_verb_above(node):
                node = node.head
            return node
    return node


def part_of_verb_above(verb: Token) -> bool:
    """An open complement ("began building"), a control verb's complement ("help Turkey defend") or an
    infinitive of purpose ("offered to help") is part of the event of the verb above it."""
    if verb.dep_ == "xcomp":
        return True
    if verb.dep_ == "ccomp":
        return verb.head.lemma_ in CONTROL_VERBS
    return verb.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def event_key(trigger: Optional[Token]) -> str:
    """Event nouns merge by lemma across the document; verbs by their label."""
    if trigger is None:
        return OTHER
    if trigger.pos_ == "NOUN" and trigger.lemma_.lower() in EVENT_NOUNS:
        return "noun:" + trigger.lemma_.lower()
    return "verb:" + describe(trigger)


def describe(trigger: Token) -> str:
    """'NATO parliamentary meeting', 'Stoltenberg told Reuters', 'ships docked'."""
    if trigger.pos_ == "NOUN":
        return phrase(trigger, max_mods=3)
    if trigger.pos_ not in {"VERB", "AUX"}:
        words = [t.text for t in trigger.sent if not t.is_punct and not t.is_space][:MAX_LABEL_WORDS]
        return " ".join(words) or OTHER
    subject = next((c for c in trigger.children if c.dep_ in SUBJECT_DEPS), None)
    if subject is not None and subject.lower_ in RELATIVE_PRONOUNS and trigger.dep_ == "relcl":
        subject = trigger.head  # "ships that docked": the ships docked
    obj = next((c for c in trigger.children if c.dep_ in OBJECT_DEPS), None)
    words = [phrase(subject), trigger.text, phrase(obj)]
    return " ".join(w for w in words if w)


def phrase(token: Optional[Token], max_mods: int = 3) -> str:
    """A head noun with its compound, adjective and possessor words: 'NATO parliamentary meeting'."""
    if token is None:
        return ""
    if token.pos_ == "PRON":
        return token.text
    mods = [c for c in token.lefts if c.dep_ in {"compound", "amod", "poss", "nmod"} and c.is_alpha
            and c.pos_ != "PRON"]
    return " ".join([m.text for m in mods][-max_mods:] + [token.text])


def date_near(trigger: Token) -> Optional[str]:
    """A date expression attached to the trigger: in a noun's phrase (and its relative clause) or on
    the verb it is subject of, or a verb's own modifiers ("on Monday", "Oct. 12, 2015")."""
    doc = trigger.doc
    for ent in doc.ents:
        if ent.label_ != "DATE" or not (trigger.sent.start <= ent.start < trigger.sent.end) or not is_date(ent):
            continue
        if trigger.pos_ == "NOUN":
            if trigger.left_edge.i <= ent.start and ent.end - 1 <= trigger.right_edge.i:
                return ent.text
            # "The summit opened on Monday": the date of the verb the event noun is subject of
            if trigger.dep_ in SUBJECT_DEPS and attached_to(ent, trigger.head, steps=2):
                return ent.text
        elif attached_to(ent, trigger, steps=2):
            return ent.text
    return None


def is_date(ent: Span) -> bool:
    """The small model tags some place names as DATE ("Stavanger, Norway, Oct. 12"): keep real dates."""
    return any(t.like_num or t.lower_.rstrip(".") in DATE_WORDS for t in ent)


def attached_to(ent: Span, trigger: Token, steps: int) -> bool:
    node = ent.root
    for _ in range(steps):
        if node.head.i == node.i:
            return False
        node = node.head
        if node.i == trigger.i:
            return True
    return False


def actors_of(trigger: Token) -> list[str]:
    """People, organisations and demonyms that act in the event: the verb's subject, or words of the
    noun's own phrase ("NATO parliamentary meeting", "Russian violations")."""
    doc = trigger.doc
    out = []
    for ent in doc.ents:
        if ent.label_ not in ACTOR_LABELS:
            continue
        root = ent.root
        if trigger.pos_ == "NOUN":
            if root.head.i == trigger.i and root.i < trigger.i:
                out.append(ent.text)
        elif root.dep_ in SUBJECT_DEPS and root.head.i == trigger.i or attached_to(ent, trigger, 2) and \
                root.dep_ in SUBJECT_DEPS | {"compound", "poss"}:
            out.append(ent.text)
    return out


def events(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """One row per event of a geoparse result: its label, trigger, date, actors and places, with the
    union of the places' geometries."""
    columns = ["doc", "event_id", "event", "trigger_start", "trigger_end", "event_date", "event_actors",
               "places", "mentions", "geometry"]
    if not len(gdf):
        return gpd.GeoDataFrame(pd.DataFrame(columns=columns[:-1]), geometry=[], crs="EPSG:4326")
    rows = []
    for (doc, event_id), group in gdf.groupby(["doc", "event_id"], sort=True):
        geoms = [g for g in group.geometry if g is not None and not g.is_empty]
        rows.append({
            "doc": doc, "event_id": event_id, "event": group["event"].iloc[0],
            "trigger_start": group["trigger_start"].iloc[0], "trigger_end": group["trigger_end"].iloc[0],
            "event_date": group["event_date"].iloc[0], "event_actors": group["event_actors"].iloc[0],
            "places": list(dict.fromkeys(n for n in group["name"] if isinstance(n, str))),
            "mentions": list(group["mention"]),
            "geometry": shapely.union_all(geoms) if geoms else None,
        })
    return gpd.GeoDataFrame(rows, columns=columns, geometry="geometry", crs="EPSG:4326")
