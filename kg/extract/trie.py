"""Find many literal phrases (registry names and aliases) in a text, fast.

A flat regex alternation of a thousand aliases is tried branch by branch at every
position; looking each word up in a dict keyed by a phrase's first word costs the
same whatever the size of the registry.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache
from itertools import accumulate, compress

# A word: letters, digits and & with apostrophes, dots and hyphens inside ("Mayor's", "Rahman-Hurst"),
# in a text whose ’ are made ' (possessive quantifiers: the engine never backtracks).
# Captured, so that splitting on it keeps the words between the gaps.
_WORD = re.compile(r"([\w&]++(?:['.\-]++[\w&]++)*+)")
_POSSESSIVE = re.compile(r"(?<=.)'s$", re.M)  # "GLA's" is the GLA (a word of its own: "'s" is not one)
_EDGE = "()[]{}\"'“”‘’,.;:!?*"
_END = ""  # never a word: marks a trie node where a phrase ends


def _norm(token: str) -> str:
    token = token.strip(_EDGE).replace("’", "'")
    if token.endswith("'s") and len(token) > 2:
        token = token[:-2]  # possessive: "GLA's" is the GLA, "Mayor's" matches "Mayor's"
    return token


@lru_cache(maxsize=8)
def _tokens(text: str) -> tuple[list[int], list[int], list[str], list[str]]:
    """Word tokens of a text, computed once per text: starts, ends, exact and lower-case forms."""
    parts = _WORD.split(text.replace("’", "'"))  # same length; gap, word, gap, ..., word, gap
    offsets = list(accumulate(map(len, parts)))  # where each part ends: no match object per word
    if len(parts) == 1:
        return [], [], [], []
    # The words joined by line breaks (never in a word), so that each step is one call, not
    # one per word; lower() of the whole equals lower() word by word, as no case mapping
    # looks across a line break.
    joined = "\n".join(parts[1::2])
    if "'s" in joined:
        joined = _POSSESSIVE.sub("", joined)
    return offsets[0:-1:2], offsets[1::2], joined.split("\n"), joined.lower().split("\n")


class PhraseIndex:
    """Find many known phrases in text by walking a trie of their words.

    Faster than one big regex when there are hundreds of phrases: each word of the
    text costs one dict look-up, whatever the number of phrases, and a text is split
    into words once for all indexes; a phrase's later words are only looked at where
    its first word occurs. Matching is on whole words with surrounding punctuation
    ignored, longest phrase first, leftmost first, without overlaps.
    """

    def __init__(self, phrases: list[str], ignore_case: bool) -> None:
        self.ignore_case = ignore_case
        self.root: dict[str, dict] = {}  # word -> node; a node holding _END ends a phrase
        for phrase in phrases:
            words = tuple(w for w in (self._form(t) for t in phrase.split()) if w)
            node = self.root
            for word in words:
                node = node.setdefault(word, {})
            if words:
                node[_END] = {}

    def _form(self, token: str) -> str:
        token = _norm(token)
        return token.lower() if self.ignore_case else token

    def finditer(self, text: str, start: int = 0, end: int | None = None):
        """(start, end, matched text) for every phrase occurrence in text[start:end]."""
        end = len(text) if end is None else end
        starts, ends, exact, lower = _tokens(text)
        forms = lower if self.ignore_case else exact
        lo, stop = bisect_left(starts, start), bisect_left(starts, end)
        covered = -1
        for i in compress(range(lo, stop), map(self.root.__contains__, forms[lo:stop])):  # candidates only
            if i <= covered:
                continue
            n = self._longest(forms, ends, i, stop, end)
            if n:
                yield starts[i], ends[i + n - 1], text[starts[i]:ends[i + n - 1]]
                covered = i + n - 1

    def _longest(self, forms: list[str], ends: list[int], i: int, stop: int, end: int) -> int:
        """The word count of the longest phrase at token i that ends by `end`, or 0."""
        node, best, j = self.root, 0, i
        while j < stop and ends[j] <= end and forms[j] in node:
            node = node[forms[j]]
            j += 1
            if _END in node:
                best = j - i
        return best


def alternation(words: list[str]) -> str:
    """A regex matching exactly `words`, factored by common prefix ('C(?:entre|ouncil)').

    A flat alternation is tried word by word at every position that starts one; factored,
    each letter is checked once. Which word is chosen can differ: use it where only whether
    (and where) one matches counts, as with an anchor for text.runs_holding.
    """
    node: dict = {}
    for word in words:
        n = node
        for c in word:
            n = n.setdefault(c, {})
        n[_END] = {}
    return _factored(node)


def _factored(node: dict) -> str:
    alts = [re.escape(c) + _factored(child) for c, child in sorted(node.items()) if c != _END]
    if not alts:
        return ""
    body = alts[0] if len(alts) == 1 and _END not in node else "(?:" + "|".join(alts) + ")"
    return body + ("?" if _END in node else "")
