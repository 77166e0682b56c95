"""Place–happening links: for a place and each candidate trigger of its sentence (verbs), whether the
place is where that happening happened.

Inputs of a (place, trigger) pair: sparse features of the dependency path between them (the path of
dependency labels, the prepositions on it, the distance, whether the trigger governs the place, how the
place nests with the sentence's other places, how the trigger's clause hangs from the place's and how it
is built: its opening word, a participle adjunct, a complement of 'by', a verb over another), the
trigger's lemma and class, which side of it the place is on; and the pipeline's own token vectors
(doc.tensor from en_core_web_sm's tok2vec: the trigger's, the place's, their product, the place's head's,
the path's mean). Two models (Linker): a selector (logistic regression) that weighs a sentence's verbs
against each other, and a locator (one hidden layer) trained on the annotated verb's pairs only.
scripts/train_event_linker.py trains both on Halterman's event-location sentences and stores them as
plain JSON in geomap/data/event_linker.json, so scoring needs numpy, not scikit-learn.

Cross-validated on events_train.jsonl (9,652 sentences, 5 folds grouped by sentence text):
- given the annotated verb (Halterman's setting, place-level: which candidate places are its location):
  precision 0.834, recall 0.838 at threshold 0.5 (best F1 0.838: P 0.819, R 0.858 at 0.425);
- link (each place takes the selector's verb; precision and recall of the links to the annotated verb):
  best F1 0.781, precision 0.829, recall 0.738 at 0.425. geomap links at 0.075 (P 0.721, R 0.796): a weak
  link still shows a place in its happening's layer, a missed one hides it in "other mentions".
The locator sees the token vectors at twice the selector's scale (scripts/train_event_linker.py).
"""
from __future__ import annotations

import base64
import importlib.resources
import json
import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

import numpy as np
from spacy.tokens import Doc, Span, Token

MAX_PATH = 4          # longer halves of a dependency path are summarised by their length only
DISTANCE_BUCKETS = (1, 2, 3, 5, 8, 12)


@lru_cache(maxsize=None)
def word_lists() -> dict:
    """geomap/data/event_words.json: event nouns, stative, speech, control and light verbs, derivations."""
    text = importlib.resources.files("geomap").joinpath("data").joinpath("event_words.json").read_text("utf-8")
    data = json.loads(text)
    canonical = {w: head for head, words in data["derivations"].items() for w in words}
    return {"event_nouns": frozenset(data["event_nouns"]), "stative": frozenset(data["stative_verbs"]),
            "speech": frozenset(data["speech_verbs"]), "control": frozenset(data["control_verbs"]),
            "light": frozenset(data["light_verbs"]),
            "canonical": canonical}


def lemma_of(token: Token) -> str:
    return token.lemma_.lower()


def is_trigger(token: Token) -> bool:
    """A verb that is not stative, or a noun that names a happening."""
    words = word_lists()
    if token.pos_ == "VERB":
        return lemma_of(token) not in words["stative"]
    return token.pos_ in {"NOUN", "PROPN"} and lemma_of(token) in words["event_nouns"]


def is_event_verb(token: Token) -> bool:
    return token.pos_ == "VERB" and lemma_of(token) not in word_lists()["stative"]


def triggers_of(sent: Span) -> list[Token]:
    """The linker's candidates: the sentence's event verbs. Event nouns are linked by the parse alone
    (geomap.happenings): the training data marks verbs only, so a noun would always look wrong. An
    adjectival participle ("increased military activity") describes its noun: the annotators marked 42 of
    the 1,775 in the training data (18 with a location), and the locator, which learns from annotated
    verbs only, has too few to judge them."""
    return [t for t in sent if is_candidate_trigger(t.pos_, t.dep_, lemma_of(t))]


def is_candidate_trigger(pos: str, dep: str, lemma: str) -> bool:
    """``triggers_of``'s test on a token's part of speech, dependency and lower-case lemma (the events index
    asks it of per-document token lists): an event verb that does not modify a noun."""
    return pos == "VERB" and dep != "amod" and lemma not in word_lists()["stative"]


