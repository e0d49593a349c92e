"""Search as a reader meets it: Material's search box and results, answered from Pagefind's index."""

from __future__ import annotations

import re

import pytest

from benchmarks.search_probe import first_search
from tests.browser.conftest import SCREENSHOTS, serving
from tests.browser.test_reader_experience import PHONE

pytestmark = pytest.mark.slow

RESULT_LINKS = ".md-search-result__item > a"
# Material's stub index is its config alone: a few hundred bytes, whatever the size of the site.
STUB_INDEX_LIMIT = 1_000
FIRST_SEARCH_LIMIT = 1_000_000


def wait_for_results(page, query: str) -> list[tuple[str, str]]:
    """(title, href) of the results of the whole ``query`` (not of a prefix typed so far), best first.

    Material puts the searched words in each result's link (``?h=``), which tells them apart.
    """
    page.wait_for_function(
        """([sel, words]) => {
             const a = document.querySelector(sel);
             return a !== null && new URL(a.href).searchParams.get('h') === words;
           }""", arg=[RESULT_LINKS, " ".join(query.lower().split())], timeout=15_000)
    return page.evaluate(
        """(sel) => [...document.querySelectorAll(sel)].map(a => [
             a.querySelector('h1, h2').innerText.trim(), a.getAttribute('href')])""", RESULT_LINKS)


def test_an_abbreviation_opens_its_term_with_the_query_marked(page, site_url: str) -> None:
    page.goto(site_url + "glossary/softmax/")
    page.keyboard.press("/")  # Material's shortcut to the search box
    page.keyboard.type("MoE", delay=30)
    results = wait_for_results(page, "MoE")
    assert results[0][0] == "Mixture of experts", results[:3]
    marks = page.locator(f"{RESULT_LINKS} mark").all_inner_texts()
    assert marks and {m.lower() for m in marks} == {"moe"}, marks
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "search-desktop.png"))
    page.keyboard.press("Enter")  # opens the best result
    page.wait_for_url(re.compile(r".*/glossary/mixture-of-experts/\?h=moe$"))
    # Material marks the words once its search setup answers, after the page's load event.
    marks = page.locator("article mark[data-md-highlight]")
    marks.first.wait_for(timeout=15_000)
    highlighted = marks.all_inner_texts()
    assert highlighted and {h.lower() for h in highlighted} == {"moe"}, highlighted


def test_escape_closes_and_results_are_walked_with_the_arrow_keys(page, site_url: str) -> None:
    page.goto(site_url)
    page.wait_for_load_state("networkidle")  # Material's keyboard handlers are attached
    watch_query_focus(page)
    page.keyboard.press("f")
    page.wait_for_function("() => document.getElementById('__search').checked && window.__queryFocus", timeout=5_000)
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.getElementById('__search').checked && !window.__queryFocus", timeout=5_000)
    page.keyboard.press("s")
    page.keyboard.type("entropy", delay=30)
    results = wait_for_results(page, "entropy")
    assert len(results) >= 3
    assert page.evaluate("document.getElementById('__search').checked")  # arrow keys walk results only then
    wait_until_settled(page)
    focused = [press_and_wait_for_focus(page, "ArrowDown")]
    # Material's order: each result's link, then its "more on this page" summary, if any
    for _ in range(3):
        focused.append(press_and_wait_for_focus(page, "ArrowDown"))
    assert focused[0] == results[0][1]
    assert results[1][1] in focused[1:3], focused
    assert press_and_wait_for_focus(page, "ArrowUp") == focused[-2]
    for _ in range(4):  # back up to the second result, at most as far as the walk went down
        if page.evaluate(ACTIVE) == results[1][1]:
            break
        press_and_wait_for_focus(page, "ArrowUp")
    assert page.evaluate(ACTIVE) == results[1][1]
    page.keyboard.press("Enter")  # follows the focused result
    page.wait_for_url(re.compile(".*" + re.escape(results[1][1].split("?")[0].split("/", 3)[-1]) + r"\?h=entropy$"))


ACTIVE = "() => document.activeElement.getAttribute('href') || document.activeElement.tagName"


def watch_query_focus(page) -> None:
    """Keeps ``window.__queryFocus`` equal to whether Material thinks its query box has the focus.

    Material opens search when its focus watcher, debounced by a timer, sees the box gain the focus. A
    key pressed after Escape but before that timer has seen the box lose it (a few milliseconds, more on
    a busy page) focuses the box without opening search, and the arrow keys then do nothing: the cause
    of this test's old failures, one run in three. A reader's keys are never that close together; the
    test waits for Material's own state, which it publishes through ``component$``.
    """
    page.evaluate(
        """() => component$.subscribe(c => {
             if (c.ref instanceof HTMLInputElement && c.ref.matches('.md-search__input')) window.__queryFocus = c.focus;
           })""")


