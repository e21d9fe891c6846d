"""Engines kept for a process's life, one per config: for trainer adapters that verl and
OpenRLHF load by file path and call as plain functions, with nowhere to keep an engine."""

from __future__ import annotations

import atexit
import json
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from rewardkit.config import EngineConfig, with_training_presets
from rewardkit.engine import RewardEngine
from rewardkit.overrides import operator_config

ConfigSource = str | Path | Mapping[str, Any]

_engines: dict[str, RewardEngine] = {}
_lock = threading.Lock()


def shared_engine(source: ConfigSource, *, route_by: str | None = None) -> RewardEngine:
    """This process's engine for ``source`` (a YAML/TOML path or a config dict), built on
    first use and then reused, so its worker pool stays warm across calls and threads.

    A config that names no verifiers and no ``route_by`` gets ``route_by`` (every installed
    verifier, routed by that column). Verifiers get the training defaults of the TRL adapter
    (math's ``strict`` preset) unless the config sets the option.
    """
    key = json.dumps([source if isinstance(source, Mapping) else str(source), route_by],
                     sort_keys=True, default=str)
    with _lock:
        engine = _engines.get(key)
        if engine is None:
            engine = _engines[key] = _build(source, route_by)
        return engine


def _build(source: ConfigSource, route_by: str | None) -> RewardEngine:
    config = operator_config(source)
    if not config.verifiers and config.route_by is None and route_by is not None:
        config = config.model_copy(update={"route_by": route_by})
    engine = RewardEngine(config=config)
    specs = list(engine.verifiers.values())
    trained = with_training_presets(specs)
    if trained == specs:
        return engine
    engine.close()
    return RewardEngine(config=EngineConfig.model_validate(
        {**config.model_dump(), "verifiers": [spec.model_dump() for spec in trained]}),
        plugin_manager=engine.plugins)


def close_shared_engines() -> None:
    """Stop every engine kept here (at interpreter exit, or to free the workers now)."""
    with _lock:
        engines = list(_engines.values())
        _engines.clear()
    for engine in engines:
        engine.close()


atexit.register(close_shared_engines)
