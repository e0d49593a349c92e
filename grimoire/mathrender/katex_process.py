"""One long-lived Node process running the npm ``katex`` package.

Spawning a process per formula costs about 0.1 s each (see
``shared/design/math-rendering.md``); one process fed JSON lines renders about
a thousand formulas a second. Requests are pipelined: a writer thread feeds
stdin while this thread reads stdout, so neither pipe can fill up and block
the other.

Hand-written rather than taken from mkdocs-katex-ssr, which measured 15 of
300 formulas silently unrendered and ignores the KaTeX version and options in
its cache key.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

WORKER_SCRIPT = Path(__file__).with_name("katex_worker.mjs")


class KatexUnavailable(RuntimeError):
    """Node or the katex package cannot be found or started."""


@dataclass(frozen=True)
class RenderRequest:
    tex: str
    display: bool


@dataclass(frozen=True)
class RenderResult:
    html: str | None
    error: str | None = None
    position: int | None = None  # offset in the TeX where KaTeX failed
    warnings: tuple[str, ...] = ()


def katex_version(katex_dir: Path) -> str:
    """The version of the katex package at ``katex_dir`` (its package.json)."""
    try:
        return str(json.loads((katex_dir / "package.json").read_text("utf-8"))["version"])
    except FileNotFoundError:
        raise KatexUnavailable(
            f"KaTeX is not installed at {katex_dir}; run `npm ci` (or `make install`)"
        ) from None


class KatexProcess:
    """A Node process rendering TeX with KaTeX; start it once, reuse it for a build."""

    def __init__(self, katex_dir: Path, options: dict, macros: dict[str, str]) -> None:
        node = shutil.which("node")
        if node is None:
            raise KatexUnavailable("`node` is not on PATH; install Node.js 20 or newer")
        katex_version(katex_dir)  # fail early with a clear message
        self._proc = subprocess.Popen(
            [node, str(WORKER_SCRIPT)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            encoding="utf-8",
            bufsize=1 << 16,
        )
        self._next_id = 0
        config = {"katex": str(katex_dir.resolve()), "options": options, "macros": macros}
        self._write_lines([json.dumps(config)])
        ready = self._read_message()
        if not ready.get("ready"):
            raise KatexUnavailable(f"the KaTeX worker did not start: {ready}")
        self.version: str = ready["version"]

    def render(self, requests: Sequence[RenderRequest]) -> list[RenderResult]:
        """Render every request; results come back in the same order."""
        if not requests:
            return []
        first = self._next_id
        self._next_id += len(requests)
        payload = [
            json.dumps({"id": first + i, "tex": r.tex, "display": r.display})
            for i, r in enumerate(requests)
        ]
        writer = threading.Thread(target=self._write_lines, args=(payload,), daemon=True)
        writer.start()
        results: list[RenderResult] = []
        for i in range(len(requests)):
            message = self._read_message()
            if message.get("id") != first + i:
                raise KatexUnavailable(f"KaTeX worker answered out of order: {message}")
            results.append(
                RenderResult(
                    html=message.get("html"),
                    error=message.get("error"),
                    position=message.get("position"),
                    warnings=tuple(message.get("warnings", ())),
                )
            )
        writer.join()
        return results

    def close(self) -> None:
        if self._proc.poll() is None:
            assert self._proc.stdin is not None
            self._proc.stdin.close()
            try:
                self._proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        for stream in (self._proc.stdout, self._proc.stderr):
            if stream is not None:
                stream.close()

    def __enter__(self) -> KatexProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _write_lines(self, lines: Iterable[str]) -> None:
        assert self._proc.stdin is not None
        self._proc.stdin.write("".join(line + "\n" for line in lines))
        self._proc.stdin.flush()

    def _read_message(self) -> dict:
        assert self._proc.stdout is not None
        line = self._proc.stdout.readline()
        if not line:
            stderr = self._proc.stderr.read() if self._proc.stderr else ""
            raise KatexUnavailable(f"the KaTeX worker exited unexpectedly:\n{stderr.strip()}")
        return json.loads(line)
