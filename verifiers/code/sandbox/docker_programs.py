"""The programs the ``docker`` backend runs in its containers besides the runner: pid 1 and
the sweep. Both are sources for ``python3 -I -S -c`` (standard library only)."""

SANDBOX_UID = 65534
SANDBOX_USER = f"{SANDBOX_UID}:{SANDBOX_UID}"
#: Pid 1's user: not root, not the sandbox user, so a solution can neither trace nor signal it.
INIT_USER = 65533
#: Seconds a container lives at most (then its init exits and the engine removes it).
CONTAINER_LIFETIME = 3600

#: Pid 1. Starts as root, drops to INIT_USER (which clears its capabilities), turns off
#: dumpable (/proc/1 then belongs to root and ptrace-style access is refused) and reaps the
#: orphans of killed runs, so zombies never pile up against the pids limit.
INIT = f"""
import ctypes, os, signal, time
os.setgroups([])
os.setgid({INIT_USER})
os.setuid({INIT_USER})
ctypes.CDLL(None).prctl(4, 0, 0, 0, 0)
signal.pthread_sigmask(signal.SIG_BLOCK, {{signal.SIGCHLD}})
end = time.monotonic() + {CONTAINER_LIFETIME}
while time.monotonic() < end:
    signal.sigtimedwait({{signal.SIGCHLD}}, 30)
    try:
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass
    except ChildProcessError:
        pass
"""

#: Run as root with CAP_KILL/SETUID/SETGID after each run; prints "clean" only when it proved
#: the container clean. Killing comes first, as root: a process of the sandbox user could
#: otherwise tamper with a sweep running as its own user (/proc/<pid>/mem needs no ptrace).
SWEEP = f"""
import ctypes, os, sys, time
ctypes.CDLL(None).prctl(4, 0, 0, 0, 0)
me = os.getpid()

def others():
    return sorted(int(n) for n in os.listdir("/proc") if n.isdigit() and int(n) not in (1, me))

deadline = time.monotonic() + 5
while others():
    if time.monotonic() > deadline:
        sys.exit("processes survive: %s" % others())
    try:
        os.kill(-1, 9)
    except ProcessLookupError:
        pass
    time.sleep(0.001)
status = open("/proc/1/status").read()
if "\\nUid:\\t{INIT_USER}\\t{INIT_USER}\\t{INIT_USER}\\t{INIT_USER}\\n" not in status:
    sys.exit("pid 1 is not the init")
if b"os.setuid({INIT_USER})" not in open("/proc/1/cmdline", "rb").read():
    sys.exit("pid 1 runs another program")
os.setgroups([])
os.setgid({SANDBOX_UID})
os.setuid({SANDBOX_UID})

def wipe(path):
    if os.path.isdir(path) and not os.path.islink(path):
        os.chmod(path, 0o700)
        for name in os.listdir(path):
            wipe(os.path.join(path, name))
        os.rmdir(path)
    else:
        os.unlink(path)

tops = ("/tmp", "/work", "/dev/shm", "/dev/mqueue")
for top in tops:
    for name in os.listdir(top):
        wipe(os.path.join(top, name))
libc = ctypes.CDLL(None)
for kind, ctl in (("shm", libc.shmctl), ("msg", libc.msgctl), ("sem", libc.semctl)):
    for line in open("/proc/sysvipc/" + kind).read().splitlines()[1:]:
        ident = int(line.split()[1])
        ctl(ident, 0, 0, None) if kind == "sem" else ctl(ident, 0, None)
left = [top for top in tops if os.listdir(top)]
left += [kind for kind in ("shm", "msg", "sem")
         if open("/proc/sysvipc/" + kind).read().count("\\n") > 1]
if left or others():
    sys.exit("left behind: %s %s" % (left, others()))
print("clean")
"""
