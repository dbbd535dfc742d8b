"""A seeded mutator over the test fixtures, and the harness that runs an input.

The fuzz tests feed the importers and the page reader inputs made by mutating
real fixtures (text dumps, saved pages, Word files built by pandoc, committed
pages) and random bytes. The only acceptable outcomes are a result or one of
our typed errors; anything else saves the input under
``test-artifacts/fuzz/`` and fails with its path, so the case can be replayed.
Seeds make every run reproducible: the same seed gives the same inputs.
"""

from __future__ import annotations

import io
import random
import traceback
import zipfile
import zlib
from collections.abc import Callable

from thinktank.errors import ThinktankError

from .conftest import ROOT

ARTIFACTS = ROOT / "test-artifacts" / "fuzz"
MAX_INPUT = 256 * 1024
"""Mutations stop growing an input here; size limits are tested separately."""

CONTROL_TOKENS = [
    b"\x00", b"\x08", b"\x0b", b"\x0c", b"\x1b", b"\x1c", b"\x7f", b"\xc2\x85", b"\xc2\x9b", b"\xe2\x80\xa8",
    b"\xe2\x80\xa9", b"\xe2\x80\xae", b"\xe2\x81\xa6", b"\xe2\x80\x8b", b"\xef\xbb\xbf", b"\xef\xbf\xbe",
    b"\xef\xb7\x90", b"\xff", b"\xfe\xff", b"\xc3", b"\xed\xa0\x80", b"\r", b"\t",
]
TEXT_TOKENS = [
    b"[1]", b"[2]", b"[3]", b"[0]", b"[1000]", b"[5001]", b"[" + b"9" * 5000 + b"]", b"[\xd9\xa1]",
    b"\n", b"\n\n", b"Notes\n\n", b"\n1. ", b"\n[1] ", b"By John Smith\n", b"Ibid.", b"(Access Date: 31.02.2024)",
    b"PISM BULLETIN\n", b"This post is also available in: T\xc3\xbcrk\xc3\xa7e\n", b"Similar Posts\n",
    b"[x](#)", b"**", b"\xe2\x80\x9c", b"https://example.org/a", b"\xc4\xb0I\xc5\x9e", b"12", b"%PDF", b"PK\x03\x04",
]
HTML_TOKENS = [
    b"<p>", b"</p>", b"<div>", b"</div>", b"<html>", b"<body>", b"</body>", b"<h1>", b"</h1>", b"<br>", b"<!--", b"-->",
    b"<![CDATA[", b"]]>", b'<sup><a href="#fn1">1</a></sup>', b'<li id="fn1">', b'<a href="#fn2">[2]</a>',
    b'<p id="fn2">', b'<meta charset="utf-16">', b'<meta charset="idna">', b'<meta charset="rot13">',
    b'<meta charset="bogus">', b"&#0;", b"&#x8;", b"&#xfffe;", b"&#x202e;", b"&amp;", b"&", b"<", b">",
    b'<script type="application/ld+json">{"@type":"Article","author":[]}</script>', b"<script>", b"</script>",
    b'<div class="author-box"><p class="author-bio">', b"<table><tr><td>", b"</td></tr></table>", b"<ul><li>",
    b"<blockquote>", b"<pre>", b'<meta property="og:title" content="', b'<html lang="', b'<time datetime="2024-99-99">',
    b'<meta property="article:published_time" content="', b"<svg><foreignObject>", b"<?xml version='1.0'?>",
    b'<a rel="author">', b"</a>", b"<sup>", b"</sup>", b"<b><i>", b"\xc3\xa7",
]
XML_TOKENS = [
    b"<", b">", b"</w:p>", b"<w:p>", b"<w:r><w:t>", b"</w:t></w:r>", b"&", b"&#0;", b"&#xD800;", b"]]>", b'"', b"'",
    b'<!DOCTYPE a [<!ENTITY e "x">]>', b"&e;", b'<?xml version="1.0" encoding="bogus"?>', b'encoding="utf-16"',
    b'<w:footnoteReference w:id="99"/>', b'<w:footnoteReference w:id="x"/>', b'w:val="x"', b'w:id="-1"',
    b'<w:numPr><w:ilvl w:val="z"/><w:numId w:val="9"/></w:numPr>', b'<w:hyperlink r:id="rId999">', b"</w:hyperlink>",
    b"<w:tbl><w:tr><w:tc>", b"</w:tc></w:tr></w:tbl>", b'<w:pStyle w:val="Heading1"/>', b"\x00", b"\xff",
]


def _insert(rng: random.Random, data: bytes, token: bytes) -> bytes:
    at = rng.randrange(len(data) + 1)
    return data[:at] + token + data[at:]