class Ancestry:
    """Each token's chain of heads (itself first), computed once per document and shared by all pairs."""

    def __init__(self, doc: Doc):
        self.heads = [t.head.i for t in doc]
        self._chains: dict[int, list[int]] = {}

    def chain(self, i: int) -> list[int]:
        if i not in self._chains:
            out = [i]
            while self.heads[out[-1]] != out[-1] and len(out) < 64:
                out.append(self.heads[out[-1]])
            self._chains[i] = out
        return self._chains[i]

    def path(self, a: int, b: int) -> tuple[list[int], list[int]]:
        """Tokens from a up to the lowest common ancestor (inclusive), and from b up to it (exclusive)."""
        up_a, up_b = self.chain(a), self.chain(b)
        in_b = {t: n for n, t in enumerate(up_b)}
        for n, t in enumerate(up_a):
            if t in in_b:
                return up_a[:n + 1], up_b[:in_b[t]]
        return up_a, up_b   # different sentences' roots: no common ancestor


def bucket(n: int) -> str:
    for edge in DISTANCE_BUCKETS:
        if n <= edge:
            return str(edge)
    return "far"


def pair_features(doc: Doc, ancestry: Ancestry, place: Span, trigger: Token, rank: int,
                  nearest: Optional[int], place_tokens: frozenset = frozenset(),
                  nesting: Optional[dict[str, float]] = None) -> dict[str, float]:
    """Features of one (place, trigger) pair; ``rank`` orders the sentence's triggers by path length
    from the place and ``nearest`` is the first trigger met climbing from it."""
    words = word_lists()
    root = place.root
    up, down = ancestry.path(root.i, trigger.i)
    governs = trigger.i in up
    up_deps = [doc[i].dep_ for i in up[:-1]]
    down_deps = [doc[i].dep_ for i in down]
    on_path = [doc[i] for i in up[1:] + down]
    preps = [lemma_of(t) for t in on_path if t.pos_ == "ADP"]
    first_prep = lemma_of(root.head) if root.head.pos_ == "ADP" else "-"
    lemma = lemma_of(trigger)
    cls = "VERB" if trigger.pos_ == "VERB" else "NOUN"
    side = "before" if place.end <= trigger.i else "after"
    path = "^".join(up_deps[:MAX_PATH]) + ("+" if len(up_deps) > MAX_PATH else "") + "|" + \
        "v".join(down_deps[:MAX_PATH]) + ("+" if len(down_deps) > MAX_PATH else "")
    feats = {
        f"cls={cls}": 1.0, f"lemma={lemma}": 1.0, f"tdep={trigger.dep_}": 1.0, f"tag={trigger.tag_}": 1.0,
        f"side={side}": 1.0, f"dist={bucket(abs(trigger.i - root.i))}": 1.0, f"path={path}": 1.0,
        f"up={min(len(up_deps), 6)}": 1.0, f"down={min(len(down_deps), 6)}": 1.0,
        f"pdep={root.dep_}": 1.0, f"firstprep={first_prep}": 1.0,
        f"rank={min(rank, 4)}": 1.0, f"gov={governs}": 1.0, f"gov={governs}|firstprep={first_prep}": 1.0,
        f"cls={cls}|side={side}": 1.0, f"cls={cls}|gov={governs}": 1.0, f"tdep={trigger.dep_}|gov={governs}": 1.0,
        f"between={min(sum(1 for t in on_path if t.i != trigger.i and is_trigger(t)), 3)}": 1.0,
    }
    for prep in preps[:3]:
        feats[f"prep={prep}"] = 1.0
    # "in the Karimiya district in Tripoli": a place reached through another place is the less specific one
    via = [t for t in on_path if t.i in place_tokens and not place.start <= t.i < place.end and t.i != trigger.i]
    feats[f"via_place={bool(via)}"] = 1.0
    feats[f"via_place={bool(via)}|gov={governs}"] = 1.0
    feats[f"lemma={lemma}|gov={governs}"] = 1.0
    feats[f"lemma={lemma}|firstprep={first_prep}"] = 1.0
    feats[f"rank={min(rank, 4)}|tdep={trigger.dep_}"] = 1.0
    feats[f"path={path}|side={side}|gov={governs}"] = 1.0
    # what the place hangs from ("city of Nablus", "streets of Bishkek") and whether it is the
    # sentence's first place (annotators mark the most specific, usually first, place)
    head = root.head.head if root.head.pos_ == "ADP" else root.head
    feats[f"phead={lemma_of(head) if head.pos_ in {'NOUN', 'PROPN'} else head.pos_}"] = 1.0
    feats.update(nesting if nesting is not None else nesting_features(doc, ancestry, place, place_tokens))
    sent = trigger.sent
    earlier = any(i in place_tokens for i in range(sent.start, place.start))
    later = any(i in place_tokens for i in range(place.end, sent.end))
    feats[f"places={'first' if not earlier else 'later'}{'+more' if later else ''}"] = 1.0
    if nearest is not None and nearest == trigger.i:
        feats["nearest"] = 1.0
    feats.update(clause_features(doc, ancestry, trigger, nearest))

    if lemma in words["speech"]:
        feats["speech"] = 1.0
    feats.update(form_features(trigger))
    return feats


