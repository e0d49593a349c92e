"""Which pages a ``mkdocs serve --dirty`` rebuild must render again, and which it may keep.

MkDocs' dirty build renders again only the pages whose source file is newer
than their HTML. A Grimoire page also shows what other files hold: the titles,
summaries and formulas of the terms it links to, the pages that use it, its
part of the sidebar, its neighbours, the results of its formula checks and
its figures (which depend on snippet code), the bibliography entries it
cites, the equations of other pages it refers to. So the engine fingerprints
every page from all of these, and a page is rendered again exactly when its
fingerprint changed since the last build of the session (or it is new).
Whatever every page shows (the site's configuration, macros, the engine's own
code, the pages' tags, which the tags page lists from the pages rendered in
the same build) is in every fingerprint: a change there renders everything.

The sidebar part of a fingerprint follows Material's ``navigation.sections``
with ``navigation.prune``: every page draws the top level and each section's
entries (a group as one link, to its first page), and below a section only
the groups on its own path.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence

from .navigation import NavItem, leaves


def digest(parts: Iterable[str]) -> str:
    """A digest of ``parts`` in order (each part delimited, so ("ab", "c") differs from ("a", "bc"))."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass")
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def sidebar_digests(nav: Sequence[NavItem], label: Callable[[str], str]) -> dict[str, str]:
    """For each page of ``nav``, a digest of the sidebar drawn on it (``label`` gives a page's title)."""

    def entry(item: NavItem) -> str:
        if isinstance(item, str):
            return f"page\t{item}\t{label(item)}"
        name, children = next(iter(item.items()))
        first = leaves(children)
        return f"group\t{name}\t{first[0] if first else ''}"

    everywhere = [entry(item) for item in nav]
    for item in nav:
        if isinstance(item, dict):
            everywhere += [entry(child) for child in next(iter(item.values()))]
    common = digest(everywhere)
    found: dict[str, str] = {}

    def below(items: Sequence[NavItem], path: list[str]) -> None:
        for item in items:
            if isinstance(item, str):
                found[item] = digest([common, *path])
            else:
                children = next(iter(item.values()))
                below(children, [*path, digest(entry(child) for child in children)])

    for item in nav:
        if isinstance(item, str):
            found[item] = common
        else:
            for child in next(iter(item.values())):
                if isinstance(child, str):
                    found[child] = common
                else:
                    grandchildren = next(iter(child.values()))
                    below(grandchildren, [digest(entry(g) for g in grandchildren)])
    return found


def neighbours(chains: Iterable[Sequence[str]], label: Callable[[str], str]) -> dict[str, str]:
    """For each page, its previous and next pages (footer links) as text."""
    found: dict[str, str] = {}
    for chain in chains:
        for i, page in enumerate(chain):
            before = chain[i - 1] if i > 0 else ""
            after = chain[i + 1] if i + 1 < len(chain) else ""
            found[page] = f"{before}\t{label(before) if before else ''}\t{after}\t{label(after) if after else ''}"
    return found


def stale_pages(previous: Mapping[str, str] | None, current: Mapping[str, str]) -> set[str]:
    """The pages whose fingerprint is new or changed (all of them when there is no previous build)."""
    if previous is None:
        return set(current)
    return {page for page, fingerprint in current.items() if previous.get(page) != fingerprint}

