"""The language registry: everything the project knows about a language, from one data file.

A language is configuration. The site's languages are mkdocs-static-i18n's
``languages:`` in ``mkdocs.yml`` (the one with ``default: true`` is the
language of ``docs/``, English); what each of them needs (catalog headers,
the site's own words, month names and date format, the glossary's
inflection rule for QA, the lunr search language) is one YAML file per
language: ``<code>.yml`` in this package for the languages we ship, or in
the site's ``languages/`` folder beside ``mkdocs.yml`` for any other, which
is how a site adds German without editing the package. A site file wins
over a packaged one of the same code (a site may reword its Turkish).

Nothing falls back to English in silence: a file that lacks a label, has a
label with a placeholder its key does not offer, or the wrong number of
months is refused as a whole, naming the language, the file and the keys;
a configured language without a file is refused by name.

The registry in use is process-wide (:func:`use`), because the code that
prints labels receives a language *code* from a build pass or a command
line; the plugin's ``on_config`` and the CLI point it at the site's folder.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from ..errors import ThinktankError

PACKAGED = Path(__file__).resolve().parent
"""The data files shipped with thinktank (en, tr, ru)."""
SITE_FOLDER = "languages"
"""A site's own language files, beside mkdocs.yml (the plugin's default ``languages_dir``)."""
SOURCE = "en"
"""The language ``docs/`` is written in: the labels ("Read the English original") and the engines assume it."""

LABELS: Mapping[str, frozenset[str]] = MappingProxyType({
    "by": frozenset(), "undated": frozenset(), "original_publisher": frozenset({"publisher"}),
    "about_author": frozenset(), "no_bio": frozenset(), "articles_by": frozenset({"name"}),
    "no_articles": frozenset(), "all_authors": frozenset(), "topics": frozenset(), "more": frozenset(),
    "machine_draft": frozenset(), "draft": frozenset(), "made_by": frozenset({"provenance"}),
    "original": frozenset(), "missing": frozenset(), "download_pdf": frozenset(), "backlink": frozenset({"number"}),
    "by_engine": frozenset({"model"}), "by_people": frozenset(), "by_glossary": frozenset(),
    "reading_time": frozenset({"minutes"}), "cite": frozenset(), "no_date": frozenset(),
    "citation": frozenset({"authors", "title", "site", "date", "url"}),
    "related": frozenset(), "feed": frozenset({"site"}),
    "page_of": frozenset({"page", "pages"}), "previous_page": frozenset(), "next_page": frozenset(),
    "topic_title": frozenset({"topic"}), "all_in_topic": frozenset({"count"}),
    "not_found": frozenset(), "go_home": frozenset(), "reuse": frozenset({"licence"}),
})
"""Every label the site prints, with the placeholders each may use."""
_CODE = re.compile(r"[A-Za-z]{2,3}(?:[_-][A-Za-z0-9]{1,8})*")
DATE_FIELDS = frozenset({"day", "month", "year"})
_FIELDS = ("name", "native_name", "team", "plural_forms", "search", "locale", "date_format", "months", "labels",
           "glossary_inflection")
_LOCALE = re.compile(r"[a-z]{2,3}_[A-Z]{2}")


class LanguageError(ThinktankError):
    """A language the site uses has no data, or its data file is incomplete or malformed."""


@dataclass(frozen=True)
class Inflection:
    """How QA finds a glossary form in a translation of a language that inflects names.

    Each word of the form must appear with at most ``ending_letters`` letters
    cut from its end, keeping at least ``min_stem`` ("Ким Чен Ына" has the
    form "Ким Чен Ын"; "Putin'in" has "Putin"). ``ending_letters: 0`` asks for
    the form as written.
    """

    ending_letters: int = 2
    min_stem: int = 3

    def stem(self, word: str) -> str:
        return word[: max(self.min_stem, len(word) - self.ending_letters)]


@dataclass(frozen=True)
class Language:
    """One language's data, as read from ``source``."""

    code: str
    name: str
    """The English name ("Turkish"), for messages and catalog headers."""
    native_name: str
    """The name in the language itself ("Türkçe")."""
    team: str
    """The PO ``Language-Team`` header."""
    plural_forms: str
    """The PO ``Plural-Forms`` header (gettext's expression for this language)."""
    search: str
    """The lunr language of its search index (mkdocs-static-i18n adds it to Material's search)."""
    locale: str
    """``language_TERRITORY`` ("tr_TR"): Open Graph's ``og:locale`` and its alternates."""
    date_format: str
    """How a date is written, with ``{day}``, ``{month}`` (a name from ``months``) and ``{year}``."""
    months: tuple[str, ...]
    """The twelve month names in the form a date uses ("1 февраля 2024": genitive)."""
    labels: Mapping[str, str]
    inflection: Inflection
    source: Path = field(compare=False)

    def label(self, key: str, **values: str) -> str:
        return self.labels[key].format(**values)


