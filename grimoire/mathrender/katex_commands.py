"""The control sequences the pinned KaTeX knows, for "did you mean" hints on a typo.

KaTeX publishes no list of its commands, but its bundle names each one as a
string literal (``"\\\\sigma"`` in the JavaScript source), in its function,
symbol and macro tables. Those literals are read from ``katex.mjs`` of the
installed version: a typo such as ``\\sigmaa`` is then compared with
``\\sigma`` as well as with the site macros. Read once per KaTeX file.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

# A JavaScript string literal holding one escaped backslash and letters: "\\sigma".
_LITERAL = re.compile(r'"\\\\([A-Za-z]+)"')


def katex_commands(katex_dir: Path) -> frozenset[str]:
    """``\\name`` of every command KaTeX defines; empty when its bundle cannot be read."""
    bundle = katex_dir / "dist" / "katex.mjs"
    try:
        stamp = bundle.stat().st_mtime_ns
    except OSError:
        return frozenset()
    return _read(bundle, stamp)


@functools.lru_cache(maxsize=4)
def _read(bundle: Path, stamp: int) -> frozenset[str]:
    try:
        text = bundle.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return frozenset()
    return frozenset("\\" + name for name in _LITERAL.findall(text))
