"""Compile many literal phrases into one fast regex (a trie of alternatives).

Python's `re` tries every branch of a flat alternation at every position; with a
thousand organisation aliases that is slow. Sharing prefixes keeps matching
near-linear, so registries can grow without slowing extraction.
"""

from __future__ import annotations

import re


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
    """A regex matching any phrase as whole words, longest first, spaces flexible."""
    trie: dict = {}
    for phrase in phrases:
        words = phrase.split()
        if words:
            _insert(trie, [w.lower() if flags & re.I else w for w in words])
    if not trie:
        return None
    body = _pattern(trie)
    return re.compile(rf"(?<![\w&]){body}(?![\w&])", flags)
