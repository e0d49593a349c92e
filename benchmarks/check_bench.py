"""What the build's formula checks cost: `make bench` (or `python -m benchmarks.check_bench`).

Whole-site strict builds, in-process, interleaved round by round so that
machine noise hits every variant alike, each with and without the formula
checks (``GRIMOIRE_CHECKS=off``: the same build, no check planned):

- cold: every Grimoire cache empty (formulas, figures, check results), as
  on a fresh clone; the checks then run in the worker pool beside the
  figures while MkDocs renders the pages;
- warm: every cache filled by an earlier build; no check runs.

Reported as medians and as ratios of the build with checks to the build
without. Targets (issue #9): cold <= 1.5x, warm <= 1.05x. The notebook
conversion cache of mkdocs-jupyter is primed once and kept (it is not
Grimoire's). Also printed: the checks alone, run serially in this process
(the per-formula cost).
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

from mkdocs.exceptions import Abort, PluginError

from benchmarks.build_bench import timed_build

OFF = {"GRIMOIRE_CHECKS": "off"}


def build_seconds(site_dir: Path, env: dict[str, str]) -> float:
    """Wall time of one build; a build without checks ends by reporting that (measured to that point)."""
    started = time.perf_counter()
    try:
        return timed_build(site_dir, env)
    except (PluginError, Abort):
        if env.get("GRIMOIRE_CHECKS") != "off":
            raise
        return time.perf_counter() - started


def serial_checks() -> tuple[int, float]:
    from grimoire.checks.jobs import CheckJob
    from grimoire.checks.worker import run
    from grimoire.formulacheck.blocks import CheckBlock, DoctestBlock
    from grimoire.formulacheck.pages import items_of_page, project_root, site_macros, site_pages

    macros, root = site_macros(), project_root()
    items = [i for p in site_pages() for i in items_of_page(p) if isinstance(i.block, (CheckBlock, DoctestBlock))]
    started = time.perf_counter()
    for item in items:
        result = run(CheckJob("bench", str(root), item, macros, None, 60.0))
        if not result.ok:
            raise SystemExit(f"{item.id}: {result.kind}: {result.message}")
    return len(items), time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    # A warm build here varies by about 25% from one run to the next on a 2-core machine: 5 rounds, not 3,
    # before a median settles.
    parser.add_argument("--rounds", type=int, default=5, help="rounds of each measurement")
    args = parser.parse_args()
    logging.getLogger("mkdocs").setLevel(logging.CRITICAL)
    os.environ["NO_MKDOCS_2_WARNING"] = "1"

    count, seconds = serial_checks()
    print(f"formula checks, serial in one process: {count} in {seconds:.2f} s ({seconds / count * 1000:.0f} ms each)")

    work = Path(tempfile.mkdtemp(prefix="grimoire-check-bench-"))
    try:
        warm = {"GRIMOIRE_CACHE_DIR": str(work / "warm")}
        build_seconds(work / "prime", warm)  # fills every cache, notebooks' included
        times: dict[str, list[float]] = {k: [] for k in ("cold-off", "cold-on", "warm-off", "warm-on")}
        for r in range(args.rounds):
            for name, env in (("cold-off", OFF), ("cold-on", {})):
                cache = work / f"cold-{name}-{r}"
                times[name].append(build_seconds(work / "site", {**env, "GRIMOIRE_CACHE_DIR": str(cache)}))
                shutil.rmtree(cache, ignore_errors=True)
            times["warm-off"].append(build_seconds(work / "site", {**OFF, **warm}))
            times["warm-on"].append(build_seconds(work / "site", warm))
        med = {k: statistics.median(v) for k, v in times.items()}
        print(f"site build, median of {args.rounds} interleaved rounds (without checks -> with checks):")
        print(f"  cold (every cache empty): {med['cold-off']:.2f} s -> {med['cold-on']:.2f} s   "
              f"ratio {med['cold-on'] / med['cold-off']:.2f}x   target <= 1.5x")
        print(f"  warm (every cache full):  {med['warm-off']:.2f} s -> {med['warm-on']:.2f} s   "
              f"ratio {med['warm-on'] / med['warm-off']:.2f}x   target <= 1.05x")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
