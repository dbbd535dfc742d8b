"""The registry of text-dump profiles: which site's dumps the text importer knows.

A profile is data (:class:`~thinktank.importers.profile.Profile`); this module
lists them, each with a description for ``--help``, and picks one for a dump
by its signature lines. A new site is a new profile module plus one line here.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import ankasam, generic, pism
from .profile import Profile, one_pattern


@dataclass(frozen=True)
class TextProfile:
    profile: Profile
    description: str

    @property
    def name(self) -> str:
        return self.profile.name


REGISTRY: tuple[TextProfile, ...] = (
    TextProfile(ankasam.PROFILE, "a text dump of an ANKASAM analysis (web page copy)"),
    TextProfile(pism.PROFILE, "a text dump of a PISM bulletin (PDF or web copy)"),
    TextProfile(generic.PROFILE, "a text dump of any other site: title, byline, numbered notes"),
)
PROFILES: dict[str, Profile] = {entry.name: entry.profile for entry in REGISTRY}
_ANY_SIGNATURE = one_pattern(tuple(pattern for profile in PROFILES.values() for pattern in profile.signatures))
"""A line no profile's signature matches counts for none: one regex call tells most lines apart."""
FALLBACK = generic.PROFILE
"""What a dump with no profile's signature lines is read with."""


def choose_profile(text: str, requested: str) -> Profile:
    """The named profile, or (for any other request: "auto", "text") the one whose signature lines the text has most."""
    if requested in PROFILES:
        return PROFILES[requested]
    lines = [line for line in (line.strip() for line in text.splitlines()) if _ANY_SIGNATURE.fullmatch(line)]
    scored = [(profile.matches(lines), profile) for profile in PROFILES.values() if profile.signatures]
    best_score, best = max(scored, key=lambda pair: pair[0], default=(0, FALLBACK))
    return best if best_score else FALLBACK
