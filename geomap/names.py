"""One rule for turning a place name into a lookup key, shared by the gazetteer build and lookups."""
from __future__ import annotations

import importlib.resources
import re
import unicodedata
from functools import lru_cache
from itertools import chain
from typing import Iterator

_DROP = re.compile(r"[.'’`´]")           # "U.S." -> "US", "Côte d'Ivoire" -> "Cote dIvoire"
_SPACE = re.compile(r"[\s\-‐–—_/,]+")   # "Guinea-Bissau" -> "Guinea Bissau"
_ARTICLE = re.compile(r"^the ")
# two name keys at least this alike (rapidfuzz ratio, 0-100) are one name spelled two ways:
# "Jarablus"/"Jarābulus" 94, "Kobani"/"Mkoani" 83 (fuzzy lookups and recognition's spellings)
SPELLING_SIMILARITY = 85


def fold(text: str) -> str:
    """Strip diacritics: "Erdoğan" -> "Erdogan", "Zürich" -> "Zurich"."""
    if text.isascii():   # nothing to strip (NFKD leaves ASCII as it is)
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=65536)   # a pure function of the text, asked again for every mention of a name
def name_key(text: str) -> str:
    """Case- and diacritic-folded key without punctuation or a leading "the"."""
    key = _DROP.sub("", fold(text).casefold())
    key = _SPACE.sub(" ", key).strip()
    return _ARTICLE.sub("", key)


# a wire story's dateline: "BEIRUT: ...", "TORRINGTON — ...", "CAIRO, Egypt (AP) -", "WASHINGTON Barack
# Obama ..." (wire text stripped of its dash) at the start of a line or after a headline's full stop
DATELINE = re.compile(r"(?:^|(?<=\n)|(?<=\. ))[ \t]*([A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+){0,2})"
                      r"(?=(?:,\s*[A-Z][\w.]*(?: [A-Z][\w.]*)?)?(?:\s*(?:\(|:|—|–| - )|[ \t]+[A-Z][a-z]))")


_LINE_BREAKS = re.compile(r"\n|\. ")   # a dateline starts the text, or follows one of these


def dateline_matches(text: str) -> Iterator[re.Match]:
    """``DATELINE.finditer(text)``, tried only where a dateline can start (the text's start, a line's, after a
    full stop and a space) rather than at every character."""
    searched = 0
    for start in chain((0,), (match.end() for match in _LINE_BREAKS.finditer(text))):
        if start >= searched and (match := DATELINE.match(text, start)) is not None:
            yield match
            searched = match.end()


def dateline_at(text: str, start: int, end: int) -> bool:
    """The text's characters start..end are a dateline's place (the pattern is tried where the name
    starts, after ". ", and where its line starts, before any indent)."""
    line = start
    while line > 0 and text[line - 1] in " \t":
        line -= 1
    return any(match is not None and match.span(1) == (start, end)
               for match in (DATELINE.match(text, start), DATELINE.match(text, line)))


def in_dateline(text: str, start: int, end: int) -> bool:
    """The place at start..end is a dateline's: its town ("BEIRUT (AP) —", or in any case where a dash
    or an agency closes it: "Hanoi (VNA) –", "Springfield, Ohio —") or the region written after the town
    ("CAIRO, Egypt (AP)"). A town in any case must open its line or follow a headline near the line's start."""
    # initials are a dateline's region ("RALEIGH, N.C. (AP)"), never its town: "U.S. Sens. Robert C. Byrd",
    # "UK Secretary of Health", "DRC President Joseph Kabila"
    initials = re.fullmatch(r"(?:[A-Z]\.){2,}|[A-Z]{2,3}", text[start:end]) is not None
    if not initials and dateline_at(text, start, end):
        return True
    town = _TOWN_BEFORE.search(text, max(0, start - 40), start)   # "CAIRO, " before the region
    if town is not None and dateline_at(text, town.start(1), town.end(1)):
        return True
    line = text.rfind("\n", 0, start) + 1
    anchors = [line] + [line + m.end() for m in _HEADLINE_END.finditer(text[line:min(start, line + HEADLINE)])]
    for anchor in anchors:
        match = WIRE_DATELINE.match(text, anchor)
        # the town's span or the region's; a shorter name inside the town's ("PLYMOUTH" of "PLYMOUTH CO.")
        if match is not None and (not initials and match.start("town") <= start and end <= match.end("town") or
                                  (start, end) == match.span("region")):
            return True
    return False


