"""Find many literal phrases (registry names and aliases) in a text, fast.

A flat regex alternation of a thousand aliases is tried branch by branch at every
position; looking each word up in a dict keyed by a phrase's first word costs the
same whatever the size of the registry.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

# A word: letters, digits and & with apostrophes, dots and hyphens inside ("Mayor's", "Rahman-Hurst").
_WORD = re.compile(r"[\w&](?:[\w&'’.\-]*[\w&])?")
_EDGE = "()[]{}\"'“”‘’,.;:!?*"


def _norm(token: str) -> str:
    token = token.strip(_EDGE).replace("’", "'")
    if token.endswith("'s") and len(token) > 2:
        token = token[:-2]  # possessive: "GLA's" is the GLA, "Mayor's" matches "Mayor's"
    return token


@lru_cache(maxsize=8)
def _tokens(text: str) -> tuple[list[int], list[int], list[str], list[str]]:
    """Word tokens of a text, computed once per text: starts, ends, exact and lower-case forms."""
    starts, ends, exact = [], [], []
    for m in _WORD.finditer(text):
        starts.append(m.start())
        ends.append(m.end())
        exact.append(m.group())
    exact = [w[:-2] if w[-2:] in ("'s", "’s") and len(w) > 2 else w for w in exact]
    exact = [w.replace("’", "'") if "’" in w else w for w in exact]
    return starts, ends, exact, [w.lower() for w in exact]


class PhraseIndex:
    """Find many known phrases in text by looking words up in a dict.

    Faster than one big regex when there are hundreds of phrases: each word of the
    text costs one dict look-up, whatever the number of phrases, and a text is split
    into words once for all indexes. Matching is on whole words with surrounding
    punctuation ignored, longest phrase first, leftmost first, without overlaps.
    """

    def __init__(self, phrases: list[str], ignore_case: bool) -> None:
        self.ignore_case = ignore_case
        self.by_first: dict[str, list[tuple[str, ...]]] = {}
        for phrase in phrases:
            words = tuple(w for w in (self._form(t) for t in phrase.split()) if w)
            if words:
                self.by_first.setdefault(words[0], []).append(words)
        for options in self.by_first.values():
            options.sort(key=len, reverse=True)

    def _form(self, token: str) -> str:
        token = _norm(token)
        return token.lower() if self.ignore_case else token

    def finditer(self, text: str, start: int = 0, end: int | None = None):
        """(start, end, matched text) for every phrase occurrence in text[start:end]."""
        end = len(text) if end is None else end
        starts, ends, exact, lower = _tokens(text)
        forms = lower if self.ignore_case else exact
        lo, stop = bisect_left(starts, start), bisect_left(starts, end)
        by_first = self.by_first
        covered = -1
        for i in [k for k in range(lo, stop) if forms[k] in by_first]:  # candidates only
            if i <= covered:
                continue
            for words in by_first[forms[i]]:
                n = len(words)
                if i + n <= stop and tuple(forms[i:i + n]) == words and ends[i + n - 1] <= end:
                    yield starts[i], ends[i + n - 1], text[starts[i]:ends[i + n - 1]]
                    covered = i + n - 1
                    break
