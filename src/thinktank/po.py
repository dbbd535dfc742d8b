"""PO files read as msgfmt reads them, and written so untouched entries keep their bytes.

polib is our object model and serialiser, but its reader accepts files msgfmt
refuses and misreads some that msgfmt accepts: it keeps one of two duplicate
entries, turns ``\\303\\251`` into a literal backslash, and has no line
numbers to report. A catalog misread would be rewritten from the misreading,
losing a translator's work, so reading is this strict reader's job:

* every line must be PO syntax; strings are decoded with msgfmt's escapes
  (``\\n \\t \\b \\r \\f \\v \\a \\\\ \\"``, octal and hex bytes) in the file's
  declared charset;
* a header entry with a charset is required; a second header, or two entries
  with the same (msgctxt, msgid), is refused with both line numbers;
* lines are split on ``\\n`` only, so U+2028, ``\\x0b`` or ``\\x85`` inside a
  string are text, not line ends.

Writing keeps each entry's original text when the entry did not change (a
catalog re-wrapped by Poedit or msgcat stays that way), so a run that changes
one entry changes one entry's lines in the file.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import polib

from .errors import CatalogError

_ESCAPES = {"n": "\n", "t": "\t", "b": "\b", "r": "\r", "f": "\f", "v": "\v", "a": "\a", "\\": "\\", '"': '"'}
_STRING = re.compile(r'"([^"\\]*(?:\\.[^"\\]*)*)"')
_STRINGS = re.compile(r'(?:"[^"\\]*(?:\\.[^"\\]*)*"[ \t]*)+')
"""A quoted string, and a line of them; "unrolled" (runs of plain characters, then one escape), which
Python's regex engine matches in one step per run rather than one alternation per character."""
_ESCAPE = re.compile(r"\\(x[0-9A-Fa-f]+|[0-7]{1,3}|.)", re.S)
_BYTE_ESCAPE = re.compile(r"\\(?:x[0-9A-Fa-f]|[0-7])")
_KEYWORD = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr(?:\s*\[(\d+)\])?)\s*(\".*)$", re.S)
_CHARSET = re.compile(r"Content-Type:[^\"]*?charset=([A-Za-z0-9._:-]+)", re.I)
_BLANK = " \t\r\f\v"
"""What gettext's lexer skips as white space around tokens."""
_REVISION = re.compile(r'^("PO-Revision-Date: )[^"\\]*((?:\\n)?")$', re.M)
WRAP = 79
"""msgcat's and Poedit's line width, used for changed entries of a file that is wrapped."""


def _state(entry: polib.POEntry) -> tuple[object, ...]:
    """Everything a PO line can say about ``entry``: equal states print the same entry."""
    return (entry.msgctxt, entry.msgid, entry.msgid_plural, entry.msgstr, tuple(sorted(entry.msgstr_plural.items())),
            tuple(entry.flags), entry.comment, entry.tcomment,
            _references(entry),
            entry.previous_msgctxt, entry.previous_msgid, entry.previous_msgid_plural, entry.obsolete)


def _references(entry: polib.POEntry) -> str:
    """The ``#:`` line's content: how it reads back, whatever the paths contain."""
    return " ".join(f"{path}:{line}" if line else path for path, line in entry.occurrences).replace("\n", " ")


_OCCURRENCES = 8
"""Index of the references in ``_state``."""


def _header_state(po: polib.POFile) -> tuple[object, ...]:
    meta = tuple((k, v) for k, v in po.metadata.items() if k != "PO-Revision-Date")
    return (po.header, meta, po.metadata_is_fuzzy)


@dataclass
class Origin:
    """What a catalog looked like on disk when it was read: for conflict checks and byte-stable writes."""

    data: bytes = b""
    header: tuple[tuple[object, ...], str] | None = None
    entries: dict[int, tuple[polib.POEntry, tuple[object, ...], str]] = field(default_factory=dict)
    wrapped: bool = False
    crlf: bool = False
    """The file's lines end in CR LF; it is written back that way."""
    charset: str = "utf-8"
    """The declared charset; we always write UTF-8, so blocks are reused only from UTF-8 files."""

    @property
    def reusable(self) -> bool:
        return self.charset.lower().replace("_", "-") in ("utf-8", "utf8")


