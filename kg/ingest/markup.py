"""Light Markdown clean-up that keeps offsets: emphasis, heading marks and inline tags go.

Removing markup changes positions, so the result carries segments mapping each
kept run back to the source, like HTML does.
"""

from __future__ import annotations

import re

from kg.ingest.model import Segment

# Markup removed from Markdown: emphasis markers, heading hashes, escapes, inline HTML tags.
MARKDOWN_NOISE = re.compile(
    r"\*\*|__|(?m:^#{1,6}[ \t]+)|\\(?=[_*#\[\]()`>-])|</?(?:sup|sub|b|i|u|em|strong|br|span)\b[^>]*>"
)


def strip_markup(source: str, noise: re.Pattern[str] = MARKDOWN_NOISE) -> tuple[str, tuple[Segment, ...]]:
    parts: list[str] = []
    segments: list[Segment] = []
    length = 0
    pos = 0
    for m in noise.finditer(source):
        if m.start() > pos:
            segments.append(Segment(length, pos))
            parts.append(source[pos:m.start()])
            length += m.start() - pos
        pos = m.end()
    if pos < len(source):
        segments.append(Segment(length, pos))
        parts.append(source[pos:])
    return "".join(parts), tuple(segments)
