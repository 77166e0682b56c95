"""geomap serve: the JSON API and the page, through FastAPI's TestClient and in a real browser.

The serve extra (fastapi, uvicorn, python-multipart; httpx for the TestClient) is in the test extra: outside
CI these tests are skipped when it is missing, in CI (CI=true) they fail instead. The browser test runs
headless Debian Chromium with Playwright, as tests/test_browser.py does, and skips or fails the same way.
"""
import json
import os
import re
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyogrio
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import geomap
from geomap.cli import cli

from .helpers import ROOT, SEED
from .documents_fixtures import NEWS_PAGE, PAGE_TITLE, pdf_bytes

try:
    import httpx  # noqa: F401 - the TestClient's transport
    import uvicorn
    from fastapi.testclient import TestClient
except ImportError as missing:
    reason = f"needs the serve extra and httpx (pip install '.[test]'): {missing}"
    if os.environ.get("CI"):
        raise RuntimeError(f"serve tests cannot run in CI: {reason}") from None
    pytest.skip(reason, allow_module_level=True)

from geomap.serve import MAX_REQUEST_BYTES, create_app  # noqa: E402 - needs fastapi

pytestmark = pytest.mark.model   # these tests run the spaCy model

SEED_PLACES, SEED_HAPPENINGS = 25, 5   # 19 mentions and 6 regions named inside the compounds


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app()) as client:   # the lifespan loads the model once
        yield client


@pytest.fixture(scope="module")
def seed_geojson(tmp_path_factory):
    """What `geomap geojson` writes for the seed article."""
    out = tmp_path_factory.mktemp("serve") / "seed.geojson"
    result = CliRunner().invoke(cli, ["geojson", str(SEED), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out.read_bytes()


def mentions(response):
    return [feature["properties"]["mention"] for feature in response.json()["features"]]


# ------------------------------------------------------------------------------------------ JSON API

def test_geoparse_answers_what_the_geojson_command_writes(client, seed_text, seed_geojson):
    response = client.post("/geoparse", json={"text": seed_text})
    assert response.status_code == 200 and response.headers["content-type"] == "application/geo+json"
    assert len(response.json()["features"]) == SEED_PLACES
    assert response.content == seed_geojson


def test_options_reach_the_geoparser(client):
    text = "Russian jets flew near Macon. The Ohio Department of Health said so."
    plain = client.post("/geoparse", json={"text": text})
    more = client.post("/geoparse", json={"text": text, "demonyms": True, "modifiers": True, "near": "Macon, Georgia"})
    assert "Russian" not in mentions(plain) and {"Russian", "Ohio"} <= set(mentions(more))
    macon = [f["properties"] for f in more.json()["features"] if f["properties"]["mention"] == "Macon"]
    assert macon and macon[0]["country_code"] == "US"


def test_a_file_upload_gives_the_page_text_beside_the_places(client):
    response = client.post("/geoparse/file", files={"file": ("floods.html", NEWS_PAGE.encode(), "text/html")})
    assert response.status_code == 200, response.text
    collection = response.json()
    [document] = collection["documents"]
    assert (document["id"], document["kind"], document["title"]) == ("floods.html", "html", PAGE_TITLE)
    assert all(document["text"][f["properties"]["start"]:f["properties"]["end"]] == f["properties"]["mention"]
               for f in collection["features"])
    pdf = client.post("/geoparse/file", files={"file": ("r.pdf", pdf_bytes(["Fighting near Aleppo, Syria."]))},
                      data={"country_hint": "SY"})
    assert mentions(pdf) == ["Aleppo", "Syria"] and pdf.json()["documents"][0]["kind"] == "pdf"
    text = client.post("/geoparse/file", files={"file": ("a.txt", b"Talks in Oslo.")})
    assert mentions(text) == ["Oslo"] and "documents" not in text.json()   # as `geomap geojson a.txt`


@pytest.mark.parametrize("body, status, message", [
    ({"text": ""}, 422, "the text is empty"),
    ({"text": "x" * 1_000_001}, 413, "the limit is 1,000,000"),
    ({"text": "Oslo \x00"}, 422, "binary"),
    ({"text": "Talks in Oslo.", "near": "Qqqzzz Nowhere"}, 422, "the gazetteer has no place"),
    ({"text": 42}, 422, "body.text: Input should be a valid string"),
    ({"text": "Oslo", "demonyms": "yes"}, 422, "body.demonyms"),
    ({"txt": "Oslo"}, 422, "body.text: Field required"),
    ([1, 2], 422, "body"),
])
def test_bad_requests_are_json_errors(client, body, status, message):
    response = client.post("/geoparse", json=body)
    assert response.status_code == status and message in response.json()["error"]


def test_bad_files_and_bodies_are_json_errors(client):
    cases = [
        (client.post("/geoparse/file", files={"file": ("scan.pdf", pdf_bytes([""]))}), 422, "no text layer"),
        (client.post("/geoparse/file", files={"file": ("x.pdf", b"\x89PNG junk")}), 422, "not a PDF"),
        (client.post("/geoparse/file", files={"file": ("e.html", b"<html><body></body></html>")}), 422, "no main text"),
        (client.post("/geoparse/file", data={"near": "Oslo"}), 422, "body.file: Field required"),
        (client.post("/geoparse", content=b"{oops", headers={"content-type": "application/json"}), 422, "JSON"),
        (client.post("/geoparse", content=b" " * (MAX_REQUEST_BYTES + 1),
                     headers={"content-type": "application/json"}), 413, "the request is over 21 MB"),
        (client.get("/geoparse"), 405, "Method Not Allowed"),
        (client.get("/results/nope/places.csv"), 404, "no such result"),
    ]
    for response, status, message in cases:
        assert (response.status_code, response.headers["content-type"]) == (status, "application/json")
        assert message in response.json()["error"]


def test_requests_at_once_each_get_their_own_places(client):
    texts = {"Talks were held in Oslo, Norway.": ["Oslo", "Norway"], "Rain fell on Lima, Peru.": ["Lima", "Peru"],
             "Snow closed roads in Quito.": ["Quito"], "Protesters marched in Nairobi, Kenya.": ["Nairobi", "Kenya"]}
    asked = list(texts) * 4
    with ThreadPoolExecutor(8) as pool:
        responses = list(pool.map(lambda text: client.post("/geoparse", json={"text": text}), asked))
    assert [mentions(response) for response in responses] == [texts[text] for text in asked]


# one of geoparse's bodies, or any JSON at all
JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
                           | st.text(max_size=40),
                           lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8),
                                                                                             children, max_size=4),
                           max_leaves=8)
