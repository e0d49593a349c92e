"""Grimoire's build engine: plain Python that MkDocs hooks call into.

Nothing in this package imports MkDocs; ``build_hooks/`` adapts MkDocs events
to the functions here, so every part can be tested without building a site.
"""
