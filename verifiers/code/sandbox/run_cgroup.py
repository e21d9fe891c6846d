"""One memory, CPU and pids cgroup per run of the process backend.

Rlimits bind one process each: a run that forks 30 children could hold 30 times its memory
limit, and 32 busy processes took CPU from every other run on the host. So each session of
the process backend gets a cgroup of its own, made before any of its processes exist:

- ``memory``: the run's processes together, tmpfs files and System V shared memory included,
  stay within ``memory_limit`` (no swap); past it the kernel kills one of them, and the session
  reports the ``memory`` limit;
- ``cpu``: a quota of ``cpus`` CPUs, and the same weight as every other run, so one run cannot
  starve another;
- ``pids``: ``max_processes`` plus the run's own init and runner.

cgroup v2 is used where the controllers are delegated to us, else cgroup v1 (memory, cpu and
pids hierarchies). All runs are children of one *base* cgroup: ``$REWARDKIT_CGROUP`` (a path
inside the hierarchy) when set, else on cgroup v2 a ``rewardkit`` cgroup beside our own in a
delegated subtree (a systemd user session) or, as root, ``/rewardkit`` at the root, else (v1)
``rewardkit`` under our own cgroup of each hierarchy. When none of these
can be written the backend refuses: a run is never started without its limits.
"""

from __future__ import annotations

import itertools
import os
import threading
from pathlib import Path

from rewardkit.verifiers.code.sandbox import Limits, SandboxUnavailable, pid_alive

#: Environment variable naming the base cgroup (a path inside the cgroup hierarchy).
ENV_BASE = "REWARDKIT_CGROUP"
CONTROLLERS = ("memory", "cpu", "pids")
_CPU_PERIOD_US = 100_000
#: Processes of a run besides the solution's: its init and the runner.
_OWN_PIDS = 2
#: Emptied cgroups a backend keeps for later runs.
MAX_FREE = 8
_names = itertools.count()
_HINT = ("give the worker a delegated cgroup (cgroup v2: memory, cpu and pids in the "
         f"subtree_control of ${ENV_BASE}, see docs/code-sandbox.md) or use backend='docker'. "
         "Code is never run without its per-run limits.")


class RunCgroups:
    """Where this backend makes its runs' cgroups: found (and prepared) once, at start."""

    def __init__(self, limits: Limits, cpus: float = 1.0,
                 mounts: str = "/proc/self/mounts", own: str = "/proc/self/cgroup") -> None:
        self.limits = limits
        self.cpus = cpus
        self.version, self.bases = _find_bases(_read(mounts), _read(own))
        for base in self.bases.values():
            _sweep_stale(base)
        # Emptied cgroups of ended runs, kept for the next runs: a mkdir, five limit writes and
        # an rmdir per run saved (about a millisecond of the kernel's time on cgroup v1).
        self._free: list[RunCgroup] = []
        self._free_lock = threading.Lock()

    def create(self) -> RunCgroup:
        """An empty cgroup with the run's limits (an ended run's, once it held no process any
        more, or a new one); raises :class:`SandboxUnavailable`."""
        with self._free_lock:
            if self._free:
                return self._free.pop()
        paths: dict[str, Path] = {}
        try:
            name = self._new_name()
            for controller, base in self.bases.items():
                if base / name not in paths.values():  # v2: one folder for every controller
                    (base / name).mkdir()
                paths[controller] = base / name
            cgroup = RunCgroup(self.version, paths)
            cgroup.set_limits(self.limits, self.cpus)
        except OSError as exc:
            for path in set(paths.values()):
                _rmdir(path)
            raise SandboxUnavailable(f"cannot make the run's cgroup ({exc}); {_HINT}") from None
        return cgroup

    def release(self, cgroup: RunCgroup) -> bool:
        """Keep an ended run's cgroup for a later run if no process is left in it (else
        remove it); False while one is. Nothing of a run is in the cgroup then: its processes
        are gone, and its files, IPC objects and sockets went with its namespaces."""
        if cgroup.removed:
            return True
        if not cgroup.empty():
            return False
        with self._free_lock:
            if len(self._free) < MAX_FREE:
                self._free.append(cgroup)
                return True
        return cgroup.remove()

    def close(self) -> None:
        """Remove the kept cgroups."""
        with self._free_lock:
            free, self._free = self._free, []
        for cgroup in free:
            cgroup.remove()

    def _new_name(self) -> str:
        # A name no folder has yet: a dead worker with our pid may have left an empty one.
        for _ in range(1000):
            name = f"run-{os.getpid()}-{next(_names)}"
            if not any((base / name).exists() for base in self.bases.values()):
                return name
        raise FileExistsError(f"no free run cgroup name in {self.bases['memory']}")


