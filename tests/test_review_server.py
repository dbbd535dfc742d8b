"""The review editor's guarantees over HTTP and through its editing functions (no browser).

One server process for the module (``review_server_support.running_server``);
each test works on its own page or language so that they do not depend on
each other's saves.
"""

from __future__ import annotations

import difflib
import html
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from thinktank import catalog
from thinktank import po as po_file
from thinktank.lock import hold
from thinktank.provenance import Origin
from thinktank.review_server import ServeError, settings_for
from thinktank.review_server.editing import ABSENT, Action, EditConflict, EditError, apply, entry_version

from .conftest import build_site
from .review_server_support import (HOSTILE_PAGE, NEW_PARAGRAPH, REVIEWER, STALE_PAGE, Server, entry, make_site,
                                    request, running_server)

AUTHOR_PAGE = "authors/oskar-pietrewicz.md"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    site = make_site(tmp_path_factory.mktemp("review-server") / "site")
    with running_server(site) as running:
        yield running


def _form(server: Server, lang: str, uri: str) -> tuple[str, dict[str, tuple[str, str]]]:
    """The editor's CSRF token and, by msgid, each row's (version, msgstr) as the page shows them."""
    reply = request(f"{server.url}/edit/{lang}/{uri}")
    assert reply.status == 200, reply.body
    csrf = html.unescape(re.search(r'name="csrf" value="([^"]*)"', reply.body).group(1))
    rows = {}
    for form in re.findall(r'<form class="entry".*?</form>', reply.body, re.S):
        msgid = html.unescape(re.search(r'name="msgid" value="([^"]*)"', form).group(1))
        version = re.search(r'name="version" value="([^"]*)"', form).group(1)
        msgstr = html.unescape(re.search(r"<textarea[^>]*>(.*?)</textarea>", form, re.S).group(1))
        rows[msgid] = (version, msgstr)
    return csrf, rows


def _save(server: Server, csrf: str, lang: str, uri: str, msgid: str, msgstr: str, version: str,
          action: str = "approve", headers: dict[str, str] | None = None) -> tuple[int, dict]:
    import json

    reply = request(f"{server.url}/api/save", {"csrf": csrf, "lang": lang, "uri": uri, "msgid": msgid,
                                               "msgstr": msgstr, "version": version, "action": action}, headers)
    return reply.status, json.loads(reply.body)


