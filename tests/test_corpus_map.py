"""The corpus map: batch outputs read back, each region's shape once with its documents, escaped text,
the time slider only for full dates, and the size bounds of the one-article and 10,000-row maps."""
import json
from datetime import date
from html import escape

import folium
import pytest
from click.testing import CliRunner
from folium.plugins import FastMarkerCluster, HeatMap, TimestampedGeoJson

import geomap
from geomap.batch import read_output
from geomap.batch.writers import open_output
from geomap.cli import cli
from geomap.corpus_map import POPUP_LIMIT, absolute_date, shade_classes

from .helpers import CORPUS_TEXTS

pytestmark = pytest.mark.model   # these tests run the spaCy model


def children_of(fmap, kind):
    return [c for c in fmap._children.values() if isinstance(c, kind)]


def region_features(fmap) -> list[dict]:
    layers = [c for c in children_of(fmap, folium.GeoJson) if c.layer_name.startswith("Regions")]
    assert len(layers) == 1
    return layers[0].data["features"]


@pytest.fixture(scope="module")
def batch_outputs(corpus_gdf, tmp_path_factory):
    """The three articles written by the batch writers in each format."""
    folder = tmp_path_factory.mktemp("batch")
    outputs = {}
    for suffix in (".parquet", ".geojsonl", ".gpkg", ".geojson"):
        writer, _, _ = open_output(folder / f"places{suffix}")
        writer.written_ids(set())   # the protocol: what is there already, then chunks, then close
        writer.write(corpus_gdf)
        writer.close()
        outputs[suffix] = folder / f"places{suffix}"
    return outputs


@pytest.mark.parametrize("suffix", [".parquet", ".geojsonl", ".gpkg", ".geojson"])
def test_each_batch_format_reads_back(batch_outputs, corpus_gdf, suffix, tmp_path):
    gdf = read_output(batch_outputs[suffix])
    assert list(gdf["doc_id"]) == list(corpus_gdf["doc_id"]) == \
        ["paris-protest", "paris-protest", "lyon-troops", "lyon-troops", "berlin-talks", "berlin-talks", "berlin-talks"]
    assert list(gdf["name"]) == ["Paris", "France", "Lyon", "Germany", "Berlin", "Germany", "Paris"]
    assert list(gdf["sentence"]) == list(corpus_gdf["sentence"])
    assert list(gdf.geometry.geom_type) == list(corpus_gdf.geometry.geom_type)
    assert str(gdf.crs.to_epsg()) == "4326"
    # and the map of it: France and Germany once each, Germany named by two documents
    regions = region_features(geomap.render_corpus_map(batch_outputs[suffix], tmp_path / "map.html"))
    assert sorted((f["properties"]["label"], f["properties"]["documents"]) for f in regions) == \
        [("France: 1 document", 1), ("Germany: 2 documents", 2)]


def test_each_region_is_stored_once_with_its_count_and_documents(corpus_gdf, tmp_path):
    path = tmp_path / "corpus.html"
    fmap = geomap.render_corpus_map(corpus_gdf, path)
    html = path.read_text(encoding="utf-8")
    germany = next(f for f in region_features(fmap) if f["properties"]["label"].startswith("Germany"))
    popup = germany["properties"]["popup"]
    assert popup.startswith("<b>Germany</b><br>named in 2 documents<br>")
    assert "<b>lyon-troops</b>: <i>Troops moved from Lyon" in popup and "<b>berlin-talks</b>: <i>Talks in Berlin" in popup
    # Germany's shape is in the page once, though two rows of two documents name it
    ring = germany["geometry"]["coordinates"]
    while isinstance(ring[0][0], (list, tuple)):   # a polygon's first ring, or a multipolygon's
        ring = ring[0]
    first_points = json.dumps(ring[:3])[:-1]   # "[[x, y], [x, y], [x, y]" as folium writes it, and more after
    assert html.count(first_points) == 1
    assert (corpus_gdf["name"] == "Germany").sum() == 2


def test_points_are_clustered_and_summed_in_a_heat_map(corpus_gdf):
    fmap = geomap.render_corpus_map(corpus_gdf)
    (cluster,) = children_of(fmap, FastMarkerCluster)
    (heat,) = children_of(fmap, HeatMap)
    # Paris (two documents), Lyon, Berlin: one marker per place, listing its documents
    assert sorted(row[3] for row in cluster.data) == ["Berlin", "Lyon", "Paris"]
    paris = next(row for row in cluster.data if row[3] == "Paris")
    assert "named in 2 documents" in paris[2] and "paris-protest" in paris[2] and "berlin-talks" in paris[2]
    assert sorted(weight for _, _, weight in heat.data) == [0.5, 0.5, 1.0]


def test_article_text_is_escaped_in_the_corpus_map(corpus_gdf, tmp_path):
    path = tmp_path / "corpus.html"
    fmap = geomap.render_corpus_map(corpus_gdf, path)
    html = path.read_text(encoding="utf-8")
    assert "<script>alert(1)" not in html and "alert(1)</script>" not in html
    france = next(f for f in region_features(fmap) if f["properties"]["label"].startswith("France"))
    assert "Protesters wrote &lt;script&gt;alert(1)&lt;/script&gt; on walls" in france["properties"]["popup"]
    # folium writes the popup into the page's script as JSON, "&" and "<" as \u0026 and \u003c
    assert "\\u0026lt;script\\u0026gt;alert(1)\\u0026lt;/script\\u0026gt;" in html


