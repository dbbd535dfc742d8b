"""The PO reader's fast path and the build's lean read agree with the strict line reader.

``po._fast_drafts`` reads entries of the usual shape with one regex match each and declines
anything else; ``po.messages`` is ``po.parse`` without polib's objects. Neither may accept a
file the strict reader refuses, read a file differently, or change an error message: checked on
every committed catalog and on mutations of them (the same mutator as the msgfmt fuzz test),
which put blanks, CR LF, ``#~``, ``#|``, plurals, escapes and stray quotes where they do not belong.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from thinktank import po
from thinktank.errors import CatalogError

from .test_po_fuzz import SEEDS, _mutate

FIXTURES = Path(__file__).parent / "po" / "fast"


def _strict(data: bytes, path: Path) -> list[po._Draft] | str:
    """The strict line reader's drafts, or its error."""
    try:
        text, charset = po._text(data, path)
        return po._Reader(text, path, charset).read()
    except CatalogError as exc:
        return str(exc)


def _fast(data: bytes, path: Path) -> list[po._Draft] | None | str:
    try:
        text, charset = po._text(data, path)
    except CatalogError as exc:
        return str(exc)
    return po._fast_drafts(po._Reader(text, path, charset), text)


def _outcome(read, data: bytes, path: Path) -> object:  # noqa: ANN001 - parse or messages
    try:
        return read(data, path)
    except CatalogError as exc:
        return str(exc)


def _as_messages(catalog: po.Catalog | str) -> list[tuple[object, ...]] | str:
    """What ``messages`` should give for ``parse``'s result: the entries as plain values."""
    if isinstance(catalog, str):
        return catalog
    return [(e.msgctxt, e.msgid, e.msgstr, tuple(e.flags), e.comment, e.obsolete, bool(e.msgid_plural))
            for e in catalog]


def _fields(messages: list[po.Message] | str) -> list[tuple[object, ...]] | str:
    if isinstance(messages, str):
        return messages
    return [(m.msgctxt, m.msgid, m.msgstr, m.flags, m.comment, m.obsolete, m.plural) for m in messages]


def _check(data: bytes, path: Path) -> bool:
    """Assert the fast path and the lean read agree with the strict reader on ``data``; True when the fast path read it."""
    strict, fast = _strict(data, path), _fast(data, path)
    if isinstance(fast, list):
        assert fast == strict, "the fast path read a file differently from the strict reader"
    elif isinstance(fast, str):
        assert fast == strict
    assert _fields(_outcome(po.messages, data, path)) == _as_messages(_outcome(po.parse, data, path))
    return isinstance(fast, list)


def test_every_committed_catalog_takes_the_fast_path_and_reads_the_same() -> None:
    ours = sorted((Path(__file__).resolve().parent.parent / "translations").rglob("*.po"))
    assert ours
    for path in ours:
        assert _check(path.read_bytes(), path), f"{path}: thinktank's own catalogs should take the fast path"


@pytest.mark.parametrize("name", sorted(path.name for path in FIXTURES.glob("*.po")))
def test_unusual_shapes_read_the_same(name: str) -> None:
    """Hand-made catalogs at the edges of the fast path: obsolete and previous entries, wrapped strings,
    comments and escapes (taken), and blanks, CR LF, plurals, two strings on a line (declined)."""
    path = FIXTURES / name
    taken = _check(path.read_bytes(), path)
    assert taken == name.startswith("taken-"), f"{name}: fast path {'took' if taken else 'declined'} it"


INSIDE = [b"\\303\\251", b"\\x41", b"\\n", b"\\t", b"\\\\", b'\\"', b"\\q", b"\\000", "\u2028".encode(), b"\x0b",
          b"\r", b"\t", b" ", b"#", b"msgid ", b"\xc3\xa9"]
"""What the shape mutator puts inside a string: escapes good and bad, blanks, line-end look-alikes."""
LINES = [b"", b"   ", b"#. note", b"#, fuzzy", b"#| msgid \"old\"", b"#~ msgid \"x\"", b'"more"', b"#~ \"more\"",
         b'msgstr "again"', b"#: a.md:1"]


def _reshape(data: bytes, rng: random.Random) -> bytes:
    """Mutations that mostly keep the usual shape, so the fast path is tested where it reads: whole entries
    dropped, repeated, made obsolete or given comments, text inside strings changed, lines added."""
    entries = data.split(b"\n\n")
    for _ in range(rng.randint(1, 3)):
        choice = rng.random()
        index = rng.randrange(len(entries))
        if choice < 0.15 and len(entries) > 2:
            del entries[index]
        elif choice < 0.3:
            entries.insert(index, entries[rng.randrange(len(entries))])
        elif choice < 0.45:
            entries[index] = b"\n".join(line if line.startswith(b"#") else b"#~ " + line
                                        for line in entries[index].split(b"\n"))
        elif choice < 0.8:
            quotes = [at for at, byte in enumerate(entries[index]) if byte == ord('"')]
            if quotes:
                at = rng.choice(quotes) + rng.randint(0, 1)
                entries[index] = entries[index][:at] + rng.choice(INSIDE) + entries[index][at:]
        else:
            lines = entries[index].split(b"\n")
            lines.insert(rng.randint(0, len(lines)), rng.choice(LINES))
            entries[index] = b"\n".join(lines)
    return b"\n\n".join(entries)


def _fuzz(count: int) -> None:
    rng = random.Random(12)
    seeds = [path.read_bytes() for path in SEEDS]
    taken = {"bytes": 0, "shape": 0}
    for number in range(count):
        kind = "shape" if number % 2 else "bytes"
        data = (_reshape if kind == "shape" else _mutate)(rng.choice(seeds), rng)
        taken[kind] += _check(data, Path(f"fuzz-{number}.po"))
    assert taken["shape"] > count // 20 and taken["bytes"] > count // 40, f"the fast path read too few inputs: {taken}"


def test_fast_path_agrees_on_mutated_catalogs() -> None:
    _fuzz(1000)


@pytest.mark.slow
def test_fast_path_agrees_on_many_mutated_catalogs() -> None:
    _fuzz(20_000)


def test_messages_refuse_as_parse_does() -> None:
    """A duplicate, a missing header and a bad escape: the same one line from both readers."""
    header = b'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    cases = [header + b'msgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n',
             b'msgid "a"\nmsgstr "b"\n',
             header + b'msgid "a"\nmsgstr "\\q"\n',
             header + b'msgid "a\\n"\nmsgstr "b"\n']
    for data in cases:
        with pytest.raises(CatalogError) as lean:
            po.messages(data, Path("x.po"))
        with pytest.raises(CatalogError) as full:
            po.parse(data, Path("x.po"))
        assert str(lean.value) == str(full.value)
