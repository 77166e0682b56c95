"""geomap's vocabulary: the words every stage reads, each list written once.

The word lists in ``geomap/data/`` are loaded here, once; the few lists that live in code (the compass,
the settlement nouns, the months) are written here too. Where a stage needs a list that differs from
another stage's, it is defined from the shared one, with the difference named and the reason beside it.
"""
from __future__ import annotations

from .names import data_lines, word_list

# -- prepositions ---------------------------------------------------------------------------------
# before a name, they say it is a place: "in Stavanger", "in the Danube Delta" (recognition)
LOCATIVE_PREPOSITIONS = word_list("locative_prepositions.txt")
# what ties a place to the happening of its clause ("fighting on the border", "a ship off Crete"):
# "on", "onto" and "off" too, since the place is already found ("on Monday", "on Twitter" are why
# recognition leaves "on" out); not "via" or "between", a route or a pair, not where it happened
EVENT_PREPOSITIONS = (LOCATIVE_PREPOSITIONS - {"via", "between"}) | {"on", "onto", "off"}
# those that put a place the gazetteer lacks in or beside one it knows ("Manigram in Rupandehi", "Ma’an
# near Kawkab"), in the order a pattern tries them: "to" and "from" lead away from the place (nearby)
CONTAINING_PREPOSITIONS = ("in", "near", "outside", "inside", "close to", "next to", "nearby",
                           "on the outskirts of", "in the outskirts of")

# -- settlements ----------------------------------------------------------------------------------
# nouns that say what kind of place a name is: "the town of Taji", "Damboa town"
SETTLEMENT_NOUNS = frozenset({"city", "town", "village", "township", "district", "province", "governorate",
                              "county", "suburb", "neighborhood", "neighbourhood", "municipality", "port",
                              "settlement"})

# -- directions -----------------------------------------------------------------------------------
# a compound's direction ("the north of Syria", "northern Syria"), longest first: patterns try them in order
DIRECTION_NOUNS = data_lines("directions.txt")
DIRECTION_ADJECTIVES = data_lines("direction_adjectives.txt")
BORDER_WORDS = data_lines("border_words.txt")   # "the Syria-Turkey border"
# the eight points of the compass, clockwise from north, each with its bearing in degrees
COMPASS = ("north", "northeast", "east", "southeast", "south", "southwest", "west", "northwest")
BEARINGS = {point: 45 * i for i, point in enumerate(COMPASS)}


def compass_pattern() -> str:
    """A regex alternation of the compass points, a hyphen or space allowed inside ("north-east",
    "north east"), the two-word points first."""
    return "|".join(point.replace("east", "[- ]?east", 1).replace("west", "[- ]?west", 1)
                    if point[5:] in ("east", "west") else point
                    for point in sorted(COMPASS, key=len, reverse=True))


# -- dates ----------------------------------------------------------------------------------------
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
MONTH_ABBREVIATIONS = frozenset({"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
                                 "dec"})
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

# -- words that say what a name is, or is not -----------------------------------------------------
TOWN_NOUNS = word_list("town_nouns.txt")            # "Gainesville residents", "Dublin Mayor ..."
NOT_PLACES = word_list("not_places.txt")            # "May", "General": gazetteer names, seldom places
DISEASE_WORDS = word_list("disease_words.txt")      # "Marburg virus", "Rift Valley fever"
DISEASE_NAMES = word_list("disease_names.txt")      # in news, the disease, not the river or forest
GENERIC_WORDS = word_list("generic_words.txt")      # "the Centre said", "Valley", "Union"
METONYMIC_VERBS = word_list("metonymic_verbs.txt")  # "Moscow warned": the subject is a government
FIRST_NAMES = word_list("first_names.txt")          # "Ben Nelson": the name after a first name is a surname
TITLES = word_list("titles.txt")                    # "Sen. Nelson", "Mr. Farrin"
INSTITUTION_WORDS = word_list("institution_words.txt")  # "the Athens Police Department": Athens is named
SITE_HEADS = word_list("site_heads.txt")            # "Royal Street", "the Holy Redeemer Church": sites in a town
FEATURE_HEADS = word_list("feature_heads.txt")      # "the Kodori Gorge", "the Hayyan Gas Fields"
