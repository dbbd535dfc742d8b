"""Markdown files with a YAML front matter block: the one on-disk page format.

Pages are edited by hand, so reading one must fail as one line naming the
page and the field, never as a traceback, and must do bounded work: YAML
aliases (the "billion laughs" bomb) and deep nesting are refused before
anything is built, and the fields the site reads are checked for their type.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from .errors import ArticleFormatError
from .schema import PageMeta

_FRONT = re.compile(r"\A---\n(.*?\n)---\n?(.*)\Z", re.S)
MAX_FRONT_MATTER = 2 * 1024 * 1024
"""Characters; the importer writes a few KB (5,000 notes stay under 1 MB)."""
MAX_DEPTH = 20
"""Nesting of YAML collections; our pages use 3 (notes → note → field)."""


class _Refused(yaml.MarkedYAMLError):
    """YAML that is valid but that page front matter may not use."""


class _PageLoader(yaml.SafeLoader):
    """SafeLoader that refuses anchors and aliases, bounds nesting, and keeps bad dates as text.

    An alias is refused when it is met, before any node is built, so an alias
    bomb costs no more than reading its first anchor. A date YAML cannot build
    (``2024-13-45``) stays a string and the field check names it.
    """

    _depth = 0

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node | None:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _Refused(None, None, "YAML anchors and aliases (&name, *name) are not allowed in page front "
                                       "matter", event.start_mark)
        if self._depth >= MAX_DEPTH:
            raise _Refused(None, None, f"nested more than {MAX_DEPTH} levels deep", event.start_mark)
        self._depth += 1
        try:
            return super().compose_node(parent, index)  # type: ignore[no-untyped-call, arg-type]
        finally:
            self._depth -= 1


def _lenient_timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    try:
        return loader.construct_yaml_timestamp(node)  # type: ignore[no-untyped-call]
    except (ValueError, AttributeError):  # out-of-range parts; an explicit !!timestamp that is none
        return loader.construct_scalar(node)


def _strict(tag: str) -> Any:
    """PyYAML's constructor for ``tag``, with its ValueError/KeyError as a YAML error naming the line."""
    construct = yaml.SafeLoader.yaml_constructors[tag]

    def checked(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
        try:
            return construct(loader, node)
        except (ValueError, KeyError):  # "!!int foo", "!!bool maybe", a 5,000-digit number
            raise yaml.constructor.ConstructorError(
                None, None, f"{node.value[:40]!r} is not a valid {tag.rsplit(':', 1)[-1]}", node.start_mark) from None

    return checked


_C_LOADER: type[yaml.SafeLoader] | None = getattr(yaml, "CSafeLoader", None)
_C_DUMPER: type[yaml.SafeDumper] | None = getattr(yaml, "CSafeDumper", None)


class _FastPageLoader(_C_LOADER or yaml.SafeLoader):  # type: ignore[misc]
    """libyaml's parser with the page constructors: about six times faster than ``_PageLoader``.

    libyaml composes nodes in C, so ``_PageLoader.compose_node`` cannot run:
    :func:`_check_events` refuses anchors, aliases and deep nesting on the
    event stream first (C-parsed too), before any node is built.
    """


for _loader in (_PageLoader, _FastPageLoader):
    _loader.add_constructor("tag:yaml.org,2002:timestamp", _lenient_timestamp)
    for _tag in ("int", "float", "bool"):
        _loader.add_constructor(f"tag:yaml.org,2002:{_tag}", _strict(f"tag:yaml.org,2002:{_tag}"))

_NODE_EVENTS = (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)
_OPEN_EVENTS = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSE_EVENTS = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def _check_events(text: str, loader: type[yaml.SafeLoader]) -> None:
    """What ``_PageLoader.compose_node`` refuses, refused on the event stream: same rules, same messages."""
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _Refused(None, None, "YAML anchors and aliases (&name, *name) are not allowed in page front "
                                       "matter", event.start_mark)  # type: ignore[arg-type]  # libyaml's Mark
        if isinstance(event, _NODE_EVENTS) and depth >= MAX_DEPTH:
            raise _Refused(None, None, f"nested more than {MAX_DEPTH} levels deep",
                           event.start_mark)  # type: ignore[arg-type]  # libyaml's Mark has line and column too
        if isinstance(event, _OPEN_EVENTS):
            depth += 1
        elif isinstance(event, _CLOSE_EVENTS):
            depth -= 1


def _str_representer(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


class _PyDumper(yaml.SafeDumper):
    """Block-style YAML that keeps key order and never wraps long lines."""


class _Dumper(_C_DUMPER or yaml.SafeDumper):  # type: ignore[misc]
    """``_PyDumper`` with libyaml's emitter when PyYAML has it: the same bytes, about five times faster
    (``tests/test_frontmatter_c.py`` checks the two agree), but for a few unusual characters (see
    :func:`_unusual`)."""


for _dumper in (_PyDumper, _Dumper):
    _dumper.add_representer(str, _str_representer)


_UNUSUAL = re.compile("[^\t\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]")
"""Characters the two emitters write differently: beyond the BMP (emoji, historic scripts: libyaml
escapes them as ``\\U0001F600``), controls, NEL, line and paragraph separators, the BOM."""


def _unusual(value: Any) -> bool:
    """Whether a string in ``value`` has an ``_UNUSUAL`` character: such pages take the Python emitter,
    so every machine, with libyaml or without, writes the same (and readable) bytes."""
    if isinstance(value, str):
        return _UNUSUAL.search(value) is not None
    if isinstance(value, dict):
        return any(_unusual(key) or _unusual(item) for key, item in value.items())
    if isinstance(value, list | tuple):
        return any(_unusual(item) for item in value)
    return False


def _dump_yaml(meta: dict[str, Any], dumper: type[yaml.SafeDumper]) -> str:
    return yaml.dump(meta, Dumper=dumper, sort_keys=False, allow_unicode=True, width=10_000)


def dump(meta: dict[str, Any], body: str) -> str:
    """Serialise ``meta`` and ``body`` deterministically (same input, same bytes)."""
    head = _dump_yaml(meta, _PyDumper if _unusual(meta) else _Dumper)
    if head.endswith("\n...\n"):  # libyaml's document end after a kept trailing newline; Python writes none
        head = _dump_yaml(meta, _PyDumper)
    body = body.strip("\n")
    return f"---\n{head}---\n\n{body}\n" if body else f"---\n{head}---\n"


def load_yaml(text: str) -> Any:
    """YAML as the pages' loader reads it (no anchors or aliases, bounded nesting): for every file an
    editor writes, so that a "billion laughs" cannot exhaust memory. ``yaml.YAMLError`` on bad input."""
    if _C_LOADER is None:
        return yaml.load(text, Loader=_PageLoader)  # noqa: S506 - a SafeLoader subclass
    _check_events(text, _C_LOADER)
    return yaml.load(text, Loader=_FastPageLoader)  # noqa: S506 - a CSafeLoader subclass


def one_line(exc: yaml.YAMLError) -> str:
    """A YAML error as one line (its position included)."""
    return _one_line(exc)


def parse(text: str, path: Path | None = None, *, fields: bool = True) -> tuple[dict[str, Any], str]:
    """Split a page into its front matter mapping and its Markdown body, the known fields checked."""
    match = _FRONT.match(text.replace("\r\n", "\n"))
    if not match:
        return {}, text
    head = match.group(1)
    if len(head) > MAX_FRONT_MATTER:
        raise ArticleFormatError(path, f"front matter is larger than {MAX_FRONT_MATTER // (1024 * 1024)} MB; "
                                       "not a page this site writes")
    try:
        meta = load_yaml(head) or {}
    except yaml.YAMLError as exc:
        raise ArticleFormatError(path, f"invalid YAML front matter: {_one_line(exc)}") from None
    if not isinstance(meta, dict):
        raise ArticleFormatError(path, "front matter is not a mapping")
    if fields:
        PageMeta.parse(meta, path)  # the schema refuses a mistyped field, naming it
    return meta, match.group(2).lstrip("\n")


def read(path: Path, *, fields: bool = True) -> tuple[dict[str, Any], str]:
    """Read and parse one page file; ``fields=False`` checks only that it is safe, readable YAML."""
    return parse_bytes(path.read_bytes(), path, fields=fields)


def parse_bytes(data: bytes, path: Path | None = None, *, fields: bool = True) -> tuple[dict[str, Any], str]:
    """:func:`parse` of a page file's bytes, which must be UTF-8."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ArticleFormatError(path, f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
                                       "save the page as UTF-8") from None
    return parse(text, path, fields=fields)


def _one_line(exc: yaml.YAMLError) -> str:
    """PyYAML's message without its multi-line context; the line is the page's own line number."""
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem_mark is not None:
        where = f" (line {exc.problem_mark.line + 2}, column {exc.problem_mark.column + 1})"
        return " ".join(f"{exc.context or ''} {exc.problem or ''}".split()) + where
    return " ".join(str(exc).split())
