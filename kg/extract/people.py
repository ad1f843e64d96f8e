"""Who decided and when they signed.

The decision maker comes from labels ("Decision by:", "Signature: PCC Lisa
Townsend (wet copy held in OPCC)"), from a name under an approval sentence, and
failing those from the post the body addresses ("The Deputy Mayor for Policing
and Crime is recommended to"). The signing date comes from a signing label or
from the signature block, never from a publication or report date.
"""

from __future__ import annotations

import re
from functools import lru_cache

from kg.extract.cues import cues
from kg.extract.dates import find_dates
from kg.extract.model import Text
from kg.extract.signature_table import maker_row, sign_off_blocks
from kg.extract.text import COLUMN_GAP, lines_of, literal_hits, span

MAX_LOOKAHEAD_LINES = 4


@lru_cache(maxsize=1)
def _shapes() -> dict[str, re.Pattern[str]]:
    """The name, post and signing-label patterns of decision.yaml, compiled once."""
    d = cues("decision")
    return {"name": re.compile(d["name_shape"]), "not_name": re.compile(d["not_name_words"], re.I),
            "post": re.compile(d["post_words"], re.I), "not_post": re.compile(d["not_post_value"], re.I),
            "signing": re.compile(d["signing_label"], re.I)}


def in_officer_block(text: str, pos: int, lo: int) -> bool:
    """Whether the signature line at `pos` belongs to an officer's sign-off, not the decision maker's:
    the nearest block heading above it names an officer post."""
    limit = int(_data()["block_heading_max"])
    above = [ln.stripped for ln in lines_of(text, max(lo, pos - 600), pos) if ln.stripped.strip("|-: ")][-6:]
    maker, officer = sign_off_blocks()
    for line in reversed(above):
        if len(line) > limit or line.endswith(".") or len(line.split()) > 8 or line.startswith("I "):
            if _approves(line):
                return False  # 'It has my approval.', 'I approve the decisions set out above.'
            continue  # a sentence naming a post ('... within the Commissioner's powers') is no heading
        if maker.search(line):
            return False
        if officer.search(line):
            return True
    return False


def _approves(sentence: str) -> bool:
    return bool(re.search(_data()["approval_sentence"], sentence, re.I))


@lru_cache(maxsize=1)
def _data() -> dict:
    return cues("decision")


def _label_regex(labels: list[str]) -> re.Pattern[str]:
    return _label_regex_of(tuple(labels))


@lru_cache(maxsize=8)
def _label_regex_of(labels: tuple[str, ...]) -> re.Pattern[str]:
    alts = "|".join(re.escape(label).replace(r"\ ", r"\s+") for label in sorted(labels, key=len, reverse=True))
    return re.compile(rf"(?im)^[ \t•*\-|#>]*(?:{alts})[ \t]*[:|]?[ \t|]*(?=\S|\n|$)")


@lru_cache(maxsize=1)
def _maker_label() -> re.Pattern[str]:
    return _label_regex(_data()["maker_labels"])


@lru_cache(maxsize=1)
def _any_label() -> re.Pattern[str]:
    d = _data()
    return _label_regex(d["maker_labels"] + d["not_maker_labels"] + d["date_labels_signed"]
                        + d["date_labels_other"] + ["Reference code", "Date", "Title", "Code"])


def canonical_role(role: str) -> str:
    role = re.sub(r"\s+", " ", role).strip(" ,.;:-–|*")
    role = re.sub(r"(?i)^(?:position|post|role|job\s+title|title|designation)\s*:\s*", "", role)
    for canon, variants in _data()["roles"].items():
        if role.lower() == canon.lower() or role.lower() in (v.lower() for v in variants):
            return canon
    return role


def clean_name(raw: str) -> str | None:
    """'PCC Lisa Townsend (wet copy held in OPCC)' -> 'Lisa Townsend'; None if not a name."""
    s = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", raw)
    s = re.sub(r"\s+", " ", s).strip(" ,.;:-–|*_")
    prefixes, suffixes = _affixes()
    for prefix, rx in prefixes:
        if s.startswith(prefix):  # the regex needs it literally: skip the call when absent
            s = rx.sub("", s)
    for suffix, rx in suffixes:
        if s.endswith(suffix):  # s holds no line break, so '$' is its end
            s = rx.sub("", s)
    shapes = _shapes()
    if not shapes["name"].fullmatch(s) or shapes["not_name"].search(s):
        return None
    return s


