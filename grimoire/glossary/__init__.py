"""The glossary as readers use it: terms with aliases, term references,
backlinks, hover cards, the A-Z index and alias-aware search.

Term references are resolved by this package rather than by mkdocs-autorefs.
autorefs resolves Markdown reference links (``[text][id]``), which read like
ordinary links in the source and are what the issue asks us not to confuse
with them; it has no notion of aliases, no closest-match suggestion, and no
duplicate-alias check. All of that needs a table of terms that the hover
cards, the index and the search boost need anyway, so one small resolver
over that table does the whole job.
"""
