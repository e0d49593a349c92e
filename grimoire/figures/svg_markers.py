"""matplotlib's markers written out as plain SVG elements instead of ``<use>``.

matplotlib's SVG backend draws each marker of a line or scatter plot as a
``<use>`` of one path in ``<defs>``. Chromium gives every ``<use>`` its own
shadow tree, and Material's script forces several full style recalculations
while a page loads: a page with 4,524 scatter points took 15 s to load in
Chromium, against 1.5 s with the same points as plain elements (measured on
the classifier-free guidance page). So each ``<use>`` of a marker becomes the
element it stands for: a ``<circle>`` when the marker is matplotlib's circle
(as small as the ``<use>``), otherwise a ``<path>`` whose coordinates are moved
to the marker's place. The marker's own style wins over the ``<use>``'s, as it
would in the shadow tree. matplotlib has no option to do this itself.
"""

from __future__ import annotations

import math
import re

_DEF = re.compile(r'\s*<path id="(?P<id>[^"]+)" d="(?P<d>[^"]*)"(?: style="(?P<style>[^"]*)")?\s*/>')
_USE = re.compile(r"<use\b(?P<attrs>[^>]*?)\s*/>")
_ATTR = re.compile(r'(?P<name>[\w:-]+)="(?P<value>[^"]*)"')
_EMPTY_DEFS = re.compile(r"\s*<defs>\s*</defs>")
_TOKEN = re.compile(r"[A-Za-z]|-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
# matplotlib writes absolute commands only; each takes whole (x, y) pairs.
_PAIRS = {"M": 1, "L": 1, "Q": 2, "C": 3}
_CIRCLE_TOLERANCE = 0.02  # relative: the 1/100 pt rounding of a small marker's path


def inline_markers(svg: str) -> str:
    """``svg`` with every ``<use>`` of a path in it replaced by a plain element (see the module docstring)."""
    markers = {m.group("id"): m for m in _DEF.finditer(svg)}
    if not markers:
        return svg
    inlined: set[str] = set()

    def replace(use: re.Match[str]) -> str:
        attrs = dict((a.group("name"), a.group("value")) for a in _ATTR.finditer(use.group("attrs")))
        href = attrs.pop("xlink:href", None) or attrs.pop("href", None) or ""
        marker = markers.get(href.removeprefix("#"))
        if marker is None or not href.startswith("#"):
            return use.group(0)
        try:
            x, y = float(attrs.pop("x", "0")), float(attrs.pop("y", "0"))
        except ValueError:
            return use.group(0)
        style = _merge_styles(attrs.pop("style", ""), marker.group("style") or "")
        element = _element(marker.group("d"), x, y)
        if element is None:
            return use.group(0)
        inlined.add(marker.group("id"))
        if style:
            attrs["style"] = style
        rest = "".join(f' {name}="{value}"' for name, value in attrs.items())
        return f"{element}{rest}/>"

    svg = _USE.sub(replace, svg)
    svg = _DEF.sub(lambda m: "" if m.group("id") in inlined and not _referenced(svg, m.group("id")) else m.group(0), svg)
    return _EMPTY_DEFS.sub("", svg)


def _referenced(svg: str, marker_id: str) -> bool:
    """Whether anything still points at ``marker_id`` (a ``<use>`` left as it was)."""
    return f'href="#{marker_id}"' in svg


def _element(d: str, x: float, y: float) -> str | None:
    """The opening of the element a marker with path ``d`` drawn at (x, y) stands for; None if ``d`` is unusual."""
    commands = _commands(d)
    if commands is None:
        return None
    radius = _circle_radius(commands)
    if radius is not None:
        return f'<circle cx="{_number(x)}" cy="{_number(y)}" r="{_number(radius)}"'
    parts = []
    for letter, numbers in commands:
        moved = [_number(v + (x if i % 2 == 0 else y)) for i, v in enumerate(numbers)]
        parts.append(" ".join([letter, *moved]))
    return f'<path d="{" ".join(parts)}"'


def _commands(d: str) -> list[tuple[str, list[float]]] | None:
    """``d`` as (command, numbers) pairs when it uses only matplotlib's absolute commands, else None."""
    commands: list[tuple[str, list[float]]] = []
    for token in _TOKEN.findall(d):
        if token.isalpha():
            if token not in _PAIRS and token not in "zZ":
                return None
            commands.append((token, []))
        elif commands:
            commands[-1][1].append(float(token))
        else:
            return None
    for letter, numbers in commands:
        size = 0 if letter in "zZ" else 2 * _PAIRS[letter]
        if (len(numbers) % size or not numbers) if size else numbers:
            return None
    return commands


def _circle_radius(commands: list[tuple[str, list[float]]]) -> float | None:
    """The radius when the path is matplotlib's circle about the origin (a move, four or more cubics, a close)."""
    if len(commands) < 6 or commands[0][0] != "M" or commands[-1][0] not in "zZ":
        return None
    curves = commands[1:-1]
    if any(letter != "C" or len(numbers) != 6 for letter, numbers in curves):
        return None
    ends = [commands[0][1]] + [numbers[4:6] for _, numbers in curves]
    # Each cubic's ends and its middle point lie on the circle, so its control points bend it like one.
    middles = [
        [(p0 + 3 * p1 + 3 * p2 + p3) / 8 for p0, p1, p2, p3 in zip(start, numbers[0:2], numbers[2:4], numbers[4:6])]
        for start, (_, numbers) in zip(ends, curves)
    ]
    radius = math.hypot(*ends[0])
    if radius <= 0 or any(abs(math.hypot(*p) - radius) > _CIRCLE_TOLERANCE * radius for p in ends + middles):
        return None
    angles = [math.atan2(py, px) for px, py in ends]
    turn = sum(math.remainder(b - a, math.tau) for a, b in zip(angles, angles[1:]))
    if abs(abs(turn) - math.tau) > 0.01:
        return None  # an arc or a path that doubles back, not one whole turn
    return radius


def _merge_styles(outer: str, own: str) -> str:
    """The declarations of ``outer`` overridden by ``own``, as in a ``<use>``'s shadow tree."""
    declarations: dict[str, str] = {}
    for style in (outer, own):
        for declaration in style.split(";"):
            name, colon, value = declaration.partition(":")
            if colon and name.strip():
                declarations[name.strip()] = value.strip()
    return "; ".join(f"{name}: {value}" for name, value in declarations.items())


def _number(value: float) -> str:
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
