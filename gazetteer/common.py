"""What every source module shares: where the recipe's files are, the package-data readers, the name
filters and the Place every source produces."""
from __future__ import annotations

import csv
import importlib.resources
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

from geomap.names import name_key  # one folding rule for build and lookup

HERE = Path(__file__).resolve().parent
NODE_MODULES = HERE / "node_modules"
HOW_RANK = {"name": 0, "alias": 1, "abbreviation": 2, "demonym": 3, "short": 4}
POINT_FEATURES = {"AIRP", "AIRB", "MILB", "PRT", "MT", "VLC", "CAPE", "INSM", "DAM", "CSTL", "STLMT"}


def kind_of(feature: str) -> str:
    return "point" if feature.startswith("PPL") or feature in POINT_FEATURES else "region"


def package_file(package: str, *parts: str) -> Path:
    return Path(str(importlib.resources.files(package).joinpath(*parts)))


def npm_file(package: str, *parts: str) -> Path:
    path = NODE_MODULES.joinpath(package, *parts)
    if not path.is_file():
        raise SystemExit(f"missing {path}: run `npm ci --prefix {HERE}` first (build-time data only)")
    return path


def is_latin(text: str) -> bool:
    """English news spells places in Latin script; other scripts only grow the file."""
    return all(ord(c) < 0x250 or unicodedata.category(c)[0] in "MZPN" for c in text)


def is_code(text: str) -> bool:
    """IATA and postal codes ("SVG", "WA") among alternate names would match acronyms in news."""
    return text.isupper() and len(text.replace(".", "")) <= 4


def read_tsv(name: str) -> list[dict]:
    """One of the recipe's curated tables (aliases.tsv, features.tsv ...); lines starting with # are comments."""
    with open(HERE / name, encoding="utf-8") as f:
        return list(csv.DictReader((line for line in f if not line.startswith("#")), delimiter="\t",
                                   quoting=csv.QUOTE_NONE))


@dataclass
class Place:
    name: str
    feature: str
    lat: float
    lon: float
    source: str
    kind: Optional[str] = None   # point | region; from the feature code when not given
    geonameid: Optional[int] = None
    country_code: Optional[str] = None
    admin1: Optional[str] = None
    admin2: Optional[str] = None
    population: int = 0
    bbox: Optional[tuple[float, float, float, float]] = None
    shape: object = None
    coast: object = None   # a country's boundary facing water (build step "coasts")
    names: dict[str, str] = field(default_factory=dict)   # key -> how

    def add_names(self, names: Iterable[Optional[str]], how: str = "alias") -> None:
        for name in names:
            if not name or not is_latin(name) or (how == "alias" and is_code(name)):
                continue
            key = name_key(name)
            if key and HOW_RANK[how] < HOW_RANK.get(self.names.get(key), 4):
                self.names[key] = how

    def add_curated_names(self, names: Iterable[str]) -> None:
        """Our own tables' aliases: a short form in capitals ("EU", "DMZ") is meant, so it is kept as an
        abbreviation instead of being dropped as a code."""
        for name in names:
            self.add_names([name], "abbreviation" if is_code(name) else "alias")

    def __post_init__(self):
        self.kind = self.kind or kind_of(self.feature)
        self.add_names([self.name], "name")
