"""Events: which happening each place belongs to, and a label a reader can use in a legend.

Three steps, each over indexes built once per document (``index.DocIndex``), so the work grows with the
document's length:

1. **Link** (``link``) each place to a trigger of its sentence (a verb or an event noun) with the learned
   linker (``linker``). A place whose best link is weak, or that sits in a clause that tells no happening
   (``mood``: stative, hypothetical, negated, habitual, first person: "Turkey is a strong ally", "if Russia
   loses a friend", "we sold 22,000"), goes to "other mentions" — unless it names a participant of a
   happening ("Leaders from Germany met").
2. **Merge** (``merge``) the triggers into happenings (union-find), by rules that each say why two words
   are one happening: a control verb and its complement ("offered to help Turkey defend"); a light verb
   and its event noun ("made the offer", "issuing a warning"); a nested predicate ("killed in fighting");
   a speech verb and the happening it reports ("Russia claimed the violations were an error"); one
   speaker's speech acts; a verb and its nominalisation or synonym when participants and time agree
   ("infiltrated the air space" / "violations of the airspace"), always for a definite noun that refers
   back ("the violations"); and the next happening of a paragraph that continues the last one in the same
   country with neither dated. A happening made of saying or forecasting alone, reporting none, is
   dropped and its places join "other mentions".
3. **Describe** (``describe``) each happening: who did what, where, when, 3–12 words of the text cut from
   the parse by whole constituents (``wording``); number them.

Then each place's role in its happening (``roles``): location, actor, dateline or mention. A dateline's
place is kept out of step 1: where the story was filed is not where anything in it happened.

The package is ``happenings``, not ``events``: ``geomap.events`` is the public frame summary
(``geomap.export.events``), and a subpackage of that name would replace it on ``geomap`` once imported.
"""
from __future__ import annotations

from spacy.tokens import Doc

from ..models import Event, Place
from .describe import MAX_LABEL_WORDS, OTHER, numbered_events, with_row_triggers
from .index import DocIndex
from .link import link_places
from .merge import happened, merge_triggers
from .roles import ROLES, is_dateline, with_roles

__all__ = ["assign_events", "with_roles", "ROLES", "OTHER", "MAX_LABEL_WORDS"]


def assign_events(doc: Doc, places: list[Place]) -> tuple[list[Event], list[int]]:
    """Events and the index in that list of each place's event.

    The list holds one Event per happening, numbered in reading order with "other mentions" last;
    after them come copies of an Event that differ only in the trigger, one for each other word that
    links a place to that happening, so that each place's row names its own trigger.
    """
    index = DocIndex(doc, places)
    # where the story was filed is no happening's place ("BEIRUT (AP) — Turkey has shelled ...")
    linked = [None if is_dateline(index.text, p) else t for p, t in zip(places, link_places(index, places))]
    happenings, linked = happened(index, merge_triggers(index, linked), linked)
    happenings = sorted(happenings, key=lambda h: min(h.places))
    events, which = numbered_events(index, happenings, places, linked)
    return with_row_triggers(events, which, linked)
