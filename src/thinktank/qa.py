"""Checks a translation against its source: nothing a reader relies on may go missing.

Each check returns problem messages (empty when the translation passes);
:func:`check` runs them all and types each message as a :class:`Problem`
with its check's severity, as Translate Toolkit's checks do: *critical* when
the page would lose or gain something a reader relies on (a note reference, a
link, a block), *functional* for a number, *cosmetic* for a glossary form. The
draft pipeline writes them as ``qa:`` comments on the PO entry, and
``thinktank review`` shows them beside the draft.

A msgstr is rendered in place of its segment, so it can also *add* what its
source lacks: a heading, a ``---``, a footnote ``[^99]`` or its definition, a
list, quote, table or HTML block, raw HTML, a listing marker. Readers would
see another page than the one reviewed against the English, so
:func:`check_structure` names each such addition.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from .languages import Inflection
from .segments import FOOTNOTE_REF, inline_markup

_REF = FOOTNOTE_REF
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

    Languages inflect names, so each word only has to appear with its stem,
    as the target language's data defines it (:class:`~thinktank.languages.Inflection`).
    The glossary hands out forms that carry their language's rule
    (:class:`thinktank.glossary.Form`); a plain string gets the rule Turkish and
    Russian use: the word less its last two letters, at least three letters.
    """
    rule = getattr(form, "inflection", None) or Inflection()
    lowered = text.lower()
    return all(rule.stem(word.lower()) in lowered for word in form.split())


_LINE_STRUCTURE: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("heading", re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)")),
    ("thematic break", re.compile(r"^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$")),
    ("heading underline", re.compile(r"^ {0,3}=+[ \t]*$")),
    ("footnote definition", re.compile(r"^ {0,3}\[\^[^\]\s]+\]:")),
    ("link definition", re.compile(r"^ {0,3}\[[^\]^][^\]]*\]:")),
    ("list item", re.compile(r"^ {0,3}(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)")),
    ("quote", re.compile(r"^ {0,3}>")),
    ("table row", re.compile(r"^ {0,3}\|.*\||^ {0,3}\|?[ \t]*:?-+:?[ \t]*\|")),
    ("code fence", re.compile(r"^ {0,3}(?:`{3,}|~{3,})")),
    ("admonition", re.compile(r"^ {0,3}(?:!!!|\?\?\?\+?)[ \t]")),
    ("HTML block", re.compile(r"^ {0,3}<(?:/?[A-Za-z][\w-]*(?:[\s/>]|$)|!--|\?|![A-Za-z]|!\[CDATA\[)")),
)
"""Line starts that open a block of their own (CommonMark, plus footnotes and admonitions)."""
_TAG = re.compile(r"<(/?)([A-Za-z][\w-]*)(?=[\s/>])[^>]*>?|<!--")
_MARKER = re.compile(r"<!--\s*thinktank:[^>]*?-->?")
_ATTR_LIST = re.compile(r"\{:?[ \t]*[#.:][^}\n]*\}|\{:[^}\n]*\}")


def _line_structure(text: str) -> list[tuple[str, str]]:
    """``(kind, line)`` for every line of ``text`` that opens a block."""
    found = []
    previous = ""
    for line in text.split("\n"):
        for kind, pattern in _LINE_STRUCTURE:
            if pattern.match(line):
                if kind == "thematic break" and previous.strip() and set(line.strip()) <= {"-"}:
                    kind = "heading underline"  # "Text\n---" is a setext heading
                found.append((kind, line.strip()))
                break
        previous = line
    return found


def _refs(text: str) -> list[str]:
    """Footnote references, not counting a definition's own label."""
    return _REF.findall(re.sub(r"(?m)^ {0,3}\[\^[^\]\s]+\]:", "", text))


def _tags(text: str) -> list[str]:
    """Opening tags (by name) and comments; a closing tag adds nothing its opening tag has not."""
    return ["comment" if match.group(0) == "<!--" else f"<{match.group(2).lower()}>"
            for match in _TAG.finditer(text) if not match.group(1)]


def _added(source: list[str], target: list[str]) -> list[str]:
    return _missing(target, source)


def check_inline(source: str, target: str) -> list[str]:
    """Inline markup of the source that the translation no longer forms (as markdown-it reads both)."""
    missing = _missing(inline_markup(source), inline_markup(target))
    return [f"broken markup: {', '.join(missing)} no longer formed"] if missing else []


def check_structure(source: str, target: str) -> list[str]:
    """Structure the translation has and its source lacks, each addition named."""
    have = Counter(kind for kind, _ in _line_structure(source))
    problems = []
    for kind, line in _line_structure(target):
        if have[kind] > 0:
            have[kind] -= 1
        else:
            problems.append(f"adds {kind} {line[:60]!r} not in the source")
    problems += [f"adds footnote ref {ref} not in the source" for ref in _added(_refs(source), _refs(target))]
    problems += [f"adds listing marker {marker!r}" for marker in _added(_MARKER.findall(source), _MARKER.findall(target))]
    problems += [f"adds raw HTML {tag} not in the source" for tag in _added(_tags(source), _tags(target))]
    problems += [f"adds attribute list {attrs!r} not in the source"
                 for attrs in _added(_ATTR_LIST.findall(source), _ATTR_LIST.findall(target))]
    return problems


class Severity(Enum):
    CRITICAL = "critical"
    FUNCTIONAL = "functional"
    COSMETIC = "cosmetic"


@dataclass(frozen=True)
class Problem:
    check: str
    severity: Severity
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Check:
    name: str
    severity: Severity
    prefix: str
    """How this check's messages begin: how a ``qa:`` comment read back finds its check."""
    run: Callable[[str, str, dict[str, str]], list[str]]


CHECKS: tuple[Check, ...] = (
    Check("refs", Severity.CRITICAL, "missing footnote ref", lambda s, t, _: check_refs(s, t)),
    Check("links", Severity.CRITICAL, "missing link target", lambda s, t, _: check_links(s, t)),
    Check("numbers", Severity.FUNCTIONAL, "missing number", lambda s, t, _: check_numbers(s, t)),
    Check("glossary", Severity.COSMETIC, "glossary:", check_glossary),
    Check("structure", Severity.CRITICAL, "adds ", lambda s, t, _: check_structure(s, t)),
    Check("inline", Severity.CRITICAL, "broken markup:", lambda s, t, _: check_inline(s, t)),
)
MARKUP = Check("markup", Severity.CRITICAL, "engine lost markup", lambda s, t, _: [])
"""Placeholders the engine dropped (reported by :func:`thinktank.placeholders.restore`)."""
_BY_PREFIX = (*CHECKS, MARKUP)


def check(source: str, target: str, terms: dict[str, str] | None = None) -> list[Problem]:
    """Every check, in a fixed order."""
    return [Problem(item.name, item.severity, message)
            for item in CHECKS for message in item.run(source, target, terms or {})]


def problem_from_message(message: str) -> Problem:
    """The problem a ``qa:`` comment names; a message no check makes is kept as functional."""
    for item in _BY_PREFIX:
        if message.startswith(item.prefix):
            return Problem(item.name, item.severity, message)
    return Problem("unknown", Severity.FUNCTIONAL, message)
