"""The one exception the controlled-English parser uses internally."""

from __future__ import annotations


class OutsideFragment(Exception):
    """Raised inside the parser when a sentence cannot be given one exact formula."""