@lru_cache(maxsize=1)
def _affixes() -> tuple[list[tuple[str, re.Pattern[str]]], list[tuple[str, re.Pattern[str]]]]:
    """Name prefixes (longest first) and suffixes with their removal regexes, compiled once."""
    d = _data()
    prefixes = [(p, re.compile(rf"^{re.escape(p)}\s+")) for p in sorted(d["name_prefixes"], key=len, reverse=True)]
    return prefixes, [(x, re.compile(rf"\s+{re.escape(x)}$")) for x in d["name_suffixes"]]


def _value_lines(text: str, pos: int, end: int) -> list[tuple[int, str]]:
    """The label's value: rest of its line, or the next non-empty lines until another label."""
    out = []
    for i, line in enumerate(lines_of(text, pos, end)[: MAX_LOOKAHEAD_LINES + 1]):
        if i > 0 and _any_label().match(line.text):
            break
        if line.stripped:
            out.append((line.start + len(line.text) - len(line.text.lstrip()), line.stripped))
    return out


def find_maker(text: str, start: int, end: int) -> tuple[Text | None, Text | None]:
    """(name, role) of the decision maker, either possibly None."""
    role: Text | None = None
    for m in _maker_label().finditer(text, start, end):
        if _shapes()["signing"].match(m.group()) and in_officer_block(text, m.start(), start):
            continue
        name, found_role = _parse_maker_value(text, m.end(), end)
        role = role or found_role
        if name:
            return _in_full(text, start, end, name), role or _role_from_body(text, start, end)
    approval = (_name_in_signature_table(text, start, end) or _name_after_approval(text, start, end)
                or _name_above_signature(text, start, end) or _name_marked_signed(text, start, end)
                or _name_in_maker_sentence(text, start, end))
    if approval:
        return _in_full(text, start, end, approval), role or _role_from_body(text, start, end)
    return None, role or _role_from_body(text, start, end)


INITIALS_AND_SURNAME = re.compile(r"(?P<initial>[A-Z])\.?(?:\s*[A-Z]\.?)?\s+(?P<surname>[A-Z][\w’'-]+)")


def _in_full(text: str, start: int, end: int, name: Text) -> Text:
    """'R Ashcombe' signs, and 'Richard Ashcombe, Deputy Mayor' is printed below: the decision
    maker is named in full where the decision's text writes the full name (and quoted there)."""
    m = INITIALS_AND_SURNAME.fullmatch(name.value)
    if m is None:
        return name
    full = re.compile(rf"\b{m['initial']}[a-z’'-]+(?:\s+[A-Z][a-z’'-]+)?\s+{re.escape(m['surname'])}\b")
    found = full.search(text, start, end)
    return Text(found.group(), span(text, found.start(), found.end())) if found else name


def _parse_maker_value(text: str, pos: int, end: int) -> tuple[Text | None, Text | None]:
    lines = _value_lines(text, pos, end)[:3]
    for i, (offset, value) in enumerate(lines):
        value = COLUMN_GAP.split(value)[0]  # 'G. Orpen-Wyatt            Date: 19/03/2024': next column
        head, _, tail = re.sub(r"\([^)]*\)", lambda m: " " * len(m.group()), value).partition(",")
        name = clean_name(head)
        if name:
            role_text = tail.strip() or (lines[i + 1][1] if i + 1 < len(lines) else "")
            role = _role_text(text, role_text) if role_text and not clean_name(role_text) else None
            if role is None:
                role = _prefix_role(value)
            s = text.index(name.split()[0], offset)
            return Text(name, span(text, s, s + len(name) if text.startswith(name, s) else s)), role
        if _shapes()["post"].search(value) and not _shapes()["not_post"].search(value):
            below = _name_line(text, lines[i + 1]) if i + 1 < len(lines) else None
            return below, _role_text(text, value)   # 'Approved by the Deputy Mayor ...' / 'Kemi Hart OBE'
        if i == 0 and value and not re.fullmatch(r"[\[\(]?\s*(?:signature|signed|sign|wet|_+|\.+)[^\n]*", value, re.I):
            break
    return None, None