class Catalog(polib.POFile):
    """A ``polib.POFile`` that remembers the file it was read from (``origin``)."""

    def __init__(self) -> None:
        super().__init__(wrapwidth=0, encoding="utf-8")
        self.origin: Origin | None = None


# --- Reading ---------------------------------------------------------------------------------

@dataclass
class _Draft:
    """An entry being read, field by field, with the lines it spans."""

    start: int
    obsolete: bool | None = None
    fields: dict[str, list[str]] = field(default_factory=dict)
    plural: dict[int, list[str]] = field(default_factory=dict)
    previous: dict[str, list[str]] = field(default_factory=dict)
    tcomment: list[str] = field(default_factory=list)
    comment: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    occurrences: list[tuple[str, str]] = field(default_factory=list)
    last: list[str] | None = field(default=None, compare=False)
    last_previous: list[str] | None = field(default=None, compare=False)
    end: int = 0

    @property
    def has_msgstr(self) -> bool:
        return "msgstr" in self.fields or bool(self.plural)

    @property
    def started(self) -> bool:
        return bool(self.fields or self.plural or self.previous or self.tcomment or self.comment or self.flags
                    or self.occurrences)


class _Reader:
    def __init__(self, text: str, path: Path | None, charset: str) -> None:
        self.text = text
        self.path = path
        self.charset = charset

    @functools.cached_property
    def lines(self) -> list[str]:
        """The file's lines (split on ``\\n`` only); not made when the fast path reads a file for the build."""
        return self.text.split("\n")

    def fail(self, number: int, problem: str) -> CatalogError:
        return _refused(self.path, f"line {number}: {problem}")

    def decode(self, raw: str, number: int) -> str:
        """A quoted string's content, with msgfmt's escapes."""
        if "\\" not in raw:
            return raw
        if not _BYTE_ESCAPE.search(raw):
            return _ESCAPE.sub(lambda m: self._simple(m.group(1), number), raw)
        out = bytearray()
        position = 0
        for match in _ESCAPE.finditer(raw):
            out += raw[position:match.start()].encode(self.charset)
            code = match.group(1)
            if code[0] == "x" and len(code) > 1:
                out += bytes([int(code[1:], 16) & 0xFF])
            elif code[0] in "01234567":
                out += bytes([int(code, 8) & 0xFF])
            else:
                out += self._simple(code, number).encode(self.charset)
            position = match.end()
        out += raw[position:].encode(self.charset)
        if 0 in out:
            raise self.fail(number, "an escaped NUL character (msgfmt cuts the string there)")
        try:
            return out.decode(self.charset)
        except UnicodeDecodeError:
            raise self.fail(number, f"escaped bytes are not valid {self.charset}") from None

    def _simple(self, code: str, number: int) -> str:
        if code not in _ESCAPES:
            raise self.fail(number, f"invalid escape \\{code} (msgfmt accepts \\n \\t \\\" \\\\ \\a \\b \\f \\r \\v, "
                                    "octal and hex)")
        return _ESCAPES[code]

    def string(self, rest: str, number: int) -> str:
        """The text of the quoted string(s) on a line (msgfmt joins ``"a" "b"`` as C does)."""
        rest = rest.strip(_BLANK)
        if not _STRINGS.fullmatch(rest):
            raise self.fail(number, f"not a quoted PO string: {rest[:60]!r}")
        return "".join(self.decode(match.group(1), number) for match in _STRING.finditer(rest))

    def read(self) -> list[_Draft]:
        drafts: list[_Draft] = []
        current = _Draft(start=1)

        def finish() -> None:
            nonlocal current
            if current.started:
                if "msgid" not in current.fields:
                    raise self.fail(current.start, "entry has no msgid")
                if not current.has_msgstr:
                    raise self.fail(current.start, "entry has no msgstr")
                if bool(current.plural) != ("msgid_plural" in current.fields):
                    raise self.fail(current.start, "msgid_plural and msgstr[n] must come together")
                drafts.append(current)
            current = _Draft(start=0)

        for number, line in enumerate(self.lines, start=1):
            text = line.strip(_BLANK)
            if not text:
                continue
            obsolete = text.startswith("#~")
            if obsolete:
                text = text[2:].lstrip(_BLANK)
                if not text:
                    continue
                if text.startswith("|"):
                    text = "#" + text
            if text.startswith("#|"):
                kind = "previous"
            elif text.startswith("#"):
                kind = "comment"
            elif text.startswith('"'):
                kind = "continuation"
            else:
                kind = "keyword"
            opens = kind in ("comment", "previous") or text.startswith(("msgctxt", "msgid ", "msgid\t", 'msgid"'))
            if opens and current.has_msgstr:
                finish()
            if kind in ("comment", "previous") and current.fields:
                raise self.fail(number, "a comment inside an entry (before its msgstr)")
            if not current.started:
                current.start = number
            if kind != "comment":
                # "#|" lines belong to a live entry, "#~|" and "#~ msgid" to an obsolete one.
                if current.obsolete is None:
                    current.obsolete = obsolete
                elif current.obsolete != obsolete:
                    raise self.fail(number, "an entry mixes obsolete (#~) and live lines (previous "
                                            "lines included)")
            current.end = number
            self._line(current, kind, text, number)
        finish()
        return drafts

    def _line(self, current: _Draft, kind: str, text: str, number: int) -> None:
        if kind == "previous":
            rest = text[2:].lstrip(" \t")
            if rest.startswith('"'):
                if current.last_previous is None:
                    raise self.fail(number, "a string that continues no field")
                current.last_previous.append(self.string(rest, number))
                return
            match = _KEYWORD.fullmatch(rest)
            if not match or match.group(1) not in ("msgctxt", "msgid", "msgid_plural"):
                raise self.fail(number, f"not PO syntax: {text[:60]!r}")
            if match.group(1) in current.previous:
                raise self.fail(number, f"previous {match.group(1)} twice in one entry")
            current.last_previous = current.previous.setdefault(match.group(1), [])
            current.last_previous.append(self.string(match.group(3), number))
        elif kind == "comment":
            _comment(current, text)
        elif kind == "continuation":
            if current.last is None:
                raise self.fail(number, "a string that continues no field")
            current.last.append(self.string(text, number))
        else:
            match = _KEYWORD.fullmatch(text)
            if not match:
                raise self.fail(number, f"not PO syntax: {text[:60]!r}")
            keyword, index, rest = match.groups()
            if index is not None:
                if int(index) != len(current.plural):
                    raise self.fail(number, f"msgstr[{index}] out of order (expected msgstr[{len(current.plural)}])")
                target = current.plural.setdefault(int(index), [])
            else:
                if keyword in current.fields:
                    raise self.fail(number, f"{keyword} twice in one entry")
                if keyword != "msgstr" and current.has_msgstr:
                    raise self.fail(number, f"{keyword} after msgstr")
                if keyword == "msgctxt" and "msgid" in current.fields:
                    raise self.fail(number, "msgctxt after msgid")
                target = current.fields.setdefault(keyword, [])
            target.append(self.string(rest, number))
            current.last = target


