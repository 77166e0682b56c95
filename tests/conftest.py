import pytest
from hypothesis import HealthCheck, Phase, settings

import geomap
from geomap.candidates import default_gazetteer
from geomap.nlp import load_pipeline

from .helpers import CORPUS_TEXTS, ROOT, SEED

# Hypothesis profiles for tests/test_properties.py. "ci" (the default: 150 examples a test, deterministic) keeps the
# suite to a few minutes on two cores; "soak" is the long hunt:
#     pytest tests/test_properties.py --hypothesis-profile=soak
#     pytest tests/test_properties.py --hypothesis-profile=explore      # the same, without the @example repros
# Each example runs the spaCy model, so there are no deadlines (the first one loads it, the machine is shared).
_PROFILE = {"deadline": None, "print_blob": True,
            "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]}
settings.register_profile("ci", max_examples=150, derandomize=True, database=None, **_PROFILE)
settings.register_profile("soak", max_examples=10_000, **_PROFILE)
# "explore": the soak without the explicit @example repros, so that a known bug still open does not stop
# the search for new ones (a failing explicit example ends its test before any generated example runs).
settings.register_profile("explore", max_examples=10_000, phases=[p for p in Phase if p != Phase.explicit],
                          **_PROFILE)
settings.load_profile("ci")


def pytest_configure(config):
    """Under ``-m "not model"`` (the fast subset) nothing may load the spaCy model: a test or fixture that
    does fails, naming itself, until it is marked ``@pytest.mark.model``."""
    if "not model" not in (config.option.markexpr or ""):
        return
    import spacy

    def refuse(*args, **kwargs):
        raise RuntimeError("this test loads the spaCy model: mark it @pytest.mark.model")
    spacy.load = refuse


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory):
    """Keep tests off the user's geocode cache (~/.cache/geomap)."""
    mp = pytest.MonkeyPatch()
    mp.setenv("GEOMAP_CACHE_DIR", str(tmp_path_factory.mktemp("geomap-cache")))
    yield
    mp.undo()


@pytest.fixture(scope="session")
def gazetteer():
    return default_gazetteer()


@pytest.fixture(scope="session")
def nlp():
    return load_pipeline()


@pytest.fixture(scope="session")
def geoparser(nlp, gazetteer):
    """A Geoparser of the session's pipeline and gazetteer: every stage, as geomap.geoparse runs them."""
    return geomap.Geoparser(nlp=nlp, gazetteer=gazetteer)


@pytest.fixture(scope="session")
def seed_text():
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_gdf(seed_text):
    return geomap.geoparse(seed_text)


@pytest.fixture(scope="session")
def artifacts():
    path = ROOT / "tests" / "artifacts"
    path.mkdir(exist_ok=True)
    return path




@pytest.fixture(scope="session")
def corpus_gdf():
    """The three articles' places as `geomap batch` makes them: one frame with doc_id."""
    import pandas as pd
    frames = list(geomap.geoparse_batch([(text, doc_id) for doc_id, text in CORPUS_TEXTS], chunk_size=2))
    return frames[0].__class__(pd.concat(frames, ignore_index=True), crs="EPSG:4326")


@pytest.fixture(scope="session")
def corpus_10k(seed_gdf, corpus_gdf):
    """10,000 rows of 1,000 documents with the columns of a batch output, made from the seed's and the
    three articles' real rows: half of them points, jittered up to 2 degrees, half regions (the same few
    shapes again and again); a third carry one of 20 full dates."""
    import numpy as np
    import pandas as pd
    pool = pd.concat([seed_gdf.assign(doc_id="seed"), corpus_gdf], ignore_index=True)
    pool = pool[pool.geometry.notna()]
    is_point = pool.geometry.geom_type == "Point"
    rng = np.random.default_rng(23)
    rows = pd.concat([pool[is_point].sample(5000, replace=True, random_state=1),
                      pool[~is_point].sample(5000, replace=True, random_state=2)], ignore_index=True)
    point = np.asarray(rows.geometry.geom_type == "Point")
    rows.loc[point, "lat"] += rng.uniform(-2, 2, point.sum())
    rows.loc[point, "lon"] += rng.uniform(-2, 2, point.sum())
    gdf = rows.__class__(rows, geometry="geometry", crs="EPSG:4326")
    gdf.loc[point, "geometry"] = gpd_points(gdf.loc[point, "lon"], gdf.loc[point, "lat"])
    gdf["doc"] = np.arange(len(gdf)) // 10
    gdf["doc_id"] = [f"article-{doc:04d}" for doc in gdf["doc"]]
    dated = rng.random(len(gdf)) < 1 / 3
    gdf.loc[dated, "event_date"] = [f"Oct. {day}, 2015" for day in rng.integers(1, 21, dated.sum())]
    return gdf


def gpd_points(lons, lats):
    import geopandas as gpd
    return gpd.points_from_xy(lons, lats, crs="EPSG:4326")
