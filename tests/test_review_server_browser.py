"""The review editor as a reviewer uses it: Playwright in Debian's Chromium against the server process.

One server for the module. Screenshots of the dashboard and the editor go to
``test-artifacts/`` (committed). Every request the browser makes must go to
the editor itself: no asset from another host.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from thinktank import po as po_file

from .review_server_support import HOSTILE_MSGSTR, HOSTILE_PAGE, HOSTILE_SOURCE, STALE_PAGE, Server, entry, make_site, \
    running_server
from .test_browser import ARTIFACTS

ARTICLE = "analyses/background-of-russia-north-korea-cooperation.md"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    site = make_site(tmp_path_factory.mktemp("review-browser") / "site")
    with running_server(site) as running:
        yield running


@pytest.fixture
def context(browser, server: Server):
    """A browser context that records every request and every script error."""
    opened = browser.new_context(viewport={"width": 1400, "height": 900})
    opened.requests = []
    opened.errors = []
    opened.on("request", lambda req: opened.requests.append(req.url))
    yield opened
    foreign = [url for url in opened.requests if urlsplit(url).hostname != "127.0.0.1"]
    assert not foreign, f"requests to other hosts: {foreign}"
    assert not opened.errors, opened.errors
    opened.close()


def _page(context, url: str):
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.on("pageerror", lambda error: context.errors.append(str(error)))
    page.goto(url)
    return page


def _row(page, msgid_start: str):
    return page.locator("tr.segment").filter(has=page.locator(f'input[name="msgid"][value^="{msgid_start}"]'))


def test_dashboard_shows_every_page_and_filters(context, server: Server) -> None:
    page = _page(context, f"{server.url}/")
    assert page.locator("#pages tbody tr").count() == 18
    stale = page.locator(f'#pages tr[data-lang="tr"][data-uri="{STALE_PAGE}"] td.stale')
    assert stale.inner_text() == "1"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "review-dashboard.png"), full_page=True)
    page.select_option('select[name="lang"]', "tr")
    page.select_option('select[name="state"]', "stale")
    page.click("form.filters button")
    page.wait_for_url("**state=stale**")
    assert page.locator("#pages tbody tr").count() == 1
    page.click(f'#pages a[href="/edit/tr/{STALE_PAGE}"]')
    page.wait_for_url(f"**/edit/tr/{STALE_PAGE}")


def test_approve_one_draft_edit_and_approve_another_and_both_persist(context, server: Server) -> None:
    page = _page(context, f"{server.url}/edit/tr/{ARTICLE}")
    first, second = page.locator("tr.segment").nth(0), page.locator("tr.segment").nth(1)
    draft = first.locator("textarea").input_value()
    first.locator("button.approve").click()
    first.locator(".message.ok").wait_for()
    assert first.locator(".badge").inner_text() == "reviewed"
    edited = "Ukrayna'da savaş sürerken, Rusya Devlet Başkanı Vladimir Putin Kim Jong Un'u ziyaret etmek istedi.[^1]"
    second.locator("textarea").fill(edited)
    second.locator("textarea").press("Control+Enter")  # approve and next
    second.locator(".message.ok").wait_for()
    assert page.evaluate("document.activeElement.closest('tr').id") == "seg-3"
    assert page.locator('[data-count="reviewed"]').inner_text() == "2"
    page.locator("#preview").get_by_text("Putin Kim Jong Un'u ziyaret etmek istedi").wait_for()
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(ARTIFACTS / "review-editor.png"))
    page.reload()
    assert page.locator("tr.segment").nth(0).locator(".badge").inner_text() == "reviewed"
    assert page.locator("tr.segment").nth(1).locator("textarea").input_value() == edited
    path = server.po("tr", ARTICLE)
    rows = [item for item in po_file.read(path) if item.msgid and not item.obsolete]
    assert (rows[0].msgstr, "fuzzy" in rows[0].flags) == (draft, False)
    assert (rows[1].msgstr, "fuzzy" in rows[1].flags) == (edited, False)


def test_a_stale_entry_shows_old_and_new_source_with_the_change_marked(context, server: Server) -> None:
    page = _page(context, f"{server.url}/edit/tr/{STALE_PAGE}")
    assert page.locator("tr.segment.stale").count() == 1
    row = page.locator("#" + page.locator("tr.segment.stale").get_attribute("id"))
    assert row.locator(".diff .new ins").inner_text().strip() == "late"
    assert "in January 2020" in row.locator(".diff .old").inner_text()
    assert row.locator(".diff .old del").count() == 0  # a word was added, none removed
    assert "kept:" in row.locator(".provenance").inner_text()
    row.locator("button.approve").click()
    row.locator(".message.ok").wait_for()
    assert "stale" not in row.get_attribute("class") and row.locator(".badge").inner_text() == "reviewed"


def test_a_conflicting_save_from_a_second_tab_is_refused_and_nothing_is_lost(context, server: Server) -> None:
    url = f"{server.url}/edit/ru/{ARTICLE}"
    first, second = _page(context, url), _page(context, url)
    mine, theirs = "Перевод из первой вкладки.", "Перевод из второй вкладки."
    one = first.locator("tr.segment").nth(2)
    one.locator("textarea").fill(mine)
    one.locator("button.approve").click()
    one.locator(".message.ok").wait_for()
    other = second.locator("tr.segment").nth(2)
    other.locator("textarea").fill(theirs)
    other.locator("button.approve").click()
    other.locator(".message.error").wait_for()
    assert "someone else saved this entry" in other.locator(".message").inner_text()
    assert other.locator("textarea").input_value() == theirs  # the second reviewer's text is still there
    assert other.locator(".theirs .text").inner_text() == mine
    msgid = other.locator('input[name="msgid"]').input_value()
    assert entry(server.po("ru", ARTICLE), msgid).msgstr == mine  # the first save is kept
    other.locator("button.overwrite").click()  # on purpose: replace theirs
    other.locator(".message.ok").wait_for()
    assert entry(server.po("ru", ARTICLE), msgid).msgstr == theirs


def test_a_hostile_msgstr_and_source_are_shown_as_text_never_run(context, server: Server) -> None:
    page = _page(context, f"{server.url}/edit/tr/{HOSTILE_PAGE}")
    assert page.evaluate("window.__pwned") is None
    assert page.locator("tr.segment script, tr.segment img, #preview script").count() == 0
    assert page.locator("tr.segment").nth(0).locator("textarea").input_value() == HOSTILE_MSGSTR
    source = _row(page, "A note for editors").locator(".rendered")
    assert source.inner_text().strip() == HOSTILE_SOURCE
    page.locator("tr.segment").nth(0).locator("textarea").fill(HOSTILE_MSGSTR + " <script>window.__pwned = 4</script>")
    page.wait_for_timeout(700)  # the live preview's refresh
    assert page.evaluate("window.__pwned") is None and page.locator("#preview script").count() == 0


def test_with_a_token_the_browser_needs_it(context, server: Server) -> None:
    token = "browser-token-0123456789"
    with running_server(server.site, token=token) as guarded:
        page = context.new_page()
        response = page.goto(f"{guarded.url}/")
        assert response.status == 403 and "needs its token" in page.content()
        page.goto(f"{guarded.url}/?token={token}")
        assert page.url == f"{guarded.url}/" and page.locator("#pages").count() == 1  # token gone from the address
        other = context.browser.new_context()
        try:
            refused = other.request.post(f"{guarded.url}/api/save", form={"csrf": "x"})
            assert refused.status == 403
        finally:
            other.close()