def _name_line(text: str, line: tuple[int, str]) -> Text | None:
    """A value line that is a name and nothing else (post-nominals aside)."""
    offset, value = line
    name = clean_name(COLUMN_GAP.split(value)[0])
    if not name or not value.startswith(name):
        return None
    return Text(name, span(text, offset, offset + len(name)))


def _prefix_role(value: str) -> Text | None:
    m = re.match(r"\s*(PCC|PFCC|DPCC|Mayor|Police and Crime Commissioner|Police, Fire and Crime Commissioner)\b", value)
    return Text(canonical_role(m.group(1)), None) if m else None


def _role_text(text: str, value: str) -> Text:
    return Text(canonical_role(value), None)


def _name_in_signature_table(text: str, start: int, end: int) -> Text | None:
    """The name in the maker's row of a signature table ('Police and Crime Commissioner | Graham
    Ince QPM | (electronically signed) | March 10, 2025')."""
    row = maker_row(text, start, end)
    name = clean_name(row.name.value) if row and row.name else None
    if not name or name not in row.name.value:
        return None
    at = row.name.span.start + row.name.value.index(name)
    return Text(name, span(text, at, at + len(name)))


def _name_after_approval(text: str, start: int, end: int) -> Text | None:
    for phrase in _data()["approval_phrases"]:
        for _, pos in literal_hits(text, (phrase,), start, end):
            for offset, value in _value_lines(text, text.find("\n", pos) + 1 or end, end)[:2]:
                name = clean_name(value)
                if name and value.strip() == name:
                    return Text(name, span(text, offset, offset + len(name)))
    return None


def _name_above_signature(text: str, start: int, end: int) -> Text | None:
    """A printed name on the line just above 'Signature:' (with the post above or below it), or
    else on the first line below it ('Signature ....  Date 14/07/2025' / '' / 'Harriet Lane')."""
    signatures = [start + m.start() for m in re.finditer(r"(?im)^[ \t•*|]*(?:signature|signed)\b", text[start:end])]
    for at in signatures:
        above = [ln for ln in lines_of(text, max(start, at - 200), at) if ln.stripped]
        found = _printed_name(text, reversed(above[-2:]))
        if found:
            return found
    for at in signatures:
        if not in_officer_block(text, at, start):
            below = [ln for ln in lines_of(text, text.find("\n", at) + 1 or end, min(end, at + 200)) if ln.stripped]
            found = _printed_name(text, below[:1])
            if found:
                return found
    return None


def _printed_name(text: str, lines) -> Text | None:
    """The first of these lines that holds a name and nothing else."""
    for line in lines:
        name = clean_name(line.stripped)
        if name and line.stripped == name:
            s = line.start + line.text.index(name)
            return Text(name, span(text, s, s + len(name)))
    return None


def _name_marked_signed(text: str, start: int, end: int) -> Text | None:
    """'Rebecca Thornbury [signed]  Date: 03/04/2024' under the maker's heading, not an officer's."""
    for m in re.compile(_data()["signed_mark_line"], re.M).finditer(text, start, end):
        name = clean_name(m.group("name"))
        if name and not in_officer_block(text, m.start(), start):
            return Text(name, span(text, m.start("name"), m.start("name") + len(name)))
    return None


def _name_in_maker_sentence(text: str, start: int, end: int) -> Text | None:
    """'Helen Marchetti, Director of Place, approved a variation ...'."""
    m = re.compile(_data()["maker_sentence"]).search(text, start, end)
    if not m or not clean_name(m.group("name")):
        return None
    return Text(m.group("name"), span(text, m.start("name"), m.end("name")))


def _role_from_body(text: str, start: int, end: int) -> Text | None:
    for pattern in _data()["role_phrases"]:
        m = re.search(pattern, text[start:end])
        if m:
            return Text(canonical_role(re.sub(r"^The\s+", "", m.group("role"))), None)
    return None


def find_date_signed(text: str, start: int, end: int, maker: str | None = None,
                     own_at: int | None = None) -> Text | None:
    """The date the decision was signed: a signing label, else beside the decision maker's
    signature (`maker`: their name, whatever block it sits in), else the date a decision log or
    listing gives the decision near its own reference (at `own_at`)."""
    found = _date_signed_or_none(text, start, end, maker)
    if found is False:
        return None
    return (found or (_logged_date(text, own_at, end) if own_at is not None else None)
            or _meeting_date(text, start, end))


