"""What a reader sees in a real browser: search, hover cards, typeset math, both schemes."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import SCREENSHOTS
from tests.support.html_checks import RAW_TEX

pytestmark = pytest.mark.slow


def search(page, site_url: str, query: str) -> list[tuple[str, str]]:
    """(title, href) of the search results for ``query``, best first."""
    page.goto(site_url)
    # Material listens to key events, so type rather than fill.
    page.click("input.md-search__input")
    page.keyboard.type(query)
    page.wait_for_selector(".md-search-result__item", timeout=15_000)
    items = page.query_selector_all(".md-search-result__item > a")
    return [(a.query_selector("h1, h2").inner_text().strip(), a.get_attribute("href") or "") for a in items]


@pytest.mark.parametrize(
    ("query", "title", "path"),
    [
        ("KL", "KL divergence", "glossary/kl-divergence/"),
        ("log loss", "Cross-entropy", "glossary/cross-entropy/"),
        ("relative entropy", "KL divergence", "glossary/kl-divergence/"),
        ("EWMA", "Exponential moving average", "glossary/exponential-moving-average/"),
        ("Wiener process", "Brownian motion", "glossary/brownian-motion/"),
        ("MoE", "Mixture of experts", "glossary/mixture-of-experts/"),
        ("LoRA", "LoRA", "glossary/lora/"),
        ("low-rank adaptation", "LoRA", "glossary/lora/"),
        ("PEFT", "PEFT", "glossary/peft/"),
        ("MSE", "Squared residual", "glossary/squared-residual/"),
        ("PPL", "Perplexity", "glossary/perplexity/"),
        ("softmax", "Softmax", "glossary/softmax/"),
        ("Bayes rule", "Bayes' theorem", "glossary/bayes-theorem/"),
    ],
)
def test_search_ranks_the_term_first(page, site_url: str, query: str, title: str, path: str) -> None:
    results = search(page, site_url, query)
    assert results, f"no results for {query!r}"
    assert results[0][0] == title, results[:5]
    assert results[0][1].split("?")[0].endswith(path), results[0]  # ?h= is Material's highlight


def test_search_lands_on_the_term_page(page, site_url: str) -> None:
    search(page, site_url, "log loss")
    page.click(".md-search-result__item > a")
    page.wait_for_load_state()
    assert page.url.split("?")[0].endswith("/glossary/cross-entropy/")
    assert page.inner_text("article h1").strip().rstrip("¶") == "Cross-entropy"


def test_hover_shows_the_card_with_typeset_math(page, site_url: str) -> None:
    page.goto(site_url + "glossary/cross-entropy/")
    link = page.locator('article a.grimoire-term[data-term="softmax"]').first
    link.hover()
    card = page.locator("#grimoire-card")
    card.wait_for(state="visible", timeout=5_000)
    assert card.locator(".grimoire-card__title").inner_text() == "Softmax"
    assert "probab" in card.locator(".grimoire-card__summary").inner_text()
    assert card.locator(".katex").count() >= 1
    assert link.get_attribute("aria-describedby") == "grimoire-card"
    page.mouse.move(0, 0)
    card.wait_for(state="hidden", timeout=5_000)


def test_keyboard_focus_shows_the_card_and_escape_hides_it(page, site_url: str) -> None:
    page.goto(site_url + "glossary/cross-entropy/")
    link = page.locator("article a.grimoire-term").first
    link.focus()
    card = page.locator("#grimoire-card")
    card.wait_for(state="visible", timeout=5_000)
    page.keyboard.press("Escape")
    card.wait_for(state="hidden", timeout=5_000)


def test_no_request_leaves_the_site(page, site_url: str) -> None:
    remote = []
    page.on("request", lambda r: None if r.url.startswith(site_url) else remote.append(r.url))
    for path in ("", "glossary/softmax/", "glossary/softmax-temperature/", "formulas/"):
        page.goto(site_url + path)
        page.wait_for_load_state("networkidle")
    assert remote == []


def test_no_page_shows_raw_tex(page, site_url: str, real_site) -> None:
    pages = sorted(p.relative_to(real_site.site_dir).parent.as_posix() for p in real_site.site_dir.rglob("index.html"))
    assert len(pages) > 15
    leaks = {}
    typeset = 0
    for rel in pages:
        page.goto(site_url + ("" if rel == "." else rel + "/"))
        # Visible text only: KaTeX's MathML annotation and code are not what a reader reads as prose.
        text = page.evaluate(
            """() => {
                const root = document.querySelector('article').cloneNode(true);
                root.querySelectorAll('.katex-mathml, code, pre, script, style').forEach(n => n.remove());
                return root.innerText;
            }"""
        )
        found = RAW_TEX.findall(text)
        if found:
            leaks[rel] = found[:3]
        typeset += page.locator("article .katex").count() > 0
    assert not leaks, leaks
    assert typeset > 30  # the check above looked at pages that do hold math


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_term_page_screenshots(browser, site_url: str, scheme: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 1600}, color_scheme=scheme)
    page = context.new_page()
    page.goto(site_url + "glossary/softmax/")
    expected = "slate" if scheme == "dark" else "default"
    assert page.get_attribute("body", "data-md-color-scheme") == expected
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    rgb = [int(v) for v in re.findall(r"\d+", background)[:3]]
    assert (sum(rgb) < 200) == (scheme == "dark"), background
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / f"softmax-{scheme}.png"
    page.screenshot(path=str(target), full_page=False)
    assert target.stat().st_size > 10_000
    context.close()
