"""Compare two recognizer trials per corpus, with a paired bootstrap over documents for the noise.

    python scripts/compare_recognizers.py A.npz B.npz [--threshold 0.30 | --chosen] [--draws 2000] [--seed 0]

A.npz and B.npz come from ``train_recognizer.py --save-oof`` run on the same corpora. For each corpus and for
the 5-fold (cv5) and leave-one-corpus-out (loco) probabilities it prints the recognition F1 of A and of B, the
difference B − A, and a 95% interval for it: the documents are drawn with replacement (the same draw for A and
B, so that what a document does to both cancels), the F1 of each side recomputed from the drawn documents'
counts, and the 2.5th and 97.5th percentiles of the difference taken. An interval that holds 0 means the
corpus cannot tell the trials apart. "pooled" sums the counts of every corpus; "mean" is the mean of the
corpora's F1 (what the threshold is chosen on); both resample documents within each corpus.
With ``--chosen`` each side is read at its own chosen threshold (as the trial would ship), else both at one.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy

sys.path.insert(0, str(Path(__file__).resolve().parent))
from recognition_counts import MODELS, at_threshold, load, scores  # noqa: E402


def signed(x: float) -> str:
    """+.0059 / −.0021, as the team writes differences."""
    return ("−" if x < 0 else "+") + f"{abs(x):.4f}".lstrip("0")


def unsigned(x: float) -> str:
    return f"{x:.4f}".lstrip("0") if x < 1 else f"{x:.4f}"


def paired_sums(a: numpy.ndarray, b: numpy.ndarray, draws: int, rng: numpy.random.Generator):
    """Each draw's summed counts of A and of B over the same resample of documents (rows of a and b)."""
    if a.shape != b.shape:
        raise ValueError(f"the trials hold different documents: {a.shape} and {b.shape}")
    n = len(a)
    # how often each document is drawn, n draws with replacement: a multinomial row per resample
    weights = rng.multinomial(n, numpy.full(n, 1.0 / n), size=draws)
    return weights @ a, weights @ b


def interval(differences: numpy.ndarray) -> tuple[float, float]:
    low, high = numpy.percentile(differences, [2.5, 97.5])
    return float(low), float(high)


def compare(a: dict, b: dict, index_a: int, index_b: int, *, draws: int = 2000, seed: int = 0) -> list[dict]:
    """Rows of (corpus, model, F1 A, F1 B, B − A, interval), per corpus then pooled and mean, for two loaded
    files read at threshold indices ``index_a`` and ``index_b``."""
    corpora = [c for c in a["corpora"] if c in b["corpora"]]
    if not corpora:
        raise ValueError("the two files share no corpus")
    rng = numpy.random.default_rng(seed)
    out = []
    for model in MODELS:
        totals = {"A": 0, "B": 0, "drawn A": 0, "drawn B": 0}
        corpus_f1 = {"A": [], "B": [], "drawn A": [], "drawn B": []}
        for corpus in corpora:
            counts_a = a["tables"][corpus][model][index_a]
            counts_b = b["tables"][corpus][model][index_b]
            drawn_a, drawn_b = paired_sums(counts_a, counts_b, draws, rng)
            sides = {"A": counts_a.sum(axis=0), "B": counts_b.sum(axis=0), "drawn A": drawn_a, "drawn B": drawn_b}
            for side, summed in sides.items():
                totals[side] = totals[side] + summed
                corpus_f1[side].append(scores(summed)["F1"])
            out.append(row(corpus, model, *(corpus_f1[side][-1] for side in sides)))
        out.append(row("pooled", model, *(scores(totals[side])["F1"] for side in totals)))
        out.append(row("mean", model, *(numpy.mean(corpus_f1[side], axis=0) for side in corpus_f1)))
    return out


def row(corpus: str, model: str, f1_a, f1_b, drawn_a, drawn_b) -> dict:
    return {"corpus": corpus, "model": model, "A": float(f1_a), "B": float(f1_b),
            "difference": float(f1_b - f1_a), "interval": interval(drawn_b - drawn_a)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("a", type=Path, help="the baseline trial's --save-oof file")
    parser.add_argument("b", type=Path, help="the other trial's --save-oof file")
    how = parser.add_mutually_exclusive_group()
    how.add_argument("--threshold", type=float, default=0.30, help="one threshold for both (default 0.30)")
    how.add_argument("--chosen", action="store_true", help="each side at the threshold its own run chose")
    parser.add_argument("--draws", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    a, b = load(args.a), load(args.b)
    threshold_a, threshold_b = (a["chosen"], b["chosen"]) if args.chosen else (args.threshold, args.threshold)
    rows = compare(a, b, at_threshold(a, threshold_a), at_threshold(b, threshold_b), draws=args.draws,
                   seed=args.seed)
    print(f"A {args.a} at {threshold_a:.2f}, B {args.b} at {threshold_b:.2f}"
          f"{' (each its chosen threshold)' if args.chosen else ''}; recognition F1, "
          f"B − A with a 95% paired bootstrap interval over documents ({args.draws} draws, seed {args.seed})")
    for r in rows:
        low, high = r["interval"]
        print(f"  {r['corpus']:9s} {r['model']:5s} A {unsigned(r['A'])}  B {unsigned(r['B'])}  "
              f"B − A  {signed(r['difference'])}  [{signed(low)}, {signed(high)}]"
              f"{'' if low <= 0 <= high else '  *'}")
    print("  * the interval excludes 0")


if __name__ == "__main__":
    main()
