"""Location metonymy: does a place name stand for its government, people or team ("Turkey shelled",
"Moscow warned", "talks with Mexico") rather than for the place ("in Syria")?

A logistic regression over named features of the parse (``features``): how the name hangs in its
sentence (its dependency label, the word it hangs from and that word's class: speech, decision,
military, diplomatic, economic, competition, motion, relation), the preposition before it, a possessive, the NER label,
what the gazetteer calls the name (country, capital), a dateline. Lemma features ("verb=shell") are
kept only where the training documents hold them often enough, so the vocabulary is learned, not
listed. Trained by scripts/train_metonymy.py on GeoWebNews' toponym types (Metonymic against Literal),
exported to geomap/data/metonymy.json and scored here with numpy alone (Gritta et al. 2017, "Vancouver
Welcomes You!": metonymy resolution as a classifier over the words around the name).
"""
from __future__ import annotations

import importlib.resources
import json
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Optional

import numpy
from spacy.tokens import Doc

from ..candidates import Gazetteer
from ..models import TRUSTED, Mention
from ..names import data_table, in_dateline
from ..tokens import Tokens
from .words import LOCATIVE_PREPOSITIONS, METONYMIC_VERBS

DATA_FILE = "metonymy.json"
ARGUMENT_DEPS = ("nsubj", "nsubjpass", "dobj", "dative", "agent", "attr")
POSSESSIVE_MARKS = {"'s", "’s", "'", "’"}


@lru_cache(maxsize=1)
def word_classes() -> dict[str, str]:
    """geomap/data/metonymy_words.tsv: lemma -> what it says of the place it governs (speech, decision, ...)."""
    return {row["lemma"]: row["class"] for row in data_table("metonymy_words.tsv")}


def word_class(lemma: str) -> str:
    """What a word says of the place it governs, by its lemma in lower case ("other" for most words)."""
    return word_classes().get(lemma, "other")


def features(doc: Doc, start: int, end: int, gazetteer: Optional[Gazetteer] = None,
             tokens: Optional[Tokens] = None) -> dict[str, float]:
    """Named features of the place name at characters start..end (a missing name is 0); ``tokens``: the
    doc's ``Tokens``, where the caller has them (once per call, not per name)."""
    tokens = Tokens(doc) if tokens is None else tokens
    span = tokens.token_span(start, end)
    if span is None or span[0] == span[1]:
        return {"no_span": 1.0}
    first, last = span
    heads, deps, tags = tokens.head, tokens.dep, tokens.pos

    def lemma(i: int) -> str:
        return tokens.lemma[i].lower()

    out = {"bias_span": 1.0}
    root = tokens.root(first, last)
    # "Britain and France", "Stavanger, Norway": a conjunct or apposition takes its first one's place
    for _ in range(3):
        if deps[root] in ("conj", "appos") and heads[root] < root and tags[heads[root]] in ("PROPN", "NOUN"):
            root = heads[root]
            out["conjunct"] = 1.0
    head = heads[root]
    dep = "ROOT" if head == root else deps[root]
    out[f"dep={dep}"] = 1.0
    out[f"head_pos={tags[head]}"] = 1.0
    if dep in ARGUMENT_DEPS:
        verb = heads[head] if dep == "agent" else head
        out[f"{dep}_class={word_class(lemma(verb))}"] = 1.0
        out[f"{dep}_lemma={lemma(verb)}"] = 1.0
        out[f"arg_class={word_class(lemma(verb))}"] = 1.0
        if dep == "nsubj" and lemma(verb) in METONYMIC_VERBS:
            out["metonymic_verb"] = 1.0   # the rule before the classifier, as a feature
    elif dep == "pobj":
        prep, governor = tokens.lower[head], heads[head]
        out[f"prep={prep}"] = 1.0
        out[f"prep={prep}_over={tags[governor]}"] = 1.0
        out[f"prep_class={word_class(lemma(governor))}"] = 1.0
        out[f"prep_head={lemma(governor)}"] = 1.0
        out["locative_prep"] = float(prep in LOCATIVE_PREPOSITIONS)
    elif dep in ("poss", "compound", "nmod", "amod"):
        out[f"{dep}_head={lemma(head)}"] = 1.0
        out[f"{dep}_class={word_class(lemma(head))}"] = 1.0
    text = tokens.text
    if any(text[child] in POSSESSIVE_MARKS for child in tokens.children[root]) or \
            text[last - 1] in POSSESSIVE_MARKS or (last < tokens.length and text[last] in POSSESSIVE_MARKS):
        out["possessive"] = 1.0
    out[f"ent={entity_label(tokens, first, last)}"] = 1.0
    if first > 0 and tokens.lower[first - 1] == "the":
        out["the_before"] = 1.0
    if in_dateline(tokens.doc_text, start, end):
        out["dateline"] = 1.0
    if gazetteer is not None:
        out.update(gazetteer_features(tokens.span_text(first, last), gazetteer))
    return out


