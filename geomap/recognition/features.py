"""What the learned recognizer sees of a proposal: one row of numbers per span.

The rules' verdicts are features (keep what they know), beside the spaCy label and boundaries, the
gazetteer's evidence, the name's shape, the words and parse around it, person cues, the name's other
mentions in the document. (en_core_web_sm's token vectors, ``doc.tensor``, were tried as 192 more columns:
cross-validated and leave-one-corpus-out F1 were the same to the third decimal, so they are left out.)
``FEATURE_NAMES`` fixes the columns; the trained model stores them and refuses a mismatch.
"""
from __future__ import annotations

import math
from bisect import bisect_right
from collections import Counter, defaultdict
from functools import lru_cache

import numpy
from spacy.tokens import Doc

from ..candidates import Gazetteer
from ..models import TRUSTED
from ..names import is_acronym, name_key
from .context import (
    at_dateline, covering_entity, feature_name, listed_after, locative_words, noun_after, paired, settlement_frame,
    territory_taken)
from .evidence import place_class
from .filters import followed_by_disease_word
from .proposals import ROLES, RULE_LABELS, Proposal
from .runs import Capitals
from ..tokens import Tokens
from .words import DISEASE_NAMES, FIRST_NAMES, GENERIC_WORDS, INSTITUTION_WORDS, METONYMIC_VERBS, NOT_PLACES, TITLES

ENTITY_LABELS = ("GPE", "LOC", "FAC", "ORG", "PERSON", "NORP", "DATE", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW",
                 "LANGUAGE", "CARDINAL", "MONEY", "TIME", "QUANTITY", "ORDINAL", "PERCENT")
MATCH_KINDS = ("name", "folded", "alias", "abbreviation", "demonym", "fuzzy")
FEATURE_CLASSES = ("PCL", "ADM1", "ADM2", "PPLC", "PPLA", "PPL", "CONT", "RGN", "H", "T", "AIRP", "L", "S", "other")
PLACE_CLASSES = ("region", "city", "town")
NEAR_TAGS = ("ADP", "DET", "PROPN", "NOUN", "VERB", "PUNCT", "ADJ", "NUM", "AUX", "PRON", "CCONJ", "PART")
DEPS = ("nsubj", "nsubjpass", "dobj", "pobj", "compound", "poss", "appos", "conj", "ROOT", "npadvmod", "amod")


def _names() -> tuple[str, ...]:
    names = ["rule", "rule_kept"] + [f"rule_{x}" for x in RULE_LABELS] + [f"role_{x}" for x in ROLES]
    names += ["ent_equal", "ent_inside", "ent_none", "ent_the"] + [f"ent_{x}" for x in ENTITY_LABELS]
    names += ["exact_ent"] + [f"exact_ent_{x}" for x in ("GPE", "LOC", "FAC", "ORG", "PERSON", "NORP")]
    names += ["gaz_n", "gaz_pop", "gaz_trusted_pop"] + [f"gaz_{x}" for x in MATCH_KINDS]
    names += [f"class_{x}" for x in FEATURE_CLASSES] + [f"place_{x}" for x in PLACE_CLASSES]
    names += ["tokens", "chars", "upper", "title", "digit", "hyphen", "dot", "acronym", "not_place", "generic",
              "headline", "sent_start", "first_name_inside"]
    names += ["locative", "paired", "dateline", "noun_after", "frame", "feature", "taken", "listed", "prev_the",
              "prev_title", "prev_first_name", "prev_capital", "next_capital", "next_possessive", "next_comma",
              "institution_after", "metonymic_verb", "disease_after", "disease_name"]
    names += [f"prev_{x}" for x in NEAR_TAGS] + [f"next_{x}" for x in NEAR_TAGS] + [f"dep_{x}" for x in DEPS]
    names += ["doc_same", "doc_same_place_ent", "doc_same_person_ent", "doc_same_org_ent", "doc_person_surname",
              "doc_same_locative", "doc_same_rule_kept", "doc_places"]
    return tuple(names)


FEATURE_NAMES = _names()


class OneHot:
    """One-hot columns over ``values``: called with a value, 1.0 in its column and 0.0 elsewhere (everywhere for
    a value outside them); each value's columns made once, as every row asks for them."""

    def __init__(self, values: tuple):
        self._columns = {value: tuple(1.0 if value == v else 0.0 for v in values) for value in values}
        self._none = (0.0,) * len(values)

    def __call__(self, value) -> tuple[float, ...]:
        return self._columns.get(value, self._none)


rule_hot, role_hot, entity_hot = OneHot(RULE_LABELS), OneHot(ROLES), OneHot(ENTITY_LABELS)
exact_entity_hot = OneHot(("GPE", "LOC", "FAC", "ORG", "PERSON", "NORP"))
place_hot, near_hot, dep_hot = OneHot(PLACE_CLASSES), OneHot(NEAR_TAGS), OneHot(DEPS)


