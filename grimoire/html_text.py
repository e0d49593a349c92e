"""An HTML fragment as the plain text of an attribute (a meta description, an aria-label)."""

from __future__ import annotations

import html
import re

# Also takes out HTML comments, such as a formula's placeholder, which hold no '>' before their end.
_TAG = re.compile(r"<[^>]*>")


def attribute_text(fragment: str) -> str:
    """The fragment's text without its tags, whitespace collapsed, escaped for an attribute value."""
    return html.escape(" ".join(html.unescape(_TAG.sub("", fragment)).split()), quote=True)
