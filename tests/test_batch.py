import csv
import json
import os
import pickle
from concurrent.futures import ThreadPoolExecutor

import geopandas as gpd
import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

import geomap
from geomap.batch import chunk_frame, geoparse_batch, read_documents, write_batch
from geomap.batch.writers import ParquetWriter
from geomap.cli import cli
from geomap.errors import Failure, InputError
from geomap.export import feature_texts, rfc7946_geometry
from geomap.parser import Geoparser

pytestmark = pytest.mark.model   # every test here geoparses
from geomap.pipeline import default_geoparser
from geomap import runner
from geomap.runner import Shipped, parse_chunk, run_chunks

DOCS = {"a": "Talks in Oslo.", "b": "Rain fell in Lima, Peru.", "c": "Nothing to see here."}
PAIRS = [(text, doc_id) for doc_id, text in DOCS.items()]   # (text, doc_id): spaCy's as_tuples order
EXPECTED = [("a", "Oslo"), ("b", "Lima"), ("b", "Peru")]


@pytest.fixture
def folder(tmp_path):
    path = tmp_path / "docs"
    path.mkdir()
    for doc_id, text in DOCS.items():
        (path / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    (path / "notes.md").write_text("Not a document: Paris.", encoding="utf-8")
    return path


def rows(frame):
    return list(zip(frame["doc_id"], frame["mention"]))


# ------------------------------------------------------------ inputs

def test_folder_input(folder):
    assert list(read_documents(folder)) == PAIRS


def test_json_lines_input(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps({"id": k, "body": v}) for k, v in DOCS.items()) + "\n\n", encoding="utf-8")
    assert list(read_documents(path, text_col="body", id_col="id")) == PAIRS
    assert [doc_id for _, doc_id in read_documents(path, text_col="body")] == ["0", "1", "2"]
    with pytest.raises(InputError, match="no 'text' field"):
        read_documents(path)


def test_csv_input(tmp_path):
    path = tmp_path / "in.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text"])
        writer.writerows(DOCS.items())
    assert list(read_documents(path, id_col="id")) == PAIRS
    assert list(read_documents(path))[1] == (DOCS["b"], "1")
    with pytest.raises(InputError, match="no 'body' column"):
        read_documents(path, text_col="body")


def test_parquet_input(tmp_path):
    path = tmp_path / "in.parquet"
    pq.write_table(pa.table({"id": list(DOCS), "text": list(DOCS.values())}), path, row_group_size=2)
    assert list(read_documents(path, id_col="id")) == PAIRS
    assert [doc_id for _, doc_id in read_documents(path)] == ["0", "1", "2"]


def test_unreadable_source_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_documents(tmp_path / "missing.jsonl")
    (tmp_path / "in.xlsx").write_bytes(b"PK")
    with pytest.raises(InputError, match="unsupported input"):
        read_documents(tmp_path / "in.xlsx")


# ------------------------------------------------------------ geoparse_batch

def test_geoparse_batch_chunks_ids_and_global_doc_numbers():
    frames = list(geoparse_batch(["Talks in Oslo.", "Nothing.", "Rain fell in Lima, Peru."], chunk_size=2))
    assert len(frames) == 2
    assert list(frames[0].columns[:2]) == ["doc_id", "doc"]
    assert rows(frames[0]) == [("0", "Oslo")] and rows(frames[1]) == [("2", "Lima"), ("2", "Peru")]
    assert list(frames[1]["doc"]) == [2, 2]
    assert frames[0].attrs["failures"] == [] and frames[1].crs == "EPSG:4326"
    assert geomap.geoparse_batch is geoparse_batch


def test_geoparse_batch_takes_text_id_pairs_like_spacy():
    frames = list(geoparse_batch([("Talks in Oslo.", "x"), ("Rain fell in Lima, Peru.", "y")], chunk_size=5))
    assert rows(frames[0]) == [("x", "Oslo"), ("y", "Lima"), ("y", "Peru")]
    with pytest.warns(DeprecationWarning, match=r"\(text, doc_id\)"):   # the old order, where it is unmistakable
        frames = list(geoparse_batch([(7, "Talks in Oslo.")]))
    assert rows(frames[0]) == [("7", "Oslo")]


def test_progress_bar(capsys):
    [frame] = geoparse_batch(["Talks in Oslo."], progress=True)
    assert rows(frame) == [("0", "Oslo")]
    assert "docs" in capsys.readouterr().err


