"""Small helpers over a document's text: lines, sentences, spans."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache
from typing import NamedTuple

from kg.extract.model import Span

# Every break opens with a tab, '<', a line break or a space: written to open with that class,
# the regex engine skips to those characters instead of trying every position, and each
# branch then checks (looking back) which one it opened with.
SENTENCE_END = re.compile(
    r"[\t<\n ]"
    r"(?:(?<=\t)\t*"  # table cells
    r"|(?<=<)/?(?:li|p|ul|ol|br|tr|td|th|div)\b[^>]*>"  # HTML left in text exports
    r"|(?<=[.!?;][ \t])[ \t]*(?=[A-Z(‘\"“•-])"  # full stop, then a capital
    r"|(?<=\n)[ \t]*\n"  # blank line
    r"|(?<=[;:][ \t])[ \t]*\n|(?<=[;:]\n)"  # the end of a list item or a lead-in
    r"|(?<=\n)(?=[ \t]*(?:[-•*]|\d+(?:\.\d+)*\.?[ \t]|[A-Z][A-Za-z ]{0,60}\n))"  # list item, numbered para, heading
    r")"
)


class Line(NamedTuple):
    """A line of a text (or the part of it in a range). A tuple, not a frozen dataclass: a
    text's lines are all built at once, and a tuple is several times cheaper to build."""

    start: int
    end: int
    text: str

    @property
    def stripped(self) -> str:
        return self.text.strip()


@lru_cache(maxsize=16)
def _line_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in re.finditer("\n", text)]


@lru_cache(maxsize=16)
def _all_lines(text: str) -> list[Line]:
    """Every line of a text, built once per text: extractors ask for lines thousands of times."""
    starts = _line_starts(text)
    ends = [s - 1 for s in starts[1:]] + [len(text)]
    return [Line(s, e, text[s:e]) for s, e in zip(starts, ends, strict=True)]


def lines_of(text: str, start: int = 0, end: int | None = None) -> list[Line]:
    """The lines overlapping text[start:end], clipped to it (a line starting at `end` only
    when it is the first)."""
    end = len(text) if end is None else end
    starts = _line_starts(text)
    first = max(bisect_right(starts, start) - 1, 0)
    stop = bisect_right(starts, end)
    if stop > first + 1 and starts[stop - 1] == end:
        stop -= 1
    out = _all_lines(text)[first:stop]
    if out:
        out[0] = _clip(text, out[0], start, end)
        out[-1] = _clip(text, out[-1], start, end)
    return out


def _clip(text: str, line: Line, start: int, end: int) -> Line:
    s, e = max(line.start, start), min(line.end, end)
    return line if (s, e) == (line.start, line.end) else Line(s, e, text[s:e])


def fold(text: str) -> str | None:
    """The text lower-cased, for cheap `word in text` checks before case-insensitive regexes.

    None when the text holds a character that re.IGNORECASE matches to an ASCII letter but
    str.lower() does not turn into one (dotless i, long s, dotted capital I): then a
    substring check could miss what the regex finds, so callers must not skip the regex.
    """
    low = text.lower()
    return None if any(c in low for c in "ıſ\u0307") else low


@lru_cache(maxsize=16)
def _folded_text(text: str) -> str | None:
    return fold(text)


@lru_cache(maxsize=16)
def word_starts(text: str, words: tuple[str, ...]) -> list[int] | None:
    """Where each occurrence of any of the lower-case `words` starts in the folded text, in
    order; None when fold() refuses the text (anything may then hold them)."""
    low = _folded_text(text)
    if low is None:
        return None
    out = []
    for word in words:
        i = low.find(word)
        while i >= 0:
            out.append(i)
            i = low.find(word, i + 1)
    return sorted(out)


def may_hold(text: str, words, start: int = 0, end: int | None = None) -> bool:
    """False only when no case-insensitive match of a regex needing one of `words` can
    exist in text[start:end] (positions agree: lower() only lengthens a dotted capital I)."""
    low = _folded_text(text)
    end = len(text) if end is None else end
    return low is None or any(low.find(w, start, end) >= 0 for w in words)


