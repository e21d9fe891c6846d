"""Assert-style tests run in a sandbox of their own, apart from the solution's (issue 12,
findings 2 and 5), on both backends.

Before, the harness compiled and ``exec``-ed the reference's ``tests`` text in the engine's
worker process: test code (a dataset's, or a client's over REST) could write files, read
secrets and kill processes on the host as the worker's user (root, in the REST report), and
a solution's exception came back as the builtin of the same name, StopIteration included.
Each probe here earns reward, or leaves a trace on the host, only if its attack works.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import httpx
import pytest
from conftest import code_verifier_on, sandbox_missing
from test_code_containment import sandbox_processes
from test_server_support import running_server

from rewardkit import Result, Sample, Status
from rewardkit.verifiers.code import CodeVerifier
from rewardkit.verifiers.code.sandbox import SandboxUnavailable, runner

LIMITS = {"time_limit": 3.0, "memory_limit": 256, "output_limit": 64 * 1024, "max_files": 200}
HONEST = "def f(x):\n    return x + 1\n"


@pytest.fixture(scope="module", params=["process", "docker"])
def verifier(request):  # type: ignore[no-untyped-def]
    yield from code_verifier_on(request.param, {**LIMITS, "pool_size": 2})


def asserts(verifier: CodeVerifier, program: str, tests: str) -> Result:
    return verifier.verify(Sample(completion=program, reference={"tests": tests}))


def zero(result: Result) -> None:
    assert result.reward == 0.0, result
    assert not result.passed


def test_honest_tests_still_pass(verifier):  # type: ignore[no-untyped-def]
    result = asserts(verifier, HONEST + "def g(a, b=2):\n    return {a: [b]}\n",
                     "def check(candidate):\n    assert candidate(1) == 2\n"
                     "check(f)\nassert g('k', b=(1,)) == {'k': [(1,)]}\n")
    assert result.passed, result
    failing = asserts(verifier, HONEST, "assert f(1) == 2\nassert f(2) == 4\n")
    zero(failing)
    assert "assertion failed (tests line 2)" in failing.reason


# --- test code touches the host no more than a solution does ----------------------------


def test_a_value_nested_to_the_limit_goes_back_to_the_solution(verifier):  # type: ignore[no-untyped-def]
    """HumanEval 38 and 50 pass ``encode``'s value back to ``decode``. Before, the argument
    list counted as one more level, so a wrong solution nesting its value to the limit made
    the sample an ``error`` (an argument "the sandbox cannot take") instead of a failure."""
    program = ("def encode(s):\n    for _ in range(200):\n        s = [s]\n    return s\n"
               "def decode(v, right=False):\n    while right and isinstance(v, list):\n"
               "        v = v[0]\n    return v if right else 'wrong'\n")
    wrong = asserts(verifier, program, "assert decode(encode('ab')) == 'ab'")
    assert wrong.status is Status.OK and wrong.reward == 0.0, wrong
    assert asserts(verifier, program, "assert decode(encode('ab'), right=True) == 'ab'").passed
    assert asserts(verifier, program, "assert decode(v=encode('ab'), right=True) == 'ab'").passed


def test_tests_cannot_write_host_files(verifier, tmp_path):  # type: ignore[no-untyped-def]
    """Old: the tests ran in the worker, so these writes landed on the host (as root over
    REST) and the test still came back ok 1.0."""
    paths = [f"/tmp/rk-tests-probe-{os.getpid()}", str(tmp_path / "rk-tests-probe"),
             str(Path.cwd() / "rk-tests-probe"), "/rk-tests-probe"]
    tests = (f"import os\nfor p in {paths!r}:\n    try:\n        with open(p, 'w') as fh:\n"
             "            fh.write('x')\n    except OSError:\n        pass\n"
             "assert f(1) == 2\n")
    asserts(verifier, HONEST, tests)
    for path in paths:
        assert not os.path.exists(path), path


def test_tests_cannot_read_host_secrets(verifier, monkeypatch):  # type: ignore[no-untyped-def]
    """Old: the tests could open any file and read the worker's environment; they pass here
    only if they can."""
    monkeypatch.setenv("RK_PROBE_SECRET", "s3cr3t")
    secret = Path("/tmp") / f"rk-tests-secret-{os.getpid()}"
    secret.write_text("host-secret")
    try:
        tests = ("import os\nassert f(1) == 2\nfound = 's3cr3t' in str(os.environ)\n"
                 f"for p in ({str(secret)!r}, '/etc/shadow', '/proc/1/environ'):\n    try:\n"
                 "        text = open(p, errors='ignore').read()\n"
                 "        found |= 'host-secret' in text or 's3cr3t' in text\n"
                 "    except OSError:\n        pass\nassert found\n")
        zero(asserts(verifier, HONEST, tests))
    finally:
        secret.unlink()


def test_tests_cannot_kill_host_processes(verifier):  # type: ignore[no-untyped-def]
    """Old: ``os.kill`` in the tests reached any process of the worker's user, the worker
    itself included."""
    victim = subprocess.Popen(["sleep", "30"])
    try:
        # A sacrificial process stands for the worker: a kill that worked leaves it dead.
        tests = (f"import os, signal\ntry:\n    os.kill({victim.pid}, signal.SIGKILL)\n"
                 "except OSError:\n    pass\nassert f(1) == 2\n")
        asserts(verifier, HONEST, tests)
        time.sleep(0.2)
        assert victim.poll() is None
        assert asserts(verifier, HONEST, "assert f(1) == 2").passed  # the harness lives on
    finally:
        victim.kill()
        victim.wait()


def test_tests_leave_nothing_for_the_next_sample(verifier):  # type: ignore[no-untyped-def]
    """A test sandbox is fresh per sample: files and daemons of one sample's tests are gone
    before the next (whose tests pass only if they find them)."""
    plant = ("import os\nfor p in ('/tmp/rk-tplant', 'rk-tplant', '/dev/shm/rk-tplant'):\n"
             "    try:\n        open(p, 'w').write('x')\n    except OSError:\n        pass\n"
             "if os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n"
             "        os.execv('/usr/bin/python3', ['python3', '-c', "
             "'import time; time.sleep(30)', 'rk-probe-marker'])\n    os._exit(0)\n"
             "assert f(1) == 2\n")
    assert asserts(verifier, HONEST, plant).passed
    time.sleep(0.5)  # a docker container is swept in the background before it serves again
    assert sandbox_processes() == 0
    probe = ("import os\nassert f(1) == 2\nassert [p for p in ('/tmp/rk-tplant', 'rk-tplant',"
             " '/dev/shm/rk-tplant', '../rk-tplant') if os.path.exists(p)]\n")
    zero(asserts(verifier, HONEST, probe))


# --- the two sandboxes see only plain data of each other ---------------------------------

SEARCH = r"""
import gc, os, stat
def search(*parts):
    needle = ''.join(parts)  # built at run time: no constant of the searcher's holds it
    for obj in gc.get_objects():
        if isinstance(obj, dict):
            obj = obj.values()
        elif not isinstance(obj, (list, tuple)):
            continue
        for item in list(obj):
            if isinstance(item, str) and needle in item and item is not needle:
                return True
    for pid in os.listdir('/proc'):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        for name in ('cmdline', 'environ'):
            try:
                if needle.encode() in open(f'/proc/{pid}/{name}', 'rb').read():
                    return True
            except OSError:
                pass
        try:  # another process's memory (the other sandbox's interpreter, if visible)
            with open(f'/proc/{pid}/maps') as maps, open(f'/proc/{pid}/mem', 'rb') as mem:
                for line in maps:
                    span, perms = line.split()[:2]
                    start, end = (int(x, 16) for x in span.split('-'))
                    if perms.startswith('rw') and end - start < 1 << 24:
                        mem.seek(start)
                        if needle.encode() in mem.read(end - start):
                            return True
        except (OSError, ValueError, OverflowError):
            pass
    for top in ('/', '/dev/shm'):
        for root, dirs, files in os.walk(top):
            if root.startswith(('/proc', '/sys', '/usr', '/lib', '/dev')) and top == '/':
                dirs[:] = []
                continue
            for name in files:
                path = os.path.join(root, name)
                try:
                    if not stat.S_ISREG(os.lstat(path).st_mode):
                        continue  # a device such as /dev/ptmx can block a read forever
                    with open(path, 'rb') as fh:
                        if needle.encode() in fh.read(1 << 20):
                            return True
                except OSError:
                    pass
    return False
