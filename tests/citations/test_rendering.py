"""Labels, reference entries and citations, checked against pybtex's own formatting of the same entries."""

from __future__ import annotations

import html
import re

from pybtex.backends.html import Backend
from pybtex.style.formatting.plain import Style

from grimoire.citations.bibfile import read_bib
from grimoire.citations.formatting import SafeHtmlBackend, format_references
from grimoire.citations.labels import AuthorYearLabelStyle
from grimoire.citations.render import CitationWriter, references_section
from grimoire.citations.syntax import find_citations

BIB = r"""
@inproceedings{vaswani2017,
  author = {Ashish Vaswani and Noam Shazeer and {\L}ukasz Kaiser},
  title = {Attention Is All You Need},
  booktitle = {Advances in Neural Information Processing Systems 30},
  year = {2017},
  eprint = {1706.03762}
}
@inproceedings{li2021,
  author = {Xiang Lisa Li and Percy Liang},
  title = {Prefix-Tuning: Optimizing Continuous Prompts for Generation},
  booktitle = {Proceedings of ACL},
  year = {2021}
}
@article{tibshirani1996,
  author = {Robert Tibshirani},
  title = {Regression Shrinkage and Selection via the {L}asso},
  journal = {J. R. Stat. Soc. B},
  volume = {58},
  pages = {267--288},
  year = {1996},
  doi = {10.1111/example.1}
}
@misc{wang2022b,
  author = {Xuezhi Wang and Jason Wei and others},
  title = {Self-Consistency},
  year = {2022}
}
@misc{wang2022a,
  author = {Kevin Wang and Alexandre Variengien and Arthur Conmy},
  title = {Interpretability in the Wild},
  year = {2022}
}
@misc{kuttler2020,
  author = {Heinrich K{\"u}ttler},
  title = {A {\"U}ber Title with <b>markup</b> & *stars*},
  year = {2020},
  url = {https://example.com/?a=1&b=2}
}
"""


def references():
    bib = read_bib(BIB)
    assert bib.problems == []
    refs, problems = format_references(bib, "references.bib")
    assert problems == []
    return refs


def text_of(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def test_labels_are_author_year_with_letters_for_ties_and_latex_decoded() -> None:
    labels = {key: ref.label.parenthetical for key, ref in references().items()}
    assert labels == {
        "vaswani2017": "Vaswani et al., 2017",
        "li2021": "Li and Liang, 2021",
        "tibshirani1996": "Tibshirani, 1996",
        "wang2022a": "Wang et al., 2022a",  # Kevin sorts before Xuezhi
        "wang2022b": "Wang et al., 2022b",  # "and others" counts as more authors
        "kuttler2020": "Küttler, 2020",
    }
    assert references()["vaswani2017"].label.narrative == "Vaswani et al. (2017)"


def test_entries_are_pybtex_plain_style_output() -> None:
    refs = references()
    bib = read_bib(BIB)
    style = Style(label_style=AuthorYearLabelStyle)
    expected = {e.key: e for e in style.format_entries(bib.data.entries.values())}
    for key, ref in refs.items():
        ours = text_of(ref.html)
        theirs = " ".join(expected[key].text.render_as("text").split())
        assert ours == theirs, key
        assert expected[key].label == ref.label.parenthetical
    # And the HTML has pybtex's links, with targets escaped here (pybtex's own backend does not).
    assert '<a href="https://arxiv.org/abs/1706.03762">arXiv:1706.03762</a>' in refs["vaswani2017"].html
    assert '<a href="https://doi.org/10.1111/example.1">' in refs["tibshirani1996"].html
    assert 'href="https://example.com/?a=1&amp;b=2"' in refs["kuttler2020"].html
    assert Backend.format_href('x"y', "t") == '<a href="x"y">t</a>'  # why the escaping is ours
    assert SafeHtmlBackend.format_href('x"y', "t") == '<a href="x&quot;y">t</a>'


def test_reference_text_is_safe_as_html_and_as_markdown() -> None:
    ref = references()["kuttler2020"].html
    assert "<b>" not in ref and "*stars*" not in ref
    assert "Über" in text_of(ref) and "<b>markup</b> & *stars*" in text_of(ref)


def test_citations_link_to_references_with_back_links_and_paper_pages() -> None:
    refs = references()
    writer = CitationWriter(refs, lambda key: "../papers/attention/" if key == "vaswani2017" else None)
    text = "[see @vaswani2017, p. 5; @li2021] and @tibshirani1996 and [-@vaswani2017]"
    out = [writer.write(c) for c in find_citations(text)]
    assert text_of(out[0]) == "(see Vaswani et al., 2017summary, p. 5; Li and Liang, 2021)"
    assert 'id="cite-vaswani2017-1" href="#ref-vaswani2017" data-cite="vaswani2017"' in out[0]
    assert '<sup class="grimoire-cite__paper"><a href="../papers/attention/">summary</a></sup>' in out[0]
    assert text_of(out[1]) == "Tibshirani (1996)"
    assert text_of(out[2]) == "(2017summary)" and 'id="cite-vaswani2017-2"' in out[2]
    section = references_section([refs[k] for k in writer.occurrences], writer.occurrences, lambda k: None)
    assert section.index('id="ref-tibshirani1996"') < section.index('id="ref-vaswani2017"')  # bibliography order
    assert section.count('href="#cite-vaswani2017-') == 2
    assert "## References { #references }" in section
