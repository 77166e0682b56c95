"""What each place is to its happening (``Place.event_role``): where it happened, who acted, where the
story was filed, or only mentioned.

- ``dateline``: the town (and region) a wire story was filed from ("BEIRUT (AP) —", "CAIRO, Egypt —"):
  never where a happening happened, so it is kept out of the linking (``is_dateline``);
- ``actor``: a place in a happening that acts or speaks for its government, people or team (its mention
  is a ``metonym``: "Turkey has shelled", "Moscow warned"), or a demonym ("Russian jets infiltrated");
- ``location``: any other place in a happening;
- ``mention``: a place in no happening ("other mentions").
"""
from __future__ import annotations

from dataclasses import replace

from ..models import Event, Place
from ..names import in_dateline

LOCATION, ACTOR, DATELINE, MENTION = "location", "actor", "dateline", "mention"
ROLES = (LOCATION, ACTOR, DATELINE, MENTION)


def is_dateline(text: str, place: Place) -> bool:
    m = place.mention
    return m.compound is None and m.role != "demonym" and in_dateline(text, m.start, m.end)


def role_of(text: str, place: Place, event: Event) -> str:
    if is_dateline(text, place):
        return DATELINE
    if event.trigger_start is None:   # "other mentions": no happening
        return MENTION
    return ACTOR if place.mention.metonym or place.mention.role == "demonym" else LOCATION


def with_roles(text: str, places: list[Place], events: list[Event]) -> list[Place]:
    """Each place with its role in its event (``events[k]`` is place k's)."""
    return [replace(place, event_role=role_of(text, place, event)) for place, event in zip(places, events)]
