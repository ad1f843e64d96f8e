"""The text of one source document, with a map from text offsets to source offsets."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property


@dataclass(frozen=True)
class Segment:
    """A run of text copied unchanged from the source: text[text_start:+length] == source[...]."""

    text_start: int
    source_start: int


@dataclass(frozen=True)
class SourceText:
    """What every later stage reads: the text, where it came from, and how to point back."""

    key: str
    path: str
    content_hash: str
    media_type: str
    text: str
    segments: tuple[Segment, ...] = field(default=(), repr=False)
    # An HTML page's <title>: not decision text, but it often names the body that publishes the
    # page ('Decision - Bus grant | Mardale Combined Authority') where the text only names it late.
    page_title: str | None = None

    @cached_property
    def _segment_starts(self) -> list[int]:
        return [s.text_start for s in self.segments]

    def source_offset(self, text_offset: int) -> int:
        """Character offset in the source file for a character offset in `text`.

        Plain text and Markdown map one to one; HTML maps through the segments
        recorded while parsing; PDF offsets are into the PDF's text layer.
        """
        if not self.segments:
            return text_offset
        i = max(bisect_right(self._segment_starts, text_offset) - 1, 0)
        seg = self.segments[i]
        return seg.source_start + (text_offset - seg.text_start)

    @property
    def stem(self) -> str:
        name = self.key.rsplit("/", 1)[-1]
        return name.rsplit(".", 1)[0] if "." in name else name