def _comment(current: _Draft, text: str) -> None:
    """A ``#`` line (stripped of blanks) into ``current``: flags, references, automatic or translator comment."""
    if text.startswith("#,"):
        current.flags += [flag.strip() for flag in text[2:].split(",") if flag.strip()]
    elif text.startswith("#:"):
        for token in text[2:].split():
            path, colon, line = token.rpartition(":")
            current.occurrences.append((path, line) if colon and line.isdigit() else (token, ""))
    elif text.startswith("#."):
        current.comment.append(text[3:] if text[2:3] == " " else text[2:])
    else:
        current.tcomment.append(text[2:] if text[1:2] == " " else text[1:])


def _refused(path: Path | None, problem: str) -> CatalogError:
    return CatalogError(path, f"not a readable PO file: {problem}")


# --- The fast path: whole entries of the usual shape in one regex match each ---------------------

_ONE = r'"[^"\\\n]*(?:\\.[^"\\\n]*)*"'
"""One quoted string filling the rest of a line (the same unrolled form as ``_STRING``)."""
_FAST_ENTRY = re.compile(
    r"(?P<comments>(?:#(?![|~])[^\n]*\n)*)"
    r"(?:(?P<previous>(?:#\|[^\n]*\n)*)"
    rf"(?:msgctxt (?P<msgctxt>{_ONE}\n(?:{_ONE}\n)*))?"
    rf"msgid (?P<msgid>{_ONE}\n(?:{_ONE}\n)*)"
    rf"msgstr (?P<msgstr>{_ONE}\n(?:{_ONE}\n)*)"
    r"|(?P<dead_previous>(?:#~\|[^\n]*\n)*)"
    rf"(?:#~ msgctxt (?P<dead_msgctxt>{_ONE}\n(?:#~ {_ONE}\n)*))?"
    rf"#~ msgid (?P<dead_msgid>{_ONE}\n(?:#~ {_ONE}\n)*)"
    rf"#~ msgstr (?P<dead_msgstr>{_ONE}\n(?:#~ {_ONE}\n)*))"
    r"(?P<blank>\n*)")