def entity_label(tokens: Tokens, start: int, end: int) -> str:
    labels = {label for label in tokens.ent_type[start:end] if label}
    return next(iter(labels)) if len(labels) == 1 else ("mixed" if labels else "none")


def gazetteer_features(name: str, gazetteer: Gazetteer) -> dict[str, float]:
    """What the name is by its own name: a country (they act most often), a capital, a province, a city."""
    found = gazetteer.lookup(name)
    named = [c for c in found if c.matched in TRUSTED]
    out = {}
    if any(c.is_country and c.matched in TRUSTED + ("alias",) for c in found):   # "Britain"
        out["gaz_country"] = 1.0
    elif any(c.feature == "CONT" for c in named):
        out["gaz_continent"] = 1.0
    elif any(c.feature == "PPLC" for c in named):
        out["gaz_capital"] = 1.0
    elif any(c.feature == "ADM1" for c in named):
        out["gaz_province"] = 1.0
    elif any(c.kind == "point" and c.population >= 100_000 for c in named):
        out["gaz_city"] = 1.0
    elif not named:
        out["gaz_unknown"] = 1.0
    return out


class MetonymyModel:
    """``probabilities(rows)``: for each feature dict, the probability that the name is metonymic;
    ``weights`` by feature name (a name the model does not know weighs nothing)."""

    def __init__(self, weights: dict[str, float], intercept: float, *, threshold: float = 0.5,
                 about: Optional[dict] = None):
        self.weights = dict(weights)
        self.intercept = float(intercept)
        self.threshold = float(threshold)
        self.about = about or {}

    def probabilities(self, rows: list[dict[str, float]]) -> numpy.ndarray:
        raw = numpy.array([self.intercept + sum(self.weights.get(k, 0.0) * v for k, v in row.items())
                           for row in rows], dtype=numpy.float64)
        return 1.0 / (1.0 + numpy.exp(-raw))

    def to_dict(self) -> dict:
        return {"threshold": self.threshold, "intercept": self.intercept, "about": self.about,
                "weights": self.weights}

    @classmethod
    def from_dict(cls, data: dict) -> "MetonymyModel":
        return cls(data["weights"], data["intercept"], threshold=data["threshold"], about=data.get("about"))

    def save(self, path) -> None:
        Path(path).write_text(json.dumps(self.to_dict(), indent=1, sort_keys=True) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path) -> "MetonymyModel":
        return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def shipped_metonymy() -> Optional[MetonymyModel]:
    """The trained classifier (geomap/data/metonymy.json); None where it is missing."""
    path = Path(str(importlib.resources.files("geomap").joinpath("data").joinpath(DATA_FILE)))
    return MetonymyModel.load(path) if path.is_file() else None


def mark_metonyms(doc: Doc, mentions: list[Mention], gazetteer: Optional[Gazetteer] = None,
                  model: Optional[MetonymyModel] = None, tokens: Optional[Tokens] = None) -> list[Mention]:
    """Each plain place name (not a compound, modifier or demonym) marked ``metonym`` where the
    classifier says it stands for its government, people or team (``tokens``: the doc's, where the caller
    has them)."""
    model = model or shipped_metonymy()
    candidates = [i for i, m in enumerate(mentions) if not m.compound and m.role == "literal"]
    if not candidates:
        return mentions
    tokens = Tokens(doc) if tokens is None else tokens
    rows = [features(doc, mentions[i].start, mentions[i].end, gazetteer, tokens) for i in candidates]
    # without the trained file, the rule it learnt from: the subject of a verb of metonymic_verbs.txt
    flags = model.probabilities(rows) >= model.threshold if model is not None else \
        [row.get("metonymic_verb", 0.0) > 0 for row in rows]
    out = list(mentions)
    for i, flag in zip(candidates, flags):
        if out[i].metonym != bool(flag):   # (dataclasses.replace is slow, and most names are literal)
            out[i] = replace(out[i], metonym=bool(flag))
    # a compound's part that is another mention ("Turkey" of "its southern border") is that mention
    marked = {(m.start, m.end): m for m in out}
    return [replace(m, parts=tuple(marked.get((p.start, p.end), p) for p in m.parts)) if m.parts else m for m in out]
