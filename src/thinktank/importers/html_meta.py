"""A web page's title and byline, chosen by agreement between the places pages put them.

Real pages say who wrote them and what they are called in many places at once
(JSON-LD, Open Graph, ``<meta>``, microdata, ``rel=author``, a ``.byline``,
``<title>``, the article's ``<h1>``), and each place is wrong on some sites: a
site banner in ``<h1>``, the site name in ``<title>``, "Admin" or a profile URL
as the author. No single place is trusted; every source is read, cleaned, and
the candidate most sources agree on wins, with trafilatura's own metadata
extraction as one more voter. Pure functions over an lxml tree, so each rule is
unit-tested without a page.
"""

from __future__ import annotations

import html as html_lib
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml.etree import _Element

from .assemble import names_in

_SEPARATORS = re.compile(r"\s+(?:[|–—•·»«~]|-{1,2}|::)\s+")
"""Between a title and a site name: "Title | Site", "Site - Title", "Title — Site"."""
_ARTICLE_TYPES = ("Article", "BlogPosting", "Report", "NewsArticle", "ScholarlyArticle", "WebPage",
                  "OpinionNewsArticle", "AnalysisNewsArticle", "Posting", "CreativeWork", "Blog")
_JUNK_NAMES = re.compile(
    r"(?i)^(?:admin(?:istrator)?|editor(?:s|ial)?(?: team| staff| board)?|staff(?: writer| reporter)?|"
    r"guest(?: author| contributor)?|author|anonymous|unknown|webmaster|team|redaktion|redacci[oó]n|"
    r"rédaction|news ?desk|web ?desk|contributor|by|and|wire|press release|null|none|undefined|super ?user|"
    r"site ?owner|user)$")
_NOT_NAME = re.compile(r"(?i)https?:|www\.|@|\.(?:com|org|net|html?|php)\b|[<>{}\[\]=#|/\\]|\d")
_BY = re.compile(r"(?i)^\s*(?:written\s+|posted\s+|words\s+)?by[:\s]+|^\s*(?:authors?|autor(?:/?in|en|es)?|"
                 r"auteurs?|yazar|von|par)\s*:?\s+(?=\S)")
_NOT_PERSON = {
    "admin", "administrator", "redaktion", "redaction", "rédaction", "redacción", "desk", "staff", "team", "cms",
    "submitted", "posted", "artikel", "article", "editor", "editors", "editorial", "news", "online", "media",
    "magazine", "zeitung", "verlag", "gmbh", "ag", "inc", "ltd", "llc", "corp", "e.v.", "ev", "verein", "press",
    "presse", "wire", "agency", "agentur", "reuters", "afp", "dpa", "files", "photo", "photos", "foto", "getty",
    "images", "center", "centre", "foundation", "institute", "institut", "university", "universität", "group",
    "company", "project", "projects", "blog", "website", "webmaster", "contributors", "wikimedia", "empfehlen",
    "newsroom", "service", "services", "communications", "office", "department", "ministry", "association", "www",
    "show", "all", "articles", "posts", "more", "view", "read", "profile", "follow", "contact", "email", "share",
    "subscribe", "login", "comments", "updated", "published"}
"""Words no person's name holds: a byline made of them is a desk, an organisation, a login or a host."""
_PARTICLE = {"van", "von", "de", "der", "den", "da", "di", "du", "la", "le", "bin", "ibn", "al", "el", "y", "del",
             "della", "dos", "das", "ten", "ter", "zu", "of", "st", "mac", "d'", "e"}
_SPLIT = re.compile(r"\s*(?:,|;|\s&\s|\band\b|\bund\b|\bet\b|\bve\b|\bи\b|\by\b|\|)\s*")


