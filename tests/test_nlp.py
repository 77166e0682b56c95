"""The memoised attribute ruler and lemmatizer give exactly what the model's own components give."""
import pytest
import spacy
from spacy.attrs import DEP, HEAD, LEMMA, MORPH, POS, TAG

from geomap.nlp import MODEL_NAMES, UNUSED, MemoLemmatizer, TokenAttributes

TEXTS = [
    "I'm gonna go, y'all. Let's see: it ain't over and there is nothin' left, but I don't know.",
    "You said it would rain in Oslo; I gave it to you. Do you have it? He did. She has had enough.",
    "Whether or not Turkey's airspace was violated, that which they saw gets reported. It got worse.",
    "Headline\n\nStavanger, Norway — NATO ministers met on Oct. 8, 2015.\n   \nThe U.S. agreed.  Also, ",
    "",
]


@pytest.fixture(scope="module")
def stock():
    for name in MODEL_NAMES:
        try:
            nlp = spacy.load(name, exclude=list(UNUSED))
        except OSError:
            continue
        nlp.add_pipe("paragraph_breaks", before="parser")
        return nlp
    pytest.skip("no English model")


def annotations(doc):
    return doc.to_array([TAG, POS, MORPH, LEMMA, DEP, HEAD]).tolist(), [str(t.morph) for t in doc], \
        [t.lemma_ for t in doc]


def test_pipeline_uses_the_memoised_components(nlp):
    assert isinstance(nlp.get_pipe("attribute_ruler"), TokenAttributes)
    assert isinstance(nlp.get_pipe("lemmatizer"), MemoLemmatizer)


@pytest.mark.parametrize("text", TEXTS)
def test_same_annotations_as_the_models_components(nlp, stock, text):
    assert annotations(nlp(text)) == annotations(stock(text))


def test_same_annotations_on_the_seed(nlp, stock, seed_text):
    for _ in range(2):  # the second time from the memo
        assert annotations(nlp(seed_text)) == annotations(stock(seed_text))
