"""The pilot pages' figure references all name existing snippet functions."""

from __future__ import annotations

from pathlib import Path

from grimoire.figures.references import find_references, parse_target
from grimoire.figures.snippet_source import SnippetIndex
from grimoire.layout import content_files

REQUIRED = {
    "glossary/brownian-motion.md": "random_walks.walks_to_brownian",
    "glossary/softmax.md": "activations.softmax_temperatures",
    "glossary/poisson-distribution.md": "distributions.poisson_pmfs",
    "glossary/binomial-distribution.md": "distributions.binomial_pmfs",
    "glossary/entropy.md": "information.bernoulli_entropy",
    "glossary/exponential-moving-average.md": "averages.ema_smoothing",
    "derivations/attention-scaling.md": "attention.logit_variance_scaling",
}


def test_every_reference_resolves_and_the_pilot_figures_are_there(project_root: Path) -> None:
    index = SnippetIndex(project_root)
    found: dict[str, list[str]] = {}
    for rel in content_files(project_root):
        if rel.endswith(".md"):
            refs = find_references((project_root / rel).read_text("utf-8"))
            found[rel] = [r.target for r in refs]
            for ref in refs:
                target = parse_target(ref.target)
                assert target is not None, (rel, ref)
                module = index.module(target.module)
                assert module is not None, (rel, ref)
                assert target.function in module.functions, (rel, ref)
                assert ref.alt and ref.caption, (rel, ref)
    for page, target in REQUIRED.items():
        assert target in found[page], page
    assert sum(len(targets) for targets in found.values()) >= 8
