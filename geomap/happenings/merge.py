"""Step 2: merge the linked triggers into happenings, each rule saying why two words are one happening.
Every function returns new values: a Happening is never changed once made."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Optional

from spacy.tokens import Token

from .index import SUBJECT_DEPS, DocIndex, actors_of, date_of, family
from .link import NESTING_PREPS, REPORT_DEPS
from .linker import is_trigger, lemma_of, word_lists
from .mood import eventive

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


@dataclass(frozen=True)
class Happening:
    triggers: tuple[Token, ...]
    places: tuple[int, ...]                  # indexes of the document's places, in reading order
    date: Optional[str] = None
    actors: tuple[str, ...] = ()
    lead: tuple[Token, ...] = ()             # the triggers that name it (see describe)


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
    return merge_by_agreement(index, collect(index, groups, linked))


def happened(index: DocIndex, happenings: list[Happening],
             linked: list[Optional[Token]]) -> tuple[list[Happening], list[Optional[Token]]]:
    """The happenings in which something happens (``mood.eventive``), and the links with the places of
    the others taken back: saying or forecasting that reports no happening ("said in Ottawa that prices
    are high") puts its places among "other mentions"."""
    keep = [any(eventive(index, t) for t in h.triggers) for h in happenings]
    dropped = {k for h, kept in zip(happenings, keep) if not kept for k in h.places}
    return [h for h, kept in zip(happenings, keep) if kept], \
        [None if k in dropped else t for k, t in enumerate(linked)]


def collect(index: DocIndex, groups: Groups, linked: list[Optional[Token]]) -> list[Happening]:
    """One Happening per group with a place, its triggers including the ones merged in without places."""
    members: dict[int, list[Token]] = {}
    for i in list(groups.parent):
        members.setdefault(groups.find(i), []).append(index.doc[i])
    places_of: dict[int, list[int]] = {}   # group root -> its places, groups in order of their first place
    for k, trigger in enumerate(linked):
        if trigger is not None:
            places_of.setdefault(groups.find(trigger.i), []).append(k)
    happenings = []
    for root, places in places_of.items():
        triggers = tuple(sorted(members[root], key=lambda t: t.i))
        happenings.append(Happening(triggers=triggers, places=tuple(places), date=date_of(index, triggers),
                                    actors=actors_of(index, triggers)))
    return happenings


def merge_by_agreement(index: DocIndex, happenings: list[Happening]) -> list[Happening]:
    """Merge happenings that are one across sentences: the same family of words, one speaker's speech
    acts, or a paragraph's next happening that continues the last one. Earlier ones absorb later ones.
    Each happening is compared only with those sharing a family word or a speaker, and the last one."""
    out: list[Happening] = []
    by_key: dict[str, list[int]] = {}   # merge key -> positions in out (a merged happening keeps its position)
    for h in happenings:
        positions = {p for key in merge_keys(h) for p in by_key.get(key, [])}
        if out:
            positions.add(len(out) - 1)
        ordered = sorted(positions, key=lambda p: min(out[p].places))
        target = next((p for p in ordered if same_happening(index, out[p], h, last=p == len(out) - 1)), None)
        if target is None:
            out.append(h)
            target = len(out) - 1
        else:
            out[target] = absorbed(out[target], h)
        for key in merge_keys(out[target]):
            if target not in by_key.setdefault(key, []):
                by_key[key].append(target)
    return out


def absorbed(a: Happening, b: Happening) -> Happening:
    """a with b merged in: b's triggers, places, date where a has none, and actors."""
    # a happening continued by others keeps its own words for the label; one said again, all of them
    return replace(a, lead=a.lead or (a.triggers if not shares_family(a, b) else ()),
                   triggers=tuple(sorted({t.i: t for t in a.triggers + b.triggers}.values(), key=lambda t: t.i)),
                   places=a.places + b.places, date=a.date or b.date,
                   actors=tuple(dict.fromkeys(a.actors + b.actors)))


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
            if not is_trigger(token) or not eventive(index, token):
                continue
            chain = index.ancestry.chain(token.i)
            steps = chain[:chain.index(clause.i) + 1] if clause.i in chain else []
            if all(index.doc[i].dep_ not in {"relcl", "advcl", "acl"} for i in steps):
                return token
    return None


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
