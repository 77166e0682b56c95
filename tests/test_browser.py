"""The seed map in a real browser: headless Debian Chromium driven by Playwright.

There is no internet here, so every script and style the page asks a CDN for is answered from the
local npm copies in tests/browser/node_modules (`npm ci --prefix tests/browser`); map tiles are
answered with nothing. Outside CI the test is skipped when Chromium or those copies are missing; in CI
(CI=true) it fails instead.
"""
import os
import re
import time

import folium
import pytest

import geomap
from geomap.happenings import OTHER

from .helpers import ASSETS, CHROMIUM, serve_locally

pytestmark = pytest.mark.model   # these tests run the spaCy model

if not (CHROMIUM.exists() and ASSETS.exists()):
    reason = "needs /usr/bin/chromium (Debian package) and `npm ci --prefix tests/browser`"
    if os.environ.get("CI"):
        raise RuntimeError(f"browser test cannot run in CI: {reason}")
    pytest.skip(reason, allow_module_level=True)

playwright = pytest.importorskip("playwright.sync_api")


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
    # a town's circle marker (a sea without a polygon, the Mediterranean, is one too); a synthetic click, since
    # polygons drawn later may lie over it
    town = page.locator(".leaflet-popup-content", has_text="Kind: point")
    for marker in page.locator('path.leaflet-interactive[d*="a7,7"]').all():
        marker.dispatch_event("click")
        page.locator(".leaflet-popup-content").last.wait_for()
        if town.count():
            break
    text = town.first.inner_text()
    assert all(field in text for field in ("Mention:", "Place:", "Kind: point", "Event:", "Score:", "GeoNames id:"))
    mention = text.split("Mention: ", 1)[1].split("\n", 1)[0]
    assert mention in text.split("GeoNames id:", 1)[1]   # the sentence it was found in


WIRE_STORY = ("BEIRUT (AP) — Turkey has shelled a city in northeastern Syria on Tuesday, Syrian state media said. "
              "The shells hit homes in Qamishli, a Kurdish-held town near the border.\n\n"
              "Russia bombed rebel positions near Idlib on Wednesday.")


def test_map_shows_roles_and_stays_readable(browser, artifacts):
    gdf = geomap.geoparse(WIRE_STORY)
    path = artifacts / "map-roles.html"
    geomap.render_map(gdf, path)
    page, errors = open_map(browser, path, serve_locally)
    shot = artifacts / "map-roles.png"
    page.screenshot(path=str(shot))
    labels = page.locator(".leaflet-control-layers-overlays label")
    names = [text.strip() for text in labels.all_inner_texts()]
    # where the story was filed: a layer of its own, listed last and off at open
    assert names[-1].endswith("filed from") and sum("filed from" in n for n in names) == 1
    filed = labels.last.locator("input")
    assert not filed.is_checked()
    # drawn at open: every placed row but the datelines and "other mentions" (both layers start hidden)
    shown = gdf[gdf.geometry.notna() & (gdf["event_role"] != "dateline") & (gdf["event"] != OTHER)]
    assert drawn(page) == len(shown)
    # an actor is an outline with no fill (Turkey, Russia); where it happened keeps its fill (Syria's northeast)
    actor_regions = ((shown["event_role"] == "actor") & (shown["kind"] == "region")).sum()
    outlines = page.locator('path.leaflet-interactive[fill="none"][stroke-dasharray="6 4"]')
    assert actor_regions >= 2 and outlines.count() == actor_regions
    filled = page.locator('path.leaflet-interactive:not([fill="none"])').count()
    assert filled == len(shown) - actor_regions - ((shown["event_role"] == "actor") & (shown["kind"] == "point")).sum()
    outlines.first.dispatch_event("click")
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "— acted in:" in popup.inner_text()
    page.locator(".leaflet-popup-close-button").click()
    filed.check()
    assert drawn(page) == len(shown) + (gdf["event_role"] == "dateline").sum()
    filed.uncheck()
    # readable: the legend keeps to its corner, every label on one or two lines
    control = page.locator(".leaflet-control-layers").bounding_box()
    assert control["width"] <= 340 and control["height"] <= 0.45 * 800
    assert all(label.bounding_box()["height"] <= 40 for label in labels.all())
    page.close()
    assert errors == [] and shot.stat().st_size > 10_000


def local_files_only(requested: list):
    """A route handler that lets the page's own files through and records and refuses everything else."""
    def block(route):
        if route.request.url.startswith("file:"):
            return route.continue_()
        requested.append(route.request.url)
        return route.abort()
    return block


