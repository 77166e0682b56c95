"""Compound place mentions: borders, coasts, parts of a region and airspace.

Each is one mention whose ``parts`` are mentions of the regions it is built from (with their own
offsets), so that resolution can place each part and geometry can build the line or polygon:

- border: "the Syria-Turkey border", "Turkey's southern border with Syria", "the border between
  Turkey and Syria", "its border with Syria" (its = the region named just before), "Turkey's
  southern border" (no neighbour: that side of its boundary);
- coast: "Syria's Mediterranean coast", "the Mediterranean coast of Syria";
- part: "northern Syria", "the north of Syria", "the government-held north of the country";
- airspace: "Turkey's airspace", "the country's sovereign air space".

"The country" is the country in focus: the latest country named before it as a subject, object or
possessor, not inside a prepositional phrase ("help Turkey defend its border with Syria after jets
infiltrated the country's air space": Turkey). Directions before a region ("the north of Syria") mean a
part of it; "north of Damascus" (no article) means outside it and is not a part.
"""
from __future__ import annotations

import re
from typing import Iterable, Iterator, Optional, Sequence

from spacy.tokens import Doc

from .candidates import Gazetteer
from .models import Mention, Occupied
from .names import data_table
from .vocabulary import BORDER_WORDS, DIRECTION_ADJECTIVES, DIRECTION_NOUNS, GENERIC_WORDS

# at most six words: a run of capitals longer than any name ("Aleppo Aleppo ...") must not be re-read
# from every word it holds (unbounded, the patterns took quadratic time in such a run)
NAME = r"[A-Z][\w'’.]*(?:[ -](?:of\s|de\s)?[A-Z][\w'’.]*){0,5}"
THE_COUNTRY = r"(?i:the)\s+country"
POSSESSIVE = r"['’]s?"


def alternatives(words: Sequence[str]) -> str:
    """A word list as a regex alternation, in its order; a hyphen in a word is optional."""
    return "|".join(re.escape(word).replace(r"\-", "-?") for word in words)


def compile_patterns(filename: str = "compound_patterns.tsv") -> list[tuple[str, re.Pattern]]:
    """The compound patterns table, its {FRAGMENT}s filled in, as (kind, compiled pattern) in order."""
    fragments = {"NAME": NAME, "THE_COUNTRY": THE_COUNTRY, "POSSESSIVE": POSSESSIVE,
                 "DIRECTION": alternatives(DIRECTION_NOUNS), "DIRECTION_ADJ": alternatives(DIRECTION_ADJECTIVES),
                 "BORDER_WORD": alternatives(BORDER_WORDS)}
    fill = re.compile(r"\{([A-Z_]+)\}")
    return [(row["kind"], re.compile(fill.sub(lambda m: fragments[m.group(1)], row["pattern"])))
            for row in data_table(filename)]


_PATTERNS = compile_patterns()
# a word every pattern of a kind needs, written as the patterns write it: a text without it cannot match
# that kind, and a search for it is far cheaper than the patterns, which try a name at every capital
CUES = {"border": re.compile(alternatives(BORDER_WORDS)), "coast": re.compile(r"coast|seaboard|shore"),
        "part": re.compile(alternatives(DIRECTION_NOUNS) + "|" + alternatives(DIRECTION_ADJECTIVES)),
        "airspace": re.compile(r"(?i:air\s?space)")}
LABELS = {"border": "BORDER", "coast": "COAST", "part": "PART", "airspace": "AIRSPACE"}
# How many runs of whitespace a compound of a kind spans at most: before its cue (the start of the cue's match) and
# in all. A name spans ten (six words, each gap with an "of" or "de" or not); "Syria - Turkey northern border"
# (border) spans two names and four gaps before its cue, "its border with NAME" 14 from it, "the border between
# NAME and NAME" 24; "NAME's NAME coast" 22 before, "the NAME coast of NAME" 24 in all; "NAME's sovereign air space"
# 12 before and 13 in all. Patterns that start with a name are searched only within this reach of their cues
# (``cue_stretches``, ``near_cues``), not at every capital of the text; a part's pattern starts with its cue.
REACH = {"border": (24, 26), "coast": (22, 24), "airspace": (12, 13)}
GAPS = re.compile(r"\s+")
FOCUS_DEPS = {"nsubj", "nsubjpass", "dobj", "poss", "ROOT", "appos", "attr", "compound", "conj"}


