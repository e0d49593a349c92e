"""Running the Pagefind indexer: it works, and each way it fails is one problem saying what to do."""

from __future__ import annotations

from pathlib import Path

import pytest

from grimoire.layout import ProjectLayout, REPOSITORY_ROOT
from grimoire.search.pagefind_run import BackgroundIndex, index_site, pagefind_binary, pagefind_command
from tests.support.pagefind_index import indexed_pages

PAGEFIND = ProjectLayout.for_config_dir(REPOSITORY_ROOT).pagefind_dir
PAGE = """<!doctype html><html lang="en"><head><title>x</title>
<meta data-pagefind-meta="names[content]" content="[&quot;Kullback-Leibler divergence&quot;]"></head><body>
<nav>Navigation words</nav>
<article class="md-content__inner md-typeset" data-pagefind-body><h1 id="kl">KL divergence<a class="headerlink" href="#kl">¶</a></h1>
<p>Compares two distributions <span class="katex"><span class="katex-mathml"><math><semantics><mrow><mi>P</mi></mrow>
<annotation encoding="application/x-tex">P</annotation></semantics></math></span><span class="katex-html" aria-hidden="true">GLYPHS</span></span>.</p>
<div class="grimoire-check" data-search-exclude>checked mark</div>
<div class="grimoire-cards" hidden><template id="c"><p>card words</p></template></div></article></body></html>"""


def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "kl").mkdir(parents=True)
    (root / "kl" / "index.html").write_text(PAGE, "utf-8")
    (root / "index.html").write_text("<html><body><p>Not marked, not indexed.</p></body></html>", "utf-8")
    return root


def fake_pagefind(tmp_path: Path, script: str) -> Path:
    """A pagefind package whose platform binary is the shell ``script``."""
    modules = tmp_path / "fake" / "node_modules"
    (modules / "pagefind").mkdir(parents=True)
    (modules / "pagefind" / "package.json").write_text("{}", "utf-8")
    real = pagefind_binary(PAGEFIND)
    assert real is not None
    binary = modules / "@pagefind" / real.parent.parent.name / "bin" / real.name
    binary.parent.mkdir(parents=True)
    binary.write_text("#!/bin/sh\n" + script, "utf-8")
    binary.chmod(0o755)
    return modules / "pagefind"


LEAN = pytest.mark.parametrize("lean", [False, True], ids=["site as built", "lean copy"])


def copy_dir(tmp_path: Path, lean: bool) -> Path | None:
    return tmp_path / "search-copy" if lean else None


@LEAN
def test_the_article_is_indexed_without_chrome_marks_cards_or_glyphs(tmp_path: Path, lean: bool) -> None:
    root = site(tmp_path)
    assert index_site(PAGEFIND, root, timeout=120, copy_dir=copy_dir(tmp_path, lean)) == []
    pages = indexed_pages(root)
    assert list(pages) == ["/kl/"]
    page = pages["/kl/"]
    assert page["content"].startswith("KL divergence. Compares two distributions P.")
    for left_out in ("Navigation", "¶", "GLYPHS", "checked mark", "card words", "Not marked"):
        assert left_out not in page["content"], left_out
    assert page["meta"]["names"] == '["Kullback-Leibler divergence"]'
    assert (root / "pagefind" / "pagefind.js").is_file()
    assert not (tmp_path / "search-copy").exists()  # the lean copy goes once Pagefind has read it


@LEAN
def test_two_runs_write_identical_bytes(tmp_path: Path, lean: bool) -> None:
    first, second = site(tmp_path / "a"), site(tmp_path / "b")
    assert index_site(PAGEFIND, first, timeout=120, copy_dir=copy_dir(tmp_path / "a", lean)) == []
    assert index_site(PAGEFIND, second, timeout=120, copy_dir=copy_dir(tmp_path / "b", lean)) == []
    files = sorted(p.relative_to(first) for p in (first / "pagefind").rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in (second / "pagefind").rglob("*") if p.is_file())
    assert all((first / f).read_bytes() == (second / f).read_bytes() for f in files)


