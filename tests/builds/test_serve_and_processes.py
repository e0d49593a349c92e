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
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
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