def _meeting_date(text: str, start: int, end: int) -> Text | None:
    """'Meeting: Cabinet, Monday 13 March 2023, 10.00am': a decision taken at a meeting, with
    nothing signed, is dated by the meeting."""
    for m in _label_regex(_data()["date_labels_meeting"]).finditer(text, start, end):
        found = _date_in_value(text, m.end(), end)
        if found:
            return found
    return None


def _date_signed_or_none(text: str, start: int, end: int, maker: str | None) -> Text | None | bool:
    """A signing date, None if there is none, False if the page says it has none yet."""
    d = _data()
    labelled = _label_regex(d["date_labels_signed"])
    filled = False
    for m in labelled.finditer(text, start, end):
        found = _date_in_value(text, m.end(), end)
        if found:
            return found
        filled = filled or _label_has_text(text, m.end(), end)
    if filled:
        return False  # 'Date signed: signed copy to follow': the page says it has no date yet
    row = maker_row(text, start, end)
    dates = find_dates(text, row.date.span.start, row.date.span.end) if row and row.date and row.date.span else []
    if dates:   # the date cell of the maker's row of a signature table
        s, e, d = dates[0]
        return Text(d.isoformat(), span(text, s, e))
    for anchor in _signature_anchors(text, start, end, maker):
        found = _date_near(text, anchor, end)
        if found:
            return found
    return None


def _date_in_value(text: str, pos: int, end: int) -> Text | None:
    for offset, value in _value_lines(text, pos, end)[:2]:
        dates = find_dates(text, offset, offset + len(value))
        if dates:
            s, e, d = dates[0]
            return Text(d.isoformat(), span(text, s, e))
        if value and not re.fullmatch(r"[_.…\s-]*", value):
            return None
    return None


def _label_has_text(text: str, pos: int, end: int) -> bool:
    line_end = text.find("\n", pos)
    value = text[pos: line_end if 0 <= line_end < end else end]
    return bool(re.search(r"[A-Za-z]{3}", value))


def _signature_anchors(text: str, start: int, end: int, maker: str | None = None) -> list[int]:
    anchors = [e for _, e in literal_hits(text, tuple(_data()["approval_phrases"]), start, end)]
    surname = maker.split()[-1] if maker else None
    signature_lines = rf"(?im)^[ \t•*|]*(?:signature|signed)\b|{_data()['signed_mark_line']}"
    for m in re.finditer(signature_lines, text[start:end]):
        pos = start + m.start()
        line_end = text.find("\n", pos)
        signed_by_maker = surname is not None and surname in text[pos: line_end if line_end >= 0 else end]
        if signed_by_maker or not in_officer_block(text, pos, start):
            anchors.append(pos)
    return sorted(set(anchors))


def _logged_date(text: str, own_at: int, end: int) -> Text | None:
    """'11/11/2024 - Library refit ref: KD-2024-112' (a listing's item heading), or a bare
    'Date:' label just after the own reference in a decision log ('Decision number: PC/25/016' /
    'Date: 14/04/25')."""
    line_start = text.rfind("\n", 0, own_at) + 1
    for s, e, d in find_dates(text, line_start, own_at):
        if s == line_start + len(text[line_start:own_at]) - len(text[line_start:own_at].lstrip()):
            return Text(d.isoformat(), span(text, s, e))
    reach = min(end, own_at + int(_data()["decision_date_reach"]))
    for m in re.compile(_data()["decision_date_label"]).finditer(text, own_at, reach):
        found = _date_in_value(text, m.end(), end)
        if found:
            return found
    return None


def _date_near(text: str, anchor: int, end: int) -> Text | None:
    window_end = min(end, anchor + 300)
    for s, e, d in find_dates(text, anchor, window_end):
        line_start = text.rfind("\n", 0, s) + 1
        line = text[line_start:s]
        if re.search(r"(?i)published|publication|report|meeting|received|review|updated|modified|printed", line):
            continue
        return Text(d.isoformat(), span(text, s, e))
    return None
