"""A term's names (title and aliases) as the search indexes them, in a field of their own.

``search.page_markup`` writes them into each term page as the Pagefind
metadata field ``names``, which the search worker weighs above everything
else, so searching a term's name or an abbreviation (KL, log loss) ranks its
page first. The title is among them: were only aliases there, a page whose
alias merely contains a word of the query ("Shannon entropy") would outrank
the page the whole query names ("cross-entropy", split into "cross" and
"entropy"). A name whose first word is a single letter ("p value") is also
indexed joined into one word ("pvalue"): a query word may match as a prefix,
so "p" alone matches words on many pages, and the joined word, found on this
page only, keeps the named page first.
"""

from __future__ import annotations

import re

# Where a name splits into words (as Material's mkdocs.yml `separator` splits it for highlighting).
_WORD_BREAK = re.compile(r"[\s\-,:!=\[\]()\"/'\u2019]+")


def name_words(names: list[str]) -> list[str]:
    """The names as written, and those whose first word is one letter joined into one word."""
    joined = []
    for name in names:
        words = [w for w in _WORD_BREAK.split(name.casefold()) if w]
        if len(words) > 1 and len(words[0]) == 1 and "".join(words) not in joined:
            joined.append("".join(words))
    return [*names, *joined]