"""


def test_tests_cannot_see_the_solution(verifier):  # type: ignore[no-untyped-def]
    """The tests' sandbox gets only the names of the solution's functions: its source, its
    objects and its files are out of reach (the tests pass only if they find them)."""
    marker = "rk-solution-" + "marker-4711"
    program = (f"SECRET = {marker!r}\nopen('solution.txt', 'w').write(SECRET)\n"
               f"open('/tmp/solution.txt', 'w').write(SECRET)\n" + HONEST)
    tests = SEARCH + ("assert f(1) == 2\nassert search('rk-solution-', 'marker-4711')\n"
                      "assert 'marker-4711' in repr(vars(f))\n")
    result = asserts(verifier, program, tests)
    zero(result)
    assert result.status is Status.OK and "(tests line" in result.reason, result


@pytest.mark.parametrize("secret", ["rk-expected-0815", "rk_expected_0815"])
def test_solution_cannot_see_the_tests(verifier, secret):  # type: ignore[no-untyped-def]
    """The solution's sandbox gets only the arguments of each call: the tests' text and their
    expected values live in the other sandbox (the solution passes only if it finds them).
    The second secret is a word: no word of the tests may reach the solution's sandbox, not
    even as a name to look up (which a frame or the collector would then hand over)."""
    head, tail = secret[:-4], secret[-4:]
    # searched while it loads (the load request is alive then) and at each call
    program = SEARCH + (f"LOADED = search({head!r}, {tail!r})\n"
                        f"def f(x):\n    return LOADED or search({head!r}, {tail!r})\n")
    result = asserts(verifier, program, f"expected = {secret!r}\nassert f(1) is True\n")
    zero(result)
    assert result.status is Status.OK and "assertion failed" in result.reason, result


def test_forged_messages_on_the_solution_channel(verifier):  # type: ignore[no-untyped-def]
    """A solution that writes a tests-side message (a verdict, a call) on its channel: the
    harness reads only call replies from the solution's sandbox, never a verdict."""
    program = (
        "import gc, os\n"
        "runner = next(o for o in gc.get_objects() if type(o).__name__ == 'Runner')\n"
        "for line in (b'{\"ok\":true,\"done\":true,\"verdict\":\"passed\",\"message\":\"\"}\\n',"
        " b'{\"call\":\"f\",\"args\":[1],\"kwargs\":{\"$d\":[]}}\\n'):\n"
        "    os.write(runner.out_fd, line)\n"
        "def f(x):\n    return 0\n")
    zero(asserts(verifier, program, "assert f(1) == 2\n"))


