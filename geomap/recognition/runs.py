"""Runs of capitalised proper nouns, the raw material of the gazetteer's and the frames' mentions."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from spacy.tokens import Doc

from ..names import ARABIC_ARTICLES
from .context import dateline_tokens
from ..tokens import Tokens
from .words import DOTTED, MAX_NAME_TOKENS, NAME_WORD, NOT_PLACES

Stretch = tuple[int, int]   # a span as its tokens' indexes, start and end (exclusive)
# a word of a loose run: a capitalised word, or an abbreviation with its stop ("St.", "Calif.", "D.C.")
LOOSE_WORD = re.compile(r"^(?:[A-Z][^\W\d_]*(?:[’'][^\W\d_]+)*|[A-Z][A-Za-z]{0,4}\.|(?:[A-Z]\.){2,})$")
MAX_LOOSE_RUN = 8


@dataclass(frozen=True)
class Capitals:
    """What recognition reads of a doc, worked out once per call and handed to every source that reads it:
    its ``tokens`` (``Tokens``: the attributes the rules read, as lists); the tokens of its datelines, its
    runs of capitalised proper nouns and each run's pieces (``sub_runs``), as (start, end) token indexes; its
    looser runs (``loose_runs``) and the spans across "and" between them (``joined_runs``: the rules and the
    proposals both read them); and its text, which spaCy joins from the tokens on every ``doc.text``."""

    datelines: frozenset[int]
    runs: tuple[Stretch, ...]
    text: str
    pieces: tuple[tuple[Stretch, ...], ...]   # per run, its sub_runs
    tokens: Tokens
    loose: tuple[Stretch, ...] = ()   # looser runs: capitalised words of any kind, abbreviations (loose_runs)
    joined: tuple[Stretch, ...] = ()   # spans across "and" between two loose runs (joined_runs)

    @classmethod
    def of(cls, doc: Doc) -> "Capitals":
        tokens = Tokens(doc)
        datelines = dateline_tokens(doc, tokens.doc_text)
        runs = tuple(find_capitalised_runs(tokens, datelines))
        loose = tuple(loose_runs(tokens))
        return cls(datelines, runs, tokens.doc_text, tuple(tuple(sub_runs(tokens, *run)) for run in runs), tokens,
                   loose, tuple(joined_runs(tokens, loose)))


def find_capitalised_runs(tokens: Tokens, datelines: frozenset[int]) -> list[Stretch]:
    """Maximal runs of capitalised proper nouns, joined across hyphens ("Saxony-Anhalt"), and the
    words of datelines."""
    runs, start = [], None
    texts, lower, pos, ent_type = tokens.text, tokens.lower, tokens.pos, tokens.ent_type
    for i, text in enumerate(texts):
        if text[:1].isupper():   # a name's word; neither a hyphen nor a lower-case article
            word = is_name_end(text) and lower[i] not in NOT_PLACES and \
                (pos[i] == "PROPN" or ent_type[i] != "" or i in datelines)
            hyphen = False
        else:
            word = text in ARABIC_ARTICLES and article_before_name(tokens, i)
            hyphen = text in {"-", "–"} and start is not None and i + 1 < tokens.length and \
                not tokens.whitespace[i] and texts[i + 1][:1].isupper()
        if (word or hyphen) and start is None:
            start = i
        elif not (word or hyphen) and start is not None:
            runs.append((start, i))
            start = None
    if start is not None:
        runs.append((start, tokens.length))
    return [(start, end) for start, end in runs if is_name_end(tokens.text[end - 1])]


@lru_cache(maxsize=8192)   # words recur, within a document and across documents
def is_name_end(text: str) -> bool:
    """A word a name can start or end with: not a hyphen."""
    return bool(NAME_WORD.match(text) or DOTTED.match(text))


def article_before_name(tokens: Tokens, i: int) -> bool:
    """Arabic's article in lower case, hyphened to a name: the "al" of "al-Hazm"."""
    texts = tokens.text
    return texts[i] in ARABIC_ARTICLES and not tokens.whitespace[i] and \
        i + 2 < tokens.length and texts[i + 1] == "-" and not tokens.whitespace[i + 1] and \
        texts[i + 2][:1].isupper()


def sub_runs(tokens: Tokens, start: int, end: int) -> Iterable[Stretch]:
    """The run start..end, then shorter and shorter pieces of it, left to right; hyphen pieces are not split."""
    name_end = [is_name_end(text) for text in tokens.text[start:end]]
    for size in range(min(end - start, MAX_NAME_TOKENS), 0, -1):
        for first in range(start, end - size + 1):
            if name_end[first - start] and name_end[first - start + size - 1]:
                yield first, first + size


def joined_runs(tokens: Tokens, runs: tuple[Stretch, ...]) -> Iterable[Stretch]:
    """Spans across "and" (or "and the", "&") between two runs: the end of the first run to the start of the
    next, at most six words in all. Names that hold a conjunction ("Trinidad and Tobago", "Saint Vincent and
    the Grenadines", "Newfoundland and Labrador") are no run, and their first run alone is another place
    (Trinidad, Bolivia)."""
    for (first_start, first_end), (next_start, next_end) in zip(runs, runs[1:]):
        if tokens.lower[first_end:next_start] not in (["and"], ["&"], ["and", "the"]):
            continue
        for start in range(max(first_start, first_end - MAX_NAME_TOKENS), first_end):
            for end in range(next_start + 1, min(next_end, start + MAX_NAME_TOKENS) + 1):
                yield start, end


def loose_runs(tokens: Tokens) -> list[Stretch]:
    """Maximal runs of capitalised words of any part of speech and abbreviations with their stop, without
    the capitalised function word that starts a sentence ("The", "But"); at most eight words."""
    runs, start = [], None
    for i, text in enumerate(tokens.text):
        word = "A" <= text[:1] <= "Z" and LOOSE_WORD.match(text) is not None   # the test first: most words fail it
        if word and start is None:
            start = i
        elif not word and start is not None:
            runs.append((start, i))
            start = None
    if start is not None:
        runs.append((start, tokens.length))
    out = []
    for start, end in runs:
        while start < end and tokens.is_stop[start]:
            start += 1
        if start < end and end - start <= MAX_LOOSE_RUN:
            out.append((start, end))
    return out
