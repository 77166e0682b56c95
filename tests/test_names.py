import pytest

from geomap.names import fold, name_key


@pytest.mark.parametrize("name, key", [
    ("Stavanger", "stavanger"),
    ("Zürich", "zurich"),
    ("U.S.", "us"),
    ("Guinea-Bissau", "guinea bissau"),
    ("Côte d'Ivoire", "cote divoire"),
    ("the Netherlands", "netherlands"),
    ("  São   Paulo ", "sao paulo"),
])
def test_name_key_folds_case_diacritics_and_punctuation(name, key):
    assert name_key(name) == key


def test_fold_keeps_letters_without_marks():
    assert fold("Erdoğan") == "Erdogan"