def test_a_bad_document_is_recorded_and_the_others_come_out(folder):
    (folder / "bad.txt").write_bytes(b"caf\xe9 \xff")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02")
    frames = list(geoparse_batch(read_documents(folder), chunk_size=10))
    assert rows(frames[0]) == EXPECTED
    failures = {failure.doc_id: failure.error for failure in frames[0].attrs["failures"]}
    assert "not valid UTF-8" in failures["bad"] and "binary" in failures["binary"]
    assert all(isinstance(failure, Failure) and failure.stage == "input" for failure in frames[0].attrs["failures"])


# ------------------------------------------------------------ outputs

def read_parquet_folder(out):
    parts = sorted(out.glob("part-*.parquet"))
    frame = pd.concat([gpd.read_parquet(part) for part in parts], ignore_index=True)
    assert ds.dataset(out, format="parquet", exclude_invalid_files=True,
                      ignore_prefixes=["done", "failures"]).count_rows() == len(frame)
    return frame


def read_geojsonl(out):
    features = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    return pd.DataFrame([f["properties"] for f in features])


READERS = {
    "places.parquet": read_parquet_folder,
    "places.geojsonl": read_geojsonl,
    "places.gpkg": lambda out: gpd.read_file(out, layer="places"),
    "places.geojson": gpd.read_file,
}


@pytest.mark.parametrize("name", list(READERS))
def test_each_output_format_reads_back(folder, tmp_path, name):
    out = tmp_path / name
    summary = write_batch(folder, out, workers=1, chunk_size=2, quiet=True)
    assert summary["documents"] == 3 and summary["places"] == 3 and summary["failures"] == 0
    frame = READERS[name](out)
    assert rows(frame) == EXPECTED
    assert frame["country_code"].tolist() == ["NO", "PE", "PE"]


@pytest.mark.parametrize("name", list(READERS))
def test_resume_processes_only_new_documents(folder, tmp_path, name):
    out = tmp_path / name
    first = write_batch(folder, out, workers=1, chunk_size=2, quiet=True)
    assert first["documents"] == 3 and first["skipped"] == 0
    (folder / "d.txt").write_text("Snow in Quito.", encoding="utf-8")
    second = write_batch(folder, out, workers=1, chunk_size=2, quiet=True)
    assert second["skipped"] == 3  # a, b and c (no places, still done)
    assert second["documents"] == 1 and second["places"] == 1 and second["failures"] == 0
    assert rows(READERS[name](out)) == EXPECTED + [("d", "Quito")]


@pytest.mark.parametrize("name", ["places.geojson", "places.geojsonl"])
def test_resume_after_a_crash_mid_chunk(folder, tmp_path, name):
    out = tmp_path / name
    write_batch(folder, out, workers=1, chunk_size=1, quiet=True)
    # a crash while writing document b: its last feature cut short, its id not yet in the done list
    out.write_bytes(out.read_bytes()[:-200])
    done = tmp_path / f"{name}.done"
    done.write_text('"a"\n', encoding="utf-8")
    again = write_batch(folder, out, workers=1, chunk_size=1, quiet=True)
    assert again["skipped"] == 1 and again["documents"] == 2
    assert rows(READERS[name](out)) == EXPECTED


def test_failures_side_table(folder, tmp_path):
    (folder / "bad.txt").write_bytes(b"\xff\xfe")
    write_batch(folder, tmp_path / "p.parquet", workers=1, quiet=True)
    assert pq.read_table(tmp_path / "p.parquet" / "_failures.parquet").column("doc_id").to_pylist() == ["bad"]
    write_batch(folder, tmp_path / "p.geojsonl", workers=1, quiet=True)
    [line] = (tmp_path / "p.geojsonl.failures.jsonl").read_text().splitlines()
    assert json.loads(line)["doc_id"] == "bad" and "UTF-8" in json.loads(line)["error"]
    # still bad on a rerun: retried and recorded again, nothing else redone
    again = write_batch(folder, tmp_path / "p.geojsonl", workers=1, quiet=True)
    assert again["skipped"] == 3 and again["failures"] == 1
    # fixed: retried once more, written, and off the failures table
    (folder / "bad.txt").write_text("Fog in Lisbon.", encoding="utf-8")
    fixed = write_batch(folder, tmp_path / "p.geojsonl", workers=1, quiet=True)
    assert fixed["documents"] == 1 and fixed["places"] == 1 and fixed["failures"] == 0
    assert (tmp_path / "p.geojsonl.failures.jsonl").read_text() == ""
    assert rows(read_geojsonl(tmp_path / "p.geojsonl"))[-1] == ("bad", "Lisbon")


