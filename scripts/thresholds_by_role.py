"""What a threshold per role would trade: recognition F1, exact-span recall and the share of chosen spans that
overlap no annotated place (1 - P, the issue's "off gold" before unplaced rows are set aside), out of fold.

The shipped recognizer keeps a proposal of any role (literal, modifier, demonym) where its probability reaches one
threshold. This script refits the fold models exactly as train_recognizer.py does (5 folds by document, and
leave-one-corpus-out) and scores a grid of thresholds set per role, so that the question "would modifiers or
demonyms held to a higher bar cut the off-gold rows?" is answered by measurement:

    python scripts/thresholds_by_role.py ../shared/dev/{geovirus,lgl,trnews,gwn}.jsonl --cache DIR \
        --events ../shared/dev/events_train.jsonl
"""
from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

import numpy

sys.path.insert(0, str(Path(__file__).resolve().parent))
import recognition_counts  # noqa: E402
import train_recognizer as trainer  # noqa: E402
from geomap.candidates import default_gazetteer  # noqa: E402
from geomap.nlp import load_pipeline  # noqa: E402

LITERAL = (0.25, 0.30, 0.35, 0.40)
OTHERS = (0.25, 0.40, 0.55)   # modifiers and demonyms


def out_of_fold(blocks: list[dict], events: dict | None, folds: int) -> None:
    """Each block's ``cv`` (5-fold) and ``loco`` probabilities, from models fitted as train_recognizer fits them."""
    def rows(selected):
        selected = selected + ([(events, events["train"])] if events else [])
        return (numpy.vstack([b["X"][m] for b, m in selected]), numpy.concatenate([b["y"][m] for b, m in selected]))

    for b in blocks:
        b["cv"], b["loco"] = numpy.zeros(len(b["y"])), numpy.zeros(len(b["y"]))
    for k in range(folds):
        model = trainer.fit(*rows([(b, b["train"] & (b["fold"] != k)) for b in blocks]))
        for b in blocks:
            held = (b["fold"] == k) & (b["role"] >= 0)
            if held.any():
                b["cv"][held] = model.predict_proba(b["X"][held])[:, 1]
    for b in blocks:
        model = trainer.fit(*rows([(o, o["train"]) for o in blocks if o is not b]))
        held = b["role"] >= 0
        b["loco"][held] = model.predict_proba(b["X"][held])[:, 1]


def chosen_at(block: dict, probability: numpy.ndarray, thresholds: tuple[float, float, float]) -> dict:
    """The spans chosen with a threshold per role (ROLES' order): a proposal below its role's threshold counts
    as 0, then train_recognizer's own selection (compounds, then most probable first, none overlapping)."""
    bar = numpy.asarray([thresholds[r] if r >= 0 else 0.0 for r in block["role"]])
    return trainer.select(block, numpy.where(probability >= bar, probability, 0.0), 1e-12)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpora", nargs="+", type=Path)
    parser.add_argument("--cache", type=Path, help="folder for the features of each corpus (as train_recognizer's)")
    parser.add_argument("--events", type=Path, help="event sentences, as in train_recognizer.py")
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    corpora = {path.stem: trainer.load_corpus(path) for path in args.corpora}
    nlp, gazetteer = load_pipeline(), default_gazetteer()
    blocks = trainer.extract(corpora, nlp, gazetteer, args.cache)
    for block in blocks:
        block["fold"] = trainer.folds_of(block, args.folds)
        block["train"] = trainer.usable(block) & (block["role"] >= 0)
    events = trainer.events_block(args.events, nlp, gazetteer, args.cache) if args.events else None
    out_of_fold(blocks, events, args.folds)
    print("thresholds (literal, modifier, demonym): per corpus F1 / exact-span recall / off gold (1 - P)")
    for model in ("cv", "loco"):
        print(f"{'5-fold' if model == 'cv' else 'leave one corpus out'}")
        for literal, other_modifier, other_demonym in itertools.product(LITERAL, OTHERS, OTHERS):
            thresholds = (literal, other_modifier, other_demonym)
            cells = []
            for b in blocks:
                counts = trainer.counts_of(corpora[b["corpus"]], chosen_at(b, b[model], thresholds)).sum(axis=0)
                f = recognition_counts.scores(counts)
                cells.append(f"{b['corpus']} {f['F1']:.4f}/{f['exact_R']:.4f}/{1 - f['P']:.3f}")
            print(f"  {literal:.2f} {other_modifier:.2f} {other_demonym:.2f}  " + "  ".join(cells), flush=True)


if __name__ == "__main__":
    main()