"""An entry as polib, msgcat, Poedit and thinktank write one: comments, ``#|`` previous fields, then
msgctxt, msgid and msgstr (live, or all ``#~`` for an obsolete entry), each keyword and each
continuation at the start of its own line with one string, then empty lines."""


def _fast_drafts(reader: _Reader, text: str) -> list[_Draft] | None:
    """The drafts :meth:`_Reader.read` makes of ``text``, when every entry has the usual shape; None otherwise.

    ``_Reader`` walks the file line by line in Python (four fifths of a catalog's read); this takes
    one regex match per entry. It only ever declines: any line the pattern does not expect (blanks
    around tokens, CR LF, plurals, two strings on a line, a blank line inside an entry) and any
    string or previous field the strict reader would refuse make it return None, and the strict
    reader reads the file and reports what is wrong with its line number. ``tests/test_po_fast.py``
    checks both agree on every seed catalog and thousands of mutations of them.
    """
    source = text if text.endswith("\n") else text + "\n"
    position = len(source) - len(source.lstrip("\n"))
    number = 1 + position
    drafts: list[_Draft] = []
    match_at = _FAST_ENTRY.match
    try:
        while position < len(source):
            found = match_at(source, position)
            if found is None or found.end() == position:
                return None
            draft = _Draft(start=number)
            dead = found.start("dead_msgid") >= 0
            comments, previous = found.group("comments", "dead_previous" if dead else "previous")
            if comments:
                for line in comments.split("\n")[:-1]:
                    _comment(draft, line.strip(_BLANK))
            if previous:
                for line in previous.split("\n")[:-1]:
                    line = line.strip(_BLANK)
                    reader._line(draft, "previous", "#" + line[2:].lstrip(_BLANK) if dead else line, 0)
            names = ("dead_msgctxt", "dead_msgid", "dead_msgstr") if dead else ("msgctxt", "msgid", "msgstr")
            for key, value in zip(("msgctxt", "msgid", "msgstr"), found.group(*names), strict=True):
                if value is not None:  # one line ('"text"\n') is most fields
                    raws = [value[1:-2]] if value.count("\n") == 1 else _STRING.findall(value)
                    draft.fields[key] = [reader.decode(raw, 0) for raw in raws]
            draft.obsolete = dead
            lines = found.group().count("\n")
            draft.end = number + lines - len(found.group("blank")) - 1
            drafts.append(draft)
            number += lines
            position = found.end()
    except CatalogError:
        return None
    return drafts


# --- From drafts to entries, with the checks msgfmt makes on the whole file --------------------

@dataclass(frozen=True, slots=True)
class Message:
    """One entry, as plain values: what a reader of translations needs, without polib's objects.

    The site build reads 2,000 catalogs at 1,000 articles and keeps them until their pages are
    rendered; this is a tenth of a ``polib.POEntry``'s cost to make and hold (see :func:`messages`).
    """

    msgctxt: str | None
    msgid: str
    msgstr: str
    """Empty for an entry with plural forms (as polib's ``msgstr``)."""
    flags: tuple[str, ...]
    comment: str
    """The automatic (``#.``) comment lines, joined by line breaks (provenance)."""
    obsolete: bool
    plural: bool