def featurize(doc: Doc, proposals: list[Proposal], gazetteer: Gazetteer, capitals: Capitals) -> numpy.ndarray:
    """One row per proposal, the columns of ``FEATURE_NAMES`` (``capitals``: the doc's, as ``propose`` read them)."""
    if not proposals:
        return numpy.zeros((0, len(FEATURE_NAMES)), dtype=numpy.float32)
    tokens = capitals.tokens
    texts = [tokens.span_text(p.token_start, p.token_end) for p in proposals]
    keys = [name_key(text) for text in texts]
    document = DocumentView(doc, proposals, keys, gazetteer, capitals)
    rows = [row(p, text, key, located, gazetteer, document)
            for p, text, key, located in zip(proposals, texts, keys, document.located)]
    return numpy.asarray(rows, dtype=numpy.float32)


class DocumentView:
    """What a document says of each name across all its mentions (one sense per name per document)."""

    def __init__(self, doc: Doc, proposals: list[Proposal], keys: list[str], gazetteer: Gazetteer,
                 capitals: Capitals):
        self.doc = doc
        self.tokens = tokens = capitals.tokens
        self.datelines = capitals.datelines
        self.text = capitals.text
        self.gazetteer = gazetteer
        self.same = Counter(keys)
        self.entity_labels: defaultdict[str, Counter] = defaultdict(Counter)
        for ent in tokens.entities:
            self.entity_labels[name_key(tokens.span_text(ent.start, ent.end))][ent.label] += 1
        self.surnames = {name_key(tokens.text[ent.end - 1]) for ent in tokens.entities
                         if ent.label == "PERSON" and ent.end - ent.start > 1}
        # each proposal's, read once
        self.located = [locative_words(tokens, p.token_start, p.token_end) for p in proposals]
        self.locative = {key for key, located in zip(keys, self.located) if located}
        self.kept = {key for key, p in zip(keys, proposals) if p.kept}
        self.places = sum(p.kept for p in proposals)
        self._sentence_case: dict[int, float] = {}
        self._name_columns: dict[str, list[float]] = {}

    def sentence_case(self, start: int) -> float:
        """The share of capitalised words among the content words of the sentence of token ``start``: a
        headline's is high."""
        starts = self.tokens.sentence_starts
        if not starts:
            return 0.0
        at = bisect_right(starts, start) - 1
        first = starts[at]
        if first not in self._sentence_case:
            tokens = self.tokens
            last = starts[at + 1] if at + 1 < len(starts) else tokens.length
            words = [tokens.text[i] for i in range(first, last) if tokens.is_alpha[i] and not tokens.is_stop[i]]
            self._sentence_case[first] = sum(word[:1].isupper() for word in words) / len(words) if words else 0.0
        return self._sentence_case[first]

    def name_columns(self, key: str) -> list[float]:
        """What the document says of the name across its mentions (the last columns), once per name."""
        if key not in self._name_columns:
            labels = self.entity_labels.get(key) or Counter()
            total = sum(labels.values()) or 1
            self._name_columns[key] = [
                math.log1p(self.same[key]), (labels["GPE"] + labels["LOC"] + labels["FAC"]) / total,
                labels["PERSON"] / total, labels["ORG"] / total, float(key in self.surnames),
                float(key in self.locative), float(key in self.kept), math.log1p(self.places)]
        return self._name_columns[key]


def row(p: Proposal, text: str, key: str, located: bool, gazetteer: Gazetteer, document: DocumentView) -> list[float]:
    tokens, start, end = document.tokens, p.token_start, p.token_end
    rule_label = p.rule.label if p.rule is not None else None
    out = [float(p.rule is not None), float(p.kept), *rule_hot(rule_label), *role_hot(p.role)]
    ent, relation = covering_entity(tokens, start, end)
    out += [float(relation == "equal"), float(relation == "inside"), float(relation is None),
            float(start > 0 and tokens.lower[start - 1] == "the" and tokens.ent_type[start - 1] != "")]
    out += entity_hot(ent.label if ent is not None else None)
    out += [float(bool(p.entity)), *exact_entity_hot(p.entity)]
    out += name_evidence(text, gazetteer)
    out += place_hot(place_class(tokens, start, end, gazetteer))
    out += shape(tokens, start, end, text, document)
    out += context(p, key, located, document)
    out += around(tokens, start, end)
    out += document.name_columns(key)
    return out


