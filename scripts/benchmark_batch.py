"""Batch throughput and memory: geomap batch with 1 and 2 local workers and on a 2-worker Dask cluster,
against bare spaCy NER on the same documents, in one run.

    python scripts/benchmark_batch.py --docs 2000
    python scripts/benchmark_batch.py --docs 2000 10000 --workers 2 --no-dask   # does memory stay flat?
    python scripts/benchmark_batch.py --docs 400 1200 --no-dask --corpus news.jsonl   # a real corpus, cycled
    python scripts/benchmark_batch.py --stages 500      # where a worker's time goes, per document

Documents are ~300-word stories made from the seed article (scripts/benchmark.py). Each run is its own
process (`python -m geomap batch`); its memory is sampled from /proc/PID/smaps_rollup: the peak RSS, PSS and
USS of the command's own process, of its largest worker process and of all of them together. Forked workers
share the model's pages with the command's process, and RSS counts a shared page in each of them: judge a
worker by its PSS (its share of what it maps) and the run by the tree's PSS sum. Its CPU time is the user +
system time of the whole tree; per document, it says how much work each worker does whatever the load of
the machine (wall time does not, on a shared machine). Compare ratios within one run. Linux only.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from itertools import cycle, islice
from pathlib import Path
from typing import Optional

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchmark import stories  # noqa: E402

BIN = Path(sys.executable).parent


# `geomap batch` with spawned workers, as on macOS and Windows (on Linux they are forked)
SPAWNED = ["-c", "import sys; import geomap.runner as r; r.FORK = False; from geomap.cli import cli; "
                 "cli(sys.argv[1:], prog_name='geomap')"]


def run_batch(corpus: Path, out: Path, *extra: str, spawn: bool = False) -> dict:
    """Wall time, CPU time of the whole process tree, and the peak memory of the `geomap batch` process, of
    its largest worker and of the whole tree (sampled every 0.3 s, so a briefer peak can be missed)."""
    t0, cpu0 = time.perf_counter(), children_cpu()
    command = [sys.executable, *(SPAWNED if spawn else ["-m", "geomap"])]
    process = subprocess.Popen([*command, "batch", str(corpus), "--id-col", "id", "--quiet",
                                "-o", str(out), *extra], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peaks = {"parent": dict.fromkeys(MEASURES, 0.0), "worker": dict.fromkeys(MEASURES, 0.0),
             "tree": dict.fromkeys(MEASURES, 0.0)}
    workers, cpu_seen = set(), {}
    while process.poll() is None:
        tree = process_tree(process.pid)
        cpu_seen.update({pid: cpu for pid, cpu in ((pid, own_cpu(pid)) for pid in tree) if cpu is not None})
        sizes = {pid: memory_mb(pid) for pid in tree}
        sizes = {pid: size for pid, size in sizes.items() if size is not None}
        parent = sizes.pop(process.pid, None)
        if parent:
            keep_peaks(peaks["parent"], parent)
        for pid, size in sizes.items():
            if not helper_process(pid):   # a Dask cluster's workers are not children: only its client shows
                workers.add(pid)
                keep_peaks(peaks["worker"], size)
        keep_peaks(peaks["tree"], {m: sum(s[m] for s in [parent or {}, *sizes.values()] if s) for m in MEASURES})
        time.sleep(0.3)
    report = process.stderr.read().decode()
    if process.returncode and not (process.returncode == 1 and " failures in " in report):  # 1: some documents failed
        raise SystemExit(f"geomap batch failed: {report}")
    seconds, cpu = time.perf_counter() - t0, children_cpu() - cpu0
    return {"seconds": round(seconds, 1), "cpu_s": round(cpu, 1), "worker_processes": len(workers),
            # as last seen (up to 0.3 s short): the command's own process, and its workers together
            "cpu_s_seen": {"parent": round(cpu_seen.get(process.pid, 0.0), 1),
                           "workers": round(sum(cpu_seen.get(pid, 0.0) for pid in workers), 1)},
            "peak_mb": {who: {m: round(v) for m, v in measures.items()} for who, measures in peaks.items()}}


MEASURES = ("rss", "pss", "uss")


def keep_peaks(peaks: dict, size: dict) -> None:
    for measure in MEASURES:
        peaks[measure] = max(peaks[measure], size.get(measure, 0.0))


def children_cpu() -> float:
    """User + system seconds of every waited-for descendant: a finished `geomap batch` and the workers it
    joined (a Dask cluster's workers are not ours, and not counted)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def own_cpu(pid: int) -> Optional[float]:
    """User + system seconds of one process so far (not of its children), from /proc/PID/stat."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def process_tree(root: int) -> list[int]:
    """``root`` and its descendants, from /proc."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    tree, frontier = [root], [root]
    while frontier:
        frontier = [pid for pid, parent in parents.items() if parent in frontier]
        tree.extend(frontier)
    return tree


def helper_process(pid: int) -> bool:
    """multiprocessing's resource tracker (a spawn pool starts one): a few MB, no worker."""
    try:
        return b"resource_tracker" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return True


def memory_mb(pid: int) -> Optional[dict]:
    """A process's RSS, PSS and USS in MB, from /proc/PID/smaps_rollup. RSS counts every page the process
    maps, shared or not, so forked workers that share a model each count it whole; PSS divides each shared
    page among the processes that map it (the tree's PSS sum is its real footprint); USS is the private
    pages alone (Private_Clean + Private_Dirty: what the process frees when it exits)."""
    fields = {}
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
            name, value, *_ = line.split()
            fields[name.rstrip(":")] = int(value)   # kB
    except (OSError, ValueError):
        return None
    if "Pss" not in fields:
        return None
    return {"rss": fields["Rss"] / 1024, "pss": fields["Pss"] / 1024,
            "uss": (fields["Private_Clean"] + fields["Private_Dirty"]) / 1024}


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


def stage_times(count: int) -> dict:
    """Milliseconds per document in each spaCy component (each run over all documents in batches, as
    nlp.pipe does) and in each of geomap's stages, one worker, in this process."""
    from geomap.batch import normalise
    from geomap.batch.writers import ParquetWriter
    from geomap.candidates import default_gazetteer
    from geomap.happenings import assign_events
    from geomap.export import to_geodataframe
    from geomap.geometry import build_place
    from geomap.recognition import find_mentions
    from geomap.nlp import load_pipeline
    from geomap.parser import sentence_of
    from geomap.resolution import resolve_mentions

    texts, nlp, gazetteer = stories(count), load_pipeline(), default_gazetteer()
    find_mentions(nlp("Talks in Oslo."), gazetteer)
    seconds: dict[str, float] = {}

    def timed(stage, call, *args):
        began = time.perf_counter()
        result = call(*args)
        seconds[stage] = seconds.get(stage, 0.0) + time.perf_counter() - began
        return result

    docs = timed("spacy: tokenizer", lambda: [nlp.make_doc(t) for t in texts])
    for name, component in nlp.pipeline:
        docs = timed(f"spacy: {name}", lambda: list(component.pipe(docs, batch_size=16)) if hasattr(component, "pipe")
                     else [component(d) for d in docs])
    rows = []
    for i, doc in enumerate(docs):
        mentions = timed("find_mentions", find_mentions, doc, gazetteer)
        resolutions = timed("resolve", resolve_mentions, doc.text, mentions, gazetteer)
        places = timed("sentences + geometry", lambda: [build_place(m, r, gazetteer, sentence_of(doc, m))
                                                        for m, r in zip(mentions, resolutions)])
        events, which = timed("events", assign_events, doc, places)
        rows.extend((i, place, events[which[n]]) for n, place in enumerate(places))
    gdf = timed("to_geodataframe (geometry attached)", to_geodataframe, rows, gazetteer)
    gdf.insert(0, "doc_id", [str(d) for d in gdf["doc"]])
    gdf = timed("to_geodataframe (geometry attached)", normalise, gdf)
    with tempfile.TemporaryDirectory() as folder:
        timed("parquet", lambda: ParquetWriter(Path(folder)).write(gdf))
    out = {stage: round(1000 * s / count, 2) for stage, s in seconds.items()}
    out["total"] = round(sum(out.values()), 2)
    bare = ("spacy: tokenizer", "spacy: tok2vec", "spacy: ner")
    out["bare NER (tokenizer, tok2vec, ner)"] = round(sum(out[stage] for stage in bare), 2)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, nargs="+", default=[2000], help="one run per count")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--no-dask", action="store_true")
    parser.add_argument("--spawn", action="store_true", help="also run each worker count above 1 with spawned "
                        "workers (the path off Linux), to compare with forked ones")
    parser.add_argument("--corpus", type=Path, help="JSON Lines with a text field, repeated to --docs "
                        "(default: stories made from the seed article)")
    parser.add_argument("--stages", type=int, metavar="DOCS", help="only the per-stage time breakdown")
    args = parser.parse_args()
    if args.stages:
        print(json.dumps({"docs": args.stages, "ms_per_doc": stage_times(args.stages)}, indent=1))
        return
    for count in args.docs:
        benchmark(count, args.workers, not args.no_dask, args.corpus, args.spawn)


