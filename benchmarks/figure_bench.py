"""Figure rendering benchmark: `python -m benchmarks.figure_bench`.

Measures, on a copy of the project's ``snippets/`` in a temporary folder:

1. Cold rendering: every pilot figure plus synthetic variants of them (a
   variant draws a pilot figure and adds its own title, so it costs the same
   and has its own cache key), ``--figures`` in all, drawn with an empty cache
   through the real pipeline (``FigureBuild``: plan, draw in worker processes,
   embed, fill), with 1 and with 2 workers. Worker start-up is included, as
   in a build. Reported as seconds and figures per second.
2. Warm: the same figures again with the cache filled: the wall time the
   build spends on figures (planning and cache keys, cache reads with digest
   checks, embedding and inlining). Target: under 0.3 s for 40 figures.

Each variant is measured ``--rounds`` times, interleaved, and the median kept.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import markdown

from grimoire.figures.build import FigureBuild
from grimoire.figures.references import find_references
from grimoire.figures.settings import FigureSettings
from grimoire.layout import REPOSITORY_ROOT, content_files
from grimoire.problems import ProblemLog

PAGE_SIZE = 10


def pilot_targets(root: Path) -> list[str]:
    targets: list[str] = []
    for rel in content_files(root):
        if rel.endswith(".md"):
            targets += [r.target for r in find_references((root / rel).read_text("utf-8"))]
    return list(dict.fromkeys(targets))


def make_project(base: Path, figures: int) -> tuple[Path, list[str]]:
    """A project holding the real snippets plus ``bench_variants.py``; returns it and its targets."""
    root = base / "project"
    shutil.copytree(REPOSITORY_ROOT / "snippets", root / "snippets", ignore=shutil.ignore_patterns("__pycache__"))
    pilots = pilot_targets(REPOSITORY_ROOT)
    lines = ["import importlib", ""]
    targets = list(pilots)
    for i in range(max(0, figures - len(pilots))):
        module, _, function = pilots[i % len(pilots)].rpartition(".")
        lines += [
            "",
            f"def variant_{i}():",
            f"    fig = importlib.import_module('snippets.{module}').{function}()",
            f"    fig.suptitle('variant {i}')",
            "    return fig",
            "",
        ]
        targets.append(f"bench_variants.variant_{i}")
    (root / "snippets" / "bench_variants.py").write_text("\n".join(lines), "utf-8")
    pages = root / "pages"
    pages.mkdir()
    for start in range(0, len(targets), PAGE_SIZE):
        refs = "\n\n".join(f'![Figure {t}](figure:{t} "Caption of {t}.")' for t in targets[start : start + PAGE_SIZE])
        (pages / f"page{start // PAGE_SIZE}.md").write_text(f"# Page\n\n{refs}\n", "utf-8")
    return root, targets


def run_build(root: Path, workers: int) -> FigureBuild:
    """One build's figure work, as the hooks drive it; Markdown conversion is not timed."""
    problems = ProblemLog()
    build = FigureBuild(root, root / ".cache" / "grimoire" / "figures", problems, FigureSettings(workers=workers))
    pages = sorted((root / "pages").glob("*.md"))
    html = {
        p: markdown.markdown(
            p.read_text("utf-8"),
            extensions=["pymdownx.arithmatex"],
            extension_configs={"pymdownx.arithmatex": {"generic": True}},
        )
        for p in pages
    }
    build.start((p.name, p) for p in pages)
    for p in pages:
        out = build.embed(html[p], p.name, p.read_text("utf-8"))
        build.fill(out, p.name)
    build.finish()
    if problems.problems:
        raise SystemExit("\n".join(pr.format() for pr in problems.problems))
    return build


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--figures", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="grimoire-figure-bench-") as tmp:
        root, targets = make_project(Path(tmp), args.figures)
        cache = root / ".cache"
        cold: dict[int, list[float]] = {1: [], 2: []}
        warm: list[float] = []
        drawing: list[float] = []
        for _ in range(args.rounds):
            for workers in (1, 2):
                shutil.rmtree(cache, ignore_errors=True)
                began = time.perf_counter()
                build = run_build(root, workers)
                cold[workers].append(time.perf_counter() - began)
                assert build.stats.drawn == len(targets), build.stats
            warm_build = run_build(root, 2)
            assert warm_build.stats.cached == len(targets) and warm_build.stats.drawn == 0
            warm.append(warm_build.stats.seconds)
            drawing.append(sum(p.outcome.seconds for p in build._plans.values() if p.outcome))

        n = len(targets)
        print(f"figures: {n} ({len(pilot_targets(REPOSITORY_ROOT))} pilot + synthetic variants), "
              f"median of {args.rounds} rounds")
        for workers in (1, 2):
            t = statistics.median(cold[workers])
            print(f"cold, {workers} worker{'s' if workers > 1 else ' '}: {t:6.2f} s  {n / t:6.1f} figures/s")
        speedup = statistics.median(cold[1]) / statistics.median(cold[2])
        print(f"speed-up with 2 workers: {speedup:.2f}x")
        print(f"time inside figure functions + saving (sum over figures): {statistics.median(drawing):.2f} s")
        t = statistics.median(warm)
        verdict = "OK" if t < 0.3 else "over target"
        print(f"warm build, figure work: {t * 1000:6.1f} ms for {n} cached figures (target < 300 ms: {verdict})")


if __name__ == "__main__":
    main()