@lru_cache(maxsize=65536)   # names recur, within a document and across documents
def name_evidence(text: str, gazetteer: Gazetteer) -> tuple[float, ...]:
    """``candidate_evidence`` of the gazetteer's candidates for the text."""
    return tuple(candidate_evidence(gazetteer.lookup(text)))


def candidate_evidence(candidates) -> list[float]:
    """What the gazetteer's candidates for a name say: how many, how populous, matched how, of what class."""
    trusted = [c for c in candidates if c.matched in TRUSTED]
    out = [math.log1p(len(candidates)), math.log10(1 + max((c.population for c in candidates), default=0)),
           math.log10(1 + max((c.population for c in trusted), default=0))]
    matched = {c.matched for c in candidates}
    out += [float(kind in matched) for kind in MATCH_KINDS]
    classes = {feature_class(c.feature) for c in candidates}
    out += [float(x in classes) for x in FEATURE_CLASSES]
    return out


WATER = frozenset({"SEA", "OCN", "GULF", "BAY", "STRT", "CHN", "STM", "LK", "LGN", "GLCR", "DLTA"})   # GeoNames class H
TERRAIN = frozenset({"MT", "MTS", "ISL", "ISLS", "PEN", "CAPE", "PLN", "VAL", "DSRT", "PLAT", "SD"})  # class T


def feature_class(code: str) -> str:
    """A GeoNames feature code, coarsened: its own prefix for the administrative and populated ones, its
    class (H water, T terrain, L area, S site) for the physical features."""
    for prefix in ("PCL", "ADM1", "ADM2", "PPLC", "PPLA", "PPL", "CONT", "RGN", "AIRP"):
        if code.startswith(prefix):
            return prefix
    if code in WATER:
        return "H"
    if code in TERRAIN:
        return "T"
    return "L" if code in ("ZN", "FRST", "STLMT") else "other"


def shape(tokens: Tokens, start: int, end: int, text: str, document: DocumentView) -> list[float]:
    first = tokens.lower[start]
    words = [tokens.text[i] for i in range(start, end) if tokens.is_alpha[i]]
    chars, upper, digit, hyphen, dot, acronym = text_columns(text)
    return [float(end - start), chars, upper, float(all(word[:1].isupper() for word in words) if words else 0.0),
            digit, hyphen, dot, acronym, float(first in NOT_PLACES), float(end - start == 1 and first in GENERIC_WORDS),
            document.sentence_case(start),
            float(tokens.is_sent_start[start]), float(not FIRST_NAMES.isdisjoint(tokens.lower[start:end - 1]))]


@lru_cache(maxsize=4096)   # names recur, within a document and across documents
def text_columns(text: str) -> tuple[float, ...]:
    """What the name's letters say: its length, capitals only, digits, a hyphen, a full stop, an acronym."""
    return (math.log1p(len(text)), float(text.isupper()), float(any(map(str.isdigit, text))), float("-" in text),
            float("." in text), float(is_acronym(text)))


def context(p: Proposal, key: str, located: bool, document: DocumentView) -> list[float]:
    tokens, start, end = document.tokens, p.token_start, p.token_end
    text, lower = tokens.text, tokens.lower
    before = start - 1 if start > 0 else None
    after = end if end < tokens.length else None
    root = tokens.root(start, end)
    return [float(located), float(paired(tokens, start, end, document.gazetteer)),
            float(at_dateline(tokens, start, end, document.datelines)),
            float(noun_after(tokens, start, end)), float(settlement_frame(tokens, start, end)),
            float(feature_name(tokens, start, end)), float(territory_taken(tokens, start, end)),
            float(listed_after(tokens, start, end)),
            float(before is not None and lower[before] == "the"),
            float(before is not None and lower[before].rstrip(".") in TITLES and text[before][:1].isupper()),
            float(before is not None and lower[before] in FIRST_NAMES and text[before][:1].isupper()),
            float(before is not None and tokens.is_alpha[before] and text[before][:1].isupper()
                  and not tokens.is_sent_start[before]),
            float(after is not None and tokens.is_alpha[after] and text[after][:1].isupper()),
            float(after is not None and lower[after] in ("'s", "’s")),
            float(after is not None and text[after] == ","),
            float(not INSTITUTION_WORDS.isdisjoint(lower[end:end + 3])),
            float(tokens.dep[root] in ("nsubj", "nsubjpass") and tokens.lemma[tokens.head[root]] in METONYMIC_VERBS),
            float(followed_by_disease_word(document.text, p)), float(key in DISEASE_NAMES)]


def around(tokens: Tokens, start: int, end: int) -> tuple[float, ...]:
    before = tokens.pos[start - 1] if start > 0 else None
    after = tokens.pos[end] if end < tokens.length else None
    return near_hot(before) + near_hot(after) + dep_hot(tokens.dep[tokens.root(start, end)])
