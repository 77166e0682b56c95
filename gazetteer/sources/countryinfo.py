"""countryinfo (PyPI): alternate spellings, demonym, conventional centre point and official languages of
each country."""
from __future__ import annotations

import json
from typing import Optional

from ..common import package_file


def country_info() -> dict[str, dict]:
    """countryinfo's per-country JSON files, by ISO alpha-2 code."""
    folder = package_file("countryinfo", "data")
    out = {}
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        code = (data.get("ISO") or {}).get("alpha2")
        if code:
            out[code] = data
    return out


def demonyms(demonym: Optional[str]) -> list[str]:
    """'Syrian' -> Syrian, Syrians; 'Turkish' stays alone (its people are 'Turks')."""
    if not demonym:
        return []
    forms = [demonym]
    if demonym.endswith(("an", "i")):
        forms.append(demonym + "s")
    return forms
