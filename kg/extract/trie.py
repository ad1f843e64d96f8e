"""Compile many literal phrases into one fast regex (a trie of alternatives).

Python's `re` tries every branch of a flat alternation at every position; with a
thousand organisation aliases that is slow. Sharing prefixes keeps matching
near-linear, so registries can grow without slowing extraction.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache


def _insert(trie: dict, words: list[str]) -> None:
    node = trie
    for word in words:
        node = node.setdefault(word, {})
    node[""] = {}


def _pattern(node: dict) -> str:
    ends = "" in node
    branches = sorted((k for k in node if k), key=len, reverse=True)
    alts = []
    for word in branches:
        alts.append(re.escape(word) + _join(node[word]))
    if not alts:
        return ""
    body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
    return f"(?:{body})?" if ends else body


def _join(child: dict) -> str:
    rest = _pattern(child)
    if not rest:
        return ""
    if "" in child:
        inner = rest[3:-2] if rest.startswith("(?:") and rest.endswith(")?") else rest
        return f"(?:\\s+{inner})?"
    return f"\\s+{rest}"


def phrase_regex(phrases: list[str], flags: int = 0) -> re.Pattern[str] | None:
    """A regex matching any phrase as whole words, longest first, spaces flexible.

    When every phrase starts with a capital or a digit, positions that do not are
    skipped by a cheap look-ahead before the alternation is tried: most of a text
    is lower-case, so this makes matching several times faster.
    """
    trie: dict = {}
    for phrase in phrases:
        words = phrase.split()
        if words:
            _insert(trie, [w.lower() if flags & re.I else w for w in words])
    if not trie:
        return None
    body = _pattern(trie)
    gate = "(?=(?-i:[A-Z0-9]))" if all(p[:1].isupper() or p[:1].isdigit() for p in phrases if p) else ""
    return re.compile(rf"{gate}(?<![\w&]){body}(?![\w&])", flags)


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