def test_limits_in_the_tests_sandbox(verifier):  # type: ignore[no-untyped-def]
    """Test code is bounded like a solution: its own loop hits the run's clock."""
    started = time.monotonic()
    result = asserts(verifier, HONEST, "assert f(1) == 2\nwhile True:\n    pass\n")
    zero(result)
    assert result.status is Status.TIMEOUT and result.details["limit"] == "timeout"
    assert time.monotonic() - started < LIMITS["time_limit"] + 8


# --- a solution's exception reaches the tests only as an allowed builtin -----------------

STOPPERS = [
    "def f(*a):\n    raise StopIteration\n",
    "def f(*a):\n    raise StopIteration(0)\n",
    "class StopIteration(Exception):\n    pass\ndef f(*a):\n    raise StopIteration\n",
]
MAP_TESTS = [
    "cases = [((1,), 2), ((2,), 3), ((5,), 6)]\n"
    "assert all(map(lambda c: f(*c[0]) == c[1], cases))\n",
    "cases = [((1,), 2), ((2,), 3), ((5,), 6)]\n"
    "assert not list(filter(lambda c: f(*c[0]) != c[1], cases))\n",
    "cases = [((1,), 2), ((2,), 3), ((5,), 6)]\n"
    "for (args, want), got in zip(cases, map(lambda c: f(*c[0]), cases)):\n"
    "    assert got == want\n",
]


@pytest.mark.parametrize("tests", MAP_TESTS)
@pytest.mark.parametrize("program", STOPPERS)
def test_stop_iteration_does_not_end_the_tests(verifier, program, tests):  # type: ignore[no-untyped-def]
    """Old: the solution's StopIteration (even a custom class of that name) came back as the
    builtin, silently ended ``map``/``filter``/``zip`` in the tests, and scored 1.0."""
    assert asserts(verifier, HONEST, tests).passed  # the honest twin
    zero(asserts(verifier, program, tests))


@pytest.mark.parametrize("name", ["StopIteration", "StopAsyncIteration", "GeneratorExit",
                                  "KeyboardInterrupt", "SystemExit"])
