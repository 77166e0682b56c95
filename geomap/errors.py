"""geomap's exceptions and failure records: one root, each subclass also the builtin a caller would expect."""
from __future__ import annotations

from typing import Any, NamedTuple

STAGES = ("input", "nlp", "recognition", "resolution", "geometry", "events", "output")


class GeomapError(Exception):
    """Root of every error geomap raises on purpose."""


class InputError(GeomapError, ValueError):
    """The text cannot be geoparsed: binary, not UTF-8, or too long."""

    stage = "input"


class TooLongError(InputError):
    """The input is over a size limit: too many characters of text, or too many bytes of a file."""


class GazetteerError(GeomapError, RuntimeError):
    """The gazetteer file is missing or unreadable."""


class UserDataError(GeomapError, ValueError):
    """A file of the user's places cannot be added: missing, unreadable, or without the fields asked for."""


class StageError(GeomapError, RuntimeError):
    """An internal fault while geoparsing one document: ``stage`` names where (see STAGES).

    The original exception is chained (``__cause__``); please report it with the text that caused it.
    """

    def __init__(self, stage: str, error: BaseException):
        self.stage = stage
        self.error = error
        super().__init__(f"{stage} failed: {type(error).__name__}: {error}")

    def __reduce__(self):  # picklable across processes: the cause as its text
        return StageError, (self.stage, RuntimeError(f"{type(self.error).__name__}: {self.error}"))


class Failure(NamedTuple):
    """One document that did not come out, the same record for lists, batches and the command line.

    ``doc`` is the document's number in its input, ``doc_id`` the caller's id (the file name, the id
    column; the number when there is none), ``stage`` where it failed (``input`` for bad input) and
    ``error`` the message.
    """

    doc: int
    doc_id: Any
    stage: str
    error: str

    @classmethod
    def from_error(cls, doc: int, doc_id: Any, error: BaseException) -> "Failure":
        return cls(doc, doc_id, getattr(error, "stage", "input"), str(error))

    def line(self) -> str:
        """One line for a terminal: 'ID: message' (an internal fault's message names its stage)."""
        return f"{self.doc_id}: {self.error}"
