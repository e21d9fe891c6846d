"""A real Ray cluster of three nodes on this machine, started as an operator would start one.

The head is ``ray start --head`` on loopback with its own ports and temp dir; each worker node
is a separate ``ray start --address ...`` with one CPU and a custom resource of its own
(``node_a``, ``node_b``), so Ray's scheduler sees three nodes. Each ``ray start`` runs with
``--block`` in its own process group: SIGTERM to it is ``ray stop`` for that node alone (its
raylet and workers shut down and the node is reported dead), and whatever survives is killed
with the group at teardown, whether the tests passed or not.

Tests join it as a user would, with ``RAY_ADDRESS`` set and ``ray_address: auto``. One cluster
serves the test modules that run one after the other and use it (test_ray_cluster.py, then
test_ray_executor.py): starting three nodes takes tens of seconds on 2 cores, more than most
of the tests that use it. It is stopped once the next test does not use it, so the rest of
the suite runs without Ray in the background.
``RK_KEEP_RAY_LOGS=1`` keeps the nodes' logs (``/tmp/rk-ray-*``) after teardown.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

#: Seconds a node may take to register with the head (2 loaded cores: slow, never fatal).
START_TIMEOUT = 90.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class LocalCluster:
    """The head and worker nodes; ``address`` is what ``RAY_ADDRESS`` is set to."""

    def __init__(self) -> None:
        # Short on purpose: Ray's unix sockets live under it and a socket path has 107 bytes.
        self.root = Path(tempfile.mkdtemp(prefix="rk-ray-", dir="/tmp"))
        self.port = _free_port()
        self.address = f"127.0.0.1:{self.port}"
        self.nodes: dict[str, subprocess.Popen[bytes]] = {}
        #: the environment variables the fixture set, as they were before
        self.saved: dict[str, str | None] = {}
        self.ray = str(Path(sys.executable).with_name("ray"))
        # No token: the driver (this pytest process) read its auth mode when it imported
        # ray, before the fixture ran; a token cluster is a setting of Ray's, not ours to test.
        self.auth = {"RAY_AUTH_MODE": "disabled"}
        self.env = {**os.environ, **self.auth, "RAY_ADDRESS": "",
                    "RAY_GRACEFUL_SHUTDOWN_DRAIN_TIMEOUT_S": "0", "RAY_USAGE_STATS_ENABLED": "0",
                    # a node killed without a word is declared dead in ~5 s, not ~30 s
                    "RAY_health_check_period_ms": "1000",
                    "RAY_health_check_failure_threshold": "5",
                    # on 2 busy cores a node's agents take longer than Ray's defaults allow
                    "RAY_agent_register_timeout_ms": "120000",
                    "RAY_raylet_start_wait_time_s": "120",
                    "RAY_worker_register_timeout_seconds": "120"}

    def _start(self, name: str, args: list[str]) -> None:
        temp = self.root / name
        log = (self.root / f"{name}.log").open("wb")
        self.nodes[name] = subprocess.Popen(
            [self.ray, "start", "--block", "--node-ip-address", "127.0.0.1",
             "--temp-dir", str(temp), "--disable-usage-stats", *self._ports(), *args],
            stdout=log, stderr=subprocess.STDOUT, env=self.env, start_new_session=True)
        if _minimal_ray():
            threading.Thread(target=_answer_for_minimal_agent, args=(temp,), daemon=True).start()

    @staticmethod
    def _ports() -> list[str]:
        # Chosen here: with a port left to the agent, the raylet waits for it to write the
        # port to a file and gives up after ~15 s, which 2 busy cores can exceed.
        return [arg for flag in ["--dashboard-agent-grpc-port", "--dashboard-agent-listen-port",
                                 "--runtime-env-agent-port", "--metrics-export-port"]
                for arg in (flag, str(_free_port()))]

    def _start_and_wait(self, name: str, args: list[str], count: int) -> None:
        # On busy cores a raylet may give up waiting for its agents (a ~15 s limit Ray does
        # not let us set): such a node exits at once, and is started again.
        for attempt in range(3):
            self._start(name, args)
            if self.wait_for(count, fail=attempt == 2):
                return
            _kill_group(self.nodes.pop(name))

    def start_head(self) -> None:
        self._start_and_wait("head", ["--head", "--port", str(self.port), "--num-cpus", "0",
                             "--include-dashboard", "false"], 1)

    def add_node(self, name: str, wait: bool = True) -> None:
        """A worker node with one CPU and the custom resource ``name``."""
        args = ["--address", self.address, "--num-cpus", "1", "--resources", json.dumps({name: 1})]
        if wait:
            self._start_and_wait(name, args, len(self.nodes) + 1)
        else:
            self._start(name, args)

    def wait_for(self, count: int, fail: bool = True) -> bool:
        """Until ``count`` nodes are alive; False (or a failure, never a skip) if they do not."""
        watch = (
            "import ray, sys, time\n"
            "ray.init(address=sys.argv[1], log_to_driver=False)\n"
            "end = time.monotonic() + float(sys.argv[3])\n"
            "while sum(n['Alive'] for n in ray.nodes()) < int(sys.argv[2]):\n"
            "    assert time.monotonic() < end, ray.nodes()\n"
            "    time.sleep(0.2)\n")
        out = self.root / "wait.log"
        with out.open("wb") as log:
            watcher = subprocess.Popen(
                [sys.executable, "-c", watch, self.address, str(count), str(START_TIMEOUT)],
                stdout=log, stderr=subprocess.STDOUT, env=self.env)
        while watcher.poll() is None:
            died = {n: p.returncode for n, p in self.nodes.items() if p.poll() is not None}
            if died:
                watcher.kill()
                watcher.wait()
            time.sleep(0.2)
        if watcher.returncode == 0:
            return True
        if not fail:
            return False
        pytest.fail(f"{count} ray nodes did not come up (exited: {died}):\n"
                    f"{out.read_text(errors='replace')[-3000:]}\n{self.log('head')}")

    def node_id(self, name: str) -> str:
        """The Ray node id of the worker node ``name`` (by its custom resource)."""
        import ray

        for node in ray.nodes():  # type: ignore[no-untyped-call]
            if node["Alive"] and name in node["Resources"]:
                return str(node["NodeID"])
        raise LookupError(name)

    def stop_node(self, name: str) -> None:
        """``ray stop`` for this node only: SIGTERM to its ``ray start``, which stops the rest."""
        proc = self.nodes.pop(name)
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        finally:
            _kill_group(proc)

    def log(self, name: str) -> str:
        path = self.root / f"{name}.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""

    def stop(self) -> None:
        for name in [n for n in self.nodes if n != "head"] + ["head"]:
            if name in self.nodes:
                try:
                    self.stop_node(name)
                except Exception:  # teardown goes on with the next node
                    pass
        _kill_leftovers(self.root)
        if not os.environ.get("RK_KEEP_RAY_LOGS"):
            shutil.rmtree(self.root, ignore_errors=True)


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    # Raylets, workers and agents a SIGTERM left behind share the node's process group.
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


def _minimal_ray() -> bool:
    from ray._private.utils import get_dashboard_dependency_error

    return get_dashboard_dependency_error() is not None  # Ray's own test for --minimal


def _answer_for_minimal_agent(temp: Path) -> None:
    """Write the "no port" files a minimal Ray's dashboard agent writes, if it is late.

    A raylet waits ~15 s (not configurable) for its dashboard agent to write these files and
    aborts the node past that; on 2 busy cores the agent's imports alone can take longer. With
    ``ray`` installed without ``[default]`` the agent runs ``--minimal`` and writes -1 to each
    (no such service), so writing the same -1 first changes nothing but the wait.
    """
    from ray._raylet import (
        DASHBOARD_AGENT_LISTEN_PORT_NAME,
        METRICS_AGENT_PORT_NAME,
        METRICS_EXPORT_PORT_NAME,
        persist_port,
    )

    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        node_id = _node_id_of(temp)
        sessions = list(temp.glob("session_2*"))
        if node_id and sessions:
            for name in [METRICS_AGENT_PORT_NAME, DASHBOARD_AGENT_LISTEN_PORT_NAME,
                         METRICS_EXPORT_PORT_NAME]:
                if not (sessions[0] / f"{name}_{node_id}").exists():
                    persist_port(str(sessions[0]), node_id, name, -1)
            return
        time.sleep(0.2)


def _node_id_of(temp: Path) -> str | None:
    # The raylet's command line names its node id and its temp dir.
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            text = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        found = re.search(r"--node[-_]id=([0-9a-f]{56})", text)
        if found and re.search("=" + re.escape(str(temp)) + r"(?![\w/])", text):
            return found.group(1)
    return None


def _kill_leftovers(root: Path) -> None:
    # A process that left the group (a reaper, a worker) still names our temp dir.
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if str(root).encode() in cmdline.read_bytes():
                os.kill(int(cmdline.parent.name), signal.SIGKILL)
        except (OSError, ValueError):
            pass


#: The test pytest runs next (conftest.py's ``pytest_runtest_teardown`` sets it before the
#: module's fixtures are torn down), and the cluster kept running for it.
following: list[pytest.Item | None] = [None]
_kept: list[LocalCluster] = []


@pytest.fixture(scope="module", name="ray_cluster")
def ray_cluster_fixture() -> Iterator[LocalCluster]:
    """Three nodes: a head (no CPUs) and worker nodes ``node_a`` and ``node_b``; the cluster
    the previous module left running when that module's last test came just before."""
    cluster = _kept.pop() if _kept else _start_cluster()
    try:
        yield cluster
    except BaseException:
        stop_cluster(cluster)
        raise
    upcoming = following[0]
    if "ray_cluster" in getattr(upcoming, "fixturenames", ()):
        _kept.append(cluster)
    else:
        stop_cluster(cluster)


def _start_cluster() -> LocalCluster:
    import ray

    if ray.is_initialized():
        ray.shutdown()
    cluster = LocalCluster()
    cluster.saved = {name: os.environ.get(name) for name in ["RAY_ADDRESS", *cluster.auth]}
    try:
        cluster.start_head()
        cluster.add_node("node_a")
        cluster.add_node("node_b")
    except BaseException:
        stop_cluster(cluster)
        raise
    os.environ.update(cluster.auth, RAY_ADDRESS=cluster.address)
    return cluster


def stop_cluster(cluster: LocalCluster) -> None:
    """Leave the cluster, give back the environment it changed, stop its nodes."""
    import ray

    ray.shutdown()
    for name, value in cluster.saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    cluster.stop()


def stop_kept() -> None:
    """At the end of the session: a cluster kept for a test that never ran (``-x``)."""
    while _kept:
        stop_cluster(_kept.pop())