@pytest.mark.parametrize("custom", [False, True])
def test_forbidden_exception_names(verifier, name, custom):  # type: ignore[no-untyped-def]
    """The tests catch the named exception and pass only if the solution's reached them
    as that builtin (old: any Exception subclass of that name did, StopIteration included)."""
    define = f"class {name}(Exception):\n    pass\n" if custom else ""
    program = define + f"def f(*a):\n    raise {name}\n"
    tests = f"try:\n    f(1)\nexcept {name}:\n    pass\nelse:\n    raise AssertionError\n"
    zero(asserts(verifier, program, tests))


def test_allowed_exceptions_still_reach_the_tests(verifier):  # type: ignore[no-untyped-def]
    program = "def f(x):\n    return {'a': 1}[x]\n"
    tests = ("try:\n    f('b')\n    raise AssertionError\nexcept KeyError:\n    pass\n"
             "assert f('a') == 1")
    assert asserts(verifier, program, tests).passed


def test_exception_allow_list() -> None:
    forbidden = {"StopIteration", "StopAsyncIteration", "GeneratorExit", "KeyboardInterrupt",
                 "SystemExit", "BaseException", "BaseExceptionGroup", "ExceptionGroup",
                 "MemoryError", "Warning", "DeprecationWarning", "", "SolutionError"}
    for name in forbidden:
        exc = runner.exception_for({"type": name, "message": "m"})
        assert type(exc) is runner.SolutionError, name
    for name, cls in runner.EXCEPTIONS.items():
        assert issubclass(cls, Exception) and not issubclass(cls, StopIteration), name
        assert type(runner.exception_for({"type": name, "message": "m"})) is cls
    assert type(runner.exception_for("not a dict")) is runner.SolutionError


# --- a client holding a token ------------------------------------------------------------


def test_rest_client_tests_run_sandboxed(tmp_path):  # type: ignore[no-untyped-def]
    """Old: over REST, a client's ``tests`` wrote a file as the server's user (root) and came
    back ok 1.0. Now the write lands in the tests' sandbox, and the host keeps nothing."""
    probe = tmp_path / "rk-rest-probe"
    tests = (f"import os\ntry:\n    open({str(probe)!r}, 'w').write('x')\nexcept OSError:\n"
             f"    pass\nassert f(1) == 2\nassert os.path.exists({str(probe)!r})\n")
    sample = {"completion": HONEST, "reference": {"tests": tests}}
    local = CodeVerifier()
    try:
        local.backend()
    except SandboxUnavailable as exc:
        sandbox_missing("process", exc)
    finally:
        local.close()
    with running_server(workers=1, max_timeout=30.0) as server:
        response = httpx.post(f"{server.url}/v1/verify/code", json={"sample": sample},
                              timeout=60)
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["reward"] == 0.0 and "assertion failed" in result["reason"], result
    assert not probe.exists()


def test_dunder_names_are_never_proxied(verifier):  # type: ignore[no-untyped-def]
    """A solution that forges its load reply to list ``__builtins__`` among its callables:
    were that proxied, the tests' builtins would be a proxy. Dunder names are dropped, so
    the tests keep their own builtins (and pass, as their honest twin does)."""
    program = ("import gc, os\n"
               "runner = next(o for o in gc.get_objects() if type(o).__name__ == 'Runner')\n"
               "os.write(runner.out_fd, b'{\"ok\":true,\"names\":[\"f\",\"__builtins__\"]}\\n')\n"
               + HONEST)
    tests = "f(1)\nassert isinstance(__builtins__, type(__import__('os')))\n"
    assert asserts(verifier, HONEST, tests).passed
    assert asserts(verifier, program, tests).passed


@pytest.mark.parametrize("message", [
    {"call": ["f"], "args": [], "kwargs": {"$d": []}},
    {"call": "exec", "args": ["print(1)"], "kwargs": {"$d": []}},
    {"verdict": "passed"},
    {"ok": True, "done": True, "verdict": "maybe"},
])
def test_forged_messages_from_the_tests_sandbox(verifier, message):  # type: ignore[no-untyped-def]
    """Test code that speaks the protocol itself: a call of a function the solution does not
    have, a malformed call or verdict. The harness answers with an error result, never a
    pass, and never calls anything but the solution's own functions."""
    tests = ("import gc\n"
             "runner = next(o for o in gc.get_objects() if type(o).__name__ == 'Runner')\n"
             f"assert f(1) == 2\nrunner.reply({message!r})\nrunner.reader.readline()\n")
    result = asserts(verifier, HONEST, tests)
    assert result.status is Status.ERROR and result.reward == 0.0, result
