from pathlib import Path

import pytest

import geomap
from geomap.candidates import default_gazetteer
from geomap.nlp import load_pipeline

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
