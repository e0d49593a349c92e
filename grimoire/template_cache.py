"""Compiled theme templates kept in memory across ``mkdocs serve`` rebuilds.

MkDocs makes a new Jinja environment for every build, which compiles
Material's templates again: about a second of every rebuild, whatever the
site's size. Jinja's bytecode caches exist for this; its own two keep the
code in files or memcached, so this one keeps it in the serve session's
memory. Jinja checks each template's source checksum, so an edited template
is compiled again.
"""

from __future__ import annotations

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket


class MemoryBytecodeCache(BytecodeCache):
    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()

    def clear(self) -> None:
        self._code.clear()
