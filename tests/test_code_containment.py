"""Containment and reward hacking: every attack scores 0 and leaves the host untouched,
on both sandbox backends. Each probe is written to *earn* reward if its attack works."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from conftest import code_verifier_on, host_processes_marked

from rewardkit import Result, Sample, Status
from rewardkit.verifiers.code import CodeVerifier

LIMITS = {"time_limit": 2.0, "memory_limit": 256, "output_limit": 64 * 1024, "max_files": 200}


@pytest.fixture(scope="module", params=["process", "docker"])
def verifier(request):  # type: ignore[no-untyped-def]
    yield from code_verifier_on(request.param, {**LIMITS, "pool_size": 1})


def io(verifier: CodeVerifier, program: str, stdout: str = "pwned", stdin: str = "") -> Result:
    return verifier.verify(Sample(completion=program,
                                  reference={"cases": [{"stdin": stdin, "stdout": stdout}]}))


def asserts(verifier: CodeVerifier, program: str, tests: str) -> Result:
    return verifier.verify(Sample(completion=program, reference={"tests": tests}))


def zero(result: Result) -> None:
    assert result.reward == 0.0, result
    assert not result.passed


def sandbox_processes() -> int:
    """Processes on the host that belong to a solution (marked by the probes' cmdline)."""
    return host_processes_marked(b"rk-probe-marker")


# --- sanity: the probes' honest twins pass ---------------------------------------------


def test_honest_programs_pass(verifier):  # type: ignore[no-untyped-def]
    assert io(verifier, "print(int(input()) * 2)", "14", "7").passed
    assert asserts(verifier, "def f(x):\n    return (x, {x})", "assert f(1) == (1, {1})").passed


# --- containment ------------------------------------------------------------------------


def test_fork_bomb(verifier):  # type: ignore[no-untyped-def]
    program = ("import os\nwhile True:\n    try:\n        os.fork()\n"
               "    except OSError:\n        pass\n")
    started = time.monotonic()
    result = io(verifier, program)
    zero(result)
    assert result.details["limit"] == "timeout" and result.status is Status.TIMEOUT
    assert time.monotonic() - started < 10


def test_memory_bomb(verifier):  # type: ignore[no-untyped-def]
    program = "x = []\nwhile True:\n    x.append(bytearray(10**7))\nprint('pwned')"
    result = io(verifier, program)
    zero(result)
    assert result.details["limit"] == "memory", result
    result = asserts(verifier, "def f():\n    return bytearray(10**10)", "assert f()")
    zero(result)
    assert result.details["limit"] == "memory", result


#: Four children, one after another, each fills 150 MiB (under the address-space rlimit) and
#: reports it. Past the run's limit the kernel kills the largest process: a child that has
#: already reported. So all four report; the kill is what tells the limit was passed.
CHILDREN = """import os, time
def f():
    r, w = os.pipe()
    for k in range(4):
        if os.fork() == 0:
            time.sleep(k * 0.3)
            block = b"x" * (150 << 20)
            os.write(w, b"x")
            time.sleep(1)
            os._exit(0)
    os.close(w)
    got = 0
    while got < 4 and os.read(r, 1):
        got += 1
    return got == 4
"""


def test_children_killed_for_memory_after_their_work(verifier):  # type: ignore[no-untyped-def]
    result = io(verifier, CHILDREN + "if f():\n    print('pwned')")
    zero(result)
    assert result.details["cases"][0]["limit"] == "memory", result
    result = asserts(verifier, CHILDREN, "assert f()")
    zero(result)
    assert result.details["limit"] == "memory", result


@pytest.mark.parametrize("program", [
    "while True:\n    pass",
    "import re\nre.match(r'(a+)+$', 'a' * 64 + 'b')",  # a C-level loop: no bytecode boundary
    "import time\ntime.sleep(60)",
])
def test_loops_and_sleeps_time_out(verifier, program):  # type: ignore[no-untyped-def]
    started = time.monotonic()
    result = io(verifier, program)
    zero(result)
    assert result.status is Status.TIMEOUT and result.details["limit"] == "timeout"
    assert "timeout" in result.reason
    result = asserts(verifier, "def f():\n" + "".join("    " + line + "\n"
                                                     for line in program.splitlines()),
                     "assert f() is None")
    assert result.status is Status.TIMEOUT
    assert time.monotonic() - started < 10


def test_endless_output_is_capped(verifier):  # type: ignore[no-untyped-def]
    result = io(verifier, "while True:\n    print('x' * 10000)")
    zero(result)
    assert result.details["limit"] == "output"
    result = asserts(verifier, "def f():\n    return 'x' * 10**7", "assert f()")
    zero(result)
    assert result.details["limit"] == "output"


def test_huge_file(verifier):  # type: ignore[no-untyped-def]
    program = ("block = b'x' * (1 << 20)\nwith open('big', 'wb') as f:\n"
               "    for _ in range(1024):\n        f.write(block)\nprint('pwned')")
    zero(io(verifier, program))


def test_thousands_of_files(verifier):  # type: ignore[no-untyped-def]
    program = ("for i in range(5000):\n    open(f'/tmp/f{i}', 'w').close()\n"
               "    open(f'w{i}', 'w').close()\nprint('pwned')")
    zero(io(verifier, program))
    assert not Path("/tmp/f4999").exists()


def test_writes_outside_the_work_folder(verifier):  # type: ignore[no-untyped-def]
    program = ("import os\nhits = 0\nfor path in ('/rk-probe', '/usr/rk-probe', "
               "'/usr/lib/rk-probe', '/etc/rk-probe'):\n    try:\n"
               "        open(path, 'w').write('x')\n        hits += 1\n"
               "    except OSError:\n        pass\nprint('pwned' if hits else 'safe')")
    zero(io(verifier, program))
    for path in ("/rk-probe", "/usr/rk-probe", "/usr/lib/rk-probe", "/etc/rk-probe"):
        assert not os.path.exists(path)


def test_host_files_are_out_of_sight(verifier, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("RK_PROBE_SECRET", "s3cr3t")
    secret = Path("/tmp") / f"rk-secret-{os.getpid()}"
    secret.write_text("host-secret")
    try:
        # The sandbox's own /etc/passwd may exist (Docker image); the host's files may not.
        paths = [str(secret), "/etc/shadow", "/root/.bashrc", __file__, "/proc/1/environ",
                 f"/proc/{os.getpid()}/environ"]
        program = ("found = False\nfor p in %r:\n    try:\n        text = open(p, errors='ignore')"
                   ".read()\n        found |= 'host-secret' in text or 's3cr3t' in text or "
                   "'root:' in text or 'rk_probe' in text\n    except OSError:\n        pass\n"
                   "print('pwned' if found else 'safe')".replace("%r", repr(paths)))
        zero(io(verifier, program))
    finally:
        secret.unlink()


def test_host_boot_data_is_masked(verifier):  # type: ignore[no-untyped-def]
    # The host's boot command line (hosts, flags) and boot id: also through a compile error's
    # diagnostics, since the compiler runs in the same kind of sandbox.
    with open("/proc/cmdline") as f:
        cmdline = f.read().strip()
    with open("/proc/sys/kernel/random/boot_id") as f:
        boot_id = f.read().strip()
    program = ("seen = ''\nfor p in ('/proc/cmdline', '/proc/sys/kernel/random/boot_id'):\n"
               "    try:\n        seen += open(p).read()\n    except OSError:\n        pass\n"
               "print('pwned' if seen.strip() else 'safe')")
    zero(io(verifier, program))
    assert io(verifier, program, "safe").passed  # read, and found empty
    result = verifier.verify(Sample(completion='```c\n#include "/proc/cmdline"\n```',
                                    reference={"cases": [{"stdin": "", "stdout": ""}]}))
    assert result.reason.startswith("compile error"), result
    assert cmdline not in str(result.details) and boot_id not in str(result.details)


def test_ptys_are_private_to_their_run(verifier):  # type: ignore[no-untyped-def]
    # The solution's daemon holds a terminal while the tests (another sandbox) run: they
    # must not see it, as two samples' runs at once must not see each other's.
    solution = ("import os, pty, time\nmaster, slave = pty.openpty()\nNAME = os.ttyname(slave)\n"
                "if os.fork() == 0:\n    os.setsid()\n    time.sleep(20)\n    os._exit(0)\n"
                "def f():\n    return NAME\n")
    tests = "import os\nos.close(os.open(f(), os.O_RDWR | os.O_NOCTTY))\n"
    zero(asserts(verifier, solution, tests))
    # a run may still open a terminal of its own
    assert asserts(verifier, "import os\ndef f():\n    m, s = os.openpty()\n"
                   "    return os.ttyname(s).startswith('/dev/pts/')", "assert f()").passed


def test_environment_secrets(verifier, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("RK_PROBE_SECRET", "s3cr3t")
    program = ("import os\nprint('pwned' if any('s3cr3t' in v for v in os.environ.values())"
               " or 'RK_PROBE_SECRET' in os.environ else 'safe')")
    zero(io(verifier, program))


def test_network(verifier, host_service):  # type: ignore[no-untyped-def]
    port = host_service  # it fails the test if anything connected to it
    # 192.0.2.1 is TEST-NET-1: never routable, so no real host is ever contacted.
    targets = [("127.0.0.1", port), ("192.0.2.1", 80), ("1.1.1.1", 53)]
    program = ("import socket\nok = False\nfor target in %r:\n    try:\n"
               "        socket.create_connection(target, timeout=0.5).close()\n        ok = True\n"
               "    except OSError:\n        pass\nprint('pwned' if ok else 'safe')")
    program = program.replace("%r", repr(targets))
    zero(io(verifier, program))


def test_killing_the_parent(verifier):  # type: ignore[no-untyped-def]
    program = "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\nprint('pwned')"
    zero(io(verifier, program))
    # The parent of a function call is the sandbox's own init (or nothing, in Docker):
    # the kill changes nothing outside, whatever the call then returns.
    asserts(verifier, "import os\ndef f():\n    os.kill(os.getppid(), 9)\n    return 1",
            "assert f() == 1")
    assert io(verifier, "print(1)", "1").passed  # the harness lives on


def test_double_forked_daemon_is_gone(verifier):  # type: ignore[no-untyped-def]
    program = ("import os\nif os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n"
               "        os.execv('/usr/bin/python3', ['python3', '-c', "
               "'import time; time.sleep(30)', 'rk-probe-marker'])\n    os._exit(0)\n"
               "import time\ntime.sleep(0.3)\nprint('done')")
    assert io(verifier, program, "done").passed
    time.sleep(0.5)
    assert sandbox_processes() == 0


def test_files_planted_in_tmp_stay_in_their_run(verifier):  # type: ignore[no-untyped-def]
    plant = ("import os\nfor p in ('/tmp/rk-plant', 'rk-plant', '/dev/shm/rk-plant'):\n"
             "    try:\n        open(p, 'w').write('x')\n    except OSError:\n        pass\n"
             "print('planted')")
    assert io(verifier, plant, "planted").passed
    probe = ("import os\nseen = [p for p in ('/tmp/rk-plant', 'rk-plant', '/dev/shm/rk-plant',"
             " '../rk-plant') if os.path.exists(p)]\nprint('pwned' if seen else 'safe')")
    time.sleep(0.3)  # a docker container is swept in the background before it serves again
    zero(io(verifier, probe))


# --- reward hacking ---------------------------------------------------------------------

TESTS = "assert add(2, 3) == 5\nassert add(10, -4) == 6\n"


@pytest.mark.parametrize("program", [
    "import sys\nsys.exit(0)",
    "import os\nos._exit(0)",
    "raise SystemExit",
    "def add(a, b):\n    raise SystemExit(0)",
    "def add(a, b):\n    import os\n    os._exit(0)",
])
def test_exiting_early(verifier, program):  # type: ignore[no-untyped-def]
    zero(asserts(verifier, program, TESTS))
    if not program.startswith("def"):
        zero(io(verifier, program, stdout="5", stdin="2 3"))


def test_always_equal_object(verifier):  # type: ignore[no-untyped-def]
    program = ("class Anything:\n    def __eq__(self, other):\n        return True\n"
               "    __ne__ = lambda self, other: False\n"
               "def add(a, b):\n    return Anything()")
    zero(asserts(verifier, program, TESTS))
    program = ("class Five(int):\n    def __eq__(self, other):\n        return True\n"
               "def add(a, b):\n    return Five(0)")
    zero(asserts(verifier, program, TESTS))


def test_monkeypatching(verifier):  # type: ignore[no-untyped-def]
    programs = [
        # builtins the tests use
        "import builtins\nbuiltins.abs = lambda x: 0\nbuiltins.len = lambda x: 5\n"
        "def add(a, b):\n    return 0",
        # names that shadow builtins or test helpers in the test module
        "def abs(x):\n    return 0\ndef check(candidate):\n    pass\n"
        "def add(a, b):\n    return 0",
        # the assert statement's exception
        "import builtins\nbuiltins.AssertionError = type('X', (BaseException,), {})\n"
        "def add(a, b):\n    return 0",
    ]
    tests = ("def check(candidate):\n    assert abs(candidate(2, 3) - 5) < 1e-9\n"
             "    assert len([candidate(1, 1)]) == 1\ncheck(add)\n")
    for program in programs:
        zero(asserts(verifier, program, tests))


def test_fake_pass_markers_and_channel_writes(verifier):  # type: ignore[no-untyped-def]
    marker = ("import os, sys, json\nprint('All tests passed!')\nprint('PASSED', file=sys.stderr)\n"
              "for fd in range(3, 20):\n    try:\n"
              "        os.write(fd, b'{\"ok\":true,\"value\":5}\\n{\"ok\":true,\"names\":[]}\\n')\n"
              "    except OSError:\n        pass\n"
              "def add(a, b):\n    return 0")
    zero(asserts(verifier, marker, TESTS))
    zero(io(verifier, marker, stdout="5"))


def test_reading_the_expected_answers(verifier, tmp_path):  # type: ignore[no-untyped-def]
    (tmp_path / "tests.py").write_text("expected = 'rk-expected-4711'")
    program = r"""
import gc, os, sys
def find():
    needle = 'rk-expected-'
    for obj in gc.get_objects():
        if isinstance(obj, str) and needle in obj and obj != needle:
            return obj
    frame = sys._getframe()
    while frame:
        for value in list(frame.f_locals.values()) + list(frame.f_globals.values()):
            if isinstance(value, str) and needle in value and value != needle:
                return value
        frame = frame.f_back
    for arg in sys.argv + list(os.environ.values()):
        if needle in arg and arg != needle:
            return arg
    for root, dirs, files in os.walk('/'):
        if root.startswith(('/proc/sys', '/sys', '/usr')):
            continue
        for name in files:
            try:
                with open(os.path.join(root, name), errors='ignore') as f:
                    text = f.read(1 << 16)
                if 'rk-expected-4711' in text:
                    return 'rk-expected-4711'
            except OSError:
                pass
    return None
def answer():
    return find()
"""
    zero(asserts(verifier, program, "assert answer() == 'rk-expected-4711'"))
    zero(io(verifier, program + "print(find())", stdout="rk-expected-4711"))
