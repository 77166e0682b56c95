"""How often geomap's row for an event's place names that event's verb, on held-out folds.

    python scripts/event_eval.py ../shared/dev/events_train.jsonl [--folds 5] [--limit N] [--docs CACHE] [--by-text]
        [--held-out] [--rules]

For each fold the linker is trained (as scripts/train_event_linker.py does, with the threshold of
geomap/data/event_linker.json) on the other folds only, then ``geomap.geoparse`` runs on the fold's
sentences that have a gold location. A sentence counts when a row sits at a gold place (its mention
overlaps a gold location span) and that row's trigger is the annotated verb (the spans overlap). Also
reported: sentences where geomap found none of the gold places (small towns the gazetteer lacks count
against the rate) and, per gold place, the same test. Needs the [train] extra (scikit-learn).
``--held-out``: only the fifth of the sentences the learned recognizer never trained on
(``train_recognizer.held_out_event``); ``--rules``: recognition by the rules alone, for comparison.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import geomap  # noqa: E402
import geomap.happenings.link  # noqa: E402
from geomap.happenings.linker import Linker  # noqa: E402
from train_event_linker import load_rows, overlaps, parsed, train_linker  # noqa: E402
from train_recognizer import held_out_event  # noqa: E402


def score_fold(rows: list[dict], linker: Linker, sink: list | None = None) -> dict[str, int]:
    """Counts for the fold's sentences with a gold location, geoparsed with ``linker``; each sentence
    not counted correct is appended to ``sink`` (when given) with its outcome and geomap's rows."""
    geomap.happenings.link.default_linker = lambda: linker   # the fold's model, not the shipped one
    gdf, failed = geoparse_all([r["text"] for r in rows])
    out = {"sentences": len(rows), "errors": len(failed), "correct": 0, "none_found": 0, "other_word": 0,
           "other_mentions": 0, "places": 0, "places_correct": 0, "places_not_found": 0}
    by_doc = {doc: group for doc, group in gdf.groupby("doc")} if len(gdf) else {}
    for i, row in enumerate(rows):
        verb = tuple(row["verb"])
        group = by_doc.get(i)
        found_any, right = False, False
        for loc in map(tuple, row["locations"]):
            out["places"] += 1
            at = [] if group is None else [r for r in group.itertuples() if overlaps((r.start, r.end), loc)]
            if not at:
                out["places_not_found"] += 1
                continue
            found_any = True
            hit = any(not _missing(r.trigger_start) and overlaps((int(r.trigger_start), int(r.trigger_end)), verb)
                      for r in at)
            out["places_correct"] += hit
            right = right or hit
        if right:
            outcome = "correct"
        elif not found_any:
            outcome = "none_found"
        elif group is not None and all(_missing(r.trigger_start) for r in group.itertuples()
                                       if any(overlaps((r.start, r.end), tuple(l)) for l in row["locations"])):
            outcome = "other_mentions"
        else:
            outcome = "other_word"
        out[outcome] += 1
        if sink is not None and outcome != "correct":
            text = row["text"]
            sink.append({"outcome": outcome, "text": text, "verb": text[verb[0]:verb[1]],
                         "gold": [text[a:b] for a, b in row["locations"]],
                         "rows": [] if group is None else [
                             {"mention": text[int(r.start):int(r.end)],
                              "trigger": None if _missing(r.trigger_start) else
                              text[int(r.trigger_start):int(r.trigger_end)]} for r in group.itertuples()]})
    return out


def geoparse_all(texts: list[str], chunk: int = 64):
    """geomap.geoparse over all texts, in chunks; a chunk that raises is redone one text at a time and
    a text that still raises is counted (its gold places then count as not found)."""
    import pandas as pd
    frames, failed = [], []
    for start in range(0, len(texts), chunk):
        try:
            frames.append(shifted(geomap.geoparse(texts[start:start + chunk]), start))
            continue
        except Exception:  # noqa: BLE001 - another stage's bug must not stop the evaluation
            pass
        for k in range(start, min(start + chunk, len(texts))):
            try:
                frames.append(shifted(geomap.geoparse([texts[k]]), k))
            except Exception as err:  # noqa: BLE001
                failed.append((k, repr(err)))
    frames = [f for f in frames if len(f)]
    return (pd.concat(frames, ignore_index=True) if frames else geomap.geoparse([])), failed


