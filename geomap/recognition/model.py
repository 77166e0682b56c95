"""The learned recognizer: a gradient-boosted tree ensemble over ``features.FEATURE_NAMES``, evaluated with
numpy alone (trained by scripts/train_recognizer.py with scikit-learn, exported to
geomap/data/recognizer.json), and the threshold its training chose."""
from __future__ import annotations

import importlib.resources
import json
from functools import lru_cache
from pathlib import Path
from typing import Optional

import numpy

from .features import FEATURE_NAMES

DATA_FILE = "recognizer.json"


class Recognizer:
    """``probabilities(X)``: for each row of features, the probability that the span names a place.

    The trees are stored flat: node ``i`` splits on column ``feature[i]`` at ``threshold[i]`` (a value at
    or below goes ``left[i]``, above ``right[i]``); a leaf adds ``value[i]`` to the log-odds. At run time
    the two children of node ``i`` sit side by side (``children[2 * i]`` left, ``children[2 * i + 1]``
    right), so that a step is a few flat ``take``s rather than fancy indexing and a ``where``."""

    def __init__(self, trees: dict, *, threshold: float = 0.5, features: tuple[str, ...] = FEATURE_NAMES,
                 about: Optional[dict] = None, calibration: Optional[dict] = None):
        if tuple(features) != FEATURE_NAMES:
            raise ValueError("the recognizer was trained on other features: retrain it "
                             "(python scripts/train_recognizer.py)")
        self.threshold = float(threshold)
        self.about = about or {}
        # isotonic curve fitted on out-of-fold probabilities: probability -> share that are places
        self.calibration = calibration
        self.baseline = float(trees["baseline"])
        self.roots = numpy.asarray(trees["roots"], dtype=numpy.int64)
        self.feature = numpy.asarray(trees["feature"], dtype=numpy.int64)
        self.split = numpy.asarray(trees["threshold"], dtype=numpy.float64)
        left = numpy.asarray(trees["left"], dtype=numpy.int64)
        right = numpy.asarray(trees["right"], dtype=numpy.int64)
        self.value = numpy.asarray(trees["value"], dtype=numpy.float64)
        leaf = numpy.flatnonzero(numpy.asarray(trees["leaf"], dtype=bool))
        # a leaf leads to itself: every row takes ``depth`` steps, with no test for having arrived
        left[leaf] = right[leaf] = leaf
        self.children = numpy.stack([left, right], axis=1).ravel()
        self.depth = int(trees["depth"])
        self._trees = trees

    def probabilities(self, X: numpy.ndarray) -> numpy.ndarray:
        if len(X) == 0:
            return numpy.zeros(0)
        X = numpy.asarray(X, dtype=numpy.float64)
        values = X.ravel()
        row_starts = (numpy.arange(len(X)) * X.shape[1])[:, None]   # where each row starts in ``values``
        node = numpy.broadcast_to(self.roots, (len(X), len(self.roots))).copy()
        for _ in range(self.depth):
            # right where the value is not at or below the threshold (NaN goes right, as with ``where``)
            right = ~(values.take(row_starts + self.feature.take(node)) <= self.split.take(node))
            node = self.children.take(node * 2 + right)
        raw = self.baseline + self.value[node].sum(axis=1)
        return 1.0 / (1.0 + numpy.exp(-raw))

    def confidence(self, probabilities: numpy.ndarray) -> numpy.ndarray:
        """The calibrated probability that each span names a place (the raw one without a curve)."""
        if not self.calibration:
            return numpy.asarray(probabilities, dtype=numpy.float64)
        return numpy.interp(probabilities, self.calibration["probability"], self.calibration["share"])

    def to_dict(self) -> dict:
        return {"features": list(FEATURE_NAMES), "threshold": self.threshold, "calibration": self.calibration,
                "about": self.about, "trees": self._trees}

    @classmethod
    def from_dict(cls, data: dict) -> "Recognizer":
        return cls(data["trees"], threshold=data["threshold"], features=tuple(data["features"]),
                   about=data.get("about"), calibration=data.get("calibration"))

    def save(self, path) -> None:
        Path(path).write_text(json.dumps(self.to_dict(), separators=(",", ":")), encoding="utf-8")

    @classmethod
    def load(cls, path) -> "Recognizer":
        return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def shipped_recognizer() -> Optional[Recognizer]:
    """The trained recognizer that ships (geomap/data/recognizer.json); None where it is missing, and
    recognition falls back to the rules alone."""
    path = Path(str(importlib.resources.files("geomap").joinpath("data").joinpath(DATA_FILE)))
    return Recognizer.load(path) if path.is_file() else None
