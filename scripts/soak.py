"""Run corpora through geomap one document at a time and report every document that did not come out.

    python scripts/soak.py CORPUS.jsonl [CORPUS.jsonl ...]
    python scripts/soak.py --limit 50 ../shared/dev/lgl.jsonl     # the first 50 documents only
    python scripts/soak.py --mode raw CORPUS.jsonl                 # raw text only (no gold spans)

A corpus is JSON Lines, one document a line: {"id": ..., "text": ..., "toponyms": [{"start", "end", ...}]}.
Each document is run twice through one ``geomap.Geoparser``:

- ``raw``: ``parse(text)``, the places geomap finds itself;
- ``gold``: ``resolve(text, spans)`` with the corpus's toponym spans.

A document fails when the call raises (``InputError``: stage ``input``; ``StageError``: the stage it
names; anything else: stage ``uncaught``, a broken contract) or when its result breaks the contract
(stage ``contract``: a span that does not point at the text, or ``resolve`` not giving one row per span).
The report gives, per corpus and mode, the documents, the failures by stage and each failure's doc id and
message. Exit status: 1 if any document failed, else 0.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Iterator, NamedTuple

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT))

import geomap  # noqa: E402
from geomap.errors import GeomapError, StageError  # noqa: E402

MODES = ("raw", "gold")


class Failed(NamedTuple):
    corpus: str
    mode: str
    doc_id: str
    stage: str
    message: str


def documents(path: Path, limit: int | None = None) -> Iterator[dict]:
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            if limit is not None and number >= limit:
                return
            if line.strip():
                record = json.loads(line)
                record.setdefault("id", f"{path.stem}:{number}")
                yield record


def gold_spans(record: dict) -> list[tuple[int, int]]:
    return [(int(t["start"]), int(t["end"])) for t in record.get("toponyms") or []]


def contract_problem(text: str, gdf, spans=None) -> str | None:
    """What is wrong with a result that came out, or None."""
    for start, end, mention in zip(gdf["start"], gdf["end"], gdf["mention"]):
        if text[start:end] != mention:
            return f"span ({start}, {end}) is {text[start:end]!r} in the text, not the mention {mention!r}"
    if spans is not None and list(zip(gdf["start"], gdf["end"])) != spans:
        return f"resolve gave {len(gdf)} rows for {len(spans)} spans, or not in their order"
    return None


def run_one(geoparser, mode: str, record: dict) -> tuple[str, str] | None:
    """(stage, message) if the document failed in this mode, else None."""
    text = record["text"]
    spans = gold_spans(record) if mode == "gold" else None
    try:
        gdf = geoparser.parse(text) if mode == "raw" else geoparser.resolve(text, spans)
    except StageError as err:
        cause = err.__cause__ or err.error
        where = ""
        tb = getattr(cause, "__traceback__", None)
        while tb is not None and tb.tb_next is not None:
            tb = tb.tb_next
        if tb is not None:
            where = f" [{Path(tb.tb_frame.f_code.co_filename).name}:{tb.tb_lineno} in {tb.tb_frame.f_code.co_name}]"
        return err.stage, f"{err}{where}"
    except GeomapError as err:
        return getattr(err, "stage", "input"), str(err)
    except Exception as err:  # noqa: BLE001 - outside the documented contract: report it, keep going
        return "uncaught", f"{type(err).__name__}: {err}"
    problem = contract_problem(text, gdf, spans)
    return None if problem is None else ("contract", problem)


def soak(paths: list[Path], modes: tuple[str, ...], limit: int | None, out=sys.stdout) -> list[Failed]:
    geoparser = geomap.Geoparser()  # on_error="raise": one text raises, so each failure is seen as it is
    failures: list[Failed] = []
    for path in paths:
        corpus = path.stem
        for mode in modes:
            count, started, stages = 0, time.perf_counter(), Counter()
            for record in documents(path, limit):
                count += 1
                failed = run_one(geoparser, mode, record)
                if failed is not None:
                    stages[failed[0]] += 1
                    failures.append(Failed(corpus, mode, str(record["id"]), *failed))
            seconds = time.perf_counter() - started
            by_stage = ", ".join(f"{stage} {n}" for stage, n in sorted(stages.items())) or "none"
            print(f"{corpus:<12} {mode:<4} documents {count:>5}  failed {sum(stages.values()):>4}  "
                  f"by stage: {by_stage}  ({seconds:.0f} s, {count / seconds if seconds else 0:.1f} docs/s)",
                  file=out, flush=True)
    if failures:
        print(f"\n{len(failures)} failures:", file=out)
        for f in failures:
            print(f"  {f.corpus} {f.mode} {f.doc_id}: {f.stage}: {f.message}", file=out)
    else:
        print("\nno failures", file=out)
    return failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpora", nargs="+", type=Path, metavar="CORPUS.jsonl")
    parser.add_argument("--mode", choices=(*MODES, "both"), default="both",
                        help="raw text (parse), gold spans (resolve) or both (default)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N documents of each corpus")
    args = parser.parse_args(argv)
    modes = MODES if args.mode == "both" else (args.mode,)
    return 1 if soak(args.corpora, modes, args.limit) else 0


if __name__ == "__main__":
    sys.exit(main())
