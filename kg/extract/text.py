"""Small helpers over a document's text: lines, sentences, spans."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.extract.model import Span

SENTENCE_END = re.compile(
    r"\t+"  # table cells
    r"|</?(?:li|p|ul|ol|br|tr|td|th|div)\b[^>]*>"  # HTML left in text exports
    r"|(?<=[.!?;])[ \t]+(?=[A-Z(‘\"“•-])"  # full stop, then a capital
    r"|\n[ \t]*\n"  # blank line
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


def lines_of(text: str, start: int = 0, end: int | None = None) -> list[Line]:
    end = len(text) if end is None else end
    out = []
    for m in re.finditer(r"[^\n]*", text[start:end]):
        if m.start() == m.end() and m.start() > 0 and text[start + m.start() - 1] != "\n":
            continue
        out.append(Line(start + m.start(), start + m.end(), m.group()))
    return out


def span(text: str, start: int, end: int) -> Span:
    """A span trimmed of surrounding whitespace, quoting the text exactly."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end, text[start:end])


def sentence_bounds(text: str, pos: int, lo: int = 0, hi: int | None = None) -> tuple[int, int]:
    """The sentence (or list item, or table line) around `pos`, within [lo, hi)."""
    hi = len(text) if hi is None else hi
    start = lo
    for m in SENTENCE_END.finditer(text, lo, pos):
        start = m.end()
    m = SENTENCE_END.search(text, pos, hi)
    end = m.start() if m else hi
    return start, end


def clean_spaces(value: str) -> str:
    return re.sub(r"\s+", " ", value).strip()
