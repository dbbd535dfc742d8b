"""Markdown files with a YAML front matter block: the one on-disk page format."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from .errors import ArticleFormatError

_FRONT = re.compile(r"\A---\n(.*?\n)---\n?(.*)\Z", re.S)


class _Dumper(yaml.SafeDumper):
    """Block-style YAML that keeps key order and never wraps long lines."""


def _str_representer(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _str_representer)


def dump(meta: dict[str, Any], body: str) -> str:
    """Serialise ``meta`` and ``body`` deterministically (same input, same bytes)."""
    head = yaml.dump(meta, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=10_000)
    body = body.strip("\n")
    return f"---\n{head}---\n\n{body}\n" if body else f"---\n{head}---\n"


def parse(text: str, path: Path | None = None) -> tuple[dict[str, Any], str]:
    """Split a page into its front matter mapping and its Markdown body."""
    match = _FRONT.match(text.replace("\r\n", "\n"))
    if not match:
        return {}, text
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as exc:
        raise ArticleFormatError(path, f"invalid YAML front matter: {exc}") from exc
    if not isinstance(meta, dict):
        raise ArticleFormatError(path, "front matter is not a mapping")
    return meta, match.group(2).lstrip("\n")


def read(path: Path) -> tuple[dict[str, Any], str]:
    """Read and parse one page file."""
    return parse(path.read_text(encoding="utf-8"), path)