def clause_mark(verb: Token) -> str:
    """The word that opens a verb's clause: 'when', 'after', 'while', 'as'; '-' for none."""
    mark = next((c for c in verb.children if c.dep_ == "mark" or c.dep_ == "advmod" and c.tag_ == "WRB"), None)
    return lemma_of(mark) if mark is not None else "-"


def form_features(trigger: Token) -> dict[str, float]:
    """How the trigger's clause is built, whatever the place: a bare participle adjunct (", killing
    five"), a clause opened by 'when' or 'while', a complement of 'by' ("began the assault by
    storming"), a verb that governs another verb's clause ("trying to recapture", "began storming")."""
    mark = clause_mark(trigger)
    feats = {f"tmark={mark}": 1.0, f"tform={trigger.dep_}|{trigger.tag_}|{mark}": 1.0}
    head = trigger.head
    if trigger.dep_ == "pcomp" and head.pos_ == "ADP":
        feats[f"tprep={lemma_of(head)}"] = 1.0
        head = head.head
    if head.i != trigger.i and head.pos_ in {"VERB", "AUX"}:
        feats[f"thead={lemma_of(head)}|{trigger.dep_}"] = 1.0
    for child in trigger.children:
        if child.pos_ == "VERB" and child.dep_ in {"xcomp", "ccomp", "advcl"}:
            feats[f"tcomp={child.dep_}|{child.tag_}"] = 1.0
            feats[f"tcomp={child.dep_}|lemma={lemma_of(trigger)}"] = 1.0
        elif child.dep_ == "prep" and any(g.dep_ == "pcomp" and g.pos_ == "VERB" for g in child.children):
            feats[f"tcomp=prep:{lemma_of(child)}"] = 1.0
    return feats


CLAUSE_DEPS = {"advcl", "ccomp", "xcomp", "conj", "relcl", "acl", "parataxis", "pcomp"}


def clause_features(doc: Doc, ancestry: Ancestry, trigger: Token, nearest: Optional[int]) -> dict[str, float]:
    """How the trigger's clause relates to the clause the place is in (its nearest trigger's), with the
    trigger's lemma: annotators prefer some verbs over the verbs they subordinate or conjoin ("struck
    the city, killing five": killing), which the path alone, blind to the lemma, cannot weigh."""
    lemma = lemma_of(trigger)
    if nearest is None:
        relation = "none"
    elif nearest == trigger.i:
        relation = "self"
    elif trigger.i in ancestry.chain(nearest):     # the place's clause hangs below the trigger
        chain = ancestry.chain(nearest)
        relation = "above:" + doc[chain[chain.index(trigger.i) - 1]].dep_
    elif nearest in ancestry.chain(trigger.i):     # the trigger's clause hangs below the place's
        chain = ancestry.chain(trigger.i)
        relation = "below:" + doc[chain[chain.index(nearest) - 1]].dep_
    else:
        relation = "apart"
    clauses = [doc[i].dep_ for i in ancestry.chain(trigger.i)[:-1] if doc[i].dep_ in CLAUSE_DEPS]
    passive = any(c.dep_ in {"auxpass", "nsubjpass"} for c in trigger.children)
    return {f"rel={relation}": 1.0, f"rel={relation}|lemma={lemma}": 1.0,
            f"clauses={'^'.join(clauses[:2]) or '-'}": 1.0, f"passive={passive}": 1.0,
            f"passive={passive}|lemma={lemma}": 1.0}


def anchor_of(token: Token) -> Token:
    """The noun a place name stands for: 'district' in 'Alishir district', else the name itself."""
    return token.head if token.dep_ == "compound" else token


