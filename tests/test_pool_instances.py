"""Bounded instances: a worker keeps at most ``max_instances`` verifiers and closes the rest.

Before, a worker kept one instance per distinct (name, options) forever: every option set a
client sent left a sandbox (a bubblewrap zygote, warm containers) alive until the worker died.
"""

from __future__ import annotations

import json
import socket
import subprocess
import time
from collections.abc import Callable
from typing import Any

import httpx
import psutil
import pytest
from conftest import sandbox_missing
from pydantic import BaseModel, ConfigDict
from test_server_support import running_server

from rewardkit import Result, Sample, Verifier, hookimpl, make_plugin_manager
from rewardkit.execution import Mode
from rewardkit.execution.local import WorkerPool

CODE = {"completion": "def f():\n    return 1\n", "reference": {"tests": "assert f() == 1"}}


class HolderOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    n: int = 0


class Holder(Verifier):
    """Holds a real child process from its first sample until it is closed."""

    name = "holder"
    Options = HolderOptions

    def __init__(self, options: Any = None) -> None:
        super().__init__(options)
        self._child: subprocess.Popen[bytes] | None = None

    def verify(self, sample: Sample) -> Result:
        if self._child is None:
            self._child = subprocess.Popen(["sleep", "600"])
        return Result(reward=1.0, details={"pid": self._child.pid})

    def close(self) -> None:
        if self._child is not None:
            self._child.kill()
            self._child.wait()
            self._child = None


class HolderPlugin:
    @hookimpl
    def register_verifiers(self, register):  # type: ignore[no-untyped-def]
        register(Holder)


def alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def eventually(condition: Callable[[], bool], seconds: float = 10.0) -> bool:
    """True once ``condition`` holds (closing a sandbox takes a moment); False at the end."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_a_worker_closes_the_least_recently_used_instance():
    pm = make_plugin_manager()
    pm.register(HolderPlugin(), name="holder")
    pool = WorkerPool(pm, workers=1, max_instances=3)
    try:
        def run(n: int) -> int:
            [result] = pool.submit(("holder", json.dumps({"n": n})), "holder", Mode.ONE,
                                   [Sample(completion="x")], 10.0).result()
            assert result.status == "ok", result
            return int(result.details["pid"])

        pids = [run(n) for n in range(50)]
        assert len(set(pids)) == 50  # each option set got its own instance
        assert eventually(lambda: [alive(pid) for pid in pids] == [False] * 47 + [True] * 3)
        assert run(47) == pids[47]  # a kept instance is reused, and becomes the most recent
        new = run(50)  # evicts 48, the least recently used
        assert eventually(lambda: not alive(pids[48]))
        assert all(alive(pid) for pid in (pids[47], pids[49], new))
    finally:
        pool.close()
    assert eventually(lambda: not any(alive(pid) for pid in (pids[47], pids[49], new)))


def worker_pids(running: Any) -> list[int]:
    return [worker.process.pid for worker in running.service.pool._workers]


def bwrap_processes(roots: list[int]) -> list[psutil.Process]:
    """Live bubblewrap processes under the worker processes ``roots``."""
    found = []
    for pid in roots:
        try:
            children = psutil.Process(pid).children(recursive=True)
        except psutil.NoSuchProcess:
            continue
        for child in children:
            try:
                if child.name() == "bwrap" and child.status() != psutil.STATUS_ZOMBIE:
                    found.append(child)
            except psutil.NoSuchProcess:
                pass
    return found


def verify_code(http: httpx.Client, options: dict[str, Any]) -> dict[str, Any]:
    response = http.post("/v1/verify/code", json={"sample": CODE, "options": options})
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    if result["status"] == "error" and "sandbox unavailable" in result["reason"]:
        sandbox_missing(options.get("backend", "process"), RuntimeError(result["reason"]))
    assert (result["status"], result["reward"]) == ("ok", 1.0), result
    return result


#: Distinct option sets sent to a worker that keeps two instances: ten times the bound, so
#: a worker that kept one instance per option set would hold five times the zygotes allowed.
OPTION_SETS = 20


def test_many_option_sets_leave_at_most_max_instances_zygotes():
    """Before: 200 requests with distinct ``time_limit`` values left 200 bubblewrap zygotes
    in the worker (each with its spares), one per option set, until the worker died."""
    with running_server(engine={"max_instances": 2}, workers=1) as running, \
            httpx.Client(base_url=running.url, timeout=60) as http:
        workers = worker_pids(running)
        verify_code(http, {"time_limit": 4.0})
        per_instance = len(bwrap_processes(workers))
        assert per_instance >= 1  # the sandbox is really there to count
        most = 0
        for i in range(1, OPTION_SETS):
            verify_code(http, {"time_limit": round(4.0 - i * 0.01, 2)})
            most = max(most, len(bwrap_processes(workers)))
        assert eventually(lambda: len(bwrap_processes(workers)) <= 2 * per_instance)
        assert most <= 2 * per_instance + per_instance  # one more while an evicted one closes
        assert worker_pids(running) == workers  # no worker was replaced to get there
        left = bwrap_processes(workers)
    # Pool shutdown closes the instances still kept: their sandboxes go too.
    assert eventually(lambda: not any(p.is_running() and p.status() != psutil.STATUS_ZOMBIE
                                      for p in left))


def containers_of(workers: list[int]) -> list[Any]:
    import docker

    from rewardkit.verifiers.code.sandbox.docker_backend import LABEL

    client = docker.DockerClient(base_url="unix:///run/rewardkit-docker.sock")
    owners = {f"{socket.gethostname()}:{pid}" for pid in workers}
    containers = client.containers.list(all=True, filters={"label": LABEL})
    return [c for c in containers if c.labels.get(f"{LABEL}.owner") in owners]


def test_evicted_docker_instances_remove_their_containers():
    """Before: each option set kept ``pool_size`` warm containers for the worker's life."""
    engine = {"max_instances": 2,
              "verifiers": [{"name": "code", "options": {"backend": "docker", "pool_size": 1}}]}
    with running_server(engine=engine, workers=1) as running, \
            httpx.Client(base_url=running.url, timeout=120) as http:
        workers = worker_pids(running)
        try:
            containers_of(workers)
        except Exception as exc:
            sandbox_missing("docker", exc)
        for i in range(8):
            verify_code(http, {"time_limit": round(4.0 - i * 0.1, 1)})
        # Two kept instances, one warm container each, plus a replacement being made.
        assert eventually(lambda: len(containers_of(workers)) <= 2 * 2, 30)
    assert eventually(lambda: containers_of(workers) == [], 30)