def normal(text: str) -> str:
    """A title or name as compared: case, quotes, dashes and spacing do not matter."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.translate(str.maketrans("‘’‚‛“”„‟«»–—", "''''\"\"\"\"\"\"--"))
    return " ".join(re.sub(r"[\"'.,:;!?()]+", " ", text).split())


# --- JSON-LD ---------------------------------------------------------------------

def json_ld(root: _Element) -> list[dict[str, Any]]:
    """Every object of every ld+json script, ``@graph`` and lists flattened, CDATA wrappers removed."""
    items: list[dict[str, Any]] = []
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        text = script.text_content().strip()
        text = re.sub(r"^\s*(?://\s*)?<!\[CDATA\[|(?://\s*)?\]\]>\s*$", "", text).strip()
        text = re.sub(r"^\s*<!--|-->\s*$", "", text).strip()
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):  # not JSON, or nested deeper than the parser goes
            continue
        items += _flatten(data, 0)
    return items


def _flatten(data: Any, depth: int) -> list[dict[str, Any]]:
    if depth > 8:
        return []
    if isinstance(data, list):
        return [item for value in data for item in _flatten(value, depth + 1)]
    if not isinstance(data, dict):
        return []
    found = [data]
    if "@graph" in data:
        found += _flatten(data["@graph"], depth + 1)
    if isinstance(data.get("mainEntity"), dict | list):
        found += _flatten(data["mainEntity"], depth + 1)
    return found


def _types(item: dict[str, Any]) -> list[str]:
    value = item.get("@type", "")
    return [str(kind) for kind in (value if isinstance(value, list) else [value])]


def _is_article(item: dict[str, Any]) -> bool:
    return any(kind.endswith(_ARTICLE_TYPES) for kind in _types(item))


def ld_article(items: list[dict[str, Any]]) -> dict[str, Any]:
    """The object that describes the article (an Article-like type; a WebPage only if nothing better)."""
    ranked = [item for item in items if _is_article(item) and not any(kind == "WebPage" for kind in _types(item))]
    ranked += [item for item in items if _is_article(item)]
    return ranked[0] if ranked else {}


def _ld_people(value: Any, by_id: dict[str, dict[str, Any]], depth: int = 0) -> list[str]:
    """Names in a JSON-LD ``author``: a string, a Person, an ``@id`` reference, or a list of those."""
    if depth > 4:
        return []
    if isinstance(value, list):
        return [name for item in value for name in _ld_people(item, by_id, depth + 1)]
    if isinstance(value, dict):
        if "name" not in value and str(value.get("@id", "")) in by_id:
            value = by_id[str(value["@id"])]
        if any(kind in ("Organization", "NewsMediaOrganization", "Corporation") for kind in _types(value)):
            return []
        name = value.get("name")
        if isinstance(name, list | dict):
            return _ld_people(name, by_id, depth + 1)
        if not name and (value.get("givenName") or value.get("familyName")):
            name = f"{value.get('givenName', '')} {value.get('familyName', '')}"
        return [str(name)] if name else []
    return [str(value)] if isinstance(value, str) else []


# --- Bylines ---------------------------------------------------------------------

@dataclass
class Votes:
    """Candidates by source, in the order sources are trusted."""

    sources: list[tuple[str, list[str]]] = field(default_factory=list)

    def add(self, source: str, values: Iterable[str]) -> None:
        values = [value for value in values if value]
        if values:
            self.sources.append((source, values))


def clean_names(raw: str, avoid: Iterable[str] = ()) -> list[str]:
    """The person names a byline string holds: "By A and B", "A, B, and C", "A; B"; junk dropped.

    A URL, an e-mail, a site or organisation name (``avoid``), "Admin" and
    words that are no name ("Staff", digits) give nothing; Oxford commas work.
    """
    text = " ".join(html_lib.unescape(unicodedata.normalize("NFKC", raw)).split())
    text = _BY.sub("", text).strip(" ,;|-–—")
    if not text or len(text) > 200:
        return []
    parts = names_in(text) or [part for part in _SPLIT.split(text) if part]
    if any(_NOT_PERSON & set(normal(part).split()) for part in parts):
        return []  # "Spiegel Online, Hamburg, Germany": an organisation and its address, no person
    avoided = {normal(value) for value in avoid if value}
    names: list[str] = []
    for part in parts:
        part = _BY.sub("", part).strip(" ,;|-–—")
        if not re.search(r"\b[A-Z]\.$", part):
            part = part.rstrip(".")
        if _is_person(part) and normal(part) not in avoided and part not in names:
            names.append(part)
    return names


def _is_person(part: str) -> bool:
    """Two to five words, capitalised (particles aside), no digits, URL or junk word; or one CJK name."""
    words = part.split()
    if _NOT_NAME.search(part) or _JUNK_NAMES.match(part) or not words:
        return False
    if len(words) == 1:
        return len(part) >= 2 and all(unicodedata.name(char, "").startswith(("CJK", "HANGUL")) for char in part) \
            and not part.endswith(("社", "報", "新聞", "网", "網"))
    if len(words) > 5 or all(len(word.strip(".")) <= 1 for word in words):
        return False
    if words[0].lower() in ("the", "der", "die", "das", "le", "les", "el", "il") or (
            len(words) == 2 and words[1].lower() in ("de", "com", "org", "net", "at", "ch", "fr", "uk", "eu", "info")):
        return False  # "Der Spiegel", "The Economist"; "Speicherguide De" (a host trafilatura capitalised)
    if part.isupper() and len(part) > 30:
        return False  # a shouted heading
    return all(word[0].isupper() or word.lower() in _PARTICLE or not word[0].isalpha()
               or not unicodedata.category(word[0]).startswith("L") or word[0].lower() == word[0].upper()
               for word in words)


def byline_votes(root: _Element, items: list[dict[str, Any]], extracted: str = "") -> Votes:
    """Author candidates from every place pages put them, most structured first.

    ``extracted`` is trafilatura's own author string ("A; B"), one more voter.
    """
    votes = Votes()
    by_id = {str(item["@id"]): item for item in items if "@id" in item}
    article = ld_article(items)
    votes.add("json-ld", _ld_people(article.get("author"), by_id) + _ld_people(article.get("creator"), by_id))
    if not _ld_people(article.get("author"), by_id):  # other Article objects are often related posts
        for item in items:
            if item is not article and _is_article(item):
                votes.add("json-ld", _ld_people(item.get("author"), by_id))
                break
    for name in ("author", "byl", "parsely-author", "sailthru.author", "citation_author", "dc.creator",
                 "dcterms.creator", "article:author", "twitter:creator:name"):
        votes.add(f"meta {name}", [value for value in _meta(root, name) if not value.startswith(("http", "/", "@"))])
    scope = _article_scope(root)
    authors = [element for element in scope.iter() if isinstance(element.tag, str)
               and ({"author", "creator"} & set((element.get("itemprop") or "").split()))]
    votes.add("itemprop", [_itemprop_name(element) for element in _near_top(scope, authors)])
    votes.add("rel=author", [element.text_content() for element in _near_top(
        scope, [element for element in scope.iter("a") if "author" in (element.get("rel") or "").lower().split()])])
    votes.add("trafilatura", extracted.split(";") if extracted else [])
    votes.add("byline", [element.text_content() for element in _near_top(scope, list(_classed(
        scope, ("byline", "author", "author-name", "authors", "article-author"))))])
    return votes


def choose_names(votes: Votes, avoid: Iterable[str] = ()) -> list[str]:
    """The byline: the source whose names other sources confirm most; all its co-authors, once each.

    A name scores one point per *other* source that names it too, and a
    source scores the sum over its names, so a complete list of co-authors
    beats a partial one, and names nobody confirms (the cards of related
    posts, a login) add nothing. Ties go to the more structured source.
    Names confirmed twice, once by a structured source, that the winner
    lacks (a co-author only JSON-LD and the byline list) are added after its own.
    """
    avoid = list(avoid)
    cleaned = [(source, names) for source, raw in votes.sources
               if (names := [name for value in raw for name in clean_names(value, avoid)])]
    if not cleaned:
        return []
    support: dict[str, set[str]] = {}
    for source, names in cleaned:
        for name in names:
            support.setdefault(_name_key(name), set()).add(source.split()[0])
    for sources in support.values():
        if "meta" in sources:  # trafilatura reads the same <meta> tags: its agreement is no second opinion
            sources.discard("trafilatura")
    best_index, best_score = 0, -1.0
    for index, (source, names) in enumerate(cleaned):
        unique = {_name_key(name) for name in names}
        score = sum(len(support[key]) - 1 for key in unique) + (0.0 if source == "byline" else 0.001)
        if score > best_score + 1e-9:
            best_index, best_score = index, score
    chosen = list(dict.fromkeys(cleaned[best_index][1]))
    keys = {_name_key(name) for name in chosen}
    for _, names in cleaned:
        for name in names:
            confirmed = support[_name_key(name)]
            if _name_key(name) not in keys and len(confirmed - {"trafilatura"}) >= 2 \
                    and confirmed - {"byline", "rel=author", "itemprop", "trafilatura"}:
                chosen.append(name)
                keys.add(_name_key(name))
    return _dedupe(chosen)


def _name_key(name: str) -> str:
    return normal(name).replace("-", " ")


def _dedupe(names: list[str]) -> list[str]:
    """One entry per person: "Jane Doe" and "JANE DOE" are one; the mixed-case spelling is kept."""
    kept: dict[str, str] = {}
    for name in names:
        key = _name_key(name)
        if key not in kept or (kept[key].isupper() and not name.isupper()):
            kept[key] = name
    return list(kept.values())


def _meta(root: _Element, name: str) -> list[str]:
    return [" ".join((element.get("content") or "").split()) for element in root.iter("meta")
            if name in ((element.get("name") or "").lower(), (element.get("property") or "").lower())
            and (element.get("content") or "").strip()]


def meta_content(root: _Element, *names: str) -> str:
    """The first non-empty ``<meta name|property=…>`` of ``names``."""
    for name in names:
        for value in _meta(root, name):
            return value
    return ""


def _attr_is(root: _Element, attribute: str, value: str) -> list[_Element]:
    return [element for element in root.iter() if isinstance(element.tag, str)
            and value in (element.get(attribute) or "").split()]


def _itemprop_name(element: _Element) -> str:
    for child in element.iter():
        if isinstance(child.tag, str) and "name" in (child.get("itemprop") or "").split():
            return child.get("content") or child.text_content()
    return element.get("content") or element.text_content()


def _near_top(scope: _Element, elements: list[_Element]) -> list[_Element]:
    """The byline elements before the article's first long paragraph (later ones sign related posts);
    the first one found when all come after the text (an "about the author" at the end)."""
    first_text = next((p for p in scope.iter("p") if len(p.text_content()) >= 200), None)
    if first_text is None or not elements:
        return elements[:4]
    order = {element: index for index, element in enumerate(scope.iter())}
    limit = order.get(first_text, len(order))
    before = [element for element in elements if order.get(element, 0) < limit]
    return before[:6] or elements[:1]


def _article_scope(root: _Element) -> _Element:
    """Where the article's own byline is: its ``<article>`` (or ``<main>``), not the cards of related posts."""
    for tag in ("article", "main"):
        for element in root.iter(tag):
            if len(element.text_content()) >= 500:
                return element
    return root


