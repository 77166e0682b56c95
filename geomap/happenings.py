"""Events: which happening each place belongs to, and a label a reader can use in a legend.

Three steps, each over indexes built once per document (``DocIndex``), so the work grows with the
document's length:

1. **Link** each place to a trigger of its sentence (a verb or an event noun) with the learned linker
   (geomap.linking). A place whose best link is weak, or that sits in a stative or hypothetical clause
   ("Turkey is a strong ally", "if Russia loses a friend"), goes to "other mentions" — unless it names a
   participant of a happening ("Leaders from Germany met").
2. **Merge** the triggers into happenings (union-find), by rules that each say why two words are one
   happening: a control verb and its complement ("offered to help Turkey defend"); a light verb and its
   event noun ("made the offer", "issuing a warning"); a nested predicate ("killed in fighting"); a speech
   verb and the happening it reports ("Russia claimed the violations were an error"); one speaker's
   speech acts; a verb and its nominalisation or synonym when participants and time agree ("infiltrated
   the air space" / "violations of the airspace"), always for a definite noun that refers back ("the
   violations"); and the next happening of a paragraph that continues the last one in the same country
   with neither dated.
3. **Describe** each happening: who did what (where, when), 2–12 words.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace
from typing import Optional

import geopandas as gpd
import pandas as pd
import shapely
from spacy.tokens import Doc, Span, Token

from .linking import (Ancestry, candidates, default_linker, is_event_verb, is_trigger, lemma_of, triggers_of,
                      word_lists)
from .models import Event, Place

OTHER = "other mentions"
MAX_LABEL_WORDS = 12
SUBJECT_DEPS = {"nsubj", "nsubjpass"}
OBJECT_DEPS = {"dobj", "dative", "attr", "oprd"}
ARGUMENT_DEPS = SUBJECT_DEPS | {"dobj", "dative"}
RELATIVE_PRONOUNS = {"that", "which", "who", "whom", "whose"}
ACTOR_LABELS = {"PERSON", "ORG", "NORP"}
MODALS = {"would", "could", "might", "may", "should", "can", "must"}
CONDITIONAL_MARKS = {"if", "unless"}
NESTING_PREPS = {"in", "by"}        # "killed in fighting", "wounded by shelling" (not "during": a setting)
SETTING_PREPS = {"at", "during", "amid", "amidst"}
LOCATIVE_PREPS = {"in", "at", "on", "near", "into", "onto", "to", "from", "across", "inside", "outside", "around",
                  "through", "over", "off", "along", "toward", "towards", "within", "throughout"}
REPORT_DEPS = {"ccomp", "parataxis"}
ADDITIVE_WORDS = {"also", "too", "along", "likewise", "meanwhile", "additionally"}
DATE_WORDS = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
              "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
              "nov", "dec", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today",
              "yesterday", "tomorrow", "week", "month", "year", "weekend", "morning", "evening", "night"}


# ---------------------------------------------------------------------------------------------- index

class DocIndex:
    """What the steps look up, computed once per document: sentences, triggers, dates, actors, places."""

    def __init__(self, doc: Doc, places: list[Place]):
        self.doc = doc
        self.places = places
        self.ancestry = Ancestry(doc)
        self.sents = list(doc.sents)
        self.sent_of = [0] * len(doc)
        for n, sent in enumerate(self.sents):
            for i in range(sent.start, sent.end):
                self.sent_of[i] = n
        self.verbs = [triggers_of(sent) for sent in self.sents]
        self.paragraph_starts = [0] + [m.end() for m in re.finditer(r"\n\s*\n", doc.text)]
        self.spans = [doc.char_span(p.mention.start, p.mention.end, alignment_mode="expand") for p in places]
        self.place_tokens = frozenset(i for s in self.spans if s is not None for i in range(s.start, s.end))
        self.place_at = {i: k for k, s in enumerate(self.spans) if s is not None for i in range(s.start, s.end)}
        self.dates = [[] for _ in self.sents]
        self.actor_at: dict[int, Span] = {}
        for ent in doc.ents:
            if ent.label_ == "DATE" and is_date(ent):
                self.dates[self.sent_of[ent.start]].append(ent)
            elif ent.label_ in ACTOR_LABELS:
                for i in range(ent.start, ent.end):
                    self.actor_at[i] = ent
        # sentences that say "more of the same": their happenings may continue the one before
        self.additive = {self.sent_of[t.i] for t in doc if t.lower_ in ADDITIVE_WORDS and t.dep_ in {"advmod", "prep"}}
        canonical = word_lists()["canonical"]
        self.family_mentions: dict[str, list[Token]] = {}
        self._family_dates: dict[str, tuple[str, ...]] = {}
        for token in doc:
            if token.pos_ in {"NOUN", "VERB"} and lemma_of(token) in canonical:
                self.family_mentions.setdefault(canonical[lemma_of(token)], []).append(token)

    def family_dates(self, word: str) -> tuple[str, ...]:
        """The dates attached to the mentions of a family word, worked out once per family."""
        if word not in self._family_dates:
            found = (date_near(self, t) for t in self.family_mentions.get(word, []))
            self._family_dates[word] = tuple(d for d in found if d)
        return self._family_dates[word]

    def countries(self, members: list[int]) -> set[str]:
        """Country codes of some places; a border's or coast's code lists each side ("SY,TR")."""
        return {c for k in members for c in (self.places[k].country_code or "").split(",") if c}

    def paragraph(self, token: Token) -> int:
        return bisect.bisect_right(self.paragraph_starts, token.idx) - 1


# ------------------------------------------------------------------------------------------- linking

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
        return noun
    linker = default_linker()
    verbs = index.verbs[index.sent_of[span.start]]
    # the place's preferred verb (geomap.linking.preference: the selector's choice among the verbs the
    # locator finds plausible); the locator's probability there says whether it is its location at all
    scored = [(p, t) for p, _, t in
              linker.best(candidates(index.doc, index.ancestry, span, verbs, index.place_tokens))]
    if not scored:
        return noun
    prob, best = scored[0]
    reported = reported_clause(index, span.root, best)
    if reported is not None:   # a place inside what is said belongs to what is said, not to the saying
        inside = [(p, t) for p, t in scored if t.i != best.i and reported.i in index.ancestry.chain(t.i)]
        prob, best = inside[0] if inside else (0.0, best)
    if prob >= linker.threshold and not is_irrealis(best):
        return best
    return noun or participant_of(index, span.root)


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
            attached = link.dep_ in ARGUMENT_DEPS or link.dep_ == "prep" and lemma_of(link) in LOCATIVE_PREPS
            return token if attached and is_event_verb(token) and not is_irrealis(token) else None
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


def is_irrealis(trigger: Token) -> bool:
    """A hypothetical happening: under a modal, or the condition or consequence of an 'if'."""
    if trigger.pos_ != "VERB":
        return False
    for child in trigger.children:
        if child.dep_ == "aux" and child.lower_ in MODALS:
            return True
        if child.dep_ == "mark" and child.lower_ in CONDITIONAL_MARKS:
            return True
        if child.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in CONDITIONAL_MARKS for m in child.children):
            return True
    return False


# ------------------------------------------------------------------------------------------- merging

class Groups:
    """Union-find over token indexes; the smaller index (earlier in the text) names the group."""

    def __init__(self):
        self.parent: dict[int, int] = {}

    def find(self, i: int) -> int:
        self.parent.setdefault(i, i)
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


@dataclass
class Happening:
    triggers: list[Token]
    places: list[int] = field(default_factory=list)
    date: Optional[str] = None
    actors: tuple[str, ...] = ()
    lead: list[Token] = field(default_factory=list)   # the triggers that name it (see describe)


def family(token: Token) -> str:
    """The happening word of a trigger: 'violations' and 'infiltrated' are both 'violate'."""
    lemma = lemma_of(token)
    return word_lists()["canonical"].get(lemma, lemma)


def light_noun(trigger: Token) -> Optional[Token]:
    """The event noun a light verb carries: 'made the offer' -> offer, 'took place' -> None."""
    if trigger.pos_ != "VERB" or lemma_of(trigger) not in word_lists()["light"]:
        return None
    return next((c for c in trigger.children if c.dep_ in {"dobj", "oprd"} and is_trigger(c)), None)


def noun_subject(verb: Token) -> Optional[Token]:
    """An event noun that is the verb's subject is the happening ("the summit opened on Monday",
    "violations of Turkey's airspace came amid ...")."""
    if verb.pos_ != "VERB":
        return None
    return next((c for c in verb.children if c.dep_ in SUBJECT_DEPS and c.pos_ in {"NOUN", "PROPN"}
                 and is_trigger(c)), None)


def structural_partner(index: DocIndex, trigger: Token) -> Optional[Token]:
    """The trigger this one is part of by the parse alone: a complement's verb, a light verb's noun,
    the verb a nested event noun completes, the verb of a relative clause's event noun."""
    words = word_lists()
    noun = light_noun(trigger) or noun_subject(trigger)
    if noun is not None:
        return noun
    head = trigger.head
    if trigger.pos_ == "VERB" and head.i != trigger.i and head.pos_ == "VERB":
        if trigger.dep_ == "xcomp" or trigger.dep_ == "ccomp" and lemma_of(head) in words["control"]:
            return head   # "offered to help Turkey defend its border": one offer
        if trigger.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in trigger.children):
            return head   # infinitive of purpose
    if trigger.pos_ in {"NOUN", "PROPN"} and head.pos_ == "ADP" and lemma_of(head) in NESTING_PREPS:
        verb = head.head
        if verb.pos_ == "VERB" and is_trigger(verb) and verb.i != trigger.i:
            return verb   # "killed in fighting in Aleppo": the killing is part of the fighting
    return None