# towns, countries, a border, a coast, a part, a failure and a document without places
VARIED = list(DOCS.values()) + ["Turkey's border with Syria was closed.", "Boats left Syria's Mediterranean coast.",
                                "Fighting in northern Syria and in Aleppo.", b"\xff\xfe"]


@pytest.mark.parametrize("start", ["fork", "spawn"])
def test_two_workers_give_the_same_frames_as_one(monkeypatch, start):
    """Forked workers (Linux) and spawned ones (elsewhere, and the fallback) give the frames, geometry
    and failures included, that geoparsing in this process gives."""
    if start == "fork" and not runner.FORK:
        pytest.skip("fork is not used on this platform")
    monkeypatch.setattr(runner, "FORK", start == "fork")
    texts = [(text, "x%d" % i) for i, text in enumerate(VARIED * 2)]
    here = list(geoparse_batch(texts, workers=1, chunk_size=3))
    there = list(geoparse_batch(texts, workers=2, chunk_size=3))
    assert len(here) == len(there) == 5 and {"border", "coast", "part"} <= set(pd.concat(here)["feature"])
    for a, b in zip(here, there):
        pd.testing.assert_frame_equal(a, b)
        assert a.attrs == b.attrs


@pytest.mark.skipif(not runner.FORK, reason="fork is not used on this platform")
def test_chunks_sent_in_pieces_give_the_frames_of_one_process(monkeypatch):
    """Workers get each chunk in pieces of a spaCy batch (here 2 documents; a chunk of 5 is 3 pieces): the
    frames, chunk for chunk, are those of geoparsing in this process."""
    cut = []
    monkeypatch.setattr(runner, "pieces", lambda chunk, size, pieces=runner.pieces: cut.append(pieces(chunk, size))
                        or cut[-1])
    texts = [(text, "x%d" % i) for i, text in enumerate(VARIED * 2)]
    here = list(geoparse_batch(texts, workers=1, chunk_size=5, batch_size=2))
    there = list(geoparse_batch(texts, workers=2, chunk_size=5, batch_size=2))
    assert [len(piece) for piece in cut[0]] == [2, 2, 1] and len(here) == len(there) == 3
    for a, b in zip(here, there):
        pd.testing.assert_frame_equal(a, b)
        assert a.attrs == b.attrs


def _worker_connections():
    from geomap import candidates
    gazetteer = runner._ADOPTED.gazetteer
    gazetteer.lookup("Stavanger")
    return os.getpid(), gazetteer._pid == os.getpid(), len(gazetteer._opened), len(candidates._INHERITED)


@pytest.mark.skipif(not runner.FORK, reason="fork is not used on this platform")
def test_forked_workers_share_the_loaded_geoparser_and_open_their_own_connections():
    geoparser = Geoparser()
    with runner.process_pool(2, geoparser) as pool:
        assert isinstance(pool, runner.ForkedPool) and pool.geoparser is geoparser
        assert geoparser._nlp is not None and geoparser.gazetteer._opened == []   # loaded, and closed before the fork
        answers = {pool.submit(_worker_connections).result() for _ in range(8)}
        assert all(pid != os.getpid() for pid, *_ in answers)
        assert {tuple(rest) for _, *rest in answers} == {(True, 1, 0)}   # its own connection, none inherited
        [chunk] = runner.map_chunks(geoparser, [(0, "a", "Talks in Oslo.")], pool)   # nothing shipped
        assert [place.name for _, place, _ in chunk.results[0].rows] == ["Oslo"]


# ------------------------------------------------------------ geometry written once per chunk

# countries named again and again (their rows share one polygon), a town, a border, and a name no place fits
SHARED = ["Turkey said Syria and Turkey talked in Ankara.", "Turkey's border with Syria was closed; Russia flew.",
          "Jets from Russia crossed into Turkey.", "Nothing here.", "Talks in Zzyzxqk City, Zzyzxqk."]


SHARED_ITEMS = [(i, f"s{i}", text) for i, text in enumerate(SHARED)]


