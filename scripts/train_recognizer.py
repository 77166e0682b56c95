"""Train the learned recognizer (geomap/data/recognizer.json) on gold corpora, and report it cross-validated.

    python scripts/train_recognizer.py ../shared/dev/{geovirus,lgl,trnews,gwn}.jsonl --cache /tmp/rec \
        [--out geomap/data/recognizer.json] [--e2e ../shared/dev/score.py]

Each document is parsed once with geomap's pipeline; every proposal (geomap.recognition.proposals) becomes a
row of features, labelled 1 where its span is exactly a gold toponym's. GeoVirus is trained and scored with
geoparse's defaults (no demonyms, no modifiers: it does not annotate them), the other corpora with both on,
as score.py reads them. Printed, per corpus, for the rules and for the model:
- recognition P/R/F1 as score.py counts it (overlap; GeoWebNews' non-toponym types excluded), and exact-span
  recall, from 5 folds grouped by document (out-of-fold probabilities) and from leave-one-corpus-out;
- the threshold table and the calibration table of the out-of-fold probabilities;
- with ``--e2e``: the whole geoparser run with each fold's model on its held-out documents, scored by score.py
  (``em_exact`` among them) beside the rules on the same documents;
- with ``--save-oof FILE.npz``: each document's counts at every threshold, for scripts/compare_recognizers.py.
The final model is trained on every document and exported for numpy (geomap.recognition.model).
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import zlib
from pathlib import Path

import numpy
import pandas
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.isotonic import IsotonicRegression

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
import recognition_counts  # noqa: E402
from geomap.candidates import default_gazetteer  # noqa: E402
from geomap.nlp import load_pipeline  # noqa: E402
from geomap.recognition import RULES, Recognizer  # noqa: E402
from geomap.recognition.features import FEATURE_NAMES, featurize  # noqa: E402
from geomap.recognition.learned import wanted  # noqa: E402
from geomap.recognition.proposals import ROLES, propose  # noqa: E402
from geomap.recognition.runs import Capitals  # noqa: E402

DEFAULTS_ONLY = {"geovirus"}      # corpora scored with geoparse's defaults
TOPONYM_TYPES = {"literal", "Literal", "Mixed", "Metonymic", "Coercion", "Embedded_Literal", "Embedded_Non_Lit",
                 "Literal_Modifier", "Non_Literal_Modifier", "Demonym", "Homonym"}   # as score.py
PARAMS = dict(max_iter=120, learning_rate=0.15, max_leaf_nodes=31, max_depth=8, min_samples_leaf=20,
              l2_regularization=1.0, early_stopping=False, random_state=0)
THRESHOLDS = [round(0.25 + 0.05 * i, 2) for i in range(12)]


def options(corpus: str) -> dict:
    on = corpus not in DEFAULTS_ONLY
    return {"modifiers": on, "demonyms": on}


def load_corpus(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.open(encoding="utf-8")]


def extract(corpora: dict[str, list[dict]], nlp, gazetteer, cache: Path | None):
    """Features, labels and bookkeeping for every proposal of every document (cached per corpus)."""
    blocks, docs = [], {}
    for corpus, documents in corpora.items():
        cached = cache / f"{corpus}.npz" if cache else None
        if cached and cached.is_file():
            data = numpy.load(cached, allow_pickle=True)
            if tuple(data["names"]) == FEATURE_NAMES:
                blocks.append({k: data[k] for k in ("X", "y", "doc", "start", "end", "role")} | {"corpus": corpus})
                print(f"{corpus}: {len(data['y'])} proposals (cached)", file=sys.stderr)
                continue
        X, y, doc_index, starts, ends, roles = [], [], [], [], [], []
        for i, doc in enumerate(nlp.pipe([d["text"] for d in documents], batch_size=32)):
            gold = {(t["start"], t["end"]) for t in documents[i]["toponyms"] if t.get("kind") in TOPONYM_TYPES}
            capitals = Capitals.of(doc)
            compounds, proposals = propose(doc, gazetteer, capitals)
            X.append(featurize(doc, proposals, gazetteer, capitals))
            for p in proposals:
                y.append((p.start, p.end) in gold)
                doc_index.append(i)
                starts.append(p.start)
                ends.append(p.end)
                roles.append(ROLES.index(p.role))
            for m in compounds:   # kept as the rules found them: role -1, always predicted
                X.append(numpy.full((1, len(FEATURE_NAMES)), numpy.nan, dtype=numpy.float32))
                y.append((m.start, m.end) in gold)
                doc_index.append(i)
                starts.append(m.start)
                ends.append(m.end)
                roles.append(-1)
        block = {"X": numpy.vstack(X), "y": numpy.asarray(y), "doc": numpy.asarray(doc_index),
                 "start": numpy.asarray(starts), "end": numpy.asarray(ends), "role": numpy.asarray(roles)}
        if cached:
            cache.mkdir(parents=True, exist_ok=True)
            numpy.savez_compressed(cached, names=numpy.asarray(FEATURE_NAMES), **block)
        blocks.append(block | {"corpus": corpus})
        print(f"{corpus}: {len(y)} proposals", file=sys.stderr)
    return blocks


def held_out_event(text: str) -> bool:
    """The fifth of the event sentences the recognizer never trains on, for scripts/event_eval.py --held-out."""
    return zlib.crc32(text.encode("utf-8")) % 5 == 0


def events_block(path: Path, nlp, gazetteer, cache: Path | None) -> dict:
    """Rows from event sentences (Halterman 2019's format): a proposal on exactly a location span is a place;
    one that overlaps none and that the rules do not keep is not; the rest (a place the annotators did not
    tie to the verb, another span of a location) gives no label. Sentences with a location only, the
    held-out fifth left out."""
    cached = cache / "events.npz" if cache else None
    if cached and cached.is_file():
        data = numpy.load(cached, allow_pickle=True)
        if tuple(data["names"]) == FEATURE_NAMES:
            print(f"events: {len(data['y'])} proposals (cached)", file=sys.stderr)
            return {"X": data["X"], "y": data["y"], "train": data["train"], "corpus": "events"}
    locations: dict[str, set] = {}
    for line in path.open(encoding="utf-8"):
        row = json.loads(line)
        locations.setdefault(row["text"], set()).update(map(tuple, row["locations"]))
    texts = [t for t, spans in locations.items() if spans and not held_out_event(t)]
    X, y, train = [], [], []
    for text, doc in zip(texts, nlp.pipe(texts, batch_size=64)):
        capitals = Capitals.of(doc)
        _, proposals = propose(doc, gazetteer, capitals)
        X.append(featurize(doc, proposals, gazetteer, capitals))
        for p in proposals:
            exact = (p.start, p.end) in locations[text]
            touching = any(p.start < e and s < p.end for s, e in locations[text])
            y.append(exact)
            train.append(exact or not (touching or p.kept))
    block = {"X": numpy.vstack(X), "y": numpy.asarray(y), "train": numpy.asarray(train), "corpus": "events"}
    if cached:
        numpy.savez_compressed(cached, names=numpy.asarray(FEATURE_NAMES), **{k: block[k] for k in ("X", "y", "train")})
    print(f"events: {len(y)} proposals from {len(texts)} sentences", file=sys.stderr)
    return block


def usable(block: dict) -> numpy.ndarray:
    """Rows the model decides on in this corpus: proposals of the roles its scoring asks for."""
    opts = options(block["corpus"])
    allowed = [i for i, role in enumerate(ROLES) if wanted(role, **opts)]
    return numpy.isin(block["role"], allowed)


def folds_of(block: dict, k: int, seed: int = 0) -> numpy.ndarray:
    """A fold per document, drawn at random (seeded), so each fold holds about 1/k of every corpus."""
    documents = numpy.unique(block["doc"])
    order = numpy.random.default_rng(seed).permutation(len(documents))
    fold = {int(documents[i]): n % k for n, i in enumerate(order)}
    return numpy.asarray([fold[int(d)] for d in block["doc"]])


def fit(X: numpy.ndarray, y: numpy.ndarray) -> HistGradientBoostingClassifier:
    return HistGradientBoostingClassifier(**PARAMS).fit(X, y)


def select(block: dict, probability: numpy.ndarray, threshold: float) -> list[list[tuple[int, int]]]:
    """Each document's predicted spans: compounds, then proposals most probable first, none overlapping."""
    use = usable(block)
    out = {}
    for d in numpy.unique(block["doc"]):
        rows = numpy.flatnonzero(block["doc"] == d)
        chosen = [(block["start"][r], block["end"][r]) for r in rows if block["role"][r] == -1]
        ranked = sorted((-probability[r], r) for r in rows if block["role"][r] >= 0 and use[r]
                        and probability[r] >= threshold)
        for _, r in ranked:
            s, e = block["start"][r], block["end"][r]
            if not any(s < ce and cs < e for cs, ce in chosen):
                chosen.append((s, e))
        out[int(d)] = chosen
    return out


def recognition_scores(documents: list[dict], chosen: dict) -> dict:
    """score.py's recognition P/R/F1 (by overlap) and the share of gold spans predicted exactly."""
    return recognition_counts.scores(counts_of(documents, chosen).sum(axis=0))


def counts_of(documents: list[dict], chosen: dict) -> numpy.ndarray:
    return recognition_counts.counts_table(documents, chosen, TOPONYM_TYPES)


def oof_tables(corpora: dict[str, list[dict]], blocks: list[dict]) -> dict:
    """Each document's counts at every threshold of THRESHOLDS, out of fold (cv5) and leave-one-corpus-out."""
    return {b["corpus"]: {model: numpy.stack([counts_of(corpora[b["corpus"]], select(b, b[column], t))
                                              for t in THRESHOLDS])
                          for model, column in (("cv5", "cv"), ("loco", "loco"))} for b in blocks}


def rules_chosen(block: dict, kept: numpy.ndarray) -> dict:
    return select(block, kept.astype(float), 0.5)


def calibrate(blocks: list[dict], leave_out: int | None = None, corpus: str | None = None) -> dict:
    """An isotonic curve from out-of-fold probability to the share of spans that are places (the rows of
    fold ``leave_out``, or of ``corpus``, left out, for the model that did not see them)."""
    keep = [b["train"] & (b["fold"] != leave_out) & (b["corpus"] != corpus) for b in blocks]
    p = numpy.concatenate([b["cv"][m] for b, m in zip(blocks, keep)])
    y = numpy.concatenate([b["y"][m] for b, m in zip(blocks, keep)])
    curve = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(p, y)
    return {"probability": [round(float(x), 6) for x in curve.X_thresholds_],
            "share": [round(float(x), 6) for x in curve.y_thresholds_]}


def export(model: HistGradientBoostingClassifier, threshold: float, about: dict,
           calibration: dict | None = None) -> Recognizer:
    """The trees of a fitted binary HistGradientBoostingClassifier, flat, for numpy."""
    feature, split, left, right, value, leaf, roots = [], [], [], [], [], [], []
    depth = 0
    for (tree,) in model._predictors:
        nodes = tree.nodes
        offset = len(feature)
        roots.append(offset)
        depth = max(depth, int(nodes["depth"].max()))
        for node in nodes:
            feature.append(int(node["feature_idx"]))
            split.append(float(node["num_threshold"]))
            left.append(offset + int(node["left"]))
            right.append(offset + int(node["right"]))
            value.append(float(node["value"]))
            leaf.append(bool(node["is_leaf"]))
    baseline = float(numpy.ravel(model._baseline_prediction)[0])
    trees = {"baseline": baseline, "roots": roots, "feature": feature, "threshold": split, "left": left,
             "right": right, "value": value, "leaf": leaf, "depth": depth}
    return Recognizer(trees, threshold=threshold, about=about, calibration=calibration)


def calibration_table(probability: numpy.ndarray, y: numpy.ndarray) -> list[str]:
    lines = ["probability   rows   share right"]
    edges = [0, .1, .2, .3, .4, .5, .6, .7, .8, .9, 1.0001]
    for lo, hi in zip(edges, edges[1:]):
        inside = (probability >= lo) & (probability < hi)
        if inside.any():
            lines.append(f"{lo:.1f}-{min(hi, 1):.1f}   {inside.sum():6d}   {y[inside].mean():.3f}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpora", nargs="+", type=Path)
    parser.add_argument("--cache", type=Path, help="folder for the features of each corpus")
    parser.add_argument("--out", type=Path, default=Path("geomap/data/recognizer.json"))
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--e2e", type=Path, help="score.py: run the whole geoparser on each fold and score it")
    parser.add_argument("--no-save", action="store_true")
    parser.add_argument("--e2e-only", action="store_true", help="only the end-to-end folds, at --out's threshold")
    parser.add_argument("--save-oof", type=Path, help="FILE.npz: each document's recognition counts at every "
                        "threshold, 5-fold and loco, for scripts/compare_recognizers.py")
    parser.add_argument("--events", type=Path, help="event sentences (events_train.jsonl): their locations as "
                        "places, a fifth of the sentences held out for scripts/event_eval.py --held-out")
    args = parser.parse_args()

    corpora = {path.stem: load_corpus(path) for path in args.corpora}
    nlp, gazetteer = load_pipeline(), default_gazetteer()
    blocks = extract(corpora, nlp, gazetteer, args.cache)
    for block in blocks:
        block["fold"] = folds_of(block, args.folds)
        block["train"] = usable(block) & (block["role"] >= 0)
        block["kept"] = numpy.where(block["role"] < 0, 1.0, block["X"][:, FEATURE_NAMES.index("rule_kept")])

    events = events_block(args.events, nlp, gazetteer, args.cache) if args.events else None

    def rows(selected):
        """Training rows: those selected, and the event sentences' (never held out: no corpus here)."""
        selected = selected + ([(events, events["train"])] if events else [])
        X = numpy.vstack([b["X"][m] for b, m in selected])
        y = numpy.concatenate([b["y"][m] for b, m in selected])
        return X, y

    def fold_model(k: int) -> HistGradientBoostingClassifier:
        return fit(*rows([(b, b["train"] & (b["fold"] != k)) for b in blocks]))

    # out of fold: 5 folds grouped by document, pooled over the corpora
    for block in blocks:
        block["cv"] = numpy.zeros(len(block["y"]))
    models = [fold_model(k) for k in range(args.folds)]
    for k, model in enumerate(models):
        for b in blocks:
            held = (b["fold"] == k) & (b["role"] >= 0)
            if held.any():
                b["cv"][held] = model.predict_proba(b["X"][held])[:, 1]
        print(f"fold {k} done", file=sys.stderr)
    # leave one corpus out
    for b in blocks:
        others = [(o, o["train"]) for o in blocks if o is not b]
        b["loco"] = numpy.zeros(len(b["y"]))
        if others:
            b["loco_model"] = model = fit(*rows(others))
            held = b["role"] >= 0
            b["loco"][held] = model.predict_proba(b["X"][held])[:, 1]
        print(f"leave out {b['corpus']} done", file=sys.stderr)
    if args.e2e_only:
        end_to_end(corpora, blocks, models, Recognizer.load(args.out).threshold, args, nlp)
        return

    # the threshold with the best mean, over the corpora, of F1 and of exact-span recall (em_exact needs
    # the exact span): the two measures
    print("threshold table (5-fold out-of-fold): F1 / exact-span recall per corpus, mean of both")
    best, best_mean = 0.5, -1.0
    for threshold in THRESHOLDS:
        figures = [recognition_scores(corpora[b["corpus"]], select(b, b["cv"], threshold)) for b in blocks]
        both = [f["F1"] if numpy.isnan(f["exact_R"]) else (f["F1"] + f["exact_R"]) / 2 for f in figures]
        mean = sum(both) / len(both)
        print(f"  {threshold:.2f}  " + "  ".join(f"{b['corpus']} {f['F1']:.4f}/{f['exact_R']:.4f}"
                                               for b, f in zip(blocks, figures)) + f"  mean {mean:.4f}")
        if mean > best_mean:
            best, best_mean = threshold, mean
    print(f"chosen threshold {best}")
    if args.save_oof:
        recognition_counts.save(args.save_oof, oof_tables(corpora, blocks), THRESHOLDS, best)
        print(f"wrote {args.save_oof}", file=sys.stderr)
    print("\nrecognition (score.py's overlap P/R/F1; exact_R: gold spans predicted exactly)")
    report = {}
    for b in blocks:
        documents = corpora[b["corpus"]]
        figures = {"rules": recognition_scores(documents, rules_chosen(b, b["kept"])),
                   "cv5": recognition_scores(documents, select(b, b["cv"], best)),
                   "loco": recognition_scores(documents, select(b, b["loco"], best))}
        covered = coverage(documents, b)
        report[b["corpus"]] = figures | {"candidate_coverage": covered}
        for name, f in figures.items():
            print(f"  {b['corpus']:9s} {name:5s} P {f['P']:.4f} R {f['R']:.4f} F1 {f['F1']:.4f} "
                  f"exact_R {f['exact_R']:.4f}")
        print(f"  {b['corpus']:9s} gold spans some proposal covers exactly: {covered:.4f}")
    cv = numpy.concatenate([b["cv"][b["train"]] for b in blocks])
    y = numpy.concatenate([b["y"][b["train"]] for b in blocks])
    print("\ncalibration (5-fold out-of-fold)")
    print("\n".join("  " + line for line in calibration_table(cv, y)))

    X, y = rows([(b, b["train"]) for b in blocks])
    final = fit(X, y)
    about = {"trained_on": sorted(corpora) + (["events (4/5 of the sentences)"] if events else []),
             "rows": int(len(y)), "params": PARAMS, "cv": report}
    recognizer = export(final, best, about, calibrate(blocks))
    gap = float(numpy.abs(recognizer.probabilities(X[:2000]) - final.predict_proba(X[:2000])[:, 1]).max())
    print(f"\nexported trees agree with scikit-learn within {gap:.2e}")
    if gap > 1e-6:
        raise SystemExit("export mismatch")
    if not args.no_save:
        recognizer.save(args.out)
        print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB)")

    if args.e2e:
        end_to_end(corpora, blocks, models, best, args, nlp)