def _msgfmt_ok(path: Path) -> None:
    result = subprocess.run(["msgfmt", "--check-format", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_dashboard_counts_are_thinktank_status_numbers(server: Server, run_cli) -> None:
    result = run_cli("status", "--lang", "tr,ru", "--docs-dir", server.docs, "--translations-dir",
                     server.translations)
    assert result.code == 0, result.err
    expected = {}
    lang = ""
    for line in result.out.splitlines():
        if re.match(r"^(tr|ru)\s+page", line):
            lang = line.split()[0]
        elif (found := re.match(r"^\s+(\S+\.md)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)", line)):
            expected[(lang, found.group(1))] = tuple(int(n) for n in found.groups()[1:])
    page = request(f"{server.url}/").body
    shown = {}
    for lang, uri, cells in re.findall(r'<tr data-lang="(\w+)" data-uri="([^"]+)">(.*?)</tr>', page, re.S):
        numbers = [int(n) for n in re.findall(r'<td class="n \w+">(\d+)</td>', cells)]
        shown[(lang, html.unescape(uri))] = tuple(numbers)
    assert shown == expected and len(shown) == 18
    assert expected[("tr", STALE_PAGE)][2] == 1 and expected[("tr", HOSTILE_PAGE)][3] == 1  # a stale, an untranslated
    only = request(f"{server.url}/?lang=tr&state=stale").body
    assert re.findall(r'<tr data-lang="(\w+)" data-uri="([^"]+)">', only) == [("tr", STALE_PAGE)]


def test_approve_clears_fuzzy_writes_last_translator_and_only_that_entry(server: Server) -> None:
    path = server.po("ru", STALE_PAGE)
    before = path.read_bytes()
    csrf, rows = _form(server, "ru", STALE_PAGE)
    msgid = next(m for m in rows if m.startswith("Foreign Minister"))
    version, draft = rows[msgid]
    status, body = _save(server, csrf, "ru", STALE_PAGE, msgid, draft, version)
    assert status == 200 and body["state"] == "reviewed" and body["written"], body
    approved = entry(path, msgid)
    assert "fuzzy" not in approved.flags and approved.msgstr == draft
    assert "Last-Translator: " + REVIEWER in path.read_text(encoding="utf-8")
    _msgfmt_ok(path)
    changed = [line for line in difflib.unified_diff(before.decode().splitlines(), path.read_text().splitlines(),
                                                       lineterm="", n=0) if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert sorted(changed) == sorted([
        "-#, fuzzy", f'+"Last-Translator: {REVIEWER}\\n"',
        *[line for line in changed if "PO-Revision-Date" in line or "Last-Translator: thinktank" in line
          or "Last-Translator: project" in line]]), changed
    # Approving again what is already approved leaves the file's bytes alone.
    again = path.read_bytes()
    status, body = _save(server, csrf, "ru", STALE_PAGE, msgid, draft, body["version"])
    assert status == 200 and not body["written"] and path.read_bytes() == again


def test_a_save_based_on_an_old_version_is_refused_and_keeps_both_texts(server: Server) -> None:
    path = server.po("ru", "index.md")
    csrf, rows = _form(server, "ru", "index.md")
    msgid, (version, _) = next(iter(rows.items()))
    status, first = _save(server, csrf, "ru", "index.md", msgid, "первый вариант", version)
    assert status == 200, first
    saved = path.read_bytes()
    status, second = _save(server, csrf, "ru", "index.md", msgid, "второй вариант", version)  # the other tab
    assert status == 409 and second["conflict"] and second["theirs"] == "первый вариант"
    assert "someone else saved this entry" in second["error"]
    assert path.read_bytes() == saved
    # Saving again with the version the refusal named replaces theirs on purpose.
    status, third = _save(server, csrf, "ru", "index.md", msgid, "второй вариант", second["version"])
    assert status == 200 and entry(path, msgid).msgstr == "второй вариант"


def test_needs_work_keeps_it_fuzzy_and_a_persons_text_is_no_longer_a_machine_draft(server: Server) -> None:
    path = server.po("tr", HOSTILE_PAGE)
    csrf, rows = _form(server, "tr", HOSTILE_PAGE)
    msgid = next(m for m in rows if m.startswith("A note for editors"))
    assert catalog.notes(entry(path, msgid)).machine_made  # the pseudo engine's draft
    version, draft = rows[msgid]
    status, body = _save(server, csrf, "tr", HOSTILE_PAGE, msgid, draft + " (düzeltilecek)", version, "needs-work")
    assert status == 200 and body["state"] == "needs-work", body
    marked = entry(path, msgid)
    assert "fuzzy" in marked.flags and f"needs work ({REVIEWER})" in marked.tcomment
    assert not catalog.notes(marked).machine_made
    assert catalog.notes(marked).provenance[0].origin is Origin.MANUAL
    assert catalog.entry_state(marked) is catalog.EntryState.DRAFT  # status counts it as a draft
    _msgfmt_ok(path)


def test_an_untranslated_segment_gets_its_entry_in_page_order(server: Server) -> None:
    path = server.po("tr", HOSTILE_PAGE)
    csrf, rows = _form(server, "tr", HOSTILE_PAGE)
    assert rows[NEW_PARAGRAPH] == (ABSENT, "")
    status, body = _save(server, csrf, "tr", HOSTILE_PAGE, NEW_PARAGRAPH, "Bu paragraf sonradan eklendi.\r\n", ABSENT)
    assert status == 200 and body["state"] == "reviewed", body
    msgids = [item.msgid for item in po_file.read(path) if not item.obsolete]
    assert msgids.index(NEW_PARAGRAPH) == msgids.index(next(m for m in msgids if m.startswith("A note for editors"))) + 1
    assert entry(path, NEW_PARAGRAPH).msgstr == "Bu paragraf sonradan eklendi."  # the textarea's line end dropped
    _msgfmt_ok(path)


def test_forms_without_the_csrf_token_or_from_another_origin_are_refused(server: Server) -> None:
    path = server.po("ru", "topics.md")
    before = path.read_bytes()
    csrf, rows = _form(server, "ru", "topics.md")
    msgid, (version, draft) = next(iter(rows.items()))
    assert _save(server, "forged", "ru", "topics.md", msgid, "x", version)[0] == 403
    assert _save(server, csrf, "ru", "topics.md", msgid, "x", version, headers={"Origin": "http://evil.example"})[0] == 403
    assert request(f"{server.url}/", headers={"Host": "evil.example:80"}).status == 400  # DNS rebinding
    assert path.read_bytes() == before
    reply = request(f"{server.url}/")
    assert "script-src 'self'" in reply.headers["content-security-policy"]


def test_page_paths_stay_inside_docs_and_translations(server: Server) -> None:
    csrf, _ = _form(server, "ru", "topics.md")
    for lang, uri in (("ru", "../mkdocs.yml"), ("ru", "../../etc/passwd.md"), ("..", "topics.md"),
                      ("ru", "/etc/passwd"), ("ru", ".thinktank-import/x.md"), ("ru", "index.tr.md")):
        status, body = _save(server, csrf, lang, uri, "x", "y", ABSENT)
        assert status == 400 and "not a" in body["error"], (lang, uri, body)
    import http.client

    connection = http.client.HTTPConnection(server.url.removeprefix("http://"), timeout=10)
    connection.request("GET", "/edit/ru/../../../etc/passwd")  # sent as is, not normalised by a client
    try:
        assert connection.getresponse().status == 404
    finally:
        connection.close()
    assert not (server.translations / "ru" / ".." / "mkdocs.po").exists()
    assert not list(server.site.rglob("passwd*"))


def test_a_save_waits_for_translate_and_is_refused_while_it_holds_the_lock(server: Server) -> None:
    path = server.po("ru", "about.md")
    before = path.read_bytes()
    csrf, rows = _form(server, "ru", "about.md")
    msgid, (version, draft) = next(iter(rows.items()))
    with hold(server.translations, "thinktank translate"):
        status, body = _save(server, csrf, "ru", "about.md", msgid, draft, version)
    assert status == 423 and "thinktank translate" in body["error"] and "still in the form" in body["error"]
    assert path.read_bytes() == before
    assert _save(server, csrf, "ru", "about.md", msgid, draft, version)[0] == 200  # once translate is done


def test_non_loopback_hosts_need_a_token(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    with pytest.raises(ServeError, match="not a loopback address"):
        settings_for(tmp_path / "docs", tmp_path / "translations", ["tr"], host="0.0.0.0")
    with pytest.raises(ServeError, match="shorter than 12"):
        settings_for(tmp_path / "docs", tmp_path / "translations", ["tr"], host="0.0.0.0", token="short")
    assert settings_for(tmp_path / "docs", tmp_path / "translations", ["tr"], host="0.0.0.0",
                        token="a-long-enough-token").token == "a-long-enough-token"
    for host in ("127.0.0.1", "localhost", "::1", "127.3.4.5"):
        assert settings_for(tmp_path / "docs", tmp_path / "translations", ["tr"], host=host).token is None


def test_with_a_token_a_request_without_it_is_refused(server: Server, tmp_path: Path) -> None:
    token = "s3cret-token-for-tests"
    with running_server(server.site, token=token) as guarded:
        assert request(f"{guarded.url}/").status == 403
        assert request(f"{guarded.url}/edit/ru/index.md").status == 403
        assert request(f"{guarded.url}/api/save", {"csrf": "x"}).status == 403
        assert request(f"{guarded.url}/?token=wrong").status == 403
        entered = request(f"{guarded.url}/?token={token}")
        assert entered.status == 303 and "HttpOnly" in entered.headers["set-cookie"]
        cookie = entered.headers["set-cookie"].split(";")[0]
        assert request(f"{guarded.url}/", headers={"Cookie": cookie}).status == 200


def test_approving_every_entry_of_a_page_removes_its_draft_banner(tmp_path: Path, built_site: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THINKTANK_ALLOW_PREVIEW", "1")  # the support site's stale entry is a pseudo draft
    site = make_site(tmp_path / "site")
    page = "authors/oskar-pietrewicz/index.html"
    assert "tt-draft" in (built_site / "tr" / page).read_text(encoding="utf-8")  # the committed draft
    with running_server(site) as running:
        csrf, rows = _form(running, "tr", AUTHOR_PAGE)
        for msgid, (version, draft) in rows.items():
            assert _save(running, csrf, "tr", AUTHOR_PAGE, msgid, draft, version)[0] == 200
    built = build_site(site)
    assert "tt-draft" not in (built / "tr" / page).read_text(encoding="utf-8")
    assert "tt-draft" in (built / "ru" / page).read_text(encoding="utf-8")  # ru was not reviewed


def test_edit_logic_refuses_what_it_cannot_apply(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    docs, translations = site / "docs", site / "translations"
    path = catalog.catalog_path(translations, "tr", AUTHOR_PAGE)
    current = next(item for item in po_file.read(path) if item.msgid)
    version = entry_version(current)
    before = path.read_bytes()
    with pytest.raises(EditError, match="empty translation cannot be approved"):
        apply(docs, translations, ["tr"], "tr", AUTHOR_PAGE, current.msgid, "  \n", Action.APPROVE, version, "R")
    with pytest.raises(EditError, match="no longer on the page"):
        apply(docs, translations, ["tr"], "tr", AUTHOR_PAGE, "gone", "x", Action.APPROVE, version, "R")
    with pytest.raises(EditError, match="NUL"):
        apply(docs, translations, ["tr"], "tr", AUTHOR_PAGE, current.msgid, "a\x00b", Action.APPROVE, version, "R")
    with pytest.raises(EditConflict):
        apply(docs, translations, ["tr"], "tr", AUTHOR_PAGE, current.msgid, "x", Action.APPROVE, "old", "R")
    assert path.read_bytes() == before
