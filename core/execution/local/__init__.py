"""The local executor: a warm pool of worker processes on this machine.

``dispatcher.py`` is the parent's side (:class:`WorkerPool`: queue, deadlines, kills and
replacements); ``worker.py`` is the worker process's main loop.
"""

from rewardkit.execution.local.dispatcher import WorkerPool, WorkersCannotStart

__all__ = ["WorkerPool", "WorkersCannotStart"]
