"""The formula-check marks in a real browser: a small tick, details on hover and on keyboard focus."""

from __future__ import annotations

import re

import pytest

from .conftest import SCREENSHOTS

pytestmark = pytest.mark.slow


def test_hovering_a_mark_shows_what_was_checked_typeset(page, site_url: str) -> None:
    page.goto(site_url + "glossary/softmax/")
    mark = page.locator(".grimoire-check--passed").first
    details = mark.locator(".grimoire-check__details")
    assert not details.is_visible()
    assert mark.locator(".grimoire-check__mark").inner_text().strip().startswith("✓")
    label = mark.locator(".grimoire-check__label").bounding_box()
    assert label is not None and label["width"] <= 1 and label["height"] <= 1  # only the tick shows
    mark.locator(".grimoire-check__mark").hover()
    details.wait_for(state="visible", timeout=5_000)
    text = details.inner_text()
    assert "Checked in this build" in text and "softmax" in text
    assert details.locator(".katex").count() >= 1  # the domain, in the formula's notation
    page.mouse.move(0, 0)
    details.wait_for(state="hidden", timeout=5_000)


def test_keyboard_focus_shows_a_marks_details(page, site_url: str) -> None:
    page.goto(site_url + "glossary/softmax/")
    mark = page.locator(".grimoire-check--passed .grimoire-check__mark").first
    mark.focus()
    details = page.locator(".grimoire-check--passed .grimoire-check__details").first
    details.wait_for(state="visible", timeout=5_000)
    assert mark.get_attribute("aria-describedby") == details.get_attribute("id")


def test_a_marks_details_fit_a_phone_screen(browser, site_url: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    page = context.new_page()
    page.goto(site_url + "glossary/softmax/")
    mark = page.locator(".grimoire-check--passed .grimoire-check__mark").first
    mark.scroll_into_view_if_needed()
    mark.focus()
    details = page.locator(".grimoire-check--passed .grimoire-check__details").first
    details.wait_for(state="visible", timeout=5_000)
    box = details.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390 + 1, box
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "check-mark-phone.png"), full_page=False)
    context.close()


def test_the_coverage_page_shows_this_builds_results(page, site_url: str) -> None:
    page.goto(site_url + "formulas/")
    summary = page.locator("article").inner_text()
    assert "results of this build" in summary
    total = int(re.search(r"(\d+) display formulas", summary).group(1))
    counts = page.locator(".grimoire-coverage-parts tbody tr td:last-child").all_inner_texts()
    assert len(counts) > 1 and sum(int(c) for c in counts) == total  # the parts list every formula once
    page.locator(".grimoire-coverage-parts a").first.click()
    page.wait_for_url(site_url + "formulas/1/")
    assert page.locator(".grimoire-coverage--passed").count() > 10
    assert page.locator(".grimoire-coverage__state").filter(has_text="failed").count() == 0


def test_on_a_phone_a_coverage_part_scrolls_its_tables_not_the_page(browser, site_url: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    page = context.new_page()
    page.goto(site_url + "formulas/1/")
    widths = page.evaluate("""() => [document.documentElement.scrollWidth,
        ...[...document.querySelectorAll('.md-typeset__scrollwrap')].map(w => [w.scrollWidth, w.clientWidth,
                                                                             getComputedStyle(w).overflowX])]""")
    assert widths[0] <= 390, widths
    assert len(widths) > 1 and all(overflow == "auto" and client <= 390 for _, client, overflow in widths[1:]), widths
    page.screenshot(path=str(SCREENSHOTS / "coverage-part-phone.png"), full_page=False)
    context.close()