@dataclass(frozen=True)
class SiteLanguages:
    """The languages a site configures (mkdocs-static-i18n's ``languages:``), in their order."""

    codes: tuple[str, ...]
    default: str
    config_file: Path
    """The mkdocs.yml that configures them."""

    @property
    def folder(self) -> Path:
        """Where the site's own language files are: ``languages/`` beside mkdocs.yml (it may not exist)."""
        return self.config_file.parent / SITE_FOLDER

    @property
    def targets(self) -> list[str]:
        """The languages pages are translated into: all but the default."""
        return [code for code in self.codes if code != self.default]


class Registry:
    """Language data found in ``folders``, the first folder holding a code winning; read once, checked whole."""

    def __init__(self, folders: Iterable[Path] = (PACKAGED,)) -> None:
        self.folders = tuple(folders)
        self._loaded: dict[str, Language] = {}

    def path(self, code: str) -> Path | None:
        if not _CODE.fullmatch(code):  # a code names a file: no "../", no separators
            return None
        for folder in self.folders:
            candidate = folder / f"{code}.yml"
            if candidate.is_file():
                return candidate
        return None

    def available(self) -> list[str]:
        return sorted({p.stem for folder in self.folders if folder.is_dir() for p in folder.glob("*.yml")})

    def get(self, code: str) -> Language:
        if code not in self._loaded:
            path = self.path(code)
            if path is None:
                raise self._missing([code])
            self._loaded[code] = read(path)
        return self._loaded[code]

    def check(self, codes: Iterable[str], why: str = "") -> list[Language]:
        """Every language of ``codes``, or one error naming all those without data (``why`` says who wants them)."""
        codes = list(codes)
        missing = [code for code in codes if self.path(code) is None]
        if missing:
            raise self._missing(missing, why)
        return [self.get(code) for code in codes]

    def _missing(self, codes: list[str], why: str = "") -> LanguageError:
        files = ", ".join(f"{code}.yml" for code in codes)
        names = ", ".join(repr(code) for code in codes)
        return LanguageError(self.folders[0], f"no language data for {names}{why}: add {files} here "
                                              f"(data exists for {', '.join(self.available()) or 'no language'})")


_active = Registry()


def use(registry: Registry) -> Registry:
    """Make ``registry`` the one labels, catalogs and QA read from; returns the one it replaces."""
    global _active
    previous, _active = _active, registry
    return previous


def get(code: str) -> Language:
    """The language ``code`` from the registry in use; ``LanguageError`` if it has no data."""
    return _active.get(code)


def for_site(site: SiteLanguages) -> Registry:
    """The registry of a site: its own folder first, then the packaged files; every configured language checked."""
    registry = Registry((site.folder, PACKAGED))
    if site.default != SOURCE:
        raise LanguageError(site.config_file, f"the default language is {site.default!r}, but docs/ is written in "
                                              f"{SOURCE!r}: mark {SOURCE!r} as default: true in the i18n languages")
    registry.check(site.codes, f" (configured in {site.config_file.name})")
    return registry


def activate(site: SiteLanguages) -> Registry:
    """Check ``site``'s languages and make its registry the one in use (the plugin's ``on_config``, the CLI)."""
    registry = for_site(site)
    use(registry)
    return registry


def activate_config(config_file: Path) -> SiteLanguages | None:
    """:func:`activate` the site of ``config_file``; ``None`` (packaged data only) when there is no such file."""
    if not config_file.is_file():
        use(Registry())
        return None
    site = site_languages(config_file)
    activate(site)
    return site


def packaged_targets() -> list[str]:
    """Every packaged language but the source: what commands translate into when no mkdocs.yml says."""
    return [code for code in Registry().available() if code != SOURCE]


def page_texts(site: SiteLanguages) -> list[dict[str, str]]:
    """What pages outside any one language (the 404 page) say in each configured language, in the site's order."""
    return [{"code": code, "default": "yes" if code == site.default else "", "not_found": get(code).labels["not_found"],
             "go_home": get(code).labels["go_home"]} for code in site.codes]


def search_languages(site: SiteLanguages) -> list[str]:
    """The lunr languages the site's search needs, one per configured language."""
    return list(dict.fromkeys(get(code).search for code in site.codes))