def _joined(draft: _Draft) -> tuple[Message, dict[int, str]]:
    fields = draft.fields
    msgctxt = "".join(fields["msgctxt"]) if "msgctxt" in fields else None
    msgstr = "".join(fields["msgstr"]) if "msgstr" in fields else ""
    plural = {key: "".join(parts) for key, parts in sorted(draft.plural.items())}
    return Message(msgctxt, "".join(fields["msgid"]), msgstr, tuple(draft.flags), "\n".join(draft.comment),
                   bool(draft.obsolete), "msgid_plural" in fields), plural


def _entry(draft: _Draft, message: Message, plural: dict[int, str]) -> polib.POEntry:
    previous = {key: "".join(parts) for key, parts in draft.previous.items()}
    return polib.POEntry(
        msgctxt=message.msgctxt, msgid=message.msgid, msgid_plural="".join(draft.fields.get("msgid_plural", ())),
        msgstr=message.msgstr, msgstr_plural=plural, comment=message.comment, tcomment="\n".join(draft.tcomment),
        flags=draft.flags, occurrences=draft.occurrences, obsolete=message.obsolete, linenum=draft.start,
        previous_msgctxt=previous.get("msgctxt"), previous_msgid=previous.get("msgid"),
        previous_msgid_plural=previous.get("msgid_plural"))


def _text(data: bytes, path: Path | None) -> tuple[str, str]:
    """The file's text in its declared charset (BOM removed), and the charset; refused as msgfmt would."""
    charset = _declared_charset(data)
    if charset is None:
        raise _refused(path, "the header declares no charset (Content-Type: text/plain; charset=UTF-8)")
    try:
        text = data.decode(charset)
    except LookupError:
        raise _refused(path, f"unknown charset {charset!r} in the header") from None
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise _refused(path, f"line {line}: not valid {charset}") from None
    if "\x00" in text:
        line = text[:text.index("\x00")].count("\n") + 1
        raise _refused(path, f"line {line}: a NUL character (msgfmt cuts the string there)")
    return text.removeprefix("\ufeff"), charset


def _drafts(text: str, path: Path | None, charset: str) -> tuple[_Reader, list[_Draft]]:
    reader = _Reader(text, path, charset)
    drafts = _fast_drafts(reader, text)
    return reader, drafts if drafts is not None else reader.read()


def _checked(drafts: list[_Draft], path: Path | None) -> Iterator[tuple[_Draft, Message, dict[int, str], bool]]:
    """Each draft as a message (and its plural forms), and whether it is the header; then the file-wide
    checks. Duplicates, line-break mismatches, a missing header or charset are refused as msgfmt does."""
    seen: dict[tuple[str | None, str], int] = {}
    header: Message | None = None
    for draft in drafts:
        message, plural = _joined(draft)
        key = (message.msgctxt, message.msgid)
        if key in seen:  # msgfmt refuses obsolete duplicates too
            what = "a second header entry" if key == (None, "") else f"a duplicate of the entry at line {seen[key]}"
            raise _refused(path, f"line {draft.start}: {what} (msgid {message.msgid[:40]!r}); msgfmt refuses "
                                 "the file: merge the two by hand")
        seen[key] = draft.start
        if not message.obsolete and message.msgid and _newline_mismatch(message, plural):
            raise _refused(path, f"line {draft.start}: msgid and msgstr must both begin and end with a line "
                                 "break (\\n), or neither; msgfmt refuses the file")
        is_header = key == (None, "") and not message.obsolete and header is None
        if is_header:
            header = message
        yield draft, message, plural, is_header
    if header is None:
        raise _refused(path, "no header entry (msgid \"\"); msgfmt --check-header refuses the file")
    if "charset=" not in _metadata(header.msgstr).get("Content-Type", ""):
        raise _refused(path, "the header declares no charset (Content-Type: text/plain; charset=UTF-8)")


