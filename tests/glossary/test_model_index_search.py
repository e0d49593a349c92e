import json
from pathlib import Path

from grimoire.glossary.index_page import index_markdown
from grimoire.glossary.model import first_display_formula, load_glossary


def write(root: Path, rel: str, text: str) -> str:
    p = root / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, "utf-8")
    return rel


def page(title: str, body: str, aliases: str = "[]", related: str = "[]") -> str:
    return f"---\ntitle: {title}\nsummary: About {title}.\naliases: {aliases}\nrelated: {related}\n---\n\n# {title}\n\n{body}\n"


def test_backlinks_formulas_and_related(tmp_path: Path) -> None:
    paths = [
        write(tmp_path, "glossary/entropy.md", page("Entropy", "Average [[surprise]].\n\n$$\nH = -\\sum_i p_i \\log p_i\n$$", related="[surprise]")),
        write(tmp_path, "glossary/surprise.md", page("Surprise", "```\n$$\nnot = this\n$$\n```\n\n$$\nI = -\\log p\n$$")),
        write(tmp_path, "derivations/d.md", page("A derivation", "Uses [[surprise]] twice: [[Surprisal]] and [[entropy]].")),
        write(tmp_path, "glossary/ce.md", page("Cross-entropy", "Text.", aliases="[surprisal]", related="[entropy, entorpy]")),
    ]
    g = load_glossary(tmp_path, paths)
    assert [t.meta.title for t in g.backlinks["surprise"]] == ["A derivation", "Entropy"]
    # Listing a term under `related` links to it: the page is among those it is used in.
    assert [t.slug for t in g.backlinks["entropy"]] == ["d", "ce"]
    assert [t.slug for t in g.related["ce"]] == ["entropy"] and [t.slug for t in g.related["entropy"]] == ["surprise"]
    assert [t.slug for t in g.backlinks["ce"]] == ["d"]
    assert g.formulas == {"entropy": "H = -\\sum_i p_i \\log p_i", "surprise": "I = -\\log p"}
    (p,) = g.problems
    assert (p.location, p.message) == ("glossary/ce.md:5", "related term 'entorpy' has no page")
    assert p.hint.startswith("closest terms: Entropy")


def test_a_page_with_bad_front_matter_is_reported_once_and_still_resolves_by_slug(tmp_path: Path) -> None:
    bad = write(tmp_path, "glossary/x-term.md", "---\ntitle: X\n---\n# X\n")
    user = write(tmp_path, "glossary/user.md", page("User", "Uses [[x-term]]."))
    notebook = write(tmp_path, "glossary/nb.ipynb", notebook_json("---\ntitle: NB\nsummary: A notebook.\n---"))
    g = load_glossary(tmp_path, [bad, user, notebook])
    assert [p.message for p in g.problems] == ["front matter lacks 'summary'"]
    assert g.registry.resolve("x-term").src_uri == "glossary/x-term.md"
    assert [t.slug for t in g.backlinks["x-term"]] == ["user"]


def notebook_json(front_matter: str | None, markdown: str = "# Title\n\nText [[x-term]].") -> str:
    cells = [{"cell_type": "markdown", "metadata": {}, "source": markdown.splitlines(keepends=True)}]
    if front_matter is not None:
        cells.insert(0, {"cell_type": "raw", "metadata": {}, "source": front_matter.splitlines(keepends=True)})
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1)


def test_a_notebook_is_a_term_with_its_front_matter_cell(tmp_path: Path) -> None:
    fm = "---\ntitle: Softmax temperature\nsummary: One sentence.\naliases: [sampling temperature]\ntags: [LLM]\nrelated: [sofmax]\n---"
    nb = write(tmp_path, "glossary/softmax-temperature.ipynb", notebook_json(fm, "# T\n\n$$\np = 1\n$$\n"))
    g = load_glossary(tmp_path, [nb])
    term = g.registry.resolve("sampling temperature")
    assert term is not None and term.src_uri == "glossary/softmax-temperature.ipynb"
    assert (term.meta.title, term.meta.tags) == ("Softmax temperature", ("LLM",))
    assert g.formulas["softmax-temperature"] == "p = 1"
    # Problems name the line of the .ipynb file an author edits.
    (p,) = g.problems
    line = next(i for i, text in enumerate((tmp_path / nb).read_text().split("\n"), 1) if "related: [sofmax]" in text)
    assert (p.location, p.message) == (f"glossary/softmax-temperature.ipynb:{line}", "related term 'sofmax' has no page")


def test_a_notebook_without_front_matter_is_a_problem(tmp_path: Path) -> None:
    nb = write(tmp_path, "glossary/nb.ipynb", notebook_json(None))
    g = load_glossary(tmp_path, [nb])
    (p,) = g.problems
    assert p.message == "notebook has no front matter" and "raw cell" in p.hint


def test_first_display_formula_is_none_without_one() -> None:
    assert first_display_formula("only $inline$ math") is None


def test_index_lists_terms_and_aliases_under_their_letters(tmp_path: Path) -> None:
    paths = [
        write(tmp_path, "glossary/kl-divergence.md", page("KL divergence", "x", aliases="[KL, relative entropy, Relative-entropy]")),
        write(tmp_path, "glossary/entropy.md", page("Entropy", "x")),
        write(tmp_path, "derivations/d.md", page("Derived", "x")),
    ]
    g = load_glossary(tmp_path, paths)
    md = index_markdown(g.terms_in("glossary"))
    assert "## E\n\n- [Entropy](entropy.md) — About Entropy." in md
    k = md.split("## K\n\n")[1].split("\n\n")[0].splitlines()
    assert k == ["- KL → [KL divergence](kl-divergence.md)", "- [KL divergence](kl-divergence.md) — About KL divergence."]
    assert md.split("## R\n\n")[1].strip() == "- relative entropy → [KL divergence](kl-divergence.md)"
    assert "Derived" not in md


def test_names_of_one_letter_and_a_word_are_also_indexed_joined() -> None:
    from grimoire.glossary.search_aliases import name_words

    assert name_words(["p-value", "p value", "observed significance level"]) == [
        "p-value", "p value", "observed significance level", "pvalue"]
    assert name_words(["Cross-entropy", "CE"]) == ["Cross-entropy", "CE"]
