"""Whether a trigger's clause says that something happened, by the parse: a happening is told in the
realis, by someone other than the speaker quoted, once.

Not happenings (each is a reason ``why_not`` gives):
- ``irrealis``: under a modal, future or condition ("would have served to plan", "will reach 5 billion by
  2030", "if Russia attacks"), or below a verb of expecting or wanting ("was expected to be established");
- ``negated``: "did not attend";
- ``first person``: the speaker's own doings, quoted or not ("we sold 22,000", "we do business");
- ``habitual``: the present simple outside a headline and without a date, the tense of habits, states
  and general truths ("Algeria traditionally opposes", "the episode highlights", "Canada has one trade
  agreement in Asia"), save verbs that say something goes on ("warplanes continue to launch attacks");
- ``stative``: below a stative verb ("seemed to have gained the upper hand").
A non-finite verb or an event noun takes the tense and mood of the finite verb above it ("instability
affecting North Africa has been ...", "troops being ferried ..., aircraft had been landing").

Saying, thinking and forecasting are no happenings of their own (``eventive``), save reporting what
happened ("reported 20 new cases", "infections were confirmed in Sydney"): a speech verb's place
stays with it so that it can join the happening it reports (``merge.reported_trigger``); a happening made
of such words alone is dropped (``merge.happened``).
"""
from __future__ import annotations

from typing import Optional

from spacy.tokens import Token

from .index import SUBJECT_DEPS, DocIndex
from .linker import lemma_of, word_lists

MODALS = {"would", "could", "might", "may", "should", "can", "must", "will", "shall", "'ll", "’ll", "wo", "ca",
          "'d", "’d"}
CONDITIONAL_MARKS = {"if", "unless"}
FINITE_TAGS = {"VBD", "VBZ", "VBP", "MD"}
PRESENT_TAGS = {"VBZ", "VBP"}
FIRST_PERSON = {"i", "we"}
# verbs of expecting and wanting: what they govern has not happened (yet)
COGNITION = {"expect", "forecast", "predict", "anticipate", "estimate", "project", "fear", "hope", "want", "wish",
             "intend", "aim", "plan", "propose", "consider", "suspect", "assume", "imagine", "speculate", "wonder",
             "worry", "believe", "think", "guess", "reckon"}
ATTRIBUTION = {"accord"}    # "according to a statement"
# the present of these says that something goes on ("warplanes continue to launch attacks on Aleppo")
ASPECTUAL = {"continue", "keep", "begin", "start", "resume", "go"}
# dates of habits, not of one happening ("every year")
HABIT_WORDS = {"every", "each", "daily", "weekly", "monthly", "yearly", "annually", "annual", "always", "often",
               "usually", "regularly", "frequently", "traditionally", "sometimes", "typically", "generally"}
CLAUSAL_SUBJECTS = {"csubj", "csubjpass"}
# "had to be rushed", "had 160,000 birds killed", "got injured": it happened
NOT_STATIVE = {"be", "have", "get"}
# saying that reports what its object names ("reported 20 cases", "infections were confirmed in Sydney")
REPORTING = {"report", "confirm"}
COMPLEMENT_DEPS = {"xcomp", "ccomp", "dobj", "attr", "oprd", "acomp"}
HEADLINE_WORDS = 20
HEADLINE_ENDS = (".", "!", "?", "\"", "”", "’", "'", ":", ";")


def finite_verb(token: Token) -> Optional[Token]:
    """The finite verb of the clause a token is in (itself when finite), climbing the parse; None for a
    fragment without one ("Floods in Bangladesh")."""
    node = token
    for _ in range(64):
        if node.pos_ in {"VERB", "AUX"} and is_finite(node):
            return node
        if node.head.i == node.i or node.dep_ in CLAUSAL_SUBJECTS:
            return None   # a clause that is a subject is not told by its predicate
        node = node.head
    return None


def is_finite(verb: Token) -> bool:
    """A verb with a tense; a perfect infinitive counts ("are known to have died": they died)."""
    auxes = [c for c in verb.children if c.dep_ in {"aux", "auxpass"}]
    return verb.tag_ in FINITE_TAGS or any(a.tag_ in FINITE_TAGS for a in auxes) or \
        any(a.lower_ == "have" and a.dep_ == "aux" for a in auxes) and verb.tag_ == "VBN"


def why_not(index: DocIndex, trigger: Token) -> Optional[str]:
    """Why the trigger's clause tells no happening (see the module's docstring), or None."""
    verb = finite_verb(trigger)
    path = path_to(trigger, verb)
    if any(is_irrealis(t) for t in path) or governed_by(path, COGNITION) or going_to(path):
        return "irrealis"
    if any(c.dep_ == "neg" for t in (trigger, verb) if t is not None for c in t.children):
        return "negated"
    if any(first_person(subject(t)) for t in (trigger, verb) if t is not None):
        return "first person"
    if verb is None:
        return "irrealis" if is_imperative(trigger) else None
    if governed_by(path, word_lists()["stative"] - NOT_STATIVE):
        return "stative"
    if is_present_simple(verb) and not is_headline(index, verb) and not dated(index, verb) and \
            lemma_of(verb) not in ASPECTUAL and not progressive_below(trigger, verb):
        return "habitual"
    return None


