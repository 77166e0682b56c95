import pytest

from geomap.errors import GeomapError, InputError
from geomap.inputs import as_text


def test_utf8_bytes_become_text():
    assert as_text("Zürich".encode("utf-8")) == "Zürich"


def test_bom_is_dropped():
    assert as_text(b"\xef\xbb\xbfOslo") == "Oslo"


@pytest.mark.parametrize("data, words", [
    (b"\xff\xfe\x00a\x00b", "binary"),
    (b"caf\xe9 in Paris", "UTF-8"),
    ("x" * 1_000_001, "limit"),
    (42, "expected text"),
])
def test_bad_input_raises_a_clear_error(data, words):
    with pytest.raises(InputError, match=words):
        as_text(data)


def test_input_error_is_a_value_error_and_a_geomap_error():
    assert issubclass(InputError, ValueError) and issubclass(InputError, GeomapError)


def test_lone_surrogate_is_bad_input_not_an_internal_fault():
    import geomap
    with pytest.raises(InputError, match="surrogate"):
        geomap.geoparse("Talks in Oslo \ud800.")


@pytest.mark.parametrize("value", [None, 42])
def test_a_value_that_is_not_text_is_bad_input(value):
    import geomap
    with pytest.raises(InputError, match="expected text"):
        geomap.geoparse(value)
