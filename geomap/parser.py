"""The Geoparser: one configured object (spaCy pipeline, gazetteer, ranker, cache) that runs the stages.

Text flows one way: input check → spaCy → mentions (recognition) → resolution → places (geometry)
→ events → roles → output rows. Each document runs inside one guarded call (``_run_stages``) that returns
its rows or a ``Failure``: a single text raises, a list collects the failures and every other
document still comes out.
"""
from __future__ import annotations

import warnings
from contextlib import contextmanager
from dataclasses import replace
from itertools import islice
from typing import Any, Iterable, Iterator, NamedTuple, Optional, Sequence, Union

from .errors import Failure, GeomapError, InputError, StageError
from .inputs import as_text

Text = Union[str, bytes]
ON_ERROR = ("raise", "collect")
DEFAULT_BATCH_SIZE = 16


class Parsed(NamedTuple):
    """One document's outcome: its (doc, Place, Event) rows, or the failure that stopped it (and,
    in the process that ran it, the exception, for ``parse`` of one text to raise as it was)."""

    doc: int
    doc_id: Any
    rows: list
    failure: Optional[Failure] = None
    error: Optional[BaseException] = None

    @classmethod
    def failed(cls, doc: int, doc_id: Any, error: BaseException) -> "Parsed":
        return cls(doc, doc_id, [], Failure.from_error(doc, doc_id, error), error)


@contextmanager
def stage(name: str):
    """Turn an unexpected exception inside a stage into a StageError naming the stage; geomap's own
    errors (bad input, a missing gazetteer) pass through as they are."""
    try:
        yield
    except GeomapError:
        raise
    except Exception as err:  # noqa: BLE001 - the one place a document's internal fault is caught
        raise StageError(name, err) from err


