"""Citations: ``references.bib`` read with pybtex, pandoc-style citations in pages.

An author writes, in running text (pandoc's syntax):

- ``[@vaswani2017]`` -> (Vaswani et al., 2017)
- ``[@hu2021; @dettmers2023]`` -> (Hu et al., 2021; Dettmers et al., 2023)
- ``[see @vaswani2017, sec. 3.2]`` -> (see Vaswani et al., 2017, sec. 3.2)
- ``[-@vaswani2017]`` -> (2017), when the sentence names the authors
- ``@vaswani2017 show`` -> Vaswani et al. (2017) show

Each label links to the entry in the page's References section (appended to
every page that cites something), and to the work's paper page when it has
one (``kind: paper`` and ``cite: key`` in front matter, under ``papers/``).
Nothing fires inside code, math, HTML comments, link targets, URLs or e-mail
addresses; ``\\@`` writes a literal at sign.

Modules, one job each: ``bibfile`` (reading and checking the .bib),
``labels`` (author-year labels), ``formatting`` (reference entries as HTML
through pybtex's style), ``syntax`` (finding citations in Markdown),
``render`` (citations and References sections as HTML), ``pages``
(the Bibliography and Papers index pages, the paper-page header) and
``build`` (one build's citation work, driven by ``SiteBuild``).
"""
