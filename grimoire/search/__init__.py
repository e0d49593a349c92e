"""Site search that scales: Pagefind's fragments behind Material for MkDocs' search UI.

Material's own search ships the full text of every page in one
``search/search_index.json`` that every reader downloads before a first
result (28 MB at 5,000 pages). Here Pagefind indexes the built site into
small fragments and a reader's browser fetches only those a query needs,
while Material's search box, result list, keyboard shortcuts and
``search.highlight`` stay as they are:

- ``page_markup`` marks each page for the indexer (the article as the body,
  the term's names and title as searchable metadata) and points Material's
  ``__config.search`` at Grimoire's worker (``assets/search-worker.js``),
  which answers Material's worker messages from Pagefind's JS API;
- ``stub_index`` replaces Material's full index by its config alone (Material's
  main script still fetches it, for the highlighting separator);
- ``pagefind_run`` runs the Pagefind indexer on the built site, bounded in
  time, reporting every failure as a problem an author can act on.
"""
