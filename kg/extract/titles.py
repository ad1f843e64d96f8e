"""The decision's title: a 'Title:' label, the page heading above 'Key information',
the words after the reference on a heading line, or a listing item's first line."""

from __future__ import annotations

import re
from functools import lru_cache

from kg.extract.cues import cues
from kg.extract.model import Text
from kg.extract.references import RefHit, anywhere_hits, cued_hits, ref_key
from kg.extract.text import bilingual, lines_of, span

SEPARATORS = " \t-–—:|•*#>"
MAX_TITLE = 250


AGENDA_ITEM = re.compile(r"(?i)[ \t#*]*(?:agenda\s+)?item\s+\d+[a-z]?\s*[:.–-]\s*")
BREADCRUMB = re.compile(r"\s[/›>|»]\s")
FILE_LINK = re.compile(r"(?i)(?:[|(]\s*(?:PDF|Word|DOCX?)?|\b(?:PDF|Word|DOCX?))\s*,?\s*\d+(?:\.\d+)?\s*[KM]B\b")


@lru_cache(maxsize=1)
def _title_label() -> re.Pattern[str]:
    labels = "|".join(re.escape(x).replace(r"\ ", r"\s+") for x in cues("decision")["title_labels"])
    numbered = r"(?:\d{1,2}\.[ \t]+)?"
    return re.compile(rf"(?im)^[ \t•*\-|#>]*{numbered}{bilingual(labels)}[ \t]*(?:[:|][ \t|]*|(?<=\t)|(?<=  )|(?=\n))")


@lru_cache(maxsize=1)
def _dangling() -> re.Pattern[str]:
    """A line that cannot end a title: it stops on a joining word or mark (decision.yaml)."""
    words = "|".join(cues("decision")["title_goes_on_after"])
    return re.compile(rf"(?i)(?:\b(?:{words})|[&–—,-])[ \t]*$")


@lru_cache(maxsize=1)
def _furniture_start() -> re.Pattern[str]:
    return re.compile(rf"(?i)(?:{'|'.join(cues('decision')['not_title_line_starts'])})\b")


@lru_cache(maxsize=1)
def _document_type() -> re.Pattern[str]:
    return re.compile(cues("decision")["document_type_heading"], re.I)


def _furniture(line: str) -> bool:
    s = line.strip(SEPARATORS + ".")
    return (not s or s.lower() in {x.lower() for x in cues("decision")["not_title_lines"]}
            or len(BREADCRUMB.findall(s)) >= 2   # 'Who we are / MOPAC / MOPAC decisions'
            or bool(FILE_LINK.search(s))          # 'Signed decision (PDF, 188 KB)': a link, not a title
            or bool(_document_type().match(s))
            or bool(_furniture_start().match(s))
            or len(s) > MAX_TITLE or bool(re.fullmatch(r"[\d\W]+", s)))


def find_title(text: str, start: int, end: int, own: RefHit) -> Text | None:
    for finder in (_labelled, _before_key_information, _after_reference, _first_line, _first_heading):
        found = finder(text, start, end, own)
        if found:
            return found
    return None


def _labelled(text: str, start: int, end: int, own: RefHit) -> Text | None:
    for m in _title_label().finditer(text, start, end):
        before = text[max(start, m.start() - 200): m.start()]
        if re.search(r"(?i)signature|signed", before):
            continue
        lines = lines_of(text, m.end(), end)[:4]
        for i, line in enumerate(lines):
            if line.stripped and not _furniture(line.text):
                return _clean(text, line.start, _continued(lines[i:], text), own)
    return None


def _continued(lines: list, text: str) -> int:
    """Where a title ends: a title a PDF broke over lines goes on in small letters ('... spending
    plan and fire' / 'safety training contract'), or in lines indented to where its value starts
    ('Title:      Sexual violence ... services' / '           2024/25 – acceptance of ...')."""
    first, *rest = lines
    column = _column(text, first.start + len(first.text) - len(first.text.lstrip()))
    block = _block_before_blank(rest)
    if block:  # 'Title: Met Patrol Plus – ... with the London' / 'Borough of Barnet, ...' / '' / 'Summary:'
        return block[-1].end
    end = first.end
    for line in rest[:3]:
        if not line.stripped or text[end - 1:end] in ".:;":
            break
        indent = len(line.text) - len(line.text.lstrip())
        small = line.stripped.lstrip("| \t")[:1].islower()   # in a table, the value cell's words
        dangling = _dangling().search(text, max(0, end - 12), end)
        if not (small or (column >= 8 and indent == column) or dangling):
            break
        end = line.end
    return end