def wait_until_settled(page) -> None:
    """Until the result list has stopped changing for half a second.

    Material renders results in batches and re-renders the list while a query's results arrive; a key
    pressed then may focus a link that is about to be replaced.
    """
    page.wait_for_function(
        """(sel) => {
             const now = [...document.querySelectorAll(sel)].map(a => a.getAttribute('href')).join('|');
             const last = window.__grimoireResults;
             if (!last || last.list !== now) { window.__grimoireResults = {list: now, since: Date.now()}; return false; }
             return Date.now() - last.since > 500;
           }""", arg=RESULT_LINKS, polling=100, timeout=15_000)


def press_and_wait_for_focus(page, key: str) -> str:
    """Presses ``key`` and returns where the focus moved to (Material moves it asynchronously)."""
    before = page.evaluate(ACTIVE)
    page.keyboard.press(key)
    page.wait_for_function(f"(before) => ({ACTIVE})() !== before", arg=before, timeout=5_000)
    return page.evaluate(ACTIVE)


def test_on_a_phone_search_opens_full_screen_and_lands_on_the_term(browser, site_url: str) -> None:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(site_url + "glossary/entropy/")
    page.click("label[for=__search]")  # the magnifier in the header
    page.locator("input.md-search__input").wait_for(state="visible")
    page.keyboard.type("log loss", delay=30)
    results = wait_for_results(page, "log loss")
    assert results[0][0] == "Cross-entropy"
    box = page.locator(".md-search__inner").bounding_box()
    assert box is not None and box["x"] <= 1 and box["width"] >= PHONE["width"] - 1  # the whole width
    first = page.locator(RESULT_LINKS).first.bounding_box()
    assert first is not None and first["x"] >= 0 and first["x"] + first["width"] <= PHONE["width"]
    page.screenshot(path=str(SCREENSHOTS / "search-phone.png"))
    page.locator(RESULT_LINKS).first.click()
    page.wait_for_url(re.compile(r".*/glossary/cross-entropy/\?h=log\+loss$"))
    context.close()


@pytest.mark.parametrize("start", ["glossary/", "tags/", "glossary/softmax-temperature/"])
def test_search_works_from_generated_and_notebook_pages(page, site_url: str, start: str) -> None:
    page.goto(site_url + start)
    page.click("input.md-search__input")
    page.keyboard.type("softmax temperature", delay=20)
    results = wait_for_results(page, "softmax temperature")
    assert results[0][0] == "Softmax temperature"  # a notebook, found by its name
    page.locator(RESULT_LINKS).first.click()
    page.wait_for_url(re.compile(r".*/glossary/softmax-temperature/\?h=softmax\+temperature$"))
    assert page.inner_text("article h1").strip().rstrip("¶") == "Softmax temperature"


def test_a_first_search_fetches_the_stub_index_and_under_a_megabyte(browser, real_site) -> None:
    probe = first_search(real_site.site_dir, ["KL"], browser=browser)
    index = [size for path, size in probe.page_load_search_files if path.endswith("search_index.json")]
    assert len(index) == 1 and index[0] < STUB_INDEX_LIMIT, probe.page_load_search_files
    (query,) = probe.queries
    assert query.top_result == "KL divergence"
    paths = [path for path, _ in query.requests]
    assert "pagefind/pagefind.js" in paths and any(p.endswith(".pf_fragment") for p in paths), paths
    assert not [p for p in paths if p.endswith("search_index.json")]
    assert 0 < query.first_search_bytes < FIRST_SEARCH_LIMIT, query.requests


TOM = """\
---
title: Tom & <b>Jerry</b>
summary: A page whose title holds markup characters.
aliases: ["<i>cat</i> & mouse"]
---

# Tom and Jerry

Jerry chases Tom & writes &amp;lt;b&amp;gt; on the wall, then 1 < 2.
"""


def test_titles_and_excerpts_show_markup_characters_as_text(browser, tiny_site) -> None:
    result = tiny_site({"pages/index.md": "# Home\n", "glossary/tom.md": TOM})
    assert result.returncode == 0, result.log
    with serving(result.site_dir) as url:
        page = browser.new_page()
        page.goto(url)
        page.fill("input.md-search__input", "jerry wall")
        page.press("input.md-search__input", "End")  # one key-up: one search, of the whole query
        page.wait_for_selector(RESULT_LINKS, timeout=15_000)
        link = page.locator(RESULT_LINKS).first
        assert link.locator("h1").inner_text().strip() == "Tom & <b>Jerry</b>"
        text = link.locator("article p").first.inner_text()
        assert "Jerry chases Tom & writes &lt;b&gt; on the wall, then 1 < 2." in text, text
        assert link.locator("b, i").count() == 0  # nothing the author wrote became an element
        assert sorted(m.lower() for m in link.locator("mark").all_inner_texts()) == ["jerry", "wall"]
        page.close()