class RunCgroup:
    """The cgroup of one run (one folder per hierarchy on cgroup v1)."""

    def __init__(self, version: int, paths: dict[str, Path]) -> None:
        self.version = version
        self.paths = paths
        self.folders = sorted(set(paths.values()))
        self.removed = False
        self._events: int | None = None  # the OOM counter's file, held open: read per request

    def set_limits(self, limits: Limits, cpus: float) -> None:
        memory = limits.memory_limit << 20
        pids = str(limits.max_processes + _OWN_PIDS)
        quota = max(1000, int(cpus * _CPU_PERIOD_US))
        if self.version == 2:
            folder = self.paths["memory"]
            _write(folder / "memory.max", str(memory))
            if (folder / "memory.swap.max").exists():
                _write(folder / "memory.swap.max", "0")
            _write(folder / "pids.max", pids)
            _write(folder / "cpu.max", f"{quota} {_CPU_PERIOD_US}")
            return
        memory_folder = self.paths["memory"]
        _write(memory_folder / "memory.limit_in_bytes", str(memory))
        if (memory_folder / "memory.memsw.limit_in_bytes").exists():  # swap accounting on
            _write(memory_folder / "memory.memsw.limit_in_bytes", str(memory))
        _write(self.paths["pids"] / "pids.max", pids)
        _write(self.paths["cpu"] / "cpu.cfs_period_us", str(_CPU_PERIOD_US))
        _write(self.paths["cpu"] / "cpu.cfs_quota_us", str(quota))

    def add(self, pid: int) -> None:
        """Move ``pid`` (with nothing forked yet) into this cgroup in every hierarchy."""
        for folder in self.folders:
            _write(folder / "cgroup.procs", str(pid))

    def oom_kills(self) -> int:
        """How many processes the kernel killed here for want of memory, so far."""
        name = "memory.events" if self.version == 2 else "memory.oom_control"
        try:
            if self._events is None:
                self._events = os.open(self.paths["memory"] / name, os.O_RDONLY | os.O_CLOEXEC)
            for line in os.pread(self._events, 4096, 0).decode().splitlines():
                key, _, value = line.partition(" ")
                if key == "oom_kill":
                    return int(value)
        except (OSError, ValueError):
            pass
        return 0

    def kill(self) -> None:
        # v2 kills every process of the cgroup at once, race-free; on v1 the pid namespace's
        # end (its init killed through a pidfd) is what kills them.
        if self.version == 2:
            try:
                _write(self.paths["memory"] / "cgroup.kill", "1")
            except OSError:
                pass

    def empty(self) -> bool:
        """No process is left in the cgroup (in any hierarchy)."""
        try:
            return not any(_read(folder / "cgroup.procs").strip() for folder in self.folders)
        except OSError:
            return False

    def remove(self) -> bool:
        """Remove the (empty) cgroup; False while a process of it has not died yet."""
        if not self.removed:
            if self._events is not None:
                os.close(self._events)
                self._events = None
            self.removed = all([_rmdir(folder) for folder in self.folders])
        return self.removed