class Geoparser:
    """A geoparser with its parts: build one to choose them, or use ``geomap.geoparse``'s shared one.

    ``nlp``: a spaCy pipeline with NER and a parser (default: en_core_web_sm, loaded on first use);
    ``gazetteer``: a ``geomap.candidates.Gazetteer`` (default: the one that ships, or one you built);
    ``ranker``: a ``geomap.resolution.Ranker`` (default: the trained one that ships);
    ``cache``: the fuzzy-lookup cache of the default gazetteer (``geomap.cache.NullCache()`` for none);
    ``recognizer``: a ``geomap.recognition.Recognizer`` (default: the trained one that ships), or
    ``"rules"`` for the hand-written rules alone;
    ``on_error``: ``"raise"`` makes ``parse(text)`` of one text raise ``InputError`` or ``StageError``;
    ``"collect"`` returns an empty frame with the failure in ``gdf.attrs["failures"]`` instead.
    ``near``: where the texts come from, a local paper's home ("Macon, Georgia", or a (lat, lon)
    pair): the default for ``parse(near=...)``.
    In a list, failures are always collected (and warned about): one document never loses the others.
    """

    def __init__(self, *, nlp=None, gazetteer=None, ranker=None, cache=None, recognizer=None,
                 on_error: str = "raise", near=None):
        if on_error not in ON_ERROR:
            raise ValueError(f"on_error must be one of {', '.join(ON_ERROR)}, not {on_error!r}")
        if gazetteer is not None and cache is not None:
            raise ValueError("give the cache to the Gazetteer you pass: Gazetteer(path, cache=...)")
        self._nlp = nlp
        self._gazetteer = gazetteer
        self._ranker = ranker
        self._cache = cache
        self._recognizer = recognizer
        self.on_error = on_error
        self.near = near   # the default for parse(near=...): where this geoparser's texts come from

    def __repr__(self) -> str:
        return f"Geoparser(gazetteer={getattr(self._gazetteer, 'path', 'default')!s}, on_error={self.on_error!r})"

    # -- parts, made on first use ------------------------------------------------------------
    @property
    def nlp(self):
        if self._nlp is None:
            from .nlp import default_pipeline
            self._nlp = default_pipeline()
        return self._nlp

    @property
    def gazetteer(self):
        if self._gazetteer is None:
            from .candidates import Gazetteer, default_gazetteer
            self._gazetteer = default_gazetteer() if self._cache is None else Gazetteer(cache=self._cache)
        return self._gazetteer

    @property
    def ranker(self):
        if self._ranker is None:
            from .resolution import shipped_ranker
            self._ranker = shipped_ranker()
        return self._ranker

    @property
    def recognizer(self):
        if self._recognizer is None:
            from .recognition import RULES, shipped_recognizer
            self._recognizer = shipped_recognizer() or RULES
        return self._recognizer

    def __getstate__(self) -> dict:
        """What a worker process needs to make the same geoparser: a loaded default model is not
        shipped (the worker loads its own), a gazetteer travels as its path."""
        gazetteer = self._gazetteer
        return {"nlp": None if self._nlp is None or _is_default_pipeline(self._nlp) else self._nlp,
                "gazetteer_path": None if gazetteer is None else str(gazetteer.path),
                "ranker": self._ranker, "cache": self._cache, "recognizer": self._recognizer,
                "on_error": self.on_error, "near": self.near}

    def __setstate__(self, state: dict) -> None:
        gazetteer = None
        if state["gazetteer_path"] is not None:
            from .candidates import Gazetteer
            gazetteer = Gazetteer(state["gazetteer_path"])
        self.__init__(nlp=state["nlp"], gazetteer=gazetteer, ranker=state["ranker"], cache=state["cache"],
                      recognizer=state.get("recognizer"), on_error=state["on_error"], near=state.get("near"))

    # -- public calls ------------------------------------------------------------------------
    def parse(self, text_or_texts: Union[Text, Iterable[Text]], *, country_hint: Optional[str] = None,
              modifiers: bool = False, demonyms: bool = False, near=None):
        """Find, resolve and type every place in one text or a list of texts: a GeoDataFrame.

        One row per place mention; ``doc`` is the index of the text in the list (0 for one text).
        ``gdf.attrs["failures"]`` lists the documents that did not come out, as ``Failure`` records.
        ``near``: where the texts come from ("Macon, Georgia", or a (lat, lon) pair): of two towns of
        one name, the one near it or in its province; ValueError when the gazetteer has no such place.
        """
        options = {"country_hint": country_hint, "modifiers": modifiers, "demonyms": demonyms,
                   "near": self._near(near)}
        # a text, or anything that is not a list of texts (None, 42): that is one bad input
        single = isinstance(text_or_texts, (str, bytes, bytearray, memoryview)) or \
            not isinstance(text_or_texts, Iterable)
        items = [(0, 0, text_or_texts)] if single else ((i, i, t) for i, t in enumerate(text_or_texts))
        rows, failures = [], []
        for parsed in self._parse_documents(items, **options):
            if parsed.failure is not None:
                if single and self.on_error == "raise":
                    raise parsed.error
                if not single:
                    warnings.warn(f"document {parsed.doc} skipped: {parsed.failure.error}", stacklevel=2)
                failures.append(parsed.failure)
            rows.extend(parsed.rows)
        return self._frame(rows, failures)

    def pipe(self, texts: Iterable, *, as_tuples: bool = False, batch_size: int = DEFAULT_BATCH_SIZE,
             n_process: int = 1, **options) -> Iterator:
        """One GeoDataFrame per text, in order, as a stream (spaCy's ``nlp.pipe`` shape).

        With ``as_tuples``, items are ``(text, doc_id)`` pairs and each frame's ``attrs["doc_id"]``
        is the id. A document that fails gives an empty frame with its ``Failure`` in
        ``attrs["failures"]``. ``n_process > 1`` spreads the texts over that many processes.
        """
        from .runner import process_pool, run_chunks
        pairs = ((i, *(item[::-1] if as_tuples else (i, item))) for i, item in enumerate(texts))
        if n_process == 1:
            yield from self._frames(run_chunks(self, pairs, chunk_size=batch_size, **options))
            return
        with process_pool(n_process, self) as executor:
            yield from self._frames(run_chunks(self, pairs, executor, chunk_size=batch_size, window=2 * n_process,
                                               **options))

    def _frames(self, results: Iterable[Parsed]) -> Iterator:
        for parsed in results:
            gdf = self._frame(parsed.rows, [parsed.failure] if parsed.failure else [])
            gdf.attrs["doc_id"] = parsed.doc_id
            yield gdf

    def resolve(self, text: Text, spans: Sequence[tuple[int, int]], *, country_hint: Optional[str] = None,
                near=None):
        """Resolve place names the caller already found: exactly one row per ``(start, end)`` span, in order.

        A span that cannot be placed keeps its row, with no geometry and null lat/lon.
        """
        text = as_text(text)
        spans = [check_span(span, len(text)) for span in spans]
        with stage("nlp"):
            doc = self.nlp(text)
        with stage("recognition"):
            from .recognition import mentions_from_spans
            mentions = mentions_from_spans(doc, spans, self.gazetteer)
        return self._frame([(0, place, event)
                            for place, event in self._locate(doc, mentions, country_hint, self._near(near))], [])

    # -- the stages, one document at a time ----------------------------------------------------
    def _parse_documents(self, items: Iterable[tuple[int, Any, Any]], *, batch_size: int = DEFAULT_BATCH_SIZE,
                        country_hint: Optional[str] = None, modifiers: bool = False,
                        demonyms: bool = False, near=None) -> Iterator[Parsed]:
        """``(doc, doc_id, text)`` items in, one ``Parsed`` per item out, in order; never raises for
        a document's own fault (bad input, an internal error in a stage)."""
        items = iter(items)
        near = self._near(near)
        while chunk := list(islice(items, batch_size)):
            checked = [self._checked(doc, doc_id, text) for doc, doc_id, text in chunk]
            good = [c for c in checked if not isinstance(c, Parsed)]
            docs = iter(self._spacy_docs([text for _, _, text in good]))
            for entry in checked:
                if isinstance(entry, Parsed):
                    yield entry
                    continue
                doc, doc_id, _ = entry
                spacy_doc = next(docs)
                if isinstance(spacy_doc, StageError):
                    yield Parsed.failed(doc, doc_id, spacy_doc)
                    continue
                try:
                    rows = self._run_stages(doc, spacy_doc, country_hint, modifiers, demonyms, near)
                except (InputError, StageError) as err:
                    yield Parsed.failed(doc, doc_id, err)
                else:
                    yield Parsed(doc, doc_id, rows)

    @staticmethod
    def _checked(doc: int, doc_id: Any, text) -> Union[tuple, "Parsed"]:
        try:
            return doc, doc_id, as_text(text)
        except InputError as err:
            return Parsed.failed(doc, doc_id, err)

    def _spacy_docs(self, texts: list[str]) -> list:
        """spaCy Docs for the texts, in batch; if the batch fails, each text alone, so that only the
        text at fault fails (its entry is then the StageError)."""
        try:
            with stage("nlp"):
                return list(self.nlp.pipe(texts, batch_size=len(texts) or 1))
        except StageError:
            out = []
            for text in texts:
                try:
                    with stage("nlp"):
                        out.append(self.nlp(text))
                except StageError as err:
                    out.append(err)
            return out

    def _near(self, near):
        """The caller's ``near`` (else this geoparser's) as a ``geomap.resolution.Near``, or None."""
        near = self.near if near is None else near
        if near is None:
            return None
        from .resolution import where_is
        return where_is(near, self.gazetteer)

    def _run_stages(self, number: int, doc, country_hint, modifiers, demonyms, near=None) -> list:
        with stage("recognition"):
            from .recognition import find_mentions
            mentions = find_mentions(doc, self.gazetteer, modifiers=modifiers, demonyms=demonyms,
                                     recognizer=self.recognizer)
        located = self._locate(doc, mentions, country_hint, near, inner_names=True, demonyms=demonyms)
        return [(number, place, event) for place, event in located]

    def _locate(self, doc, mentions, country_hint: Optional[str], near=None, *, inner_names: bool = False,
                demonyms: bool = False):
        """Resolution, geometry and events: the stages after recognition, shared by parse and resolve
        (``inner_names``: a row too for each region named inside a compound, by its demonym too with
        ``demonyms``; ``resolve`` gives one row a span)."""
        from .geometry import build_place
        from .happenings import assign_events, with_roles
        from .recognition import said_place
        from .nearby import approximate_places
        from .resolution import resolve_mentions
        text = doc.text   # spaCy joins the tokens on every doc.text: once for the three stages
        with stage("resolution"):
            resolutions = resolve_mentions(text, mentions, self.gazetteer, country_hint=country_hint,
                                           ranker=self.ranker, near=near)
            # a name found only in the gazetteer, none of whose places fits, was no place after all
            # ("Jewish", an alias of Russia's Jewish Autonomous Oblast) unless the text says place ("in
            # Kfar Nabuda": a village the gazetteer lacks); the model's places keep their row
            found = [(m, r) for m, r in zip(mentions, resolutions)
                     if r.candidate is not None or m.label != "GAZ" or said_place(doc, m, self.gazetteer)]
            mentions, resolutions = [m for m, _ in found], [r for _, r in found]
        with stage("geometry"):
            places = [build_place(m, r, self.gazetteer, sentence_of(doc, m)) for m, r in zip(mentions, resolutions)]
            # a place the gazetteer lacks, drawn (approximately) where the text puts it: "Ma’an near Kawkab"
            places = approximate_places(text, places, self.gazetteer)
        with stage("events"):
            events, which = assign_events(doc, places)
            rows = [events[which[i]] for i in range(len(places))]
            places = with_roles(text, places, rows)   # location, actor, dateline or mention
        located = list(zip(places, rows))
        if inner_names:
            with stage("geometry"):
                located = self._with_inner_names(located, resolutions, demonyms)
        return located

    def _with_inner_names(self, located: list, resolutions: list, demonyms: bool) -> list:
        """After each compound's row, a row for each region named inside it ("Syria" in "Syria's Mediterranean
        coast"), in the compound's event and role: the name is part of where that happened."""
        from .geometry import build_place
        from .resolution import inner_names
        out = []
        for (place, event), resolution in zip(located, resolutions):
            out.append((place, event))
            out.extend((replace(build_place(mention, inner, self.gazetteer, place.sentence),
                                event_role=place.event_role), event)
                       for mention, inner in inner_names(place.mention, resolution, demonyms=demonyms))
        return out

    def _frame(self, rows: list, failures: list):
        from .export import to_geodataframe
        with stage("output"):
            gdf = to_geodataframe(rows, self.gazetteer)
        gdf.attrs["failures"] = failures
        return gdf


def _is_default_pipeline(nlp) -> bool:
    from .nlp import is_default_pipeline  # imports spaCy: only when a pipeline was loaded
    return is_default_pipeline(nlp)


def check_span(span, length: int) -> tuple[int, int]:
    try:
        start, end = (int(x) for x in span)
    except (TypeError, ValueError):
        raise InputError(f"a span must be a pair of character offsets, got {span!r}") from None
    if not 0 <= start < end <= length:
        raise InputError(f"span ({start}, {end}) is outside the text (0 to {length})")
    return start, end


def sentence_of(doc, mention) -> str:
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    return span.sent.text.strip() if span is not None and len(span) else ""