def coverage(documents: list[dict], block: dict) -> float:
    spans = {}
    for d, s, e in zip(block["doc"], block["start"], block["end"]):
        spans.setdefault(int(d), set()).add((int(s), int(e)))
    gold = [(i, (t["start"], t["end"])) for i, doc in enumerate(documents) for t in doc["toponyms"]
            if t.get("lat") is not None]
    return sum(span in spans.get(i, ()) for i, span in gold) / len(gold) if gold else float("nan")


def end_to_end(corpora, blocks, fold_models, threshold, args, nlp) -> None:
    """The whole geoparser on each held-out fold with that fold's model, on each corpus with the model
    trained on the others, and with the rules, scored by score.py."""
    import geomap
    spec = importlib.util.spec_from_file_location("score", args.e2e)
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    parsers = [geomap.Geoparser(recognizer=export(model, threshold, {}, calibrate(blocks, k)))
               for k, model in enumerate(fold_models)]
    scored = []   # (row score, right) of every placed row, for the calibration of the one score
    pooled = {name: [0.0, 0] for name in ("rules", "cv5", "loco")}   # em_exact's matches and gold places
    rules = geomap.Geoparser(recognizer=RULES)
    print("\nend to end: rules; cv5, 5 folds grouped by document (each document parsed by the model that did not"
          " see it); loco, each corpus parsed by the model trained on the others")
    for b in blocks:
        documents = corpora[b["corpus"]]
        fold_of = {int(d): int(f) for d, f in zip(b["doc"], b["fold"])}
        texts = [d["text"] for d in documents]
        spacy_docs = list(nlp.pipe(texts, batch_size=32))
        gold = {d["id"]: d for d in documents}
        loco = geomap.Geoparser(recognizer=export(b["loco_model"], threshold, {},
                                                  calibrate(blocks, corpus=b["corpus"])))
        for name in ("rules", "cv5", "loco"):
            predictions = {}
            for i, (document, doc) in enumerate(zip(documents, spacy_docs)):
                parser = {"rules": rules, "loco": loco}.get(name) or parsers[fold_of.get(i, 0)]
                stage_rows = parser._run_stages(0, doc, None, **options(b["corpus"]))
                gdf = parser._frame(stage_rows, [])
                predictions[document["id"]] = {"places": places_of(gdf)}
            if name == "cv5":
                scored += rows_right(documents, predictions, score.km)
            result = score.score(gold, predictions, "e2e")
            if "with_id" in result:
                pooled[name][0] += result["em_exact"] * result["with_id"]
                pooled[name][1] += result["with_id"]
            print(f"  {b['corpus']:9s} {name:5s} P {result['precision']:.4f} R {result['recall']:.4f} "
                  f"F1 {result['f1']:.4f} em_exact {result.get('em_exact', float('nan')):.4f} "
                  f"e2e_acc161 {result['e2e_acc161']:.4f} placed off gold {off_gold(documents, predictions):.4f}")
            if name != "rules":   # what the off-gold rows are: --all asks for modifiers and demonyms
                by_role = off_gold_by_role(documents, predictions)
                print(" " * 18 + "off gold by role: " + "  ".join(
                    f"{role} {share:.4f} of {n}" for role, (share, n) in by_role.items()))
    print("  pooled em_exact (the corpora with GeoNames ids): " + "  ".join(
        f"{name} {matched / n:.4f}" for name, (matched, n) in pooled.items() if n))
    print("\ncalibration of the row score (recognition x resolution), placed rows of the held-out folds:")
    print("  a row is right where its span overlaps a gold place and it has its GeoNames id or lies within 161 km")
    score_values = numpy.asarray([s for s, _ in scored])
    right = numpy.asarray([r for _, r in scored], dtype=float)
    print("\n".join("  " + line for line in calibration_table(score_values, right)))


