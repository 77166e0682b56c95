import math

import pytest
import shapely
import spacy

from geomap.recognition import mentions_from_spans
from geomap.resolution import resolve_mentions

from .helpers import resolve_words

BLANK = spacy.blank("en")


def test_country_before_town_of_the_same_name(gazetteer):
    (turkey,) = resolve_words(gazetteer, "Turkey said no.", ["Turkey"])
    assert turkey.candidate.is_country and turkey.candidate.country_code == "TR"


def test_population_and_capital_pick_the_famous_city(gazetteer):
    (moscow,) = resolve_words(gazetteer, "Moscow said no.", ["Moscow"])
    assert moscow.candidate.country_code == "RU"


def test_city_country_pair_fixes_the_country(gazetteer):
    text = "She grew up in London, Canada."
    london, canada = resolve_words(gazetteer, text, ["London", "Canada"])
    assert london.candidate.country_code == "CA" and canada.candidate.country_code == "CA"


def test_country_named_in_document_pulls_ambiguous_city(gazetteer):
    alone = resolve_words(gazetteer, "Floods hit Alexandria.", ["Alexandria"])[0]
    text = "Floods in Romania hit Alexandria."
    in_romania = resolve_words(gazetteer, text, ["Romania", "Alexandria"])[1]
    assert alone.candidate.country_code == "EG"
    assert in_romania.candidate.country_code == "RO"


def test_country_hint(gazetteer):
    (paris,) = resolve_words(gazetteer, "Paris voted.", ["Paris"], country_hint="US")
    assert paris.candidate.country_code == "US"


def test_unknown_name_gets_no_answer(gazetteer):
    (nothing,) = resolve_words(gazetteer, "Qwxzzyville voted.", ["Qwxzzyville"])
    assert nothing.candidate is None and nothing.score == 0.0


def test_scores_are_probabilities(gazetteer):
    text = "Paris, Moscow, Springfield and Turkey."
    for r in resolve_words(gazetteer, text, ["Paris", "Moscow", "Springfield", "Turkey"]):
        assert 0.0 <= r.score <= 1.0
    springfield = resolve_words(gazetteer, text, ["Springfield"])[0]
    turkey = resolve_words(gazetteer, text, ["Turkey"])[0]
    assert springfield.score < turkey.score  # many Springfields: less sure


def test_border_resolves_both_sides(gazetteer):
    (border,) = resolve_words(gazetteer, "on the Syria-Turkey border", ["Syria-Turkey border"])
    assert [c.country_code for c in border.parts] == ["SY", "TR"]


def test_province_named_in_document_pulls_its_towns(gazetteer):
    text = "Floods in Louisiana reached Alexandria."
    _, alexandria = resolve_words(gazetteer, text, ["Louisiana", "Alexandria"])
    assert (alexandria.candidate.country_code, alexandria.candidate.admin1) == ("US", "LA")


def test_abbreviated_state_after_town(gazetteer):
    text = "A plant in Alexandria, La. closed."
    alexandria, state = resolve_words(gazetteer, text, ["Alexandria", "La."])
    assert state.candidate.name == "Louisiana" and alexandria.candidate.admin1 == "LA"


def test_one_sense_per_name_per_document(gazetteer):
    text = "Santa Ana was flooded. Officials in Orange County and Los Angeles said Santa Ana would recover."
    first, second = [r for r in resolve_words_all(gazetteer, text, "Santa Ana")]
    assert first.candidate == second.candidate and first.candidate.country_code == "US"


def resolve_words_all(gazetteer, text, word):
    spans, start = [], text.find(word)
    while start >= 0:
        spans.append((start, start + len(word)))
        start = text.find(word, start + 1)
    others = [(text.index(w), text.index(w) + len(w)) for w in ("Orange County", "Los Angeles")]
    found = resolve_mentions(text, mentions_from_spans(BLANK(text), spans + others, gazetteer), gazetteer)
    return found[:len(spans)]


def place_of(resolution):
    c = resolution.candidate
    return None if c is None else (c.feature, c.country_code, c.admin1)