def _classed(root: _Element, classes: tuple[str, ...]) -> Iterator[_Element]:
    for element in root.iter():
        if not isinstance(element.tag, str) or element.tag in ("meta", "link", "script", "style", "body", "html"):
            continue
        if set((element.get("class") or "").lower().split()) & set(classes):
            if len(element.text_content()) <= 200:
                yield element


# --- Titles ----------------------------------------------------------------------

def title_votes(root: _Element, items: list[dict[str, Any]], extracted: str = "") -> Votes:
    """Title candidates, most deliberate first (ties go to the earlier)."""
    votes = Votes()
    article = ld_article(items)
    votes.add("og:title", [meta_content(root, "og:title")])
    votes.add("json-ld", [str(article.get("headline") or article.get("name") or "")])
    votes.add("twitter:title", [meta_content(root, "twitter:title")])
    votes.add("article h1", [_text(element) for element in root.iter("h1") if _inside(element, "article")][:1])
    votes.add("citation_title", [meta_content(root, "citation_title")])
    votes.add("title", [_text(element) for element in root.iter("title")][:1])
    votes.add("h1", [_text(element) for element in root.iter("h1")][:1])
    votes.add("trafilatura", [extracted])
    return votes


def _text(element: _Element) -> str:
    return " ".join(element.text_content().split())


