"""How much KaTeX work one formula and one page may cause.

KaTeX bounds macro expansion (``maxExpand``) but not the work or output of
what a few definitions expand to: three nested ``\\def``s in a 1 KB formula
took minutes and made 10 MB of HTML. So every formula is bounded three ways
(TeX length, before KaTeX sees it; time, by restarting the Node process;
output length, in the worker) and every page by its number of formulas and
the total size of their HTML. The largest formula of the pilot site is about
2 KB of TeX and 11 KB of HTML, and the busiest page has under 200 formulas,
so the limits sit far above honest use.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MathLimits:
    max_tex_chars: int = 20_000
    max_html_chars: int = 1_000_000
    seconds_per_formula: float = 5.0
    max_formulas_per_page: int = 5_000
    max_html_chars_per_page: int = 10_000_000


DEFAULT_LIMITS = MathLimits()

# Markers of the messages below, so diagnostics can hint at the right fix.
TOO_LONG = "characters of TeX"
TOO_SLOW = "seconds to typeset"
TOO_LARGE = "characters of HTML"


def tex_too_long(length: int, limits: MathLimits) -> str:
    return f"the formula has {length} {TOO_LONG}, over the limit of {limits.max_tex_chars}"


def took_too_long(limits: MathLimits) -> str:
    return f"the formula took more than {limits.seconds_per_formula:g} {TOO_SLOW}, the limit (KaTeX was stopped)"


def html_too_large(length: int, limit: int) -> str:
    return f"the typeset formula has {length} {TOO_LARGE}, over the limit of {limit}"