def _block_before_blank(rest: list) -> list:
    """The lines that carry on a labelled title up to a blank line, when they read as its end: at
    most two, none a label or a sentence, before a blank line."""
    block = []
    for line in rest[:3]:
        if not line.stripped:
            return block
        if line.stripped.endswith((".", ":")) or re.match(cues("decision")["label_line"], line.stripped) \
                or "|" in line.text or "\t" in line.text or len(block) == 2:   # no table rows
            return []
        block.append(line)
    return []


def _column(text: str, pos: int) -> int:
    return pos - (text.rfind("\n", 0, pos) + 1)


def _before_key_information(text: str, start: int, end: int, own: RefHit) -> Text | None:
    m = re.search(r"(?im)^[ \t#*]*Key information[ \t*]*$", text[start:end])
    if not m:
        return None
    for line in reversed(lines_of(text, start, start + m.start())):
        if not _furniture(line.text):
            return _clean(text, line.start, line.end, own)
    return None


def _after_reference(text: str, start: int, end: int, own: RefHit) -> Text | None:
    """Words after the own reference on its line, or a title beside a line holding it: at each
    place the reference is stated, in text order (a heading states it before a table does)."""
    hits = sorted({h.start: h for h in [*cued_hits(text, start, end), *_restated(text, start, end, own), own]}.values(),
                  key=lambda h: h.start)
    for hit in hits:
        if hit.key != own.key:
            continue
        line_end = text.find("\n", hit.end)
        line_end = end if line_end < 0 or line_end > end else line_end
        line_start = text.rfind("\n", 0, hit.start) + 1
        before = text[line_start:hit.start]
        item = re.match(cues("decision")["item_heading_title"], before, re.I)
        # '11/11/2024 - Library refit ref: KD-2024-112  Approved' (the status follows the code),
        # but not 'Mayoral decision reference: MCA/MD/118/25'
        if item and not _furniture(item.group("title")):
            return _clean(text, line_start + item.start("title"), line_start + item.end("title"), own)
        rest = text[hit.end:line_end].strip(SEPARATORS)
        if len(rest) > 3 and not re.match(r"(?i)(?:and|or|in|on|of|the|to|was|were|is)\b", rest) \
                and not _furniture(rest):
            return _clean(text, hit.end, line_end, own)
        if not rest.strip(")]") and re.search(r"[A-Za-z]{3}.*[(\[]\s*$", before):
            return _clean(text, line_start, line_start + len(before.rstrip().rstrip("([").rstrip()), own)
        if not rest and len(before) < 40:
            found = _neighbour_title(text, line_start, line_end, start, end, own, label=":" in before)
            if found:
                return found
    return None


def _restated(text: str, start: int, end: int, own: RefHit) -> list[RefHit]:
    """The own code written again as it was where it was found, opening a line ('JAC 25-118' in a
    table and in the page's heading 'JAC 25-118: Internal audit plan ...'), where no cue word says
    it is one."""
    written = text[own.start:own.end]
    out, pos = [], text.find(written, start, end)
    while pos >= 0:
        opens_line = not text[text.rfind("\n", 0, pos) + 1:pos].strip(SEPARATORS)
        if opens_line and not text[pos + len(written):pos + len(written) + 1].isalnum():
            out.append(RefHit(own.value, pos, pos + len(written), own.scheme))
        pos = text.find(written, pos + 1, end)
    return out