def _find_bases(mounts: str, own: str) -> tuple[int, dict[str, Path]]:
    """The cgroup version in use and, per controller, the base folder runs are made in."""
    v2_mount, v1_mounts = None, {}
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) < 4:
            continue
        if fields[2] == "cgroup2":
            v2_mount = Path(fields[1])
        elif fields[2] == "cgroup":
            for option in fields[3].split(","):
                if option in CONTROLLERS:
                    v1_mounts[option] = Path(fields[1])
    own_paths: dict[str, str] = {}
    for line in own.splitlines():
        _, controllers, path = line.split(":", 2)
        for controller in controllers.split(",") if controllers else ["unified"]:
            own_paths[controller] = path
    problems: list[str] = []
    configured = os.environ.get(ENV_BASE, "").strip()
    if v2_mount is not None and _offers(v2_mount, CONTROLLERS):
        own_path = own_paths.get("unified", "/")
        if configured:
            candidates = [v2_mount / configured.strip("/")]
        else:
            # the root takes controllers for its children even with processes of its own;
            # any other cgroup with processes (ours) does not: then take our parent's, and
            # as root, the root's (a systemd session scope's parent may lack cpu)
            candidates = [v2_mount / "rewardkit"]
            if own_path != "/":
                beside = [v2_mount / own_path.strip("/") / ".." / "rewardkit"]
                candidates = beside + candidates if os.geteuid() == 0 else beside
        for base in candidates:
            try:
                _prepare_v2(base.resolve())
                return 2, {controller: base.resolve() for controller in CONTROLLERS}
            except OSError as exc:
                problems.append(f"{base.resolve()}: {exc.strerror or exc}")
    if all(controller in v1_mounts for controller in CONTROLLERS):
        bases = {}
        try:
            for controller in CONTROLLERS:
                inside = configured or own_paths.get(controller, "/").rstrip("/") + "/rewardkit"
                base = v1_mounts[controller] / inside.strip("/")
                base.mkdir(parents=True, exist_ok=True)
                if not os.access(base, os.W_OK):
                    raise PermissionError(13, "not writable", str(base))
                bases[controller] = base
            return 1, bases
        except OSError as exc:
            problems.append(f"cgroup v1 {exc.filename or ''}: {exc.strerror or exc}")
    if not problems:
        problems.append("no cgroup hierarchy offers the memory, cpu and pids controllers")
    raise SandboxUnavailable(
        "the process backend needs a memory, cpu and pids cgroup per run, and none can be "
        f"made here ({'; '.join(problems)}); {_HINT}")


def _offers(mount: Path, controllers: tuple[str, ...]) -> bool:
    try:
        offered = (mount / "cgroup.controllers").read_text().split()
    except OSError:
        return False
    return all(controller in offered for controller in controllers)


def _prepare_v2(base: Path) -> None:
    """Make ``base`` and enable the controllers for its children (and in its parent, which a
    cgroup with processes of its own refuses: then the operator must delegate one)."""
    missing = [c for c in CONTROLLERS if c not in _read(base.parent / "cgroup.controllers")]
    if missing:
        raise OSError(f"{base.parent} does not offer {', '.join(missing)}")
    wanted = " ".join(f"+{c}" for c in CONTROLLERS)
    if not all(c in _read(base.parent / "cgroup.subtree_control").split() for c in CONTROLLERS):
        _write(base.parent / "cgroup.subtree_control", wanted)
    base.mkdir(exist_ok=True)
    if not all(c in _read(base / "cgroup.subtree_control").split() for c in CONTROLLERS):
        _write(base / "cgroup.subtree_control", wanted)


def _sweep_stale(base: Path) -> None:
    """Remove the empty run cgroups of worker processes that died without removing them."""
    try:
        entries = list(base.iterdir())
    except OSError:
        return
    for entry in entries:
        parts = entry.name.split("-")
        owner_dead = len(parts) == 3 and parts[0] == "run" and parts[1].isdigit() \
            and not pid_alive(int(parts[1]))
        if owner_dead:
            _rmdir(entry)  # fails, harmlessly, while a process is still in it


def _read(path: str | Path) -> str:
    with open(path) as f:
        return f.read()


def _write(path: Path, value: str) -> None:
    with open(path, "w") as f:
        f.write(value)


def _rmdir(path: Path) -> bool:
    try:
        path.rmdir()
    except FileNotFoundError:
        pass
    except OSError:
        return False
    return True
