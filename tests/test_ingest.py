"""Ingest: every supported format becomes text that points back into its source."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.ingest import Source, collect_sources, read_document
from tests.helpers import write_pdf

FIXTURES = Path(__file__).parent / "fixtures" / "docs"


def read(path: Path):
    return read_document(Source(path, path.name))


def test_plain_text_is_kept_verbatim_with_identity_offsets():
    doc = read(FIXTURES / "pcd-9001-bus-stop-safety.txt")
    source = (FIXTURES / "pcd-9001-bus-stop-safety.txt").read_text(encoding="utf-8")
    assert doc.text == source
    assert doc.media_type == "text/plain"
    i = doc.text.index("£215,000")
    assert doc.source_offset(i) == i


def test_content_hash_is_stable_and_depends_on_content(tmp_path):
    a = tmp_path / "a.txt"
    a.write_text("Reference code: PCD 1\nSome decision text here.", encoding="utf-8")
    first, again = read(a).content_hash, read(a).content_hash
    a.write_text("Reference code: PCD 1\nSome other decision text.", encoding="utf-8")
    assert first == again and len(first) == 16
    assert read(a).content_hash != first


def test_markdown_markup_is_removed_but_offsets_point_back_to_the_source():
    path = FIXTURES / "gla-md9002-riverside-walkway.md"
    source = path.read_text(encoding="utf-8")
    doc = read(path)
    assert "**" not in doc.text and "# " not in doc.text
    i = doc.text.index("Riverside Walkway lighting grant")
    start = doc.source_offset(i)
    assert source[start:start + 32] == "Riverside Walkway lighting grant"


def test_html_keeps_main_content_and_drops_navigation_and_footer():
    path = FIXTURES / "nav-page.html"
    doc = read(path)
    assert doc.media_type == "text/html"
    assert "Rural crime vehicles" in doc.text and "£86,400" in doc.text
    for furniture in ("£9,999,999", "cookies", "Copyright", "PCD 77"):
        assert furniture not in doc.text
    source = path.read_text(encoding="utf-8")
    i = doc.text.index("Moorland Off-Road")
    assert source[doc.source_offset(i):].startswith("Moorland Off-Road")


def test_pdf_text_layer_is_read(tmp_path):
    pdf = write_pdf(tmp_path / "decision.pdf", ["Reference code: PCD 4242", "A grant of 5,000 pounds."])
    doc = read(pdf)
    assert doc.media_type == "application/pdf"
    assert "PCD 4242" in doc.text


def test_folders_are_read_recursively_and_globs_expand(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "one.txt").write_text("x", encoding="utf-8")
    (tmp_path / "a" / "b" / "two.md").write_text("x", encoding="utf-8")
    (tmp_path / "a" / "b" / "skip.json").write_text("{}", encoding="utf-8")
    sources, problems = collect_sources([str(tmp_path / "a")])
    assert [s.key for s in sources] == ["b/two.md", "one.txt"] and not problems
    sources, _ = collect_sources([str(tmp_path / "a" / "**" / "*.md")])
    assert [s.key for s in sources] == ["b/two.md"]
    sources, problems = collect_sources([str(tmp_path / "missing")])
    assert not sources and "no such file" in str(problems[0])


@pytest.mark.parametrize(("name", "content", "problem"), [
    ("empty.txt", b"", "empty file"),
    ("blank.txt", b"   \n\n  ", "empty file"),
    ("binary.txt", b"\x00\x01\x02PCD 1\x00" * 20, "binary file"),
    ("latin1.txt", "Reference code: PCD 5 – £500 café".encode("cp1252"), "not valid UTF-8"),
    ("broken.pdf", b"%PDF-1.4 this is not really a pdf", "PDF"),
])
def test_bad_files_raise_one_line_errors_naming_the_file(tmp_path, name, content, problem):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as err:
        read(path)
    message = str(err.value)
    assert name in message and problem in message and "\n" not in message


def test_unreadable_file_is_reported(tmp_path):
    link = tmp_path / "gone.txt"
    os.symlink(tmp_path / "does-not-exist.txt", link)
    with pytest.raises(InputError, match="gone.txt: cannot read file"):
        read(link)


def test_an_articles_own_header_is_kept_but_the_sites_is_dropped():
    from kg.ingest.html import html_to_text

    page = ("<html><body><header><p>Fernshire Fire Authority</p><p>Bins and recycling</p></header>"
            "<main><article><header><h1>Decision Record FFA/2024/089</h1>"
            "<p>Hose reels - award of contract</p></header><p>The Authority awards a contract.</p>"
            "</article></main></body></html>")
    text, _ = html_to_text(page)
    assert "Hose reels - award of contract" in text and "Decision Record FFA/2024/089" in text
    assert "Bins and recycling" not in text


def test_a_non_breaking_space_entity_is_a_space():
    from kg.ingest.html import html_to_text

    text, _ = html_to_text("<main><p>Authorisation name:&nbsp;Ewan Castle</p></main>")
    assert "Authorisation name: Ewan Castle" in text


def test_a_sidebar_of_key_facts_is_kept_but_other_sidebars_are_dropped():
    from kg.ingest.html import html_to_text

    page = ("<main><article><h1>Advocacy contract</h1><aside class=\"key-info\"><dl><dt>Reference code:</dt>"
            "<dd>PCD 1721</dd><dt>Date signed:</dt><dd>03 December 2024</dd></dl></aside>"
            "<aside class=\"related\"><p>Latest news</p></aside><p>MOPAC awards a contract.</p></article></main>")
    text, _ = html_to_text(page)
    assert "Reference code:\nPCD 1721" in text and "Date signed:\n03 December 2024" in text
    assert "Latest news" not in text


def test_an_empty_skip_link_anchor_is_not_the_main_content():
    from kg.ingest.html import html_to_text

    page = ("<html><body><div id=\"navigation\"><ul class=\"menu\"><li>Home</li></ul></div>"
            "<div id=\"content\"><a id=\"main-content\"></a><h1>Restorative justice grant</h1>"
            "<p>Reference code: DMPCD 2014 301</p></div></body></html>")
    text, _ = html_to_text(page)
    assert "Reference code: DMPCD 2014 301" in text and "Restorative justice grant" in text
    assert "Home" not in text


def test_an_html_pages_title_is_kept_beside_its_text(tmp_path):
    page = tmp_path / "d.html"
    page.write_text("<html><head><title>Decision &ndash; Bus grant |\n Mardale Combined Authority</title></head>"
                    "<body><main><p>Reference: MD 118 and a few more words of text here.</p></main></body></html>")
    doc = read(page)
    assert doc.page_title == "Decision – Bus grant | Mardale Combined Authority"
    assert "Mardale" not in doc.text
