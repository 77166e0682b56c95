"""Input pairs are (text, doc_id), spaCy's as_tuples order; the old (doc_id, text) order is read only where
it is unmistakable, with a DeprecationWarning. No spaCy here: only how an item is read."""
import warnings

import pytest

from geomap.batch import text_and_id
from geomap.errors import InputError


@pytest.mark.parametrize("item, expected", [
    ("Talks in Oslo.", ("Talks in Oslo.", 3)),                 # a bare text: its id is its number
    (("Talks in Oslo.", "a"), ("Talks in Oslo.", "a")),
    (("Talks in Oslo.", 7), ("Talks in Oslo.", 7)),
    ((b"caf\xc3\xa9", "b"), (b"caf\xc3\xa9", "b")),
    (("a", "Talks in Oslo."), ("a", "Talks in Oslo.")),       # two strings: always (text, doc_id)
    ((None, "a"), (None, "a")),                               # a missing text stays the text (and fails)
])
def test_text_and_id_reads_text_first(item, expected):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert text_and_id(item, 3) == expected


def test_the_old_order_is_read_where_it_cannot_be_mistaken():
    error = InputError("cannot read it")
    with pytest.warns(DeprecationWarning, match=r"\(text, doc_id\)"):
        assert text_and_id((7, "Talks in Oslo."), 0) == ("Talks in Oslo.", 7)
    with pytest.warns(DeprecationWarning):
        assert text_and_id(("a", error), 0) == (error, "a")
