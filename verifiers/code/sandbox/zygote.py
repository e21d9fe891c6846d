"""The warm parent inside the process backend's one bubblewrap sandbox.

It is sent as the source of ``python3 -I -S -c`` with the limits (JSON) and the runner's source
as its arguments, imports everything once, and then only waits on its control socket. Each
message there carries one end of a fresh socket pair (``SCM_RIGHTS``); for each it clones
the run's *init* straight into a new user, mount, pid, IPC, UTS, network and cgroup namespace
(``clone`` with those flags: pid 1 of the new pid namespace, one process created per run
instead of an ``unshare``-ing spawner and its child) and hands the harness a pidfd of it over
the run's socket. Killing that init kills every process of the run.

The init first waits for one byte from the harness on its channel: the harness sends it once
it has moved the init into the run's cgroup (memory, CPU, pids), so every process the run
ever has is in that cgroup. It then maps only the sandbox's own uid and gid into its user
namespace (so nothing gains rights outside it), mounts fresh, size- and inode-capped tmpfs on
``/tmp``, the work folder and ``/dev/shm``, makes ``/dev`` read-only, mounts a ``/proc`` that
shows only the run's own processes, forbids further user namespaces, drops every capability
(bounding set included, ``no_new_privs`` set) and forks the runner (pid 2), which closes every
descriptor but its channel, applies the rlimits and serves the harness exactly as
``runner.py`` alone does.
The zygote itself never receives solution code; it is non-dumpable, and no run can see it
(other pid namespace), signal it, ptrace it or reach its control socket; the seccomp filter
bwrap installs (``seccomp_filter.py``) denies ptrace and cross-process memory access to it
and to every process below it.
"""

import ctypes
import gc
import json
import os
import signal
import socket
import sys
import types

CLONE_NEWNS = 0x00020000
CLONE_NEWCGROUP = 0x02000000
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
RUN_NAMESPACES = (CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS
                  | CLONE_NEWNET | CLONE_NEWCGROUP)
CLONE_PIDFD = 0x00001000
#: clone(2)'s number; its first two arguments (flags, new stack) are the same on both.
_SYS_CLONE = {"x86_64": 56, "aarch64": 220}

MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
#: statvfs flag -> mount flag, for the flags a remount must keep (the kernel locks them).
_KEPT_FLAGS = {2: MS_NOSUID, 4: MS_NODEV, 8: MS_NOEXEC, 1024: 1024, 2048: 2048, 4096: 1 << 21}

#: Host-wide files of a fresh /proc that say something of the host (its boot command line
#: names hosts and flags, the boot id identifies it) or of its kernel: read as empty in a run.
#: The Docker backend masks the same list.
MASKED_PROC = ("/proc/cmdline", "/proc/sys/kernel/random/boot_id", "/proc/kcore", "/proc/keys",
               "/proc/key-users", "/proc/kallsyms", "/proc/timer_list", "/proc/sched_debug",
               "/proc/latency_stats", "/proc/timer_stats", "/proc/config.gz")

PR_SET_DUMPABLE, PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS = 4, 24, 38
PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL = 47, 4
_CAPABILITY_VERSION_3 = 0x20080522

_libc = ctypes.CDLL(None, use_errno=True)
_libc.unshare.argtypes = [ctypes.c_int]
_libc.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong,
                        ctypes.c_char_p]
_libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong,
                        ctypes.c_ulong]
_libc.capset.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
# clone through a PyDLL: the GIL stays held across it, so the child's copy of it is its own
_clone = ctypes.PyDLL(None, use_errno=True).syscall
_clone.restype = ctypes.c_long
_clone.argtypes = [ctypes.c_long, ctypes.c_ulong, ctypes.c_void_p, ctypes.c_void_p,
                   ctypes.c_void_p, ctypes.c_void_p]


def _check(result, what):
    if result != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"{what}: {os.strerror(errno)}")


def _mount(source, target, fstype, flags, data=None):
    _check(_libc.mount(source and source.encode(), target.encode(), fstype and fstype.encode(),
                       flags, data and data.encode()), f"mount {target}")


def _prctl(option, arg=0):
    _check(_libc.prctl(option, arg, 0, 0, 0), f"prctl {option}")


def _fail(channel, exc):
    """Tell the harness why this run could not start (one JSON line), as far as possible."""
    line = json.dumps({"ready": False, "error": f"{type(exc).__name__}: {exc}"[:500]}) + "\n"
    try:
        os.write(channel, line.encode())
    except OSError:
        pass


# --- in the zygote ----------------------------------------------------------------------


def main():
    config = json.loads(sys.argv[1])
    runner = types.ModuleType("runner")
    exec(compile(sys.argv[2], "runner.py", "exec"), runner.__dict__)
    sys.argv[1:] = []  # nothing of the configuration is left for a solution to read
    sys.set_int_max_str_digits(0)
    _prctl(PR_SET_DUMPABLE, 0)
    control = socket.socket(fileno=config.pop("control_fd"))
    config["uid"], config["gid"] = os.geteuid(), os.getegid()  # a cloned init cannot tell
    gc.freeze()  # the collector in a fork then leaves the zygote's objects (and pages) alone
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps each init as it ends
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(control, 16, 4)
        except InterruptedError:
            continue
        if not message:
            return  # the harness went away: the sandbox ends with its zygote
        if message != b"S" or len(fds) != 1:  # not from our harness: never guess
            for fd in fds:
                os.close(fd)
            continue
        _start_run(fds[0], config, runner, control)
        os.close(fds[0])


