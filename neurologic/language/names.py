"""Which words of a problem's text name individuals.

Each helper reads only the text. They decide which declared constants a problem's words support
(:func:`named_spans`, :func:`is_named`), which capitalised words are names and which lower-case
words are kinds (:func:`proper_names`, :func:`common_nouns`), and which names the symbol table
must hold whatever the model declared (:func:`text_names`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_NAME_LINKS = {"of", "the", "de", "and", "von", "van", "du", "la"}
_DETERMINERS = {"a", "an", "the", "all", "some", "no", "every", "each", "any", "many", "most"}
_INDEFINITE = _DETERMINERS - {"the"}
_INNER_LINKS = {"of", "the", "de", "von", "van", "du", "la", "del", "da", "der", "le"}
_MAX_CONSTANT = 31
"""The longest constant the symbol grammar admits (``cname``)."""

_ARTICLES = frozenset({"a", "an", "the"})
_PLURAL_VERBS = frozenset({"are", "were", "have", "do", "don't", "don’t"})
# Words that open a sentence with a capital without naming anything.
_SENTENCE_WORDS = frozenset(
    "a an the all some no none every each any many most few several both either neither not "
    "if when whenever while where wherever since because although though unless until after "
    "before during among for from in on at to by with without as of or and but so yet then "
    "there here it its he she they we you i me him her them his hers their this that these "
    "those who whom whose which what whoever whatever everyone everybody everything someone "
    "somebody something anyone anybody anything nobody nothing one people only also however "
    "thus therefore hence today yesterday tomorrow".split()
)


def named_spans(sentences: Sequence[str]) -> set[str]:
    """The names the text uses, compacted: runs of capitalised words or numbers, linked by
    "of", "the", "de"… ("Stephen Curry" -> stephencurry, "University of Edinburgh"), and the
    word after "the" (a definite description: "the dog"). Text in square brackets is an
    annotation ("[BG]"), not prose."""
    spans: set[str] = set()
    for sentence in sentences:
        run: list[str] = []
        tokens = re.findall(r"[A-Za-z0-9][A-Za-z0-9'.-]*", _without_annotations(sentence))
        spans |= {
            b.lower() for a, b in zip(tokens, tokens[1:]) if a.lower() == "the" and b.islower()
        }
        for token in tokens + [""]:
            if token and (
                token[0].isupper() or token[0].isdigit() or (run and token in _NAME_LINKS)
            ):
                run.append(token)
                continue
            while run and run[-1] in _NAME_LINKS:
                run.pop()
            if run:
                spans.add(compact_name("".join(run)))
            run = []
    return spans


def _without_annotations(sentence: str) -> str:
    """``sentence`` without text in square brackets (FOLIO marks background premises "[BG]")."""
    return re.sub(r"\[[^\]]*\]", " ", sentence)


def is_named(constant: str, spans: set[str]) -> bool:
    """Whether ``constant`` is (part of) a name in ``spans``, or a name is part of it."""
    compact = compact_name(constant)
    return bool(compact) and any(
        compact in span or (len(span) >= 4 and span in compact) for span in spans
    )


def compact_name(text: str) -> str:
    """Lower case, letters and digits only: how names and constants are compared."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


def proper_names(sentences: Sequence[str]) -> set[str]:
    """Capitalised words used as names: never lower case, never plural, never after a
    determiner ("Bonnie", "Socrates"; not "Greek" in "a Greek" or "All Greeks")."""
    tokens = re.findall(r"[A-Za-z]+", " ".join(sentences))
    words = set(tokens)
    after_determiner = {b for a, b in zip(tokens, tokens[1:]) if a.lower() in _DETERMINERS}
    return {
        w
        for w in words
        if w[0].isupper()
        and w.lower() not in words
        and w + "s" not in words
        and w not in after_determiner
        and w.lower() not in _DETERMINERS
    }


def common_nouns(sentences: Sequence[str]) -> set[str]:
    """Lower-case words that only ever follow an indefinite determiner ("a philosopher",
    "all dogs" -> philosopher, dog): kinds of things, never individuals."""
    tokens = re.findall(r"[A-Za-z]+", " ".join(sentences))
    uses: dict[str, list[bool]] = {}
    for before, word in zip([""] + tokens, tokens):
        if word.islower():
            singular = word[:-1] if word.endswith("s") and len(word) > 3 else word
            uses.setdefault(singular, []).append(before.lower() in _INDEFINITE)
    return {word for word, flags in uses.items() if all(flags)}


def text_names(sentences: Sequence[str]) -> dict[str, str]:
    """The individuals the text names, as constants: ``{"robertlewandowski": "Robert
    Lewandowski", "bonnie": "Bonnie"}``.

    A name is a run of capitalised words with any numbers and "of", "de"… inside it ("Symphony
    No. 9"). Not a name: a run after an indefinite determiner ("a Netflix show"), or a lone word
    that names a kind (also written in lower case, or followed by a plural verb: "Dogs are").
    An opening function word or article begins none. Square brackets hold annotation, not prose.
    """
    lower = {w for w in re.findall(r"[A-Za-z]+", " ".join(sentences)) if w.islower()}
    names: dict[str, str] = {}
    for sentence in sentences:
        tokens = [
            re.sub(r"['’]s?$", "", t)
            for t in re.findall(r"[A-Za-z0-9][A-Za-z0-9'’-]*", _without_annotations(sentence))
        ]
        start = 0
        while start < len(tokens):
            end = _run_end(tokens, start)
            if end == start:
                start += 1
                continue
            run = tokens[start:end]
            before = tokens[start - 1].lower() if start > 0 else ""
            if run[0].lower() in (_SENTENCE_WORDS if start == 0 else _ARTICLES):
                before, run = run[0].lower(), run[1:]
            after = tokens[end].lower() if end < len(tokens) else ""
            if run and before not in _INDEFINITE and not _is_kind(run, lower, after):
                constant = compact_name("".join(run))
                if 2 <= len(constant) <= _MAX_CONSTANT and constant[0].isalpha():
                    names.setdefault(constant, " ".join(run))
            start = end
    return names


def _run_end(tokens: Sequence[str], start: int) -> int:
    """Where the run of capitalised words starting at ``start`` ends (``start`` if none does)."""
    if not tokens[start][:1].isupper():
        return start
    end = start + 1
    while end < len(tokens):
        token = tokens[end]
        if token[:1].isupper() or token[:1].isdigit():
            end += 1
        elif (
            token.lower() in _INNER_LINKS
            and end + 1 < len(tokens)
            and tokens[end + 1][:1].isupper()
        ):
            end += 2
        else:
            break
    return end


def _is_kind(run: Sequence[str], lower: set[str], after: str) -> bool:
    """A lone capitalised word that the text also writes in lower case (or its singular), or
    that a plural verb follows ("Humans are mammals")."""
    if len(run) != 1:
        return False
    word = run[0].lower()
    return word in lower or (word.endswith("s") and word[:-1] in lower) or after in _PLURAL_VERBS
