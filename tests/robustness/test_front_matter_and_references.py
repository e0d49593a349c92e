"""Issue items 8 and 9: front-matter problems do not cascade; malformed references and names are reported once, in place."""

from __future__ import annotations

from pathlib import Path

from grimoire.glossary.frontmatter import read_meta
from grimoire.glossary.model import load_glossary
from grimoire.glossary.references import link_terms
from tests.robustness.conftest import front


def _write(root: Path, files: dict[str, str]) -> list[str]:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, "utf-8")
    return sorted(files)


def test_an_unknown_key_costs_one_problem_and_keeps_the_aliases(tmp_path: Path) -> None:
    paths = _write(tmp_path, {"glossary/softmax.md": front("Softmax", extra="aliases: [soft argmax]\ntagz: [x]\n") + "# S\n"})
    glossary = load_glossary(tmp_path, paths)
    (problem,) = glossary.problems
    assert (problem.location, problem.message) == ("glossary/softmax.md:5", "unknown front matter key 'tagz'")
    _, problems = link_terms("See [[soft argmax]].", "glossary/other.md", "glossary/other.md", 1, glossary.registry)
    assert problems == []


def test_invalid_yaml_is_neither_page_text_nor_a_shift_in_later_lines(hostile_site) -> None:
    result = hostile_site(
        {
            "glossary/broken.md": "---\ntitle: Broken\nsummary: [unclosed\n---\n\n# Broken\n\nSee [[nothing-here]].\n",
        }
    )
    assert result.returncode != 0
    assert "glossary/broken.md:3: front matter is not valid YAML" in result.log
    assert "glossary/broken.md:8: unknown term [[nothing-here]]" in result.log
    assert "summary:" not in result.page("glossary/broken/index.html").split("<article")[1]


def test_an_alias_bomb_under_a_material_key_is_refused_and_not_rendered(hostile_site) -> None:
    levels = "".join(f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n" for p, n in zip("abcde", "bcdef"))
    text = (
        "---\ntitle: Bomb\nsummary: A bomb.\na: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        + levels
        + f"description: [{', '.join(['*f'] * 9)}]\n---\n\n# Bomb\n"
    )
    result = hostile_site({"glossary/bomb.md": text})
    assert result.returncode != 0
    assert "glossary/bomb.md:5: front matter is not valid YAML: aliases (*name) are not allowed here" in result.log
    page = result.page("glossary/bomb/index.html")
    assert len(page) < 100_000 and "'lol', 'lol'" not in page


def test_material_keys_are_type_checked() -> None:
    _, problems = read_meta("g.md", "---\ntitle: T\nsummary: S.\ndescription: [a, b]\nhide: [tocs]\nicon: ../../etc\ncomments: yes please\n---\n")
    assert [(p.line, p.message.split(",")[0]) for p in problems] == [
        (4, "'description' must be one line of text"),
        (5, "'hide' must be a list of parts to hide: navigation"),
        (6, "'icon' must be an icon name such as material/sigma"),
        (7, "'comments' must be true or false"),
    ]


def test_empty_references_are_problems_at_their_line(tmp_path: Path) -> None:
    paths = _write(tmp_path, {"glossary/softmax.md": front("Softmax") + "# S\n"})
    registry = load_glossary(tmp_path, paths).registry
    text = "Fine [[softmax]].\n\n[[|x]] and [[softmax|]] and [[ ]]\n"
    out, problems = link_terms(text, "glossary/b.md", "glossary/b.md", 10, registry)
    assert [(p.line, p.message) for p in problems] == [
        (12, "empty term reference [[|x]]"),
        (12, "empty term reference [[softmax|]]"),
        (12, "empty term reference [[ ]]"),
    ]
    assert 'data-term="softmax"' in out


def test_a_duplicate_alias_is_reported_at_the_new_claim(tmp_path: Path) -> None:
    paths = _write(
        tmp_path,
        {
            "glossary/a-first.md": front("Zeta first", extra="aliases: [one, shared]\n") + "# A\n",
            "glossary/b-second.md": front("Alpha second", extra="aliases:\n  - two\n  - shared\n") + "# B\n",
        },
    )
    (problem,) = load_glossary(tmp_path, paths).problems
    assert problem.location == "glossary/b-second.md:6"  # the "- shared" line
    assert problem.message == "'shared' names two pages: glossary/a-first.md and glossary/b-second.md"


def test_a_case_variant_of_a_title_is_reported_once(tmp_path: Path) -> None:
    paths = _write(
        tmp_path,
        {
            "glossary/softmax.md": front("Softmax") + "# S\n",
            "derivations/softmax.md": front("softmax") + "# s\n",
        },
    )
    problems = load_glossary(tmp_path, paths).problems
    assert [(p.location, p.message) for p in problems] == [
        ("glossary/softmax.md:2", "'Softmax' names two pages: derivations/softmax.md and glossary/softmax.md")
    ]
