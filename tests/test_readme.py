"""The README is complete on its own: its examples check, its paths exist, its Node version is the lock's."""

from __future__ import annotations

import json
import re

import pytest

from grimoire.formulacheck.blocks import CheckBlock, DoctestBlock, NocheckBlock
from grimoire.formulacheck.pages import items_of_text, site_macros
from grimoire.formulacheck.runner import run_item
from grimoire.layout import REPOSITORY_ROOT

README = (REPOSITORY_ROOT / "README.md").read_text("utf-8")
EXAMPLES = "\n\n".join(re.findall(r"```markdown\n(.*?)```", README, re.DOTALL))
ITEMS = [item for item in items_of_text(EXAMPLES, "README.md") if item.block is not None]


@pytest.mark.parametrize("item", ITEMS, ids=lambda item: item.formula.latex[:40])
def test_every_check_example_passes(item) -> None:
    outcome = run_item(item, site_macros(), examples=20)
    assert outcome.ok, outcome.message


def test_every_check_block_form_has_an_example() -> None:
    blocks = [item.block for item in ITEMS]
    assert any(isinstance(b, DoctestBlock) for b in blocks) and any(isinstance(b, NocheckBlock) for b in blocks)
    checks = "\n".join(item.formula.block.body for item in ITEMS if isinstance(item.block, CheckBlock))
    for form in (" : int ", " : vector(", " := snippets.", " ~ normal(", " \\in ", "@index ", "@tol ", "@identity",
                 "\\mathrm{softmax}(2, 1, 0.1) := "):
        assert form in checks, form


def test_paths_the_readme_names_are_in_the_repository() -> None:
    assert "../" not in README and not re.search(r"(?<![\w.])/work/", README)
    named = set(re.findall(r"`((?:\.?[\w-]+/)+[\w.-]*|[\w-]+\.(?:yml|json|lock|txt|toml|py|md))`", README))
    generated = {"site/", ".venv/", "node_modules/", ".cache/grimoire/checks/", ".cache/grimoire/figures/",
                 ".cache/grimoire/katex.sqlite3", "glossary/<slug>.md", "derivations/<slug>.md", "test-artifacts/"}
    missing = sorted(p for p in named - generated if not (REPOSITORY_ROOT / p.rstrip("/")).exists()
                     and not p.startswith(("glossary/<", "derivations/<")))
    assert not missing, missing


def test_the_node_version_is_the_one_the_lock_needs() -> None:
    lock = json.loads((REPOSITORY_ROOT / "package-lock.json").read_text("utf-8"))
    needed = max(
        tuple(int(x) for x in re.fullmatch(r">=\s*([\d.]+)", spec["engines"]["node"]).group(1).split("."))
        for spec in lock["packages"].values()
        if "node" in spec.get("engines", {})
    )
    stated = re.search(r"Node\.js (\d+(?:\.\d+)*)\+", README)
    assert stated is not None
    assert tuple(int(x) for x in stated.group(1).split(".")) == needed[: len(stated.group(1).split("."))]
