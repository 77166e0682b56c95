"""The words recognition reads (the shared ones from geomap.vocabulary) and the limits of its rules."""
from __future__ import annotations

import re

from ..names import SPELLING_SIMILARITY
from ..vocabulary import (COMPASS, DIRECTION_ADJECTIVES, DISEASE_NAMES, DISEASE_WORDS, FEATURE_HEADS, FIRST_NAMES,
                          GENERIC_WORDS, INSTITUTION_WORDS, LOCATIVE_PREPOSITIONS, METONYMIC_VERBS, NOT_PLACES,
                          SETTLEMENT_NOUNS, TITLES, TOWN_NOUNS)

PLACE_LABELS = {"GPE", "LOC", "FAC"}
DIRECTIONS = frozenset(DIRECTION_ADJECTIVES) | {"downtown", "nearby"}  # "in northern Tulkarm"
# verbs whose object is a place: "troops captured Manbij", "shelled Jaba", "patrolled Kakata"
TERRITORIAL_VERBS = frozenset({"capture", "recapture", "seize", "storm", "shell", "bomb", "besiege", "overrun",
                               "liberate", "invade", "occupy", "patrol", "evacuate", "raze"})
# of those, the verbs whose object is never a person: their object is a place even unknown ("stormed Mar’e")
GROUND_VERBS = frozenset({"storm", "shell", "besiege", "overrun", "raze", "invade", "occupy"})
# "the villages of Kafr Saghir", "the outskirts of Aleppo", "northeast of Karmah"
OF_PLACE_WORDS = SETTLEMENT_NOUNS | {w + "s" for w in SETTLEMENT_NOUNS} | set(COMPASS) | {
    "cities", "counties", "outskirts", "countryside", "vicinity", "streets", "environs", "outside", "slums", "outpost",
    "enclave"}
# lower-case nouns that, right after a name, say it is a settlement or part of one: "Sontyo village"
FRAME_NOUNS = SETTLEMENT_NOUNS | {w + "s" for w in SETTLEMENT_NOUNS} | {
    "countryside", "camp", "neighborhoods", "region", "enclave"}
FRAMED = "FRAMED"   # the label of a mention found by its settlement noun (framed_mentions)
PROMINENT_REGION = 1_000_000  # a province this populous keeps its name even if a person shares it
DOTTED = re.compile(r"^(?:[A-Z]\.){2,}$")   # U.S., U.K., N.Y.
# a word of a name: letters, with apostrophes inside ("Ma’an"); whether it has a capital is checked apart
NAME_WORD = re.compile(r"^[^\W\d_]+(?:[’'][^\W\d_]+)*$")
MIN_POPULATION = 1000  # a bare gazetteer name in context must be at least a small town
BIG_CITY = 100_000    # a city this large is meant by its name without further context
MAX_NAME_TOKENS = 6