BODIES = JSON_VALUES | st.fixed_dictionaries(
    {"text": st.text(max_size=300)},
    optional={"demonyms": st.booleans() | JSON_VALUES, "modifiers": st.booleans(),
              "country_hint": st.none() | st.text(max_size=4), "near": st.none() | st.text(max_size=30)})


@given(body=BODIES)
def test_no_json_body_is_a_server_error(client, body):
    response = client.post("/geoparse", json=body)
    assert response.status_code in {200, 413, 422}, response.text
    assert ("features" in response.json()) if response.status_code == 200 else response.json()["error"]


@given(head=st.sampled_from([b"", b"%PDF-1.4\n", b"<html><body><p>", b"\xef\xbb\xbf"]), data=st.binary(max_size=600),
       name=st.sampled_from(["a.txt", "a.html", "a.htm", "a.pdf", "a", "a.docx"]))
def test_no_file_is_a_server_error(client, head, data, name):
    response = client.post("/geoparse/file", files={"file": (name, head + data)})
    assert response.status_code in {200, 413, 422}, response.text
    assert ("features" in response.json()) if response.status_code == 200 else response.json()["error"]


# ---------------------------------------------------------------------------------------------- page

def test_the_page_shows_places_happenings_and_downloads(client, seed_text, seed_geojson, tmp_path):
    response = client.post("/", data={"text": seed_text})
    assert response.status_code == 200 and "script-src 'self'" in response.headers["content-security-policy"]
    html = response.text
    assert html.count("<tr><td class=\"number\">") == SEED_PLACES
    assert re.search(r'<ol class="happenings">(.*?)</ol>', html, re.S).group(1).count("<li>") == SEED_HAPPENINGS
    result_id = re.search(r'src="/map/([\w-]+)"', html).group(1)
    assert "leaflet" in client.get(f"/map/{result_id}").text.lower()
    assert client.get(f"/results/{result_id}/places.geojson").content == seed_geojson
    csv = client.get(f"/results/{result_id}/places.csv")
    assert csv.headers["content-disposition"] == 'attachment; filename="places.csv"'
    assert len(csv.text.strip().splitlines()) == SEED_PLACES + 1
    gpkg = tmp_path / "places.gpkg"
    gpkg.write_bytes(client.get(f"/results/{result_id}/places.gpkg").content)
    assert len(pyogrio.read_dataframe(gpkg, layer="places")) == SEED_PLACES