def test_list_of_states_means_the_states_not_towns_named_after_them(gazetteer):
    # each state name is also a town in another state; the towns must not vouch for each other
    text = "Illnesses occurred in Nevada, Oregon, Washington, Wyoming and California."
    found = resolve_words(gazetteer, text, ["Nevada", "Oregon", "Washington", "Wyoming", "California"])
    assert [place_of(r) for r in found] == [("ADM1", "US", code) for code in ("NV", "OR", "WA", "WY", "CA")]


def test_provinces_named_make_an_ambiguous_name_a_province_too(gazetteer):
    georgia = resolve_words(gazetteer, "The outbreak in Georgia spread to Alabama and Tennessee.",
                            ["Georgia", "Alabama", "Tennessee"])[0]
    assert place_of(georgia) == ("ADM1", "US", "GA")
    (caucasus,) = resolve_words(gazetteer, "Georgia said no.", ["Georgia"])
    assert caucasus.candidate.is_country and caucasus.candidate.country_code == "GE"


def test_acronym_means_what_is_written_in_capitals(gazetteer):
    (eu,) = resolve_words(gazetteer, "The EU said no.", ["EU"])
    assert eu.candidate.name == "European Union"


def test_nations_of_the_united_kingdom_are_regions_of_their_own(gazetteer):
    england, ulster = resolve_words(gazetteer, "Farms in England and Northern Ireland.", ["England", "Northern Ireland"])
    assert england.candidate.name == "England" and england.candidate.kind == "region"
    assert ulster.candidate.name == "Northern Ireland" and ulster.candidate.country_code == "GB"
    london = next(c for c in gazetteer.lookup("London") if c.feature == "PPLC")
    assert gazetteer.shape(england.candidate.place_id).contains(shapely.Point(london.lon, london.lat))


def test_former_country_names(gazetteer):
    (zaire,) = resolve_words(gazetteer, "Refugees fled Zaire.", ["Zaire"])
    assert zaire.candidate.is_country and zaire.candidate.country_code == "CD"


def test_no_answer_rather_than_a_wild_guess(gazetteer):
    # no place of that name: the fuzzy neighbours are weaker than "none of them"
    (nothing,) = resolve_words(gazetteer, "They met in Kampungu.", ["Kampungu"])
    assert nothing.candidate is None and nothing.score == 0.0


def test_score_is_lower_for_the_ambiguous_name(gazetteer):
    text = "Paris and Springfield."
    paris, springfield = resolve_words(gazetteer, text, ["Paris", "Springfield"])
    assert springfield.score < paris.score


@pytest.mark.model


def test_candidate_lists_of_one_name_are_aligned_by_place(gazetteer):
    # a dateline in capitals reads as an acronym, so its list lacks the towns the plain name has
    import geomap
    gdf = geomap.geoparse("CAIRO (Reuters) - Egypt said on Monday that talks in Cairo would resume.")
    cairo = gdf[gdf["name"] == "Cairo"]
    assert len(cairo) == 2 and set(cairo["feature"]) == {"PPLC"} and set(cairo["country_code"]) == {"EG"}


@pytest.mark.model


def test_part_of_a_region_without_population_is_placed(gazetteer):
    # "none of them" outweighs Malaita and Gwangju (provinces with no population) when ranked alone
    import geomap
    gdf = geomap.geoparse(["Talks in Oslo.", "Storms battered northern Malaita on Monday.",
                           "Flooding hit northern Gwangju."])
    parts = gdf[gdf["found_by"] == "PART"]
    assert list(parts["country_code"]) == ["SB", "KR"] and parts.geometry.notna().all()


@pytest.mark.model


def test_compound_parts_are_ranked_in_the_documents_context(gazetteer):
    import geomap
    gdf = geomap.geoparse("The hurricane hit Florida, Alabama and South Carolina before reaching Georgia's coast "
                          "near Savannah.")
    (coast,) = gdf[gdf["found_by"] == "COAST"].itertuples()
    assert coast.country_code == "US" and coast.geometry is not None
    (alone,) = resolve_words(gazetteer, "Ships reached Georgia's coast.", ["Georgia's coast"])
    assert alone.parts[0].is_country and alone.parts[0].country_code == "GE"


