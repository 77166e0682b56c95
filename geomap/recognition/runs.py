"""Runs of capitalised proper nouns, the raw material of the gazetteer's and the frames' mentions."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from spacy.tokens import Doc, Span

from ..names import ARABIC_ARTICLES
from .context import dateline_tokens
from .words import DOTTED, MAX_NAME_TOKENS, NAME_WORD, NOT_PLACES


@dataclass(frozen=True)
class Capitals:
    """What recognition reads of a doc's capitals, worked out once per call and handed to every source
    that reads it: the tokens of its datelines, its runs of capitalised proper nouns and each run's
    pieces (``sub_runs``); and its text, which spaCy joins from the tokens on every ``doc.text``."""

    datelines: frozenset[int]
    runs: tuple[Span, ...]
    text: str
    pieces: tuple[tuple[Span, ...], ...]   # per run, its sub_runs

    @classmethod
    def of(cls, doc: Doc) -> "Capitals":
        text = doc.text
        datelines = dateline_tokens(doc, text)
        runs = tuple(find_capitalised_runs(doc, datelines))
        return cls(datelines, runs, text, tuple(tuple(sub_runs(run)) for run in runs))


def find_capitalised_runs(doc: Doc, datelines: frozenset[int]) -> list[Span]:
    """Maximal runs of capitalised proper nouns, joined across hyphens ("Saxony-Anhalt"), and the
    words of datelines."""
    runs, start = [], None
    for token in doc:
        text = token.text
        if text[:1].isupper():   # a name's word; neither a hyphen nor a lower-case article
            word = bool(NAME_WORD.match(text) or DOTTED.match(text)) and token.lower_ not in NOT_PLACES and \
                (token.pos_ == "PROPN" or token.ent_type_ != "" or token.i in datelines)
            hyphen = False
        else:
            word = article_before_name(token)
            hyphen = text in {"-", "–"} and start is not None and token.i + 1 < len(doc) and \
                not token.whitespace_ and doc[token.i + 1].text[:1].isupper()
        if (word or hyphen) and start is None:
            start = token.i
        elif not (word or hyphen) and start is not None:
            runs.append(doc[start:token.i])
            start = None
    if start is not None:
        runs.append(doc[start:len(doc)])
    return [run for run in runs if is_name_end(run[-1])]


def is_name_end(token) -> bool:
    """A word a name can start or end with: not a hyphen."""
    return bool(NAME_WORD.match(token.text) or DOTTED.match(token.text))


def article_before_name(token) -> bool:
    """Arabic's article in lower case, hyphened to a name: the "al" of "al-Hazm"."""
    doc = token.doc
    return token.text in ARABIC_ARTICLES and not token.whitespace_ and \
        token.i + 2 < len(doc) and doc[token.i + 1].text == "-" and not doc[token.i + 1].whitespace_ and \
        doc[token.i + 2].text[:1].isupper()


def sub_runs(run: Span) -> Iterable[Span]:
    """The run, then shorter and shorter pieces of it, left to right; hyphen pieces are not split."""
    for size in range(min(len(run), MAX_NAME_TOKENS), 0, -1):
        for start in range(run.start, run.end - size + 1):
            span = run.doc[start:start + size]
            if all(is_name_end(t) for t in (span[0], span[-1])):
                yield span
