"""How long each page of the built site takes to load in Chromium: `make bench` (or `python -m benchmarks.page_load_bench`).

Builds the real site with ``--strict`` (or takes ``--site DIR``, already
built), serves it on 127.0.0.1 and loads every page of its sitemap in
headless Chromium (Debian's, as the browser tests use), each in a fresh tab
of one browser context, so the shared stylesheets and scripts come from the
cache as they do for a reader going from page to page. A page's time runs
from the navigation's start to the end of its load event (the Navigation
Timing entry), so it holds parsing, style, layout and the scripts that run
before ``load``. Every page is loaded ``--rounds`` times; its time is the median.

Reported: the median page, the slowest pages, and the slowest as a ratio to
the median page of the same run (the baseline). Target: the slowest page
within ``TARGET_RATIO`` times the median. A figure that made Chromium slow
(4,524 SVG ``<use>`` markers) had one page at 15 s against a median of 0.4 s;
a ratio catches such a page whatever the machine's speed.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from grimoire.layout import REPOSITORY_ROOT

from .local_browser import CHROMIUM, CHROMIUM_ARGS, serving

MKDOCS = Path(sys.executable).with_name("mkdocs")
TARGET_RATIO = 4.0
_LOC = re.compile(r"<loc>([^<]+)</loc>")
_TIMING = "(() => { const n = performance.getEntriesByType('navigation')[0]; return n.loadEventEnd; })()"


def site_pages(site_dir: Path) -> list[str]:
    """The site-relative paths of the sitemap's pages, in its order."""
    sitemap = (site_dir / "sitemap.xml").read_text("utf-8")
    paths = []
    for url in _LOC.findall(sitemap):
        path = re.sub(r"^[a-z]+://[^/]+/", "", url.strip())
        if (site_dir / path / "index.html").is_file() or (site_dir / path).is_file():
            paths.append(path)
    return paths


def load_times(site_dir: Path, paths: Sequence[str], rounds: int) -> dict[str, float]:
    """``{path: median milliseconds from navigation start to the end of the load event}``."""
    from playwright.sync_api import sync_playwright

    times: dict[str, list[float]] = {path: [] for path in paths}
    with serving(site_dir) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            warm = context.new_page()
            warm.goto(url)  # the shared assets in the cache, as for a reader already on the site
            warm.close()
            for _ in range(rounds):
                for path in paths:
                    page = context.new_page()
                    page.goto(url + path, wait_until="load", timeout=120_000)
                    times[path].append(float(page.evaluate(_TIMING)))
                    page.close()
        finally:
            browser.close()
    return {path: statistics.median(values) for path, values in times.items()}


def report(times: dict[str, float], slowest: int = 5) -> tuple[str, bool]:
    """The lines to print, and whether the slowest page is within the target ratio."""
    median = statistics.median(times.values())
    ranked = sorted(times.items(), key=lambda item: item[1], reverse=True)
    ratio = ranked[0][1] / median
    lines = [f"{len(times)} pages: median load {median:.0f} ms; slowest {ranked[0][1]:.0f} ms, "
             f"{ratio:.1f}x the median (target <= {TARGET_RATIO:g}x)"]
    lines += [f"  {ms:7.0f} ms  {ms / median:4.1f}x  /{path}" for path, ms in ranked[:slowest]]
    return "\n".join(lines), ratio <= TARGET_RATIO


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build the real site into a temporary folder)")
    parser.add_argument("--rounds", type=int, default=3, help="loads of every page (default 3)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="grimoire-page-load-") as tmp:
        site = args.site
        if site is None:
            site = Path(tmp) / "site"
            built = subprocess.run([str(MKDOCS), "build", "--strict", "-q", "-d", str(site)], cwd=REPOSITORY_ROOT,
                                   capture_output=True, text=True)
            if built.returncode != 0:
                print(built.stdout + built.stderr, file=sys.stderr)
                return 1
        pages = site_pages(site)
        if not pages:
            print(f"{site} has no pages in sitemap.xml; build the site first", file=sys.stderr)
            return 2
        text, within = report(load_times(site, pages, args.rounds))
    print(text)
    return 0 if within else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
