"""geomap.tokens.Tokens answers as spaCy's Token and Span objects would, read from its per-document lists."""
import pytest
import spacy
from spacy.tokens import Span

from geomap.tokens import Tokens

from .helpers import SEED

NLP = spacy.blank("en")
COLUMNS = {"text": "text", "lower": "lower_", "ent_type": "ent_type_", "dep": "dep_", "pos": "pos_",
           "ent_iob": "ent_iob_", "is_alpha": "is_alpha", "is_lower": "is_lower", "is_punct": "is_punct",
           "is_space": "is_space", "is_stop": "is_stop", "like_num": "like_num", "start_char": "idx"}


def assert_like_spacy(doc):
    tokens = Tokens(doc)
    for column, attribute in COLUMNS.items():
        assert getattr(tokens, column) == [getattr(t, attribute) for t in doc], column
    assert [tokens.lemma[i] for i in range(len(doc))] == [t.lemma_ for t in doc]
    assert tokens.whitespace == [bool(t.whitespace_) for t in doc]
    assert tokens.is_sent_start == [t.is_sent_start is True for t in doc]
    assert tokens.head == [t.head.i for t in doc]
    assert tokens.children == [[c.i for c in doc if c.head.i == t.i and c.i != t.i] for t in doc]
    assert tokens.doc_text == doc.text
    assert tokens.entities == tuple((e.start, e.end, e.label_) for e in doc.ents)
    for start in range(len(doc)):
        for end in range(start + 1, min(start + 8, len(doc)) + 1):
            span = doc[start:end]
            assert tokens.span_text(start, end) == span.text
            assert tokens.end_char[end - 1] == span.end_char
            assert tokens.root(start, end) == span.root.i, (start, end)
    return tokens


def test_tokens_read_what_spacy_tokens_say():
    doc = NLP("Turkish jets shot down a Russian plane near  the Syria-Turkey border on Tuesday.\n\nAl-Bab")
    for token in doc:
        token.pos_ = "PROPN" if token.text[:1].isupper() else "NOUN"
    doc.ents = [Span(doc, 0, 1, label="NORP"), Span(doc, 5, 6, label="NORP"), Span(doc, 10, 13, label="LOC")]
    tokens = assert_like_spacy(doc)
    assert tokens.sentence_starts == []   # a blank pipeline sets no sentences


def test_token_span_widens_to_whole_tokens():
    doc = NLP("the Syria-Turkey border")
    tokens = Tokens(doc)
    assert tokens.token_span(4, 9) == (1, 2) and tokens.token_span(5, 8) == (1, 2)
    assert tokens.token_span(4, 16) == (1, 4) and tokens.token_span(100, 104) is None


@pytest.mark.model
def test_tokens_read_a_parse_as_spacy_does(nlp):
    doc = nlp(SEED.read_text(encoding="utf-8")[:3000])
    tokens = assert_like_spacy(doc)
    assert tokens.sentence_starts == [sent.start for sent in doc.sents]
    assert tokens.children == [sorted(c.i for c in t.children) for t in doc]   # (spaCy's crashes on an unparsed doc)
