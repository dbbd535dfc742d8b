"""The sanitiser's short cuts give the bytes its full path gives (issue 12).

:mod:`thinktank.sanitize` skips work where it provably changes nothing:
text that ``str.isprintable`` passes is not run through the removal
regexes, heading text without markup does not go through the HTML parser,
and HTML in which no ``<img>`` can start is cleaned without the image filter
(a call back into Python for every attribute). Each test compares the short
cut with the full path it replaces, on every code point where that is
possible and on seeded random inputs otherwise; the long run of the random
comparison is marked ``slow``.
"""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

import nh3
import pytest

from thinktank import sanitize
from thinktank.sanitize import clean_html, plain_text, text_of_html, xml_text

FIXTURES = Path(__file__).parent / "xss"
EVIL = "https://evil.example/p.gif"

TOKENS = [
    "<p>", "</p>", "<div>", "<b>", "</b>", "<br>", "<!--", "-->", "<![CDATA[", "]]>", "<script>", "</script>",
    "<style>", "<svg>", "<math>", "<table><tr><td style='text-align: right; color: red'>", "</td>", "<pre>",
    "<textarea>", "<a href='javascript:alert(1)'>", "<a href='#x' rel='me'>", "</a>", "<img src='a.png'>",
    f"<img src='{EVIL}' alt=x>", f"<IMAGE src={EVIL}>", f"<iMg src={EVIL}>", "<i\x00mg src=//evil.example/x>",
    "<im", "<i", "mg", "ge src=", "<in", " onerror=alert(1)", " src=", "'", '"', "=", ">", "<", "&", "&amp;",
    "&lt;", "&#0;", "&#x202e;", "&nbsp;", "&notanentity;", "&am", "\x00", "\x08", "\x0b", "\x0c", "\x1b", "\x7f",
    "\x85", "\xa0", "\u200b", "\u202e", "\u2066", "\ufeff", "\ufffe", "\ud800", "\U0001f600", "\r", "\r\n",
    "\t", "\n", "\n\n", " ", "Türkçe", "İı", "русский", "A & B", "a", "1", "\u2028", "\u00ad", "\u0301",
]


def _random_inputs(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(TOKENS) for _ in range(rng.randrange(1, 40))) for _ in range(count)]


def _printable_code_points() -> str:
    return "".join(chr(code) for code in range(sys.maxunicode + 1) if chr(code).isprintable())


def test_printable_text_holds_nothing_to_remove() -> None:
    """What :func:`thinktank.sanitize.xml_text` and ``plain_text`` rely on, for every code point."""
    printable = _printable_code_points()
    assert sanitize._NOT_XML.search(printable) is None
    assert sanitize._INVISIBLE.search(printable) is None
    assert xml_text(printable + "\t\n\r") == printable + "\t\n\r"


def _full_xml_text(text: str) -> str:
    return sanitize._NOT_XML.sub("", text)


def _full_plain_text(text: str) -> str:
    return sanitize._INVISIBLE.sub("", sanitize._NOT_XML.sub("", text))


def test_removal_is_unchanged_by_the_printable_short_cut() -> None:
    for text in [*_random_inputs(400, seed=1), "\xa0\n", "a\u202eb", "\x08", "", "tab\tline\nend\r"]:
        assert xml_text(text) == _full_xml_text(text), repr(text)
        assert plain_text(text) == _full_plain_text(text), repr(text)


def _full_text_of_html(fragment: str) -> str:
    return nh3.clean(plain_text(fragment), tags=set(), attributes={}, strip_comments=True)


def test_text_without_markup_is_what_the_cleaner_returns() -> None:
    """Every code point the short cut lets through comes back from the HTML parser as it went in."""
    unmarked = re.sub("[<>&\r\xa0]", "", plain_text(_printable_code_points() + "\t\n"))
    assert sanitize._MARKUP_OR_CHANGED.search(unmarked) is None
    assert _full_text_of_html(unmarked) == unmarked
    assert text_of_html(unmarked) == unmarked
    for changed in ("a\rb", "a\r\nb", "a\xa0b", "A & B", "x > y", "<b>x</b>", "&amp;", "a\x00b\u202e"):
        assert text_of_html(changed) == _full_text_of_html(changed), repr(changed)


def test_heading_text_is_cleaned_as_the_full_path_cleans_it() -> None:
    for fragment in _random_inputs(400, seed=2):
        assert text_of_html(fragment) == _full_text_of_html(fragment), repr(fragment)


def _full_clean_html(fragment: str, host: str | None) -> str:
    return sanitize._cleaner(host).clean(xml_text(fragment))


@pytest.mark.parametrize("fragment", [
    f"<IMAGE src={EVIL}>", f"<image src='{EVIL}'>", f"<ImG src='{EVIL}'>", f"<i\x00mg src='{EVIL}'>",
    f"<svg><img src='{EVIL}'></svg>", f"<p>text</p><img\nsrc='{EVIL}'>",
])
def test_every_spelling_of_an_image_goes_through_the_filter(fragment: str) -> None:
    cleaned = clean_html(fragment, "example.org")
    assert "<img" in cleaned and "src" not in cleaned, cleaned


def _corpus() -> list[str]:
    return [path.read_text(encoding="utf-8") for path in sorted(FIXTURES.rglob("*")) if path.is_file()]


def test_html_without_images_is_cleaned_the_same_without_the_filter() -> None:
    inputs = [*_corpus(), *_random_inputs(400, seed=3)]
    assert any(sanitize._IMAGE_TAG.search(xml_text(text)) is None for text in inputs)
    for text in inputs:
        for host in ("example.org", None):
            assert clean_html(text, host) == _full_clean_html(text, host), repr(text)


@pytest.mark.slow
def test_short_cuts_agree_with_the_full_paths_on_many_inputs() -> None:
    for text in _random_inputs(20_000, seed=4):
        assert xml_text(text) == _full_xml_text(text), repr(text)
        assert plain_text(text) == _full_plain_text(text), repr(text)
        assert text_of_html(text) == _full_text_of_html(text), repr(text)
        assert clean_html(text, "example.org") == _full_clean_html(text, "example.org"), repr(text)
