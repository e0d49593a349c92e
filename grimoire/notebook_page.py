"""Notebook pages as a reader meets them: Jupyter's screen furniture kept out of search.

mkdocs-jupyter renders each code cell with its ``In [n]:`` prompt and a copy
button whose hidden notice says "Copied!"; Material's search would index both
as text, so a notebook's result would start "In [1]: Copied!". They are
marked ``data-search-exclude`` (Material's switch for leaving an element out
of the index) and still shown on the page.
"""

from __future__ import annotations

import re

# The opening tags of the prompts and of the copy button's container, as nbconvert writes them.
_CHROME = re.compile(r'<div class="(?:jp-InputPrompt|jp-OutputPrompt|zeroclipboard-container)\b[^"]*"')


def exclude_chrome_from_search(html: str) -> str:
    return _CHROME.sub(lambda m: m.group(0) + " data-search-exclude", html)