def off_gold(documents: list[dict], predictions: dict) -> float:
    """The share of placed rows whose span overlaps no gold toponym (a person or company drawn as a town)."""
    placed = off = 0
    for document in documents:
        toponyms = [t for t in document["toponyms"] if t.get("kind") in TOPONYM_TYPES]
        for p in predictions[document["id"]]["places"]:
            if p["lat"] is not None:
                placed += 1
                off += not any(p["start"] < t["end"] and t["start"] < p["end"] for t in toponyms)
    return off / placed if placed else float("nan")


def off_gold_by_role(documents: list[dict], predictions: dict) -> dict[str, tuple[float, int]]:
    """By role (literal, modifier, demonym): the share of all placed rows that are off gold and of that role,
    and how many placed rows have the role. A corpus that does not annotate places inside names (LGL) counts
    every modifier that ``modifiers=True`` asks for as off gold."""
    placed, off, count = 0, {}, {}
    for document in documents:
        toponyms = [t for t in document["toponyms"] if t.get("kind") in TOPONYM_TYPES]
        for p in predictions[document["id"]]["places"]:
            if p["lat"] is None:
                continue
            placed += 1
            role = p.get("role") or "literal"
            count[role] = count.get(role, 0) + 1
            off[role] = off.get(role, 0) + (not any(p["start"] < t["end"] and t["start"] < p["end"] for t in toponyms))
    return {role: (off.get(role, 0) / placed, count[role]) for role in sorted(count)} if placed else {}


def rows_right(documents: list[dict], predictions: dict, km) -> list[tuple[float, bool]]:
    out = []
    for document in documents:
        gold = [t for t in document["toponyms"] if t.get("lat") is not None]
        for p in predictions[document["id"]]["places"]:
            if p["lat"] is None:
                continue
            hits = [t for t in gold if p["start"] < t["end"] and t["start"] < p["end"]]
            right = any((t.get("geonameid") not in (None, "") and str(t["geonameid"]) == str(p["geonameid"]))
                        or km(t["lat"], t["lon"], p["lat"], p["lon"]) <= 161 for t in hits)
            out.append((p["score"], right))
    return out


def places_of(gdf) -> list[dict]:
    out = []
    for r in gdf.itertuples(index=False):
        ok = not pandas.isna(r.lat)
        gid = None if pandas.isna(r.geonameid) else int(r.geonameid)
        out.append({"start": int(r.start), "end": int(r.end), "lat": float(r.lat) if ok else None,
                    "lon": float(r.lon) if ok else None, "geonameid": gid, "kind": r.kind,
                    "score": float(r.score), "role": r.role})
    return out


if __name__ == "__main__":
    main()
