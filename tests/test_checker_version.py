"""The checker's version covers exactly the engine code a check's result can depend on."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from grimoire.checks import cache_key
from grimoire.layout import REPOSITORY_ROOT

ENGINE = REPOSITORY_ROOT / "grimoire"


def covered() -> set[Path]:
    found: set[Path] = set()
    for name in cache_key._CHECKER_CODE:
        target = ENGINE / name
        assert target.exists(), f"{name} is in the checker's version but not in the engine"
        found.update(target.rglob("*.py") if target.is_dir() else [target])
    return found


def test_every_engine_module_a_checking_worker_loads_is_in_the_checkers_version() -> None:
    # A fresh interpreter, as a worker is: what running a check imports from the engine.
    loaded = subprocess.run(
        [sys.executable, "-c", "import json, sys, grimoire.checks.worker; "
         "print(json.dumps([m.__file__ for n, m in sys.modules.items() "
         "if n.startswith('grimoire') and getattr(m, '__file__', None)]))"],
        capture_output=True, text=True, check=True, cwd=REPOSITORY_ROOT,
    )
    modules = {Path(f).resolve() for f in json.loads(loaded.stdout)}
    outside = sorted(str(m.relative_to(ENGINE)) for m in modules - covered() if m != ENGINE / "__init__.py")
    assert not outside, f"a check's result may depend on code its cache key ignores: {outside}"


def test_planning_and_marking_code_does_not_invalidate_stored_results() -> None:
    # Changing how the build plans, stores or marks checks must not run every check of the site again.
    files = covered()
    for name in ("checks/build.py", "checks/cache.py", "checks/domain.py"):
        assert ENGINE / name not in files