def compound_mentions(doc: Doc, gazetteer: Gazetteer, places: list[Mention],
                      text: Optional[str] = None) -> list[Mention]:
    """Compound mentions in ``doc`` whose parts are regions the gazetteer knows, none overlapping
    (``text``: the doc's, where the caller has it: spaCy joins the tokens on every ``doc.text``)."""
    out = []
    text = doc.text if text is None else text
    cued = {kind for kind, cue in CUES.items() if cue.search(text)}
    stretches = {kind: cue_stretches(CUES[kind], text, *REACH[kind]) for kind in cued & REACH.keys()}
    for kind, pattern in _PATTERNS:
        if kind not in cued:
            continue
        found = near_cues(pattern, text, stretches[kind]) if kind in stretches else pattern.finditer(text)
        for match in found:
            mention = build(kind, match, text, doc, gazetteer, places)
            if mention is not None:
                out.append(mention)
    return non_overlapping(out)


def cue_stretches(cue: re.Pattern, text: str, before: int, spans: int) -> list[tuple[int, int, int]]:
    """Where a match of a kind's patterns may start near the matches of its ``cue`` (first, last), and where the
    text may be cut for the search, as (first, last, cut).

    Every match holds a match of ``cue`` (or starts inside one), with at most ``before`` runs of whitespace
    before it, and spans at most ``spans`` runs in all, however the search goes: a match starts no earlier than
    the end of the run ``before + 1`` back from a cue, and a search that starts by the cue's end reads nothing
    past the run ``spans + 3`` on (a look-ahead takes a word more)."""
    stretches: list[tuple[int, int, int]] = []
    for match in cue.finditer(text):
        first, cut = gap_before(text, match.start(), before + 1), gap_after(text, match.end(), spans + 3)
        if stretches and first <= stretches[-1][1]:
            stretches[-1] = (stretches[-1][0], match.end(), cut)
        else:
            stretches.append((first, match.end(), cut))
    return stretches


def near_cues(pattern: re.Pattern, text: str, stretches: list[tuple[int, int, int]]) -> Iterator[re.Match]:
    """The matches of ``pattern.finditer(text)``, looked for in its cues' ``stretches`` only (``cue_stretches``):
    each searched with the text cut where the stretch says, a match that starts past its last start left to the
    next stretch. The same matches, in the same order, as one search of the whole text."""
    searched = 0   # where the last match ended: the search goes on from there, as finditer's does
    for first, last, cut in stretches:
        for match in pattern.finditer(text, max(first, searched), cut):
            if match.start() > last:
                break
            yield match
            searched = match.end()


def gap_before(text: str, position: int, count: int) -> int:
    """Where the ``count``-th run of whitespace before ``position`` ends (0 where there are fewer)."""
    reach = 8 * count   # characters: most words are shorter
    while True:
        start = max(0, position - reach)
        ends = [match.end() for match in GAPS.finditer(text, start, position)]
        if len(ends) >= count or start == 0:
            return ends[-count] if len(ends) >= count else 0
        reach *= 4


def gap_after(text: str, position: int, count: int) -> int:
    """Where the ``count``-th run of whitespace from ``position`` on starts (the text's end where there are fewer).
    ``finditer`` reads on only as far as it is asked, so no window is needed (``gap_before`` searches back)."""
    for number, match in enumerate(GAPS.finditer(text, position), start=1):
        if number == count:
            return match.start()
    return len(text)


def build(kind: str, match: re.Match, text: str, doc: Doc, gazetteer: Gazetteer,
          places: list[Mention]) -> Optional[Mention]:
    group = match.groupdict()
    if group.get("a") is None:  # "its border", "the country's coast": the region in focus
        a = focus_country(doc, match.start(), places, gazetteer, nearest=bool(group.get("pronoun")))
        if a is None:
            return None
    else:
        a = region_within(match, "a", text, gazetteer, from_end=True)
    b = region_within(match, "b", text, gazetteer, from_end=False) if group.get("b") else None
    if a is None or (kind == "border" and b is None and not group.get("dir")) or \
            (group.get("b") and b is None and kind != "coast"):
        return None
    if kind == "part" and not is_country_or_province(a.text, gazetteer):
        return None  # "Northern Ireland" is a name, "western Europe" a macro-region
    if kind == "part" and match.group("dir")[0].isupper() and gazetteer.lookup(match.group(0)):
        return None
    start, end = span_of(match, group, a, b)
    direction = group["dir"].lower().replace("-", "") if group.get("dir") else None
    parts = (a, b) if b else (a,)
    return Mention(start, end, text[start:end], LABELS[kind], parts, direction, compound=kind)


