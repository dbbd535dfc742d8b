"""Checks a translation against its source: nothing a reader relies on may go missing.

Each check returns problem strings (empty when the translation passes); the
draft pipeline writes them as ``qa:`` comments on the PO entry, and
``thinktank review`` shows them beside the draft.
"""

from __future__ import annotations

import re
from collections import Counter

_REF = re.compile(r"\[\^[^\]\s]+\]")
_LINK_TARGET = re.compile(r"\]\(([^)\s]+)")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def _missing(source: list[str], target: list[str]) -> list[str]:
    left = Counter(source)
    left.subtract(Counter(target))
    return sorted(item for item, count in left.items() if count > 0)


def check_refs(source: str, target: str) -> list[str]:
    missing = _missing(_REF.findall(source), _REF.findall(target))
    return [f"missing footnote ref {', '.join(missing)}"] if missing else []


def check_links(source: str, target: str) -> list[str]:
    missing = _missing(_LINK_TARGET.findall(source), _LINK_TARGET.findall(target))
    return [f"missing link target {', '.join(missing)}"] if missing else []


def check_numbers(source: str, target: str) -> list[str]:
    # Footnote labels are checked above; compare the numbers of the running text.
    def numbers(text: str) -> list[str]:
        return [n.replace(",", ".") for n in _NUMBER.findall(_REF.sub("", text))]

    missing = _missing(numbers(source), numbers(target))
    return [f"missing number {', '.join(missing)}"] if missing else []


def check_glossary(source: str, target: str, terms: dict[str, str]) -> list[str]:
    problems = []
    for term, form in terms.items():
        if re.search(rf"(?<!\w){re.escape(term)}(?!\w)", source) and not has_form(target, form):
            problems.append(f"glossary: {term!r} should read {form!r}")
    return problems


def has_form(text: str, form: str) -> bool:
    """Whether ``text`` uses ``form``, allowing case endings ("Ким Чен Ына", "Putin'in").

    Turkish and Russian inflect names, so each word only has to appear with
    its stem: the word less its last two letters, at least three letters.
    """
    lowered = text.lower()
    return all(word.lower()[: max(3, len(word) - 2)] in lowered for word in form.split())


def check(source: str, target: str, terms: dict[str, str] | None = None) -> list[str]:
    """Every check, in a fixed order."""
    return (check_refs(source, target) + check_links(source, target)
            + check_numbers(source, target) + check_glossary(source, target, terms or {}))