@pytest.fixture(scope="module")
def shared_chunk():
    [gdf] = geoparse_batch([(text, doc_id) for _, doc_id, text in SHARED_ITEMS], chunk_size=len(SHARED))
    return gdf


def test_chunk_shares_polygons_between_rows(shared_chunk):
    turkey = [g for g, name in zip(shared_chunk.geometry, shared_chunk["name"]) if name == "Turkey"]
    assert len(turkey) >= 3 and all(g is turkey[0] for g in turkey)


def test_parquet_part_is_what_geopandas_writes(shared_chunk, tmp_path):
    for name, frame in [("full", shared_chunk), ("empty", shared_chunk.iloc[:0]),
                        ("no geometry", shared_chunk.assign(geometry=None))]:
        ParquetWriter(tmp_path / name).write(frame)
        parts = sorted((tmp_path / name).glob("part-*.parquet"))
        if not len(frame):
            assert parts == [], name  # no part for a chunk without places
            continue
        expected = frame.copy()
        expected.attrs = {}  # failures are in the side table, not in each part
        expected.to_parquet(tmp_path / "geopandas.parquet", index=False)
        expected, [written] = pq.read_table(tmp_path / "geopandas.parquet"), [pq.read_table(p) for p in parts]
        assert written.equals(expected, check_metadata=True), name
        assert written.schema.field("geometry").metadata == expected.schema.field("geometry").metadata


def test_a_large_chunk_is_written_in_parts_that_keep_documents_whole(shared_chunk, tmp_path, monkeypatch):
    monkeypatch.setattr("geomap.batch.writers.PART_GEOMETRY_BYTES", 1)
    ParquetWriter(tmp_path / "out").write(shared_chunk)
    parts = [gpd.read_parquet(p) for p in sorted((tmp_path / "out").glob("part-*.parquet"))]
    assert len(parts) == shared_chunk["doc"].nunique()
    assert all(part["doc"].nunique() == 1 for part in parts)
    back = pd.concat(parts, ignore_index=True)
    pd.testing.assert_frame_equal(back, shared_chunk)


def test_geojson_features_write_each_row_geometry(shared_chunk):
    features = [json.loads(text) for text in feature_texts(shared_chunk)]
    assert [f["properties"]["mention"] for f in features] == list(shared_chunk["mention"])
    for feature, geometry in zip(features, shared_chunk.geometry):
        assert feature["geometry"] == json.loads(json.dumps(rfc7946_geometry(geometry)))


def test_a_worker_result_pickles_small_and_makes_the_same_frame(shared_chunk):
    """Workers send back places with geometry keys, not polygons: the trip is small, and the frame this
    process makes from it is the one geoparsing here gives."""
    gazetteer = default_geoparser().gazetteer
    border = ("border", gazetteer.country("TR").place_id, gazetteer.country("SY").place_id)
    result = parse_chunk(pickle.loads(pickle.dumps(Shipped(default_geoparser()))), SHARED_ITEMS, {})
    assert list(result.shapes) == [border]  # a computed shape comes along, so this process need not make it
    sent = pickle.dumps(result)
    assert len(sent) < 20_000 + len(result.shapes[border])  # Turkey, Syria and Russia's polygons: megabytes
    back = chunk_frame(pickle.loads(sent).results, gazetteer, pickle.loads(sent).shapes)
    assert isinstance(back, gpd.GeoDataFrame) and back.crs == shared_chunk.crs
    pd.testing.assert_frame_equal(back, shared_chunk)
    assert back.attrs == shared_chunk.attrs


# ------------------------------------------------------------ the runner and failure records

MIXED = [("Talks in Oslo.", "good"), (InputError("cannot read it"), "unreadable"), (b"\x00\x01\x02", "binary"),
         ("BOOM in Lima.", "boom"), ("Rain fell in Lima, Peru.", "also good")]


@pytest.fixture(scope="module")
def exploding_geoparser():
    """A Geoparser whose spaCy pipeline fails on any text with BOOM in it: an internal fault in a stage."""
    from spacy.language import Language

    from geomap.nlp import load_pipeline

    @Language.component("test_explode")
    def explode(doc):
        if "BOOM" in doc.text:
            raise RuntimeError("kaboom")
        return doc
    nlp = load_pipeline()
    nlp.add_pipe("test_explode", last=True)
    return Geoparser(nlp=nlp)