def span_of(match: re.Match, group: dict, a: Mention, b: Optional[Mention]) -> tuple[int, int]:
    if group.get("pronoun"):  # "its southern border with Syria" starts at "southern"
        start = match.start("dir") if group.get("dir") else match.end("pronoun")
    elif group.get("a") and match.start("a") == match.start():  # trimmed to the region's words
        start = a.start
    else:
        start = match.start()
    last = "a" if group.get("a") and match.end("a") == match.end() else "b" if group.get("b") else None
    if last and match.end(last) == match.end():  # drop words captured after the region ("Syria Monday")
        end = (a if last == "a" else b).end
    else:
        end = match.end()
    return start, end


def region_within(match: re.Match, name: str, text: str, gazetteer: Gazetteer, *,
                  from_end: bool) -> Optional[Mention]:
    """The longest run of words at one end of the group ``name`` that names a region, as a mention.

    The pattern's capitalised run may take in a sentence-initial word ("In Syria-Turkey border"),
    so the first side is read from its end and the second from its start. The run ends with the sentence
    ("northern Anderson County. Paris had been": "Anderson County", no province, so no part) or a possessive
    ("western Iran's Kermanshah": Iran). Where the same
    words occur twice in the run ("the east of France. France said"), the mention is the occurrence next to
    the compound's other words: the last one in a run that begins the match, else the first.
    """
    captured = match.group(name)
    if not captured:
        return None
    offset = match.start(name)
    words = [(offset + w.start(), offset + w.end()) for w in re.finditer(r"\S+", captured)]
    texts = [text[s:e] for s, e in words]
    if offset != match.start():   # a run the compound's words begin: it ends with the sentence, or a possessive
        ends = [i + 1 for i, word in enumerate(texts[:-1]) if word.endswith(("'s", "’s"))
                or (word.endswith(".") and not name_in(word, gazetteer).endswith("."))]
        words, texts = (words[:ends[0]], texts[:ends[0]]) if ends else (words, texts)
    for size in range(len(words), 0, -1):
        chosen = name_in(" ".join(texts[-size:] if from_end else texts[:size]), gazetteer)
        # "Valley", "Union": ordinary words, never a part on their own
        if (size > 1 or chosen.lower() not in GENERIC_WORDS) and is_region(chosen, gazetteer):
            at = [i for i in range(len(words) - size + 1) if " ".join(texts[i:i + size]).startswith(chosen)]
            i = at[-1] if offset == match.start() else at[0]
            start = words[i][0]  # the name's letters there: "France" in "France." (separators are one character)
            return Mention(start, start + len(chosen), text[start:start + len(chosen)], "GAZ")
    return None


def name_in(words: str, gazetteer: Gazetteer) -> str:
    """Words without the quote, possessive or full stop they end with ("Syria's" -> "Syria", "County." ->
    "County"), but with an abbreviation's own full stop ("D.C.", "Mass.", "U.S.": the gazetteer knows a region
    by the name with it, not only folded to the name without)."""
    name = words.rstrip(".'’").removesuffix("'s").removesuffix("’s")
    stop = name.rstrip(".") + "."
    if words.startswith(stop) and any(c.kind == "region" and c.matched not in ("folded", "fuzzy")
                                      for c in gazetteer.lookup(stop)):
        return stop
    return name.rstrip(".")


def is_region(name: str, gazetteer: Gazetteer) -> bool:
    """A country, province, sea or other area; a side of a border can be named by its demonym ("Turkish")."""
    return any(c.kind == "region" for c in gazetteer.lookup(name))


def is_country_or_province(name: str, gazetteer: Gazetteer) -> bool:
    return any(c.is_country or c.feature == "ADM1" for c in gazetteer.lookup(name))


def focus_country(doc: Doc, offset: int, places: list[Mention], gazetteer: Gazetteer, *,
                  nearest: bool = False) -> Optional[Mention]:
    """The mention of the country a back-reference ("the country", "its") at ``offset`` means.

    ``nearest`` (for "its"): the last region named within 200 characters. Otherwise the latest
    country named as a subject, object or possessor; failing that, the latest country named.
    """
    before = sorted((m for m in places if m.end <= offset and not m.compound), key=lambda m: -m.start)
    if nearest:
        return next((m for m in before if offset - m.end < 200 and is_region(m.text, gazetteer)), None)
    countries = [m for m in before if any(c.is_country for c in gazetteer.lookup(m.text))]
    for m in countries:
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is not None and span.root.dep_ in FOCUS_DEPS:
            return m
    return countries[0] if countries else None


def non_overlapping(mentions: Iterable[Mention]) -> list[Mention]:
    """Earlier patterns win; among the rest, each mention that overlaps none kept so far."""
    out: list[Mention] = []
    occupied = Occupied()
    for m in mentions:
        if not occupied.overlaps(m.start, m.end):
            out.append(m)
            occupied.add(m.start, m.end)
    return sorted(out, key=lambda m: (m.start, m.end))
