"""A built site served on 127.0.0.1, and Debian's Chromium to read it: what the browser tests and probes share.

``serving(site_dir)`` serves a folder over HTTP on an ephemeral port (search
needs its worker, which a file:// page cannot start). ``CHROMIUM`` is the
browser the project installs from Debian (``make install``); Playwright's own
browser download is never used. ``CHROMIUM_ARGS`` keep it from calling
Google's services, which a closed network refuses many times per start.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = os.environ.get("GRIMOIRE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def handle(self) -> None:
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the browser left the page before its response was written: nothing to report


@contextmanager
def serving(site_dir: Path) -> Iterator[str]:
    """The URL of ``site_dir`` served on 127.0.0.1 (an ephemeral port) while the block runs."""
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
