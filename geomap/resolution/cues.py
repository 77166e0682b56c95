"""Cues: what the text right around one mention says about it ("Aleppo province", "Jackson County",
"WASHINGTON (AP) -", "Stavanger, Norway")."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from ..models import TRUSTED
from ..names import dateline_at

_PAIR_GAP = re.compile(r"^\s*,\s*$")
# the text calls the name a county: "Douglas County", "Jackson Co.", "Orleans Parish" (in the span or
# right after it), or a list "Clay, Becker and Wilkin counties" that it is part of
_COUNTY_WORD = r"(?:county|co\.|parish|borough|counties|parishes|boroughs)"
_COUNTY_IN = re.compile(rf"\s{_COUNTY_WORD}$", re.I)
_COUNTY_AFTER = re.compile(rf"^\s+{_COUNTY_WORD}(?!\w)", re.I)
_LIST_NAME = r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,2}"


def _list_after(plurals: str, flags: int = 0) -> re.Pattern:
    """After a name that starts or goes on with a list whose last name has one of ``plurals`` after it."""
    return re.compile(rf"^(?:\s*,\s*{_LIST_NAME})*\s*,?\s+(?:and|or|&)\s+{_LIST_NAME}\s+{plurals}\b", flags)


_COUNTY_LIST_AFTER = _list_after("(?:counties|parishes|boroughs)", re.I)
_COUNTY_LIST_BEFORE = re.compile(rf"(?:^|[^\w])(?:counties|parishes|boroughs)\s+(?:of\s+)?(?:{_LIST_NAME}\s*,\s*)*$", re.I)


# newspapers are named after their city: "The Washington Post", "the Los Angeles Times"
_NEWSPAPER_AFTER = re.compile(
    r"^\s+(?:Post|Times|Herald|Tribune|Gazette|Chronicle|Examiner|Globe|Courier|Inquirer|Star-Ledger|"
    r"Sun-Times|Post-Gazette|Free Press|Daily News|Dispatch|Plain Dealer|Star-Tribune|Star Tribune)\b")
# the text calls the name a province: "Aleppo province", "Kasserine governorate", "the state of Washington"
_PROVINCE_WORD = r"(?:province|governorate|oblast|prefecture|state)"
# (or its plural after a list's last name: "Idlib and Hama provinces")
_PROVINCE_AFTER = re.compile(rf"^\s+{_PROVINCE_WORD}s?\b")   # lower case: "Ohio State" is a university
_PROVINCE_LIST_AFTER = _list_after(rf"{_PROVINCE_WORD}s")   # "Idlib" in "Idlib and Hama provinces"
_PROVINCE_BEFORE = re.compile(rf"\b{_PROVINCE_WORD}\s+of\s+$", re.I)
_PROVINCE_NAMED = re.compile(rf"^(.+?)\s+{_PROVINCE_WORD}$")   # a span with its word: "Kermanshah province"


def named_province(span: str) -> Optional[str]:
    """The name in a span that holds its province word ("Kermanshah" in "Kermanshah province"), else None."""
    match = _PROVINCE_NAMED.match(span)
    return match.group(1) if match else None


@dataclass(frozen=True, slots=True)
class Cue:
    """What the text right around one mention says about it."""
    pair: Optional[str] = None   # "Stavanger, Norway": the country after the comma
    county: bool = False         # the text calls it a county
    provinces: frozenset = frozenset()   # "Nashville, Tennessee": the (country, admin1) after the comma
    town: bool = False           # the text says it is a town: a dateline, a newspaper's name
    province: bool = False       # the text calls it a province


def called_province(text: str, start: int, end: int) -> bool:
    """'Aleppo province', 'Kasserine governorate', 'the province of Idlib', 'Idlib and Hama provinces'."""
    return bool(_PROVINCE_AFTER.match(text[end:end + 20]) or _PROVINCE_BEFORE.search(text[max(0, start - 30):start])
                or _PROVINCE_LIST_AFTER.match(text[end:end + 120]))


def called_town(text: str, start: int, end: int) -> bool:
    """'WASHINGTON (AP) -' at the start of a line, or 'The Washington Post': a town, not a state."""
    if _NEWSPAPER_AFTER.match(text[end:end + 40]):
        return True
    return sum(ch.isalpha() for ch in text[start:end]) >= 4 and dateline_at(text, start, end)


def called_county(text: str, start: int, end: int) -> bool:
    """'Douglas County', 'Jackson Co.', 'Orleans Parish', 'Clay, Becker and Wilkin counties'."""
    if _COUNTY_IN.search(text[start:end]):
        return True
    after = text[end:end + 120]
    if _COUNTY_AFTER.match(after):
        return True
    # the list pattern starts at the mention: "Clay" in "Clay, Becker and Wilkin counties" ...
    if _COUNTY_LIST_AFTER.match(after):
        return True
    # ... and "Wilkin" in it: the names before it are part of the same list
    return bool(re.match(r"^\s+(?:counties|parishes|boroughs)\b", after, re.I)) or \
        bool(_COUNTY_LIST_BEFORE.search(text[max(0, start - 120):start]))


def pair_country(text: str, mentions, candidates, i: int) -> Optional[str]:
    """In "Stavanger, Norway" the second name fixes the country of the first."""
    if i + 1 >= len(mentions):
        return None
    nxt = mentions[i + 1]
    if not _PAIR_GAP.match(text[mentions[i].end:nxt.start]):
        return None
    countries = [c.country_code for c in candidates[i + 1] if c.is_country]
    return countries[0] if countries else None


def pair_provinces(text: str, mentions, candidates, i: int) -> frozenset:
    """In "Nashville, Tennessee" or "Alexandria, Minn." the second name fixes the province of the first."""
    if i + 1 >= len(mentions) or not _PAIR_GAP.match(text[mentions[i].end:mentions[i + 1].start]):
        return frozenset()
    if any(c.kind == "region" and c.matched in TRUSTED and (c.feature == "ADM1" or c.is_country)
           for c in candidates[i]):
        return frozenset()   # "Ohio, Oklahoma, Oregon": a list of provinces, not a town and its province
    return frozenset((c.country_code, c.admin1) for c in candidates[i + 1] if c.feature == "ADM1" and c.admin1)
