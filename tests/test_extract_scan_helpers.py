"""The shortcuts extraction takes to scan less find what the plain regex scans find."""

from __future__ import annotations

import random
import re

from kg.extract import orgs
from kg.extract.text import literal_hits, runs_around

TEXTS = [
    "I approve the plan. i APPROVE THE budget; I hereby approve\nthe Council's Council-led report.",
    "Approved by the Council (Council) under section 22C, s.3(2) and 4 of it: section 9; the Council",
    "İ approve the ı thing; I APPROVE THE ſame: Council",  # characters lower() does not fold like re.I
]


def _random_texts(n: int = 200) -> list[str]:
    rng = random.Random(7)
    words = ["I", "approve", "the", "Council", "section", "3", "(2)", "and", ";", ":", "-", "\n", "x", "İ"]
    return [" ".join(rng.choice(words) for _ in range(rng.randint(0, 40))) for _ in range(n)]


def test_literal_hits_match_ignorecase_finditer():
    phrases = ("I approve the", "approve", "the council", "hereby")
    rx = re.compile("|".join(re.escape(p) for p in phrases), re.I)
    for text in TEXTS + _random_texts():
        for start, end in ((0, len(text)), (3, max(3, len(text) - 5))):
            expected = [m.span() for m in rx.finditer(text[start:end])]
            expected = [(s + start, e + start) for s, e in expected]
            assert literal_hits(text, phrases, start, end) == expected


def test_alias_hits_match_the_slice_regex():
    for alias in ("Council", "the Council"):
        rx = re.compile(rf"(?<![\w-]){re.escape(alias)}(?![\w-])")
        for text in TEXTS + _random_texts():
            for start, end in ((0, len(text)), (5, max(5, len(text) - 4))):
                expected = [(start + m.start(), start + m.end()) for m in rx.finditer(text[start:end])]
                assert orgs._alias_hits(text, alias, start, end) == expected


def test_runs_around_keep_the_matches_starting_in_the_windows():
    pattern = re.compile(r"(?<![\w.])(?:sections?|s\.)\s*\d+(?:\s*\(\w+\))*(?:\s*(?:,|and)\s*\d+)*", re.I)
    barrier = re.compile(r"[^\w\s.,&()\-]")
    for text in TEXTS + _random_texts():
        windows = [(5, 30), (20, 50), (len(text) - 10, len(text))]
        stretches = runs_around(text, windows, barrier, 0, len(text))
        found = [m.span() for s, e in stretches for m in pattern.finditer(text, s, e)]
        expected = [m.span() for m in pattern.finditer(text)]
        in_windows = [sp for sp in expected if any(lo <= sp[0] < hi for lo, hi in windows)]
        assert [sp for sp in found if any(lo <= sp[0] < hi for lo, hi in windows)] == in_windows
        assert set(found) <= set(expected)


def test_alternation_matches_where_the_flat_one_does():
    from kg.extract.trie import alternation

    words = ["Service", "Services", "Centre", "Center", "Co-operative", "Council", "plc", "C"]
    factored = re.compile(f"(?:{alternation(words)})(?![\\w-])")
    flat = re.compile("(?:" + "|".join(map(re.escape, words)) + r")(?![\w-])")
    for text in ["Services Service Centre Councils Council C plc Co-operative Center"] + _random_texts():
        starts = [i for i in range(len(text) + 1) if flat.match(text, i)]
        assert [i for i in range(len(text) + 1) if factored.match(text, i)] == starts


def test_slot_pattern_matches_the_plain_one():
    plain = re.compile(rf"(?i:\b(?:to|with|from|by|towards)[ \t]+(?:the[ \t]+)?)(?P<name>{orgs.PHRASE})")
    texts = ["Paid TO the Acme Trust, BY Kent Police, towards Youth Club and with\tthe Hub; auto Foo Bar",
             "goto Acme Ltd; To The Point Trust; fromage Acme; By Hand Ltd; tOWARDS Big Society"]
    for text in texts + _random_texts():
        for start, end in ((0, len(text)), (4, max(4, len(text) - 3))):
            expected = [(m.span(), m.span("name")) for m in plain.finditer(text, start, end)]
            assert [(m.span(), m.span("name")) for m in orgs.SLOT.finditer(text, start, end)] == expected