def read(path: Path) -> Language:
    """One language file, checked whole: every problem of the file in one line."""
    code = path.stem
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise LanguageError(path, f"cannot read the data of language {code!r}: {_one_line(exc)}") from exc
    if not isinstance(data, dict):
        raise LanguageError(path, f"the data of language {code!r} must be a mapping of {', '.join(_FIELDS)}")
    who = f"language {code!r}" + (f" ({data['name']})" if isinstance(data.get("name"), str) else "")
    problems = [f"missing {key}" for key in _FIELDS if key not in data]
    problems += [f"{key} must be text" for key in ("name", "native_name", "team", "plural_forms", "search",
                                                    "date_format") if key in data and not _text(data[key])]
    if "locale" in data and not (isinstance(data["locale"], str) and _LOCALE.fullmatch(data["locale"])):
        problems.append(f"locale {data['locale']!r} must be language_TERRITORY (tr_TR, en_US)")
    if "plural_forms" in data and _text(data["plural_forms"]) and not str(data["plural_forms"]).startswith("nplurals="):
        problems.append("plural_forms must be gettext's 'nplurals=N; plural=EXPR;'")
    months = data.get("months")
    if "months" in data and not (isinstance(months, list) and len(months) == 12 and all(map(_text, months))):
        problems.append("months must list the 12 month names")
    if "date_format" in data and _text(data["date_format"]):
        problems += _placeholders("date_format", data["date_format"], DATE_FIELDS)
    labels = data.get("labels")
    if "labels" in data and not isinstance(labels, dict):
        problems.append("labels must be a mapping")
        labels = {}
    labels = labels or {}
    absent = [key for key in LABELS if not _text(labels.get(key))]
    if absent:
        problems.append(f"missing labels {', '.join(absent)}")
    unknown = sorted(str(key) for key in labels if key not in LABELS)
    if unknown:
        problems.append(f"unknown labels {', '.join(unknown)}")
    for key, allowed in LABELS.items():
        if _text(labels.get(key)):
            problems += _placeholders(f"label {key}", labels[key], allowed)
    inflection = _inflection(data.get("glossary_inflection"), problems) if "glossary_inflection" in data else None
    if problems or inflection is None:
        raise LanguageError(path, f"{who}: {'; '.join(problems)}")
    return Language(code=code, name=data["name"], native_name=data["native_name"], team=data["team"],
                    plural_forms=data["plural_forms"], search=data["search"], locale=data["locale"],
                    date_format=data["date_format"],
                    months=tuple(data["months"]), labels=MappingProxyType({key: labels[key] for key in LABELS}),
                    inflection=inflection, source=path)


def site_languages(config_file: Path) -> SiteLanguages:
    """The languages ``config_file`` (a mkdocs.yml) configures, read without running MkDocs.

    A site without mkdocs-static-i18n has one language, the source.
    """
    try:
        data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_TolerantLoader)  # safe: tags become plain values
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise LanguageError(config_file, f"cannot read the site's languages: {_one_line(exc)}") from exc
    plugins = _plugins(data.get("plugins") if isinstance(data, dict) else None)
    entries = (plugins.get("i18n") or {}).get("languages") or []
    return site_from_entries(entries, config_file)


def site_from_entries(entries: Any, config_file: Path) -> SiteLanguages:
    """mkdocs-static-i18n's ``languages:`` entries (mappings with ``locale`` and ``default``) as a site's languages."""
    if not isinstance(entries, list):
        raise LanguageError(config_file, "i18n languages must be a list")
    codes: list[str] = []
    default = None
    for entry in entries:
        locale = _get(entry, "locale")
        if not isinstance(locale, str) or not locale:
            raise LanguageError(config_file, f"an i18n language has no locale: {entry!r}")
        codes.append(locale)
        if _get(entry, "default"):
            default = locale
    if not codes:
        return SiteLanguages((SOURCE,), SOURCE, config_file)
    return SiteLanguages(tuple(codes), default or codes[0], config_file)


def _get(entry: Any, key: str) -> Any:
    return entry.get(key) if isinstance(entry, dict) else getattr(entry, key, None)


def _plugins(items: Any) -> dict[str, dict[str, Any]]:
    """``plugins:`` as {name: options}, whether a list of names and mappings or a mapping."""
    if isinstance(items, dict):
        items = [{name: options} for name, options in items.items()]
    plugins: dict[str, dict[str, Any]] = {}
    for item in items or []:
        if isinstance(item, str):
            plugins[item] = {}
        elif isinstance(item, dict):
            plugins.update({str(name): options if isinstance(options, dict) else {} for name, options in item.items()})
    return plugins


class _TolerantLoader(yaml.SafeLoader):
    """Safe loading of a mkdocs.yml: MkDocs' own tags (``!ENV``, ``!relative``, ``!!python/name``) read as plain values."""


def _plain(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)  # type: ignore[arg-type]


_TolerantLoader.add_multi_constructor("!", _plain)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _plain)


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _placeholders(what: str, text: str, allowed: frozenset[str]) -> list[str]:
    try:
        used = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError as exc:
        return [f"{what}: {exc} (write a literal brace as {{{{ or }}}})"]
    bad = sorted(used - allowed)
    if bad:
        offer = ", ".join("{" + name + "}" for name in sorted(allowed)) or "none"
        return [f"{what} uses {', '.join('{' + name + '}' for name in bad)} (it may use: {offer})"]
    return []


def _inflection(value: Any, problems: list[str]) -> Inflection | None:
    if not isinstance(value, dict) or set(value) - {"ending_letters", "min_stem"}:
        problems.append("glossary_inflection must be a mapping with ending_letters and min_stem")
        return None
    numbers = {key: value.get(key, getattr(Inflection, key)) for key in ("ending_letters", "min_stem")}
    if not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in numbers.values()):
        problems.append("glossary_inflection: ending_letters and min_stem must be whole numbers, 0 or more")
        return None
    return Inflection(**numbers)


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())