def _inside(element: _Element, tag: str) -> bool:
    return any(ancestor.tag == tag for ancestor in element.iterancestors())


def _forms(text: str) -> list[str]:
    """The title, the title without trailing parts ("A | B | C" → "A | B", "A"), and without a
    leading part shorter than what remains ("Site - A long title" → "A long title")."""
    found = list(_SEPARATORS.finditer(text))
    forms = [text]
    forms += [text[: match.start()] for match in reversed(found)]
    forms += [text[match.end():] for match in found if len(text[: match.start()]) < len(text[match.end():])]
    return [form.strip() for form in forms if form.strip()]


_HOST = re.compile(r"^(?:www\.)?[\w-]+(?:\.[\w-]+)+$")


def choose_title(votes: Votes, sites: Iterable[str] = ()) -> str:
    """The title most sources agree on, without a site name before or after it.

    Every candidate and every run of its " | "-separated parts is a form; a
    form scores one vote per source holding it. Ties go to a form that is a
    whole candidate of the most trusted source, then to the longer form. A
    banner ``<h1>`` agrees with nobody else, so it loses to og:title and
    ``<title>``; "Title | Site" agrees with an ``<h1>`` "Title" on "Title".
    """
    site_keys = {normal(site) for site in sites if site and len(normal(site)) >= 2}
    candidates = [(index, source, value) for index, (source, values) in enumerate(votes.sources)
                  for value in values if value.strip() and len(value) <= 400 and not _HOST.match(value.strip())]
    if not candidates:
        return ""
    support: dict[str, set[str]] = {}
    spelled: dict[str, str] = {}
    whole_rank: dict[str, int] = {}
    for index, source, value in candidates:
        for position, form in enumerate(_forms(value)):
            key = normal(form)
            if not key or key in site_keys:
                continue
            support.setdefault(key, set()).add(source)
            spelled.setdefault(key, form)
            if position == 0:
                whole_rank[key] = min(whole_rank.get(key, index), index)
    if not support:  # the page is called by its site's name (a blog's home page): so be it
        return choose_title(votes) if site_keys else ""

    def rank(key: str) -> tuple[int, int, int]:
        return (len(support[key]), -whole_rank.get(key, len(votes.sources) + 1), len(key))

    best = max(support, key=rank)
    title = spelled[best]
    if len(support[best]) == 1 and votes.sources and len({source for _, source, _ in candidates}) == 1:
        title = _without_site(title, site_keys, only_source=True)
    return _without_site(title, site_keys)


