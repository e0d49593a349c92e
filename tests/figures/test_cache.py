"""The on-disk figure cache: atomic writes, corrupt entries detected."""

from __future__ import annotations

from pathlib import Path

from grimoire.figures.cache import FigureCache


def test_store_then_load(tmp_path: Path) -> None:
    cache = FigureCache(tmp_path / "figures")
    assert cache.load("k") is None
    cache.store("k", "<svg>é</svg>\n")
    assert cache.load("k") == "<svg>é</svg>\n"
    assert [p.name for p in (tmp_path / "figures").iterdir()] == ["k.svg"]  # no temporary left


def test_a_corrupt_entry_is_a_miss_and_is_removed(tmp_path: Path) -> None:
    cache = FigureCache(tmp_path)
    cache.store("k", "<svg>1</svg>\n")
    path = cache.path("k")
    path.write_text(path.read_text("utf-8").replace("1", "2"), "utf-8")
    assert cache.load("k") is None
    assert not path.exists()
    path.write_bytes(b"\xff\xfe not utf-8")
    assert cache.load("k") is None
    path.write_text("<svg>without a header</svg>", "utf-8")
    assert cache.load("k") is None
    cache.store("k", "<svg>3</svg>\n")
    assert cache.load("k") == "<svg>3</svg>\n"