def test_a_popup_lists_the_first_documents_and_counts_the_rest(corpus_gdf):
    france = corpus_gdf[corpus_gdf["name"] == "France"]
    many = france.loc[france.index.repeat(13)].assign(doc_id=[f"doc-{n:02d}" for n in range(13)],
                                                     doc=list(range(13)))
    (region,) = region_features(geomap.render_corpus_map(many))
    popup = region["properties"]["popup"]
    assert popup.startswith("<b>France</b><br>named in 13 documents<br>")
    assert [f"<b>doc-{n:02d}</b>" in popup for n in range(13)] == [True] * POPUP_LIMIT + [False] * 3
    assert popup.endswith("and 3 more documents")


def test_a_time_slider_only_where_happenings_carry_full_dates(corpus_gdf):
    (slider,) = children_of(geomap.render_corpus_map(corpus_gdf), TimestampedGeoJson)
    features = json.loads(slider.data)["features"]
    # the two dated articles' places, each on its day; "on Monday" is no date without the article's own
    assert sorted((f["properties"]["times"][0], f["properties"]["tooltip"]) for f in features) == \
        [("2015-10-12", "France"), ("2015-10-12", "Paris"), ("2015-11-03", "Germany"), ("2015-11-03", "Lyon")]
    undated = corpus_gdf.assign(event_date="Monday")
    assert children_of(geomap.render_corpus_map(undated), TimestampedGeoJson) == []
    assert children_of(geomap.render_corpus_map(corpus_gdf, time_slider=False), TimestampedGeoJson) == []


@pytest.mark.parametrize("expression, day", [
    ("Oct. 12, 2015", date(2015, 10, 12)), ("12 October 2015", date(2015, 10, 12)), ("2015-10-12", date(2015, 10, 12)),
    ("Sept. 3-4, 2014", date(2014, 9, 3)), ("on March 1st, 2020", date(2020, 3, 1)),
    ("Oct. 3-4", None), ("Monday", None), ("last week", None), ("Feb. 30, 2015", None), ("Octopus 3, 2015", None),
    (None, None),
])
def test_absolute_dates(expression, day):
    assert absolute_date(expression) == day


def test_shades_step_geometrically_up_to_the_most_named_region():
    assert shade_classes(3) == [1, 2, 3]
    assert shade_classes(100) == [1, 3, 6, 16, 40]


def test_the_one_article_map_is_under_a_megabyte(seed_gdf, tmp_path):
    small, full = tmp_path / "map.html", tmp_path / "full.html"
    geomap.render_map(seed_gdf, small)
    geomap.render_map(seed_gdf, full, simplify=None)
    print(f"seed map: {small.stat().st_size:,} bytes; at full detail {full.stat().st_size:,}")
    assert small.stat().st_size <= 1_000_000 < full.stat().st_size


def test_a_map_of_10000_rows_is_at_most_15_mb(corpus_10k, tmp_path):
    path = tmp_path / "corpus.html"
    fmap = geomap.render_corpus_map(corpus_10k, path)
    assert path.stat().st_size <= 15_000_000
    shapes = {geom.wkb for geom in corpus_10k.geometry if geom.geom_type != "Point"}
    # Turkey's airspace is Turkey's shape; Syria's is there as the region named in its border and coast
    assert len(region_features(fmap)) == len(shapes) == 10


def test_cli_maps_batch_outputs_and_text_files(batch_outputs, tmp_path):
    runner = CliRunner()
    out = tmp_path / "corpus.html"
    result = runner.invoke(cli, ["map", str(batch_outputs[".gpkg"]), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "7 places in 3 documents" in result.output and "markerClusterGroup" in out.read_text(encoding="utf-8")
    texts = []
    for doc_id, text in CORPUS_TEXTS[1:]:
        texts.append(tmp_path / f"{doc_id}.txt")
        texts[-1].write_text(text, encoding="utf-8")
    result = runner.invoke(cli, ["map", *map(str, texts), "-o", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "markerClusterGroup" in html and escape(str(texts[0])) in html   # documents named by their files
    mixed = runner.invoke(cli, ["map", str(batch_outputs[".gpkg"]), str(texts[0]), "-o", str(out)])
    assert mixed.exit_code == 2 and "text files or batch outputs, not both" in mixed.output


def test_cli_maps_a_folder_of_documents(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    for doc_id, text in CORPUS_TEXTS:
        (folder / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    (folder / "notes.csv").write_text("not,a,document\n", encoding="utf-8")   # not read: not a document type
    out = tmp_path / "corpus.html"
    result = CliRunner().invoke(cli, ["map", str(folder), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert f"in {len(CORPUS_TEXTS)} documents" in result.output
    html = out.read_text(encoding="utf-8")
    assert "markerClusterGroup" in html and escape(str(folder / f"{CORPUS_TEXTS[0][0]}.txt")) in html
    assert "notes.csv" not in html