HEADLINE = 300   # characters: a headline before a dateline on the same line is no longer
_HEADLINE_END = re.compile(r"[.!?] +")
_TOWN_BEFORE = re.compile(r"([A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+){0,2}),[ \t]*$")
# closed by an agency or a dash, then a sentence's start: "Hanoi (VNA) – Vietnam", "Beijing (AsiaNews) Since",
# not "Pennsylvania - as well as"
WIRE_DATELINE = re.compile(r"[ \t]*(?P<town>[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3})"
                           r"(?:,[ \t]*(?P<region>[A-Z][\w.]*(?: [A-Z][\w.]*)?))?[ \t]*"
                           r"(?:,[ \t]*[A-Z][a-z]+\.? \d{1,2}[ \t]*)?"
                           r"(?:\([^()\n]{0,40}\)[ \t]*(?:[—–\x97]|--| - )?|[—–\x97]|--| - )[ \t]*[A-Z0-9(\"“‘']")


@lru_cache(maxsize=None)
def data_lines(filename: str) -> tuple[str, ...]:
    """The lines of a word list in geomap/data/, without blank lines and ``#`` comments."""
    text = importlib.resources.files("geomap").joinpath("data", filename).read_text(encoding="utf-8")
    return tuple(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def word_list(filename: str) -> frozenset[str]:
    """A word list in geomap/data/ (one word a line) as a set."""
    return frozenset(data_lines(filename))


def data_table(filename: str) -> list[dict[str, str]]:
    """A tab-separated table in geomap/data/: one dict a row, keyed by the first row's column names."""
    header, *rows = (line.split("\t") for line in data_lines(filename))
    return [dict(zip(header, row)) for row in rows]


# Abbreviations written both ways in names: "St. Louis" / "Saint Louis", "Mt. Etna" / "Mount Etna".
_WORD_VARIANTS = {row["word"]: row["variant"] for row in data_table("word_variants.tsv")}


def key_variants(key: str) -> list[str]:
    """Other keys the same name may be stored under, one abbreviation swapped at a time."""
    words = key.split()
    out = []
    for i, word in enumerate(words):
        other = _WORD_VARIANTS.get(word)
        if other and len(words) > 1:
            out.append(" ".join(words[:i] + [other] + words[i + 1:]))
    return out


# Arabic's definite article, which English often drops ("Qamishli" for Al Qāmishlī); before a "sun
# letter" it takes that letter's sound ("Raqqa" for Ar Raqqah, "Tarmiyah" for Aţ Ţārmīyah)
ARABIC_ARTICLES = frozenset({"al", "el", "ad", "adh", "ar", "as", "ash", "at", "ath", "az", "an"})
_SUN_DIGRAPHS = frozenset({"th", "dh", "sh"})
_SUN_LETTERS = frozenset("tdrzsn")


def article_variants(key: str) -> list[str]:
    """The keys the name would have with Arabic's article in front ("qamishli" -> "al qamishli"; "raqqa"
    -> "al raqqa", "ar raqqa"), for a name of at least four letters that has none."""
    if len(key) < 4 or key.split()[0] in ARABIC_ARTICLES:
        return []
    out = ["al " + key]
    sun = key[:2] if key[:2] in _SUN_DIGRAPHS else key[0] if key[0] in _SUN_LETTERS else None
    if sun:
        out.append(f"a{sun} {key}")
    return out


def without_article(key: str) -> str:
    """The key without a leading Arabic article: "al hasakah" -> "hasakah"."""
    first, _, rest = key.partition(" ")
    return rest if rest and first in ARABIC_ARTICLES else key


def is_acronym(text: str) -> bool:
    """"UN", "U.S.", "EU": capitals only, at most five letters."""
    letters = text.replace(".", "")
    return letters.isupper() and len(letters) <= 5
