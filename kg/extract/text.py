"""Small helpers over a document's text: lines, sentences, spans."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache

from kg.extract.model import Span

SENTENCE_END = re.compile(
    r"\t+"  # table cells
    r"|</?(?:li|p|ul|ol|br|tr|td|th|div)\b[^>]*>"  # HTML left in text exports
    r"|(?<=[.!?;])[ \t]+(?=[A-Z(‘\"“•-])"  # full stop, then a capital
    r"|\n[ \t]*\n"  # blank line
    r"|(?<=[;:])[ \t]*\n"  # the end of a list item or a lead-in
    r"|\n(?=[ \t]*(?:[-•*]|\d+(?:\.\d+)*\.?[ \t]|[A-Z][A-Za-z ]{0,60}\n))"  # list item, numbered paragraph, heading
)


@dataclass(frozen=True)
class Line:
    start: int
    end: int
    text: str

    @property
    def stripped(self) -> str:
        return self.text.strip()


@lru_cache(maxsize=16)
def _line_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in re.finditer("\n", text)]


def lines_of(text: str, start: int = 0, end: int | None = None) -> list[Line]:
    """The lines overlapping text[start:end], clipped to it."""
    end = len(text) if end is None else end
    starts = _line_starts(text)
    out = []
    for i in range(max(bisect_right(starts, start) - 1, 0), len(starts)):
        s = starts[i]
        if s > end or (s == end and out):
            break
        e = starts[i + 1] - 1 if i + 1 < len(starts) else len(text)
        s, e = max(s, start), min(e, end)
        out.append(Line(s, e, text[s:e]))
    return out


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


def sentence_bounds(text: str, pos: int, lo: int = 0, hi: int | None = None) -> tuple[int, int]:
    """The sentence (or list item, or table line) around `pos`, within [lo, hi)."""
    hi = len(text) if hi is None else hi
    starts, ends = _breaks(text)
    i = bisect_right(ends, pos) - 1
    start = max(lo, ends[i]) if i >= 0 else lo
    j = bisect_left(starts, pos)
    end = min(hi, starts[j]) if j < len(starts) else hi
    return start, max(end, start)

