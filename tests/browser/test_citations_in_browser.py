"""Citations, paper pages and copying math in a real browser."""

from __future__ import annotations

import pytest

from .conftest import SCREENSHOTS

pytestmark = pytest.mark.slow

# Runs after KaTeX's copy-tex handler (registered first, on the same target): what the copy put on the clipboard.
RECORD_COPY = """
window.__copied = null;
document.addEventListener("copy", (event) => { window.__copied = event.clipboardData.getData("text/plain"); });
"""


def test_a_citation_leads_to_its_reference_and_back(page, site_url: str) -> None:
    page.goto(site_url + "glossary/rlhf/")
    citation = page.locator('article a.grimoire-cite[data-cite="christiano2017"]').first
    assert citation.inner_text() == "Christiano et al. (2017)"
    citation.click()
    page.wait_for_function("location.hash === '#ref-christiano2017'")
    entry = page.locator("li#ref-christiano2017")
    assert entry.is_visible() and "Deep reinforcement learning from human preferences" in entry.inner_text()
    assert page.evaluate("document.querySelector(':target').id") == "ref-christiano2017"
    entry.locator(".grimoire-ref__back a").first.click()
    page.wait_for_function("location.hash === '#cite-christiano2017-1'")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#references").scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "citations-references.png"))


def test_hovering_a_citation_shows_the_full_reference(page, site_url: str) -> None:
    page.goto(site_url + "glossary/peft/")
    page.locator('article a.grimoire-cite[data-cite="houlsby2019"]').first.hover()
    card = page.locator("#grimoire-card")
    card.wait_for(state="visible", timeout=5_000)
    assert "Parameter-efficient transfer learning for NLP" in card.inner_text()
    page.screenshot(path=str(SCREENSHOTS / "citation-card.png"))


def test_a_citation_of_a_work_with_a_paper_page_links_there(page, site_url: str) -> None:
    page.goto(site_url + "derivations/attention-scaling/")
    page.locator("article .grimoire-cite__paper a").first.click()
    page.wait_for_load_state()
    assert page.url.endswith("/papers/attention-is-all-you-need/")
    header = page.locator(".grimoire-paper")
    assert "NeurIPS 2017" in header.inner_text()
    page.locator(".grimoire-paper__cite summary").click()
    assert "@inproceedings{vaswani2017," in page.locator(".grimoire-paper__cite code").inner_text()
    page.screenshot(path=str(SCREENSHOTS / "paper-page.png"))


def test_copying_a_formula_copies_its_tex(page, site_url: str) -> None:
    page.goto(site_url + "derivations/attention-scaling/")
    page.evaluate(RECORD_COPY)
    page.evaluate("""() => {
        const range = document.createRange();
        range.selectNode(document.querySelector("article .katex-display"));
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
    }""")
    page.keyboard.press("Control+C")
    page.wait_for_function("window.__copied !== null")
    copied = page.evaluate("window.__copied")
    # The first display is equation (1): its TeX is what KaTeX typeset, number included.
    assert copied.strip() == (
        "$$\\operatorname{Attention}(Q, K, V) = \\softmax\\left( \\frac{Q K^\\top}{\\sqrt{d}} \\right) V \\tag{1}$$"
    )


def test_a_paper_page_fits_a_phone_screen(browser, site_url: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    page = context.new_page()
    page.goto(site_url + "papers/attention-is-all-you-need/")
    page.locator(".grimoire-paper__cite summary").click()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    page.screenshot(path=str(SCREENSHOTS / "paper-page-phone.png"), full_page=False)
    context.close()