def nested_nouns(verb: Token) -> list[Token]:
    """Event nouns that complete a verb: 'killed in fighting', 'wounded by shelling'."""
    if verb.pos_ != "VERB":
        return []
    return [pobj for prep in verb.children if prep.dep_ == "prep" and lemma_of(prep) in NESTING_PREPS
            for pobj in prep.children if pobj.dep_ == "pobj" and is_trigger(pobj)]


def reported_trigger(index: DocIndex, speech: Token) -> Optional[Token]:
    """The happening a speech verb reports: the first trigger of its reported clause's main line
    (not inside a relative or conditional clause, not hypothetical)."""
    if speech.pos_ != "VERB" or lemma_of(speech) not in word_lists()["speech"]:
        return None
    # "Russia claimed the violations ... were an error": the object can be what is reported too
    for clause in (c for c in speech.children if c.dep_ in REPORT_DEPS or c.dep_ == "dobj"):
        for token in clause.subtree if clause.dep_ != "dobj" else [clause]:
            if not is_trigger(token) or is_irrealis(token) or lemma_of(token) in word_lists()["speech"]:
                continue
            chain = index.ancestry.chain(token.i)
            steps = chain[:chain.index(clause.i) + 1] if clause.i in chain else []
            if all(index.doc[i].dep_ not in {"relcl", "advcl", "acl"} for i in steps):
                return token
    return None