def test_compound_with_an_unplaced_part_is_unplaced_not_a_none_part(gazetteer):
    from geomap.geometry import build_place
    from geomap.resolution import Resolution, compound_resolution
    (turkey,) = resolve_words(gazetteer, "Turkey said no.", ["Turkey"])
    unplaced = compound_resolution([turkey, Resolution(None, 0.0)])
    assert unplaced == Resolution(None, 0.0) and unplaced.parts == ()
    (border,) = mentions_from_spans(BLANK("the Syria-Turkey border"), [(4, 23)], gazetteer)
    place = build_place(border, unplaced, gazetteer)
    assert place.geometry is None and place.mention == border


# -- ranker features, each on a small text written for it ------------------------------------------

def prepared(gazetteer, text, words):
    from geomap.resolution import prepare
    spans = [(text.index(w), text.index(w) + len(w)) for w in words]
    return prepare(text, mentions_from_spans(BLANK(text), spans, gazetteer), gazetteer)


def cue_at(cue, text, word):
    """A text cue of resolution (called_county, called_town, called_province) at ``word``."""
    start = text.index(word)
    return cue(text, start, start + len(word))


def feature_of(gazetteer, text, words, word, test):
    """The features of the first candidate of ``word`` that passes ``test``."""
    from geomap.resolution import Peers, features
    candidates, context, cues, keys = prepared(gazetteer, text, words)
    i = words.index(word)
    c = next(c for c in candidates[i] if test(c))
    return features(c, context, cues[i], keys[i], peers=Peers.of(candidates[i]))


@pytest.mark.parametrize("text, word", [
    ("Floods closed roads in Douglas County on Monday.", "Douglas County"),
    ("Floods closed roads in Jackson Co. on Monday.", "Jackson"),
    ("Floods closed roads in Orleans Parish on Monday.", "Orleans"),
    ("Officials of Clay, Becker and Wilkin counties met.", "Clay"),
    ("Officials of Clay, Becker and Wilkin counties met.", "Becker"),
    ("Officials of Clay, Becker and Wilkin counties met.", "Wilkin"),
])
def test_the_text_calls_it_a_county(text, word):
    from geomap.resolution import called_county
    assert cue_at(called_county, text, word)


@pytest.mark.parametrize("text, word", [
    ("The mayor of Jackson spoke on Monday.", "Jackson"),
    ("Country music came from Nashville and Memphis.", "Nashville"),
])
def test_a_bare_name_is_not_called_a_county(text, word):
    from geomap.resolution import called_county
    assert not cue_at(called_county, text, word)


def test_county_features(gazetteer):
    text = "Officials of Clay, Becker and Wilkin counties met."
    f = feature_of(gazetteer, text, ["Clay", "Becker", "Wilkin"], "Becker", lambda c: c.feature == "ADM2")
    assert f["adm2"] == 1.0 and f["called_county"] == 1.0
    assert f["county_peers"] == 1.0   # Clay and Wilkin counties are in Minnesota too
    town = feature_of(gazetteer, "The mayor of Jackson spoke.", ["Jackson"], "Jackson", lambda c: c.kind == "point")
    assert town["adm2"] == 0.0 and town["called_county"] == 0.0


def test_the_text_calling_it_a_county_picks_the_county_not_its_seat(gazetteer):
    text = "Deputies in Madison County and Jackson County, Georgia, searched the river."
    madison, jackson, georgia = resolve_words(gazetteer, text, ["Madison County", "Jackson County", "Georgia"])
    assert madison.candidate.feature == "ADM2" and jackson.candidate.feature == "ADM2"
    bare = "Deputies from Oconee, Barrow and Jackson counties searched the river near Athens, Ga."
    jackson = resolve_words(gazetteer, bare, ["Oconee", "Barrow", "Jackson", "Athens", "Ga."])[2]
    assert jackson.candidate.feature == "ADM2" and jackson.candidate.admin1 == "GA"


