"""PDF -> its text layer (pypdf). Scanned PDFs without a text layer are reported, not guessed."""

from __future__ import annotations

import io
import logging
from pathlib import Path

from kg.errors import InputError

PAGE_BREAK = "\n\f\n"


def pdf_to_text(path: Path, data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise InputError(str(path), f"unreadable PDF ({exc})") from exc
    text = PAGE_BREAK.join(pages)
    if not text.strip():
        raise InputError(str(path), "PDF has no text layer (scanned image?)")
    return text
