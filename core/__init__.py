"""rewardkit: pluggable verifiers and rewards for RL with verifiable rewards.

A plugin needs only ``from rewardkit import hookimpl, Verifier, Sample, Result``.
Importing this package stays light: torch, trl, fastapi, sympy and docker load only in
the face or verifier that uses them.
"""

from rewardkit.config import ConfigError, EngineConfig, VerifierSpec, load_config
from rewardkit.engine import RewardEngine, score, verify
from rewardkit.hookspecs import hookimpl
from rewardkit.models import Result, Sample, Score, Status
from rewardkit.plugins import (
    PluginError,
    PluginManager,
    UnknownVerifier,
    get_plugin_manager,
    make_plugin_manager,
)
from rewardkit.verifier import Trust, Verifier, VerifierOptions

__all__ = [
    "ConfigError",
    "EngineConfig",
    "PluginError",
    "PluginManager",
    "Result",
    "RewardEngine",
    "Sample",
    "Score",
    "Status",
    "Trust",
    "UnknownVerifier",
    "Verifier",
    "VerifierOptions",
    "VerifierSpec",
    "get_plugin_manager",
    "hookimpl",
    "load_config",
    "make_plugin_manager",
    "score",
    "verify",
]
__version__ = "0.1.0"