@pytest.mark.parametrize("max_instances", [0, -1])
def test_max_instances_must_be_positive(max_instances):
    with pytest.raises(ValueError):
        WorkerPool(make_plugin_manager(), workers=1, max_instances=max_instances)


class BadClose(Verifier):
    """Its close() raises: the worker must log it and go on."""

    name = "bad_close"
    Options = HolderOptions

    def verify(self, sample: Sample) -> float:
        return 1.0

    def close(self) -> None:
        raise RuntimeError("cannot close")


class Counted(Verifier):
    name = "counted"
    inline = True
    closed = 0

    def verify(self, sample: Sample) -> float:
        return 1.0

    def close(self) -> None:
        type(self).closed += 1


class MorePlugin:
    @hookimpl
    def register_verifiers(self, register):  # type: ignore[no-untyped-def]
        register(BadClose)
        register(Counted)


def test_a_close_that_raises_does_not_stop_the_worker():
    pm = make_plugin_manager()
    pm.register(MorePlugin(), name="more")
    with WorkerPool(pm, workers=1, max_instances=1) as pool:
        for n in range(5):
            [result] = pool.submit(("bad_close", json.dumps({"n": n})), "bad_close", Mode.ONE,
                                   [Sample(completion="x")], 10.0).result()
            assert result.status == "ok"
        assert pool.restarts == 0


def test_closing_an_engine_closes_its_own_instances(make_engine, register_plugin):
    register_plugin(MorePlugin())
    Counted.closed = 0
    engine = make_engine(["counted"])
    assert engine.score([{"completion": "x"}])[0].reward == 1.0
    engine.close()
    assert Counted.closed == 1
