"""Formulas in, KaTeX HTML out: the cache in front of the Node process.

The Node process starts only when a formula is missing from the cache, so a
warm build never pays for it. Only clean renders are cached: a formula that
failed or raised a strict-mode warning is rendered again next build, so a warm
build reports exactly what a cold one does. A formula over the TeX length
limit never reaches KaTeX (see ``limits``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from .cache import RenderCache, render_key, settings_digest
from .katex_process import KatexProcess, RenderRequest, RenderResult, katex_version
from .limits import DEFAULT_LIMITS, MathLimits, tex_too_long

# Bounded macro expansion and sizes, so one bad formula cannot hang or blow up
# the build. Trust is always off: the worker refuses \href, \url,
# \includegraphics and the like, reporting them as errors.
KATEX_OPTIONS = MappingProxyType(
    {
        "output": "htmlAndMathml",
        "throwOnError": True,
        "strict": "warn",
        "maxExpand": 1000,
        "maxSize": 10,
    }
)


@dataclass
class RenderStats:
    requested: int = 0
    cache_hits: int = 0
    rendered: int = 0
    failed: int = 0


class MathRenderer:
    """Renders batches of formulas with one KaTeX version, option set and macro set."""

    def __init__(
        self,
        katex_dir: Path,
        macros: dict[str, str],
        cache_path: Path | None,
        limits: MathLimits = DEFAULT_LIMITS,
    ) -> None:
        self.katex_dir = katex_dir
        self.limits = limits
        self.macros = dict(macros)
        self.katex_version = katex_version(katex_dir)
        self._digest = settings_digest(self.katex_version, dict(KATEX_OPTIONS), self.macros)
        self._cache = RenderCache(cache_path)
        self._process: KatexProcess | None = None
        self.stats = RenderStats()

    def render(self, requests: Sequence[RenderRequest]) -> list[RenderResult]:
        keys = [render_key(r.tex, r.display, self._digest) for r in requests]
        cached = self._cache.get_many(keys)
        self.stats.requested += len(requests)
        results: list[RenderResult | None] = [
            RenderResult(html=cached[k]) if k in cached else None for k in keys
        ]
        self.stats.cache_hits += sum(r is not None for r in results)
        for i, request in enumerate(requests):
            if results[i] is None and len(request.tex) > self.limits.max_tex_chars:
                results[i] = RenderResult(html=None, error=tex_too_long(len(request.tex), self.limits))
                self.stats.failed += 1
        # Render each distinct missing formula once, however often it appears.
        missing = list(dict.fromkeys(k for k, r in zip(keys, results) if r is None))
        if missing:
            by_key = {k: req for k, req in zip(keys, requests)}
            fresh = self._ensure_process().render([by_key[k] for k in missing])
            rendered = dict(zip(missing, fresh))
            self.stats.rendered += len(fresh)
            self.stats.failed += sum(r.error is not None for r in fresh)
            self._cache.put_many(
                {k: r.html for k, r in rendered.items() if r.html is not None and not r.warnings}
            )
            results = [r if r is not None else rendered[k] for k, r in zip(keys, results)]
        return [r for r in results if r is not None]

    def close(self) -> None:
        if self._process is not None:
            self._process.close()
            self._process = None
        self._cache.close()

    def _ensure_process(self) -> KatexProcess:
        if self._process is None:
            self._process = KatexProcess(self.katex_dir, dict(KATEX_OPTIONS), self.macros, self.limits)
        return self._process
