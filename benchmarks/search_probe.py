"""What a reader's first search costs on a built site: bytes fetched and milliseconds to results.

``first_search(site_dir, queries)`` serves ``site_dir`` on 127.0.0.1 (an
ephemeral port) and drives headless Chromium (Debian's, as the browser tests
do) through Playwright. For each query, in a fresh browser context (empty
cache, so each is a reader's first search):

- it loads the home page and waits until Material's search is ready;
- it focuses the search box and types the query key by key, as a reader;
- it counts the bytes of every response from the focus until the results of
  the whole query are in the page (worker, Pagefind's script, WebAssembly,
  index chunks, fragments), headers included;
- it times from the key-up of the query's last key to those results.

Results "of the whole query" are recognised by their links, which carry the
query in Material's ``?h=`` highlight parameter, so results of a prefix shown
meanwhile are not mistaken for them. Warm times are measured too: the same
queries typed again in the last page, everything already fetched.

The page load's own search cost (Material's ``search_index.json``, the
worker script) is reported apart.

    python -m benchmarks.search_probe SITE_DIR QUERY...
"""

from __future__ import annotations

import sys
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .local_browser import CHROMIUM, CHROMIUM_ARGS, serving

SEARCH_LOAD_FILES = ("search/search_index.json", "search-worker.js")  # what every page load fetches for search
TYPING_DELAY_MS = 60  # between keys: a fast reader
TIMEOUT_MS = 30_000

# In the page: the time of the last key-up in the search box, and of the first results of the whole query.
_WATCH = """(query) => {
  const box = document.querySelector("input.md-search__input");
  const wanted = query.toLowerCase().split(/\\s+/).filter(Boolean).join(" ");
  const id = (window.__probeId = (window.__probeId || 0) + 1);  // listeners of an earlier query keep quiet
  window.__probe = {keyup: 0, shown: 0};
  box.addEventListener("keyup", () => {
    if (window.__probeId === id) window.__probe = {keyup: performance.now(), shown: 0};
  });
  new MutationObserver(() => {
    if (window.__probeId !== id || window.__probe.shown) return;
    const link = document.querySelector(".md-search-result__item > a");
    if (link && new URL(link.href).searchParams.get("h") === wanted) window.__probe.shown = performance.now();
  }).observe(document.querySelector(".md-search-result"), {childList: true, subtree: true});
}"""


@dataclass
class QueryProbe:
    query: str
    first_search_bytes: int  # from focusing the box to the results, in a fresh browser
    first_search_ms: float  # last key-up to results, in that fresh browser
    warm_ms: float | None = None  # the same, typed again once everything is fetched
    requests: list[tuple[str, int]] = field(default_factory=list)  # (site path, bytes) of the first search
    top_result: str = ""


@dataclass
class SearchProbe:
    page_load_search_bytes: int  # what the page load fetched for search (the stub index, the worker)
    page_load_search_files: list[tuple[str, int]]
    queries: list[QueryProbe]


def _size(request) -> int:
    """Bytes of the response, headers and body (the local server sends no compression or chunks)."""
    response = request.response()
    if response is None:
        return 0
    try:
        body = len(response.body())
    except Exception:  # a redirect has no body
        body = 0
    return request.sizes()["responseHeadersSize"] + body


def _path(url: str, base: str) -> str:
    return urllib.parse.urlsplit(url).path.removeprefix(urllib.parse.urlsplit(base).path)


def _open_search_ready(page, url: str) -> None:
    page.goto(url)
    # Material shows this once its worker answered the setup message.
    page.wait_for_function(
        "() => (document.querySelector('.md-search-result__meta') || {}).textContent === 'Type to start searching'",
        timeout=TIMEOUT_MS)


def _type_query(page, query: str) -> tuple[float, str]:
    """Types ``query`` into the focused box; (ms from the last key-up to its results, top result's title)."""
    page.evaluate(_WATCH, query)
    page.keyboard.type(query, delay=TYPING_DELAY_MS)
    page.wait_for_function("() => window.__probe.shown > 0", timeout=TIMEOUT_MS)
    elapsed = page.evaluate("() => window.__probe.shown - window.__probe.keyup")
    title = page.inner_text(".md-search-result__item > a :is(h1, h2)").strip()
    return elapsed, title


def _clear(page) -> None:
    page.fill("input.md-search__input", "")
    page.keyboard.press("End")
    page.wait_for_function("() => !document.querySelector('.md-search-result__item')", timeout=TIMEOUT_MS)


def first_search(site_dir: Path, queries: Sequence[str], browser=None) -> SearchProbe:
    """The cost of a first search for each of ``queries`` on the built site in ``site_dir``.

    ``browser``: a Playwright Chromium already running (the test suite's); else one is launched.
    """
    if not queries:
        raise ValueError("give at least one query")
    if browser is not None:
        return _probe(browser, site_dir, queries)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            return _probe(launched, site_dir, queries)
        finally:
            launched.close()


def _probe(browser, site_dir: Path, queries: Sequence[str]) -> SearchProbe:
    results: list[QueryProbe] = []
    load_files: list[tuple[str, int]] = []
    with serving(site_dir) as url:
        page = context = None
        try:
            for i, query in enumerate(queries):
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                finished: list = []
                context.on("requestfinished", lambda request, sink=finished: sink.append(request))
                page = context.new_page()
                _open_search_ready(page, url)
                page.wait_for_load_state("networkidle")
                if i == 0:
                    load_files = [(_path(r.url, url), _size(r)) for r in finished
                                  if _path(r.url, url).endswith(SEARCH_LOAD_FILES)]
                finished.clear()
                page.click("input.md-search__input")
                elapsed, title = _type_query(page, query)
                requests = [(_path(r.url, url), _size(r)) for r in finished]
                results.append(QueryProbe(query, sum(size for _, size in requests), elapsed, None, requests, title))
                if i + 1 < len(queries):
                    context.close()
            for probe in results:  # warm: the last page has fetched Pagefind and its index already
                _clear(page)
                probe.warm_ms, _ = _type_query(page, probe.query)
        finally:
            if context is not None:
                context.close()
    return SearchProbe(sum(size for _, size in load_files), load_files, results)


def report(probe: SearchProbe) -> str:
    lines = [f"page load, for search: {probe.page_load_search_bytes:,} bytes "
             f"({', '.join(f'{path} {size:,}' for path, size in probe.page_load_search_files)})"]
    for q in probe.queries:
        lines.append(f"{q.query!r}: first search {q.first_search_bytes:,} bytes in {len(q.requests)} requests, "
                     f"{q.first_search_ms:.0f} ms (fresh browser); warm {q.warm_ms:.0f} ms; first result {q.top_result!r}")
    return "\n".join(lines)


def main(argv: Sequence[str]) -> int:
    if len(argv) < 2:
        print("usage: python -m benchmarks.search_probe SITE_DIR QUERY...", file=sys.stderr)
        return 2
    site = Path(argv[0])
    if not (site / "pagefind" / "pagefind.js").is_file():
        print(f"{site} has no Pagefind index (pagefind/pagefind.js); build the site first", file=sys.stderr)
        return 2
    print(report(first_search(site, argv[1:])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
