"""One pool of worker processes for all project Python: figures and formula checks.

The main (MkDocs) process never imports a snippet module. Whatever runs the
author's code (drawing a figure, checking a formula against its
implementation) is a *job*: a picklable object with a ``key``, a ``timeout``
and an ``execute()`` method that runs in a worker and returns a picklable
outcome without raising. The pool (``pool``) runs jobs in parallel under a
time limit and turns a dead or silent worker into an outcome the job makes
(``Job.failed``). Inside the worker, ``sandbox`` gives each job a scratch
working directory, captures its output, refuses writes outside that
directory, and raises ``JobTimeout`` when its time is up. ``lifeline`` makes
every worker (and the forkserver) die with the process that started it, so
killing a build leaves no process behind. ``preload`` is what the forkserver
imports once, so workers start with their libraries loaded.
"""