def _metadata(msgstr: str) -> dict[str, str]:
    """The header's fields, as polib reads them (``Name: value`` lines)."""
    metadata: dict[str, str] = {}
    for line in msgstr.splitlines():
        name, colon, value = line.partition(":")
        if colon:
            metadata[name.strip()] = value.strip()
    return metadata


def messages(data: bytes, path: Path | None = None) -> list[Message]:
    """The entries of the catalog in ``data`` (header left out) as plain :class:`Message` values.

    Exactly what :func:`parse` accepts and refuses, with the same messages; it only skips what
    writing the file back needs (polib's objects, each entry's lines, the layout), which is most of a
    read's cost and memory: the site build, which never writes, reads its catalogs this way.
    """
    text, charset = _text(data, path)
    _, drafts = _drafts(text, path, charset)
    return [message for _, message, _, is_header in _checked(drafts, path) if not is_header]


def read_messages(path: Path) -> list[Message]:
    """:func:`messages` of the file at ``path``."""
    return messages(file_bytes(path), path)


def parse(data: bytes, path: Path | None = None) -> Catalog:
    """The catalog in ``data``; ``CatalogError`` naming the line for anything msgfmt would refuse."""
    text, charset = _text(data, path)
    reader, drafts = _drafts(text, path, charset)
    po = Catalog()
    origin = Origin(data=data, crlf="\r\n" in text, charset=charset)
    lines = [line.removesuffix("\r") for line in reader.lines]
    for draft, message, plural, is_header in _checked(drafts, path):
        block = "\n".join(lines[draft.start - 1:draft.end])
        if is_header:
            po.header = "\n".join(draft.tcomment)
            po.metadata_is_fuzzy = "fuzzy" in message.flags
            po.metadata.update(_metadata(message.msgstr))
            origin.header = (_header_state(po), block)
            continue
        entry = _entry(draft, message, plural)
        po.append(entry)
        origin.entries[id(entry)] = (entry, _state(entry), block)
        if not origin.wrapped and _is_wrapped(block):
            origin.wrapped = True
    po.origin = origin
    return po


def _newline_mismatch(message: Message, plural: dict[int, str]) -> bool:
    translations = [text for text in (message.msgstr, *plural.values()) if text]
    return any(text.startswith("\n") != message.msgid.startswith("\n")
               or text.endswith("\n") != message.msgid.endswith("\n") for text in translations)


def _declared_charset(data: bytes) -> str | None:
    """The charset the header entry's ``Content-Type`` names (not any ``charset=`` elsewhere).

    xgettext's template placeholder ``CHARSET`` counts as UTF-8, as msgfmt lets it pass.
    """
    lines = data.decode("latin-1").split("\n")  # every byte maps; keywords are ASCII
    for index, line in enumerate(lines):
        if line.strip(_BLANK).lstrip("\ufeff\xef\xbb\xbf") != 'msgid ""':
            continue
        if index and lines[index - 1].strip(_BLANK).startswith("msgctxt"):
            continue
        strings = []
        for follow in lines[index + 1:]:
            text = follow.strip(_BLANK)
            if not (text.startswith('"') or text.startswith("msgstr")):
                break
            strings.append(text.removeprefix("msgstr").strip(_BLANK).strip('"'))
        found = _CHARSET.search("".join(strings))
        if found is None:
            return None
        return "utf-8" if found.group(1).upper() == "CHARSET" else found.group(1)
    return None


def _is_wrapped(block: str) -> bool:
    """Does ``block`` break a string across lines other than after a ``\\n``?"""
    previous = ""
    for line in block.split("\n"):
        stripped = line.lstrip("#~| ")
        if stripped.startswith('"') and previous.endswith('"') and not previous.endswith('\\n"') \
                and not re.search(r'(?:^|\s)""$', previous):
            return True
        previous = stripped
    return False


