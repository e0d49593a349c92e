"""Settings of the work done in worker processes: mkdocs.yml ``extra: grimoire:``
overridden by environment variables.

- ``figure_timeout`` / ``GRIMOIRE_FIGURE_TIMEOUT`` (default 30): seconds one
  figure function may take, import and saving included.
- ``check_timeout`` / ``GRIMOIRE_CHECK_TIMEOUT`` (default 30): seconds one
  formula check may take, all its examples included.
- ``figure_workers`` / ``GRIMOIRE_FIGURE_WORKERS`` (default 2, at most the
  number of CPUs): worker processes, shared by figures and formula checks.
- ``GRIMOIRE_CHECKS=off`` (environment only): run no formula check. For
  benchmarks (``make bench`` compares builds with and without checks): every
  mark then says "not checked in this build" and the build reports it as a
  problem, so a strict build never passes without its checks.
- ``GRIMOIRE_FAIL_FAST=1`` (environment only): stop the build at the first
  problem instead of reporting every problem and failing once at the end.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

TRUE = frozenset({"1", "true", "yes", "on"})
OFF = frozenset({"0", "false", "no", "off"})


@dataclass(frozen=True)
class FigureSettings:
    timeout: float = 30.0
    workers: int = 2
    check_timeout: float = 30.0
    checks: bool = True
    fail_fast: bool = False
    grace: float = 10.0  # how long the pool waits past the timeout before killing a worker

    @classmethod
    def read(
        cls, extra: Mapping[str, object] | None = None, env: Mapping[str, str] | None = None
    ) -> tuple[FigureSettings, list[str]]:
        """Settings from ``extra`` (mkdocs.yml ``extra: grimoire:``) and ``env``, plus errors."""
        extra = extra or {}
        env = os.environ if env is None else env
        errors: list[str] = []
        default_workers = min(2, os.cpu_count() or 1)
        raw_timeout = env.get("GRIMOIRE_FIGURE_TIMEOUT", extra.get("figure_timeout"))
        raw_workers = env.get("GRIMOIRE_FIGURE_WORKERS", extra.get("figure_workers"))
        raw_check = env.get("GRIMOIRE_CHECK_TIMEOUT", extra.get("check_timeout"))
        timeout = _number(raw_timeout, 30.0, float, "figure_timeout", errors)
        workers = _number(raw_workers, default_workers, int, "figure_workers", errors)
        check_timeout = _number(raw_check, 30.0, float, "check_timeout", errors)
        fail_fast = str(env.get("GRIMOIRE_FAIL_FAST", "")).strip().lower() in TRUE
        checks = str(env.get("GRIMOIRE_CHECKS", "on")).strip().lower() not in OFF
        return cls(timeout=timeout, workers=workers, check_timeout=check_timeout, checks=checks,
                   fail_fast=fail_fast), errors


def _number(raw: object, default, kind, name: str, errors: list[str]):
    if raw is None or raw == "":
        return default
    try:
        value = kind(raw)
    except (TypeError, ValueError):
        errors.append(f"{name} must be a positive number, not {raw!r}; using {default}")
        return default
    if value <= 0:
        errors.append(f"{name} must be positive, not {raw!r}; using {default}")
        return default
    return value
