"""Where units of verification run: the executor interface and its implementations.

- ``interface.py``: the :class:`Executor` protocol, the :class:`Batch` it returns, units
  (:data:`VerifierRef`, :class:`Mode`) and :class:`PoolClosed`; a new executor is written
  against it alone.
- ``units.py``: running one unit (a verifier over samples) into Results, wherever it runs.
- ``local/``: the warm pool of worker processes (``dispatcher.py`` | ``worker.py``).
- ``ray.py``: the same units spread over a Ray cluster (imported only when configured).
"""

from __future__ import annotations

from rewardkit.config import EngineConfig
from rewardkit.execution.interface import Batch, Executor, Mode, PoolClosed, VerifierRef
from rewardkit.execution.units import arun_unit, error_result, json_safe, mode_of, run_unit
from rewardkit.plugins import PluginManager

__all__ = ["Batch", "Executor", "Mode", "PoolClosed", "VerifierRef", "arun_unit", "error_result",
           "json_safe",
           "mode_of", "run_unit", "start_executor"]


def start_executor(config: EngineConfig, plugin_manager: PluginManager) -> Executor:
    """The executor ``config`` asks for: a local :class:`WorkerPool` or a Ray one.

    For sharing one executor between engines (``RewardEngine(..., pool=executor)``).
    """
    if config.executor == "ray":
        from rewardkit.execution.ray import RayExecutor

        return RayExecutor(plugin_manager, address=config.ray_address, actors=config.ray_actors,
                           workers=config.workers, memory_limit_mb=config.memory_limit_mb,
                           max_instances=config.max_instances,
                           start_timeout=config.worker_start_timeout,
                           resources=config.ray_resources)
    from rewardkit.execution.local import WorkerPool

    return WorkerPool(plugin_manager, workers=config.worker_count,
                      start_method=config.start_method, memory_limit_mb=config.memory_limit_mb,
                      max_instances=config.max_instances,
                      start_timeout=config.worker_start_timeout,
                      preload=[spec.name for spec in config.verifiers])
