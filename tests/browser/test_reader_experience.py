"""What a reader meets around the content, in a real browser: navigation, search, figures, notebooks.

Expected values come from the sources (front matter, the engine's glossary),
never from a list written here, so the tests follow the content.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin

import pytest

from grimoire.glossary.model import load_glossary
from grimoire.layout import REPOSITORY_ROOT, content_files
from grimoire.navigation import AUTHOR_SECTION

from .conftest import SCREENSHOTS

pytestmark = pytest.mark.slow

GLOSSARY = load_glossary(REPOSITORY_ROOT, content_files(REPOSITORY_ROOT))
TERMS = GLOSSARY.registry.terms
LEGIBLE_PX = 12.0  # three quarters of the 16 px body text
PHONE = {"width": 390, "height": 844}


def absolute(url: str, href: str) -> str:
    return urljoin(url, href).split("#")[0]


# --- Navigation -------------------------------------------------------------------


def sidebar(page) -> tuple[list[str], list[str]]:
    """(reader's pages, author's pages) as the sidebar lists them, in order (absolute URLs)."""
    groups = page.evaluate(
        """(authors) => [...document.querySelectorAll('nav.md-nav--primary > ul > li.md-nav__item')].map(li => {
             const label = li.innerText.split('\\n')[0].trim();
             return [label, [...li.querySelectorAll('a.md-nav__link[href]')].map(a => a.href)];
           })""",
        AUTHOR_SECTION,
    )
    reader: list[str] = []
    author: list[str] = []
    for label, links in groups:
        target = author if label.startswith(AUTHOR_SECTION) else reader
        for href in links:
            href = absolute(page.url, href)
            if href not in target:
                target.append(href)
    return reader, author


def footer(page) -> tuple[str | None, str | None]:
    prev = page.query_selector("a.md-footer__link--prev")
    nxt = page.query_selector("a.md-footer__link--next")
    return (
        absolute(page.url, prev.get_attribute("href")) if prev else None,
        absolute(page.url, nxt.get_attribute("href")) if nxt else None,
    )


def test_sidebar_holds_the_content_sections_then_one_author_section(page, site_url: str) -> None:
    page.goto(site_url)
    sections = [t.split("\n")[0].strip()
                for t in page.locator("nav.md-nav--primary > ul > li.md-nav__item--section").all_inner_texts()]
    assert sections[:2] == ["Glossary", "Derivations"] and sections[-1] == AUTHOR_SECTION, sections
    reader, author = sidebar(page)
    assert site_url + "formulas/" in author and site_url + "formulas/" not in reader
    assert any(url.startswith(site_url + "snippets/") for url in author)
    assert not any(url.startswith(site_url + "snippets/") for url in reader)
    # Each content section opens on its own index page.
    assert site_url + "glossary/" in reader and site_url + "derivations/" in reader


def whole_sidebar(page, site_url: str) -> tuple[list[str], list[str]]:
    """(reader's pages, author's pages) of the whole sidebar, in order.

    Each page draws its own group of the sidebar open and every other group as one link, to the group's
    first page (navigation.prune); visiting that page opens the group, whose pages go in after it.
    """
    page.goto(site_url)
    chains = sidebar(page)
    visited: set[str] = set()
    while unvisited := [url for chain in chains for url in chain if url not in visited]:
        url = unvisited[0]
        visited.add(url)
        page.goto(url)
        for chain, seen in zip(chains, sidebar(page)):
            for before, found in zip(seen, seen[1:]):
                if found not in chain:
                    chain.insert(chain.index(before) + 1, found)
    return chains


def test_footer_prev_next_follows_the_sidebar_exactly(page, site_url: str) -> None:
    reader, author = whole_sidebar(page, site_url)
    assert len(author) > 10  # the snippet source pages, opened group by group
    for chain in (reader, author):
        for i, url in enumerate(chain):
            page.goto(url)
            expected = (chain[i - 1] if i > 0 else None, chain[i + 1] if i + 1 < len(chain) else None)
            assert footer(page) == expected, url


def test_derivations_index_lists_each_result_with_its_summary(page, site_url: str) -> None:
    page.goto(site_url + "derivations/")
    items = page.locator("article li").all_inner_texts()
    derivations = [t for t in TERMS if t.section == "derivations"]
    assert derivations and len(items) == len(derivations)
    for term in derivations:
        assert any(item.startswith(term.meta.title) and term.meta.summary in item for item in items), term.slug


def test_related_section_is_made_from_front_matter(page, site_url: str) -> None:
    term = GLOSSARY.registry.resolve("softmax")
    page.goto(site_url + "glossary/softmax/")
    assert page.locator("article h2#related").count() == 1  # one Related section, none hand-written
    links = page.locator("article h2#related + ul > li > a.grimoire-term")
    expected = [GLOSSARY.registry.resolve(name).meta.title for name in term.meta.related]
    assert links.all_inner_texts() == expected
    first = GLOSSARY.registry.resolve(term.meta.related[0])
    assert first.meta.summary in page.locator("article h2#related + ul > li").first.inner_text()


def test_used_in_flows_into_columns(browser, site_url: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(site_url + "glossary/softmax/")
    lists = page.locator(".grimoire-used-in ul")
    assert lists.count() == 1
    tops = {round(box["y"]) for box in (li.bounding_box() for li in lists.first.locator("li").all())}
    items = lists.first.locator("li").count()
    assert items > 6 and len(tops) < items  # items share rows: the list is in columns
    context.close()


# --- Search -----------------------------------------------------------------------


def results_for(page, query: str) -> list[tuple[str, str, str]]:
    """(title, href, snippet text) of the results for ``query``, best first.

    The box is emptied first (no results), then the whole query is put in
    and one key released: Material searches on key-up, so the first results
    shown are those of the whole query, never of a prefix typed so far.
    """
    box = page.locator("input.md-search__input")
    box.fill("")
    box.press("End")
    page.wait_for_function("() => !document.querySelector('.md-search-result__item')")
    box.fill(query)
    box.press("End")
    page.wait_for_selector(".md-search-result__item", timeout=15_000)
    return page.evaluate(
        """() => [...document.querySelectorAll('.md-search-result__item > a')].map(a => [
             a.querySelector('h1, h2').innerText.trim(), a.getAttribute('href') || '',
             [...a.querySelectorAll('.md-search-result__article p, .md-search-result__article li')]
               .map(e => e.innerText).join(' ')])"""
    )


def names_with_several_words() -> list[tuple[str, str]]:
    """(name, title of its page) for every title and alias with a hyphen or a space."""
    found = []
    for term in TERMS:
        for name in (term.meta.title, *term.meta.aliases):
            if re.search(r"[\s\-\u2010-\u2015]", name.strip()):
                found.append((name, term.meta.title))
    return found


def test_every_hyphenated_or_multi_word_name_finds_its_term_first(page, site_url: str) -> None:
    names = names_with_several_words()
    assert ("Cross-entropy", "Cross-entropy") in names and len(names) > 50
    page.goto(site_url)
    wrong = []
    for name, title in names:
        results = results_for(page, name)
        if results[0][0] != title:
            wrong.append((name, title, [r[0] for r in results[:3]]))
    assert not wrong, wrong


@pytest.mark.parametrize("query", ["cross-entropy", "cross entropy", "KL-divergence"])
def test_hyphen_or_space_makes_no_difference(page, site_url: str, query: str) -> None:
    page.goto(site_url)
    expected = GLOSSARY.registry.resolve(query).meta.title
    assert results_for(page, query)[0][0] == expected


def test_result_snippets_keep_their_inline_math(page, site_url: str) -> None:
    page.goto(site_url)
    results = results_for(page, "log loss")
    snippet = results[0][2]
    # The opening sentence of Cross-entropy names p and q in inline math.
    assert re.search(r"distribution\s+p\b", snippet), snippet
    for _, _, text in results:
        # A formula dropped from a sentence leaves a space before punctuation: "a model ."
        assert not re.search(r"\w \s*[,.;:](?:\s|$)", text), text


def test_captions_and_check_marks_stay_out_of_snippets(real_site) -> None:
    from tests.support.pagefind_index import indexed_text

    text = indexed_text(real_site.site_dir)
    assert "Kullback" in text  # the index holds the pages' text
    # Every run of caption prose between formulas and tags, long enough (40 characters) that finding it in
    # the index means the caption was indexed and not that a page's text happens to share a short phrase.
    runs = []
    for html_file in real_site.site_dir.rglob("*.html"):
        for caption in re.findall(r'<figure class="grimoire-figure"[^>]*>.*?<figcaption>(.*?)</figcaption>',
                                  html_file.read_text("utf-8"), re.DOTALL):
            prose = re.sub(r'<span class="katex">.*?</annotation></semantics></math></span>', "<", caption, flags=re.S)
            runs += [" ".join(html.unescape(run).split()) for run in re.split(r"<[^>]*>|<", prose)
                     if len(run.strip()) >= 40]
    assert len(runs) > 20
    assert not [run for run in runs if run in text]
    for mark in ("✓", "✗", "not checked", "checked by example", "no check block"):
        assert mark not in text, mark


# --- Notebooks --------------------------------------------------------------------


def notebook_terms():
    return [t for t in TERMS if t.src_uri.endswith(".ipynb")]


def test_a_notebook_is_in_the_a_to_z_and_found_by_search(page, site_url: str) -> None:
    notebooks = notebook_terms()
    assert any(term.src_uri.startswith("glossary/") for term in notebooks)
    page.goto(site_url + "glossary/")
    index = page.locator("article").inner_text()
    for term in notebooks:
        if term.src_uri.startswith("glossary/"):  # the A–Z lists the glossary; every notebook is searchable
            assert f"{term.meta.title} — {term.meta.summary}" in index
        results = results_for(page, term.meta.title)
        assert results[0][0] == term.meta.title
        # A notebook result reads like a page: no prompts, no copy-button notice.
        assert not any(re.search(r"In \[\d+\]|Copied!", text) for _, _, text in results)


def test_a_notebook_page_has_its_tags_and_scrolling_code(browser, site_url: str) -> None:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    displayed = wide_code = 0
    for term in notebook_terms():
        page.goto(site_url + term.src_uri.removesuffix(".ipynb") + "/")
        assert sorted(page.locator(".md-tag").all_inner_texts()) == sorted(term.meta.tags)
        assert "summary:" not in page.locator("article").inner_text()  # the front matter cell is not shown
        displays = page.locator("article .katex-display").count()
        assert page.locator("article .grimoire-check--passed").count() == displays, term.src_uri
        displayed += displays
        clipped = page.evaluate(
            """() => [...document.querySelectorAll('.jp-CodeCell pre')].filter(pre => {
                 if (pre.scrollWidth <= pre.clientWidth) return false;
                 for (let e = pre; e; e = e.parentElement) {
                   const o = getComputedStyle(e).overflowX;
                   if ((o === 'auto' || o === 'scroll') && e.scrollWidth > e.clientWidth) return false;
                 }
                 return true;
               }).length"""
        )
        assert clipped == 0, term.src_uri
        wide_code += page.evaluate(
            "() => [...document.querySelectorAll('.jp-CodeCell pre')].some(p => p.scrollWidth > p.clientWidth)"
        )
    # The notebooks hold checked display formulas and code wider than a phone, which the loop looked at.
    assert displayed and wide_code
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "notebook-phone.png"), full_page=False)
    context.close()


# --- Figures ----------------------------------------------------------------------

FIGURE_TEXT_SIZES = """() => [...document.querySelectorAll('.grimoire-figure__drawing svg')].map(svg => {
  const sizes = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim()).map(t => {
    const m = t.getScreenCTM();
    return parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
  });
  const own = [...svg.querySelectorAll('text')].map(t => parseFloat(getComputedStyle(t).fontSize));
  // matplotlib's mathtext sets sub- and superscripts at 70% of their base: not labels of their own.
  const scripts = new Set(own.filter(s => own.some(b => Math.abs(s - 0.7 * b) < 0.02 * b)));
  const labels = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim())
    .map((t, i) => [parseFloat(getComputedStyle(t).fontSize), sizes[i]])
    .filter(([own]) => !scripts.has(own)).map(([, px]) => px);
  return {caption: svg.closest('figure').querySelector('figcaption').textContent.slice(0, 60),
          smallest: Math.min(...labels)};
})"""

FIGURE_PAGES = sorted(
    {t.src_uri for t in TERMS if t.src_uri.endswith(".md") and "](figure:" in (REPOSITORY_ROOT / t.src_uri).read_text("utf-8")}
)


@pytest.mark.parametrize("width", [390, 1280])
def test_figure_labels_are_legible_on_a_phone_and_a_desktop(browser, site_url: str, width: int) -> None:
    assert len(FIGURE_PAGES) > 5
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    small = []
    for src in FIGURE_PAGES:
        page.goto(site_url + src.removesuffix(".md") + "/")
        for figure in page.evaluate(FIGURE_TEXT_SIZES):
            if figure["smallest"] < LEGIBLE_PX - 0.05:
                small.append((src, figure["caption"], round(figure["smallest"], 1)))
        if src.endswith(("retrieval-augmented-generation.md", "softmax.md")):
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.locator(".grimoire-figure").first.screenshot(
                path=str(SCREENSHOTS / f"figure-{src.split('/')[-1][:-3]}-{width}.png"))
    context.close()
    assert not small, small
