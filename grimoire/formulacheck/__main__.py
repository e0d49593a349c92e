"""Command line: check the display formulas of some pages (``make check PAGES=...``).

``python -m grimoire.formulacheck [PAGES...]`` checks every display formula
of the given Markdown pages or directories (default: all site pages): runs
each check block, each check-doctest, and reports formulas without a block.
Exits non-zero if anything fails. ``--bench`` prints the time per formula.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from grimoire.formulacheck.pages import items_of_page, site_macros, site_pages
from grimoire.formulacheck.runner import Outcome, run_item


def expand(paths: list[Path]) -> list[Path]:
    pages: list[Path] = []
    for path in paths:
        if path.is_dir():
            pages.extend(sorted(path.rglob("*.md")))
        elif path.exists():
            pages.append(path)
        else:
            raise SystemExit(f"error: no such page: {path}")
    return pages


def bench_table(outcomes: list[Outcome], total: float) -> str:
    timed = sorted((o for o in outcomes if o.kind in ("check", "doctest")), key=lambda o: -o.seconds)
    lines = ["seconds  kind     formula"] + [f"{o.seconds:7.3f}  {o.kind:<8} {o.item_id}" for o in timed]
    mean = sum(o.seconds for o in timed) / len(timed) if timed else 0.0
    lines.append(f"{len(timed)} formulas in {total:.2f} s ({mean * 1000:.0f} ms per formula on average)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m grimoire.formulacheck", description=__doc__.split("\n")[0])
    parser.add_argument("pages", nargs="*", type=Path, help="Markdown pages or directories (default: the site)")
    parser.add_argument("--examples", type=int, default=None, help="override the number of examples per check")
    parser.add_argument("--bench", action="store_true", help="print the time taken by each formula")
    parser.add_argument("-q", "--quiet", action="store_true", help="print failures and the summary only")
    args = parser.parse_args(argv)
    pages = expand(args.pages) if args.pages else site_pages()
    macros = site_macros()
    started = time.perf_counter()
    outcomes: list[Outcome] = []
    for page in pages:
        for item in items_of_page(page):
            outcome = run_item(item, macros, args.examples)
            outcomes.append(outcome)
            if not outcome.ok:
                print(f"FAIL {outcome.message}\n")
            elif not args.quiet:
                detail = f"nocheck: {outcome.message}" if outcome.kind == "nocheck" else f"{outcome.seconds:.2f} s"
                print(f"ok   {outcome.item_id} ({outcome.kind}, {detail})")
    total = time.perf_counter() - started
    if args.bench:
        print(bench_table(outcomes, total))
    failed = sum(not o.ok for o in outcomes)
    from_latex = sum(o.kind == "check" for o in outcomes)
    share = 100.0 * from_latex / len(outcomes) if outcomes else 100.0
    print(f"checked from their own LaTeX: {from_latex} of {len(outcomes)} ({share:.1f}%)")
    print(f"formulas: {len(outcomes) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