def test_sentence_breaks_match_the_plain_pattern():
    from kg.extract.text import SENTENCE_END

    plain = re.compile(
        r"\t+|</?(?:li|p|ul|ol|br|tr|td|th|div)\b[^>]*>|(?<=[.!?;])[ \t]+(?=[A-Z(‘\"“•-])|\n[ \t]*\n"
        r"|(?<=[;:])[ \t]*\n|\n(?=[ \t]*(?:[-•*]|\d+(?:\.\d+)*\.?[ \t]|[A-Z][A-Za-z ]{0,60}\n))")
    rng = random.Random(3)
    pieces = ["\t", "\n", " ", "<p>", "</li>", "<br/>", ".", ";", ":", "A", "b", "1.2", "-", "•", "“", "Hi There", "x"]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
        assert [m.span() for m in SENTENCE_END.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_cue_words_match_the_plain_pattern():
    from kg.extract.cues import cues
    from kg.extract.references import _cue_regex

    words = "|".join(cues("references")["cue_words"])
    plain = re.compile(rf"(?i)\b(?:{words})\s*\(?\s*(?:number|no\b\.?|ref(?:erence)?\b\.?)?\s*[:–-]?\s*\(?")
    rng = random.Random(5)
    pieces = ["decision", "DECISIONS", "Record", "notice", "dn", "DN", "approved by", "Approved  in", "x", " ",
              "\n", "no.", "Number", ":", "(", "1", "ſ", "İ", "-"]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        assert [m.span() for m in _cue_regex().finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_multi_part_scheme_matches_the_plain_pattern():
    from kg.extract.references import ref_schemes

    scheme = next(s for s in ref_schemes() if s.name.startswith("Multi-part"))
    plain = re.compile(r"\b(?P<prefix>[A-Z]{2,6}(?:[/\-][A-Z]{1,6})+)[/\-]"
                       r"(?P<year>(?:19|20)\d\d)[/\-](?P<num>\d{1,4})\b")
    rng = random.Random(9)
    pieces = ["PCC", "DN", "OPCC", "D", "/", "-", "2014", "022", "x", "aPCC", " ", "\n", "ABCDEFG"]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 20)))
        assert [m.groupdict() for m in scheme.regex.finditer(text)] == [m.groupdict() for m in plain.finditer(text)]
        assert bool(scheme.regex.match(text, 3)) == bool(plain.match(text, 3))


def test_provision_chains_match_the_plain_patterns():
    from kg.extract import law
    from kg.extract.cues import cues

    g, data, num, br = law._grammar(), cues("law"), law.NUM, law.BR
    any_kind = "(?:" + "|".join(data["kind_words"].values()) + ")"
    one = rf"(?<![\w]){any_kind}\s*{num}(?:\s*{br})*"
    more = rf"(?:\s*(?:,|\band\b|\bor\b|&|\bto\b)\s*(?:{num}|{br})(?:\s*{br})*)*"
    chain = rf"{one}{more}(?:\s*,?\s*(?:of\s+(?:the\s+)?|in\s+)?{one}{more})*"
    statutory = "|".join(v for k, v in data["kind_words"].items()
                         if k in ("section", "regulation", "article", "paragraph", "schedule"))
    before = re.compile(rf"(?P<chain>{chain}){data['joiner_before']}", re.I)
    bare = re.compile(rf"(?<![\w.])(?P<chain>(?:{statutory})\s*{num}(?:\s*{br})*{more}"
                      rf"(?:\s*,?\s*(?:of\s+(?:the\s+)?|in\s+)?{one}{more})*)", re.I)
    rng = random.Random(1)
    pieces = ["section", "Sections", "s.", "ss", "SCH.", "Schedule", "para", "sub-paragraph", "Part", "pt.", "ch.",
              "r.", "Reg", "art", "ſection", "1", "22A", "(2)", "(b)", " ", "\n", ",", "and", "of the", "x", ".", "a"]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 25)))
        assert [m.span("chain") for m in g["bare"].finditer(text)] == [m.span("chain") for m in bare.finditer(text)]
        new, old = g["before"].search(text), before.search(text)
        assert (new and (new.span(), new.span("chain"))) == (old and (old.span(), old.span("chain")))


def test_non_overlapping_keeps_what_comparing_with_each_keeps():
    from kg.extract.model import Org, OrgMention, Span

    def naive(mentions):
        ranked = sorted(mentions, key=lambda m: (not m.org.in_registry, -(m.span.end - m.span.start), m.span.start))
        taken = []
        for m in ranked:
            if all(m.span.end <= t.span.start or m.span.start >= t.span.end for t in taken):
                taken.append(m)
        return sorted(taken, key=lambda m: m.span.start)

    rng = random.Random(11)
    for _ in range(2000):
        mentions = []
        for k in range(rng.randint(0, 12)):
            s = rng.randint(0, 40)
            mentions.append(OrgMention(Org(f"k{k}", "n", (), rng.random() < 0.5), Span(s, s + rng.randint(1, 8), "")))
        assert orgs._non_overlapping(mentions) == naive(mentions)


def test_run_start_is_just_after_the_last_barrier():
    from kg.extract.text import _run_start

    barrier = re.compile(r"[^\w\s'’&\-()]")
    for text in TEXTS + _random_texts():
        for pos in range(0, len(text) + 1, 3):
            ends = [m.end() for m in barrier.finditer(text, 2, pos)] if pos >= 2 else []
            assert _run_start(text, pos, min(2, pos), barrier) == (ends[-1] if ends else min(2, pos))
