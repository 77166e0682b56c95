"""A plain check of happening labels, the words a map legend shows for each happening.

    PYTHONPATH=. python scripts/label_check.py CORPUS.jsonl [CORPUS.jsonl ...] [--sample N --seed S]

Each line of a corpus is a JSON object with a "text" (the dev corpora's format); each text is geoparsed
with ``geomap.geoparse``'s defaults and every happening's label (not "other mentions") is checked. A label
fails when it starts with a pronoun or a date word, holds a quotation mark, has under 3 words or over 12,
or ends on a function word (a determiner, preposition, conjunction, auxiliary or "to"); a label's parts
are the phrase and the place and date after it, and each part is checked for its last word ("sell cattle
to, Missouri" is cut mid-way too). It prints, per corpus, the number of labels and the share failing for
each reason, and with ``--sample`` that many random labels drawn from all the corpora together (``--seed``
makes the draw repeatable).

geomap is imported as Python finds it (set PYTHONPATH to the checkout to check), so one copy of the
script can check two versions of geomap.
"""
from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path

MIN_WORDS, MAX_WORDS = 3, 12
PRONOUNS = {"i", "me", "my", "mine", "we", "us", "our", "ours", "you", "your", "yours", "he", "him", "his",
            "she", "her", "hers", "it", "its", "they", "them", "their", "theirs", "myself", "ourselves",
            "yourself", "himself", "herself", "itself", "themselves", "who", "whom", "whose", "which"}
DATE_WORDS = {"january", "february", "march", "april", "may", "june", "july", "august", "september",
              "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
              "oct", "nov", "dec", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
              "today", "yesterday", "tomorrow", "tonight"}
# closed classes only: a particle that ends a phrasal verb ("broke out", "shut down") is no function word
DETERMINERS = {"a", "an", "the", "this", "that", "these", "those", "some", "any", "each", "every", "no",
               "either", "neither", "another", "such", "my", "your", "its", "our", "their"}
PREPOSITIONS = {"of", "in", "at", "on", "by", "for", "with", "from", "into", "onto", "to", "about", "against",
                "among", "amid", "between", "during", "near", "toward", "towards", "under", "upon", "via",
                "within", "without", "across", "after", "before", "behind", "beside", "beyond", "despite",
                "inside", "outside", "per", "since", "than", "through", "throughout", "till", "until", "like"}
CONJUNCTIONS = {"and", "or", "but", "nor", "yet", "so", "because", "although", "though", "if", "unless",
                "while", "whereas", "whether", "as", "that", "when", "where"}
# "do" ends a phrase as a main verb ("asked what the company would do")
AUXILIARIES = {"be", "is", "are", "was", "were", "been", "being", "am", "has", "have", "had", "having", "will",
               "would", "shall", "should", "can", "could", "may", "might", "must"}
FUNCTION_WORDS = DETERMINERS | PREPOSITIONS | CONJUNCTIONS | AUXILIARIES
QUOTE = re.compile(r"[\"“”„«»‘‚]|(?:^|\s)['’]|['’](?=\s|$)(?<!s')(?<!s’)")
REASONS = ("pronoun start", "date start", "quotation mark", "under 3 words", "over 12 words",
           "ends on a function word")


def bare(word: str) -> str:
    """The word lowercased without its punctuation; an acronym ("US", "IT") and the month "May" stay as
    they are, so that they are no pronoun or auxiliary."""
    word = word.strip(".,;:!?()[]\"'“”‘’")
    return word if len(word) > 1 and word.isupper() or word == "May" else word.lower()


def failures(label: str) -> list[str]:
    """The reasons a label fails the check, in REASONS' order; [] when it passes."""
    words = label.split()
    out = []
    if not words:
        return ["under 3 words"]
    first = bare(words[0])
    if first in PRONOUNS:
        out.append("pronoun start")
    if first.lower() in DATE_WORDS:
        out.append("date start")
    if QUOTE.search(label):
        out.append("quotation mark")
    if len(words) < MIN_WORDS:
        out.append("under 3 words")
    if len(words) > MAX_WORDS:
        out.append("over 12 words")
    parts = [p.split() for p in label.split(", ")]
    if any(p and bare(p[-1]) in FUNCTION_WORDS for p in parts):
        out.append("ends on a function word")
    return out


def labels_of(texts: list[str]) -> list[tuple[int, str]]:
    """(document number, label) for each happening of the geoparsed texts, "other mentions" left out."""
    import geomap
    from geomap.happenings import OTHER
    gdf = geomap.geoparse(texts)
    out = []
    for (doc, _), group in gdf.groupby(["doc", "event_id"], sort=True):
        label = group["event"].iloc[0]
        if label != OTHER:
            out.append((int(doc), label))
    return out


def report(name: str, labels: list[str]) -> str:
    counts = {reason: 0 for reason in REASONS}
    failed = 0
    for label in labels:
        reasons = failures(label)
        failed += bool(reasons)
        for reason in reasons:
            counts[reason] += 1
    n = max(len(labels), 1)
    by_reason = ", ".join(f"{reason} {counts[reason] / n:.1%}" for reason in REASONS)
    return f"{name}: {len(labels)} labels, {failed / n:.1%} fail ({by_reason})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpora", nargs="+")
    parser.add_argument("--sample", type=int, default=0, help="print this many random labels of all corpora")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    pooled = []
    for path in args.corpora:
        texts = [json.loads(line)["text"] for line in open(path, encoding="utf-8") if line.strip()]
        labels = [label for _, label in labels_of(texts)]
        print(report(Path(path).stem, labels), flush=True)
        pooled += [(Path(path).stem, label) for label in labels]
    if args.sample:
        for corpus, label in random.Random(args.seed).sample(pooled, min(args.sample, len(pooled))):
            print(f"  {'FAIL' if failures(label) else 'ok  '} {corpus}: {label}")


if __name__ == "__main__":
    main()
