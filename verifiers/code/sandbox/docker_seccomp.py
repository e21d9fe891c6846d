"""The seccomp profile of the ``docker`` backend's containers: an allow-list, written for them.

Docker's default profile lets a container call ``ptrace`` and ``process_vm_readv/writev``, so
one process of the sandbox user could read and rewrite another (the red team took over pid 1
that way). This profile replaces it: every system call not named here fails with ``EPERM``.
It names what CPython, its standard library, ``runc``'s last steps before ``execve`` and the
backend's own programs call; it leaves out tracing and reading other processes' memory
(``ptrace``, ``process_vm_*``, ``pidfd_getfd``, ``kcmp``, ``process_madvise``), namespaces
(``unshare``, ``setns``, namespace flags of ``clone``; ``clone3`` answers ``ENOSYS`` so the C
library falls back to ``clone``, whose flags can be checked), kernel interfaces a Python
program does not need and that widen the kernel's attack surface (``bpf``, ``perf_event_open``,
``userfaultfd``, ``io_uring_*``, ``keyctl``, ``mount``, module and clock setting, ...). Only
the host's native architecture is allowed: 32-bit entry points are refused by seccomp itself.
"""

from __future__ import annotations

import json
from typing import Any

_FILES = """
    read write readv writev pread64 pwrite64 preadv pwritev preadv2 pwritev2 open openat openat2
    creat close close_range lseek dup dup2 dup3 fcntl flock ioctl fsync fdatasync sync syncfs
    sync_file_range truncate ftruncate fallocate fadvise64 readahead stat fstat lstat newfstatat
    statx statfs fstatfs access faccessat faccessat2 getdents getdents64 getcwd chdir fchdir
    mkdir mkdirat rmdir unlink unlinkat rename renameat renameat2 link linkat symlink symlinkat
    readlink readlinkat chmod fchmod fchmodat chown fchown lchown fchownat umask utime utimes
    futimesat utimensat mknod mknodat getxattr lgetxattr fgetxattr listxattr llistxattr
    flistxattr setxattr lsetxattr fsetxattr removexattr lremovexattr fremovexattr sendfile
    splice tee vmsplice copy_file_range pipe pipe2 memfd_create inotify_init inotify_init1
    inotify_add_watch inotify_rm_watch
"""
_MEMORY = """
    brk mmap munmap mremap mprotect madvise msync mincore mlock mlock2 munlock mlockall
    munlockall membarrier pkey_mprotect pkey_alloc pkey_free
"""
_PROCESSES = """
    fork vfork execve execveat exit exit_group wait4 waitid kill tkill tgkill getpid getppid
    gettid getpgid setpgid getpgrp getsid setsid getuid geteuid getgid getegid getresuid
    getresgid getgroups setuid setgid setreuid setregid setresuid setresgid setfsuid setfsgid
    setgroups capget capset prctl arch_prctl set_tid_address set_robust_list
    set_thread_area get_thread_area rseq getrlimit setrlimit prlimit64 getrusage times
    getpriority setpriority sched_yield sched_getaffinity sched_setaffinity sched_getparam
    sched_setparam sched_getscheduler sched_setscheduler sched_get_priority_max
    sched_get_priority_min sched_rr_get_interval sched_getattr sched_setattr getcpu
    ioprio_get ioprio_set pidfd_open pidfd_send_signal uname sysinfo getrandom
    restart_syscall futex futex_waitv
"""
_SIGNALS_AND_TIME = """
    rt_sigaction rt_sigprocmask rt_sigreturn rt_sigpending rt_sigtimedwait rt_sigqueueinfo
    rt_tgsigqueueinfo rt_sigsuspend sigaltstack pause alarm getitimer setitimer nanosleep
    clock_nanosleep clock_gettime clock_getres gettimeofday time timer_create timer_settime
    timer_gettime timer_getoverrun timer_delete timerfd_create timerfd_settime timerfd_gettime
    signalfd signalfd4 eventfd eventfd2
"""
_WAITING = """
    select pselect6 poll ppoll epoll_create epoll_create1 epoll_ctl epoll_wait epoll_pwait
    epoll_pwait2 io_setup io_destroy io_submit io_cancel io_getevents io_pgetevents
"""
# The container has no network; sockets still serve local IPC (socketpair, AF_UNIX).
_SOCKETS_AND_IPC = """
    socket socketpair bind listen accept accept4 connect shutdown getsockname getpeername
    getsockopt setsockopt sendto recvfrom sendmsg recvmsg sendmmsg recvmmsg
    shmget shmat shmdt shmctl semget semop semtimedop semctl msgget msgsnd msgrcv msgctl
    mq_open mq_unlink mq_timedsend mq_timedreceive mq_notify mq_getsetattr
"""

#: ``clone`` flags that make a namespace: refused (CLONE_NEWNS, NEWCGROUP, NEWUTS, NEWIPC,
#: NEWUSER, NEWPID, NEWNET). A fresh user namespace would hand the sandbox user capabilities
#: inside it and open kernel code that the dropped capabilities otherwise keep shut.
_NAMESPACE_FLAGS = 0x7E020000
_ENOSYS = 38

#: System calls this profile refuses on purpose (the tests check a few of them by name).
DENIED = ("ptrace", "process_vm_readv", "process_vm_writev", "pidfd_getfd", "kcmp",
          "process_madvise", "unshare", "setns", "bpf", "perf_event_open", "userfaultfd",
          "io_uring_setup", "keyctl", "add_key", "request_key", "mount", "personality")


def allowed() -> list[str]:
    names: list[str] = []
    for group in (_FILES, _MEMORY, _PROCESSES, _SIGNALS_AND_TIME, _WAITING, _SOCKETS_AND_IPC):
        names.extend(group.split())
    return sorted(set(names))


def profile() -> dict[str, Any]:
    """The profile in Docker's JSON format."""
    return {
        "defaultAction": "SCMP_ACT_ERRNO",
        "syscalls": [
            {"names": allowed(), "action": "SCMP_ACT_ALLOW"},
            {"names": ["clone"], "action": "SCMP_ACT_ALLOW",
             "args": [{"index": 0, "value": _NAMESPACE_FLAGS, "valueTwo": 0,
                       "op": "SCMP_CMP_MASKED_EQ"}]},
            {"names": ["clone3"], "action": "SCMP_ACT_ERRNO", "errnoRet": _ENOSYS},
        ],
    }


def security_opt() -> str:
    """The ``--security-opt`` value that installs the profile (the engine takes the JSON)."""
    return "seccomp=" + json.dumps(profile(), separators=(",", ":"))
