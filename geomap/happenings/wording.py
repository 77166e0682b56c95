"""Phrases for labels, cut from the parse by whole constituents: a noun phrase with its determiners,
compounds, modifiers and (at the fuller levels) prepositional and clausal modifiers; a clause with its
subject, verb group as the text has it ("has shelled"), objects, complements and the prepositional phrase
that says where. A phrase never loses words from its middle: a shorter one drops whole modifiers.

``level`` says how much of a noun phrase to keep: 0 all but relative clauses and appositions ("a city in
northeastern Syria"); 1 only "of" phrases besides the words before the noun ("Russian violations of
Turkey's airspace"); 2 the words before the noun ("Russian violations"), a name by itself ("Jens
Stoltenberg" for "NATO Secretary-General Jens Stoltenberg").
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Optional

from spacy.tokens import Doc, Token

from .index import RELATIVE_PRONOUNS, SUBJECT_DEPS, subject_of
from .linker import lemma_of, word_lists

NOUN_PARTS = {"det", "predet", "poss", "case", "compound", "amod", "nummod", "nmod", "quantmod", "advmod", "neg",
              "pobj", "pcomp", "prt"}
FULL_NOUN_PARTS = {"prep", "acl", "conj", "cc", "preconj"}
VERB_GROUP = {"aux", "auxpass", "neg", "prt"}
PARTICLES = {"away", "back", "down", "off", "out", "up", "over", "in", "on"}   # when parsed as adverbs
OBJECTS = {"dobj", "dative", "attr", "oprd", "acomp", "agent"}
NAME_LABELS = {"PERSON", "ORG"}
ARTICLES = {"a", "an", "the"}
# personal pronouns and the entities they can stand for (a simple coreference: the nearest one before)
PRONOUN_ENTITIES = {"he": {"PERSON"}, "him": {"PERSON"}, "his": {"PERSON"}, "she": {"PERSON"},
                    "her": {"PERSON"}, "it": {"ORG", "GPE"}, "its": {"ORG", "GPE"},
                    "they": {"NORP", "ORG"}, "them": {"NORP", "ORG"}, "their": {"NORP", "ORG"}}
CLITICS = {("'s", "be"): "is", ("'s", "have"): "has", ("'re", ""): "are", ("'m", ""): "am", ("'ve", ""): "have",
           ("'ll", ""): "will", ("'d", "have"): "had", ("'d", ""): "would", ("n't", ""): "not"}
PERSONAL_TAGS = {"PRP", "PRP$", "WP", "WP$"}
PLURAL_PRONOUNS = {"they", "them", "their"}
COREFERENCE_SENTENCES = 3     # how far back a pronoun's entity may be


def noun_phrase(token: Token, level: int, skip: frozenset = frozenset(), dates: frozenset = frozenset()) -> list[int]:
    """The token indexes of a noun phrase at ``level`` (see the module's docstring); ``skip``: children
    left out with their subtrees; ``dates``: tokens of the happening's date, said apart."""
    out = [token.i]
    for child in token.children:
        if child.i in skip or is_date_part(child, dates) or is_dateline(child):
            continue
        dep = child.dep_
        if dep == "punct":
            # a hyphen; a comma of a kept list ("frogs, salamanders and caecilians")
            if is_hyphen(child) or child.text == "," and level == 0 and any(
                    c.dep_ == "conj" and c.i > child.i and not is_date_part(c, dates) for c in token.children):
                out.append(child.i)
        elif child.pos_ in {"VERB", "AUX"} and dep in {"acl", "pcomp"}:
            if level == 0 or dep == "pcomp":
                out += clause(child, level, frozenset(), dates, borrow=False, adjuncts=True)
        elif (dep in NOUN_PARTS and (level < 2 or child.i < token.i or dep in {"pobj", "case"})) or \
                (dep in FULL_NOUN_PARTS and level == 0) or (dep == "prep" and level == 1 and lemma_of(child) == "of"):
            out += noun_phrase(child, level, skip, dates)
    if level >= 2 and token.ent_type_ in NAME_LABELS and token.pos_ == "PROPN":
        ent = next(e for e in token.doc.ents if e.start <= token.i < e.end)
        if len(ent) < len(out):
            return list(range(ent.start, ent.end))   # "Jens Stoltenberg", not "NATO Secretary-General ..."
    return out


def is_dateline(token: Token) -> bool:
    """A dateline run into the sentence: "NEWARK United Airlines has apologized", "HUME – A delegation":
    its first word, in capitals, a place's or nothing's (not "NATO")."""
    first = next((t for t in token.sent if not t.is_space and not t.is_punct), None)
    return first is not None and token.i == first.i and token.is_upper and len(token.text) > 2 and \
        token.ent_type_ in {"", "GPE", "LOC", "FAC"} and token.i + 1 < len(token.doc) and \
        not token.doc[token.i + 1].is_lower and not token.doc[token.i + 1].is_upper   # not a headline in capitals


def is_date_part(token: Token, dates: frozenset) -> bool:
    """A child that holds the happening's date: 'Monday', 'on Tuesday'."""
    if token.i in dates:
        return True
    return token.dep_ in {"prep", "agent"} and any(c.dep_ == "pobj" and c.i in dates for c in token.children)


def clause(verb: Token, level: int, where: frozenset, dates: frozenset, borrow: bool = True,
           complements: bool = True, depth: int = 2, objects: bool = True, adjuncts: bool = False) -> list[int]:
    """A verb's clause: subject (its own, or with ``borrow`` the one of the word it hangs from: "ships
    that docked"), verb group, objects, the prepositional phrase holding a token of ``where`` (with
    ``adjuncts``, every prepositional phrase) and (with ``complements``) what a control verb governs
    ("offered to help Turkey defend its border")."""
    out = [verb.i] + [t.i for c in verb.children if c.dep_ in VERB_GROUP and c.i not in dates for t in c.subtree]
    out += [c.i for c in verb.children if c.i == verb.i + 1 and c.dep_ == "advmod" and c.lower_ in PARTICLES]
    relative = verb.dep_ == "relcl"
    for child in verb.children:
        if is_date_part(child, dates) or is_dateline(child):
            continue
        if relative and child.lower_ in RELATIVE_PRONOUNS:
            continue   # a relative subject is named by its noun below; an object is left out
        if child.dep_ in SUBJECT_DEPS or objects and child.dep_ in OBJECTS or adjuncts and child.dep_ == "prep":
            out += noun_phrase(child, level, frozenset(), dates)
    own = next((c for c in verb.children if c.dep_ in SUBJECT_DEPS), None)
    if borrow and (own is None or relative and own.lower_ in RELATIVE_PRONOUNS):
        lent = subject_of(verb) if verb.dep_ != "acl" else verb.head
        if lent is not None and lent.i != verb.i and lent.pos_ in {"NOUN", "PROPN", "PRON", "NUM"}:
            holds_verb = frozenset(c.i for c in lent.children if c.left_edge.i <= verb.i <= c.right_edge.i)
            out += noun_phrase(lent, level, holds_verb, dates)
    if where and level < 2:
        prep = next((c for c in verb.children if c.dep_ == "prep" and any(t.i in where for t in c.subtree)), None)
        if prep is not None and not is_date_part(prep, dates):
            # with the phrases between the verb and it: "sent to the laboratory at Weybridge", not "sent at"
            between = [c for c in verb.children if c.dep_ == "prep" and verb.i < c.i < prep.i]
            for c in [prep] + between:
                out += noun_phrase(c, level, frozenset(), dates)
    if complements and depth > 0:
        for child in complements_of(verb):
            out += clause(child, level, where, dates, borrow=False, depth=depth - 1)
    return out


def complements_of(verb: Token) -> list[Token]:
    """What a control verb governs: 'offered to help', 'help Turkey defend', 'began storming'."""
    words = word_lists()
    return [c for c in verb.children if c.pos_ == "VERB" and (
        c.dep_ == "xcomp" or has_to(c) and c.dep_ in {"advcl", "ccomp"} or
        c.dep_ == "ccomp" and lemma_of(verb) in words["control"] | {"help"})
        and not is_open(c)]


def is_open(verb: Token) -> bool:
    """A verb whose sense waits for a clause the label leaves out ("to determine if the cases are
    linked"): no object of its own, and a clausal complement."""
    kept = complements_of(verb)
    return not any(c.dep_ in OBJECTS for c in verb.children) and \
        any(c.dep_ == "ccomp" and c not in kept for c in verb.children)


def has_to(verb: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def whole_words(doc: Doc, indexes: Iterable[int]) -> set[int]:
    """The indexes with every hyphenated word they touch made whole ("government-sanctioned")."""
    out = set(indexes)
    for i in list(out):
        for step in (-1, 1):
            j = i
            while 0 <= j + step < len(doc) and not doc[min(j, j + step)].whitespace_ and \
                    (is_hyphen(doc[j + step]) or is_hyphen(doc[j])):
                j += step
                out.add(j)
    return out


def is_hyphen(token: Token) -> bool:
    return token.tag_ == "HYPH" or token.text in {"-", "‐", "–"} and not token.whitespace_ and \
        token.i > 0 and not token.doc[token.i - 1].whitespace_


def render(doc: Doc, indexes: Iterable[int], names: Optional[dict[int, str]] = None) -> str:
    """The tokens in text order, spaced as the text spaces them where they are adjacent; ``names``
    replaces a token's text (a pronoun by its entity; "" leaves it out)."""
    names = names or {}
    words: list[str] = []
    previous = None
    for i in sorted(whole_words(doc, indexes)):
        text = names.get(i, doc[i].text)
        if not text or is_quote(doc[i]):
            previous = None
            continue
        if words and (previous is None or previous != i - 1 or doc[i - 1].whitespace_):
            words.append(" ")
        words.append(text)
        previous = i
    return " ".join("".join(words).split())


def is_quote(token: Token) -> bool:
    """A quotation mark or bracket; not the apostrophe of a possessive ("Paris’ residence")."""
    return token.is_quote and token.dep_ != "case" or token.text in {"(", ")", "[", "]"}


def antecedent(token: Token) -> Optional[str]:
    """The entity a personal pronoun stands for: the nearest before it of a kind it can name (he: a
    person; it: an organisation or country; they: a people or organisation) within a few sentences."""
    kinds = PRONOUN_ENTITIES.get(token.lower_)
    if kinds is None:
        return None
    doc = token.doc
    first = token.sent.start
    for _ in range(COREFERENCE_SENTENCES - 1):
        if first == 0:
            break
        first = doc[first - 1].sent.start
    wanted = token.lower_ in PLURAL_PRONOUNS
    found = [(ent.end, ent.text) for ent in doc.ents if first <= ent.start and ent.end <= token.i
             and ent.label_ in kinds and plural(ent.root) == wanted]
    if "PERSON" not in kinds:   # "it", "they": also a main clause's subject before ("The couple ... They")
        found += [(t.i + 1, render(doc, noun_phrase(t, 2))) for t in doc[first:token.sent.start]
                  if t.dep_ in SUBJECT_DEPS and t.head.dep_ == "ROOT" and t.pos_ in {"NOUN", "PROPN"}
                  and plural(t) == wanted and not any(c.pos_ == "PRON" for c in t.children)]
    return max(found)[1] if found else None


def plural(token: Token) -> bool:
    return token.tag_ in {"NNS", "NNPS"} or token.ent_type_ == "NORP" and token.text.endswith("s")


def pronoun_names(doc: Doc, indexes: Iterable[int]) -> dict[int, str]:
    """Names for the pronouns of a phrase that stand for its actor: a pronoun subject, or a pronoun
    that would start the label ("his wife"), named by its entity, else left out (""); a pronoun inside
    the phrase ("defend its border") stays as the text has it."""
    kept = sorted(set(indexes))
    names: dict[int, str] = {}
    for i in kept:
        token = doc[i]
        if token.tag_ not in PERSONAL_TAGS or not (i == kept[0] or token.dep_ in SUBJECT_DEPS):
            continue
        name = antecedent(token)
        names[i] = "" if name is None else name + ("’s" if token.tag_ == "PRP$" else "")
    return names


def strip_edges(doc: Doc, indexes: list[int], article: bool) -> list[int]:
    """Leave out a leading article (with ``article``: "NATO parliamentary meeting") and words that cannot
    end a phrase (a conjunction, a preposition left without its object, an auxiliary left without its
    verb)."""
    kept = sorted(set(indexes))
    while kept and (doc[kept[0]].is_punct and doc[kept[0]].tag_ != "HYPH" or is_quote(doc[kept[0]])):
        kept = kept[1:]
    if article and kept and doc[kept[0]].lower_ in ARTICLES:
        kept = kept[1:]
    while kept and (doc[kept[-1]].dep_ in {"cc", "prep", "agent", "mark", "det"} or doc[kept[-1]].lower_ == "to"
                    or doc[kept[-1]].pos_ == "AUX" or doc[kept[-1]].is_punct and doc[kept[-1]].tag_ != "HYPH"):
        kept = kept[:-1]
    return kept


def clitic_names(doc: Doc, indexes: Iterable[int]) -> dict[int, str]:
    """Contracted auxiliaries written out, as a label has no subject to lean on ("’s happening" ->
    "is happening")."""
    names = {}
    for i in indexes:
        token = doc[i]
        text = token.lower_.replace("’", "'")
        if token.dep_ in {"aux", "auxpass", "neg"} and (text.startswith("'") or text == "n't"):
            names[i] = CLITICS.get((text, token.lemma_.lower()), CLITICS.get((text, ""), token.text))
    return names
