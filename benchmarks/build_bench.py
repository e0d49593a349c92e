"""Build-time math benchmark: `make bench` (or `python -m benchmarks.build_bench`).

Measures, in one run and on one machine:

1. Renderer throughput: every formula of the site's Markdown pages, plus
   distinct variants of them up to ``--formulas``, rendered cold (empty cache)
   through one KaTeX process. Reported as formulas per second.
2. Whole-site builds, in-process, interleaved round by round so that machine
   noise hits every variant alike:
   - baseline: the same pages with client-side math (arithmatex output left
     for KaTeX in the browser, ``GRIMOIRE_MATH=client``);
   - cold: server-side math with the formula cache emptied;
   - warm: server-side math with the cache filled by the previous run.
   Reported as medians and as ratios to the baseline.

The notebook conversion cache of mkdocs-jupyter and the figure cache are
primed once before timing and kept, so every variant converts no notebook
and draws no figure, and the comparison isolates math ("cold" empties the
formula cache only; `python -m benchmarks.figure_bench` measures figures).
Targets (issue #2): >= 500 formulas/s cold; warm <= 1.2x and cold <= 2x baseline.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import markdown

from grimoire.layout import REPOSITORY_ROOT, content_files
from grimoire.macros import default_macros_path, load_macros
from grimoire.mathrender.katex_process import RenderRequest
from grimoire.mathrender.page_math import find_formulas
from grimoire.mathrender.renderer import MathRenderer


def site_formulas(root: Path) -> list[RenderRequest]:
    """Every formula of the Markdown content pages, as arithmatex finds them."""
    found: list[RenderRequest] = []
    for rel in content_files(root):
        if not rel.endswith(".md"):
            continue
        md = markdown.Markdown(
            extensions=["pymdownx.arithmatex"], extension_configs={"pymdownx.arithmatex": {"generic": True}}
        )
        html = md.convert((root / rel).read_text("utf-8"))
        found += [RenderRequest(f.tex, f.display) for f in find_formulas(html)]
    return found


def corpus(base: list[RenderRequest], size: int) -> list[RenderRequest]:
    """``size`` distinct formulas: the site's own, then variants of them."""
    out = list(dict.fromkeys(base))
    k = 0
    while len(out) < size:
        src = base[k % len(base)]
        out.append(RenderRequest(f"{src.tex} + \\epsilon_{{{k}}}", src.display))
        k += 1
    return out[:size]


def renderer_throughput(requests: list[RenderRequest], rounds: int) -> tuple[float, float]:
    """Median cold formulas/s, and the median time to start the renderer."""
    rates, startups = [], []
    macros = load_macros(default_macros_path())
    for _ in range(rounds):
        renderer = MathRenderer(REPOSITORY_ROOT / "node_modules" / "katex", macros, None)
        t0 = time.perf_counter()
        renderer.render(requests[:1])
        t1 = time.perf_counter()
        renderer.render(requests[1:])
        t2 = time.perf_counter()
        renderer.close()
        startups.append(t1 - t0)
        rates.append((len(requests) - 1) / (t2 - t1))
    return statistics.median(rates), statistics.median(startups)


def timed_build(site_dir: Path, env: dict[str, str]) -> float:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        config = load_config(str(REPOSITORY_ROOT / "mkdocs.yml"), site_dir=str(site_dir), strict=True)
        t0 = time.perf_counter()
        build(config)
        return time.perf_counter() - t0
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--formulas", type=int, default=3000, help="corpus size for renderer throughput")
    parser.add_argument("--rounds", type=int, default=5, help="rounds of each measurement")
    args = parser.parse_args()
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    os.environ["NO_MKDOCS_2_WARNING"] = "1"

    base = site_formulas(REPOSITORY_ROOT)
    requests = corpus(base, args.formulas)
    rate, startup = renderer_throughput(requests, args.rounds)
    print(f"site formulas (Markdown pages): {len(base)} ({len(set(base))} distinct)")
    print(f"renderer, cold, {len(requests)} distinct formulas: {rate:,.0f} formulas/s (median of {args.rounds}); "
          f"process start + first formula {startup * 1000:.0f} ms   target >= 500/s")

    work = Path(tempfile.mkdtemp(prefix="grimoire-bench-"))
    try:
        cache = work / "cache"
        server = {"GRIMOIRE_MATH": "server", "GRIMOIRE_CACHE_DIR": str(cache)}
        client = {"GRIMOIRE_MATH": "client", "GRIMOIRE_CACHE_DIR": str(cache)}
        timed_build(work / "prime", server)  # primes the notebook and figure caches
        times: dict[str, list[float]] = {"baseline": [], "cold": [], "warm": []}
        for _ in range(args.rounds):
            times["baseline"].append(timed_build(work / "b", client))
            (cache / "katex.sqlite3").unlink(missing_ok=True)
            times["cold"].append(timed_build(work / "c", server))
            times["warm"].append(timed_build(work / "w", server))
        med = {k: statistics.median(v) for k, v in times.items()}
        print(f"site build, median of {args.rounds} interleaved rounds:")
        print(f"  baseline (client-side math): {med['baseline']:.3f} s")
        print(f"  cold (server-side, empty cache): {med['cold']:.3f} s   ratio {med['cold'] / med['baseline']:.2f}x   target <= 2.0x")
        print(f"  warm (server-side, cached):      {med['warm']:.3f} s   ratio {med['warm'] / med['baseline']:.2f}x   target <= 1.2x")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
