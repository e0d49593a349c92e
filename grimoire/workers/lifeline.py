"""A worker process dies with the process that started it.

Ending a build with SIGTERM or SIGKILL runs none of its clean-up, so the
forkserver and its workers must notice by themselves. On Linux the kernel
does it: ``prctl(PR_SET_PDEATHSIG, SIGKILL)`` kills this process when its
parent thread ends (the forkserver is started from the build's main thread
for that reason, ``pool.WorkerPool.submit``). Elsewhere a daemon thread
polls the parent's pid once a second. Multiprocessing's resource tracker
exits by itself once every process holding its pipe is gone.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import threading
import time

_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    parent = os.getppid()
    if sys.platform.startswith("linux") and set_parent_death_signal():
        if os.getppid() != parent:  # the parent ended before the request took effect
            os._exit(1)
        return
    threading.Thread(target=_watch, args=(parent,), name="grimoire-lifeline", daemon=True).start()


def set_parent_death_signal() -> bool:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)
