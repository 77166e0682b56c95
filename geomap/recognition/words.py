"""The words recognition reads: word lists from geomap/data and the limits of its rules."""
from __future__ import annotations


import re

from ..names import word_list

PLACE_LABELS = {"GPE", "LOC", "FAC"}
LOCATIVE_PREPOSITIONS = word_list("locative_prepositions.txt")   # "in Stavanger"
TOWN_NOUNS = word_list("town_nouns.txt")            # "Gainesville residents", "Dublin Mayor ..."
NOT_PLACES = word_list("not_places.txt")            # "May", "General": gazetteer names, seldom places
DISEASE_WORDS = word_list("disease_words.txt")      # "Marburg virus", "Rift Valley fever"
DISEASE_NAMES = word_list("disease_names.txt")      # in news, the disease, not the river or forest
GENERIC_WORDS = word_list("generic_words.txt")      # "the Centre said"
METONYMIC_VERBS = word_list("metonymic_verbs.txt")  # "Moscow warned": the subject is a government
FIRST_NAMES = word_list("first_names.txt")          # "Ben Nelson": the name after a first name is a surname
TITLES = word_list("titles.txt")                    # "Sen. Nelson", "Mr. Farrin"
INSTITUTION_WORDS = word_list("institution_words.txt")  # "the Athens Police Department": Athens is named
DIRECTIONS = word_list("direction_adjectives.txt") | {"downtown", "nearby"}  # "in northern Tulkarm"
# nouns that say what kind of place a name is: "the town of Taji", "Damboa town"
SETTLEMENT_NOUNS = frozenset({"city", "town", "village", "township", "district", "province", "governorate",
                              "county", "suburb", "neighborhood", "neighbourhood", "municipality", "port",
                              "settlement"})
# verbs whose object is a place: "troops captured Manbij", "shelled Jaba", "patrolled Kakata"
TERRITORIAL_VERBS = frozenset({"capture", "recapture", "seize", "storm", "shell", "bomb", "besiege", "overrun",
                               "liberate", "invade", "occupy", "patrol", "evacuate", "raze"})
# of those, the verbs whose object is never a person: their object is a place even unknown ("stormed Mar’e")
GROUND_VERBS = frozenset({"storm", "shell", "besiege", "overrun", "raze", "invade", "occupy"})
# "the villages of Kafr Saghir", "the outskirts of Aleppo", "northeast of Karmah"
OF_PLACE_WORDS = SETTLEMENT_NOUNS | {w + "s" for w in SETTLEMENT_NOUNS} | {
    "cities", "counties", "outskirts", "countryside", "vicinity", "streets", "environs", "outside", "slums", "outpost",
    "enclave", "north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest"}
# lower-case nouns that, right after a name, say it is a settlement or part of one: "Sontyo village"
FRAME_NOUNS = SETTLEMENT_NOUNS | {w + "s" for w in SETTLEMENT_NOUNS} | {
    "countryside", "camp", "neighborhoods", "region", "enclave"}
SITE_WORDS = word_list("site_words.txt")        # "Royal Street", "the Holy Redeemer Church": sites in a town
FEATURE_HEADS = word_list("feature_heads.txt")   # "the Kodori Gorge", "the Hayyan Gas Fields"
FRAMED = "FRAMED"   # the label of a mention found by its settlement noun (framed_mentions)
PROMINENT_REGION = 1_000_000  # a province this populous keeps its name even if a person shares it
DOTTED = re.compile(r"^(?:[A-Z]\.){2,}$")   # U.S., U.K., N.Y.
# a word of a name: letters, with apostrophes inside ("Ma’an"); whether it has a capital is checked apart
NAME_WORD = re.compile(r"^[^\W\d_]+(?:[’'][^\W\d_]+)*$")
MIN_POPULATION = 1000  # a bare gazetteer name in context must be at least a small town
BIG_CITY = 100_000    # a city this large is meant by its name without further context
MAX_NAME_TOKENS = 6
SPELLING_SIMILARITY = 85   # rapidfuzz ratio of name keys: "Jarablus"/"Jarābulus" 94, "Kobani"/"Mkoani" 83
