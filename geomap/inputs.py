"""Turn what a caller hands us into clean text, or say clearly why not."""
from __future__ import annotations

from .errors import InputError, TooLongError

MAX_CHARS = 1_000_000  # spaCy's own max_length; a longer text is not one news article


def as_text(data, *, max_chars: int = MAX_CHARS) -> str:
    """Return ``data`` as a str, raising InputError for binary, non-UTF-8 or oversized input."""
    if isinstance(data, (bytes, bytearray, memoryview)):
        raw = bytes(data)
        if b"\x00" in raw[:65536]:
            raise InputError("input looks binary (it has NUL bytes), not text")
        try:
            data = raw.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise InputError(f"input is not valid UTF-8 (byte {err.start}: {raw[err.start:err.start + 1]!r})") from None
    if not isinstance(data, str):
        raise InputError(f"expected text (str or UTF-8 bytes), got {type(data).__name__}")
    if "\x00" in data[:65536]:
        raise InputError("input looks binary (it has NUL characters), not text")
    try:
        data.encode("utf-8")  # a lone surrogate ("\ud800") is no character: spaCy cannot store it
    except UnicodeEncodeError as err:
        raise InputError(f"text is not valid Unicode (a lone surrogate at character {err.start})") from None
    if len(data) > max_chars:
        raise TooLongError(f"text is {len(data):,} characters long; the limit is {max_chars:,} "
                           "(split it into documents)")
    return data
