"""What several test modules share: paths, small corpora and helpers. Test modules import this module,
never each other (nor conftest, which holds the fixtures)."""
from __future__ import annotations

from pathlib import Path
from typing import NamedTuple, Optional

import folium
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "nato-turkey-2015.txt"

# Three short articles for the corpus map: a sentence with markup, two full dates, a region two documents name.
CORPUS_TEXTS = [
    ("paris-protest", 'Protesters wrote <script>alert(1)</script> on walls in Paris, France, on Oct. 12, 2015.'),
    ("lyon-troops", "Troops moved from Lyon to the border with Germany on Nov. 3, 2015."),
    ("berlin-talks", "Talks in Berlin, Germany, and in Paris ended on Monday."),
]


def resolve_words(gazetteer, text, words, **options):
    """Resolutions of the words (their first occurrences) as given spans, on a blank pipeline."""
    import spacy

    from geomap.recognition import mentions_from_spans
    from geomap.resolution import resolve_mentions
    spans = [(text.index(w), text.index(w) + len(w)) for w in words]
    return resolve_mentions(text, mentions_from_spans(spacy.blank("en")(text), spans, gazetteer), gazetteer, **options)


class Happening(NamedTuple):
    """One row's event as the output frame gives it."""
    id: int
    label: str
    trigger_start: Optional[int]
    trigger_end: Optional[int]
    date: Optional[str]
    actors: tuple[str, ...]
    place_indexes: tuple[int, ...]   # the rows of the event's places


def events_of(geoparser, text: str) -> tuple[list[Happening], dict[str, Happening]]:
    """The events a Geoparser finds in ``text``, through every stage to the output frame: one per
    happening in id order, and each row's (with the trigger that links that row) by its mention."""
    gdf = geoparser.parse(text)
    rows = {}
    for i, row in enumerate(gdf.itertuples(index=False)):
        rows[row.mention] = Happening(
            int(row.event_id), row.event, _int(row.trigger_start), _int(row.trigger_end),
            None if pd.isna(row.event_date) else row.event_date,
            tuple(row.event_actors.split("; ")) if row.event_actors else (),
            tuple(int(k) for k in (gdf.index[gdf["event_id"] == row.event_id])))
    first = {}
    for happening in rows.values():
        first.setdefault(happening.id, happening)
    return [first[k] for k in sorted(first)], rows


def _int(value) -> Optional[int]:
    return None if pd.isna(value) else int(value)


# the browser tests: Debian's Chromium and, for what the pages ask CDNs for, the npm copies of tests/browser
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
    # the corpus map's plugins: marker clusters, heat map (folium ships its own copy), time slider
    "leaflet.markercluster/1.1.0/leaflet.markercluster.js": "leaflet.markercluster/dist/leaflet.markercluster.js",
    "leaflet.markercluster/1.1.0/MarkerCluster.css": "leaflet.markercluster/dist/MarkerCluster.css",
    "leaflet.markercluster/1.1.0/MarkerCluster.Default.css": "leaflet.markercluster/dist/MarkerCluster.Default.css",
    "folium/templates/leaflet_heat.min.js": Path(folium.__file__).parent / "templates" / "leaflet_heat.min.js",
    "jqueryui/1.10.2/jquery-ui.min.js": "jquery-ui/dist/jquery-ui.min.js",
    "iso8601-js-period@0.2.1/iso8601.min.js": "iso8601-js-period/iso8601.js",
    "leaflet-timedimension@1.1.1/dist/leaflet.timedimension.min.js": "leaflet-timedimension/dist/leaflet.timedimension.min.js",
    "leaflet-timedimension@1.1.1/dist/leaflet.timedimension.control.css":
        "leaflet-timedimension/dist/leaflet.timedimension.control.css",
    "moment.js/2.18.1/moment.min.js": "moment/min/moment.min.js",
}



def serve_locally(route):
    """Answer a browser's request for a CDN script or style from the local npm copies (``LOCAL``);
    tiles and the rest with nothing."""
    url = route.request.url
    if url.startswith("file:"):
        return route.continue_()
    for ending, local in LOCAL.items():
        if url.endswith(ending):
            return route.fulfill(path=str(ASSETS / local))   # an absolute path stays itself
    # tiles, glyphicons and folium's rotate stylesheet: cosmetic, not needed to draw the places
    return route.fulfill(status=200, body="")
