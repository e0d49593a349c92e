"""Build-time math: every formula becomes KaTeX HTML (with MathML) before the site ships.

``MathRenderer`` renders batches through one long-lived Node process behind an
on-disk cache; ``typeset_page`` and ``typeset_notebook`` apply it to the HTML
of a Markdown page and of a notebook page.
"""

from .katex_process import KatexUnavailable, RenderRequest, RenderResult
from .notebook_math import typeset_notebook
from .page_math import typeset_page
from .renderer import KATEX_OPTIONS, MathRenderer

__all__ = [
    "KATEX_OPTIONS",
    "KatexUnavailable",
    "MathRenderer",
    "RenderRequest",
    "RenderResult",
    "typeset_notebook",
    "typeset_page",
]