def test_offline_map_needs_no_network(browser, seed_gdf, artifacts):
    path = artifacts / "map-offline.html"
    geomap.render_map(seed_gdf, path, offline=True)
    requested = []
    page, errors = open_map(browser, path, local_files_only(requested))
    located = seed_gdf[seed_gdf.geometry.notna()]
    places = page.locator("path.leaflet-interactive").count()
    outlines = page.locator("path:not(.leaflet-interactive)").count()
    page.screenshot(path=str(artifacts / "map-offline.png"))
    page.close()
    assert errors == [] and requested == []
    shown = located[located["event"] != OTHER]   # "other mentions" starts hidden
    assert places == len(shown) and outlines > 200   # the country outlines basemap


# -- the corpus map -----------------------------------------------------------------------------------
def test_corpus_map_popups_list_documents_and_escape_text(browser, corpus_gdf, artifacts):
    path = artifacts / "corpus_small.html"
    geomap.render_corpus_map(corpus_gdf, path)
    page, errors = open_map(browser, path, serve_locally)
    regions = page.locator("path.leaflet-interactive")
    germany = [i for i in range(regions.count()) if "Germany" in tooltip_of(page, regions.nth(i))]
    assert len(germany) == 1   # one shape for the region two documents name
    regions.nth(germany[0]).dispatch_event("click")
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.inner_text()
    assert "named in 2 documents" in text and "lyon-troops:" in text and "berlin-talks:" in text
    page.locator(".leaflet-popup-close-button").click()
    france = [i for i in range(regions.count()) if "France" in tooltip_of(page, regions.nth(i))]
    regions.nth(france[0]).dispatch_event("click")
    popup.wait_for()
    # the article's markup is shown as text, never run: no element was made from it
    assert "<script>alert(1)</script>" in popup.inner_text()
    assert page.locator(".leaflet-popup-content script").count() == 0
    assert errors == []
    page.close()


def tooltip_of(page, shape) -> str:
    shape.dispatch_event("mouseover")
    tip = page.locator(".leaflet-tooltip").last.inner_text()
    shape.dispatch_event("mouseout")
    return tip


def test_corpus_map_of_10000_rows_is_small_fast_and_clustered(browser, corpus_10k, artifacts):
    path = artifacts / "corpus_map.html"
    geomap.render_corpus_map(corpus_10k, path)
    size = path.stat().st_size
    assert size <= 15_000_000
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.route("**/*", serve_locally)
    began = time.perf_counter()
    page.goto(path.as_uri())
    page.wait_for_selector(".marker-cluster")
    opened = time.perf_counter() - began
    print(f"corpus map of 10,000 rows: {size / 1e6:.1f} MB, open in {opened:.1f} s")
    assert opened < 5
    page.wait_for_timeout(1000)   # fitBounds' zoom animation
    assert errors == []
    # at this zoom the 5,000 point places are gathered into a few dozen clusters, each saying how many
    clusters = page.locator(".marker-cluster")
    assert 2 <= clusters.count() <= 200
    clustered = sum(int(re.sub(r"\D", "", text) or 0) for text in clusters.all_inner_texts())
    alone = page.locator('path.leaflet-interactive[d*="a6,6"]').count()   # unclustered circle markers
    assert clustered > 4000 and alone < 100
    assert page.locator(".timecontrol-dateslider").count() == 1   # a third of the rows carry one of 20 dates
    assert page.locator(".geomap-legend").inner_text().startswith("Documents naming a region")
    shot = artifacts / "corpus_map.png"
    page.screenshot(path=str(shot))
    page.close()
    assert shot.stat().st_size > 10_000


def test_offline_corpus_map_needs_no_network(browser, corpus_gdf, artifacts):
    path = artifacts / "corpus-offline.html"
    with pytest.warns(UserWarning, match="no time slider"):
        geomap.render_corpus_map(corpus_gdf, path, offline=True)
    requested = []
    page, errors = open_map(browser, path, local_files_only(requested))
    markers = page.locator('path.leaflet-interactive[d*="a6,6"]').count() + page.locator(".marker-cluster").count()
    regions = page.locator("path.leaflet-interactive").count() - page.locator('path.leaflet-interactive[d*="a6,6"]').count()
    page.close()
    assert errors == [] and requested == []
    assert markers >= 1 and regions == 2   # Paris, Lyon and Berlin (some clustered); France and Germany
