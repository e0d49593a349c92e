"""The page-load benchmark's own logic: which pages it loads and how it judges the slowest."""

from __future__ import annotations

from pathlib import Path

from benchmarks.page_load_bench import TARGET_RATIO, report, site_pages


def test_the_pages_are_the_sitemaps_that_exist(tmp_path: Path) -> None:
    (tmp_path / "glossary" / "softmax").mkdir(parents=True)
    (tmp_path / "glossary" / "softmax" / "index.html").write_text("<html></html>", "utf-8")
    (tmp_path / "index.html").write_text("<html></html>", "utf-8")
    (tmp_path / "sitemap.xml").write_text(
        "<urlset><url><loc>https://example.invalid/</loc></url>"
        "<url><loc>https://example.invalid/glossary/softmax/</loc></url>"
        "<url><loc>https://example.invalid/glossary/gone/</loc></url></urlset>", "utf-8")
    assert site_pages(tmp_path) == ["", "glossary/softmax/"]


def test_the_slowest_page_is_judged_against_the_median_page() -> None:
    times = {f"p{i}/": 500.0 for i in range(9)}
    text, within = report({**times, "slow/": 500.0 * TARGET_RATIO})
    assert within and "slow/" in text.splitlines()[1]
    text, within = report({**times, "slow/": 500.0 * TARGET_RATIO + 1})
    assert not within and f"{TARGET_RATIO + 0.002:.1f}x the median" in text