def merge_triggers(index: DocIndex, linked: list[Optional[Token]]) -> list[Happening]:
    """Group the linked triggers into happenings, in reading order of their first place."""
    groups = Groups()
    for trigger in {t.i: t for t in linked if t is not None}.values():
        groups.find(trigger.i)
        partner = structural_partner(index, trigger)
        while partner is not None and partner.i != trigger.i:
            groups.union(trigger.i, partner.i)
            trigger, partner = partner, structural_partner(index, partner)
        reported = reported_trigger(index, trigger)
        if reported is not None:
            groups.union(trigger.i, reported.i)
        for noun in nested_nouns(trigger):
            groups.union(trigger.i, noun.i)
    happenings = collect(index, groups, linked)
    happenings = merge_by_agreement(index, happenings)
    return happenings


def collect(index: DocIndex, groups: Groups, linked: list[Optional[Token]]) -> list[Happening]:
    """One Happening per group with a place, its triggers including the ones merged in without places."""
    members: dict[int, list[Token]] = {}
    for i in list(groups.parent):
        members.setdefault(groups.find(i), []).append(index.doc[i])
    by_root: dict[int, Happening] = {}
    for k, trigger in enumerate(linked):
        if trigger is None:
            continue
        root = groups.find(trigger.i)
        if root not in by_root:
            by_root[root] = Happening(triggers=sorted(members[root], key=lambda t: t.i))
        by_root[root].places.append(k)
    happenings = list(by_root.values())
    for h in happenings:
        h.date = date_of(index, h.triggers)
        h.actors = actors_of(index, h.triggers)
    return happenings