def governed_by(path: list[Token], lemmas) -> bool:
    """A verb of ``lemmas`` on the path takes the clause below as its complement or object (not as an
    adjunct: "doubted it, with Erdoğan issuing a warning" is no doubt about the warning)."""
    return any(above.pos_ in {"VERB", "AUX"} and lemma_of(above) in lemmas and below.dep_ in COMPLEMENT_DEPS
               for below, above in zip(path, path[1:]))


def going_to(path: list[Token]) -> bool:
    """'was going to slow down': the future seen from the past."""
    return any(above.lemma_ == "go" and above.tag_ == "VBG" and below.dep_ == "xcomp" and
               any(c.lower_ == "to" for c in below.children) for below, above in zip(path, path[1:]))


def realis(index: DocIndex, trigger: Token) -> bool:
    return why_not(index, trigger) is None


def eventive(index: DocIndex, trigger: Token) -> bool:
    """A happening of its own: told in the realis, and no saying, thinking or forecasting."""
    lemma = lemma_of(trigger)
    if trigger.pos_ == "VERB" and (lemma in word_lists()["speech"] or lemma in COGNITION or lemma in ATTRIBUTION) \
            and not reports_a_happening(trigger):
        return False
    return realis(index, trigger)


def path_to(token: Token, top: Optional[Token]) -> list[Token]:
    """The token and its heads up to ``top`` (inclusive), or to the root when top is None."""
    out = [token]
    while out[-1].head.i != out[-1].i and (top is None or out[-1].i != top.i) and \
            out[-1].dep_ not in CLAUSAL_SUBJECTS and len(out) < 64:
        out.append(out[-1].head)
    return out


def is_irrealis(verb: Token) -> bool:
    """Under a modal or future, or the condition or consequence of an 'if'."""
    if verb.pos_ not in {"VERB", "AUX"}:
        return False
    for child in verb.children:
        if child.dep_ == "aux" and (child.tag_ == "MD" or child.lower_ in MODALS):
            return True
        if child.dep_ == "mark" and child.lower_ in CONDITIONAL_MARKS:
            return True
        if child.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in CONDITIONAL_MARKS for m in child.children):
            return True
    return False


def subject(verb: Token) -> Optional[Token]:
    return next((c for c in verb.children if c.dep_ in SUBJECT_DEPS), None)


def first_person(token: Optional[Token]) -> bool:
    """'I', 'we'; not the numeral of "Jazz Band I" or "World War I"."""
    if token is None or token.lower_ not in FIRST_PERSON:
        return False
    before = token.nbor(-1) if token.i > 0 else None
    return token.text != "I" or before is None or before.pos_ != "PROPN"


def reports_a_happening(verb: Token) -> bool:
    """A reporting verb whose object is what happened: 'reported 20 new cases', 'cases were reported'."""
    return lemma_of(verb) in REPORTING and any(
        c.dep_ in {"dobj", "nsubjpass"} and c.pos_ in {"NOUN", "PROPN", "NUM"} for c in verb.children)


def is_imperative(verb: Token) -> bool:
    """'Never mind Alberta', 'let's say Italy had joined': a bare verb heading its sentence."""
    return verb.tag_ == "VB" and verb.dep_ == "ROOT" and subject(verb) is None and not any(
        c.dep_ == "aux" for c in verb.children)


def is_present_simple(verb: Token) -> bool:
    """'opposes', 'is held', 'is crucial', 'do business': present without a progressive or perfect."""
    auxes = [c for c in verb.children if c.dep_ in {"aux", "auxpass"}]
    if any(a.tag_ not in PRESENT_TAGS and a.lower_ != "to" for a in auxes if a.dep_ == "aux" and a.lemma_ != "do"):
        return False   # "has shelled", "will", "did"
    if any(a.dep_ == "aux" and a.lemma_ == "be" for a in auxes):
        return False   # "is attacking": going on now
    if any(a.dep_ == "aux" and a.lemma_ == "have" for a in auxes):
        return False
    if verb.tag_ in PRESENT_TAGS:
        return True
    return any(a.tag_ in PRESENT_TAGS for a in auxes)


def progressive_below(trigger: Token, verb: Token) -> bool:
    """'are now patrolling farms' parsed with the participle below a copula: going on now."""
    return verb.lemma_ == "be" and trigger.head.i == verb.i and trigger.tag_ == "VBG"


def is_headline(index: DocIndex, token: Token) -> bool:
    """A headline or caption reports in the present ("Deputies arrest teen"): a short first sentence, or a
    line without a closing stop."""
    n = index.sent_of[token.i]
    if n == 0 and sum(not t.is_punct and not t.is_space for t in index.sents[0]) <= HEADLINE_WORDS:
        return True
    text = index.sents[n].text.rstrip()
    end = index.sents[n].start_char + len(text)
    gap = index.text[end:]
    gap = gap[:len(gap) - len(gap.lstrip())]
    return (end == len(index.text.rstrip()) or "\n" in gap) and not text.endswith(HEADLINE_ENDS)


def dated(index: DocIndex, verb: Token) -> bool:
    """A date in the sentence makes the present a report of one happening ("attends a meeting ... Oct. 12,
    2015", "1986 - Hasenfus is captured"), unless it is the date of a habit ("every year") or the verb
    says it is one ("often shells")."""
    if any(c.dep_ == "advmod" and c.lower_ in HABIT_WORDS for c in verb.children):
        return False
    return any(not any(t.lower_ in HABIT_WORDS for t in ent) for ent in index.dates[index.sent_of[verb.i]])
