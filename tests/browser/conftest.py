"""A real browser on the built site: Debian's Chromium driven by Playwright.

The site is served over HTTP on 127.0.0.1 (search needs its worker, which a
file:// page cannot start). Chromium is the one the project installs from
Debian (`make install` does it); Playwright's own browser download is never
used. Screenshots go to test-artifacts/screenshots/ (not committed).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.local_browser import CHROMIUM, CHROMIUM_ARGS, serving
from grimoire.layout import REPOSITORY_ROOT

SCREENSHOTS = REPOSITORY_ROOT / "test-artifacts" / "screenshots"


@pytest.fixture(scope="session")
def site_url(real_site) -> Iterator[str]:
    with serving(real_site.site_dir) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}; run `make install` (it installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    yield pg
    context.close()
