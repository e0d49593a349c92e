import json
from pathlib import Path

from grimoire.glossary.index_page import index_markdown
from grimoire.glossary.model import first_display_formula, load_glossary
from grimoire.glossary.search_aliases import add_names


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
    assert [t.slug for t in g.backlinks["entropy"]] == ["d"]
    assert [t.slug for t in g.backlinks["ce"]] == ["d"]
    assert g.formulas == {"entropy": "H = -\\sum_i p_i \\log p_i", "surprise": "I = -\\log p"}
    (p,) = g.problems
    assert (p.location, p.message) == ("glossary/ce.md:5", "related term 'entorpy' has no page")
    assert p.hint.startswith("closest terms: Entropy")


def test_a_page_with_bad_front_matter_is_reported_once_and_still_resolves_by_slug(tmp_path: Path) -> None:
    bad = write(tmp_path, "glossary/x-term.md", "---\ntitle: X\n---\n# X\n")
    user = write(tmp_path, "glossary/user.md", page("User", "Uses [[x-term]]."))
    g = load_glossary(tmp_path, [bad, user, "glossary/nb.ipynb"])
    assert [p.message for p in g.problems] == ["front matter lacks 'summary'"]
    assert g.registry.resolve("x-term").src_uri == "glossary/x-term.md"
    assert [t.slug for t in g.backlinks["x-term"]] == ["user"]


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


def test_aliases_are_added_to_page_entries_only(tmp_path: Path) -> None:
    index = tmp_path / "search_index.json"
    index.write_text(json.dumps({"config": {}, "docs": [
        {"location": "glossary/kl/", "title": "KL divergence", "text": "t"},
        {"location": "glossary/kl/#definition", "title": "Definition", "text": "t"},
    ]}))
    assert add_names(index, {"glossary/kl/": ["KL", "relative entropy"]}) == 1
    docs = json.loads(index.read_text())["docs"]
    assert docs[0]["names"] == "KL relative entropy" and "names" not in docs[1]