def file_bytes(path: Path) -> bytes:
    """The bytes of the catalog at ``path``; ``CatalogError`` when it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise CatalogError(path, f"cannot be read: {exc.strerror}") from exc


def read(path: Path) -> Catalog:
    return parse(file_bytes(path), path)


# --- Writing ---------------------------------------------------------------------------------

def changed(po: polib.POFile) -> bool:
    """Does ``po`` differ from the file it was read from (beyond ``PO-Revision-Date``)?"""
    origin = getattr(po, "origin", None)
    if origin is None or origin.header is None or origin.header[0] != _header_state(po):
        return True
    if {id(entry) for entry in po} != origin.entries.keys():  # a new order alone is not worth a write
        return True
    for entry in po:
        known = origin.entries.get(id(entry))
        if known is None or known[1] != _state(entry):
            return True
    return False


def render(po: polib.POFile) -> str:
    """The file text: each entry as it was on disk when unchanged, else as polib writes it.

    An entry whose only change is its ``#:`` references (a paragraph inserted
    above it shifts them all) keeps its own lines but for those; comments are
    never wrapped, so they read back as the lines they were written as.
    """
    origin: Origin | None = getattr(po, "origin", None)
    if origin is not None and not origin.reusable:
        origin = None
    if "charset=utf-8" not in po.metadata.get("Content-Type", "").lower().replace("utf8", "utf-8"):
        po.metadata["Content-Type"] = "text/plain; charset=UTF-8"  # what we write, the header says
    width = WRAP if origin is not None and origin.wrapped else 0
    parts = [_render_header(po, origin, width)]
    live = [entry for entry in po if not entry.obsolete]
    dead = [entry for entry in po if entry.obsolete]
    for entry in live + dead:
        known = origin.entries.get(id(entry)) if origin is not None else None
        parts.append(_render_entry(entry, known, width))
    text = "\n\n".join(part.rstrip("\n") for part in parts) + "\n"
    text = text.replace("\x00", "\ufffd")  # as CommonMark does: msgfmt would cut the string at a NUL
    return text.replace("\n", "\r\n") if origin is not None and origin.crlf else text


def _render_entry(entry: polib.POEntry, known: tuple[polib.POEntry, tuple[object, ...], str] | None,
                  width: int) -> str:
    state = _state(entry)
    if known is not None:
        if known[1] == state:
            return known[2]
        mask = slice(None, _OCCURRENCES), slice(_OCCURRENCES + 1, None)
        if all(known[1][part] == state[part] for part in mask) and not entry.obsolete:
            kept = [line for line in known[2].split("\n") if not line.startswith("#:")]
            refs = [f"#: {_references(entry)}"] if entry.occurrences else []
            at = next((i for i, line in enumerate(kept) if not line.startswith(("# ", "#.")) and line != "#"),
                      len(kept))
            return "\n".join(kept[:at] + refs + kept[at:])
    comments = [f"# {line}" if line else "#" for line in entry.tcomment.split("\n")] if entry.tcomment else []
    comments += [f"#. {line}" for line in entry.comment.split("\n")] if entry.comment else []
    bare = polib.POEntry(msgid=entry.msgid, msgstr=entry.msgstr, msgid_plural=entry.msgid_plural,
                         msgstr_plural=entry.msgstr_plural, msgctxt=entry.msgctxt, flags=entry.flags,
                         occurrences=[] if entry.obsolete else entry.occurrences, obsolete=entry.obsolete,
                         previous_msgctxt=entry.previous_msgctxt, previous_msgid=entry.previous_msgid,
                         previous_msgid_plural=entry.previous_msgid_plural)
    if entry.occurrences and not entry.obsolete:
        bare.occurrences = []
        comments.append(f"#: {_references(entry)}")
    return "\n".join([*comments, bare.__unicode__(width)])


def _render_header(po: polib.POFile, origin: Origin | None, width: int) -> str:
    if origin is not None and origin.header is not None and origin.header[0] == _header_state(po):
        block = origin.header[1]
        revision = po.metadata.get("PO-Revision-Date")
        if revision is not None and _REVISION.search(block):
            return _REVISION.sub(lambda m: f"{m.group(1)}{revision}{m.group(2)}", block, count=1)
    comments = "".join("#\n" if not line else f"# {line}\n" for line in po.header.split("\n")) if po.header else ""
    return comments + po.metadata_as_entry().__unicode__(width)