def mutate(rng: random.Random, data: bytes, tokens: list[bytes], rounds: int | None = None) -> bytes:
    """A few random edits: byte flips, token insertions, deletions, duplications, truncation."""
    for _ in range(rounds if rounds is not None else rng.randint(1, 6)):
        op = rng.randrange(9)
        if not data:
            data = rng.choice(tokens)
            continue
        at = rng.randrange(len(data))
        if op == 0:
            data = data[:at] + bytes([rng.randrange(256)]) + data[at + 1:]
        elif op in (1, 2):
            data = _insert(rng, data, rng.choice(tokens))
        elif op == 3:
            data = _insert(rng, data, rng.choice(CONTROL_TOKENS))
        elif op == 4:
            data = data[:at] + data[at + rng.randint(1, 64):]
        elif op == 5:
            end = min(len(data), at + rng.randint(1, 256))
            data = data[:end] + data[at:end] * rng.randint(1, 8) + data[end:]
        elif op == 6:
            data = data[:at]
        elif op == 7:
            data = _insert(rng, data, rng.choice(tokens) * rng.randint(2, 200))
        else:
            data = _insert(rng, data, bytes(rng.randrange(256) for _ in range(rng.randint(1, 16))))
        data = data[:MAX_INPUT]
    return data


def random_bytes(rng: random.Random) -> bytes:
    """Noise, sometimes behind a magic number or markup so it reaches a deeper importer."""
    body = bytes(rng.randrange(256) for _ in range(rng.randint(0, 2048)))
    prefix = rng.choice([b"", b"", b"PK\x03\x04", b"<!DOCTYPE html><html>", b"<p>a</p><div>b</div><h1>c</h1>",
                         b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf", b"Title\n\n"])
    return prefix + body


# --- Word files --------------------------------------------------------------------

def _members(data: bytes) -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(info, archive.read(info.filename)) for info in archive.infolist()]


def _zip(members: list[tuple[str, bytes]], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


def _patch_central(data: bytes, rng: random.Random, offset: int, size: int, value: int) -> bytes:
    """Overwrite a field of one central-directory record (sizes, method, flags)."""
    starts = [i for i in range(len(data) - 4) if data[i:i + 4] == b"PK\x01\x02"]
    if not starts:
        return data
    at = rng.choice(starts) + offset
    return data[:at] + value.to_bytes(size, "little") + data[at + size:]


def mutate_docx(rng: random.Random, docx: bytes) -> bytes:
    """A damaged Word file: broken members, bad XML, lying headers, truncation, bombs."""
    members = [(info.filename, content) for info, content in _members(docx)]
    op = rng.randrange(10)
    if op in (0, 1, 2):  # bad XML inside word/document.xml (or another part)
        index = next((i for i, (name, _) in enumerate(members) if name == "word/document.xml"), 0)
        if op == 2:
            index = rng.randrange(len(members))
        name, content = members[index]
        members[index] = (name, mutate(rng, content, XML_TOKENS, rng.randint(1, 8)))
        return _zip(members)
    if op == 3:  # a member dropped
        members.pop(rng.randrange(len(members)))
        return _zip(members)
    if op == 4:  # raw damage to the archive bytes (compressed streams, headers, CRCs)
        return mutate(rng, docx, [b"PK\x01\x02", b"PK\x05\x06", b"\x00" * 4, b"\xff" * 4], rng.randint(1, 4))
    if op == 5:  # truncated download
        return docx[: rng.randrange(4, len(docx))]
    if op == 6:  # a deflate bomb next to the document
        members.append((f"word/media/pad{rng.randrange(9)}.bin", bytes(rng.choice([1, 8, 30]) * 1024 * 1024)))
        return _zip(members)
    if op == 7:  # lying central directory: sizes, method, flags
        field = rng.choice([(10, 2, rng.choice([1, 8, 9, 12, 14, 93, 99])),  # compression method
                            (8, 2, rng.choice([1, 0x41, 0x800, 0xFFFF])),  # flags (encrypted, ...)
                            (20, 4, rng.choice([0, 1, 10, 0xFFFFFFFF])),  # compressed size
                            (24, 4, rng.choice([0, 1, 10, 2**31, 0xFFFFFFFF])),  # uncompressed size
                            (16, 4, rng.randrange(2**32))])  # CRC
        return _patch_central(docx, rng, *field)
    if op == 8:  # corrupt one compressed stream in place
        start = docx.find(b"word/document.xml") + len("word/document.xml")
        at = rng.randrange(start, min(len(docx), start + 400)) if 0 < start < len(docx) else rng.randrange(len(docx))
        return docx[:at] + bytes(rng.randrange(256) for _ in range(rng.randint(1, 8))) + docx[at + 8:]
    return zlib.compress(docx)[: rng.randrange(len(docx))] if rng.random() < 0.1 else _zip(members, zipfile.ZIP_STORED)


# --- The harness -------------------------------------------------------------------

def run_case(name: str, data: bytes, call: Callable[[bytes], object], suffix: str = ".bin") -> None:
    """Call ``call(data)``; anything but a result or a ``ThinktankError`` saves the input and fails."""
    try:
        call(data)
    except ThinktankError as exc:
        message = str(exc)
        assert "\n" not in message, f"{name}: the error is not one line: {message!r}"
    except BaseException as exc:  # noqa: BLE001 - the point is to see everything else
        if isinstance(exc, KeyboardInterrupt):
            raise
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        saved = ARTIFACTS / f"{name}{suffix}"
        saved.write_bytes(data)
        raise AssertionError(f"{name}: {type(exc).__module__}.{type(exc).__name__}: {exc} "
                             f"(input saved to {saved})\n{traceback.format_exc(limit=-6)}") from None