def _without_site(title: str, site_keys: set[str], only_source: bool = False) -> str:
    """"Title | Site" → "Title" when Site is the site's name (or, from ``<title>`` alone, a short last part)."""
    found = list(_SEPARATORS.finditer(title))
    if not found:
        return title
    first, last = found[0], found[-1]
    if normal(title[last.end():]) in site_keys:
        return title[: last.start()].strip()
    if normal(title[: first.start()]) in site_keys:
        return title[first.end():].strip()
    if only_source and "|" in last.group(0) and len(title[last.end():].split()) <= 4:
        return title[: last.start()].strip()
    return title


def site_names(root: _Element, items: list[dict[str, Any]], url: str) -> list[str]:
    """What the site calls itself: og:site_name, application-name, JSON-LD publisher/WebSite, its host.

    (trafilatura's guess at a site name is not used: it is often the title itself.)
    """
    names = [meta_content(root, "og:site_name"), meta_content(root, "application-name")]
    for item in items:
        if any(kind in ("WebSite", "Organization", "NewsMediaOrganization") for kind in _types(item)):
            names.append(str(item.get("name") or ""))
        publisher = item.get("publisher")
        if isinstance(publisher, dict):
            names.append(str(publisher.get("name") or ""))
    host = re.sub(r"^(?:https?://)?(?:www\.)?([^/:]+).*$", r"\1", url) if url else ""
    if host:
        names += [host, host.split(".")[0]]
    return [name for name in dict.fromkeys(" ".join(name.split()) for name in names) if name]