def test_names_listed_before_counties_resolve_to_the_counties(gazetteer):
    """'Clarke' is the gazetteer's short name of Clarke County, which only the loose lookup of a mention
    already recognised returns; the plural after the list calls every name in it a county."""
    text = "Officials in Clarke, Madison, Oconee and Oglethorpe counties met on Tuesday."
    words = ["Clarke", "Madison", "Oconee", "Oglethorpe"]
    for word, found in zip(words, resolve_words(gazetteer, text, words)):
        assert found.candidate.feature == "ADM2" and found.candidate.admin1 == "GA", word
        assert found.candidate.name == f"{word} County"
    for text, words in [("Storms hit Cooke, Grayson and Love counties overnight.", ["Cooke", "Grayson", "Love"]),
                        ("Flooding closed roads in Swift and Wilkin counties.", ["Swift", "Wilkin"]),
                        ("The line runs between Walton and Oconee counties.", ["Walton", "Oconee"])]:
        for word, found in zip(words, resolve_words(gazetteer, text, words)):
            assert found.candidate.name == f"{word} County", word
    # Madison alone, elsewhere, stays the city
    (madison,) = resolve_words(gazetteer, "Protesters marched in Madison on Monday.", ["Madison"])
    assert madison.candidate.kind == "point" and madison.candidate.feature.startswith("PPL")


@pytest.mark.parametrize("text, word, called", [
    ("Rebels advanced in Idlib and Hama provinces.", "Idlib", True),
    ("Rebels advanced in Idlib and Hama provinces.", "Hama", True),
    ("Rebels advanced in Kunar, Nuristan and Nangarhar provinces.", "Kunar", True),
    ("Rebels advanced in Idlib and Hama on Monday.", "Idlib", False),
])
def test_names_listed_before_provinces_are_called_provinces(text, word, called):
    from geomap.resolution import called_province
    assert cue_at(called_province, text, word) is called


def test_names_listed_before_provinces_resolve_to_the_provinces(gazetteer):
    text = "Rebels advanced in Idlib and Hama provinces."
    idlib, hama = resolve_words(gazetteer, text, ["Idlib", "Hama"])
    assert idlib.candidate.feature == "ADM1" and hama.candidate.feature == "ADM1"
    (town,) = resolve_words(gazetteer, "Rebels advanced on Idlib on Monday.", ["Idlib"])
    assert town.candidate.feature == "PPLA"


def test_document_focus_is_the_province_most_named(gazetteer):
    from geomap.resolution import Context
    context = Context(set(), [])
    context.set_focus([("a", "US", ("US", "GA")), ("b", "US", ("US", "GA")), ("c", "US", ("US", "TX")),
                       ("d", "FR", None)])
    assert context.focus("x") == ("US", ("US", "GA"))
    # a name is never its own evidence: without its own votes Georgia and Texas tie
    assert context.focus("a") == ("US", None)


def test_a_country_named_is_no_evidence_for_its_own_namesake_town(gazetteer):
    from geomap.resolution import Context
    context = Context({"SG", "FR"}, [], country_names={"SG": {"singapore"}, "FR": {"france"}}, hint=None)
    assert not context.names_country("SG", "singapore") and context.names_country("SG", "changi")
    assert context.names_country("FR", "paris")
    # "Singapore" names the country; the city of Singapore had doc_country from that very name, and won
    (singapore,) = resolve_words(gazetteer, "Singapore said on Monday that trade grew.", ["Singapore"])
    assert singapore.candidate.feature == "PCLI"


def test_local_paper_focus_pulls_an_ambiguous_town(gazetteer):
    text = ("Police in Macon, Savannah and Valdosta were joined by officers from Athens and Columbus, "
            "where the storm hit hardest.")
    words = ["Macon", "Savannah", "Valdosta", "Athens", "Columbus"]
    resolved = resolve_words(gazetteer, text, words)
    f = feature_of(gazetteer, text, words, "Athens", lambda c: c.country_code == "US" and c.admin1 == "GA")
    assert f["focus_country"] == 1.0 and f["focus_province"] == 1.0
    assert resolved[3].candidate.admin1 == "GA" and resolved[4].candidate.admin1 == "GA"


def test_nearby_also_counts_for_a_county_by_its_point(gazetteer):
    from geomap.resolution import Context, features
    context = Context(set(), [], [("alexandria", (45.885, -95.377))])   # Alexandria, Minnesota
    douglas = {c.admin1: c for c in gazetteer.lookup("Douglas County", True) if c.feature == "ADM2"}
    assert features(douglas["MN"], context, None, "douglas county")["nearby"] == 1.0
    assert features(douglas["NE"], context, None, "douglas county")["nearby"] == 0.0


