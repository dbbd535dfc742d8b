"""Where a msgstr came from, and what an entry's automatic comments say: one to/from pair.

The PO files carry this as ``#.`` lines ("machine draft: argos translate-en_tr
1.9", "qa: missing number 2024", ...), which translators' tools show and keep.
This module is the only place that writes or reads those lines; everything
else works with :class:`Provenance`, :class:`thinktank.qa.Problem` and
:class:`Notes`. The lines on disk are the ones earlier versions wrote, so
existing catalogs load unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum

from .qa import Problem, problem_from_message


class Origin(Enum):
    """Who made a msgstr, as far as the catalog can tell."""

    MACHINE = "machine draft: "
    """An engine's draft; the text after the prefix names engine and model."""
    CITATION = "citation kept verbatim"
    """A citation whose labels were localised from the glossary: machine-made too."""
    NAME = "name kept as written"
    """An author's name (an author page's title): never sent to an engine; a translator may transliterate it."""
    REUSED_REVIEWED = "reused reviewed translation from "
    REUSED_DRAFT = "reused draft from "
    MANUAL = "manual draft"
    """A draft people wrote outside thinktank (our committed sample catalogs)."""
    KEPT = "kept: "
    """A person's msgstr kept as a fuzzy msgstr after its source was edited."""
    OTHER = ""
    """A line another tool wrote: kept as it is."""

    @property
    def machine_made(self) -> bool:
        return self in (Origin.MACHINE, Origin.CITATION, Origin.NAME)


KEPT_LINE = "kept: the reviewed translation of the previous source; check it against the new source"
CITATION_LINE = "citation kept verbatim; labels localised from the glossary"


@dataclass(frozen=True)
class Provenance:
    origin: Origin
    line: str
    """The comment line on disk."""

    @property
    def detail(self) -> str:
        """What follows the origin's prefix: engine and model, or the catalog reused from."""
        return self.line.removeprefix(self.origin.value).strip()

    @classmethod
    def machine(cls, engine: str, model: str) -> Provenance:
        return cls(Origin.MACHINE, f"{Origin.MACHINE.value}{engine} {model}")

    @classmethod
    def reused(cls, catalog: str, reviewed: bool) -> Provenance:
        origin = Origin.REUSED_REVIEWED if reviewed else Origin.REUSED_DRAFT
        return cls(origin, f"{origin.value}{catalog}")

    @classmethod
    def citation(cls) -> Provenance:
        return cls(Origin.CITATION, CITATION_LINE)

    @classmethod
    def name(cls) -> Provenance:
        return cls(Origin.NAME, Origin.NAME.value)

    @classmethod
    def kept(cls) -> Provenance:
        return cls(Origin.KEPT, KEPT_LINE)

    @classmethod
    def from_line(cls, line: str) -> Provenance:
        for origin in Origin:
            if origin is not Origin.OTHER and line.startswith(origin.value):
                return cls(origin, line)
        return cls(Origin.OTHER, line)


QA_PREFIX = "qa: "
SUGGESTION_PREFIX = "machine draft for the new source: "
EARLIER_PREFIX = "earlier draft, for the previous source: "
"""Checked before ``Origin.MACHINE``'s prefix, which it does not share ("machine draft: ")."""


def _fold(text: str) -> str:
    """One comment line for any text: backslashes and line ends written as ``\\\\`` and ``\\n``."""
    return text.replace("\\", "\\\\").replace("\n", "\\n")


def _unfold(line: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), line)


@dataclass
class Notes:
    """An entry's automatic comments, typed: provenance, QA problems, a suggestion."""

    provenance: list[Provenance] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    suggestion: str | None = None
    """A machine draft offered beside a kept translation."""
    earlier: str | None = None
    """The msgstr a new machine draft replaced (a reviewer may have corrected it without approving it)."""

    @classmethod
    def from_comment(cls, comment: str) -> Notes:
        notes = cls()
        for line in comment.splitlines():
            if not line:
                continue
            if line.startswith(QA_PREFIX):
                notes.problems.append(problem_from_message(line.removeprefix(QA_PREFIX)))
            elif line.startswith(SUGGESTION_PREFIX):
                notes.suggestion = _unfold(line.removeprefix(SUGGESTION_PREFIX))
            elif line.startswith(EARLIER_PREFIX):
                notes.earlier = _unfold(line.removeprefix(EARLIER_PREFIX))
            else:
                notes.provenance.append(Provenance.from_line(line))
        return notes

    def to_comment(self) -> str:
        lines = [item.line for item in self.provenance]
        lines += [f"{QA_PREFIX}{problem.message}" for problem in self.problems]
        if self.suggestion is not None:
            lines.append(SUGGESTION_PREFIX + _fold(self.suggestion))
        if self.earlier is not None:
            lines.append(EARLIER_PREFIX + _fold(self.earlier))
        return "\n".join(lines)

    @property
    def machine_made(self) -> bool:
        """Nobody touched this msgstr since a machine wrote it (a new draft may replace it)."""
        origins = {item.origin for item in self.provenance}
        return Origin.KEPT not in origins and any(origin.machine_made for origin in origins)
