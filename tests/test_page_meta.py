"""The page head and frame a think tank's readers and indexers expect, in every language (issue 11).

Unit tests of :mod:`thinktank.page_meta` (pure functions), then one site
built per module from the committed sources plus a date, an original URL
and a hostile title, whose HTML is read back: Open Graph, JSON-LD (parsed),
Google Scholar tags, the absolute ``hreflang`` set with ``x-default``, the
description in the page's language and the localised footer.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urljoin

import pytest

from thinktank import frontmatter, languages, page_meta
from thinktank.languages import PACKAGED
from thinktank.urls import page_path
from thinktank.page_meta import Licence, PageFacts, PageMetaError, Person, SiteFacts

from thinktank.mkdocs_plugin import page_head

from .conftest import ROOT, build_site, copy_site_sources

HOSTILE_TITLE = '</script><script>alert("jsonld")</script> <!-- & \u2028 Q&A'
PISM = "analyses/north-korea-strengthens-cooperation-with-russia.md"
ANKASAM = "analyses/background-of-russia-north-korea-cooperation.md"
ORIGINAL = "https://ankasam.org/background-of-russia-north-korea-cooperation/"
SITE = SiteFacts(name="Eurasia Policy Review", url="https://example.org/", description="Site description.",
                 default="en", languages=("en", "tr", "ru"),
                 locales={"en": "en_US", "tr": "tr_TR", "ru": "ru_RU"}, logo="assets/images/logo.svg")
TR_SITE = SiteFacts(**{**SITE.__dict__, "name": "Avrasya Politika İncelemesi"})
AUTHOR = Person("Zeki Talustan Gülten", "https://example.org/tr/authors/zeki-talustan-gulten/")


def _article(lang: str = "tr", **changes: object) -> PageFacts:
    values: dict[str, object] = dict(uri=ANKASAM, lang=lang, title="Rusya-Kuzey Kore İşbirliğinin Arka Planı",
                                     description="Açıklama.", article=True, scholarly=True, authors=(AUTHOR,),
                                     published=dt.date(2024, 2, 1), original_url=ORIGINAL, original_publisher="ANKASAM")
    values.update(changes)
    return PageFacts(**values)  # type: ignore[arg-type]


# --- Pure functions ------------------------------------------------------------------------------

def test_the_description_is_the_editors_then_the_summary_then_the_first_paragraph_then_the_sites() -> None:
    paragraph = "Kuzey Kore **sınırlarını** kapattı.[^1] [Kaynak](https://example.org/x) burada."
    assert page_meta.describe(description="Editör.", summary="Özet.", paragraph=paragraph, fallback="Site.") == "Editör."
    assert page_meta.describe(summary="Özet.", paragraph=paragraph, fallback="Site.") == "Özet."
    assert page_meta.describe(paragraph=paragraph, fallback="Site.") == "Kuzey Kore sınırlarını kapattı. Kaynak burada."
    assert page_meta.describe(fallback="Site.") == "Site."
    assert page_meta.describe(paragraph='Bio <img src="https://evil.example/x.png"> &amp; <a href="#">a link</a>.') == \
        "Bio & a link."
    long = " ".join(f"Предложение номер {n}." for n in range(60))
    cut = page_meta.describe(summary=long)
    assert len(cut) <= page_meta.DESCRIPTION_CHARS and cut.endswith(".") and long.startswith(cut)
    # An editor's description is theirs: never cut or rewritten, invisibles aside.
    assert page_meta.describe(description="snake_case *stays*\u202e") == "snake_case *stays*"


def test_json_in_a_script_element_cannot_end_it_and_reads_back_the_same() -> None:
    data = {"headline": HOSTILE_TITLE, "nested": [{"name": "<b>&amp;</b>"}]}
    text = page_meta.script_json(data)
    assert not set("<>&\u2028\u2029") & set(text)
    assert json.loads(text) == data


def test_script_json_escapes_as_one_regex_pass_did() -> None:
    """:func:`page_meta.script_json` replaces each unsafe character in turn; the result is the single pass's."""
    import random

    rng = random.Random(5)
    pieces = ["<", ">", "&", "\u2028", "\u2029", "</script>", "<!--", "\\u003c", "a", "é", " ", '"', "\\"]
    for _ in range(300):
        data = {"t": "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 12))), "n": [rng.choice(pieces)]}
        plain = json.dumps(data, ensure_ascii=False, sort_keys=False, separators=(",", ":"))
        expected = re.sub("[<>&\u2028\u2029]", lambda m: page_meta._SCRIPT_UNSAFE[m.group(0)], plain)
        assert page_meta.script_json(data) == expected
        assert not set("<>&\u2028\u2029") & set(expected) and json.loads(expected) == data


def test_hreflang_alternates_are_absolute_every_language_and_x_default_english() -> None:
    assert page_meta.alternates(SITE, ANKASAM) == [
        ("en", "https://example.org/analyses/background-of-russia-north-korea-cooperation/"),
        ("tr", "https://example.org/tr/analyses/background-of-russia-north-korea-cooperation/"),
        ("ru", "https://example.org/ru/analyses/background-of-russia-north-korea-cooperation/"),
        ("x-default", "https://example.org/analyses/background-of-russia-north-korea-cooperation/")]
    assert page_meta.alternates(SITE, "index.md")[1] == ("tr", "https://example.org/tr/")


def test_open_graph_of_an_article_and_of_another_page() -> None:
    props = page_meta.open_graph(_article(), TR_SITE)
    assert props[:5] == [("og:type", "article"), ("og:title", "Rusya-Kuzey Kore İşbirliğinin Arka Planı"),
                         ("og:description", "Açıklama."),
                         ("og:url", "https://example.org/tr/analyses/background-of-russia-north-korea-cooperation/"),
                         ("og:site_name", "Avrasya Politika İncelemesi")]
    assert ("og:locale", "tr_TR") in props
    assert [value for key, value in props if key == "og:locale:alternate"] == ["en_US", "ru_RU"]
    assert ("article:published_time", "2024-02-01") in props and ("article:author", AUTHOR.url) in props
    assert not any(key == "og:image" for key, _ in props), "link previews do not show an SVG logo"
    about = dict(page_meta.open_graph(PageFacts(uri="about.md", lang="en", title="About", description="d"), SITE))
    assert about["og:type"] == "website" and "article:published_time" not in about
    assert dict(page_meta.open_graph(_article(), SiteFacts(**{**SITE.__dict__, "logo": "a/logo.png"})))[
        "og:image"] == "https://example.org/a/logo.png"


def test_scholar_tags_name_every_author_and_write_the_date_with_slashes() -> None:
    second = Person("Oskar Pietrewicz")
    tags = page_meta.scholar(_article(authors=(AUTHOR, second)), TR_SITE)
    assert tags == [("citation_title", "Rusya-Kuzey Kore İşbirliğinin Arka Planı"),
                    ("citation_author", "Zeki Talustan Gülten"), ("citation_author", "Oskar Pietrewicz"),
                    ("citation_publication_date", "2024/02/01"), ("citation_language", "tr"),
                    ("citation_publisher", "Avrasya Politika İncelemesi")]
    assert ("citation_publication_date", "2024/02/01") not in page_meta.scholar(_article(published=None), SITE)
    assert page_meta.scholar(PageFacts(uri="about.md", lang="en", title="About", description=""), SITE) == []


def test_json_ld_of_a_translated_article_points_at_the_original_and_the_english_page() -> None:
    data = page_meta.json_ld(_article(), TR_SITE)
    assert data is not None
    assert data["@type"] == "ScholarlyArticle" and data["inLanguage"] == "tr"
    assert data["author"] == [{"@type": "Person", "name": AUTHOR.name, "url": AUTHOR.url}]
    assert data["datePublished"] == "2024-02-01"
    assert data["isBasedOn"] == {"@type": "CreativeWork", "url": ORIGINAL,
                                 "publisher": {"@type": "Organization", "name": "ANKASAM"}}
    assert data["translationOfWork"]["@id"] == "https://example.org/analyses/background-of-russia-north-korea-cooperation/"
    assert data["publisher"] == {"@type": "Organization", "name": "Avrasya Politika İncelemesi",
                                 "url": "https://example.org/tr/",
                                 "logo": {"@type": "ImageObject", "url": "https://example.org/assets/images/logo.svg"}}
    english = page_meta.json_ld(_article("en", scholarly=False, published=None, original_url=""), SITE)
    assert english is not None and english["@type"] == "Article" and "translationOfWork" not in english
    assert [item["inLanguage"] for item in english["workTranslation"]] == ["tr", "ru"]
    assert "datePublished" not in english and "url" not in english["isBasedOn"]
    assert page_meta.json_ld(PageFacts(uri="about.md", lang="en", title="About", description=""), SITE) is None
    assert page_meta.json_ld(PageFacts(uri="index.md", lang="en", title="Home", description=""), SITE)["@type"] == "WebSite"  # type: ignore[index]


def test_only_an_http_url_is_an_original() -> None:
    assert page_meta.original_url(" https://pism.pl/x ") == "https://pism.pl/x"
    assert page_meta.original_url("javascript:alert(1)") == page_meta.original_url("pism.pl/x") == ""
    assert page_meta.original_url(["https://pism.pl/x"]) == ""


def test_the_footer_escapes_the_words_and_links_the_licence() -> None:
    words = "<b>İçerik</b> {licence} lisansıyla & yeniden kullanılabilir."
    text = page_meta.footer_html("© 2024 <a href='/'>EPR</a>", Licence("CC <BY> 4.0", 'https://x.org/"a'), words)
    assert text == ("© 2024 <a href='/'>EPR</a> · &lt;b&gt;İçerik&lt;/b&gt; "
                    '<a href="https://x.org/&quot;a" rel="license">CC &lt;BY&gt; 4.0</a> lisansıyla &amp; yeniden '
                    "kullanılabilir.")
    assert page_meta.footer_html("", None, words) == ""


@pytest.mark.parametrize("value", ["CC BY 4.0", {"name": "CC BY"}, {"name": "", "url": "https://x.org/"},
                                   {"name": "CC BY", "url": "javascript:alert(1)"}])
def test_a_licence_setting_without_name_and_http_url_is_refused_in_one_line(value: object) -> None:
    with pytest.raises(PageMetaError) as caught:
        page_meta.licence(value, Path("mkdocs.yml"))
    assert str(caught.value).startswith("mkdocs.yml: extra.thinktank.licence: ") and "\n" not in str(caught.value)
    assert page_meta.licence(None) is None
    assert page_meta.licence({"name": " CC BY 4.0 ", "url": "https://creativecommons.org/licenses/by/4.0/"}) == \
        Licence("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/")


def test_every_shipped_language_and_the_german_fixture_have_their_words() -> None:
    found = {code: languages.read(PACKAGED / f"{code}.yml") for code in ("en", "tr", "ru")}
    assert {code: item.locale for code, item in found.items()} == {"en": "en_US", "tr": "tr_TR", "ru": "ru_RU"}
    assert all("{licence}" in item.labels["reuse"] for item in found.values())
    assert languages.read(Path(__file__).parent / "languages" / "de.yml").locale == "de_DE"


@pytest.mark.parametrize(("change", "problem"), [
    (("locale: tr_TR\n", ""), "missing locale"),
    (("locale: tr_TR", "locale: tr"), "locale 'tr' must be language_TERRITORY"),
    (("{licence} lisansıyla", "{name} lisansıyla"), "label reuse"),
    (('  reuse: "İçerik {licence} lisansıyla yeniden kullanılabilir."\n', ""), "missing labels reuse"),
])
def test_a_language_file_without_usable_words_is_refused_naming_the_file(tmp_path: Path, change: tuple[str, str],
                                                                          problem: str) -> None:
    text = (PACKAGED / "tr.yml").read_text(encoding="utf-8")
    assert change[0] in text
    path = tmp_path / "tr.yml"
    path.write_text(text.replace(*change), encoding="utf-8")
    with pytest.raises(languages.LanguageError) as caught:
        languages.read(path)
    assert str(caught.value).startswith(f"{path}: ") and problem in str(caught.value), caught.value


# --- The built site ------------------------------------------------------------------------------

class _Head(HTMLParser):
    """The head's metadata and the footer's text of one built page."""

    def __init__(self) -> None:
        super().__init__()
        self.names: list[tuple[str, str]] = []
        self.properties: list[tuple[str, str]] = []
        self.alternates: list[tuple[str, str]] = []
        self.scripts: list[tuple[str, str]] = []
        self.links: dict[str, str] = {}
        self.material_alternates: list[str] = []
        """hrefs of the elements Material's script reads (``link[rel=alternate]``, an exact match)."""
        self.footer = ""
        self._script: str | None = None
        self._in_footer = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {key: value or "" for key, value in attrs}
        if tag == "link" and values.get("rel") == "alternate":
            self.material_alternates.append(values.get("href", ""))
        if tag == "meta" and "name" in values:
            self.names.append((values["name"], values.get("content", "")))
        elif tag == "meta" and "property" in values:
            self.properties.append((values["property"], values.get("content", "")))
        elif tag == "link" and values.get("rel", "").split() == ["alternate"] and "type" not in values:
            self.alternates.append((values["hreflang"], values["href"]))
        elif tag == "link":
            self.links.setdefault(values.get("rel", ""), values.get("href", ""))
        elif tag == "script":
            self._script = values.get("type", "")
            self.scripts.append((self._script, ""))
        if tag == "div" and (self._in_footer or "md-copyright" in values.get("class", "").split()):
            self._in_footer += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None
        if tag == "div" and self._in_footer:
            self._in_footer -= 1

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            kind, text = self.scripts[-1]
            self.scripts[-1] = (kind, text + data)
        if self._in_footer:
            self.footer += data

    def json_ld(self) -> list[dict[str, object]]:
        return [json.loads(text) for kind, text in self.scripts if kind == "application/ld+json"]


def _dated(path: Path, date: str, url: str) -> None:
    text = path.read_text(encoding="utf-8")
    text = text.replace("\nauthors:", f"\ndate: {date}\nauthors:", 1).replace("\nsource:\n", f"\nsource:\n  url: {url}\n", 1)
    path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def meta_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The committed site with both analyses dated, the ANKASAM one with its original's URL, and a hostile title."""
    repo = copy_site_sources(tmp_path_factory.mktemp("meta-site"))
    _dated(repo / "docs" / ANKASAM, "2024-02-01", ORIGINAL)
    _dated(repo / "docs" / PISM, "2023-09-20", "javascript:alert('not-an-original')")
    (repo / "docs" / "analyses" / "hostile-title.md").write_text(
        "---\ntitle: " + json.dumps(HOSTILE_TITLE) + "\nauthors:\n- oskar-pietrewicz\n---\n\nA short text.\n",
        encoding="utf-8")
    return build_site(repo)


def _head(site: Path, lang: str, uri: str) -> _Head:
    parser = _Head()
    prefix = "" if lang == "en" else f"{lang}/"
    parser.feed((site / prefix / page_path(uri) / "index.html").read_text(encoding="utf-8"))
    return parser


# Each language's summary/first paragraph as the catalogs give it, and its footer words.
DESCRIPTIONS = {
    "en": ("Kim Jong Un's visit to Russia from 12 to 17 September", "While war continuing on Ukraine"),
    "tr": ("Kim Jong Un'un 12-17 Eylül tarihleri arasındaki Rusya ziyareti", "Ukrayna'da savaş"),
    "ru": ("Визит Ким Чен Ына в Россию с 12 по 17 сентября", "На фоне продолжающейся войны"),
}
FOOTERS = {"en": "© 2024 Eurasia Policy Review · Reuse under CC BY 4.0.",
           "tr": "© 2024 Avrasya Politika İncelemesi · İçerik CC BY 4.0 lisansıyla yeniden kullanılabilir.",
           "ru": "© 2024 Евразийское политическое обозрение · Материалы можно использовать на условиях лицензии CC BY 4.0."}
SITE_NAMES = {"en": "Eurasia Policy Review", "tr": "Avrasya Politika İncelemesi", "ru": "Евразийское политическое обозрение"}
AUTHOR_NAMES = {"en": "Zeki Talustan Gülten", "tr": "Zeki Talustan Gülten", "ru": "Зеки Талустан Гюльтен"}
LOCALES = {"en": "en_US", "tr": "tr_TR", "ru": "ru_RU"}


@pytest.mark.parametrize("lang", ["en", "tr", "ru"])
def test_an_article_head_speaks_its_language_to_indexers(meta_site: Path, lang: str) -> None:
    prefix = "" if lang == "en" else f"{lang}/"
    page_url = f"https://example.org/{prefix}analyses/background-of-russia-north-korea-cooperation/"
    head = _head(meta_site, lang, ANKASAM)
    names = dict(head.names)
    props = dict(head.properties)
    # The description: the page's own first paragraph in this language (it has no summary), never the site's.
    assert names["description"].startswith(DESCRIPTIONS[lang][1]), names["description"]
    assert "[^" not in names["description"] and len(names["description"]) <= page_meta.DESCRIPTION_CHARS
    assert props["og:description"] == names["description"]
    # Open Graph.
    assert props["og:type"] == "article" and props["og:url"] == page_url == head.links["canonical"]
    assert props["og:title"] == names["citation_title"] != ""
    assert props["og:site_name"] == SITE_NAMES[lang] and props["og:locale"] == LOCALES[lang]
    assert sorted(value for key, value in head.properties if key == "og:locale:alternate") == sorted(
        value for code, value in LOCALES.items() if code != lang)
    assert props["article:published_time"] == "2024-02-01"
    assert props["article:author"] == f"https://example.org/{prefix}authors/zeki-talustan-gulten/"
    # Google Scholar.
    assert names["citation_publication_date"] == "2024/02/01" and names["citation_language"] == lang
    assert [value for key, value in head.names if key == "citation_author"] == [AUTHOR_NAMES[lang]]
    # The hreflang set: absolute, each language once, x-default the English page; no relative duplicates.
    assert head.alternates == [
        ("en", "https://example.org/analyses/background-of-russia-north-korea-cooperation/"),
        ("tr", "https://example.org/tr/analyses/background-of-russia-north-korea-cooperation/"),
        ("ru", "https://example.org/ru/analyses/background-of-russia-north-korea-cooperation/"),
        ("x-default", "https://example.org/analyses/background-of-russia-north-korea-cooperation/")]
    # JSON-LD.
    [data] = head.json_ld()
    assert data["@type"] == "ScholarlyArticle" and data["inLanguage"] == lang and data["url"] == page_url
    assert data["headline"] == props["og:title"] and data["description"] == names["description"]
    assert data["author"] == [{"@type": "Person", "name": AUTHOR_NAMES[lang],
                               "url": f"https://example.org/{prefix}authors/zeki-talustan-gulten/"}]
    assert data["datePublished"] == "2024-02-01"
    assert data["isBasedOn"] == {"@type": "CreativeWork", "url": ORIGINAL,
                                 "publisher": {"@type": "Organization", "name": "ANKASAM"}}
    assert data["publisher"]["name"] == SITE_NAMES[lang]  # type: ignore[index]
    assert data["publisher"]["logo"]["url"] == "https://example.org/assets/images/logo.svg"  # type: ignore[index]
    if lang == "en":
        assert "translationOfWork" not in data and len(data["workTranslation"]) == 2  # type: ignore[arg-type]
    else:
        assert data["translationOfWork"]["@id"] == head.alternates[-1][1]  # type: ignore[index]


@pytest.mark.parametrize("lang", ["en", "tr", "ru"])
def test_a_summary_is_the_description_in_the_pages_language_and_a_bad_source_url_is_no_original(
        meta_site: Path, lang: str) -> None:
    head = _head(meta_site, lang, PISM)
    names = dict(head.names)
    assert names["description"].startswith(DESCRIPTIONS[lang][0]) and names["description"].endswith(".")
    if lang == "ru":
        assert re.search("[а-я]{4}", names["description"])
    [data] = head.json_ld()
    assert data["@type"] == "Article"  # no numbered notes
    assert data["isBasedOn"] == {"@type": "CreativeWork", "publisher": {"@type": "Organization", "name": "PISM"}}
    assert names["citation_publication_date"] == "2023/09/20"


@pytest.mark.parametrize("lang", ["en", "tr", "ru"])
def test_every_page_has_one_absolute_hreflang_set_and_the_localised_footer_without_generator(
        meta_site: Path, lang: str) -> None:
    prefix = "" if lang == "en" else f"{lang}/"
    pages = [page for page in sorted((meta_site / prefix).rglob("index.html"))
             if lang != "en" or page.relative_to(meta_site).parts[0] not in ("tr", "ru")]
    assert len(pages) >= 9
    for page in pages:
        text = page.read_text(encoding="utf-8")
        head = _Head()
        head.feed(text)
        codes = [code for code, _ in head.alternates]
        assert codes == ["en", "tr", "ru", "x-default"], page
        assert all(href.startswith("https://example.org/") for _, href in head.alternates), page
        assert [name for name, _ in head.names].count("description") == 1, page
        # Material's script fetches sitemap.xml beside each link[rel=alternate]: every one must exist.
        url = "https://example.org/" + page.parent.relative_to(meta_site).as_posix().removesuffix(".") + "/"
        for href in head.material_alternates:
            sitemap = urljoin(urljoin(url.replace("org//", "org/"), href), "sitemap.xml")
            assert sitemap.startswith("https://example.org/"), (page, href)
            assert (meta_site / sitemap.removeprefix("https://example.org/")).is_file(), (page, href, sitemap)
        assert " ".join(head.footer.split()) == FOOTERS[lang], page
        assert "Made with" not in text and 'name="generator"' not in text, page
        assert '<a href="https://creativecommons.org/licenses/by/4.0/" rel="license">CC BY 4.0</a>' in text, page
        assert head.links["icon"].endswith("assets/images/favicon.svg"), page
    home = _head(meta_site, lang, "index.md")
    assert dict(home.names)["description"] != "Analyses of security and foreign policy across Eurasia, in English, Turkish and Russian." or lang == "en"
    assert home.json_ld()[0]["@type"] == "WebSite" and dict(home.properties)["og:type"] == "website"
    assert (meta_site / "assets/images/logo.svg").is_file() and (meta_site / "assets/images/favicon.svg").is_file()
    assert re.search(r'<img src="[./]*assets/images/logo.svg"', (meta_site / prefix / "index.html").read_text(encoding="utf-8"))


@pytest.mark.parametrize("lang", ["en", "tr", "ru"])
def test_a_hostile_title_stays_inside_the_json_ld(meta_site: Path, lang: str) -> None:
    head = _head(meta_site, lang, "analyses/hostile-title.md")
    kinds = [kind for kind, _ in head.scripts]
    assert kinds.count("application/ld+json") == 1
    assert not any('alert("jsonld")' in text for kind, text in head.scripts if kind != "application/ld+json")
    [data] = head.json_ld()
    assert data["headline"] == HOSTILE_TITLE and dict(head.properties)["og:title"] == HOSTILE_TITLE


def test_a_bad_licence_setting_stops_the_build_with_one_line(tmp_path: Path) -> None:
    repo = copy_site_sources(tmp_path / "repo")
    config = repo / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("      name: CC BY 4.0\n", ""), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config)],
                            capture_output=True, text=True, cwd=repo)
    assert result.returncode != 0
    assert "extra.thinktank.licence: {'url': 'https://creativecommons.org/licenses/by/4.0/'} must be a mapping" in result.stderr
    assert "Traceback" not in result.stderr



@pytest.mark.parametrize("text", [
    "no front matter\n", "---\ntitle: a\n---\nbody", "---\r\ntitle: a\r\n---\r\n\r\nbody\r\n", "---\ntitle: a\n---",
    "---\ntitle: a\n---\n\n\n# h\n", "---\n---\nbody", "---\n\n---\nbody", "---\ntitle: x\n", "\n---\ntitle: a\n---\nbody",
    "---\ntitle: a\n---\nbody\n---\nmore\n", "---\ntitle: a\r\n---\nbody\r\n", "\r\n",
    *(path.read_text(encoding="utf-8") for path in sorted((ROOT / "docs").rglob("*.md"))),
])
def test_the_heads_source_body_is_the_one_the_page_reader_splits_off(text: str) -> None:
    """The head takes a page's body without loading its YAML again: the text :func:`frontmatter.parse` returns."""
    page = SimpleNamespace(file=SimpleNamespace(content_string=text))
    assert page_head._source_body(page) == frontmatter.parse(text, fields=False)[1]  # type: ignore[arg-type]
