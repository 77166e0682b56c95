"""What the event steps look up in one document, worked out once: its sentences and their triggers,
dates, actors, places and paragraphs (``DocIndex``), and a trigger's date and actors."""
from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from typing import Optional

from spacy.tokens import Doc, Span, Token

from ..models import Place
from ..tokens import Tokens
from ..vocabulary import MONTH_ABBREVIATIONS, MONTHS, WEEKDAYS
from .linker import Ancestry, is_candidate_trigger, lemma_of, word_lists

SUBJECT_DEPS = {"nsubj", "nsubjpass"}
RELATIVE_PRONOUNS = {"that", "which", "who", "whom", "whose"}
ACTOR_LABELS = {"PERSON", "ORG", "NORP"}
ADDITIVE_WORDS = {"also", "too", "along", "likewise", "meanwhile", "additionally"}
DATE_WORDS = {*MONTHS, *MONTH_ABBREVIATIONS, *WEEKDAYS, "today", "yesterday", "tomorrow", "week", "month", "year",
              "weekend", "morning", "evening", "night"}


class DocIndex:
    """What the steps look up, computed once per document: sentences, triggers, dates, actors, places."""

    def __init__(self, doc: Doc, places: list[Place]):
        self.doc = doc
        self.text = doc.text   # spaCy joins the tokens on every doc.text: once
        self.places = places
        self.ancestry = Ancestry(doc)
        self.sents = list(doc.sents)
        self.sent_of = [0] * len(doc)
        for n, sent in enumerate(self.sents):
            for i in range(sent.start, sent.end):
                self.sent_of[i] = n
        # the words are read from per-document lists (Tokens): asking every token for pos_ or lemma_ makes a
        # Token and a string per token. Tokens are made only for the words kept.
        words = Tokens(doc)
        self.verbs = [[] for _ in self.sents]   # each sentence's triggers (linker.triggers_of), in order
        for i, (pos, dep) in enumerate(zip(words.pos, words.dep)):
            if pos == "VERB" and is_candidate_trigger(pos, dep, words.lemma[i].lower()):
                self.verbs[self.sent_of[i]].append(doc[i])
        self.paragraph_starts = [0] + [m.end() for m in re.finditer(r"\n\s*\n", self.text)]
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
        self.additive = {self.sent_of[i] for i, (lower, dep) in enumerate(zip(words.lower, words.dep))
                         if lower in ADDITIVE_WORDS and dep in {"advmod", "prep"}}
        canonical = word_lists()["canonical"]
        self.family_mentions: dict[str, list[Token]] = {}
        self._family_dates: dict[str, tuple[str, ...]] = {}
        for i, pos in enumerate(words.pos):
            if pos in {"NOUN", "VERB"} and (lemma := words.lemma[i].lower()) in canonical:
                self.family_mentions.setdefault(canonical[lemma], []).append(doc[i])

    def family_dates(self, word: str) -> tuple[str, ...]:
        """The dates attached to the mentions of a family word, worked out once per family."""
        if word not in self._family_dates:
            found = (date_near(self, t) for t in self.family_mentions.get(word, []))
            self._family_dates[word] = tuple(d for d in found if d)
        return self._family_dates[word]

    def countries(self, members: Sequence[int]) -> set[str]:
        """Country codes of some places; a border's or coast's, each side's ("SY", "TR")."""
        return {c for k in members for c in self.places[k].country_codes}

    def paragraph(self, token: Token) -> int:
        return bisect.bisect_right(self.paragraph_starts, token.idx) - 1


def family(token: Token) -> str:
    """The happening word of a trigger: 'violations' and 'infiltrated' are both 'violate'."""
    lemma = lemma_of(token)
    return word_lists()["canonical"].get(lemma, lemma)


def date_of(index: DocIndex, triggers: Sequence[Token]) -> Optional[str]:
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


def actors_of(index: DocIndex, triggers: Sequence[Token]) -> tuple[str, ...]:
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