def test_the_page_escapes_what_the_text_says(client):
    text = 'Talks in Oslo. <script>alert("x")</script><img src=x onerror=alert(1)>'
    html = client.post("/", data={"text": text}).text
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html   # back in the text box, as text


def test_the_page_reads_a_dropped_page_and_says_what_is_wrong(client):
    response = client.post("/", files={"file": ("floods.html", NEWS_PAGE.encode(), "text/html")}, data={"text": ""})
    assert response.status_code == 200 and PAGE_TITLE in response.text and ">Piura<" in response.text
    bad = client.post("/", files={"file": ("scan.pdf", pdf_bytes([""]), "application/pdf")}, data={"text": ""})
    assert bad.status_code == 422 and bad.headers["content-type"].startswith("text/html")
    assert "Cannot geoparse this:</b> no text layer" in bad.text
    empty = client.post("/", data={"text": "  "})
    assert empty.status_code == 422 and "the text is empty" in empty.text


def test_serve_listens_on_this_machine_unless_told(monkeypatch):
    ran = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: ran.append((app, options)))
    help_text = CliRunner().invoke(cli, ["serve", "--help"]).output
    assert "127.0.0.1" in help_text and "0.0.0.0" in help_text
    assert CliRunner().invoke(cli, ["serve"]).exit_code == 0
    assert CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0", "--port", "9000"]).exit_code == 0
    assert [(options["host"], options["port"]) for _, options in ran] == [("127.0.0.1", 8765), ("0.0.0.0", 9000)]
    assert {route.path for route in ran[0][0].routes} >= {"/", "/geoparse", "/geoparse/file", "/docs"}


# ------------------------------------------------------------------------------------------- browser

CHROMIUM = Path("/usr/bin/chromium")
ASSETS = ROOT / "tests" / "browser" / "node_modules"


@pytest.fixture(scope="module")
def server():
    """The app served by uvicorn on a free port, in a thread."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app_server = uvicorn.Server(uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=app_server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 120
    while not app_server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert app_server.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}"
    app_server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    if not (CHROMIUM.exists() and ASSETS.exists()):
        reason = "needs /usr/bin/chromium (Debian package) and `npm ci --prefix tests/browser`"
        if os.environ.get("CI"):
            pytest.fail(f"browser test cannot run in CI: {reason}")
        pytest.skip(reason)
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield browser
        browser.close()


def test_paste_submit_see_and_download_in_a_browser(browser, server, seed_text, seed_geojson, artifacts):
    from .helpers import serve_locally   # CDN scripts and styles the map asks for, from local copies

    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(server)
                  else serve_locally(route))
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(server + "/")
    page.fill("#text", seed_text)
    page.click("#submit")
    page.wait_for_selector("#places tbody tr")
    assert page.locator("#places tbody tr").count() == SEED_PLACES
    assert page.locator("ol.happenings > li").count() == SEED_HAPPENINGS
    map_frame = page.frame_locator("iframe")
    map_frame.locator(".leaflet-control-layers-overlays label").first.wait_for()
    assert map_frame.locator("path.leaflet-interactive").count() > 0

    page.click("#places th:nth-child(6)")   # Score, ascending
    scores = [float(s) for s in page.locator("#places tbody td:nth-child(6)").all_inner_texts()]
    assert scores == sorted(scores) and len(scores) == SEED_PLACES
    page.click("#places th:nth-child(6)")   # and descending
    scores = [float(s) for s in page.locator("#places tbody td:nth-child(6)").all_inner_texts()]
    assert scores == sorted(scores, reverse=True)

    with page.expect_download() as download:
        page.click("#download-geojson")
    assert download.value.suggested_filename == "places.geojson"
    assert Path(download.value.path()).read_bytes() == seed_geojson
    assert len(json.loads(seed_geojson)["features"]) == SEED_PLACES

    page.wait_for_timeout(1000)   # the map's fitBounds animation
    shot = artifacts / "serve.png"
    page.screenshot(path=str(shot), full_page=True)
    context.close()
    assert errors == [] and shot.stat().st_size > 20_000
