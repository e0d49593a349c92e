"""Imported once by the forkserver, so every worker starts with its libraries loaded.

Only the forkserver imports this module (its first act is to tie the
forkserver's life to the build's, ``lifeline``). Nothing from the engine's
checking or drawing code is imported here: workers import it fresh, so
``mkdocs serve`` picks up edits, and no snippet module is ever imported here.
"""

from __future__ import annotations

from grimoire.workers import lifeline
from grimoire.workers.environment import prepare_environment

lifeline.die_with_parent()
prepare_environment()

import matplotlib  # noqa: E402

matplotlib.use("agg", force=True)

import hypothesis  # noqa: E402, F401
import matplotlib.backends.backend_svg  # noqa: E402, F401
import matplotlib.figure  # noqa: E402, F401
import matplotlib.pyplot  # noqa: E402, F401
import numpy  # noqa: E402, F401
import scipy  # noqa: E402, F401
import scipy.special  # noqa: E402, F401
import scipy.stats  # noqa: E402, F401