def texts_of(count: int, corpus: Optional[Path]) -> list[str]:
    """``count`` texts: the corpus's, cycled, or stories made from the seed."""
    if corpus is None:
        return stories(count)
    with corpus.open(encoding="utf-8") as handle:
        texts = [json.loads(line)["text"] for line in handle if line.strip()]
    return list(islice(cycle(texts), count))


def per_doc(run: dict, count: int) -> dict:
    return {**run, "docs_per_s": round(count / run["seconds"], 1),
            "cpu_ms_per_doc": round(1000 * run["cpu_s"] / count, 1)}


def benchmark(count: int, worker_counts: list[int], dask: bool, source: Optional[Path] = None,
              spawn: bool = False) -> None:
    work = Path(tempfile.mkdtemp(prefix="geomap-batch-bench-"))
    corpus = work / "docs.jsonl"
    corpus.write_text("".join(json.dumps({"id": f"d{i}", "text": t}) + "\n"
                              for i, t in enumerate(texts_of(count, source))), encoding="utf-8")
    results = {"docs": count, "bare_spacy_ner_docs_per_s": round(bare_ner(corpus), 1)}
    for workers in worker_counts:
        r = run_batch(corpus, work / f"w{workers}.parquet", "--workers", str(workers))
        results[f"workers_{workers}"] = per_doc(r, count)
        if spawn and workers > 1:
            r = run_batch(corpus, work / f"s{workers}.parquet", "--workers", str(workers), spawn=True)
            results[f"workers_{workers}_spawned"] = per_doc(r, count)
    if dask:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        address, procs = dask_cluster(port)
        try:
            r = run_batch(corpus, work / "dask.parquet", "--scheduler", address)
            results["dask_2_workers"] = per_doc(r, count)
        finally:
            for p in procs:
                p.terminate()
            for p in procs:
                p.wait(timeout=30)
    if "workers_1" in results:
        one = results["workers_1"]["docs_per_s"]
        results["per_core_time_vs_bare_ner"] = round(results["bare_spacy_ner_docs_per_s"] / one, 2)
    if "workers_1" in results and "workers_2" in results:
        one, two = results["workers_1"], results["workers_2"]
        results["two_vs_one"] = {"wall_speedup": round(one["seconds"] / two["seconds"], 2),
                                 # what two cores would give if each worker had its own: CPU per document
                                 "cpu_per_doc_ratio": round(two["cpu_ms_per_doc"] / one["cpu_ms_per_doc"], 2)}
    print(json.dumps(results, indent=1))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
