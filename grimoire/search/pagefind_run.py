"""Runs the Pagefind indexer on a built site, in its own process, bounded in time.

Pagefind (npm package ``pagefind``, pinned in ``package-lock.json`` and
installed by ``npm ci``) reads the site's HTML and writes ``pagefind/``: its
browser script, its WebAssembly and the index in small fragments. Its binary
comes in the optional dependency npm installed for this platform
(``@pagefind/linux-x64``, ...); it is run directly, not through the package's
Node launcher, so that stopping it (time limit, a newer ``mkdocs serve``
build, the build's end) stops the indexer itself, and on Linux it dies with
the build (``PR_SET_PDEATHSIG``, as the workers do). Nothing is downloaded.

What is indexed: each page's article (``page_markup`` marks it), less what no
query should find or show in an excerpt, left out with ``EXCLUDED``. A build
gives a folder for a lean copy of the site (``lean_copy``): the indexing
process writes it, then becomes Pagefind and reads it, with less memory than
the site as built takes (its docstring has the measurements).

A missing Pagefind, a run that fails or outlives its time limit, each is one
``Problem`` with what to do; the build reports it with the others.
``BackgroundIndex`` runs the same command without blocking, for ``mkdocs
serve``: a reloaded page shows at once, its search catches up a moment later.
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from ..workers.lifeline import set_parent_death_signal
from ..problems import Problem

# npm's names for this platform, as Pagefind's own launcher (lib/resolveBinary.js) spells them.
_PLATFORMS = {"linux": "linux", "darwin": "darwin", "win32": "windows", "freebsd": "freebsd"}
_ARCHITECTURES = {"x86_64": "x64", "amd64": "x64", "aarch64": "arm64", "arm64": "arm64"}
_EXECUTABLES = ("pagefind_extended", "pagefind")
OUTPUT_DIR = "pagefind"
_ENGINE_PARENT = Path(__file__).resolve().parents[2]
DEFAULT_TIMEOUT = 300.0  # seconds; GRIMOIRE_SEARCH_TIMEOUT overrides it
# Never the answer to a query, never in an excerpt:
EXCLUDED = (
    "[data-search-exclude]",  # formula marks, figures, notebook prompts (as for Material's own search)
    ".headerlink",  # the "¶" after each heading
    ".anchor-link",  # the same in notebooks
    ".grimoire-cite__paper",  # the "summary" mark after a citation of a paper the site summarizes
    ".grimoire-paper__links",  # a paper page's DOI / arXiv links ...
    ".grimoire-paper__cite",  # ... and its BibTeX (the reference itself and the venue are indexed)
    ".grimoire-cards",  # hover-card templates, hidden until hovered
    "template",
    "nav.md-tags",  # the page's tags, shown above its title
    ".katex-html",  # a formula's typeset glyphs (hidden from screen readers too) ...
    ".katex-mathml semantics > :not(annotation)",  # ... and its MathML: a formula is indexed as its TeX
)
_TAIL_LINES = 20
_PACKAGE_HINT = "run `make install` (npm ci installs the Pagefind pinned in package-lock.json)"


def search_timeout() -> tuple[float, Problem | None]:
    """Seconds one indexing may take (``GRIMOIRE_SEARCH_TIMEOUT`` or the default), and a problem if it is unusable."""
    value = os.environ.get("GRIMOIRE_SEARCH_TIMEOUT", "").strip()
    if not value:
        return DEFAULT_TIMEOUT, None
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if seconds > 0 and seconds != float("inf"):
        return seconds, None
    return DEFAULT_TIMEOUT, Problem("GRIMOIRE_SEARCH_TIMEOUT", None, f"expected a positive number of seconds, "
                                    f"not {value!r}; using {DEFAULT_TIMEOUT:g}", hint="e.g. GRIMOIRE_SEARCH_TIMEOUT=600")


def pagefind_binary(package: Path) -> Path | None:
    """The Pagefind executable npm installed beside ``package`` (node_modules/pagefind) for this platform."""
    system = _PLATFORMS.get(sys.platform.rstrip("0123456789"))
    arch = _ARCHITECTURES.get(platform.machine().lower())
    if system is None or arch is None:
        return None
    folder = package.parent / "@pagefind" / f"{system}-{arch}" / "bin"
    suffix = ".exe" if system == "windows" else ""
    return next((folder / (name + suffix) for name in _EXECUTABLES if (folder / (name + suffix)).is_file()), None)


def pagefind_command(package: Path, site_dir: Path, copy_dir: Path | None = None
                     ) -> tuple[list[str] | None, Problem | None]:
    """The command indexing ``site_dir`` with the Pagefind of ``package``, or why there is none.

    With ``copy_dir``, Pagefind reads a lean copy of the site written there first (``lean_copy``).
    """
    if not (package / "package.json").is_file():
        return None, Problem("package.json", None, f"Pagefind is not installed ({package} is missing), "
                             "so the site has no search index", hint=_PACKAGE_HINT)
    binary = pagefind_binary(package)
    if binary is None:
        return None, Problem("package.json", None, f"Pagefind has no binary for this platform ({sys.platform}, "
                             f"{platform.machine()}) under {package.parent / '@pagefind'}, so the site has no "
                             "search index", hint=_PACKAGE_HINT + "; npm skips it with --no-optional")
    if copy_dir is None:
        command = [str(binary), "--site", str(site_dir), "--output-subdir", OUTPUT_DIR, "--silent"]
    else:  # the lean copy is written by the indexing process itself, which then becomes Pagefind
        command = [sys.executable, "-m", "grimoire.search.lean_copy", str(site_dir), str(copy_dir), "--",
                   str(binary), "--site", str(copy_dir), "--output-path", str(site_dir / OUTPUT_DIR), "--silent"]
    for selector in EXCLUDED:
        command += ["--exclude-selectors", selector]
    return command, None


def _start(command: list[str]) -> subprocess.Popen:
    linux = sys.platform.startswith("linux")
    # The lean copy runs this engine's own module, wherever the engine was imported from.
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(_ENGINE_PARENT), os.environ.get("PYTHONPATH")]))}
    return subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, encoding="utf-8", errors="replace", env=env,
                            preexec_fn=set_parent_death_signal if linux else None)


def run_failure(site_dir: Path, returncode: int, output: str) -> Problem:
    """The problem of an indexing run that exited with ``returncode``, with the end of what it printed."""
    tail = "\n".join(output.strip().splitlines()[-_TAIL_LINES:])
    return Problem(str(site_dir), None, f"Pagefind failed to index the built site (exit status {returncode})",
                   detail=tail, hint="read Pagefind's message above; the site's HTML may be unreadable, or the disk full")


def timeout_problem(site_dir: Path, seconds: float) -> Problem:
    return Problem(str(site_dir), None, f"Pagefind did not finish indexing the built site within {seconds:g} s; "
                   "it was stopped and the site has no search index",
                   hint="set GRIMOIRE_SEARCH_TIMEOUT to more seconds if the site is that large")


def index_site(package: Path, site_dir: Path, timeout: float | None = None, copy_dir: Path | None = None
               ) -> list[Problem]:
    """Indexes ``site_dir`` in place (into ``site_dir/pagefind``) with the Pagefind in ``package``; the problems.

    ``copy_dir``: where the lean copy Pagefind reads goes (see ``lean_copy``); None to read the site itself.
    """
    command, missing = pagefind_command(package, site_dir, copy_dir)
    if command is None:
        return [missing] if missing else []
    setting, unusable = search_timeout() if timeout is None else (timeout, None)
    problems = [unusable] if unusable else []
    seconds = setting
    process = _start(command)
    try:
        output, _ = process.communicate(timeout=seconds)
    except subprocess.TimeoutExpired:
        _stop(process)
        return [*problems, timeout_problem(site_dir, seconds)]
    except BaseException:  # Ctrl-C: the indexer must not outlive the build
        _stop(process)
        raise
    finally:
        _remove(copy_dir)
    return problems if process.returncode == 0 else [*problems, run_failure(site_dir, process.returncode, output)]


def _remove(copy_dir: Path | None) -> None:
    """The lean copy is needed only while Pagefind reads it: a site's worth of HTML left in the cache otherwise."""
    if copy_dir is not None:
        shutil.rmtree(copy_dir, ignore_errors=True)


