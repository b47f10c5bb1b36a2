"""Splitting a passage into its sentences."""

from __future__ import annotations

import re

__all__ = ["split_sentences"]

_SENTENCE_END = re.compile(r"(?<=[.!?])\s*(?=[A-Z\"'(])")


def split_sentences(text: str) -> list[str]:
    """The sentences of a passage, each with its final punctuation (also where a period is not
    followed by a space).

    >>> split_sentences("Bob is big. Anne is kind.Dogs bark!")
    ['Bob is big.', 'Anne is kind.', 'Dogs bark!']
    """
    return [s.strip() for s in _SENTENCE_END.split(text.strip()) if s.strip()]
