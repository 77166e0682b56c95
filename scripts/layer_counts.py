"""How many layers the map draws per article: happenings with a place on the map, plus "other mentions".

    python scripts/layer_counts.py CORPUS.jsonl [CORPUS.jsonl ...]

Each line of a corpus is a JSON object with a "text" (the dev corpora's format). A layer is what
``geomap.render_map`` draws: an event with at least one placed row (``drop_repeated_demonyms`` aside).
Issue 14 asks for 3-8 happening layers on a typical news article; short articles that name one or two
places cannot reach three, so the figures are also given for articles with six or more placed rows. Issue
25 asks for a median of at most 4 and a 90th percentile of at most 8.
"""
from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import geomap  # noqa: E402
from geomap.models import OTHER  # noqa: E402


def layer_counts(texts: list[str]) -> list[tuple[int, int, bool]]:
    """(happening layers, placed rows, has an "other mentions" layer) per text."""
    gdf = geomap.geoparse(texts)
    placed = gdf[gdf.geometry.notna() & ~gdf.geometry.is_empty]
    out = []
    for number in range(len(texts)):
        rows = placed[placed["doc"] == number]
        happenings = rows.loc[rows["event"] != OTHER, "event_id"].nunique()
        out.append((int(happenings), len(rows), bool((rows["event"] == OTHER).any())))
    return out


def summary(name: str, counts: list[tuple[int, int, bool]]) -> str:
    layers = [n for n, _, _ in counts]
    rich = [n for n, rows, _ in counts if rows >= 6]
    def share(values):
        return sum(3 <= n <= 8 for n in values) / max(len(values), 1)
    p90 = statistics.quantiles(layers, n=10, method="inclusive")[8] if len(layers) > 1 else (layers or [0])[0]
    return (f"{name}: {len(counts)} articles, happening layers median {statistics.median(layers) if layers else 0}, "
            f"90th percentile {p90:g}, "
            f"3-8 for {share(layers):.0%}, over 8 for {sum(n > 8 for n in layers) / max(len(layers), 1):.0%}; "
            f"articles with 6+ placed rows: {len(rich)}, median {statistics.median(rich) if rich else 0}, "
            f"3-8 for {share(rich):.0%}; an 'other mentions' layer in {sum(o for _, _, o in counts)}")


def main(paths: list[str]) -> None:
    for path in paths:
        texts = [json.loads(line)["text"] for line in open(path, encoding="utf-8") if line.strip()]
        print(summary(Path(path).stem, layer_counts(texts)), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
