"""SVG post-processing: inlinable, themed, ids namespaced."""

from __future__ import annotations

import re

from grimoire.figures.style import theme_colors
from grimoire.figures.svg import clean_svg, namespace_ids

RAW = """<?xml version="1.0" encoding="utf-8" standalone="no"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN"
  "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<svg xmlns:xlink="http://www.w3.org/1999/xlink" width="288pt" height="144pt" viewBox="0 0 288 144" xmlns="http://www.w3.org/2000/svg" version="1.1">
 <metadata>
  <rdf:RDF><cc:Work><dc:title>Matplotlib</dc:title></cc:Work></rdf:RDF>
 </metadata>
 <defs>
  <style type="text/css">*{stroke-linejoin: round; stroke-linecap: butt}</style>
 </defs>
 <g id="figure_1">
  <path d="M 46.145455 123.12 L 249.054545 72.72" clip-path="url(#pe02e5ba911)" style="fill: #5E35B1; stroke: #333333"/>
  <text style="fill: #333333" x="46.145455" y="142.757656">0.123456</text>
  <path id="mhatch" d="M 0 0 L 1 1"/>
  <use xlink:href="#mhatch" style="stroke: #000000; fill: #ffffff; stroke: #123456" clip-path="url(#pe02e5ba911)"/>
 </g>
 <defs><clipPath id="pe02e5ba911"><rect x="36" y="17.28"/></clipPath></defs>
</svg>
"""


def test_clean_svg_makes_an_inlinable_themed_fragment() -> None:
    svg = clean_svg(RAW, theme_colors("#333333", ["#5e35b1"]))
    assert svg.startswith('<svg style="stroke-linejoin: round; stroke-linecap: butt"')
    assert "<?xml" not in svg and "DOCTYPE" not in svg and "metadata" not in svg
    assert "<style" not in svg  # a global *{} rule would style the whole page
    assert "fill: var(--grimoire-figure-c0, #5e35b1)" in svg
    assert "stroke: currentColor" in svg and "fill: currentColor" in svg
    assert "fill: var(--md-default-bg-color, #ffffff)" in svg
    assert "stroke: #123456" in svg  # an explicit colour is left alone
    assert 'id="figure_1"' not in svg  # nothing refers to it
    assert 'id="pe02e5ba911"' in svg
    assert "<use" not in svg and 'id="mhatch"' not in svg  # the marker is written out (see test_svg_markers)
    assert 'd="M 46.15 123.12 L 249.05 72.72"' in svg and 'x="46.15"' in svg
    assert ">0.123456</text>" in svg  # text is never rounded
    assert "\n " not in svg


def test_namespace_ids_rewrites_ids_and_references_consistently() -> None:
    svg = namespace_ids(clean_svg(RAW, {}), "g1")
    ids = set(re.findall(r'id="([^"]+)"', svg))
    refs = set(re.findall(r'url\(#([^)]+)\)|href="#([^"]+)"', svg))
    assert ids == {"g1-pe02e5ba911"}
    assert {a or b for a, b in refs} <= ids