def test_runner_on_a_thread_pool_gives_the_in_process_results_in_order(exploding_geoparser):
    items = [(n, doc_id, text) for n, (text, doc_id) in enumerate(MIXED)]
    here = list(run_chunks(exploding_geoparser, items, chunk_size=2))
    with ThreadPoolExecutor(2) as pool:
        threads = list(run_chunks(exploding_geoparser, items, pool, chunk_size=2, window=3))
    assert [(p.doc, p.doc_id) for p in threads] == [(n, doc_id) for n, doc_id, _ in items]
    assert [(p.doc, p.doc_id, p.rows, p.failure) for p in threads] == [(p.doc, p.doc_id, p.rows, p.failure)
                                                                         for p in here]
    assert [place.mention.text for _, place, _ in threads[4].rows] == ["Lima", "Peru"]


def test_a_batch_mixing_good_and_bad_documents_records_each_failure(exploding_geoparser, tmp_path):
    [gdf] = geoparse_batch(MIXED, chunk_size=10, geoparser=exploding_geoparser)
    assert rows(gdf) == [("good", "Oslo"), ("also good", "Lima"), ("also good", "Peru")]
    failures = gdf.attrs["failures"]
    assert [(f.doc, f.doc_id, f.stage) for f in failures] == [(1, "unreadable", "input"), (2, "binary", "input"),
                                                             (3, "boom", "nlp")]
    assert failures[0].error == "cannot read it" and "kaboom" in failures[2].error
    seen = []
    summary = write_batch(MIXED, tmp_path / "out.geojsonl", workers=1, quiet=True, geoparser=exploding_geoparser,
                          on_failure=seen.append)
    assert summary["failures"] == 3 and summary["places"] == 3 and seen == failures
    table = [json.loads(line) for line in (tmp_path / "out.geojsonl.failures.jsonl").read_text().splitlines()]
    assert [Failure(**record) for record in table] == failures
    write_batch(MIXED, tmp_path / "out.parquet", workers=1, quiet=True, geoparser=exploding_geoparser)
    assert [Failure(**record) for record in pq.read_table(tmp_path / "out.parquet" / "_failures.parquet").to_pylist()
            ] == failures


def test_pipe_with_two_processes_runs_on_the_runner():
    texts = ["Talks in Oslo.", b"\x00\x01", "Rain fell in Lima, Peru."]
    one = list(Geoparser().pipe(texts))
    two = list(Geoparser().pipe(texts, n_process=2, batch_size=1))
    assert [list(f["mention"]) for f in two] == [["Oslo"], [], ["Lima", "Peru"]]
    for a, b in zip(one, two):
        pd.testing.assert_frame_equal(a, b)
        assert a.attrs == b.attrs


# ------------------------------------------------------------ command line

def test_batch_help():
    result = CliRunner().invoke(cli, ["batch", "--help"])
    assert result.exit_code == 0 and "--text-col" in result.output and "--workers" in result.output


def test_batch_command_from_standard_input(tmp_path):
    out = tmp_path / "places.geojsonl"
    lines = "\n".join(json.dumps({"id": k, "text": v}) for k, v in DOCS.items())
    result = CliRunner().invoke(cli, ["batch", "-", "-o", str(out), "--id-col", "id", "--workers", "1",
                                      "--quiet"], input=lines)
    assert result.exit_code == 0, result.output
    assert "3 documents, 3 places, 0 failures" in result.output
    assert rows(read_geojsonl(out)) == EXPECTED


def test_batch_command_reports_a_failure_and_a_bad_input(folder, tmp_path):
    (folder / "bad.txt").write_bytes(b"\xff\xfe")
    result = CliRunner().invoke(cli, ["batch", str(folder), "-o", str(tmp_path / "p.parquet"), "--workers", "1",
                                      "--chunk-size", "2"])
    assert result.exit_code == 1 and "4 documents, 3 places, 1 failures" in result.output
    lines = result.output.replace("\r", "\n").splitlines()  # the progress bar redraws with \r
    assert [line for line in lines if line.startswith("Error:")] == [  # one line per failure
        "Error: bad: input is not valid UTF-8 (byte 0: b'\\xff')"]
    result = CliRunner().invoke(cli, ["batch", str(tmp_path / "in.csv"), "-o", str(tmp_path / "p.gpkg")])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [f"Error: {tmp_path / 'in.csv'}: no such file or folder"]