def _stop(process: subprocess.Popen) -> None:
    process.kill()
    process.communicate()


class BackgroundIndex:
    """At most one indexing at a time, off the build's path (``mkdocs serve``).

    ``start`` stops the run of an earlier build, if any, then indexes in a
    thread; ``report`` receives its problems. ``stop`` ends a run in progress.
    """

    def __init__(self, package: Path, report: Callable[[Sequence[Problem]], None]) -> None:
        self.package = package
        self.report = report
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None
        self._thread: threading.Thread | None = None

    def start(self, site_dir: Path, timeout: float | None = None, copy_dir: Path | None = None) -> None:
        self.stop()
        command, missing = pagefind_command(self.package, site_dir, copy_dir)
        if command is None:
            self.report([missing] if missing else [])
            return
        seconds, unusable = search_timeout() if timeout is None else (timeout, None)
        if unusable:
            self.report([unusable])
        process = _start(command)
        with self._lock:
            self._process = process
        self._thread = threading.Thread(target=self._wait, args=(process, site_dir, seconds, copy_dir), daemon=True,
                                        name="grimoire-search-index")
        self._thread.start()

    def _wait(self, process: subprocess.Popen, site_dir: Path, seconds: float, copy_dir: Path | None) -> None:
        try:
            output, _ = process.communicate(timeout=seconds)
        except subprocess.TimeoutExpired:
            _stop(process)
            problems = [timeout_problem(site_dir, seconds)]
        else:
            problems = [] if process.returncode == 0 else [run_failure(site_dir, process.returncode, output)]
        finally:
            _remove(copy_dir)  # before ``stop`` returns (it joins this thread), so a newer run's copy is safe
        with self._lock:  # stopped by ``stop`` (a newer build replaced it): nothing to report
            replaced = self._process is not process
            if not replaced:
                self._process = None
        if not replaced:
            self.report(problems)

    def running(self) -> bool:
        with self._lock:
            return self._process is not None

    def wait(self, timeout: float | None = None) -> None:
        """Waits for the run in progress (tests, and the end of a session)."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def stop(self) -> None:
        with self._lock:
            process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.kill()
        thread = self._thread
        if thread is not None:
            thread.join()
            self._thread = None