def merge_by_agreement(index: DocIndex, happenings: list[Happening]) -> list[Happening]:
    """Merge happenings that are one across sentences: the same family of words, one speaker's speech
    acts, or a paragraph's next happening that continues the last one. Earlier ones absorb later ones.
    Each happening is compared only with those sharing a family word or a speaker, and the last one."""
    out: list[Happening] = []
    by_key: dict[str, list[Happening]] = {}
    for h in happenings:
        candidates = {id(o): o for key in merge_keys(h) for o in by_key.get(key, [])}
        if out:
            candidates.setdefault(id(out[-1]), out[-1])
        ordered = sorted(candidates.values(), key=lambda o: min(o.places))
        target = next((o for o in ordered if same_happening(index, o, h, last=o is out[-1])), None)
        if target is None:
            out.append(h)
            target = h
        else:
            # a happening continued by others keeps its own words for the label; one said again, all of them
            target.lead = target.lead or (list(target.triggers) if not shares_family(target, h) else [])
            target.triggers = sorted({t.i: t for t in target.triggers + h.triggers}.values(), key=lambda t: t.i)
            target.places += h.places
            target.date = target.date or h.date
            target.actors = tuple(dict.fromkeys(target.actors + h.actors))
        for key in merge_keys(target):
            if all(o is not target for o in by_key.setdefault(key, [])):
                by_key[key].append(target)
    return out


def merge_keys(h: Happening) -> set[str]:
    """The family words of a happening and, for speech, its speakers: what another must share to merge."""
    keys = {"family:" + family(t) for t in h.triggers}
    if is_speech(h):
        keys |= {"speaker:" + actor_key(a) for a in h.actors}
    return keys


def same_happening(index: DocIndex, a: Happening, b: Happening, last: bool) -> bool:
    """b is a: ``last`` says a is the latest happening so far (the only one b can continue)."""
    if dates_conflict(a.date, b.date):
        return False
    families_a, families_b = {family(t) for t in a.triggers}, {family(t) for t in b.triggers}
    if families_a & families_b:
        # a definite noun refers back ("the violations"); otherwise the participants or the place agree
        return any(refers_back(t) for t in b.triggers if family(t) in families_a) or places_agree(index, a, b) \
            or bool(a.actors and b.actors and actors_agree(a, b))
    if is_speech(a) and is_speech(b):
        return bool(a.actors and b.actors and actors_agree(a, b))
    return last and continues(index, a, b)


def shares_family(a: Happening, b: Happening) -> bool:
    return bool({family(t) for t in a.triggers} & {family(t) for t in b.triggers})


def dates_conflict(a: Optional[str], b: Optional[str]) -> bool:
    """Two written dates conflict only when both are absolute ('Oct. 3-4' vs 'Oct. 12'); 'last week'
    and 'Monday' can be the same day as anything."""
    return bool(a and b and a != b and re.search(r"\d", a) and re.search(r"\d", b))


def actor_key(actor: str) -> str:
    """'Russia' and 'Russian', 'Turkey' and 'Turkish' share a key: a rough demonym match."""
    return actor.lower()[:4]


def actors_agree(a: Happening, b: Happening) -> bool:
    """No actors on one side, or one in common."""
    if not a.actors or not b.actors:
        return True
    return bool({actor_key(x) for x in a.actors} & {actor_key(x) for x in b.actors})


def places_agree(index: DocIndex, a: Happening, b: Happening) -> bool:
    names_a = {index.places[k].name for k in a.places} - {None}
    return bool(names_a & {index.places[k].name for k in b.places})


def refers_back(token: Token) -> bool:
    return token.pos_ in {"NOUN", "PROPN"} and any(c.dep_ == "det" and c.lower_ in {"the", "this", "these", "that"}
                                                   for c in token.children)


def is_speech(h: Happening) -> bool:
    speech = word_lists()["speech"]
    return any(lemma_of(t) in speech or family(t) in speech for t in h.triggers)


def continues(index: DocIndex, a: Happening, b: Happening) -> bool:
    """b goes on with a: the next happening in the same paragraph, said to be more of the same ("along
    with", "also"), neither dated, participants agreeing, places in a common country ("Along with troops
    ferried on ships that docked on Syria's coast, aircraft had also been landing in the north"); the
    dates must not conflict (checked by the caller)."""
    last_a, first_b = max(t.i for t in a.triggers), min(t.i for t in b.triggers)
    if index.paragraph(index.doc[last_a]) != index.paragraph(index.doc[first_b]):
        return False
    if index.sent_of[first_b] not in index.additive:
        return False
    if is_speech(a) or is_speech(b) or not actors_agree(a, b):
        return False
    return bool(index.countries(a.places) & index.countries(b.places))


# ------------------------------------------------------------------------------------------- labels

def date_of(index: DocIndex, triggers: list[Token]) -> Optional[str]:
    """The date attached to a trigger or to another mention of its family word in the document ("the
    violations, which took place Oct. 3-4"); a calendar date before a relative one ("earlier this month")."""
    dates = [date_near(index, t) for t in triggers] + [d for t in triggers for d in index.family_dates(family(t))]
    dates = [d for d in dates if d]
    return next((d for d in dates if re.search(r"\d", d)), dates[0] if dates else None)


