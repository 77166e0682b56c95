"""Recognition counts per document, and the file of them a trial saves (train_recognizer.py --save-oof).

A corpus's P/R/F1 are ratios of sums over its documents, so the counts of each document at each threshold are
all that is needed to score it again, or to score a resample of its documents (compare_recognizers.py).
"""
from __future__ import annotations

from pathlib import Path

import numpy

# n_pred: predicted spans; tp: those overlapping a toponym; n_gold: located gold toponyms; found: those some
# predicted span overlaps; n_exact: gold toponyms with a GeoNames id; exact: those predicted exactly
COUNTS = ("n_pred", "tp", "found", "n_gold", "exact", "n_exact")
MODELS = ("cv5", "loco")


def document_counts(document: dict, spans: list[tuple[int, int]], toponym_types: set[str]) -> list[int]:
    """score.py's recognition counts (by overlap) for one document's predicted spans, in COUNTS' order."""
    toponyms = [t for t in document["toponyms"] if t.get("kind") in toponym_types]
    located = [t for t in document["toponyms"] if t.get("lat") is not None and t.get("lon") is not None]
    with_id = [t for t in document["toponyms"] if t.get("geonameid") not in (None, "")]
    return [len(spans),
            sum(any(s < t["end"] and t["start"] < e for t in toponyms) for s, e in spans),
            sum(any(s < t["end"] and t["start"] < e for s, e in spans) for t in located),
            len(located),
            sum((t["start"], t["end"]) in set(spans) for t in with_id),
            len(with_id)]


def counts_table(documents: list[dict], chosen: dict, toponym_types: set[str]) -> numpy.ndarray:
    """One row of counts per document (a document without predicted spans still has its gold)."""
    rows = [document_counts(d, chosen.get(i, []), toponym_types) for i, d in enumerate(documents)]
    return numpy.asarray(rows, dtype=numpy.int64).reshape(len(documents), len(COUNTS))


def scores(counts) -> dict:
    """P/R/F1 and exact-span recall from counts summed over documents (or an array of such sums, last axis
    COUNTS, for many resamples at once)."""
    counts = numpy.asarray(counts, dtype=numpy.float64)
    n_pred, tp, found, n_gold, exact, n_exact = numpy.moveaxis(counts, -1, 0)
    with numpy.errstate(divide="ignore", invalid="ignore"):
        p = numpy.where(n_pred > 0, tp / n_pred, 0.0)
        r = numpy.where(n_gold > 0, found / n_gold, 0.0)
        f1 = numpy.where(p + r > 0, 2 * p * r / (p + r), 0.0)
        exact_r = numpy.where(n_exact > 0, exact / n_exact, numpy.nan)
    if counts.ndim == 1:
        return {"P": float(p), "R": float(r), "F1": float(f1), "exact_R": float(exact_r)}
    return {"P": p, "R": r, "F1": f1, "exact_R": exact_r}


def save(path: Path, tables: dict[str, dict[str, numpy.ndarray]], thresholds: list[float],
         chosen: float) -> None:
    """tables[corpus][model]: counts of shape (thresholds, documents, COUNTS), model one of MODELS."""
    arrays = {f"{corpus}/{model}": table for corpus, by_model in tables.items() for model, table in by_model.items()}
    path.parent.mkdir(parents=True, exist_ok=True)
    numpy.savez_compressed(path, corpora=numpy.asarray(list(tables)), thresholds=numpy.asarray(thresholds),
                           chosen=numpy.float64(chosen), counts=numpy.asarray(COUNTS), **arrays)


def load(path: Path) -> dict:
    """{"corpora", "thresholds", "chosen", "tables": {corpus: {model: counts}}}, as saved."""
    data = numpy.load(path)
    if tuple(data["counts"]) != COUNTS:
        raise ValueError(f"{path}: counts {tuple(data['counts'])}, expected {COUNTS}")
    corpora = [str(c) for c in data["corpora"]]
    return {"corpora": corpora, "thresholds": [float(t) for t in data["thresholds"]],
            "chosen": float(data["chosen"]),
            "tables": {c: {m: data[f"{c}/{m}"] for m in MODELS} for c in corpora}}


def at_threshold(saved: dict, threshold: float) -> int:
    """The index of ``threshold`` on the saved grid (an error naming the grid if it is not on it)."""
    for i, t in enumerate(saved["thresholds"]):
        if abs(t - threshold) < 1e-9:
            return i
    raise ValueError(f"threshold {threshold} not on the saved grid {saved['thresholds']}")
