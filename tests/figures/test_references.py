"""Finding `![alt](figure:module.function "caption")` references in Markdown source."""

from __future__ import annotations

from grimoire.figures.references import FigureTarget, find_references, parse_target


def test_a_reference_gives_target_alt_caption_and_line() -> None:
    source = '# Title\n\nText.\n\n![A plot of x](figure:activations.softmax_temperatures "The caption.")\n'
    (ref,) = find_references(source)
    assert ref.target == "activations.softmax_temperatures"
    assert ref.alt == "A plot of x"
    assert ref.caption == "The caption."
    assert ref.line == 5


def test_single_quoted_missing_caption_and_several_per_line() -> None:
    source = "![a](figure:m.f 'One') and ![b](figure:m.g)\n\n    ![c](figure:pkg.sub.h)\n"
    refs = find_references(source)
    assert [(r.target, r.caption, r.line) for r in refs] == [
        ("m.f", "One", 1),
        ("m.g", None, 1),
        ("pkg.sub.h", None, 3),
    ]


def test_references_in_code_are_not_references() -> None:
    source = (
        "```markdown\n![a](figure:m.f)\n```\n\n"
        "~~~~\n![b](figure:m.g)\n~~~~\n\n"
        "Write `![c](figure:m.h)` to embed.\n\n"
        "![d](figure:m.real)\n"
    )
    assert [(r.target, r.line) for r in find_references(source)] == [("m.real", 11)]


def test_ordinary_images_are_ignored() -> None:
    assert find_references("![logo](img/logo.png)\n![x](https://example.org/figure:a.b)\n") == []


def test_targets() -> None:
    assert parse_target("averages.ema_smoothing") == FigureTarget("averages", "ema_smoothing")
    assert parse_target("pkg.sub.fn") == FigureTarget("pkg.sub", "fn")
    assert parse_target("pkg.sub.fn").module_path == "snippets/pkg/sub.py"
    for bad in ("", "nodot", "a.", ".b", "a.b-c", "a b.c", "1a.b"):
        assert parse_target(bad) is None, bad
