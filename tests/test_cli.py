import json

import pytest
from click.testing import CliRunner

from geomap.cli import cli

from .helpers import SEED


@pytest.fixture
def runner():
    return CliRunner()


@pytest.mark.parametrize("command", [[], ["map"], ["geojson"]])
def test_every_command_has_help(runner, command):
    result = runner.invoke(cli, command + ["--help"])
    assert result.exit_code == 0 and "Usage" in result.output


@pytest.mark.model


def test_geojson_command_writes_the_seed_places(runner, tmp_path):
    out = tmp_path / "places.geojson"
    result = runner.invoke(cli, ["geojson", str(SEED), "-o", str(out)])
    assert result.exit_code == 0, result.output
    features = json.loads(out.read_text(encoding="utf-8"))["features"]
    by_mention = {f["properties"]["mention"]: f for f in features}
    assert by_mention["Stavanger"]["properties"]["country_code"] == "NO"
    assert by_mention["Brussels"]["geometry"]["type"] == "Point"
    assert by_mention["Turkey"]["geometry"]["type"] in {"Polygon", "MultiPolygon"}
    assert by_mention["Syria-Turkey border"]["geometry"]["type"] in {"LineString", "MultiLineString"}
    assert by_mention["Syria-Turkey border"]["properties"]["kind"] == "border"


@pytest.mark.model


def test_map_command_writes_html(runner, tmp_path):
    out = tmp_path / "map.html"
    result = runner.invoke(cli, ["map", str(SEED), "-o", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "Stavanger" in html and "L.control.layers" in html
    # one layer per happening, named by its label, and "other mentions" last
    labels = ["NATO parliamentary meeting in Stavanger, Oct. 12, 2015",
              "NATO offered to help Turkey defend its southern border with Syria, Monday",
              "increased military activity on the Syria-Turkey border", "other mentions"]
    positions = [html.find(label) for label in labels]
    assert -1 not in positions and positions[-1] == max(positions)
    assert "25 places in 6 events" in result.output
    # each of the six happenings is a layer of the layer control, its name after a swatch of its colour
    # (in the page's script, JSON-escaped: "<" as \u003c, "ğ" as \u011f)
    layers = ["NATO parliamentary meeting in Stavanger, Oct. 12, 2015", "Russian violations of Turkey’s airspace, Oct. 3-4",
              "NATO offered to help Turkey defend its southern border with Syria, Monday",
              "increased military activity on the Syria-Turkey border", "Erdoğan issuing Moscow a warning, last week",
              "other mentions"]
    for layer in layers:
        assert "\\u0026#9632;\\u003c/span\\u003e " + json.dumps(layer)[1:-1] in html, layer
    # the article's words are escaped where the popups quote them
    assert "<i>&quot;Turkey is a strong ally and they have the second-largest army,&quot;" in html
    assert '<i>"Turkey is a strong ally' not in html
    assert "<b>Place</b>: Stavanger<br><b>Kind</b>: point<br>" in html


@pytest.mark.model


def test_standard_input_and_several_documents(runner, tmp_path):
    out = tmp_path / "p.geojson"
    second = tmp_path / "b.txt"
    second.write_text("Rain fell in Lima, Peru.", encoding="utf-8")
    result = runner.invoke(cli, ["geojson", "-", str(second), "-o", str(out)], input="Talks in Oslo.")
    assert result.exit_code == 0, result.output
    docs = [(f["properties"]["doc"], f["properties"]["mention"]) for f in json.loads(out.read_text())["features"]]
    assert docs == [(0, "Oslo"), (1, "Lima"), (1, "Peru")]


@pytest.mark.parametrize("content, message", [
    (None, "no such file"),
    (b"caf\xe9 \xff", "not valid UTF-8"),
    (b"", "input is empty"),
    (b"\x00\x01\x02", "binary"),
])
def test_bad_input_is_one_clear_line(runner, tmp_path, content, message):
    path = tmp_path / "in.txt"
    if content is not None:
        path.write_bytes(content)
    result = runner.invoke(cli, ["geojson", str(path), "-o", str(tmp_path / "o.json")])
    assert result.exit_code != 0
    assert message in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


@pytest.mark.model


def test_good_documents_survive_a_bad_one(runner, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe")
    out = tmp_path / "o.json"
    result = runner.invoke(cli, ["geojson", str(bad), str(SEED), "-o", str(out)])
    assert result.exit_code == 1 and "bad.txt" in result.output
    assert json.loads(out.read_text())["features"]


def test_unwritable_output_is_a_clear_error(runner, tmp_path):
    result = runner.invoke(cli, ["geojson", str(SEED), "-o", str(tmp_path / "no" / "such" / "dir.json")])
    assert result.exit_code != 0 and "Traceback" not in result.output and "Error" in result.output


def test_same_input_gives_byte_identical_geojson_across_processes(tmp_path):
    """Set and dict order must not leak into the output: two processes with different hash seeds."""
    import os
    import subprocess
    import sys
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"places-{seed}.geojson"
        env = dict(os.environ, PYTHONHASHSEED=seed)
        subprocess.run([sys.executable, "-m", "geomap", "geojson", str(SEED), "-o", str(out)], check=True, env=env,
                       capture_output=True)
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1] and len(outputs[0]) > 1000
