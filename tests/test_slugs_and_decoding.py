"""Slugs are safe ASCII path parts; legacy code pages decode to the right letters."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thinktank.errors import ArticleFormatError
from thinktank.importers.decoding import decode
from thinktank.slugs import is_safe_part, slugify


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Background of Russia-North Korea Cooperation", "background-of-russia-north-korea-cooperation"),
        ("Türkiye'nin Dış Politikası: Işık ve Gölge", "turkiyenin-dis-politikasi-isik-ve-golge"),
        ("İstanbul Boğazı", "istanbul-bogazi"),
        ("Россия и Северная Корея: новый этап", "rossiya-i-severnaya-koreya-novyy-etap"),
        ("Щит и меч", "shchit-i-mech"),
        ("../../etc/passwd", "etc-passwd"),
    ],
)
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug


@given(st.text(max_size=300))
def test_any_title_gives_a_safe_slug_or_none(title: str) -> None:
    slug = slugify(title)
    assert slug == "" or (is_safe_part(slug) and slug.isascii() and len(slug) <= 80)


@pytest.mark.parametrize(
    ("text", "codec", "name"),
    [
        ("Türkiye'nin Karadeniz politikası ve Boğazlar üzerine bir değerlendirme. IŞIK, ŞAHİN, GÜLTEN.", "cp1254", "Windows-1254"),
        ("Россия и Северная Корея: визит Ким Чен Ына и его последствия для региона.", "cp1251", "Windows-1251"),
    ],
)
def test_legacy_code_pages_are_recognised(text: str, codec: str, name: str) -> None:
    decoded = decode(text.encode(codec))
    assert decoded.text == text and decoded.encoding_name == name


def test_utf8_bom_and_utf16_are_read() -> None:
    assert decode("\ufeffTitle\n\nText".encode("utf-8")).text == "Title\n\nText"
    assert decode("Başlık\n\nMetin".encode("utf-16")).text == "Başlık\n\nMetin"


def test_binary_is_refused() -> None:
    with pytest.raises(ArticleFormatError, match="binary"):
        decode(bytes(range(256)) * 4, "blob.bin")


@pytest.mark.parametrize("data", ["Başlık\n\nMetin".encode("utf-16")[:-1], b"\xff\xfe\x00\xd8a\x00"],
                         ids=["odd-length", "lone-surrogate"])
def test_broken_utf16_is_one_line(data: bytes) -> None:
    with pytest.raises(ArticleFormatError, match=r"^dump.txt: starts as UTF-16 but is invalid at byte \d+"):
        decode(data, "dump.txt")
