"""The look every figure shares, and how its colours follow the site's scheme.

A project's style lives in ``snippets/figure_style.mplstyle`` (a matplotlib
style file; edit it like any snippet, figures that use it are redrawn). On
top of it the renderer enforces what makes output embeddable and
reproducible: SVG text as text, a fixed hash salt, no background.

Light and dark schemes: figures are inlined into the page as SVG. The
style's foreground colour (``text.color``; also pure black) becomes
``currentColor``, the page's text colour; white becomes the page background;
the n-th colour of the style's colour cycle (``C0``, ``C1``, ...) becomes
``var(--grimoire-figure-cN, <the colour>)``, which ``grimoire.css`` redefines
for Material's dark ``slate`` scheme. Colours named explicitly in a figure
function are left alone, so prefer ``"C0"``..``"C5"`` to fixed colours.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from types import MappingProxyType

from .references import PACKAGE

STYLE_FILE = "figure_style.mplstyle"

ENFORCED_RC = MappingProxyType(
    {
        "backend": "agg",
        "svg.fonttype": "none",  # text stays text: selectable, searchable, scales crisply
        "svg.hashsalt": "grimoire",  # fixed ids for clip paths and markers
        "svg.image_inline": True,
        "figure.facecolor": "none",
        "savefig.facecolor": "none",
        "savefig.edgecolor": "none",
        "savefig.transparent": True,
        "figure.max_open_warning": 0,
    }
)


def style_path(root: Path) -> Path | None:
    """The project's shared style file, None when it has none."""
    path = root / PACKAGE / STYLE_FILE
    return path if path.is_file() else None


def theme_colors(foreground: str, cycle: Sequence[str]) -> Mapping[str, str]:
    """Maps lower-case ``#rrggbb`` colours of a drawing to the CSS that replaces them.

    >>> theme_colors("#333333", ["#5e35b1"])["#5e35b1"]
    'var(--grimoire-figure-c0, #5e35b1)'
    """
    mapping = {"#000000": "currentColor", "#ffffff": "var(--md-default-bg-color, #ffffff)"}
    for i, color in enumerate(cycle):
        mapping.setdefault(color.lower(), f"var(--grimoire-figure-c{i}, {color.lower()})")
    mapping[foreground.lower()] = "currentColor"
    return mapping
