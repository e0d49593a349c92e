"""Screenshots of a reader's tour of a built site, at desktop and phone widths.

Run by hand to compare two builds (the issue's before/after pictures):

    .venv/bin/python -m tests.browser.tour SITE_DIR LABEL

writes test-artifacts/screenshots/tour-LABEL-<page>-<width>.png. The browser
tests take their own screenshots; this only records a tour for people to look at.
"""

from __future__ import annotations

import sys
from pathlib import Path

from benchmarks.local_browser import CHROMIUM, CHROMIUM_ARGS, serving
from tests.browser.conftest import SCREENSHOTS

PAGES = {
    "home": "",
    "softmax": "glossary/softmax/",
    "derivation": "derivations/attention-scaling/",
    "rag": "glossary/retrieval-augmented-generation/",
    "notebook": "glossary/softmax-temperature/",
    "glossary-index": "glossary/",
}
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
SEARCHES = {"search-cross-entropy": "cross-entropy", "search-log-loss": "log loss"}


def tour(site_dir: Path, label: str) -> list[Path]:
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    saved = []
    with serving(site_dir) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for width_name, (width, height) in WIDTHS.items():
            context = browser.new_context(viewport={"width": width, "height": height})
            page = context.new_page()
            for name, path in PAGES.items():
                page.goto(url + path)
                out = SCREENSHOTS / f"tour-{label}-{name}-{width_name}.png"
                page.screenshot(path=str(out), full_page=True)
                saved.append(out)
            for name, query in SEARCHES.items():
                page.goto(url)
                if width_name == "phone":
                    page.click("label[for=__search]")
                page.click("input.md-search__input")
                page.keyboard.type(query)
                page.wait_for_selector(".md-search-result__item", timeout=15_000)
                out = SCREENSHOTS / f"tour-{label}-{name}-{width_name}.png"
                page.screenshot(path=str(out))
                saved.append(out)
            context.close()
        browser.close()
    return saved


if __name__ == "__main__":
    for path in tour(Path(sys.argv[1]), sys.argv[2]):
        print(path)
