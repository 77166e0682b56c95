"""The token attributes the stages read (recognition, events), as plain lists by token index, read once per document.

spaCy builds a new ``Token`` on every ``doc[i]`` and a new ``Span`` on every ``doc[a:b]`` (a microsecond, and
as much again for its text); recognition's predicates read a few words around each of a document's hundreds
of candidate spans, thousands of reads per document. ``Tokens`` reads each attribute of every token once, on
its first use, and answers what the predicates ask of a span (its text, its root) from those lists. A span
is a pair of token indexes, ``start`` and ``end`` (exclusive), as in spaCy.
"""
from __future__ import annotations

from functools import cached_property
from typing import NamedTuple, Optional

import numpy
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, IDX, IS_ALPHA, IS_LOWER, IS_PUNCT, IS_SPACE, IS_STOP, LEMMA, \
    LENGTH, LIKE_NUM, ORTH, POS, SENT_START, SPACY
from spacy.parts_of_speech import NAMES as POS_NAMES
from spacy.strings import StringStore
from spacy.tokens import Doc, Token


class Entity(NamedTuple):
    """A stretch of tokens the model labelled: ``start``, ``end`` (token indexes) and its ``label``."""

    start: int
    end: int
    label: str


# what recognition reads of each token, in one pass of spaCy's over the doc (``Doc.to_array``)
ATTRIBUTES = (ORTH, LEMMA, DEP, ENT_TYPE, POS, ENT_IOB, HEAD, SENT_START, IDX, LENGTH, SPACY, IS_ALPHA,
              IS_LOWER, IS_PUNCT, IS_SPACE, IS_STOP, LIKE_NUM)


