"""One rule for turning a place name into a lookup key, shared by the gazetteer build and lookups."""
from __future__ import annotations

import re
import unicodedata

_DROP = re.compile(r"[.'’`´]")           # "U.S." -> "US", "Côte d'Ivoire" -> "Cote dIvoire"
_SPACE = re.compile(r"[\s\-‐–—_/,]+")   # "Guinea-Bissau" -> "Guinea Bissau"
_ARTICLE = re.compile(r"^the ")


def fold(text: str) -> str:
    """Strip diacritics: "Erdoğan" -> "Erdogan", "Zürich" -> "Zurich"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def name_key(text: str) -> str:
    """Case- and diacritic-folded key without punctuation or a leading "the"."""
    key = _DROP.sub("", fold(text).casefold())
    key = _SPACE.sub(" ", key).strip()
    return _ARTICLE.sub("", key)


# Abbreviations written both ways in names: "St. Louis" / "Saint Louis", "Mt. Etna" / "Mount Etna".
_WORD_VARIANTS = {"st": "saint", "saint": "st", "ste": "sainte", "sainte": "ste", "mt": "mount", "mount": "mt",
                  "ft": "fort", "fort": "ft", "pt": "point", "n": "north", "s": "south", "e": "east", "w": "west"}


def key_variants(key: str) -> list[str]:
    """Other keys the same name may be stored under, one abbreviation swapped at a time."""
    words = key.split()
    out = []
    for i, word in enumerate(words):
        other = _WORD_VARIANTS.get(word)
        if other and len(words) > 1:
            out.append(" ".join(words[:i] + [other] + words[i + 1:]))
    return out


def is_acronym(text: str) -> bool:
    """"UN", "U.S.", "EU": capitals only, at most five letters."""
    letters = text.replace(".", "")
    return letters.isupper() and len(letters) <= 5