def test_missing_pagefind_says_to_run_make_install(tmp_path: Path) -> None:
    (problem,) = index_site(tmp_path / "node_modules" / "pagefind", site(tmp_path))
    assert problem.path == "package.json" and "Pagefind is not installed" in problem.message
    assert "make install" in problem.hint


def test_no_binary_for_this_platform_is_one_problem(tmp_path: Path) -> None:
    package = tmp_path / "node_modules" / "pagefind"
    package.mkdir(parents=True)
    (package / "package.json").write_text("{}", "utf-8")  # installed with --no-optional: no platform package
    command, problem = pagefind_command(package, site(tmp_path))
    assert command is None and problem is not None and "has no binary for this platform" in problem.message
    assert "make install" in problem.hint


def test_a_failing_run_is_one_problem_with_its_message(tmp_path: Path) -> None:
    fake = fake_pagefind(tmp_path, 'echo "Error: could not read the site" >&2; exit 3\n')
    (problem,) = index_site(fake, site(tmp_path), timeout=60)
    assert "Pagefind failed to index the built site (exit status 3)" in problem.message
    assert "could not read the site" in problem.detail and problem.hint


@LEAN
def test_a_run_past_its_time_limit_is_stopped_and_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           lean: bool) -> None:
    fake = fake_pagefind(tmp_path, "exec sleep 120\n")
    monkeypatch.setenv("GRIMOIRE_SEARCH_TIMEOUT", "1.5")
    (problem,) = index_site(fake, site(tmp_path), copy_dir=copy_dir(tmp_path, lean))
    assert "did not finish indexing the built site within 1.5 s" in problem.message
    assert "GRIMOIRE_SEARCH_TIMEOUT" in problem.hint


@LEAN
def test_in_the_background_a_newer_run_replaces_the_older_silently(tmp_path: Path, lean: bool) -> None:
    fake = fake_pagefind(tmp_path, "exec sleep 60\n")
    reports = []
    background = BackgroundIndex(fake, reports.append)
    root = site(tmp_path)
    background.start(root, timeout=120, copy_dir=copy_dir(tmp_path, lean))
    assert background.running()
    # A newer build: the first run is killed, and says nothing.
    background.start(root, timeout=120, copy_dir=copy_dir(tmp_path, lean))
    background.stop()
    assert not background.running() and reports == []


def test_in_the_background_problems_are_reported_when_the_run_ends(tmp_path: Path) -> None:
    reports = []
    background = BackgroundIndex(fake_pagefind(tmp_path, "exit 4\n"), reports.append)
    background.start(site(tmp_path), timeout=60)
    background.wait(60)
    (problems,) = reports
    assert [p.message for p in problems] == ["Pagefind failed to index the built site (exit status 4)"]
    good = []
    root = site(tmp_path / "ok")
    ok = BackgroundIndex(PAGEFIND, good.append)
    ok.start(root, timeout=120, copy_dir=tmp_path / "search-copy")
    ok.wait(120)
    assert good == [[]] and list(indexed_pages(root)) == ["/kl/"]
    assert not (tmp_path / "search-copy").exists()


@pytest.mark.parametrize("value", ["soon", "0", "-3", "inf"])
def test_an_unusable_time_limit_is_reported_and_the_default_used(tmp_path: Path, monkeypatch, value: str) -> None:
    monkeypatch.setenv("GRIMOIRE_SEARCH_TIMEOUT", value)
    (problem,) = index_site(PAGEFIND, site(tmp_path))
    assert problem.path == "GRIMOIRE_SEARCH_TIMEOUT" and repr(value) in problem.message and "using 300" in problem.message
    assert list(indexed_pages(tmp_path / "site")) == ["/kl/"]  # indexed all the same
