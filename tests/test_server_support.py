"""A real uvicorn server on a free loopback port, with test verifiers, for the server tests.

Holds no tests itself; test_server*.py and test_client*.py use :func:`running_server`.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import httpx
import uvicorn
from pydantic import BaseModel, ConfigDict

from rewardkit import Result, Sample, Verifier, hookimpl, make_plugin_manager
from rewardkit.server import ServerSettings, create_app


class Sleepy(Verifier):
    """Sleeps for the number of seconds the completion starts with ("0.5#3" sleeps 0.5 s)."""

    name = "sleepy"

    def verify(self, sample: Sample) -> float:
        time.sleep(float(sample.completion_text.split("#")[0]))
        return 1.0


class Bomb(Verifier):
    """Burns CPU until its deadline kills it (a math bomb stand-in)."""

    name = "bomb"
    timeout = 1.0

    def verify(self, sample: Sample) -> float:
        while True:
            pass


class Boom(Verifier):
    name = "boom"

    def verify(self, sample: Sample) -> float:
        raise ValueError("kaboom")


class TunableOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    timeout_s: float = 1.0
    memory_mb: int = 100
    threshold: int = 3


class Tunable(Verifier):
    """1.0 when the completion is at least ``threshold`` characters long."""

    name = "tunable"
    Options = TunableOptions
    inline = True

    def verify(self, sample: Sample) -> Result:
        options = self.options
        assert isinstance(options, TunableOptions)
        if sample.metadata.get("skip"):
            return Result.skipped("asked to skip")
        return Result(reward=float(len(sample.completion_text) >= options.threshold))


class TestPlugin:
    @hookimpl
    def register_verifiers(self, register):  # type: ignore[no-untyped-def]
        for verifier in (Sleepy, Bomb, Boom, Tunable):
            register(verifier)


class RunningServer:
    def __init__(self, url: str, server: uvicorn.Server, app: Any) -> None:
        self.url = url
        self.server = server
        self.app = app

    @property
    def service(self) -> Any:
        return self.app.state.service


def score_requests(server: RunningServer) -> float:
    """How many ``/v1/score`` requests ``server`` has answered with 200 (its own metrics)."""
    text = httpx.get(f"{server.url}/metrics").text
    prefix = 'rewardkit_http_requests_total{method="POST",route="/v1/score",status="200"} '
    return sum(float(line.removeprefix(prefix)) for line in text.splitlines()
               if line.startswith(prefix))


def free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@contextmanager
def running_server(settings: ServerSettings | None = None, *, workers: int = 2,
                   plugins: Sequence[object] = (), **fields: Any) -> Iterator[RunningServer]:
    """Serve an app with the test verifiers (and ``plugins``) on 127.0.0.1 in a thread;
    stop it afterwards."""
    if settings is None:
        engine = {"workers": workers, **fields.pop("engine", {})}
        settings = ServerSettings.model_validate({"engine": engine, **fields})
    pm = make_plugin_manager()
    pm.register(TestPlugin(), name="server-test-plugin")
    for index, plugin in enumerate(plugins):
        pm.register(plugin, name=f"server-test-extra-{index}")
    app = create_app(settings, plugin_manager=pm)
    sock = free_socket()
    config = uvicorn.Config(app, log_level="warning", timeout_keep_alive=5,
                            timeout_graceful_shutdown=2)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.01)
    port = sock.getsockname()[1]
    try:
        yield RunningServer(f"http://127.0.0.1:{port}", server, app)
    finally:
        server.should_exit = True
        thread.join(15)
        sock.close()
