"""references.bib read with pybtex: entries, their lines, and every problem at references.bib:line."""

from __future__ import annotations

from grimoire.citations.bibfile import read_bib

GOOD = """\
% a comment line

@article{tibshirani1996,
  author  = {Robert Tibshirani},
  title   = {Regression Shrinkage and Selection via the Lasso},
  journal = {Journal of the Royal Statistical Society: Series B},
  year    = {1996}
}

@misc{hinton2012,
  author = {Geoffrey Hinton},
  title  = {Neural Networks for Machine Learning},
  year   = {2012}
}
"""


def test_entries_and_the_line_of_each() -> None:
    bib = read_bib(GOOD)
    assert bib.problems == []
    assert list(bib.data.entries) == ["tibshirani1996", "hinton2012"]
    assert bib.lines == {"tibshirani1996": 3, "hinton2012": 10}
    assert bib.entry("TIBSHIRANI1996").key == "tibshirani1996"  # BibTeX keys ignore case


def test_a_malformed_entry_is_a_problem_at_its_line_and_the_others_are_still_read() -> None:
    text = GOOD + "\n@misc{broken,\n  author = {A B},\n  title = {Unclosed,\n  year = 2000\n"  # "@misc" on line 16
    bib = read_bib(text)
    assert "tibshirani1996" in bib.data.entries and "hinton2012" in bib.data.entries
    malformed = [p for p in bib.problems if "malformed entry" in p.message]
    assert malformed, bib.problems
    assert all(p.path == "references.bib" and p.line is not None and p.line >= 16 for p in malformed)


def test_a_missing_comma_is_reported_at_the_line_of_the_bad_field() -> None:
    text = "@misc{a,\n  author = {A B}\n  title = {T},\n  year = {2000}\n}\n"
    (problem,) = [p for p in read_bib(text).problems if "malformed" in p.message]
    assert problem.location in ("references.bib:2", "references.bib:3")
    assert "expected" in problem.message


def test_a_repeated_key_names_both_lines() -> None:
    text = GOOD + "\n@misc{Hinton2012,\n  author = {G H},\n  title = {T},\n  year = {2013}\n}\n"
    (problem,) = read_bib(text).problems
    assert problem.location == "references.bib:16"
    assert "used twice (first at line 10)" in problem.message


def test_an_entry_without_author_year_or_with_a_bad_link_is_a_problem_at_its_line() -> None:
    text = (
        "@misc{nobody,\n  title = {T},\n  year = {20xx}\n}\n"
        "@misc{linky,\n  author = {A B},\n  title = {T},\n  year = {2001},\n"
        "  url = {javascript:alert(1)},\n  doi = {https://doi.org/10.1/x}\n}\n"
    )
    messages = {(p.line, p.message) for p in read_bib(text).problems}
    assert (1, "entry 'nobody' has no author (or editor)") in messages
    assert (1, "entry 'nobody' needs a four-digit year, got '20xx'") in messages
    assert any(line == 5 and "url must be an http(s) address" in m for line, m in messages)
    assert any(line == 5 and "doi must be a DOI" in m for line, m in messages)
