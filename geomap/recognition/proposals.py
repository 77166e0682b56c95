"""Spans that may name a place, at high recall: every source there is, for the learned recognizer to decide.

A ``Proposal`` is a span with what proposed it. The sources:
- the rules' own mentions (``rules.all_mentions``, every role) and which of them the rules keep in the end;
- spaCy entities of every label, without a leading "the", split at commas ("Stavanger, Norway");
- capitalised runs and their sub-runs that the gazetteer knows under any match ("Ohio" in "the Ohio
  Department of Health"), and whole runs it does not know (a village: "Kafr Nabuda");
- looser runs, of capitalised words of any part of speech and abbreviations with their full stop ("St.
  Louis", "Mt. Pleasant", "W. Va.", "Boulder City", "SOUTH CHARLESTON"), and their sub-runs the gazetteer
  knows ("Egyptian" tagged ADJ, "Calif.");
- two such runs joined by "and" that the gazetteer knows as one name ("Trinidad and Tobago");
Compounds (borders, coasts, parts, airspace) are the rules' alone: no corpus annotates them, so the
recognizer keeps them as the rules found them.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from spacy.tokens import Doc

from ..candidates import Gazetteer
from ..models import Mention
from .filters import drop_disease_names, select
from .rules import all_mentions, entity_pieces
from .runs import Capitals, Stretch
from ..tokens import Tokens
from .words import MAX_NAME_TOKENS, PLACE_LABELS

RULE_LABELS = ("GPE", "LOC", "FAC", "GAZ", "FRAMED", "NORP")
ROLES = ("literal", "modifier", "demonym")


@dataclass(frozen=True, slots=True)
class Proposal:
    """A span that may name a place: its offsets and tokens, the role it would have, and its sources.

    ``rule``: the rules' mention of exactly this span, if any; ``kept``: whether the rules keep it after
    their filters (a name used for a person or a disease is dropped); ``entity``: the spaCy label of an
    entity on exactly this span ("" for none); ``known``: the gazetteer has a name for it."""

    start: int          # character offsets
    end: int
    token_start: int
    token_end: int
    role: str
    rule: Optional[Mention] = None
    kept: bool = False
    entity: str = ""
    known: bool = False

    def mention(self, text: str, confidence: float) -> Mention:
        """The proposal as a Mention of ``text`` (the doc's text: spaCy joins its tokens on every doc.text)."""
        label = self.rule.label if self.rule is not None else (self.entity or "GAZ")
        if label not in RULE_LABELS:
            label = "GAZ" if self.known else "FRAMED"
        parts = self.rule.parts if self.rule is not None else ()
        return Mention(self.start, self.end, text[self.start:self.end], label, parts, role=self.role,
                       confidence=round(confidence, 4))


def propose(doc: Doc, gazetteer: Gazetteer, capitals: Capitals) -> tuple[list[Mention], list[Proposal]]:
    """The rules' compounds, kept as they are, and every other span that may name a place, by position."""
    tokens = capitals.tokens
    ruled = all_mentions(doc, gazetteer, capitals=capitals)
    # the rules' own answer, every role asked for (their last step, marking metonyms, drops nothing)
    chosen = select(ruled, modifiers=True, demonyms=True)
    kept_spans = {(m.start, m.end) for m in drop_disease_names(doc, chosen, tokens)}
    compounds = [m for m in ruled if m.compound]
    found: dict[tuple[int, int], dict] = {}   # by characters: the first span proposed there, and its sources

    def add(span: Stretch, start: Optional[int] = None, end: Optional[int] = None, **info) -> None:
        if span[0] == span[1]:
            return
        key = (tokens.start_char[span[0]] if start is None else start,
               tokens.end_char[span[1] - 1] if end is None else end)
        entry = found.setdefault(key, {"span": span})
        for name, value in info.items():
            entry.setdefault(name, value)

    for m in ruled:
        if not m.compound:
            span = tokens.token_span(m.start, m.end)
            if span is not None:
                add(span, m.start, m.end, rule=m, role=m.role)
    for ent in tokens.entities:
        for piece in entity_pieces(tokens, ent):
            # a date, a sum or a count names no place unless it is a name ("Stavanger" tagged DATE)
            if any(tokens.is_alpha[i] and tokens.text[i][:1].isupper() for i in range(*piece)):
                add(piece, entity=ent.label)
    for run, pieces in zip(capitals.runs, capitals.pieces):
        add(run)
        for piece in pieces:   # (the first is the run itself, just added)
            if piece != run and gazetteer.lookup(tokens.span_text(*piece)):
                add(piece)
    for run in capitals.loose:
        add(run)
        for size in range(min(run[1] - run[0], MAX_NAME_TOKENS), 0, -1):
            for first in range(run[0], run[1] - size + 1):
                if gazetteer.lookup(tokens.span_text(first, first + size)):
                    add((first, first + size))
    for span in capitals.joined:
        if gazetteer.lookup(tokens.span_text(*span)):
            add(span)
    proposals = []
    for (start, end), entry in sorted(found.items()):
        span = entry["span"]
        candidates = gazetteer.lookup(tokens.span_text(*span))
        rule = entry.get("rule")
        role = entry.get("role") or role_of(tokens, *span, candidates)
        proposals.append(Proposal(start, end, *span, role, rule, (start, end) in kept_spans,
                                  entry.get("entity", ""), bool(candidates)))
    return compounds, proposals


def role_of(tokens: Tokens, start: int, end: int, candidates) -> str:
    """A span no rule proposed: a demonym if the gazetteer knows it only as one, a modifier if it sits
    inside a longer entity that is not a place ("Ohio" in "the Ohio Department of Health")."""
    if candidates and all(c.matched == "demonym" for c in candidates):
        return "demonym"
    label, iob = tokens.ent_type[start], tokens.ent_iob
    if label and label not in PLACE_LABELS and (iob[start] == "I" or (end < tokens.length and iob[end] == "I")):
        return "modifier"
    return "literal"
