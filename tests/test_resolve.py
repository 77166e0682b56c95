import shapely
import spacy

from geomap.mentions import mentions_from_spans
from geomap.resolution import resolve_mentions

BLANK = spacy.blank("en")


def resolve_words(gazetteer, text, words, **options):
    spans = [(text.index(w), text.index(w) + len(w)) for w in words]
    return resolve_mentions(text, mentions_from_spans(BLANK(text), spans, gazetteer), gazetteer, **options)


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


def test_candidate_lists_of_one_name_are_aligned_by_place(gazetteer):
    # a dateline in capitals reads as an acronym, so its list lacks the towns the plain name has
    import geomap
    gdf = geomap.geoparse("CAIRO (Reuters) - Egypt said on Monday that talks in Cairo would resume.")
    cairo = gdf[gdf["name"] == "Cairo"]
    assert len(cairo) == 2 and set(cairo["feature"]) == {"PPLC"} and set(cairo["country_code"]) == {"EG"}


def test_part_of_a_region_without_population_is_placed(gazetteer):
    # "none of them" outweighs Malaita and Gwangju (provinces with no population) when ranked alone
    import geomap
    gdf = geomap.geoparse(["Talks in Oslo.", "Storms battered northern Malaita on Monday.",
                           "Flooding hit northern Gwangju."])
    parts = gdf[gdf["source"] == "PART"]
    assert list(parts["country_code"]) == ["SB", "KR"] and parts.geometry.notna().all()


def test_compound_parts_are_ranked_in_the_documents_context(gazetteer):
    import geomap
    gdf = geomap.geoparse("The hurricane hit Florida, Alabama and South Carolina before reaching Georgia's coast "
                          "near Savannah.")
    (coast,) = gdf[gdf["source"] == "COAST"].itertuples()
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
