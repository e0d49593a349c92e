"""The equation-label syntax: ``\\label{eq:name}`` and ``\\eqref``/``\\ref`` targets.

Kept apart from the numbering so the formula checker, which only needs to
read labelled formulas without their labels, imports nothing else.
"""

from __future__ import annotations

import re

# Anything written as \label{...} on one line; a name that is not eq:<name> is reported, not ignored.
LABEL = re.compile(r"\\label\s*\{(?P<name>[^{}\n]*)\}")
# eq: then a letter or digit, then letters, digits, '-', '_' or '.': safe as an HTML id and in a URL.
NAME = re.compile(r"eq:[A-Za-z0-9][A-Za-z0-9_.-]*")
# \eqref{...} or \ref{...} in running text; the target is checked by ``parse_target``.
REFERENCE = re.compile(r"\\(?P<kind>eqref|ref)\{(?P<target>[^{}\n]*)\}")
_NOT_NEWLINE = re.compile(r"[^\n]")


def blank_labels(tex: str) -> str:
    """``tex`` with every ``\\label{...}`` blanked: offsets, columns and lines kept for error messages."""
    return LABEL.sub(lambda m: _NOT_NEWLINE.sub(" ", m.group(0)), tex)


def parse_target(target: str) -> tuple[str | None, str] | None:
    """(page path or None for this page, label) of a reference target; None when malformed.

    >>> parse_target("eq:mean")
    (None, 'eq:mean')
    >>> parse_target("derivations/attention-scaling#eq:mean")
    ('derivations/attention-scaling', 'eq:mean')
    >>> parse_target("mean") is None
    True
    """
    page, hash_, label = target.strip().rpartition("#")
    if not NAME.fullmatch(label):
        return None
    if not hash_:
        return None, label
    page = page.strip().strip("/")
    return (page or None), label
