"""Batch on a Dask distributed cluster: a LocalCluster, and a real `dask scheduler` with two `dask worker`
processes on loopback, both giving the same rows as the single-process run."""
import json
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from geomap.batch import write_batch
from geomap.cli import cli

pytestmark = pytest.mark.model   # these tests run the spaCy model

distributed = pytest.importorskip("distributed")

DOCS = [{"id": f"d{i}", "text": text} for i, text in enumerate([
    "Talks in Oslo.", "Rain fell in Lima, Peru.", "Nothing to see here.", "Troops moved to Kabul.",
    "Floods hit Dhaka and Chittagong.", "The summit in Brussels ended."])]


@pytest.fixture
def corpus(tmp_path):
    path = tmp_path / "docs.jsonl"
    path.write_text("".join(json.dumps(d) + "\n" for d in DOCS), encoding="utf-8")
    return path


def rows_of(out: Path):
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    return [(f["properties"]["doc_id"], f["properties"]["start"], f["properties"]["name"]) for f in lines]


def single_process(corpus, tmp_path):
    out = tmp_path / "single.geojsonl"
    write_batch(corpus, out, workers=1, id_col="id", chunk_size=2, quiet=True)
    return rows_of(out)


def test_local_cluster_gives_the_single_process_rows(corpus, tmp_path):
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, host="127.0.0.1", dashboard_address=None,
                                  processes=True) as cluster:
        out = tmp_path / "dask.geojsonl"
        summary = write_batch(corpus, out, id_col="id", chunk_size=2, quiet=True, scheduler=cluster.scheduler_address)
    assert summary["documents"] == len(DOCS) and summary["failures"] == 0
    assert rows_of(out) == single_process(corpus, tmp_path)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_cli_on_a_scheduler_and_two_workers(corpus, tmp_path):
    dask = shutil.which("dask", path=str(Path(sys.executable).parent)) or shutil.which("dask")
    if dask is None:
        pytest.fail("the dask command is not installed")
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    started = [subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", str(port),
                                 "--dashboard-address", ":0", "--no-show"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        time.sleep(2)
        for _ in range(2):
            started.append(subprocess.Popen([dask, "worker", address, "--nthreads", "1", "--nworkers", "1",
                                             "--no-dashboard", "--host", "127.0.0.1"],
                                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        with distributed.Client(address, timeout="30s") as client:
            client.wait_for_workers(2, timeout=60)
        out = tmp_path / "cluster.geojsonl"
        result = CliRunner().invoke(cli, ["batch", str(corpus), "--id-col", "id", "--chunk-size", "2", "--quiet",
                                          "--scheduler", address, "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert rows_of(out) == single_process(corpus, tmp_path)
    finally:
        for process in reversed(started):
            process.terminate()
        for process in started:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def test_unreachable_scheduler_is_one_clear_line(corpus, tmp_path):
    port = free_port()
    result = CliRunner().invoke(cli, ["batch", str(corpus), "--quiet", "--scheduler", f"tcp://127.0.0.1:{port}",
                                      "-o", str(tmp_path / "x.geojsonl")])
    assert result.exit_code != 0 and "Dask scheduler" in result.output and "Traceback" not in result.output
