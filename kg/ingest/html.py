"""HTML decision pages -> the decision's text, navigation and furniture dropped.

Built on the standard library's HTMLParser so that every run of text keeps its
offset in the source file (BeautifulSoup does not expose text positions).
Which elements count as main content or furniture is data: kg/data/html.yaml.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from html.parser import HTMLParser

import yaml

from kg.ingest.model import Segment
from kg.resources import DATA_DIR

VOID_TAGS = {"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed",
             "source", "track", "wbr", "param"}


@lru_cache(maxsize=1)
def html_rules() -> dict:
    return yaml.safe_load((DATA_DIR / "html.yaml").read_text(encoding="utf-8"))


def _words(attrs: dict[str, str | None]) -> set[str]:
    raw = " ".join(v or "" for k, v in attrs.items() if k in ("id", "class"))
    return set(re.split(r"[\s_]+", raw.lower())) | {raw.lower()}


def _matches(tag: str, attrs: dict[str, str | None], rule: dict) -> bool:
    if tag in rule.get("tags", []):
        return True
    if (attrs.get("role") or "").lower() in rule.get("roles", []):
        return True
    words = _words(attrs)
    return any(w in words for w in rule.get("id_or_class_words", []))


class _TextCollector(HTMLParser):
    """Collects text with source offsets; `only_main` keeps text inside main content only."""

    def __init__(self, source: str, only_main: bool) -> None:
        super().__init__(convert_charrefs=False)
        self.rules = html_rules()
        self.only_main = only_main
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", source)]
        self.stack: list[tuple[str, bool, bool]] = []  # (tag, drops, is_main)
        self.parts: list[str] = []
        self.segments: list[Segment] = []
        self.length = 0
        self.saw_main = False

    def _offset(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def _dropping(self) -> bool:
        if any(drop for _, drop, _ in self.stack):
            return True
        return self.only_main and not any(main for _, _, main in self.stack)

    def _emit(self, text: str, source_start: int | None) -> None:
        if source_start is not None:
            self.segments.append(Segment(self.length, source_start))
        self.parts.append(text)
        self.length += len(text)

    def _newline(self) -> None:
        if self.parts and not self.parts[-1].endswith("\n"):
            self._emit("\n", None)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        amap = dict(attrs)
        is_main = _matches(tag, amap, self.rules["main_content"])
        self.saw_main |= is_main
        if tag in self.rules["block_tags"] and not self._dropping():
            self._newline()
        elif tag in self.rules["cell_tags"] and not self._dropping():
            self._emit("\t", None)
        if tag not in VOID_TAGS:
            self.stack.append((tag, self._drops(tag, amap), is_main))

    def _drops(self, tag: str, amap: dict[str, str | None]) -> bool:
        if not _matches(tag, amap, self.rules["drop"]) or _matches(tag, amap, self.rules["keep"]):
            return False
        inside_main = any(main for _, _, main in self.stack)
        return not (inside_main and tag in self.rules["keep_inside_main"] and _matches(tag, {}, self.rules["drop"]))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break
        if tag in self.rules["block_tags"] and not self._dropping():
            self._newline()

    def handle_data(self, data: str) -> None:
        """Collapse whitespace, keeping an exact source offset for every run of non-space text."""
        if self._dropping() or not data or not data.strip(" \t\r\n\xa0"):
            return
        base = self._offset()
        for m in re.finditer(r"[^ \t\r\n\xa0]+|[ \t\r\n\xa0]+", data):
            if m.group()[0] in " \t\r\n\xa0":
                self._emit(" ", None)
            else:
                self._emit(m.group(), base + m.start())

    def handle_entityref(self, name: str) -> None:
        self._entity(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self._entity(f"&#{name};")

    def _entity(self, raw: str) -> None:
        if not self._dropping():
            char = html.unescape(raw)
            self._emit(" " if char == "\xa0" else char, self._offset())  # &nbsp; is a space to every reader


TITLE = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)


def page_title(source: str) -> str | None:
    """The text of the page's <title>, entities decoded and spaces collapsed (None when absent)."""
    m = TITLE.search(source)
    title = " ".join(html.unescape(re.sub(r"<[^>]*>", " ", m.group(1))).split()) if m else ""
    return title or None


def html_to_text(source: str) -> tuple[str, tuple[Segment, ...]]:
    """The decision text of a page: main content if the page marks one and it holds text, else
    the body (a 'skip to content' anchor, <a id="main-content"></a>, marks a place, not content)."""
    collector = _collect(source, only_main=False)
    if collector.saw_main:
        main = _collect(source, only_main=True)
        if "".join(main.parts).strip():
            collector = main
    return "".join(collector.parts), tuple(collector.segments)


def _collect(source: str, only_main: bool) -> _TextCollector:
    collector = _TextCollector(source, only_main=only_main)
    collector.feed(source)
    collector.close()
    return collector
