"""The glossary: fixed target forms for names and terms, and do-not-translate words.

``translations/glossary.yml``::

    terms:
      - en: Kim Jong Un
        tr: Kim Jong Un
        ru: Ким Чен Ын
    do_not_translate:
      - KCNA
      - en: TASS           # kept as written, but in the languages it names
        ru: ТАСС
    labels:
      - en: Access Date
        tr: Erişim Tarihi
        ru: Дата обращения

Any language the registry has data for can have forms (``de: ...``). A
``do_not_translate`` word is a plain string (the same in every language) or,
where one script needs its own form ("NATO" in Turkish, "НАТО" in Russian),
a mapping like a term's: its ``en`` is kept as written in every language the
mapping does not name. Files written before this form existed load as they
did. Drafts
get the target forms (the terms are shielded as placeholders that restore
to them), and QA checks that every term of a source has its form in the
translation, allowing the case endings the language's data permits: each
form handed out is a :class:`Form` carrying its language's inflection rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import languages
from .errors import CatalogError
from .frontmatter import load_yaml, one_line
from .languages import Inflection

FILENAME = "glossary.yml"


class Form(str):
    """A target form that knows how its language inflects it (what :func:`thinktank.qa.has_form` allows).

    A ``str``, so placeholders restore it and catalogs hold it like any text.
    """

    inflection: Inflection

    def __new__(cls, text: str, inflection: Inflection) -> Form:
        form = super().__new__(cls, text)
        form.inflection = inflection
        return form

    def __getnewargs__(self) -> tuple[str, Inflection]:  # type: ignore[override]
        return str(self), self.inflection


@dataclass(frozen=True)
class Glossary:
    terms: dict[str, dict[str, str]] = field(default_factory=dict)
    """English term → {lang: target form}."""
    keep: tuple[str, ...] = ()
    """Words that stay as they are in every language (but those of :attr:`kept_forms`)."""
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    """Citation labels ("Access Date", "Ibid.") localised in footnotes, where nothing else is."""
    kept_forms: dict[str, dict[str, str]] = field(default_factory=dict)
    """A do-not-translate word → {lang: its form in that language} ("TASS" → {"ru": "ТАСС"})."""

    def for_language(self, lang: str) -> dict[str, str]:
        """English → target form for ``lang``, do-not-translate words mapping to themselves.

        ``LanguageError`` if ``lang`` has no data: its inflection rule is part of every form.
        """
        rule = languages.get(lang).inflection
        mapping: dict[str, str] = {word: Form(self.kept_forms.get(word, {}).get(lang, word), rule)
                                   for word in self.keep}
        mapping.update({source: Form(forms[lang], rule) for source, forms in self.terms.items() if lang in forms})
        return mapping

    def labels_for(self, lang: str) -> dict[str, str]:
        return {source: forms[lang] for source, forms in self.labels.items() if lang in forms}


def load(translations_dir: Path) -> Glossary:
    path = translations_dir / FILENAME
    if not path.exists():
        return Glossary()
    try:
        data = load_yaml(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise CatalogError(path, f"invalid YAML: {one_line(exc)}") from None
    except UnicodeDecodeError as exc:
        raise CatalogError(path, f"not valid UTF-8 (offset {exc.start})") from None
    if not isinstance(data, dict):
        raise CatalogError(path, "expected a mapping with 'terms' and 'do_not_translate'")
    keep, kept_forms = _kept(data, path)
    return Glossary(_forms(data, "terms", path), keep, _forms(data, "labels", path), kept_forms)


def _kept(data: dict[str, object], path: Path) -> tuple[tuple[str, ...], dict[str, dict[str, str]]]:
    """``do_not_translate``: words (strings), and words with a form in some languages (mappings with ``en``)."""
    items = data.get("do_not_translate") or []
    if not isinstance(items, list):
        raise CatalogError(path, "'do_not_translate' must be a list")
    words: list[str] = []
    forms: dict[str, dict[str, str]] = {}
    for index, item in enumerate(items, start=1):
        if isinstance(item, dict):
            if not item.get("en"):
                raise CatalogError(path, f"do_not_translate entry {index} has no 'en' form")
            word = str(item["en"])
            forms[word] = {str(k): str(v) for k, v in item.items() if k != "en" and v is not None and str(v)}
        else:
            word = str(item)  # as before mappings were allowed: every other value is read as its text
        words.append(word)
    return tuple(words), forms


def _forms(data: dict[str, object], key: str, path: Path) -> dict[str, dict[str, str]]:
    items = data.get(key) or []
    if not isinstance(items, list):
        raise CatalogError(path, f"'{key}' must be a list")
    forms: dict[str, dict[str, str]] = {}
    for index, item in enumerate(items, start=1):
        if not isinstance(item, dict) or not item.get("en"):
            raise CatalogError(path, f"{key} entry {index} has no 'en' form")
        forms[str(item["en"])] = {str(k): str(v) for k, v in item.items() if k != "en"}
    return forms