def _neighbour_title(text: str, line_start: int, line_end: int, lo: int, hi: int, own: RefHit,
                     label: bool) -> Text | None:
    """A reference alone on its line: the title is the line above a label ('Decision No: X'),
    or the line below a heading ('Decision – 019-2022'), if it reads like a title."""
    above = [ln for ln in lines_of(text, max(lo, line_start - 400), max(lo, line_start - 1)) if ln.stripped][-2:]
    if len(above) == 2 and above[1].stripped.endswith(":"):
        above = above[:1]   # 'Reference code:' / 'DMPCD 2016 214': the title is above the label
    above = above[-1:]
    below = [ln for ln in lines_of(text, min(hi, line_end + 1), hi)[:4] if ln.stripped][:1]
    for line in (above + below) if label else (below + above):
        if _title_like(line):
            return _clean(text, line.start, _heading_end(text, line, hi), own)
    return None


def _heading_end(text: str, line, hi: int) -> int:
    """A heading a PDF broke over two lines, a blank line after it: 'Ministry of Justice Victim and
    Witness Support Funding' / '2023/24 and 2024/25 – acceptance and allocation'."""
    after = lines_of(text, min(hi, line.end + 1), hi)[:2]
    if len(after) >= 1 and after[0].stripped and (len(after) == 1 or not after[1].stripped) \
            and len(line.stripped) + len(after[0].stripped) < 200 and not after[0].stripped.endswith(".") \
            and not re.match(r"\d+(?:\.\d+)*\.?\s+[A-Z]|[A-Z][\w ]{0,30}:", after[0].stripped):
        return after[0].end
    return line.end


def _title_like(line) -> bool:
    s = line.stripped
    return (not _furniture(line.text) and len(s) < 150 and not s.endswith((".", ":")) and s[0].isupper()
            and "\t" not in s  # a table row: label, tab, value
            and not re.match(cues("decision")["label_line"], s) and len(s.split()) >= 2)


def _first_line(text: str, start: int, end: int, own: RefHit) -> Text | None:
    if start == 0:
        return None
    for line in lines_of(text, start, end)[:3]:
        if not _furniture(line.text):
            return _clean(text, line.start, line.end, own)
    return None


def _first_heading(text: str, start: int, end: int, own: RefHit) -> Text | None:
    """Last resort: the first short, title-like line near the top (a page's h1)."""
    for line in lines_of(text, start, end)[:15]:
        item = AGENDA_ITEM.match(line.text)     # 'Item 9: Whole Family Wellbeing Funding 2025/26'
        begin = line.start + (item.end() if item else 0)
        s = text[begin:line.end].strip()
        if _furniture(s) or len(s) > 150 or s.endswith((".", ":")) or s.isupper() or ":" in s[:30] \
                or " | " in s:   # 'Glenmorven Council | Committee Management Information System': the site's name
            continue   # (_furniture also passes over breadcrumbs and section bars)
        if len(s.split()) >= 3 and s[0].isupper():
            return _clean(text, begin, line.end, own)
    return None


# A value cell that wraps onto the next row of a table drawn with pipes, under an empty label cell:
# '| Subject | Safer Roads 2025/26 - police |' / '|         | and fire contributions   |'.
CELL_WRAP = re.compile(r"[ \t]*\|[ \t]*\n[ \t]*(?:\|[ \t]*)+")


def _clean(text: str, s: int, e: int, own: RefHit) -> Text | None:
    raw = CELL_WRAP.sub(" ", text[s:e])
    for hit in anywhere_hits(raw, 0, len(raw)):
        if ref_key(hit.value) == own.key and hit.start < 3 + raw.find(hit.value.split()[0]):
            raw = raw[hit.end:]
            break
    value = re.sub(r"\s+", " ", raw).strip(SEPARATORS)
    value = re.sub(r"^(?:Title|Decision title)\s*[:|]\s*", "", value, flags=re.I)
    value = re.sub(cues("decision")["title_lead"], "", value, flags=re.I)
    value = re.sub(r"\s+[-–—]\s+\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]+\s+\d{4}$", "", value)
    value = value.strip(SEPARATORS + "*_")
    if len(value) < 3:
        return None
    start = text.find(value[:20], s)
    return Text(value, span(text, start, start + len(value)) if start >= 0 else None)
