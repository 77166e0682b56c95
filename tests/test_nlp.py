"""The memoised attribute ruler and lemmatizer give exactly what the model's own components give."""
import pytest
import spacy
from spacy.attrs import DEP, HEAD, LEMMA, MORPH, POS, TAG

from geomap.nlp import MemoLemmatizer, TokenAttributes, load_stock_pipeline

pytestmark = pytest.mark.model   # these tests run the spaCy model

TEXTS = [
    "I'm gonna go, y'all. Let's see: it ain't over and there is nothin' left, but I don't know.",
    "You said it would rain in Oslo; I gave it to you. Do you have it? He did. She has had enough.",
    "Whether or not Turkey's airspace was violated, that which they saw gets reported. It got worse.",
    "Headline\n\nStavanger, Norway — NATO ministers met on Oct. 8, 2015.\n   \nThe U.S. agreed.  Also, ",
    "",
]


@pytest.fixture(scope="module")
def stock():
    return load_stock_pipeline()


def annotations(doc):
    return doc.to_array([TAG, POS, MORPH, LEMMA, DEP, HEAD]).tolist(), [str(t.morph) for t in doc], \
        [t.lemma_ for t in doc]


def test_pipeline_uses_the_memoised_components(nlp):
    assert isinstance(nlp.get_pipe("attribute_ruler"), TokenAttributes)
    assert isinstance(nlp.get_pipe("lemmatizer"), MemoLemmatizer)


def test_ner_runs_after_the_parser(nlp):
    """NER will not continue an entity into a sentence start: it must see the parser's sentences."""
    names = nlp.pipe_names
    assert names.index("tok2vec") < names.index("parser") < names.index("ner")
    assert names.index("paragraph_breaks") < names.index("parser")


@pytest.mark.parametrize("text", TEXTS)
def test_same_annotations_as_the_models_components(nlp, stock, text):
    assert annotations(nlp(text)) == annotations(stock(text))


def test_same_annotations_on_the_seed(nlp, stock, seed_text):
    for _ in range(2):  # the second time from the memo
        assert annotations(nlp(seed_text)) == annotations(stock(seed_text))


# -- linear in the document's length: counted, not timed ------------------------------------------

class Counting:
    """Wraps a callable and counts its calls."""

    def __init__(self, call):
        self.call, self.calls = call, 0

    def __call__(self, *args, **kwargs):
        self.calls += 1
        return self.call(*args, **kwargs)


def counted_work(nlp, text: str) -> tuple[int, int, int]:
    """(signature look-ups, rule evaluations, lemmatizer calls) of the memoised components on ``text``,
    after the same text once (so that memo misses are what the longer text adds)."""
    ruler, lemmatizer = nlp.get_pipe("attribute_ruler"), nlp.get_pipe("lemmatizer")
    nlp(text)
    lookups = Counting(ruler.matches_of)
    misses = Counting(ruler.memo.__setitem__)
    lemmas = Counting(lemmatizer.lemmatizer.lemmatize)
    ruler.matches_of, lemmatizer.lemmatizer.lemmatize = lookups, lemmas
    memo, ruler.memo = ruler.memo, CountingDict(ruler.memo, misses)
    try:
        doc = nlp(text)
    finally:
        del ruler.matches_of
        lemmatizer.lemmatizer.lemmatize, ruler.memo = lemmas.call, memo
    assert lookups.calls == len(doc)
    return lookups.calls, misses.calls, lemmas.calls


class CountingDict(dict):
    def __init__(self, data, counter):
        super().__init__(data)
        self.counter = counter

    def __setitem__(self, key, value):
        self.counter(key, value)


def test_attribute_work_grows_with_tokens_and_memo_misses_do_not(nlp, seed_text):
    short = counted_work(nlp, seed_text)
    long = counted_work(nlp, "\n\n".join([seed_text] * 4))
    assert long[0] >= 4 * short[0] - 3       # one look-up per token
    assert long[1] == short[1] == 0          # signatures seen once are never evaluated again
    assert long[2] == short[2] == 0          # nor words lemmatised again


def test_one_pipe_call_per_batch(monkeypatch):
    from geomap.parser import Geoparser
    import spacy
    blank = spacy.blank("en")
    pipe = Counting(blank.pipe)
    monkeypatch.setattr(blank, "pipe", pipe)
    geoparser = Geoparser(nlp=blank)
    monkeypatch.setattr(Geoparser, "_run_stages", lambda self, number, doc, *a: [])
    items = [(i, i, f"Text {i} about Oslo.") for i in range(40)]
    assert len(list(geoparser._parse_documents(items, batch_size=16))) == 40
    assert pipe.calls == 3


def reference_paragraph_breaks(doc):
    """paragraph_breaks as first written, token by token."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if "\n" in previous.whitespace_ or (previous.is_space and "\n" in previous.text):
            token.is_sent_start = True
    return doc


@pytest.mark.parametrize("text", TEXTS + ["A\nB", "A \n\n B\n", "\n\nA", "A B\n"])
def test_paragraph_breaks_as_token_by_token(nlp, text):
    from geomap.nlp import paragraph_breaks
    starts = lambda doc: [t.is_sent_start for t in doc]  # noqa: E731
    assert starts(paragraph_breaks(nlp.make_doc(text))) == starts(reference_paragraph_breaks(nlp.make_doc(text)))


def test_paragraph_breaks_on_the_seed(nlp, seed_text):
    from geomap.nlp import paragraph_breaks
    assert [t.is_sent_start for t in paragraph_breaks(nlp.make_doc(seed_text))] == \
        [t.is_sent_start for t in reference_paragraph_breaks(nlp.make_doc(seed_text))]


def test_lemma_memo_is_bounded(nlp, monkeypatch, seed_text):
    import geomap.nlp
    monkeypatch.setattr(geomap.nlp, "MAX_MEMO", 50)
    lemmatizer = nlp.get_pipe("lemmatizer")
    lemmatizer.memo.clear()
    lemmas = [t.lemma_ for t in nlp(seed_text)]   # some hundred word forms, 50 at a time
    assert 0 < len(lemmatizer.memo) <= 50
    assert [t.lemma_ for t in nlp(seed_text)] == lemmas


def test_paragraph_breaks_linear_in_length(nlp, monkeypatch):
    """Counted: one whole-document scan per document, however many line breaks (the token setter
    scanned once per break)."""
    from spacy.tokens import Doc
    from geomap.nlp import paragraph_breaks
    calls = []
    original = Doc.has_annotation

    class Counted(Doc):
        def has_annotation(self, *args, **kwargs):
            calls.append(args)
            return original(self, *args, **kwargs)
    for lines in (10, 100):
        calls.clear()
        text = "\n".join(f"Line {i} about Oslo" for i in range(lines))
        made = nlp.make_doc(text)
        doc = Counted(made.vocab, words=[t.text for t in made], spaces=[bool(t.whitespace_) for t in made])
        paragraph_breaks(doc)
        assert len(calls) <= 1
        assert sum(bool(t.is_sent_start) for t in doc) == lines