def date_near(index: DocIndex, trigger: Token) -> Optional[str]:
    """A date in a noun's phrase (and its relative clause) or on the verb it is subject of, or on a
    verb's own modifiers ("on Monday", "Oct. 12, 2015")."""
    for ent in index.dates[index.sent_of[trigger.i]]:
        if trigger.pos_ in {"NOUN", "PROPN"}:
            if trigger.left_edge.i <= ent.start and ent.end - 1 <= trigger.right_edge.i:
                return ent.text
            if trigger.dep_ in SUBJECT_DEPS and attached_to(ent, trigger.head, steps=2):
                return ent.text   # "The summit opened on Monday"
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


def actors_of(index: DocIndex, triggers: list[Token]) -> tuple[str, ...]:
    """People, organisations and demonyms that act: in a verb's subject, or the words before an event
    noun ("NATO parliamentary meeting", "Russian violations")."""
    out = []
    for trigger in triggers:
        if trigger.pos_ in {"NOUN", "PROPN"}:
            tokens = [c for c in trigger.lefts if c.dep_ in {"compound", "amod", "poss", "nmod"}]
        else:
            subject = subject_of(trigger)
            tokens = list(subject.subtree) if subject is not None else []
        named = [index.actor_at[t.i].text for t in tokens if t.i in index.actor_at]
        if not named and trigger.pos_ == "VERB" and tokens and subject.pos_ == "PROPN" and \
                subject.i not in index.place_tokens:
            named = [subject.text]   # a name the small model did not tag ("Erdoğan issued a warning")
        out += named
    return tuple(dict.fromkeys(out))


def subject_of(verb: Token) -> Optional[Token]:
    subject = next((c for c in verb.children if c.dep_ in SUBJECT_DEPS), None)
    if subject is not None and subject.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl":
        return verb.head   # "ships that docked": the ships docked
    if subject is None and verb.dep_ in {"xcomp", "advcl", "conj"} and verb.head.pos_ == "VERB":
        return subject_of(verb.head)
    return subject


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


def label_trigger(triggers: list[Token]) -> Token:
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


# -------------------------------------------------------------------------------------- public step

def assign_events(doc: Doc, places: list[Place]) -> tuple[list[Event], list[int]]:
    """Events and the index in that list of each place's event.

    The list holds one Event per happening, numbered in reading order with "other mentions" last;
    after them come copies of an Event that differ only in the trigger, one for each other word that
    links a place to that happening, so that each place's row names its own trigger.
    """
    index = DocIndex(doc, places)
    linked = link_places(index, places)
    happenings = sorted(merge_triggers(index, linked), key=lambda h: min(h.places))
    events, which = numbered_events(index, happenings, places, linked)
    return with_row_triggers(events, which, linked)


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


def events(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """One row per event of a geoparse result: its label, trigger, every trigger span of its places,
    date, actors and places, with the union of the places' geometries."""
    columns = ["doc", "event_id", "event", "trigger_start", "trigger_end", "triggers", "event_date",
               "event_actors", "places", "mentions", "geometry"]
    if not len(gdf):
        return gpd.GeoDataFrame(pd.DataFrame(columns=columns[:-1]), geometry=[], crs="EPSG:4326")
    rows = []
    for (doc, event_id), group in gdf.groupby(["doc", "event_id"], sort=True):
        geoms = [g for g in group.geometry if g is not None and not g.is_empty]
        spans = [(int(s), int(e)) for s, e in zip(group["trigger_start"], group["trigger_end"])
                 if not pd.isna(s) and not pd.isna(e)]
        rows.append({
            "doc": doc, "event_id": event_id, "event": group["event"].iloc[0],
            "trigger_start": group["trigger_start"].iloc[0], "trigger_end": group["trigger_end"].iloc[0],
            "triggers": sorted(set(spans)),
            "event_date": group["event_date"].iloc[0], "event_actors": group["event_actors"].iloc[0],
            "places": list(dict.fromkeys(n for n in group["name"] if isinstance(n, str))),
            "mentions": list(group["mention"]),
            "geometry": shapely.union_all(geoms) if geoms else None,
        })
    return gpd.GeoDataFrame(rows, columns=columns, geometry="geometry", crs="EPSG:4326")
