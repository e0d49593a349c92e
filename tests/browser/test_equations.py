"""Numbered equations in a real browser: a reference lands on its equation, below the sticky
header, and hovering or focusing it shows the typeset equation in the hover card.

Runs on the real site's attention-scaling derivation, at desktop and phone width.
"""

from __future__ import annotations

import pytest

from .conftest import SCREENSHOTS

pytestmark = pytest.mark.slow

PAGE = "derivations/attention-scaling/"
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(params=sorted(VIEWPORTS))
def sized_page(request, browser):
    context = browser.new_context(viewport=VIEWPORTS[request.param], device_scale_factor=1)
    page = context.new_page()
    yield request.param, page
    context.close()


def _header_bottom(page) -> float:
    return page.evaluate("document.querySelector('.md-header').getBoundingClientRect().bottom")


def test_following_an_equation_reference_shows_the_equation_below_the_header(sized_page, site_url: str) -> None:
    name, page = sized_page
    page.goto(site_url + PAGE)
    # "By (7)" near the end of the page cites the aligned block of Step 4, whose last row is (7).
    link = page.locator("a.grimoire-eqref[href='#eq:variance']").last
    number = link.inner_text()
    assert number.startswith("(") and number.endswith(")")
    link.scroll_into_view_if_needed()
    link.click()
    page.wait_for_function("location.hash === '#eq:variance'")
    target = page.locator("[id='eq:variance']")
    page.wait_for_function(
        "(el) => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; }",
        arg=target.element_handle(),
    )
    box = target.bounding_box()
    assert box is not None
    header = _header_bottom(page)
    viewport = VIEWPORTS[name]
    assert box["y"] >= header - 1, (box, header)  # not hidden under the sticky header
    assert box["y"] + min(box["height"], 200) <= viewport["height"], box
    assert number in target.inner_text()  # the display shows the number the reference printed
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"equation-target-{name}.png"), full_page=False)


def test_hovering_and_focusing_a_reference_shows_the_typeset_equation(sized_page, site_url: str) -> None:
    name, page = sized_page
    page.goto(site_url + PAGE)
    link = page.locator("a.grimoire-eqref[href='#eq:mean']").first
    link.scroll_into_view_if_needed()
    link.hover()
    card = page.locator("#grimoire-card")
    card.wait_for(state="visible", timeout=5_000)
    assert card.locator(".grimoire-card__title").inner_text() == f"Equation {link.inner_text()}"
    formula = card.locator(".grimoire-card__formula .katex-display")
    assert formula.count() == 1
    assert link.inner_text() in formula.inner_text()  # typeset with its number
    assert "\\label" not in card.inner_html() and "\\tag" not in card.inner_text()
    box = card.bounding_box()
    width = VIEWPORTS[name]["width"]
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width + 1, box
    assert link.get_attribute("aria-describedby") == "grimoire-card"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"equation-card-{name}.png"), full_page=False)
    page.mouse.move(0, 0)
    card.wait_for(state="hidden", timeout=5_000)
    other = page.locator("a.grimoire-eqref[href='#eq:logit']").first
    other.focus()
    card.wait_for(state="visible", timeout=5_000)
    assert card.locator(".grimoire-card__title").inner_text() == f"Equation {other.inner_text()}"


def test_a_cross_page_reference_lands_on_the_other_pages_equation(page, site_url: str) -> None:
    page.goto(site_url + "glossary/softmax/")
    link = page.locator("a.grimoire-eqref").first
    link.scroll_into_view_if_needed()
    link.hover()
    card = page.locator("#grimoire-card")
    card.wait_for(state="visible", timeout=5_000)
    number = link.inner_text()
    title = card.locator(".grimoire-card__title").inner_text()
    assert title.startswith(f"Equation {number} in ") and "attention" in title
    assert card.locator(".katex-display").count() == 1
    link.click()
    page.wait_for_url("**/derivations/attention-scaling/#eq:scaled-variance")
    target = page.locator("[id='eq:scaled-variance']")
    page.wait_for_function(
        "(el) => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; }",
        arg=target.element_handle(),
    )
    box = target.bounding_box()
    assert box is not None and box["y"] >= _header_bottom(page) - 1
    assert number in target.inner_text()  # the number the reference printed is the one typeset there
