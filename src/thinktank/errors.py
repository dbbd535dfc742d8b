"""One exception type per failure family; the CLI catches ``ThinktankError`` once."""

from __future__ import annotations

from pathlib import Path
from typing import Any


class ThinktankError(Exception):
    """Base of every error a user can cause; printed as one line by the CLI."""

    def __init__(self, path: Path | str | None, message: str) -> None:
        self.path = Path(path) if path is not None else None
        self.message = message
        super().__init__(f"{self.path}: {message}" if self.path else message)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled with its own arguments (and notes), so it crosses to another process whole (a site pass built
        in a fork); the exception's default pickles its formatted text as the one argument."""
        return type(self), (self.path, self.message), self.__dict__


class ArticleFormatError(ThinktankError):
    """The input file is not a usable article (empty, binary, no title, ...)."""


class FootnoteError(ArticleFormatError):
    """Note markers and note definitions do not match one to one."""


class OutputError(ThinktankError):
    """Writing the result would lose or misplace data (existing page, unsafe path)."""


class CatalogError(ThinktankError):
    """A PO catalog or the glossary cannot be read."""


class EngineError(ThinktankError):
    """A translation engine cannot run (no model installed, broken package)."""
