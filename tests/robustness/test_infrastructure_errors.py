"""Issue item 5: broken files and caches are problems with a file and a line (or warnings), never tracebacks.

One tiny site holds every kind of broken input at once, so the test also
shows the build going on past each to report the others.
"""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import pytest

from grimoire.mathrender.cache import RenderCache
from grimoire.mathrender.slots import FormulaSlots
from tests.conftest import run_mkdocs_build
from tests.robustness.conftest import JUPYTER, front


def test_every_broken_input_is_reported_with_its_place_and_the_build_goes_on(hostile_site) -> None:
    result = hostile_site(
        {
            "glossary/latin1.md": front("Latin").encode() + b"# Latin\n\ncaf\xe9 $x$\n",
            "snippets/__init__.py": "",
            "snippets/latin1.py": b"# a comment\nname = 'caf\xe9'\n",
            "glossary/broken.ipynb": json.dumps({"cells": 5}),
            "glossary/marked.md": front("Marked") + "# Marked\n\nText <![x] more $y$.\n",
            "glossary/slots.md": front("Slots") + "# Slots\n\n$z$ and <!--grimoire-math:99999--> and <!--grimoire-math:0-->\n",
            "glossary/bad-math.md": front("Bad math") + "# Bad math\n\n$\\nope$\n",
        },
        macros="'\\R': '\\mathbb{R}'\n'\\E':\n'\\F': [unclosed\n",
        plugins=JUPYTER,
    )
    log = result.log
    assert result.returncode != 0
    assert "Traceback" not in log and "Error:" not in log.replace("ERROR", "")
    assert "macros.yml:3: not valid YAML" in log
    assert "glossary/latin1.md:8: the file is not valid UTF-8: byte 0xe9" in log
    assert "snippets/latin1.py:2: the file is not valid UTF-8: byte 0xe9" in log
    assert "glossary/broken.ipynb:1: the notebook is not a valid Jupyter notebook" in log
    assert "glossary/marked.md:8: '<![' starts an HTML marked section" in log
    assert "glossary/bad-math.md:8: KaTeX cannot typeset this inline formula" in log
    assert "Grimoire: 6 problems in 6 files" in log
    slots = result.page("glossary/slots/index.html")
    assert slots.count('class="katex"') == 1  # $z$ only: the written placeholders stay comments
    assert "<!--grimoire-math:99999-->" in slots and "<!--grimoire-math:0-->" in slots
    assert "caf\ufffd" in result.page("glossary/latin1/index.html")


def test_a_bare_macro_is_reported_at_its_line_and_the_others_still_work(hostile_site) -> None:
    result = hostile_site(
        {"glossary/a.md": front("A") + "# A\n\n$\\R$\n"}, macros="'\\R': '\\mathbb{R}'\n'\\E':\n"
    )
    assert result.returncode != 0 and "Traceback" not in result.log
    assert "macros.yml:2: macro \\E must expand to a string, got nothing" in result.log
    assert "Grimoire: 1 problem in 1 file" in result.log


def _filled_cache(path: Path) -> None:
    cache = RenderCache(path)
    cache.put_many({f"k{i}": "x" * 2000 for i in range(200)})
    cache.close()


@pytest.mark.parametrize("damage", ["truncate", "garbage"])
def test_a_corrupt_formula_cache_is_a_warning_and_starts_afresh(tmp_path: Path, caplog, damage: str) -> None:
    path = tmp_path / "katex.sqlite3"
    _filled_cache(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3] if damage == "truncate" else b"not a database at all" * 100)
    with caplog.at_level(logging.WARNING, logger="grimoire.cache"):
        cache = RenderCache(path)
        found = cache.get_many([f"k{i}" for i in range(200)])
        cache.put_many({"new": "html"})
        assert cache.get_many(["new"]) == {"new": "html"}
        cache.close()
    assert len(found) < 200
    assert "formula cache" in caplog.text and "starting it afresh" in caplog.text
    again = RenderCache(path)
    assert again.get_many(["new"]) == {"new": "html"}
    again.close()


def test_a_cache_folder_removed_mid_build_is_recreated(tmp_path: Path, caplog) -> None:
    path = tmp_path / ".cache" / "katex.sqlite3"
    cache = RenderCache(path)
    cache.put_many({"a": "1"})
    shutil.rmtree(tmp_path / ".cache")
    with caplog.at_level(logging.WARNING, logger="grimoire.cache"):
        cache.put_many({"b": "2"})
        cache.get_many(["a", "b"])
        cache.close()
    reopened = RenderCache(path)
    assert reopened.get_many(["b"]) == {"b": "2"}
    reopened.close()


def test_a_placeholder_of_another_build_is_left_alone() -> None:
    mine, other = FormulaSlots(), FormulaSlots()
    slot = mine.park("<b>mine</b>")
    foreign = other.park("<i>other</i>")
    page = f"{slot} {foreign} <!--grimoire-math:0--> <!--grimoire-math:{slot[18:-3].split(':')[0]}:7-->"
    assert mine.fill(page).startswith("<b>mine</b> " + foreign + " <!--grimoire-math:0--> <!--grimoire-math:")


def test_a_quiet_build_still_says_what_the_problems_are(hostile_site) -> None:
    # `mkdocs build -q` hides warnings, where the problems are logged: the closing error holds them.
    hostile_site({"glossary/bad.md": front("Bad") + "# Bad\n\n$\\nope$ and $\\alsonope$\n"})
    result = run_mkdocs_build(hostile_site.root, hostile_site.root / "quiet-site", quiet=True)
    assert result.returncode != 0
    assert "Grimoire: 2 problems in 1 file:" in result.log
    assert "glossary/bad.md:8: KaTeX cannot typeset this inline formula: Undefined control sequence: \\nope" in result.log
    assert "\\alsonope" in result.log and "see the messages above" not in result.log