def shifted(gdf, offset: int):
    gdf = gdf.copy()
    gdf["doc"] = gdf["doc"] + offset
    return gdf


def folds_of(rows: list[dict], folds: int, by_text: bool) -> np.ndarray:
    """Each row's fold: by position; with ``by_text``, by the first row of its sentence. The data repeats
    a sentence once per annotated verb (803 sentences), so by position a fold's linker trains on the
    same sentence with another verb marked, and learns to pick the verb the held-out row does not mark."""
    if not by_text:
        return np.arange(len(rows)) % folds
    first: dict[str, int] = {}
    return np.array([first.setdefault(row["text"], k) for k, row in enumerate(rows)]) % folds


def _missing(value) -> bool:
    return value is None or value is np.nan or str(value) == "<NA>"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--limit", type=int)
    parser.add_argument("--docs", help="cache of the parsed sentences (a spaCy DocBin), outside the repo")
    parser.add_argument("--model", default=str(HERE.parent / "geomap/data/event_linker.json"),
                        help="where to read the threshold from")
    parser.add_argument("--by-text", action="store_true",
                        help="keep the rows of one sentence (annotated once per verb) in one fold")
    parser.add_argument("--errors", help="write the sentences not counted correct here (JSON lines, outside the repo)")
    parser.add_argument("--held-out", action="store_true",
                        help="score only the sentences the learned recognizer never trained on")
    parser.add_argument("--rules", action="store_true", help="recognition by the rules alone")
    args = parser.parse_args(argv)
    if args.rules:
        from geomap.pipeline import default_geoparser
        default_geoparser()._recognizer = "rules"   # the shared geoparser geomap.geoparse uses
    shipped = json.loads(Path(args.model).read_text(encoding="utf-8"))
    threshold = shipped["threshold"]
    rows = load_rows(args.data, args.limit)
    docs = parsed(rows, args.docs)
    fold_of = folds_of(rows, args.folds, args.by_text)
    total: dict[str, int] = {}
    sink: list = []
    for fold in range(args.folds):
        train = [k for k in range(len(rows)) if fold_of[k] != fold]
        test = [rows[k] for k in range(len(rows)) if fold_of[k] == fold and rows[k]["locations"]
                and (not args.held_out or held_out_event(rows[k]["text"]))]
        linker = train_linker([rows[k] for k in train], [docs[k] for k in train], threshold)
        counts = score_fold(test, linker, sink)
        print(f"fold {fold}: {counts['correct']}/{counts['sentences']} = "
              f"{counts['correct'] / max(counts['sentences'], 1):.3f}", flush=True)
        for key, value in counts.items():
            total[key] = total.get(key, 0) + value
    if args.errors:
        Path(args.errors).write_text("".join(json.dumps(e) + "\n" for e in sink), encoding="utf-8")
    n = max(total["sentences"], 1)
    print(f"sentences with a location: {total['sentences']}")
    print(f"row at the gold place with the annotated verb as trigger: {total['correct']} = {total['correct'] / n:.3f}")
    print(f"  gold place not found at all: {total['none_found']}; found but in other mentions: "
          f"{total['other_mentions']}; found but linked to another word: {total['other_word']}")
    print(f"sentences whose geoparse raised (counted as not found): {total['errors']}")
    print(f"per gold place: {total['places_correct']}/{total['places']} = "
          f"{total['places_correct'] / max(total['places'], 1):.3f}; not found: {total['places_not_found']}")


if __name__ == "__main__":
    main()
