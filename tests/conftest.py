"""Shared test plugins. rewardkit.testing's fixtures (plugin_manager, register_plugin,
make_engine, score_sample) are loaded automatically through its pytest11 entry point."""

from __future__ import annotations

import ctypes
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

import pytest
import ray_cluster
from ray_cluster import ray_cluster_fixture  # noqa: F401  (test_ray_*.py)

from rewardkit import Result, Sample, Verifier, hookimpl


class Faulty(Verifier):
    """Misbehaves as the completion says: every fault the engine must contain."""

    name = "faulty"
    description = "test verifier that misbehaves on request"

    def verify(self, sample: Sample) -> object:
        kind = sample.completion_text
        if kind == "raise":
            raise ValueError("boom")
        if kind == "hang":
            time.sleep(600)
        if kind == "busy":
            while True:
                pass
        if kind == "exit":
            os._exit(3)
        if kind == "segfault":
            ctypes.string_at(0)
        if kind == "sysexit":
            raise SystemExit(0)
        if kind == "huge":
            return Result(reward=1.0, details={"blob": "x" * 40_000_000})
        if kind == "unpicklable":
            return Unpicklable()
        if kind == "nan":
            return float("nan")
        if kind == "error-with-reward":
            return Result(reward=1.0, status="error", reason="broken")
        return 1.0


class Unpicklable:
    def __reduce__(self) -> object:
        raise TypeError("cannot pickle me")


class FaultyPlugin:
    @hookimpl
    def register_verifiers(self, register):  # type: ignore[no-untyped-def]
        register(Faulty)


@pytest.fixture
def faulty(register_plugin):  # type: ignore[no-untyped-def]
    register_plugin(FaultyPlugin(), name="faulty-plugin")
    return Faulty


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    # The Ray cluster fixture keeps its cluster for the next module when its test uses it.
    ray_cluster.following[0] = nextitem
    yield


def pytest_sessionfinish() -> None:
    ray_cluster.stop_kept()


def sandbox_missing(backend: str, exc: BaseException) -> NoReturn:
    """Skip a test whose sandbox backend is missing, or fail it when the run requires sandboxes.

    ``make test`` sets ``REWARDKIT_REQUIRE_SANDBOXES=1``: there a missing bwrap or dockerd is a
    failure, so CI can never go green without the sandboxes it claims to test.
    """
    message = f"{backend} backend unavailable here: {exc}"
    if os.environ.get("REWARDKIT_REQUIRE_SANDBOXES") == "1":
        pytest.fail(f"{message} (REWARDKIT_REQUIRE_SANDBOXES=1)", pytrace=False)
    pytest.skip(message)


def code_verifier_on(backend: str, options: dict[str, Any]) -> Iterator[Any]:
    """A code verifier on ``backend`` with ``options``, closed afterwards (for ``yield from``
    in a fixture); a missing backend goes through :func:`sandbox_missing`."""
    from rewardkit.verifiers.code import CodeVerifier
    from rewardkit.verifiers.code.sandbox import SandboxUnavailable

    verifier = CodeVerifier({**options, "backend": backend})
    try:
        verifier.backend()
    except SandboxUnavailable as exc:
        sandbox_missing(backend, exc)
    yield verifier
    verifier.close()


def host_processes_marked(marker: bytes) -> int:
    """Processes on the host whose command line carries ``marker`` (set by a probe that tries
    to leave a process behind its run)."""
    count = 0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker in (entry / "cmdline").read_bytes():
                    count += 1
            except OSError:
                pass  # it ended meanwhile
    return count


@pytest.fixture
def host_service():  # type: ignore[no-untyped-def]
    """The port of a TCP service on the host's loopback; the test fails if a sandboxed program
    connected to it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    accepted: list[object] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except OSError:
                continue
            accepted.append(connection)
            connection.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    server.close()
    assert accepted == [], "a sandboxed program reached a service on the host"