def nesting_features(doc: Doc, ancestry: Ancestry, place: Span, place_tokens: frozenset) -> dict[str, float]:
    """How the place nests with its sentence's other places, by the noun and preposition that join them:
    'Alishir district of Khost' (Khost under district), 'the West Bank city of Nablus' (Nablus under
    city), 'the Karimiya district in Tripoli'. Annotators mark the most specific place, and which one
    that is depends on the noun ('city of X' is X, 'X district of Y' is X)."""
    feats: dict[str, float] = {}
    sent = place.sent
    others = [t for t in range(sent.start, sent.end) if t in place_tokens and not place.start <= t < place.end]
    anchors = {anchor_of(doc[t]).i for t in others} | set(others)
    chain = ancestry.chain(place.root.i)
    for n, i in enumerate(chain[1:4], start=1):   # another place's noun above this one
        if i in anchors:
            prep = next((lemma_of(doc[j]) for j in chain[1:n] if doc[j].pos_ == "ADP"), "-")
            feats[f"nest=under|{lemma_of(doc[i])}|{prep}"] = 1.0
            feats["nest=under"] = 1.0
            break
    anchor = anchor_of(place.root)
    for t in others:   # another place below this one's noun
        above = ancestry.chain(t)[1:4]
        if anchor.i in above:
            prep = next((lemma_of(doc[j]) for j in above if doc[j].pos_ == "ADP"), "-")
            feats[f"nest=over|{lemma_of(anchor)}|{prep}"] = 1.0
            feats["nest=over"] = 1.0
            break
    return feats


def nearest_trigger(ancestry: Ancestry, doc: Doc, root: Token) -> Optional[int]:
    """The first trigger above the place in the parse (the rule geomap used before the linker)."""
    for i in ancestry.chain(root.i)[1:]:
        if is_trigger(doc[i]):
            return i
    return None


def candidate_features(doc: Doc, ancestry: Ancestry, place: Span, triggers: list[Token],
                       place_tokens: frozenset = frozenset()) -> list[tuple[Token, dict[str, float]]]:
    """(trigger, features) for each trigger outside the place's own words, in the order given;
    ``place_tokens`` are the indexes of the tokens of all the document's places."""
    triggers = [t for t in triggers if not place.start <= t.i < place.end]
    root = place.root
    lengths = [sum(len(p) for p in ancestry.path(root.i, t.i)) for t in triggers]
    order = sorted(range(len(triggers)), key=lambda k: (lengths[k], abs(triggers[k].i - root.i)))
    rank = {k: r for r, k in enumerate(order)}
    nearest = nearest_trigger(ancestry, doc, root)
    nesting = nesting_features(doc, ancestry, place, place_tokens)
    return [(t, pair_features(doc, ancestry, place, t, rank[k], nearest, place_tokens, nesting))
            for k, t in enumerate(triggers)]


VECTOR_WIDTH = 96     # en_core_web_sm's tok2vec
VECTOR_PARTS = ("trigger", "place", "trigger*place", "place head", "path")


def pair_vector(doc: Doc, ancestry: Ancestry, place: Span, trigger: Token) -> Optional[np.ndarray]:
    """The pipeline's own token vectors (doc.tensor, from en_core_web_sm's tok2vec) for a pair: the
    trigger's, the place's (mean over its tokens), their product, the place's head's and the mean over
    the dependency path between them; None when the pipeline left no tensor of that width."""
    tensor = doc.tensor
    if tensor is None or getattr(tensor, "ndim", 0) != 2 or tensor.shape != (len(doc), VECTOR_WIDTH):
        return None
    up, down = ancestry.path(place.root.i, trigger.i)
    path = [i for i in up[1:] + down if i != trigger.i]
    verb, where = tensor[trigger.i], tensor[place.start:place.end].mean(axis=0)
    along = tensor[path].mean(axis=0) if path else np.zeros(VECTOR_WIDTH, dtype=tensor.dtype)
    return np.concatenate([verb, where, verb * where, tensor[place.root.head.i], along]).astype(np.float32)


@dataclass
class Candidate:
    trigger: Token
    features: dict[str, float]
    vector: Optional[np.ndarray]


def candidates(doc: Doc, ancestry: Ancestry, place: Span, triggers: list[Token],
               place_tokens: frozenset = frozenset()) -> list[Candidate]:
    """candidate_features with each pair's token vectors (pair_vector)."""
    return [Candidate(t, f, pair_vector(doc, ancestry, place, t))
            for t, f in candidate_features(doc, ancestry, place, triggers, place_tokens)]


def _floats(text: str, shape: tuple[int, ...]) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text), dtype="<f2").astype(np.float32).reshape(shape)


def _text(values: np.ndarray) -> str:
    return base64.b64encode(np.asarray(values, dtype="<f2").tobytes()).decode("ascii")


