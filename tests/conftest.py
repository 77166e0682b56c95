from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings

import geomap
from geomap.candidates import default_gazetteer
from geomap.nlp import load_pipeline

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

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "nato-turkey-2015.txt"


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
