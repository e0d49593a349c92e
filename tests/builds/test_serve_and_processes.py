"""`mkdocs serve` shows this build's check results and keeps serving; ending a build leaves no process."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

from tests.conftest import MKDOCS

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def _wait_for(predicate, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def _stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def _tagged(tag: str) -> list[int]:
    """Pids of live processes whose environment holds ``GRIMOIRE_TEST_TAG=tag``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
            state = (entry / "stat").read_text().split()[2]
        except OSError:
            continue
        if f"GRIMOIRE_TEST_TAG={tag}".encode() in environ.split(b"\0") and state != "Z":
            found.append(int(entry.name))
    return found


def test_serve_turns_a_failing_mark_red_and_green_again_without_restarting(project) -> None:
    page = project.root / "glossary/squares.md"
    good = page.read_text("utf-8")
    page.write_text(good.replace("x_i^2", "x_i^3"), "utf-8")
    port = _free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    log = (project.root / "serve.log").open("w", encoding="utf-8")
    server = subprocess.Popen(
        [str(MKDOCS), "serve", "--dev-addr", f"127.0.0.1:{port}", "-f", str(project.root / "mkdocs.yml")],
        cwd=project.root, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/glossary/squares/"
    try:
        red = _wait_for(lambda: (html := _get(url)) and "grimoire-check--" in html and html, 90, "the first build")
        assert "grimoire-check--failed" in red and "left  =" in red
        page.write_text(good, "utf-8")
        green = _wait_for(lambda: (html := _get(url)) and "grimoire-check--passed" in html and html, 90,
                          "the rebuild after the fix")
        assert "grimoire-check--failed" not in green
        # Search is indexed after each build, in the background: the index follows shortly.
        assert '"search": "../../assets/search-worker.js"' in green
        entry = _wait_for(lambda: _get(f"http://127.0.0.1:{port}/pagefind/pagefind-entry.json"), 60, "the search index")
        assert '"page_count":' in entry
        assert server.poll() is None  # still serving
    finally:
        _stop(server)
        log.close()


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_ending_a_build_leaves_no_process_behind(project, how) -> None:
    project.write("snippets/squares.py", "import time\n\n\ndef square_sum(x):\n    time.sleep(120)\n")
    tag = uuid.uuid4().hex
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "GRIMOIRE_TEST_TAG": tag}
    build = subprocess.Popen(
        [str(MKDOCS), "build", "-f", str(project.root / "mkdocs.yml"), "--site-dir", str(project.root / "site")],
        cwd=project.root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        # The build itself, the forkserver and at least one worker running the sleeping check.
        _wait_for(lambda: len(_tagged(tag)) >= 3, 60, "the worker processes")
        time.sleep(0.5)
        build.send_signal(how)
        build.wait(timeout=20)
        _wait_for(lambda: not _tagged(tag), 20, "every process of the build to end")
    finally:
        for pid in _tagged(tag):
            os.kill(pid, signal.SIGKILL)
        if build.poll() is None:
            build.kill()


OTHER = """
---
title: Other page
summary: A page that nothing links to at first.
tags: [Examples]
---

# Other page

Plain text.
"""

CUBES = """
---
title: Cubes
summary: The cube of a number.
tags: [Examples]
---

# Cubes

Compare with [[Sum of squares]].
"""


def _rendered(log_path: Path, after: int) -> tuple[int, list[str]]:
    """(length of the log, pages of the last "rendering N of M pages again" line after ``after``)."""
    text = log_path.read_text("utf-8")
    lines = [line for line in text[after:].splitlines() if "pages again:" in line]
    if not lines:
        return len(text), []
    return len(text), [p for p in lines[-1].split("pages again:", 1)[1].strip().split(", ") if p]


def test_serve_dirty_renders_again_exactly_the_pages_whose_inputs_changed(project) -> None:
    project.write("glossary/other.md", OTHER)
    project.write("glossary/cubes.md", CUBES)
    port = _free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    log_path = project.root / "serve.log"
    log = log_path.open("w", encoding="utf-8")
    server = subprocess.Popen(
        [str(MKDOCS), "serve", "--dirty", "--dev-addr", f"127.0.0.1:{port}", "-f", str(project.root / "mkdocs.yml")],
        cwd=project.root, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"

    def edit_and_wait(rel: str, old: str, new: str, url: str, shows: str) -> list[str]:
        size = len(log_path.read_text("utf-8"))
        path = project.root / rel
        path.write_text(path.read_text("utf-8").replace(old, new), "utf-8")
        _wait_for(lambda: shows in (_get(base + url) or ""), 90, f"{url} to show {shows!r}")
        return _wait_for(lambda: _rendered(log_path, size)[1], 30, "the rebuild's log line")

    try:
        first = _wait_for(lambda: _get(base + "/glossary/other/"), 90, "the first build")
        assert "Plain text." in first
        _, everything = _rendered(log_path, 0)
        assert {"glossary/cubes.md", "glossary/other.md", "glossary/squares.md", "index.md"} <= set(everything)

        # Text of a page nothing links to: that page alone.
        rendered = edit_and_wait("glossary/other.md", "Plain text.", "Plain text, edited.", "/glossary/other/",
                                 "Plain text, edited.")
        assert rendered == ["glossary/other.md"]

        # A new link: the linking page, and the linked page's "Used in" list.
        rendered = edit_and_wait("glossary/cubes.md", "Compare with", "See [[Other page]]. Compare with",
                                 "/glossary/other/", 'id="used-in"')
        assert sorted(rendered) == ["glossary/cubes.md", "glossary/other.md"]
        assert "Cubes" in _get(base + "/glossary/other/").split('id="used-in"', 1)[1]

        # A snippet: the page whose check binds it is re-checked, its source page, the coverage page (which
        # counts every check's result) and the coverage part listing that page's formulas are shown again; the
        # pages linking to that page keep their HTML.
        rendered = edit_and_wait("snippets/squares.py", "v * v", "v ** 3", "/glossary/squares/",
                                 "grimoire-check--failed")
        assert sorted(rendered) == ["formulas.md", "formulas/1.md", "glossary/squares.md", "snippets/squares.md"]

        # A title of a tagged page: the tags page lists it, so every page is rendered again.
        rendered = edit_and_wait("glossary/other.md", "title: Other page", "title: Another page",
                                 "/glossary/cubes/", "Another page")
        assert {"glossary/cubes.md", "glossary/squares.md", "index.md"} <= set(rendered)
        assert server.poll() is None
    finally:
        _stop(server)
        log.close()
