"""Per-document recognition counts (train_recognizer.py --save-oof) and the paired bootstrap comparing two trials
(scripts/compare_recognizers.py)."""
import sys
from pathlib import Path

import numpy
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import compare_recognizers  # noqa: E402
import recognition_counts  # noqa: E402
import train_recognizer as train  # noqa: E402


def toponym(start, end, geonameid=1):
    return {"start": start, "end": end, "kind": "literal", "lat": 1.0, "lon": 2.0, "geonameid": geonameid}


# three documents; the third has gold but no proposal, which must still count as missed
DOCUMENTS = [{"toponyms": [toponym(0, 5), toponym(10, 15)]},
             {"toponyms": [toponym(0, 4, geonameid=None)]},
             {"toponyms": [toponym(3, 9)]}]
BLOCK = {"corpus": "lgl", "doc": numpy.array([0, 0, 0, 1, 1]), "start": numpy.array([0, 10, 20, 0, 0]),
         "end": numpy.array([5, 15, 25, 4, 2]), "role": numpy.array([0, 0, 0, 0, -1])}
CV = numpy.array([0.9, 0.35, 0.5, 0.2, 0.0])      # the compound (role -1) is always predicted
LOCO = numpy.array([0.6, 0.27, 0.27, 0.8, 0.0])


def test_saved_counts_give_the_printed_figures_at_every_threshold(tmp_path):
    block = BLOCK | {"cv": CV, "loco": LOCO}
    path = tmp_path / "trial.npz"
    recognition_counts.save(path, train.oof_tables({"lgl": DOCUMENTS}, [block]), train.THRESHOLDS, 0.3)
    saved = recognition_counts.load(path)
    assert saved["chosen"] == 0.3 and saved["corpora"] == ["lgl"]
    for model, probability in (("cv5", CV), ("loco", LOCO)):
        for i, threshold in enumerate(train.THRESHOLDS):
            printed = train.recognition_scores(DOCUMENTS, train.select(block, probability, threshold))
            recomputed = recognition_counts.scores(saved["tables"]["lgl"][model][i].sum(axis=0))
            assert recomputed == pytest.approx(printed, nan_ok=True, rel=0, abs=0)


def test_counts_by_hand_at_030():
    # cv5 at 0.30: (0,5), (10,15), (20,25) in document 0; the compound (0,2) in document 1; nothing in 2
    chosen = train.select(BLOCK, CV, 0.30)
    table = train.counts_of(DOCUMENTS, chosen)
    # n_pred, tp, found, n_gold, exact, n_exact
    assert table.tolist() == [[3, 2, 2, 2, 2, 2], [1, 1, 1, 1, 0, 0], [0, 0, 0, 1, 0, 1]]
    figures = recognition_counts.scores(table.sum(axis=0))
    assert figures["P"] == 3 / 4 and figures["R"] == 3 / 4 and figures["exact_R"] == 2 / 3


def test_threshold_off_the_grid_is_an_error():
    with pytest.raises(ValueError, match="not on the saved grid"):
        recognition_counts.at_threshold({"thresholds": [0.25, 0.3]}, 0.33)


def synthetic_trial(n_documents: int, found_share: float, seed: int) -> dict:
    """A trial over one corpus of documents with 10 gold toponyms and 10 predicted spans each, of which
    about ``found_share`` of 9 are right (room for one more)."""
    rng = numpy.random.default_rng(seed)
    right = rng.binomial(9, found_share, size=n_documents)
    counts = numpy.stack([numpy.full(n_documents, 10), right, right, numpy.full(n_documents, 10), right,
                          numpy.full(n_documents, 10)], axis=1)
    table = numpy.stack([counts, counts])    # two thresholds, the same
    return {"corpora": ["c"], "thresholds": [0.25, 0.3], "chosen": 0.3,
            "tables": {"c": {"cv5": table, "loco": table}}}


def test_identical_trials_have_an_interval_holding_zero():
    trial = synthetic_trial(80, 0.8, seed=1)
    for row in compare_recognizers.compare(trial, trial, 1, 1):
        assert row["difference"] == 0
        # paired: every draw takes the same documents for both sides, so no draw differs at all
        assert row["interval"] == (0.0, 0.0)


def test_a_clear_difference_has_an_interval_excluding_zero():
    a = synthetic_trial(80, 0.7, seed=1)
    b = synthetic_trial(80, 0.7, seed=1)
    b["tables"]["c"]["cv5"] = b["tables"]["c"]["cv5"].copy()
    b["tables"]["c"]["cv5"][:, :, [1, 2, 4]] += 1       # one more span right in every document
    rows = {(r["corpus"], r["model"]): r for r in compare_recognizers.compare(a, b, 1, 1)}
    low, high = rows["c", "cv5"]["interval"]
    assert 0 < low <= rows["c", "cv5"]["difference"] <= high
    assert rows["pooled", "cv5"]["interval"] == (low, high)
    assert rows["c", "loco"]["interval"] == (0.0, 0.0)


def test_noise_alone_gives_an_interval_holding_zero():
    # the same process drawn twice: paired by document, but each document's result differs
    a, b = synthetic_trial(80, 0.8, seed=1), synthetic_trial(80, 0.8, seed=2)
    row = compare_recognizers.compare(a, b, 1, 1)[0]
    assert row["interval"][0] <= 0 <= row["interval"][1]


def test_different_documents_are_refused():
    with pytest.raises(ValueError, match="different documents"):
        compare_recognizers.compare(synthetic_trial(80, 0.8, 1), synthetic_trial(81, 0.8, 1), 1, 1)


def test_command_prints_a_line_per_corpus_at_each_chosen_threshold(tmp_path, capsys):
    block = BLOCK | {"cv": CV, "loco": LOCO}
    for name, chosen in (("a", 0.3), ("b", 0.5)):
        recognition_counts.save(tmp_path / f"{name}.npz", train.oof_tables({"lgl": DOCUMENTS}, [block]),
                                train.THRESHOLDS, chosen)
    compare_recognizers.main([str(tmp_path / "a.npz"), str(tmp_path / "b.npz"), "--chosen", "--draws", "50"])
    out = capsys.readouterr().out
    assert "at 0.30" in out and "at 0.50" in out
    # at 0.50 cv5 drops (10,15) from document 0: P 3/4 -> 2/3, R 3/4 -> 2/4, F1 .7500 -> .5714
    assert "lgl       cv5   A .7500  B .5714  B − A  −.1786  [" in out


@pytest.mark.parametrize("value, text", [(0.0059, "+.0059"), (-0.0021, "−.0021"), (0.0, "+.0000")])
def test_differences_are_written_as_the_team_writes_them(value, text):
    assert compare_recognizers.signed(value) == text


def test_off_gold_rows_are_counted_by_role():
    documents = [{"id": "a", "toponyms": [{"start": 0, "end": 5, "kind": "Literal"}]}]
    rows = [{"start": 0, "end": 5, "lat": 1.0, "role": "literal"},      # on gold
            {"start": 10, "end": 15, "lat": 1.0, "role": "literal"},    # off gold
            {"start": 20, "end": 26, "lat": 1.0, "role": "modifier"},   # off gold: not annotated
            {"start": 30, "end": 35, "lat": None, "role": "literal"}]   # not placed: not counted
    by_role = train.off_gold_by_role(documents, {"a": {"places": rows}})
    assert by_role == {"literal": (pytest.approx(1 / 3), 2), "modifier": (pytest.approx(1 / 3), 1)}   # of 3 placed
    total = train.off_gold(documents, {"a": {"places": rows}})
    assert sum(share for share, _ in by_role.values()) == pytest.approx(total)
