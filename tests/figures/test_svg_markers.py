"""Markers written out as plain elements: the same drawing without ``<use>`` (Chromium's slow path)."""

from __future__ import annotations

import io
import math
import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from grimoire.figures.svg import clean_svg  # noqa: E402
from grimoire.figures.svg_markers import inline_markers  # noqa: E402

CIRCLE = (
    "M 0 1.5 C 0.397805 1.5 0.77937 1.341951 1.06066 1.06066 C 1.341951 0.77937 1.5 0.397805 1.5 0 "
    "C 1.5 -0.397805 1.341951 -0.77937 1.06066 -1.06066 C 0.77937 -1.341951 0.397805 -1.5 0 -1.5 "
    "C -0.397805 -1.5 -0.77937 -1.341951 -1.06066 -1.06066 C -1.341951 -0.77937 -1.5 -0.397805 -1.5 0 "
    "C -1.5 0.397805 -1.341951 0.77937 -1.06066 1.06066 C -0.77937 1.341951 -0.397805 1.5 0 1.5 z"
)


def _svg(defs: str, body: str) -> str:
    return f'<svg><defs>\n  {defs}\n </defs>\n<g clip-path="url(#p1)">{body}</g></svg>'


def test_a_circle_marker_becomes_a_circle_with_the_markers_style_winning() -> None:
    svg = inline_markers(_svg(
        f'<path id="m1" d="{CIRCLE}" style="stroke: #1f77b4"/>',
        '<use xlink:href="#m1" x="10.5" y="20.25" style="fill: #1f77b4; stroke: #000000"/>',
    ))
    assert '<circle cx="10.5" cy="20.25" r="1.5" style="fill: #1f77b4; stroke: #1f77b4"/>' in svg
    assert "<use" not in svg and 'id="m1"' not in svg and "<defs>" not in svg


def test_any_other_marker_is_moved_to_its_place() -> None:
    svg = inline_markers(_svg(
        '<path id="t" d="M 0 0 \nL 0 3.5 \n" style="stroke: currentColor"/>',
        '<use xlink:href="#t" x="57.6" y="100"/><use xlink:href="#t" x="-1" y="0.5" style="stroke-width: 0.8"/>',
    ))
    assert '<path d="M 57.6 100 L 57.6 103.5" style="stroke: currentColor"/>' in svg
    assert '<path d="M -1 0.5 L -1 4" style="stroke-width: 0.8; stroke: currentColor"/>' in svg
    assert "<use" not in svg


@pytest.mark.parametrize("d", [
    # half a circle: every point on it, but not one whole turn
    "M 0 1.5 C 0.83 1.5 1.5 0.83 1.5 0 C 1.5 -0.83 0.83 -1.5 0 -1.5 C -0.83 -1.5 -1.5 -0.83 -1.5 0 "
    "C -1.5 -0.83 -0.83 -1.5 0 -1.5 z",
    # a square drawn with cubics whose corners lie on a circle
    "M 1 1 C 1 1 1 -1 1 -1 C 1 -1 -1 -1 -1 -1 C -1 -1 -1 1 -1 1 C -1 1 1 1 1 1 z",
])
def test_a_path_that_is_not_a_whole_circle_stays_a_path(d: str) -> None:
    svg = inline_markers(_svg(f'<path id="m" d="{d}"/>', '<use xlink:href="#m" x="5" y="5"/>'))
    assert "<circle" not in svg and "<use" not in svg and '<path d="M ' in svg


def test_a_use_the_module_cannot_read_is_left_alone() -> None:
    raw = _svg('<path id="m" d="M 0 0 A 1 1 0 0 1 2 2"/>', '<use xlink:href="#m" x="5" y="5"/><use xlink:href="#q"/>')
    assert inline_markers(raw) == raw  # an arc command, and a use of something not a marker


def _scatter_svg() -> tuple[str, np.ndarray, plt.Figure]:
    rng = np.random.default_rng(0)
    points = rng.normal(size=(300, 2))
    plt.rcParams["svg.fonttype"] = "none"  # as the site's figure style sets it: text stays text
    fig, ax = plt.subplots(figsize=(4, 3), dpi=72)  # 72 dpi: display units are the SVG's points
    ax.scatter(points[:, 0], points[:, 1], s=9, alpha=0.5)
    ax.plot([0, 1, 2], [0, 1, 0], marker="s")
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue(), points, fig


def test_a_matplotlib_scatter_loses_every_use_and_keeps_every_point_in_place() -> None:
    raw, points, fig = _scatter_svg()
    try:
        assert raw.count("<use") > 300
        svg = clean_svg(raw, {})
        assert "<use" not in svg
        circles = [(float(x), float(y), float(r)) for x, y, r in
                   re.findall(r'<circle cx="([^"]+)" cy="([^"]+)" r="([^"]+)"', svg)]
        assert len(circles) == len(points)
        height = fig.get_figheight() * 72
        expected = fig.axes[0].transData.transform(points)
        for (cx, cy, r), (ex, ey) in zip(circles, expected):
            assert abs(cx - ex) <= 0.01 and abs(cy - (height - ey)) <= 0.01
            assert r == pytest.approx(math.sqrt(9) / 2, abs=0.01)  # s is the marker's area in pt²
        squares = re.findall(r'<path d="M [^"]*z"', svg)
        assert len(squares) >= 3  # the line's square markers, moved to their points
    finally:
        plt.close(fig)
        matplotlib.rcdefaults()
