"""Post-processing of matplotlib's SVG so it can be inlined into a page.

``clean_svg`` runs once per drawing, in the worker (its output is cached):
it drops the XML prolog and metadata, writes markers out as plain elements
(``svg_markers``), moves matplotlib's global ``*{...}``
stylesheet onto the root element (inline, it would style the whole page),
keeps only the ids something refers to, replaces theme colours by CSS (see
``style.theme_colors``), rounds coordinates to 1/100 pt and removes
indentation. ``namespace_ids`` runs per use, so two figures on one page never
share an id.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from .svg_markers import inline_markers

_PROLOG = re.compile(r"\A\s*<\?xml[^>]*\?>\s*(?:<!DOCTYPE[^>]*>\s*)?")
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.DOTALL)
_GLOBAL_STYLE = re.compile(
    r'\s*<defs>\s*<style type="text/css">\s*\*\s*\{(?P<rules>[^}]*)\}\s*</style>\s*</defs>'
)
_SVG_OPEN = re.compile(r"<svg\b")
_ID = re.compile(r'\sid="(?P<id>[^"]+)"')
_REFERENCES = re.compile(r'url\(#(?P<a>[^)]+)\)|href="#(?P<b>[^"]+)"')
_HEX = re.compile(r"(?<![\w#(-])#(?P<hex>[0-9a-fA-F]{6})(?![\w-])")
_INDENT = re.compile(r"\n[ \t]+")
_GEOMETRY = re.compile(r'\s(?:d|x|y|cx|cy|r|points|transform)="[^"]*"')
_DECIMAL = re.compile(r"-?\d+\.\d{3,}")


def clean_svg(svg: str, colors: Mapping[str, str]) -> str:
    """matplotlib's SVG made ready to inline: see the module docstring."""
    svg = _PROLOG.sub("", svg)
    svg = _METADATA.sub("", svg, count=1)
    svg = inline_markers(svg)
    m = _GLOBAL_STYLE.search(svg)
    if m:
        rules = " ".join(m.group("rules").split())
        svg = svg[: m.start()] + svg[m.end() :]
        svg = _SVG_OPEN.sub(f'<svg style="{rules}"', svg, count=1)
    referenced = {a or b for a, b in _REFERENCES.findall(svg)}
    svg = _ID.sub(lambda m: m.group(0) if m.group("id") in referenced else "", svg)
    lowered = {k.lower(): v for k, v in colors.items()}
    svg = _HEX.sub(lambda m: lowered.get("#" + m.group("hex").lower(), m.group(0)), svg)
    svg = _GEOMETRY.sub(lambda m: _DECIMAL.sub(_round, m.group(0)), svg)
    return _INDENT.sub("\n", svg).strip() + "\n"


def _round(m: re.Match[str]) -> str:
    """Coordinates to 1/100 pt: invisible, and about a third less SVG."""
    text = f"{float(m.group(0)):.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def namespace_ids(svg: str, prefix: str) -> str:
    """Prefixes every id, and every reference to one, with ``prefix-``.

    >>> namespace_ids('<path id="p1"/><use href="#p1" clip-path="url(#p1)"/>', "f2")
    '<path id="f2-p1"/><use href="#f2-p1" clip-path="url(#f2-p1)"/>'
    """
    svg = _ID.sub(lambda m: f' id="{prefix}-{m.group("id")}"', svg)
    return _REFERENCES.sub(
        lambda m: f"url(#{prefix}-{m.group('a')})" if m.group("a") else f'href="#{prefix}-{m.group("b")}"',
        svg,
    )
