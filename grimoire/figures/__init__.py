"""Figures drawn at build time by the Python in ``snippets/``.

Authoring
---------
A figure function lives in a snippet module next to the numeric code it
plots. It takes no arguments and returns a ``matplotlib.figure.Figure``;
create it with ``Figure()`` (or pyplot, whose figures the renderer closes)
and reuse the module's own functions for the numbers::

    def softmax_temperatures() -> Figure:
        from matplotlib.figure import Figure  # keep numeric imports light

        fig = Figure()
        ax = fig.subplots()
        ax.plot(x, softmax(x / T), label=f"T = {T}")
        return fig

A page embeds it with an image whose address uses the ``figure:`` scheme::

    ![Alt text describing the plot](figure:activations.softmax_temperatures "Caption under the figure.")

The alt text is required; the caption is optional and may hold inline math
(``$T$``). The page shows the figure, its caption and a ``source`` link to
the function's line on the site's page of that module's source
(``grimoire.source_pages``).

Look and schemes
----------------
``snippets/figure_style.mplstyle`` is the shared matplotlib style. Figures
are inlined as SVG with text as text; the style's text colour becomes the
page's text colour and its colour cycle ``C0``.. becomes CSS variables that
``grimoire.css`` adapts to Material's dark scheme (see ``style``). Use
``"C0"``..``"C5"`` rather than fixed colours.

Cache, parallelism, errors
--------------------------
Drawings are cached in ``.cache/grimoire/figures/`` under a key covering the
module, the snippet modules it imports, the style file, library and renderer
versions (``cache_key``). Missing drawings are made in worker processes, in
parallel, each with a time limit (``settings``). Every failure is reported at
the page line of its reference with a traceback into ``snippets/``; the build
fails once at the end, or at the first problem with ``GRIMOIRE_FAIL_FAST=1``.

Modules: ``references`` (Markdown syntax), ``snippet_source`` (static reading
of snippets), ``cache_key``, ``cache``, ``settings``, ``style``, ``jobs``,
``worker`` / ``svg`` (the worker side,
run in the pool of ``grimoire.workers`` shared with the formula checks),
``html``, ``reports`` and ``build`` (one build's figures, what ``SiteBuild``
drives). Importing this package imports
none of them, so worker processes start light.
"""
