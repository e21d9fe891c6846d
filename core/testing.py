"""Pytest fixtures for testing verifiers and plugins (loaded automatically: a ``pytest11`` plugin).

In a plugin's own test suite::

    def test_contains(register_plugin, score_sample):
        register_plugin(my_plugin_module)
        result = score_sample("contains", completion="the answer is 42", reference="42")
        assert result.status == "ok" and result.reward == 1.0

Every test gets a fresh plugin manager with the installed plugins loaded, so what one test
registers never leaks into another.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import pytest

from rewardkit.engine import RewardEngine
from rewardkit.models import Result, Sample
from rewardkit.plugins import PluginManager, make_plugin_manager

if TYPE_CHECKING:
    from rewardkit.probe import ProbeReport


@pytest.fixture
def plugin_manager() -> PluginManager:
    """A fresh plugin manager holding the installed plugins (``REWARDKIT_LOAD_PLUGINS`` applies)."""
    return make_plugin_manager()


@pytest.fixture
def register_plugin(plugin_manager: PluginManager) -> Iterator[Callable[..., str | None]]:
    """``register_plugin(plugin, name=None)``: register a plugin for this test only."""
    registered: list[object] = []

    def register(plugin: object, name: str | None = None) -> str | None:
        registered.append(plugin)
        return plugin_manager.register(plugin, name=name)

    try:
        yield register
    finally:
        for plugin in registered:
            if plugin_manager.is_registered(plugin):
                plugin_manager.unregister(plugin)


@pytest.fixture
def make_engine(plugin_manager: PluginManager) -> Iterator[Callable[..., RewardEngine]]:
    """``make_engine(verifiers, **settings)``: an engine on this test's plugins, closed after."""
    engines: list[RewardEngine] = []

    def make(verifiers: Any = None, **settings: Any) -> RewardEngine:
        settings.setdefault("workers", 1)
        engine = RewardEngine(verifiers, plugin_manager=plugin_manager, **settings)
        engines.append(engine)
        return engine

    try:
        yield make
    finally:
        for engine in engines:
            engine.close()


@pytest.fixture
def score_sample(make_engine: Callable[..., RewardEngine]) -> Callable[..., Result]:
    """``score_sample(verifier, completion, reference=None, prompt="", metadata=None,
    timeout=None, **options)``: one verifier's Result for one sample, run as in training."""

    def score(verifier: str, completion: Any, reference: Any = None, prompt: Any = "",
              metadata: dict[str, Any] | None = None, timeout: float | None = None,
              **options: Any) -> Result:
        spec: dict[str, Any] = {"name": verifier, "options": options}
        if timeout is not None:
            spec["timeout"] = timeout
        engine = make_engine([spec])
        sample = Sample(prompt=prompt, completion=completion, reference=reference,
                        metadata=metadata or {})
        return engine.score([sample])[0].results[0]

    return score


@pytest.fixture
def probe_verifier(plugin_manager: PluginManager) -> Callable[..., ProbeReport]:
    """``probe_verifier(verifier, rows, threshold=0.0, only=None, **options)``: attack a
    verifier with completions built from ``rows`` (dicts with a prompt and a reference), as
    ``rewardkit probe`` does; returns the :class:`~rewardkit.probe.ProbeReport`.

    In a plugin's suite::

        def test_my_verifier_cannot_be_gamed(probe_verifier):
            report = probe_verifier("my_verifier", [{"prompt": "2+2?", "answer": "4"}])
            assert report.passed, report.table()
    """
    from rewardkit.probe import probe

    def run(verifier: str, rows: Iterable[Sample | Mapping[str, Any]], *,
            threshold: float = 0.0, only: Sequence[str] | None = None,
            timeout: float | None = None, **options: Any) -> ProbeReport:
        return probe(verifier, rows, options=options, threshold=threshold, only=only,
                     plugin_manager=plugin_manager, timeout=timeout)

    return run
