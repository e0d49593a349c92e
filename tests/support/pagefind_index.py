"""What Pagefind indexed in a built site: each page's text, metadata and anchors, read from its fragments.

A fragment (``pagefind/fragment/*.pf_fragment``) is gzip holding
``pagefind_dcd`` and then the page's JSON; the browser reads the same files.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

SIGNATURE = b"pagefind_dcd"


def indexed_pages(site_dir: Path) -> dict[str, dict]:
    """{url: fragment} of every indexed page (url as Pagefind writes it, "/glossary/x/")."""
    pages = {}
    for path in sorted((site_dir / "pagefind" / "fragment").glob("*.pf_fragment")):
        raw = gzip.decompress(path.read_bytes())
        assert raw.startswith(SIGNATURE), path
        fragment = json.loads(raw[len(SIGNATURE):])
        pages[fragment["url"]] = fragment
    return pages


def indexed_text(site_dir: Path) -> str:
    """The text of every indexed page, one page a line."""
    return "\n".join(page["content"] for page in indexed_pages(site_dir).values())
