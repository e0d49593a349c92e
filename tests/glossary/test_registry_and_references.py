from grimoire.glossary.frontmatter import PageMeta
from grimoire.glossary.references import find_references, link_terms
from grimoire.glossary.registry import Term, TermRegistry, normalize


def term(slug: str, title: str, *aliases: str, section: str = "glossary") -> Term:
    return Term(slug, f"{section}/{slug}.md", PageMeta(f"{section}/{slug}.md", title, f"{title} summary.", aliases, lines={"aliases": 4, "title": 2}))


REGISTRY = TermRegistry(
    [
        term("kl-divergence", "KL divergence", "KL", "Kullback–Leibler divergence", "relative entropy"),
        term("cross-entropy", "Cross-entropy", "CE", "log loss"),
        term("bayes-theorem", "Bayes' theorem", "Bayes' rule"),
        term("attention-scaling", "Why attention divides by sqrt d", section="derivations"),
    ]
)


def test_normalize_ignores_case_separators_and_apostrophes() -> None:
    assert normalize("Bayes’ Theorem") == normalize("bayes-theorem") == "bayes theorem"
    assert normalize("Kullback–Leibler  divergence") == "kullback leibler divergence"


def test_resolution_by_slug_title_and_alias() -> None:
    for name in ("kl-divergence", "KL divergence", "kl", "Kullback-Leibler divergence", "Relative entropy"):
        assert REGISTRY.resolve(name).slug == "kl-divergence", name
    assert REGISTRY.resolve("Log Loss").slug == "cross-entropy"
    assert REGISTRY.resolve("bayes rule").slug == "bayes-theorem"
    assert REGISTRY.resolve("nothing") is None


def test_suggestions_are_the_closest_names() -> None:
    assert REGISTRY.suggest("cross entropie")[0] == "Cross-entropy"
    assert "KL divergence" in REGISTRY.suggest("KL divergense")


def test_duplicate_alias_names_both_files() -> None:
    reg = TermRegistry([term("a", "Alpha", "shared"), term("b", "Beta", "Shared")])
    (p,) = reg.problems
    assert p.message == "'Shared' names two pages: glossary/a.md and glossary/b.md"
    assert p.location == "glossary/b.md:4"


def test_a_name_colliding_with_another_title_is_a_duplicate() -> None:
    reg = TermRegistry([term("entropy", "Entropy"), term("surprise", "Surprise", "entropy")])
    assert len(reg.problems) == 1 and "glossary/entropy.md and glossary/surprise.md" in reg.problems[0].message


def test_references_skip_code_math_and_comments() -> None:
    md = (
        "See [[KL]] and [[cross-entropy|the CE loss]].\n"
        "`[[not]]` and $[[0,1]]$ and\n\n```\n[[code]]\n```\n\n$$\n[[x]]\n$$\n<!-- [[comment]] -->\n[[Bayes' rule]]\n"
    )
    refs = [(r.line, r.target, r.text) for r in find_references(md)]
    assert refs == [(1, "KL", "KL"), (1, "cross-entropy", "the CE loss"), (12, "Bayes' rule", "Bayes' rule")]


def test_links_are_relative_and_marked() -> None:
    out, problems = link_terms("A [[KL]] link.", "derivations/x.md", "derivations/x.md", 1, REGISTRY)
    assert problems == []
    assert out == 'A [KL](../glossary/kl-divergence.md){ .grimoire-term data-term="kl-divergence" } link.'
    out, _ = link_terms("[[attention-scaling|why]]", "glossary/a.md", "glossary/a.md", 1, REGISTRY)
    assert out.startswith("[why](../derivations/attention-scaling.md)")


def test_unknown_reference_names_line_and_closest_terms() -> None:
    out, problems = link_terms("x\n\ny [[cross entropie]] z", "glossary/p.md", "glossary/p.md", 7, REGISTRY)
    (p,) = problems
    assert p.location == "glossary/p.md:9"
    assert p.message == "unknown term [[cross entropie]]"
    assert p.hint.startswith("closest terms: Cross-entropy")
    # Shown in red where it stands (as a broken formula is), with the closest terms; no literal [[...]].
    assert "[[" not in out
    assert '<span class="grimoire-term-error" title="unknown term; closest: Cross-entropy' in out
    assert "&#91;&#91;cross entropie&#93;&#93;" in out


def test_an_unknown_reference_is_escaped_where_it_is_shown() -> None:
    out, _ = link_terms('[[<b onclick="x">|t]]', "glossary/p.md", "glossary/p.md", 1, REGISTRY)
    assert "<b" not in out and "&lt;b onclick=&quot;x&quot;&gt;" in out


def test_linked_terms_are_reported() -> None:
    seen = []
    link_terms("[[KL]] [[CE]] [[KL]]", "glossary/p.md", "p.md", 1, REGISTRY, on_link=lambda t: seen.append(t.slug))
    assert seen == ["kl-divergence", "cross-entropy", "kl-divergence"]
