"""The seccomp filter of the process backend's sandbox (``bwrap --seccomp``).

It binds the zygote and everything forked from it, and denies (``EPERM``) the system calls
that reach into another process or leave an object behind in the kernel:

- ``ptrace``, ``process_vm_readv``, ``process_vm_writev``, ``pidfd_getfd``: reading, writing
  or taking over another process (the Docker red team took over pid 1 with
  ``PTRACE_SEIZE``); the pid namespaces and non-dumpable parents already forbid it, this is
  a second, independent wall;
- ``add_key``, ``request_key``, ``keyctl``: kernel keyrings, which belong to a user rather
  than to a process and can outlive the run that made them;
- ``io_uring_*``, ``bpf``, ``perf_event_open``, ``userfaultfd``, ``kcmp``,
  ``process_madvise``: kernel interfaces no solution needs and the usual way into the kernel
  for an exploit (io_uring's operations also run without passing this filter). The Docker
  backend's allow-list leaves them out too, so both backends refuse the same calls.

A system call of another ABI than the host's own (x32, or 32-bit ``int 0x80`` on x86-64)
fails with ``ENOSYS``: the list below would not name it.
"""

from __future__ import annotations

import errno
import platform
import struct

_AUDIT_ARCH = {"x86_64": 0xC000003E, "aarch64": 0xC00000B7}
_X32_BIT = 0x40000000
#: name -> number, per architecture (asm/unistd_64.h, asm-generic/unistd.h)
_SYSCALLS = {
    "x86_64": {"ptrace": 101, "process_vm_readv": 310, "process_vm_writev": 311,
               "add_key": 248, "request_key": 249, "keyctl": 250, "pidfd_getfd": 438,
               "io_uring_setup": 425, "io_uring_enter": 426, "io_uring_register": 427,
               "bpf": 321, "perf_event_open": 298, "userfaultfd": 323, "kcmp": 312,
               "process_madvise": 440},
    "aarch64": {"ptrace": 117, "process_vm_readv": 270, "process_vm_writev": 271,
                "add_key": 217, "request_key": 218, "keyctl": 219, "pidfd_getfd": 438,
                "io_uring_setup": 425, "io_uring_enter": 426, "io_uring_register": 427,
                "bpf": 280, "perf_event_open": 241, "userfaultfd": 282, "kcmp": 272,
                "process_madvise": 440},
}
DENIED = tuple(_SYSCALLS["x86_64"])

_LD_W_ABS, _JEQ_K, _JGE_K, _RET_K = 0x20, 0x15, 0x35, 0x06
_RET_ALLOW = 0x7FFF0000
_RET_ERRNO = 0x00050000
_NR_OFFSET, _ARCH_OFFSET = 0, 4


def _op(code: int, k: int, jt: int = 0, jf: int = 0) -> bytes:
    return struct.pack("=HBBI", code, jt, jf, k)


def program(machine: str | None = None) -> bytes | None:
    """The filter as a classic BPF program (``struct sock_filter[]``), or None on an
    architecture this module does not know (the other walls still stand there)."""
    machine = machine or platform.machine()
    if machine not in _SYSCALLS:
        return None
    numbers = sorted(_SYSCALLS[machine].values())
    deny = _RET_ERRNO | errno.EPERM
    ops = [
        _op(_LD_W_ABS, _ARCH_OFFSET),
        _op(_JEQ_K, _AUDIT_ARCH[machine], jt=1),
        _op(_RET_K, _RET_ERRNO | errno.ENOSYS),
        _op(_LD_W_ABS, _NR_OFFSET),
    ]
    if machine == "x86_64":
        ops += [_op(_JGE_K, _X32_BIT, jf=1), _op(_RET_K, _RET_ERRNO | errno.ENOSYS)]
    for index, number in enumerate(numbers):
        # jump to the final "deny" when equal: past the remaining checks and the "allow"
        ops.append(_op(_JEQ_K, number, jt=len(numbers) - index))
    ops += [_op(_RET_K, _RET_ALLOW), _op(_RET_K, deny)]
    return b"".join(ops)
