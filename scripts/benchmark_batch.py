"""Batch throughput and memory: geomap batch with 1 and 2 local workers and on a 2-worker Dask cluster,
against bare spaCy NER on the same documents, in one run.

    python scripts/benchmark_batch.py --docs 2000

Documents are ~300-word stories made from the seed article (scripts/benchmark.py). Each run is its own
process (`geomap batch`, timed with GNU time); compare ratios within one run, the machine is shared.
"""
from __future__ import annotations

import argparse
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchmark import stories  # noqa: E402

BIN = Path(sys.executable).parent


def run_batch(corpus: Path, out: Path, *extra: str) -> dict:
    """Wall time, and the peak RSS of the `geomap batch` process itself (GNU time; worker processes of a
    local pool are not counted)."""
    t0 = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-f", "%M", str(BIN / "geomap"), "batch", str(corpus), "--id-col", "id",
                           "--quiet", "-o", str(out), *extra], check=True, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    peak_kb = int(done.stderr.strip().splitlines()[-1])
    return {"seconds": round(seconds, 1), "peak_rss_mb": round(peak_kb / 1024)}


def bare_ner(corpus: Path) -> float:
    code = ("import json,sys,time;from geomap.nlp import load_pipeline;nlp=load_pipeline();"
            "t=[json.loads(l)['text'] for l in open(sys.argv[1])];s=time.perf_counter();"
            "[d for d in nlp.pipe(t,batch_size=16,disable=[p for p in nlp.pipe_names if p not in ('tok2vec','ner')])];"
            "print(len(t)/(time.perf_counter()-s))")
    return float(subprocess.run([sys.executable, "-c", code, str(corpus)], check=True, capture_output=True,
                                text=True).stdout.strip())


def dask_cluster(port: int):
    dask = str(BIN / "dask")
    address = f"tcp://127.0.0.1:{port}"
    procs = [subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--dashboard-address",
                               ":0", "--no-show"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    time.sleep(2)
    for _ in range(2):
        procs.append(subprocess.Popen([dask, "worker", address, "--nthreads", "1", "--no-dashboard", "--host",
                                       "127.0.0.1"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    from distributed import Client
    with Client(address, timeout="30s") as client:
        client.wait_for_workers(2, timeout=60)
    return address, procs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--no-dask", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="geomap-batch-bench-"))
    corpus = work / "docs.jsonl"
    corpus.write_text("".join(json.dumps({"id": f"d{i}", "text": t}) + "\n" for i, t in enumerate(stories(args.docs))),
                      encoding="utf-8")
    results = {"docs": args.docs, "bare_spacy_ner_docs_per_s": round(bare_ner(corpus), 1)}
    for workers in (1, 2):
        r = run_batch(corpus, work / f"w{workers}.parquet", "--workers", str(workers))
        results[f"workers_{workers}"] = {**r, "docs_per_s": round(args.docs / r["seconds"], 1)}
    if not args.no_dask:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        address, procs = dask_cluster(port)
        try:
            r = run_batch(corpus, work / "dask.parquet", "--scheduler", address)
            results["dask_2_workers"] = {**r, "docs_per_s": round(args.docs / r["seconds"], 1)}
        finally:
            for p in procs:
                p.terminate()
            for p in procs:
                p.wait(timeout=30)
    one = results["workers_1"]["docs_per_s"]
    results["per_core_time_vs_bare_ner"] = round(results["bare_spacy_ner_docs_per_s"] / one, 2)
    print(json.dumps(results, indent=1))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