class Linker:
    """Two models over the same inputs (the sparse pair features and the standardised pair vector):

    - the *selector*, a logistic regression trained on every (place, trigger) pair, says which of a
      sentence's triggers a place belongs to (the place takes its highest-scoring trigger);
    - the *locator*, a one-hidden-layer network trained on the pairs with the annotated verb only
      (Halterman's setting: given the verb, is this place its location?), says whether the place is
      that trigger's location at all; a link needs ``threshold``.

    The data marks one verb per sentence, so a pair with another verb is unlabelled rather than
    negative: the locator learns only from labelled pairs; the selector learns the competition.
    Weights are plain JSON (the network's as base64 float16), so scoring needs numpy, not scikit-learn.
    """

    def __init__(self, names: list[str], selector: dict, locator: dict, vector: dict, threshold: float):
        self.names = list(names)
        self.column = {n: k for k, n in enumerate(self.names)}
        self.threshold = float(threshold)
        self.sel_sparse = np.asarray(selector["sparse"], dtype=np.float32)
        self.sel_dense = np.asarray(selector["dense"], dtype=np.float32)
        self.sel_intercept = float(selector["intercept"])
        hidden = int(locator["hidden"])
        self.w1 = _floats(locator["w1"], (len(self.names) + len(self.sel_dense), hidden))
        self.b1 = np.asarray(locator["b1"], dtype=np.float32)
        self.w2 = np.asarray(locator["w2"], dtype=np.float32)
        self.b2 = float(locator["b2"])
        self.mean = np.asarray(vector["mean"], dtype=np.float32)
        self.std = np.asarray(vector["std"], dtype=np.float32)
        self.scale = float(vector["scale"])
        self._raw = {"names": self.names, "selector": selector, "locator": locator, "vector": vector,
                     "threshold": self.threshold}

    def _dense(self, vector: Optional[np.ndarray]) -> np.ndarray:
        if vector is None or vector.shape != self.mean.shape:   # no tensor: the training mean
            return np.zeros_like(self.mean)
        return (vector - self.mean) / self.std * self.scale

    def _columns(self, features: dict[str, float]) -> list[int]:
        return [self.column[n] for n in features if n in self.column]

    def select(self, features: dict[str, float], vector: Optional[np.ndarray] = None) -> float:
        """The selector's probability that the place belongs to this trigger."""
        z = self.sel_intercept + float(self.sel_sparse[self._columns(features)].sum()) + \
            float(self.sel_dense @ self._dense(vector))
        return _sigmoid(z)

    def locate(self, features: dict[str, float], vector: Optional[np.ndarray] = None) -> float:
        """The locator's probability that the place is where this trigger's happening happened."""
        n = len(self.names)
        h = self.b1 + self.w1[self._columns(features)].sum(axis=0) + self._dense(vector) @ self.w1[n:]
        return _sigmoid(self.b2 + float(np.maximum(h, 0.0) @ self.w2))

    def best(self, pairs: list[Candidate]) -> list[tuple[float, float, Token]]:
        """(locator probability, selector probability, trigger) for each candidate, the place's trigger
        (the selector's choice, see preference) first."""
        out = [(self.locate(c.features, c.vector), self.select(c.features, c.vector), c.trigger) for c in pairs]
        return sorted(out, key=lambda lst: preference(lst[1], lst[0]), reverse=True)

    def to_json(self) -> dict:
        return dict(self._raw)

    @classmethod
    def from_json(cls, data: dict) -> "Linker":
        return cls(names=data["names"], selector=data["selector"], locator=data["locator"],
                   vector=data["vector"], threshold=data["threshold"])


def preference(select: float, locate: float) -> tuple[float, float]:
    """Sort key of a place's candidate triggers: the selector's probability, which knows which verb of a
    sentence carries its happening; the locator's breaks ties. (Letting the locator's plausible verbs
    go first cost 4 points of event_eval: trained on annotated verbs only, it finds a nearby
    subordinate verb ("following an exchange of gunfire in Ramadi") as plausible as the main one.)"""
    return select, locate


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))


@lru_cache(maxsize=1)
def default_linker() -> Linker:
    """geomap/data/event_linker.json, written by scripts/train_event_linker.py."""
    text = importlib.resources.files("geomap").joinpath("data").joinpath("event_linker.json").read_text("utf-8")
    return Linker.from_json(json.loads(text))