def test_population_unknown_and_sole_candidate(gazetteer):
    from geomap.resolution import features, Context, Peers
    postal = [c for c in gazetteer.lookup("Keasbey", True) if c.population == 0 and c.kind == "point"]
    if not postal:
        pytest.skip("no postal place of that name in this gazetteer")
    f = features(postal[0], Context(set(), []), None, "keasbey", peers=Peers.of(tuple(postal[:1])))
    assert f["population_unknown"] == 1.0 and f["sole_candidate"] == 1.0 and f["log_population"] == 0.0
    moscow = gazetteer.lookup("Moscow")[0]
    f = features(moscow, Context(set(), []), None, "moscow", peers=Peers.of(gazetteer.lookup("Moscow")))
    assert f["population_unknown"] == 0.0 and f["sole_candidate"] == 0.0 and f["most_populous"] == 1.0
    idaho = [c for c in gazetteer.lookup("Moscow") if c.country_code == "US" and c.admin1 == "ID"][0]
    assert features(idaho, Context(set(), []), None, "moscow", peers=Peers.of(gazetteer.lookup("Moscow")))["most_populous"] == 0.0


def test_near_anchor_is_the_great_circle_rule(gazetteer):
    import random
    from geopy.distance import great_circle
    from geomap.resolution import NEARBY_KM, Context
    rng = random.Random(7)
    anchors = [(f"a{i}", (rng.uniform(-80, 80), rng.uniform(-180, 180))) for i in range(40)]
    anchors += [("near", (52.0, 13.0))]
    context = Context(set(), [], anchors)
    base = gazetteer.lookup("Berlin")[0]
    for _ in range(300):
        lat, lon = rng.uniform(-85, 85), rng.uniform(-180, 180)
        if rng.random() < 0.3:
            lat, lon = 52.0 + rng.uniform(-2.5, 2.5), 13.0 + rng.uniform(-3, 3)
        c = base.__class__(**{**{f: getattr(base, f) for f in base.__slots__}, "lat": lat, "lon": lon,
                              "place_id": rng.randrange(10**9)})
        for key in ("x", "near"):
            expect = any(key != k and great_circle((lat, lon), p).km <= NEARBY_KM for k, p in anchors)
            assert context.near_anchor(c, key) == expect


def test_earth_radius_is_geopys():
    # the anchors' distance (numpy) and the prior's (great_circle) measure on one sphere
    from geopy.distance import EARTH_RADIUS
    from geomap.resolution import EARTH_KM
    assert EARTH_KM == EARTH_RADIUS


def test_town_province_pair_fixes_the_province(gazetteer):
    text = "Storms hit Scott County, Indiana, and Evansville, Indiana; a doctor in Nashville, Tennessee, said so."
    words = ["Scott County", "Indiana", "Evansville", "Nashville", "Tennessee"]
    nashville = resolve_words(gazetteer, text, words)[3]
    assert nashville.candidate.admin1 == "TN"


def test_a_list_of_states_is_no_town_province_pair(gazetteer):
    text = "Cases were found in Ohio, Oklahoma, Oregon, Washington, Wisconsin and California, Pennsylvania."
    words = ["Ohio", "Oklahoma", "Oregon", "Washington", "Wisconsin", "California", "Pennsylvania"]
    for r in resolve_words(gazetteer, text, words)[:5]:
        assert r.candidate.feature == "ADM1"


@pytest.mark.parametrize("text, word", [
    ("WASHINGTON (AP) - The Senate voted on Friday.", "WASHINGTON"),
    ("By Matthew Daly, The Associated Press. WASHINGTON (AP) — The Senate voted.", "WASHINGTON"),
    ("WASHINGTON Barack Obama pardoned his last turkey.", "WASHINGTON"),
    ("Notes\nCAIRO, Egypt — Protests grew.", "CAIRO"),
    ("the Washington Post reported on Sunday.", "Washington"),
    ("as the Los Angeles Times first reported.", "Los Angeles"),
])
def test_a_dateline_or_a_newspaper_says_town(text, word):
    from geomap.resolution import called_town
    assert cue_at(called_town, text, word)


