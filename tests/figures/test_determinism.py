"""Two renders of a figure give identical bytes, in-process or in a worker process."""

from __future__ import annotations

from grimoire.figures.jobs import DrawJob
from grimoire.workers.pool import WorkerPool as DrawQueue

from .conftest import STYLE

SNIPPETS = {
    "snippets/figure_style.mplstyle": STYLE,
    "snippets/noisy.py": """
        import numpy as np


        def scatter():
            from matplotlib.figure import Figure

            rng = np.random.default_rng(1)
            fig = Figure()
            ax = fig.subplots()
            ax.scatter(rng.normal(size=50), rng.normal(size=50), label="points")
            ax.plot(np.random.normal(size=20), color="C1", label="legacy global RNG")  # seeded by the worker
            ax.set_title("Text stays text: $\\\\alpha$")
            ax.legend()
            return fig
        """,
}


def test_identical_bytes_across_renders_and_processes(project, draw_in_process) -> None:
    root = project(SNIPPETS)
    first = draw_in_process(root, "noisy.scatter")
    second = draw_in_process(root, "noisy.scatter")
    assert first.ok and first.svg == second.svg
    queue = DrawQueue(workers=1)
    style = str(root / "snippets" / "figure_style.mplstyle")
    try:
        queue.submit(DrawJob("k", str(root), "noisy", "scatter", style, 20.0))
        in_worker = queue.result("k")
    finally:
        queue.close()
    assert in_worker.svg == first.svg


def test_the_svg_is_inlinable_text_is_text_and_colours_follow_the_theme(project, draw_in_process) -> None:
    svg = draw_in_process(project(SNIPPETS), "noisy.scatter").svg
    assert svg.startswith("<svg ") and "<?xml" not in svg and "<metadata" not in svg
    assert ">points</text>" in svg  # svg.fonttype: none
    assert "var(--grimoire-figure-c0, #5e35b1)" in svg and "var(--grimoire-figure-c1, #e65100)" in svg
    assert "currentColor" in svg and "#333333" not in svg
    assert "dc:date" not in svg.lower()
