"""Scale benchmark: `make bench-scale` (or `python -m benchmarks.scale_bench --pages 500,2000,5000`).

Builds copies of the real site grown to each size by cloning its glossary
pages (``benchmarks.scale_site``) and prints, in one run, for each size:

- per-page build time, cold (empty Grimoire cache: every formula typeset,
  checked and every figure drawn) and warm (the same build again), each a
  strict ``mkdocs build`` in its own process;
- the peak resident memory of the build (the largest process: the build
  itself, its KaTeX process or a worker);
- bytes per page: the median and largest HTML page, and the median of the
  cloned glossary pages (their sidebar is what grew with the site);
- bytes a reader's first search fetches, and the time to its results, in
  headless Chromium (``benchmarks.search_probe``);
- under ``mkdocs serve --dirty``, the seconds from saving an edit to a page
  until the served page shows it (median of three edits).

Ratios are against the smallest size of the same run: the goals are per-page
time within 1.2x and page size within 1.5x from 500 to 5,000 pages, peak
memory under 1.5 GB, a first search under 1 MB and 300 ms, an edit visible
within 3 s. Timings are of this machine as it is: run it on a quiet one.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

from benchmarks.scale_site import make_site
from grimoire.layout import REPOSITORY_ROOT

MKDOCS = Path(sys.executable).with_name("mkdocs")
SEARCHES = ("softmax", "KL", "log loss")


@dataclass
class Figures:
    pages: int
    cold_s: float = 0.0
    warm_s: float = 0.0
    peak_mb: float = 0.0
    median_page_kb: float = 0.0
    largest_page_kb: float = 0.0
    clone_page_kb: float = 0.0
    search_kb: float | None = None
    search_ms: float | None = None
    edit_s: list[float] = field(default_factory=list)

    @property
    def cold_ms_per_page(self) -> float:
        return 1000 * self.cold_s / self.pages

    @property
    def warm_ms_per_page(self) -> float:
        return 1000 * self.warm_s / self.pages


def timed_build(root: Path, out: Path, cache: Path) -> tuple[float, float]:
    """(seconds, peak resident MB of the largest process) of a strict build of ``root`` into ``out``."""
    env = {**os.environ, "GRIMOIRE_CACHE_DIR": str(cache), "NO_MKDOCS_2_WARNING": "1"}
    log = (out.parent / f"{out.name}.log").open("w")
    began = time.perf_counter()
    child = subprocess.Popen([str(MKDOCS), "build", "--strict", "-q", "-d", str(out)], cwd=root, env=env,
                             stdout=log, stderr=subprocess.STDOUT)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - began
    child.returncode = os.waitstatus_to_exitcode(status)  # reaped here, for its resource usage
    log.close()
    if status != 0:  # the log goes with a temporary work folder: what it says is in the message
        said = Path(log.name).read_text("utf-8", "replace").splitlines()
        raise SystemExit(f"the build of {root} failed:\n" + "\n".join(said[-40:]))
    return seconds, usage.ru_maxrss / 1024  # Linux reports kilobytes


def page_sizes(site: Path) -> tuple[float, float, float]:
    """(median, largest, median of cloned glossary pages) HTML page sizes in kB."""
    sizes = {p: p.stat().st_size / 1024 for p in site.rglob("*.html")}
    clones = [kb for p, kb in sizes.items() if p.parent.parent.name == "glossary" and "-c" in p.parent.name]
    return statistics.median(sizes.values()), max(sizes.values()), statistics.median(clones or [0.0])


def first_search(site: Path) -> tuple[float, float]:
    """(largest kB fetched, median ms to results) of a reader's first search for each of ``SEARCHES``,
    each in a fresh browser (``benchmarks.search_probe``)."""
    from benchmarks.search_probe import first_search as probe

    queries = probe(site, SEARCHES).queries
    return max(q.first_search_bytes for q in queries) / 1024, statistics.median(q.first_search_ms for q in queries)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def _wait(predicate, seconds: float) -> float:
    began = time.perf_counter()
    while time.perf_counter() - began < seconds:
        if predicate():
            return time.perf_counter() - began
        time.sleep(0.05)
    raise SystemExit(f"gave up after {seconds:.0f} s")


def serve_edits(root: Path, cache: Path, edits: int = 3) -> list[float]:
    """Seconds from saving an edit to a cloned page until `mkdocs serve --dirty` serves it, per edit."""
    page = next(p for p in sorted((root / "glossary").glob("*-c1.md")))
    url_path = f"/glossary/{page.stem}/"
    port = _free_port()
    env = {**os.environ, "GRIMOIRE_CACHE_DIR": str(cache), "NO_MKDOCS_2_WARNING": "1"}
    log = (root / "serve.log").open("w")
    server = subprocess.Popen([str(MKDOCS), "serve", "--dirty", "--dev-addr", f"127.0.0.1:{port}"], cwd=root,
                              env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(lambda: "</html>" in _get(base + url_path), 3600)
        times = []
        run = secrets.token_hex(4)  # a kept site's page holds the markers of earlier runs
        for k in range(edits):
            marker = f"scale-bench-edit-{run}-{k}"
            text = page.read_text("utf-8")
            time.sleep(1.0)  # a quiet moment between edits, as an author's are
            began = time.perf_counter()
            page.write_text(text.rstrip() + f"\n\nEdited: {marker}.\n", "utf-8")
            _wait(lambda: marker in _get(base + url_path), 600)
            times.append(time.perf_counter() - began)
        return times
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def measure(size: int, work: Path, serve: bool, search: bool) -> Figures:
    root = work / f"site-{size}"
    pages = make_site(root, size)
    cache = work / f"cache-{size}"
    figures = Figures(pages)
    figures.cold_s, cold_peak = timed_build(root, work / f"out-{size}-cold", cache)
    figures.warm_s, warm_peak = timed_build(root, work / f"out-{size}", cache)
    figures.peak_mb = max(cold_peak, warm_peak)
    site = work / f"out-{size}"
    figures.pages = sum(1 for _ in site.rglob("*.html")) - 1  # not the 404 page
    figures.median_page_kb, figures.largest_page_kb, figures.clone_page_kb = page_sizes(site)
    shutil.rmtree(work / f"out-{size}-cold", ignore_errors=True)
    if search:
        figures.search_kb, figures.search_ms = first_search(site)
    if serve:
        figures.edit_s = serve_edits(root, cache)
    return figures


def report(rows: list[Figures]) -> str:
    base = rows[0]
    lines = [
        "| pages | cold ms/page | warm ms/page | peak MB | median page kB | clone page kB | largest page kB "
        "| first search kB | search ms | serve edit s |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        def ratio(value: float, ref: float) -> str:
            return "" if r is base or not ref else f" ({value / ref:.2f}x)"

        search = "–" if r.search_kb is None else f"{r.search_kb:.0f}"
        search_ms = "–" if r.search_ms is None else f"{r.search_ms:.0f}"
        edit = "–" if not r.edit_s else f"{statistics.median(r.edit_s):.1f}"
        lines.append(
            f"| {r.pages:,} | {r.cold_ms_per_page:.0f}{ratio(r.cold_ms_per_page, base.cold_ms_per_page)} "
            f"| {r.warm_ms_per_page:.0f}{ratio(r.warm_ms_per_page, base.warm_ms_per_page)} | {r.peak_mb:.0f} "
            f"| {r.median_page_kb:.0f}{ratio(r.median_page_kb, base.median_page_kb)} "
            f"| {r.clone_page_kb:.0f}{ratio(r.clone_page_kb, base.clone_page_kb)} | {r.largest_page_kb:.0f} "
            f"| {search} | {search_ms} | {edit} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", default="500,2000,5000", help="comma-separated site sizes")
    parser.add_argument("--no-serve", action="store_true", help="skip the serve edit-to-visible measurement")
    parser.add_argument("--no-search", action="store_true", help="skip the first-search measurement")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it (default: a temporary one)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    sizes = [int(s) for s in args.pages.split(",")]
    work = args.keep or Path(tempfile.mkdtemp(prefix="grimoire-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    rows = []
    try:
        for size in sizes:
            rows.append(measure(size, work, serve=not args.no_serve, search=not args.no_search))
            # The figures so far, as they come: a run of an hour should not lose them to a later failure.
            print(f"measured {rows[-1].pages:,} pages\n{report(rows)}", file=sys.stderr, flush=True)
            if args.json:
                args.json.write_text(json.dumps([asdict(r) for r in rows], indent=2), "utf-8")
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    print(report(rows))


if __name__ == "__main__":
    main()