def _start_run(channel, config, runner, control):
    """Clone the run's init into fresh namespaces and hand the harness a pidfd of it."""
    try:
        # Like fork() (no new stack: the child runs on a copy of this one), but the child
        # starts in its own namespaces. The zygote is single-threaded, which makes it safe.
        # CLONE_PIDFD: the pidfd comes with the child, before the kernel can reap it.
        pidfd = ctypes.c_int(-1)
        pid = _clone(_SYS_CLONE[os.uname().machine], RUN_NAMESPACES | CLONE_PIDFD | signal.SIGCHLD,
                     None, ctypes.byref(pidfd), None, None)
        if pid == 0:
            control.close()
            _init(channel, config, runner)  # never returns
        if pid < 0:
            errno = ctypes.get_errno()
            raise OSError(errno, f"clone: {os.strerror(errno)}")
        pidfd = pidfd.value
        try:
            socket.send_fds(socket.socket(fileno=os.dup(channel)), [b"P"], [pidfd])
        finally:
            os.close(pidfd)
    except BaseException as exc:
        try:
            os.write(channel, b"E")
        except OSError:
            pass
        _fail(channel, exc)


# --- in the run's init (pid 1 of the run's namespaces) -----------------------------------


def _init(channel, config, runner):
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # the zygote's SIG_IGN: init reaps
        # The harness moves this process into the run's cgroup, then says go: everything the
        # run forks from here on is in it (a process cannot leave a cgroup on its own).
        if os.read(channel, 1) != b"G":
            os._exit(1)
        _map_own_ids(config)
        _fresh_mounts(config)
        _forbid_user_namespaces()
        _drop_capabilities()
        _prctl(PR_SET_DUMPABLE, 0)  # the run (same uid, no capabilities) cannot ptrace init
        pid = os.fork()
        if pid == 0:
            _serve(channel, config, runner)
    except BaseException as exc:
        _fail(channel, exc)
        os._exit(1)
    os.closerange(0, 1 << 16)  # init keeps nothing a run could use
    while True:  # reap orphans; when the runner ends, the run ends (init's exit kills the rest)
        try:
            if os.waitpid(-1, 0)[0] == pid:
                os._exit(0)
        except ChildProcessError:
            os._exit(0)
        except InterruptedError:
            pass


def _map_own_ids(config):
    # Only the sandbox's own uid and gid exist in the run's user namespace. (Dumpable for
    # now: else /proc/self is root's and the maps cannot be written; init turns it off.)
    _prctl(PR_SET_DUMPABLE, 1)
    with open("/proc/self/setgroups", "w") as f:
        f.write("deny")
    with open("/proc/self/uid_map", "w") as f:
        f.write(f"{config['uid']} {config['uid']} 1")
    with open("/proc/self/gid_map", "w") as f:
        f.write(f"{config['gid']} {config['gid']} 1")


def _fresh_mounts(config):
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    flags, dev_flags = 0, os.statvfs("/dev").f_flag
    for stat_flag, mount_flag in _KEPT_FLAGS.items():
        if dev_flags & stat_flag:
            flags |= mount_flag
    _mount(None, "/dev", None, MS_REMOUNT | MS_BIND | MS_RDONLY | flags)
    # One inode for the root and one past the cap, so the harness's count can see it was hit.
    data = f"size={config['tmpfs_size']},nr_inodes={config['max_files'] + 2}"
    for target, mode in (("/tmp", "1777"), (config["workdir"], "0700"), ("/dev/shm", "1777")):
        _mount("tmpfs", target, "tmpfs", MS_NOSUID | MS_NODEV, f"{data},mode={mode}")
    # Its own pty instance: bwrap's /dev/pts is one for every run of this zygote, so two runs
    # at once would see (and could open) each other's terminals.
    _mount("devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC,
           "newinstance,ptmxmode=0666,mode=0600")
    _mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    for path in MASKED_PROC:
        if os.path.isfile(path):
            _mount("/dev/null", path, None, MS_BIND)



def _forbid_user_namespaces():
    # A per-user-namespace limit: it binds this run and everything below it, nothing else.
    with open("/proc/sys/user/max_user_namespaces", "w") as f:
        f.write("0")


def _drop_capabilities():
    with open("/proc/sys/kernel/cap_last_cap") as f:
        last = int(f.read())
    for cap in range(last + 1):
        _prctl(PR_CAPBSET_DROP, cap)
    try:
        _prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL)
    except OSError:
        pass  # a kernel without ambient capabilities has none to clear
    header = (ctypes.c_uint32 * 2)(_CAPABILITY_VERSION_3, 0)
    data = (ctypes.c_uint32 * 6)()
    _check(_libc.capset(header, data), "capset")
    _prctl(PR_SET_NO_NEW_PRIVS, 1)
    with open("/proc/self/status") as f:
        status = dict(line.split(":", 1) for line in f.read().splitlines() if ":" in line)
    for name in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"):
        if int(status.get(name, "0").strip(), 16):
            raise OSError(f"{name} is not empty after dropping capabilities")


# --- in the runner (pid 2): from here on, solution code may run --------------------------


def _serve(channel, config, runner):
    try:
        _prctl(PR_SET_DUMPABLE, 1)  # a normal /proc/self for the solution
        null = os.open("/dev/null", os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        os.dup2(channel, 3)
        os.closerange(4, 1 << 16)  # other runs' sockets never reach here; nothing else may
        os.chdir(config["workdir"])
        reader = os.fdopen(os.dup(3), "rb")
        runner.apply_limits(config)
        runner.Runner(config, reader, 3).serve()
    except BaseException:
        pass
    os._exit(0)


if __name__ == "__main__":
    main()
