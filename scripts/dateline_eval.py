"""How many wire datelines of the dev corpora come out as ``dateline`` rows, and none in a happening.

    python scripts/dateline_eval.py ../shared/dev/{geovirus,lgl,trnews,gwn}.jsonl [--every] [--show]

A gold dateline is a gold toponym that opens a line (or follows a headline's full stop) and is closed,
after an optional ", Region", date and "(Agency)", by a dash ("—", "–", "--", " - ") or, in capitals, a
colon, then a sentence's start (a capital or a digit, not "Pennsylvania - as well as"): "BEIRUT (AP) —",
"CHARLESTON, W.Va. --", "Hanoi (VNA) –", "LOS ANGELES:"; the region after its town ("W.Va.") counts too. The pattern is written here from the corpora's own datelines, apart from
geomap's (``geomap.names.in_dateline``), and every match can be printed (``--show``) to check it by eye.

Each corpus is geoparsed as predict.py's ``--all`` does (demonyms and modifiers), the documents with a
gold dateline only, or every document with ``--every`` (then the ``dateline`` rows on no gold dateline
are counted too). Printed per corpus: gold datelines, those with a row (a row overlapping the span), those
whose row is a ``dateline`` row (over all and over those found), and the rows on a gold dateline that sit
in a happening (their event is not "other mentions": a dateline drawn as where something happened).
A frame without ``event_role`` (geomap before roles) is scored on the last figure alone.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import geomap  # noqa: E402

OTHER = "other mentions"
OPENS = re.compile(r"(?:^|\n)[ \t]*$|[.!?][ \t]+$")   # what comes right before a dateline's town
CLOSES = re.compile(r"(?:,[ \t]*[A-Z][\w.]*(?:[ \t][A-Z][\w.]*){0,2})?[ \t]*(?:,[ \t]*[A-Z][a-z]+\.?[ \t]*\d{1,2}[ \t]*)?"
                    r"(?:\([^()\n]{0,40}\)[ \t]*(?:[—–\x97]|--|-[ \t])?|(?P<sep>[—–\x97]|--|[ \t]-[ \t]|:[ \t]))"
                    r"[ \t]*[^\W_a-z]")


def gold_datelines(record: dict) -> list[tuple[int, int]]:
    """The spans of the record's gold toponyms that are a dateline's town or the region after it."""
    text, found = record["text"], []
    for toponym in sorted(record["toponyms"], key=lambda t: t["start"]):
        start, end = toponym["start"], toponym["end"]
        line = text.rfind("\n", 0, start) + 1
        close = CLOSES.match(text, end)
        if OPENS.search(text[line:start]) and close and (close["sep"] != ": " or text[start:end].isupper()):
            found.append((start, end))
        elif found and re.fullmatch(r",[ \t]*", text[found[-1][1]:start]):
            found.append((start, end))   # "COLUMBUS, Ohio (AP) —": the town's region
    return found


def score(path: str, every: bool, show: bool) -> dict[str, int]:
    records = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    gold = [gold_datelines(r) for r in records]
    chosen = [n for n, spans in enumerate(gold) if spans or every]
    out = {"gold": sum(map(len, gold)), "found": 0, "dateline_rows": 0, "in_a_happening": 0, "other_dateline_rows": 0}
    frames = geomap.Geoparser(on_error="collect").pipe([records[n]["text"] for n in chosen], demonyms=True,
                                                       modifiers=True)
    for n, gdf in zip(chosen, frames):
        text = records[n]["text"]
        has_role = "event_role" in gdf.columns
        for start, end in gold[n]:
            rows = gdf[(gdf["start"] < end) & (gdf["end"] > start)]
            role = rows["event_role"].iloc[0] if len(rows) and has_role else None
            out["found"] += bool(len(rows))
            out["dateline_rows"] += role == "dateline"
            out["in_a_happening"] += bool(len(rows)) and rows["event"].iloc[0] != OTHER
            if show:
                print(f"  {role or '-':9} {rows['event'].iloc[0] if len(rows) else 'no row':40.40} "
                      f"{text[max(0, start - 20):end + 25]!r}")
        if has_role:
            spans = set(gold[n])
            for row in gdf[gdf["event_role"] == "dateline"].itertuples():
                if not any(row.start < e and row.end > s for s, e in spans):
                    out["other_dateline_rows"] += 1
                    if show:
                        print(f"  dateline row on no gold dateline: {text[max(0, row.start - 30):row.end + 30]!r}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", nargs="+")
    parser.add_argument("--every", action="store_true", help="geoparse every document, not only those with a dateline")
    parser.add_argument("--show", action="store_true", help="print each gold dateline with its row's role and event")
    args = parser.parse_args()
    for path in args.corpora:
        c = score(path, args.every, args.show)
        share = lambda n, d: f"{n / d:.3f}" if d else "-"   # noqa: E731
        print(f"{Path(path).stem}: gold datelines {c['gold']}, with a row {c['found']}, dateline rows "
              f"{c['dateline_rows']} ({share(c['dateline_rows'], c['gold'])} of all, "
              f"{share(c['dateline_rows'], c['found'])} of those found); in a happening {c['in_a_happening']}"
              + (f"; dateline rows on no gold dateline {c['other_dateline_rows']}" if args.every else ""), flush=True)


if __name__ == "__main__":
    main()