@pytest.mark.parametrize("text, word", [
    ("Apples grown in WASHINGTON state sell well.", "WASHINGTON"),
    ("The bill reached Washington (the state) on Monday.", "Washington"),
    ("THE USA TODAY poll", "USA"),
])
def test_a_plain_mention_is_not_called_a_town(text, word):
    from geomap.resolution import called_town
    assert not cue_at(called_town, text, word)


def test_a_dateline_picks_the_capital_not_the_state(gazetteer):
    text = "WASHINGTON (AP) - President Obama signed the bill on Friday."
    (washington,) = resolve_words(gazetteer, text, ["WASHINGTON"])
    assert washington.candidate.feature == "PPLC" and washington.candidate.country_code == "US"
    (post,) = resolve_words(gazetteer, "the Washington Post reported.", ["Washington"])
    assert post.candidate.feature == "PPLC"


@pytest.mark.parametrize("text, word, expected", [
    ("Shelling hit Aleppo province on Monday.", "Aleppo", True),
    ("Troops entered the province of Idlib.", "Idlib", True),
    ("Ohio State won the game.", "Ohio", False),          # capitalised: a university
    ("Shelling hit Aleppo on Monday.", "Aleppo", False),
])
def test_the_text_calls_it_a_province(text, word, expected):
    from geomap.resolution import called_province
    assert cue_at(called_province, text, word) is expected


def test_a_city_and_the_province_it_heads(gazetteer):
    # "Aleppo" is the city unless the text calls it the province
    (city,) = resolve_words(gazetteer, "Shelling hit Aleppo on Monday.", ["Aleppo"])
    (province,) = resolve_words(gazetteer, "Shelling hit Aleppo province on Monday.", ["Aleppo"])
    assert city.candidate.feature == "PPLA" and province.candidate.feature == "ADM1"
    f = feature_of(gazetteer, "Shelling hit Aleppo on Monday.", ["Aleppo"], "Aleppo", lambda c: c.feature == "ADM1")
    assert f["namesake_province"] == 1.0


def test_a_town_and_the_county_it_lies_in_choose_each_other(gazetteer):
    # Huntsville alone is Alabama's; with Walker County (Texas has one, and Huntsville is its seat) both are Texan
    text = "Deputies in Walker County arrested a man near Huntsville on Friday."
    county, town = resolve_words(gazetteer, text, ["Walker County", "Huntsville"])
    assert (county.candidate.admin1, town.candidate.admin1) == ("TX", "TX")
    f = feature_of(gazetteer, text, ["Walker County", "Huntsville"], "Huntsville", lambda c: c.admin1 == "TX")
    assert f["county_pair"] == 1.0


def test_province_support_spreads_each_other_names_vote_over_its_provinces(gazetteer):
    from geomap.resolution import Context, Peers, features
    from geomap.resolution.context import local_provinces
    keys = ["canaan", "falls village", "kent"]
    found = [gazetteer.lookup(name, True) for name in ("Canaan", "Falls Village", "Kent")]
    context = Context(set(), [], local_provinces=local_provinces(keys, found))
    canaan_provinces = local_provinces(keys[:1], found[:1])["canaan"]
    falls = local_provinces(keys[1:2], found[1:2]).get("falls village", set())
    ct = ("US", "CT")
    expected = (ct in canaan_provinces) / len(canaan_provinces) + ((ct in falls) / len(falls) if falls else 0.0)
    assert context.province_support(ct, "kent") == pytest.approx(expected)
    assert context.province_support(ct, "kent") > context.province_support(("US", "ZZ"), "kent") == 0.0
    # a name is never its own support: Canaan's is the other two names' votes
    kent = local_provinces(keys[2:], found[2:])["kent"]
    assert context.province_support(ct, "canaan") == pytest.approx(
        ((ct in falls) / len(falls) if falls else 0.0) + (ct in kent) / len(kent))
    kent_ct = [c for c in found[2] if c.country_code == "US" and c.admin1 == "CT" and c.kind == "point"]
    if kent_ct:
        f = features(kent_ct[0], context, None, "kent", peers=Peers.of(found[2]))
        assert f["province_support"] == pytest.approx(math.log1p(context.province_support(ct, "kent")))