class Tokens:
    """A doc's tokens, one list per attribute (``lower[i]`` is ``doc[i].lower_``), each made on first use."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.length = len(doc)
        self._roots: dict[tuple[int, int], int] = {}
        self._spans: dict[tuple[int, int], Optional[tuple[int, int]]] = {}

    @cached_property
    def _array(self) -> numpy.ndarray:
        return self.doc.to_array(list(ATTRIBUTES))

    def _column(self, attr: int) -> numpy.ndarray:
        return self._array[:, ATTRIBUTES.index(attr)]

    def _strings(self, attr: int) -> list[str]:
        # each distinct string looked up once: the vocabulary's table is large, and a lookup is slow next to a dict's
        keys = self._column(attr).tolist()
        strings = self.doc.vocab.strings
        names = {key: strings[key] for key in set(keys)}
        return [names[key] for key in keys]

    def _flags(self, attr: int) -> list[bool]:
        return self._column(attr).astype(bool).tolist()

    def _numbers(self, attr: int) -> list[int]:
        return self._column(attr).tolist()

    @cached_property
    def doc_text(self) -> str:
        """``doc.text``, joined from the token lists (as spaCy joins it, from a new Token per token)."""
        return "".join([text + " " if space else text for text, space in zip(self.text, self.whitespace)])

    @cached_property
    def text(self) -> list[str]:
        return self._strings(ORTH)

    @cached_property
    def lower(self) -> list[str]:
        return [text.lower() for text in self.text]   # spaCy's lower_ is defined so: token.text.lower()

    @cached_property
    def lemma(self) -> "LazyStrings":
        return LazyStrings(self._column(LEMMA).tolist(), self.doc.vocab.strings)

    @cached_property
    def ent_type(self) -> list[str]:
        return self._strings(ENT_TYPE)

    @cached_property
    def dep(self) -> list[str]:
        return self._strings(DEP)

    @cached_property
    def pos(self) -> list[str]:
        return [POS_NAMES[p] for p in self._numbers(POS)]

    @cached_property
    def ent_iob(self) -> list[str]:
        iob = Token.iob_strings()
        return [iob[i] for i in self._numbers(ENT_IOB)]

    @cached_property
    def is_alpha(self) -> list[bool]:
        return self._flags(IS_ALPHA)

    @cached_property
    def is_lower(self) -> list[bool]:
        return self._flags(IS_LOWER)

    @cached_property
    def is_punct(self) -> list[bool]:
        return self._flags(IS_PUNCT)

    @cached_property
    def is_space(self) -> list[bool]:
        return self._flags(IS_SPACE)

    @cached_property
    def is_stop(self) -> list[bool]:
        return self._flags(IS_STOP)

    @cached_property
    def like_num(self) -> list[bool]:
        return self._flags(LIKE_NUM)

    @cached_property
    def whitespace(self) -> list[bool]:
        """Whether a space follows the token (spaCy's ``whitespace_`` is " " or "")."""
        return self._flags(SPACY)

    @cached_property
    def is_sent_start(self) -> list[bool]:
        """spaCy's ``is_sent_start`` where it is True (it is None where unknown)."""
        return (self._column(SENT_START) == 1).tolist()

    @cached_property
    def start_char(self) -> list[int]:
        return self._numbers(IDX)

    @cached_property
    def end_char(self) -> list[int]:
        return (self._column(IDX) + self._column(LENGTH)).tolist()

    @cached_property
    def head(self) -> list[int]:
        """The index of each token's head (a sentence's root, and every token of an unparsed doc, is its own)."""
        return (numpy.arange(self.length) + self._column(HEAD).astype(numpy.int64)).tolist()   # HEAD: an offset

    @cached_property
    def children(self) -> list[list[int]]:
        out: list[list[int]] = [[] for _ in range(self.length)]
        for i, head in enumerate(self.head):
            if head != i:
                out[head].append(i)
        return out

    @cached_property
    def entities(self) -> tuple[Entity, ...]:
        """The doc's entities (``doc.ents``), by position."""
        return tuple(Entity(ent.start, ent.end, ent.label_) for ent in self.doc.ents)

    @cached_property
    def sentence_starts(self) -> list[int]:
        """Where each sentence starts (``doc.sents``); empty where the doc has no sentences."""
        if not self.length or not self.doc.has_annotation("SENT_START"):
            return []
        return [0] + (numpy.flatnonzero(self._column(SENT_START)[1:] == 1) + 1).tolist()

    def span_text(self, start: int, end: int) -> str:
        """``doc[start:end].text``, cut from the doc's text."""
        return self.doc_text[self.start_char[start]:self.end_char[end - 1]] if end > start else ""

    def root(self, start: int, end: int) -> int:
        """``doc[start:end].root.i``: the sentence's root if the span holds it, else the token whose head lies
        outside the span nearest the sentence's root (the first of equals), spaces and punctuation without
        children last; spaCy's own rule (``Span.root``)."""
        key = (start, end)
        if key not in self._roots:
            self._roots[key] = self._root(start, end)
        return self._roots[key]

    def _root(self, start: int, end: int) -> int:
        head = self.head
        for i in range(start, end):
            if head[i] == i:
                return i
        best, root = self.length, -1
        for i in range(start, end):
            if start <= head[i] < end:
                continue
            steps = self._steps_to_root(i)
            if steps < best:
                best, root = steps, i
        return start if root == -1 else root

    def _steps_to_root(self, i: int) -> int:
        if (self.is_space[i] or self.is_punct[i]) and not self.children[i]:
            return self.length - 1   # a space or punctuation without dependants: the root only where nothing else is
        head, steps = self.head, 0
        while head[i] != i:
            i = head[i]
            steps += 1
        return steps

    def token_span(self, start_char: int, end_char: int) -> Optional[tuple[int, int]]:
        """The tokens over characters start_char..end_char, widened to whole tokens, as (start, end)
        (``doc.char_span(..., alignment_mode="expand")``, which may be empty); None where it is None."""
        key = (start_char, end_char)
        if key not in self._spans:   # the same mentions are looked up by several rules
            span = self.doc.char_span(start_char, end_char, alignment_mode="expand")
            self._spans[key] = None if span is None else (span.start, span.end)
        return self._spans[key]


class LazyStrings:
    """A column of strings looked up in the vocabulary only where read (a lemma is read at a few heads only)."""

    def __init__(self, keys: list[int], strings: StringStore):
        self._keys = keys
        self._strings = strings

    def __getitem__(self, i: int) -> str:
        return self._strings[self._keys[i]]
