"""The HTML of a figure: finding references in rendered pages, and what replaces them.

Markdown renders a reference as ``<img alt=".." src="figure:m.f" title="..">``
(pymdownx.arithmatex has already turned ``$x$`` in the caption into
``\\(x\\)``). ``find_images`` locates them, with the ``<p>`` around an image
that stands alone. ``figure_html`` is what replaces one: a ``<figure>`` whose
drawing is a placeholder comment, filled by ``fill_placeholders`` once the
SVG is ready; the caption keeps its formulas as arithmatex spans, so the math
stage typesets them like any other.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Callable
from dataclasses import dataclass

FIGURE_CLASS = "grimoire-figure"
ERROR_CLASS = "grimoire-figure-error"

_IMG = re.compile(r'<img\b[^>]*\bsrc="figure:[^"]*"[^>]*>')
_ALONE = re.compile(r'<p>\s*(<img\b[^>]*\bsrc="figure:[^"]*"[^>]*>)\s*</p>')
_ATTRIBUTE = re.compile(r'([a-zA-Z_:][-a-zA-Z0-9_:.]*)="([^"]*)"')
_INLINE_MATH = re.compile(r"\\\((.+?)\\\)", re.DOTALL)
_PLACEHOLDER = re.compile(r"<!--grimoire-figure:(\d+)-->")
_SVG_OPEN = re.compile(r"<svg\b")


@dataclass(frozen=True)
class FoundImage:
    start: int
    end: int
    target: str
    alt: str
    caption: str | None


def find_images(html: str) -> list[FoundImage]:
    """Every ``figure:`` image in ``html``, in order; a lone image's span covers its ``<p>``."""
    found = []
    alone = {m.start(1): m for m in _ALONE.finditer(html)}
    for m in _IMG.finditer(html):
        attrs = {k: html_lib.unescape(v) for k, v in _ATTRIBUTE.findall(m.group(0))}
        outer = alone.get(m.start())
        start, end = (outer.start(), outer.end()) if outer else (m.start(), m.end())
        found.append(
            FoundImage(
                start,
                end,
                attrs.get("src", "")[len("figure:") :],
                _plain(attrs.get("alt", "")),
                attrs.get("title"),
            )
        )
    return found


def figure_html(token: int, alt: str, caption: str | None, source: str) -> str:
    """The ``<figure>`` replacing one reference; ``source`` is the HTML of the source link."""
    caption_html = "" if caption is None else caption_to_html(caption) + " "
    return (
        # Out of the search index: captions and "source" links are no answer to a query.
        f'<figure class="{FIGURE_CLASS}" data-search-exclude>'
        f'<div class="{FIGURE_CLASS}__drawing" role="img" aria-label="{html_lib.escape(alt)}">'
        f"<!--grimoire-figure:{token}--></div>"
        f"<figcaption>{caption_html}{source}</figcaption></figure>"
    )


def caption_to_html(caption: str) -> str:
    """Escaped caption text whose ``\\(tex\\)`` formulas become arithmatex spans.

    >>> caption_to_html("Scores & \\\\(x < 1\\\\).")
    'Scores &amp; <span class="arithmatex">\\\\(x &lt; 1\\\\)</span>.'
    """
    pieces = []
    last = 0
    for m in _INLINE_MATH.finditer(caption):
        pieces.append(html_lib.escape(caption[last : m.start()], quote=False))
        pieces.append(f'<span class="arithmatex">\\({html_lib.escape(m.group(1), quote=False)}\\)</span>')
        last = m.end()
    pieces.append(html_lib.escape(caption[last:], quote=False))
    return "".join(pieces)


def source_link_html(rel_path: str, line: int | None, url: str | None) -> str:
    """A link to the figure function's source (see ``grimoire.source_pages``), or a plain label."""
    label = rel_path if line is None else f"{rel_path}:{line}"
    if not url:
        return f'<span class="{FIGURE_CLASS}__source"><code>{html_lib.escape(label)}</code></span>'
    return (
        f'<a class="{FIGURE_CLASS}__source" href="{html_lib.escape(url)}" '
        f'title="Python that draws this figure: {html_lib.escape(label)}">source</a>'
    )


# Smallest text a reader should meet in a figure, in CSS px (three quarters of
# the body text's 16 px). Figures shrink with the column; below the width at
# which their text would get smaller than this, they stop shrinking and their
# box scrolls sideways (on a phone), so every label stays readable.
LEGIBLE_PX = 12.0
_SVG_TAG = re.compile(r"<svg\b[^>]*>")
_VIEWBOX_WIDTH = re.compile(r'\bviewBox="[-\d.]+ [-\d.]+ (?P<w>[\d.]+) [\d.]+"')
_FONT_SIZE = re.compile(r"font-size: (?P<size>[\d.]+)px")
_STYLE = re.compile(r'\sstyle="')
# matplotlib's mathtext sets sub- and superscripts at 70% of their base: not labels of their own.
_SCRIPT_RATIO = 0.7


def smallest_label_size(svg: str) -> float | None:
    """The smallest font size (SVG units) of the drawing's text, sub- and superscripts aside."""
    sizes = {float(m.group("size")) for m in _FONT_SIZE.finditer(svg)}
    labels = [s for s in sizes if not any(abs(s - _SCRIPT_RATIO * big) < 0.02 * big for big in sizes)]
    return min(labels) if labels else None


def legible_min_width(svg: str) -> float | None:
    """CSS px below which the drawing's smallest label would show under ``LEGIBLE_PX``."""
    tag = _SVG_TAG.search(svg)
    box = _VIEWBOX_WIDTH.search(tag.group(0)) if tag else None
    smallest = smallest_label_size(svg)
    if box is None or not smallest:
        return None
    return float(box.group("w")) * LEGIBLE_PX / smallest


def inline_svg(svg: str) -> str:
    """The cleaned SVG made presentational (the surrounding element carries the alt text), with its legible width."""
    width = legible_min_width(svg)
    tag = _SVG_TAG.search(svg)
    if width is not None and tag is not None:
        opening = tag.group(0)
        rule = f"min-width: {width:.0f}px; "
        opening = _STYLE.sub(f' style="{rule}', opening, count=1) if _STYLE.search(opening) else (
            opening[:-1] + f' style="{rule.strip()}">')
        svg = svg[: tag.start()] + opening + svg[tag.end() :]
    return _SVG_OPEN.sub('<svg aria-hidden="true" focusable="false"', svg, count=1)


def error_html(message: str) -> str:
    """What a reader sees in place of a figure that could not be drawn (under `mkdocs serve`)."""
    return f'<pre class="{ERROR_CLASS}">{html_lib.escape(message)}</pre>'


def fill_placeholders(html: str, drawing: Callable[[int], str]) -> str:
    """``html`` with each placeholder replaced by ``drawing(token)``."""
    return _PLACEHOLDER.sub(lambda m: drawing(int(m.group(1))), html)


def placeholder_tokens(html: str) -> list[int]:
    return [int(t) for t in _PLACEHOLDER.findall(html)]


def _plain(alt: str) -> str:
    """Alt text with arithmatex's ``\\(..\\)`` delimiters dropped (screen readers read the TeX)."""
    return _INLINE_MATH.sub(lambda m: m.group(1), alt).strip()
