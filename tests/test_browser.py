"""The seed map in a real browser: headless Debian Chromium driven by Playwright.

There is no internet here, so every script and style the page asks a CDN for is answered from the
local npm copies in tests/browser/node_modules (`npm ci --prefix tests/browser`); map tiles are
answered with nothing. Outside CI the test is skipped when Chromium or those copies are missing; in CI
(CI=true) it fails instead.
"""
import os
from pathlib import Path

import folium
import pytest

import geomap
from geomap.happenings import OTHER

from .conftest import ROOT

CHROMIUM = Path("/usr/bin/chromium")
ASSETS = ROOT / "tests" / "browser" / "node_modules"
# URL ending -> local file (relative to ASSETS), for what Folium 0.20 references
LOCAL = {
    "leaflet@1.9.3/dist/leaflet.js": "leaflet/dist/leaflet.js",
    "leaflet@1.9.3/dist/leaflet.css": "leaflet/dist/leaflet.css",
    "jquery-3.7.1.min.js": "jquery/dist/jquery.min.js",
    "bootstrap@5.2.2/dist/js/bootstrap.bundle.min.js": "bootstrap/dist/js/bootstrap.bundle.min.js",
    "bootstrap@5.2.2/dist/css/bootstrap.min.css": "bootstrap/dist/css/bootstrap.min.css",
    "fontawesome-free@6.2.0/css/all.min.css": "@fortawesome/fontawesome-free/css/all.min.css",
    "leaflet.awesome-markers.js": "leaflet.awesome-markers/dist/leaflet.awesome-markers.js",
    "leaflet.awesome-markers.css": "leaflet.awesome-markers/dist/leaflet.awesome-markers.css",
}

if not (CHROMIUM.exists() and ASSETS.exists()):
    reason = "needs /usr/bin/chromium (Debian package) and `npm ci --prefix tests/browser`"
    if os.environ.get("CI"):
        raise RuntimeError(f"browser test cannot run in CI: {reason}")
    pytest.skip(reason, allow_module_level=True)

playwright = pytest.importorskip("playwright.sync_api")


def serve_locally(route):
    url = route.request.url
    if url.startswith("file:"):
        return route.continue_()
    for ending, local in LOCAL.items():
        if url.endswith(ending):
            return route.fulfill(path=str(ASSETS / local))
    # tiles, glyphicons and folium's rotate stylesheet: cosmetic, not needed to draw the places
    return route.fulfill(status=200, body="")


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield browser
        browser.close()


def open_map(browser, path, router):
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.route("**/*", router)
    page.goto(path.as_uri())
    page.wait_for_selector(".leaflet-control-layers-overlays label")
    page.wait_for_timeout(1000)  # let fitBounds' zoom animation finish before anyone looks
    return page, errors


@pytest.fixture(scope="module")
def page(browser, seed_gdf, artifacts):
    path = artifacts / "map.html"
    fmap = geomap.render_map(seed_gdf, path)
    page, errors = open_map(browser, path, serve_locally)
    yield page, fmap, errors
    page.close()


def drawn(page):
    return page.locator("path.leaflet-interactive").count()


def test_map_draws_every_layer_and_place(page, artifacts, seed_gdf):
    page, fmap, errors = page
    assert errors == []
    layers = [c for c in fmap._children.values() if isinstance(c, folium.FeatureGroup)]
    located = seed_gdf[seed_gdf.geometry.notna()]
    assert page.locator(".leaflet-control-layers-overlays label").count() == len(layers) == located["event_id"].nunique()
    shown = located[located["event"] != OTHER]   # "other mentions" starts hidden
    assert drawn(page) == len(shown)   # one SVG path per place: marker, polygon or line
    lines = page.locator('path.leaflet-interactive[fill="none"]').count()
    assert lines >= 3   # the two Syria-Turkey border mentions and Syria's coast
    shot = artifacts / "map.png"
    page.screenshot(path=str(shot))
    print(f"screenshot: {shot}")
    assert shot.stat().st_size > 10_000


def test_toggling_a_layer_hides_its_features(page, seed_gdf):
    page, fmap, _ = page
    located = seed_gdf[seed_gdf.geometry.notna()]
    first_event = (located["event_id"] == located["event_id"].iloc[0]).sum()
    before = drawn(page)
    box = page.locator(".leaflet-control-layers-overlays input").first
    box.uncheck()
    assert drawn(page) == before - first_event
    box.check()
    assert drawn(page) == before


def test_popup_shows_the_mention_and_its_sentence(page):
    page, _, _ = page
    # a town's circle marker; a synthetic click, since polygons drawn later may lie over it
    page.locator('path.leaflet-interactive[d*="a7,7"]').first.dispatch_event("click")
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.inner_text()
    assert all(field in text for field in ("Mention:", "Place:", "Kind: point", "Event:", "Score:", "GeoNames id:"))
    mention = text.split("Mention: ", 1)[1].split("\n", 1)[0]
    assert mention in text.split("GeoNames id:", 1)[1]   # the sentence it was found in


def test_offline_map_needs_no_network(browser, seed_gdf, artifacts):
    path = artifacts / "map-offline.html"
    geomap.render_map(seed_gdf, path, offline=True)
    requested = []

    def block(route):
        if route.request.url.startswith("file:"):
            return route.continue_()
        requested.append(route.request.url)
        return route.abort()

    page, errors = open_map(browser, path, block)
    located = seed_gdf[seed_gdf.geometry.notna()]
    places = page.locator("path.leaflet-interactive").count()
    outlines = page.locator("path:not(.leaflet-interactive)").count()
    page.screenshot(path=str(artifacts / "map-offline.png"))
    page.close()
    assert errors == [] and requested == []
    shown = located[located["event"] != OTHER]   # "other mentions" starts hidden
    assert places == len(shown) and outlines > 200   # the country outlines basemap