def literal_hits(text: str, phrases: tuple[str, ...], start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of each match in text[start:end] of the case-insensitive alternation of
    literal `phrases`, in the order and with the choices finditer would make.

    Searched in the lower-cased text with a case-sensitive regex of the lower-cased phrases
    when fold() allows it: the regex engine then skips ahead to each phrase's first letter
    instead of trying every position, and only phrases the text holds are tried.
    """
    end = len(text) if end is None else end
    low = _folded_text(text)
    if low is None:
        return [m.span() for m in _phrases_regex(phrases, re.I).finditer(text, start, end)]
    present = tuple(p for p in phrases if low.find(p.lower(), start, end) >= 0)
    if not present:
        return []
    return [m.span() for m in _phrases_regex(tuple(p.lower() for p in present), 0).finditer(low, start, end)]


@lru_cache(maxsize=64)
def _phrases_regex(phrases: tuple[str, ...], flags: int) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(p) for p in phrases), flags)


def runs_holding_words(text: str, words: tuple[str, ...], barrier: re.Pattern[str],
                       start: int, end: int) -> list[tuple[int, int]]:
    """runs_holding with any of the literal `words`, in any case, as the anchor: looked for in
    the folded text when fold() allows it, where the regex engine can skip to their letters."""
    low = _folded_text(text)
    if low is None:
        return runs_holding(text, _phrases_regex(words, re.I), barrier, start, end)
    return runs_holding(text, _phrases_regex(tuple(w.lower() for w in words), 0), barrier, start, end, low)


def runs_holding(text: str, anchor: re.Pattern[str], barrier: re.Pattern[str],
                 start: int, end: int, anchor_text: str | None = None) -> list[tuple[int, int]]:
    """The stretches of text[start:end] free of `barrier` characters that hold an `anchor` match.

    A pattern none of whose matches holds a barrier character, and each of which holds an
    anchor match, finds the same matches scanning only these stretches (pos and endpos at
    their ends). That saves most of the cost of a pattern the regex engine must try at
    every position because it has no literal start to skip to. `anchor_text`, a text of the
    same length (the folded one), is where the anchor is looked for, if given.
    """
    out: list[tuple[int, int]] = []
    pos = start
    haystack = text if anchor_text is None else anchor_text
    while hit := anchor.search(haystack, pos, end):
        stop = barrier.search(text, hit.end(), end)
        out.append((_run_start(text, hit.start(), max(start, pos), barrier), stop.start() if stop else end))
        pos = out[-1][1]
    return out


def runs_around(text: str, windows: list[tuple[int, int]], barrier: re.Pattern[str],
                start: int, end: int) -> list[tuple[int, int]]:
    """The stretches of text[start:end] from the barrier character before each window to the
    first one at or after its end, merged, in order.

    For a pattern none of whose matches holds a barrier character, scanning these stretches
    finds the same matches starting in the windows as scanning all of text[start:end]: a
    barrier character is a point where finditer's run of matches starts afresh.
    """
    out: list[tuple[int, int]] = []
    for lo, hi in sorted(windows):
        lo, hi = max(lo, start), min(hi, end)
        if lo >= hi:
            continue
        stop = barrier.search(text, hi, end)
        s, e = _run_start(text, lo, start, barrier), stop.start() if stop else end
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _run_start(text: str, pos: int, lo: int, barrier: re.Pattern[str]) -> int:
    """Just after the last barrier character before `pos`, or `lo`; looks back in growing steps."""
    width, last = 128, _last_of(barrier)
    while True:
        start = max(lo, pos - width)
        found = last.match(text, start, pos)
        if found:
            return found.end()
        if start == lo:
            return lo
        width *= 4


@lru_cache(maxsize=32)
def _last_of(barrier: re.Pattern[str]) -> re.Pattern[str]:
    """A regex whose match ends where the last barrier character of the searched range ends:
    the engine backtracks from the range's end. (Barriers are single characters, so the last
    one is the one a finditer of the barrier would end with.)"""
    return re.compile(rf"(?s:.*)(?:{barrier.pattern})", barrier.flags)


def span(text: str, start: int, end: int) -> Span:
    """A span trimmed of surrounding whitespace, quoting the text exactly."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end, text[start:end])


@lru_cache(maxsize=16)
def _breaks(text: str) -> tuple[list[int], list[int]]:
    """Start and end offsets of every sentence break in a text, computed once per text."""
    starts, ends = [], []
    for m in SENTENCE_END.finditer(text):
        starts.append(m.start())
        ends.append(m.end())
    return starts, ends


def line_around(text: str, pos: int) -> tuple[int, int]:
    """(start, end) of the line holding `pos`, without its line break."""
    end = text.find("\n", pos)
    return text.rfind("\n", 0, pos) + 1, end if end >= 0 else len(text)


def sentence_bounds(text: str, pos: int, lo: int = 0, hi: int | None = None) -> tuple[int, int]:
    """The sentence (or list item, or table line) around `pos`, within [lo, hi)."""
    hi = len(text) if hi is None else hi
    starts, ends = _breaks(text)
    i = bisect_right(ends, pos) - 1
    start = max(lo, ends[i]) if i >= 0 else lo
    j = bisect_left(starts, pos)
    end = min(hi, starts[j]) if j < len(starts) else hi
    return start, max(end, start)


def bilingual(labels: str) -> str:
    """A regex for labels (an alternation) that may stand beside their other language's words:
    'Reference / Cyfeirnod', 'Teitl / Title' (Welsh public bodies label every field twice)."""
    word = r"(?-i:[A-ZÀ-Þa-zß-ÿ][a-zß-ÿ’'-]*)"   # a word, not a code: 'Cyfeirnod', 'y', not 'NWFRA'
    other = rf"{word}(?: {word}){{0,3}}"            # 'Rhif y penderfyniad'
    return rf"(?:{other}[ \t]*/[ \t]*)?(?:{labels})(?:[ \t]*/[ \t]*{other})?"


# Where a PDF laid text out in columns: two or more spaces (or a tab) between cells.
SPACE_GAP = re.compile(r" {2,}")
COLUMN_GAP = re.compile(r" {2,}|\t")


def row_cells(line: str) -> list[tuple[int, int]]:
    """(start, end) of each non-empty cell of a row split by tabs, pipes (Markdown) or runs of
    spaces (a table a PDF laid out in columns), in the line."""
    body = line.strip()
    if "\t" in body:
        sep = re.compile("\t")
    elif line.count("|") >= 2 or re.fullmatch(r"[^|]*\S[ \t]*\|[ \t]*\S[^|]*", body):  # "Southwark | 245,000"
        sep = re.compile(r"\|")
    elif re.search(r"\S {2,}\S", body):
        sep = SPACE_GAP
    else:
        return []
    out, pos = [], 0
    for m in [*sep.finditer(line), None]:
        stop = m.start() if m else len(line)
        part = line[pos:stop]
        if part.strip():
            start = pos + part.index(part.strip())
            out.append((start, start + len(part.strip())))
        pos = m.end() if m else len(line)
    return out
