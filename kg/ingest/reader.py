"""Read one source file into a SourceText, or say in one line why it cannot be read."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from kg.errors import InputError
from kg.ingest.html import html_to_text, page_title
from kg.ingest.markup import strip_markup
from kg.ingest.model import SourceText
from kg.ingest.pdf import pdf_to_text
from kg.ingest.sources import Source

MIN_TEXT_CHARS = 20
# four or more dots (maybe spaced) between a label (no colon of its own) and its value on one line
DOT_LEADER = re.compile(r"(?<=[\w)])[ \t]*(?:\.[ \t]?){4,}[ \t]*(?=[^\s.])")


def content_hash(data: bytes) -> str:
    """The document's stable id: the first 16 hex digits of its SHA-256."""
    return hashlib.sha256(data).hexdigest()[:16]


def read_document(source: Source) -> SourceText:
    try:
        data = source.path.read_bytes()
    except OSError as exc:
        raise InputError(str(source.path), f"cannot read file ({exc.strerror or exc})") from exc
    if not data.strip():
        raise InputError(str(source.path), "empty file")
    media_type = sniff_media_type(source.path, data)
    title = None
    if media_type == "application/pdf":
        text, segments = pdf_to_text(source.path, data), ()
    else:
        raw = _decode(source.path, data)
        if media_type == "text/html":
            text, segments = html_to_text(raw)
            title = page_title(raw)
        elif media_type == "text/markdown":
            text, segments = strip_markup(raw)
        else:
            text, segments = raw, ()
    if len(text.strip()) < MIN_TEXT_CHARS:
        raise InputError(str(source.path), "no text found in document")
    text = leaders_as_colons(text)
    return SourceText(source.key, str(source.path), content_hash(data), media_type, text, segments, title)


def leaders_as_colons(text: str) -> str:
    """'Reference ........ TRCA/ODN/24/112' reads as 'Reference:        TRCA/ODN/24/112'.

    Forms fill the gap between a label and its value with dot leaders; every reader of
    'label: value' lines then finds the pair. Same length, so every offset stays true."""
    return DOT_LEADER.sub(lambda m: ":" + " " * (len(m.group()) - 1), text)


def sniff_media_type(path: Path, data: bytes) -> str:
    suffix = path.suffix.lower()
    if data[:5] == b"%PDF-" or suffix == ".pdf":
        return "application/pdf"
    if b"\x00" in data[:8192]:
        raise InputError(str(path), "binary file, not a text, HTML or PDF document")
    head = data[:2048].lstrip().lower()
    if suffix in (".html", ".htm", ".xhtml") or head.startswith((b"<!doctype html", b"<html")):
        return "text/html"
    if suffix in (".md", ".markdown"):
        return "text/markdown"
    return "text/plain"


def _decode(path: Path, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(str(path), f"not valid UTF-8 text (byte {exc.start})") from exc
